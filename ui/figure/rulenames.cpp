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
    if (!c.maskFile.empty())
        on << RuleNames::tr("mask file %1").arg(QFileInfo(QString::fromStdString(c.maskFile)).fileName());
    if (!r.toggled.empty())
        on << RuleNames::tr("%n cell(s) painted", nullptr, static_cast<int>(r.toggled.size()));
    return on;
}

} // namespace maskscope::ui
