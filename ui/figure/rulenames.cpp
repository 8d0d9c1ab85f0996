// SPDX-License-Identifier: MIT
#include "figure/rulenames.h"

#include <QCoreApplication>
#include <QFileInfo>

namespace maskscope::ui {

namespace {

struct RuleNames {
    Q_DECLARE_TR_FUNCTIONS(RuleNames)
};

QString windowText(const MaskRules& r)
{
    const auto side = [](int v) { return v < 0 ? RuleNames::tr("unbounded") : QString::number(v); };
    return RuleNames::tr("window %1 left, %2 right").arg(side(r.windowLeft), side(r.windowRight));
}

} // namespace

QString segmentsText(const std::vector<int>& segments)
{
    QStringList parts;
    for (int s : segments)
        parts << QString::number(s);
    return parts.join(QLatin1Char(','));
}

QStringList activeRuleNames(const ScenarioConfig& c)
{
    const MaskRules& r = c.rules;
    QStringList on;
    if (r.causalAlign == CausalAlign::BottomRight && (c.causal || r.prefix > 0))
        on << RuleNames::tr("aligned bottom-right");
    if (r.hasWindow())
        on << windowText(r);
    if (r.dilation > 1)
        on << RuleNames::tr("dilation %1").arg(r.dilation);
    if (r.prefix > 0)
        on << RuleNames::tr("prefix-LM, %n bidirectional token(s)", nullptr, r.prefix);
    if (!r.segments.empty())
        on << RuleNames::tr("%n document(s) (%1)", nullptr, static_cast<int>(r.segments.size())).arg(segmentsText(r.segments));
    if (r.chunk > 0)
        on << RuleNames::tr("chunks of %1").arg(r.chunk);
    if (r.globalTokens > 0)
        on << RuleNames::tr("%n global token(s)", nullptr, r.globalTokens);
    if (r.sink > 0)
        on << RuleNames::tr("%n attention sink(s)", nullptr, r.sink);
    if (r.blockCausal > 0)
        on << RuleNames::tr("block-causal, blocks of %1").arg(r.blockCausal);
    if (!r.bidirectional.empty())
        on << RuleNames::tr("%n bidirectional span(s)", nullptr, static_cast<int>(r.bidirectional.size()));
    if (!r.tree.empty())
        on << RuleNames::tr("draft tree of %n node(s)", nullptr, static_cast<int>(r.tree.size()));
    if (r.neighborhood.active())
        on << RuleNames::tr("%1×%2 neighbourhood on a %3×%4 grid")
                  .arg(r.neighborhood.kernelHeight).arg(r.neighborhood.kernelWidth)
                  .arg(r.neighborhood.height).arg(r.neighborhood.width);
    if (!c.maskFile.empty())
        on << RuleNames::tr("mask file %1").arg(QFileInfo(QString::fromStdString(c.maskFile)).fileName());
    if (!r.toggled.empty())
        on << RuleNames::tr("%n cell(s) painted", nullptr, static_cast<int>(r.toggled.size()));
    return on;
}

} // namespace maskscope::ui
