#include "rulenames.h"

#include <QCoreApplication>
#include <QFileInfo>

namespace maskscope::ui {

namespace {

QString tr(const char* text, int n = -1)
{
    return QCoreApplication::translate("RuleNames", text, nullptr, n);
}

QString windowText(const MaskRules& r)
{
    const auto side = [](int v) { return v < 0 ? tr("unbounded") : QString::number(v); };
    return tr("window %1 left, %2 right").arg(side(r.windowLeft), side(r.windowRight));
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
        on << tr("aligned bottom-right");
    if (r.hasWindow())
        on << windowText(r);
    if (r.dilation > 1)
        on << tr("dilation %1").arg(r.dilation);
    if (r.prefix > 0)
        on << tr("prefix-LM, %n bidirectional token(s)", r.prefix);
    if (!r.segments.empty())
        on << tr("%n document(s) (%1)", static_cast<int>(r.segments.size())).arg(segmentsText(r.segments));
    if (r.chunk > 0)
        on << tr("chunks of %1").arg(r.chunk);
    if (r.globalTokens > 0)
        on << tr("%n global token(s)", r.globalTokens);
    if (!c.maskFile.empty())
        on << tr("mask file %1").arg(QFileInfo(QString::fromStdString(c.maskFile)).fileName());
    if (!r.toggled.empty())
        on << tr("%n cell(s) painted", static_cast<int>(r.toggled.size()));
    return on;
}

} // namespace maskscope::ui
