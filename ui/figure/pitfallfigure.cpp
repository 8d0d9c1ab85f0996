// SPDX-License-Identifier: MIT
#include "figure/pitfallfigure.h"

#include "figure/colormap.h"
#include "figure/figurebuilder.h"

#include "attention/precision.h"

#include <QCoreApplication>

#include <utility>

namespace maskscope::ui {

namespace {

QString labText(const char* text)
{
    return QCoreApplication::translate(kPitfallTextContext, text);
}

// "with the mistake" alone on a panel that had no title, else "with the mistake · 2  logits".
void prefixTitles(std::vector<Heatmap>& panels, const QString& side)
{
    for (Heatmap& p : panels)
        p.title = p.title.isEmpty() ? side : QStringLiteral("%1 \u00B7 %2").arg(side, p.title);
}

bool isPipeline(const Figure& f)
{
    return f.panels.size() > 1 && f.panels.front().view == ViewKind::Mask;
}

// Pairs per head: mistaken head h next to fixed head h.
std::vector<Heatmap> interleaved(std::vector<Heatmap>&& a, std::vector<Heatmap>&& b)
{
    std::vector<Heatmap> out;
    out.reserve(a.size() + b.size());
    for (size_t k = 0; k < a.size(); ++k) {
        out.push_back(std::move(a[k]));
        if (k < b.size())
            out.push_back(std::move(b[k]));
    }
    return out;
}

// The colour range of the diverging panels now spans both halves: remake the images of the
// panels whose range moved.
void shareRangeAcrossHalves(std::vector<Heatmap>& panels)
{
    std::vector<std::pair<double, double>> before;
    before.reserve(panels.size());
    for (const Heatmap& p : panels)
        before.emplace_back(p.lo, p.hi);
    shareDivergingRange(panels);
    for (size_t k = 0; k < panels.size(); ++k)
        if (before[k] != std::make_pair(panels[k].lo, panels[k].hi))
            panels[k].cellImage = makeCellImage(panels[k]);
}

} // namespace

bool hasFixableMistake(const ScenarioConfig& config)
{
    return !config.pitfalls.mistakes.empty() || fillOverflows(config.fill, config.pitfalls.format);
}

ScenarioConfig fixedConfig(const ScenarioConfig& config)
{
    ScenarioConfig fixed = config;
    fixed.pitfalls.mistakes = PitfallSet();
    if (fillOverflows(fixed.fill, fixed.pitfalls.format))
        fixed.fill = Fill{Fill::Kind::Lowest, 0.0};
    return fixed;
}

Scenario fixedScenario(const Scenario& s)
{
    // A real model's layer sees the mistake at every layer below: fixed, it runs again.
    if (s.config.usesModel())
        return buildScenario(fixedConfig(s.config));
    Scenario fixed = s;
    fixed.config = fixedConfig(s.config);
    applyMaskRules(fixed.config, fixed.mask);
    fixed.mask.validate();
    return fixed;
}

Figure comparisonFigure(Figure mistaken, Figure fixed)
{
    for (Heatmap& p : fixed.panels)
        p.fixedSide = true;
    prefixTitles(mistaken.panels,
                 QCoreApplication::translate("PitfallFigure", "with the mistake"));
    prefixTitles(fixed.panels, QCoreApplication::translate("PitfallFigure", "fixed"));
    Figure out = std::move(mistaken);
    out.flexibleColumns = false;
    if (isPipeline(out)) {
        // Each pipeline row of the mistake, then the same rows fixed, below.
        for (Heatmap& p : fixed.panels)
            out.panels.push_back(std::move(p));
        out.columnGroup = out.columns;
    } else {
        out.columns = out.panels.size() == 1 ? 2 : 2 * out.columns;
        out.panels = interleaved(std::move(out.panels), std::move(fixed.panels));
        out.columnGroup = 2;
    }
    shareRangeAcrossHalves(out.panels);
    if (fixed.fillText != out.fillText) // e.g. -1e9 became -inf in float16; the fix uses lowest
        out.fillText = QCoreApplication::translate("PitfallFigure", "%1; fixed: %2").arg(out.fillText, fixed.fillText);
    out.title = QCoreApplication::translate("PitfallFigure", "%1: with the mistake and fixed").arg(out.title);
    return out;
}

QStringList pitfallSubtitleParts(const Scenario& s)
{
    const Pitfalls& p = s.mask.pitfalls;
    QStringList parts;
    if (p.format != NumberFormat::Native)
        parts << labText(numberFormatInfo(p.format).title);
    for (Pitfall mistake : p.mistakes.list())
        parts << QCoreApplication::translate("PitfallFigure", "mistake: %1")
                     .arg(labText(pitfallInfo(mistake).title));
    if (p.maskApply != MaskApply::Add)
        parts << labText(maskApplyInfo(p.maskApply).title);
    if (p.blockedRows != BlockedRows::Nan)
        parts << labText(blockedRowsInfo(p.blockedRows).title);
    return parts;
}

} // namespace maskscope::ui
