// SPDX-License-Identifier: MIT
// What the figure layout measures and names: sizes from the base font, the panel grid, colour-bar
// ticks, the text of a cell, and which legend entries a figure needs.

#include "figure/figurerenderer.h"
#include "figure/figurerenderer_p.h"

#include "figure/numberformat.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace maskscope::ui {

namespace detail {

Metrics metricsFor(const FigureStyle& style)
{
    Metrics m;
    m.base = std::max(6.0, style.fontPointSize * 96.0 / 72.0);
    const double u = m.base / 12.0;
    m.margin = 14 * u;
    m.gap = 6 * u;
    m.panelGapX = 22 * u;
    m.panelGapY = 14 * u;
    m.bandWidth = 4 * u;
    m.bandGap = 2 * u;
    m.markerWidth = 7 * u;
    m.barThickness = 13 * u;
    m.tickLength = 4 * u;
    m.hatchSpacing = 5 * u;
    m.hatchWidth = 0.9 * u;
    m.minNumberCell = 14 * u;
    return m;
}

QFont makeFont(double pixelSize, QFont::Weight weight, bool italic)
{
    const QStringList families = figureFontFamilies();
    QFont font(families.front());
    font.setFamilies(families);
    font.setPixelSize(std::max(1, static_cast<int>(std::lround(pixelSize))));
    font.setWeight(weight);
    font.setItalic(italic);
    // Unhinted metrics are the same on every device, so a layout fits the screen and the PDF alike.
    font.setHintingPreference(QFont::PreferNoHinting);
    return font;
}

FigureFonts fontsFor(const Metrics& m)
{
    FigureFonts f;
    f.title = makeFont(m.base * 1.45, QFont::DemiBold);
    f.subtitle = makeFont(m.base * 0.95);
    f.panelTitle = makeFont(m.base * 1.1, QFont::Medium);
    f.axisTitle = makeFont(m.base * 1.05);
    f.label = makeFont(m.base);
    f.tick = makeFont(m.base * 0.92);
    f.legend = makeFont(m.base * 0.95);
    return f;
}

GridShape gridShapeOf(const Figure& figure, int columns)
{
    GridShape g;
    const int count = static_cast<int>(figure.panels.size());
    g.columns = std::clamp(columns > 0 ? columns : figure.columns, 1, std::max(1, count));
    g.rows = (count + g.columns - 1) / g.columns;
    for (const auto& p : figure.panels) {
        g.cellRows = std::max(g.cellRows, p.rows);
        g.cellCols = std::max(g.cellCols, p.cols);
    }
    return g;
}

bool sharesOneScale(const Figure& figure)
{
    for (const auto& p : figure.panels) {
        const auto& q = figure.panels.front();
        if (p.scale != q.scale || p.lo != q.lo || p.hi != q.hi)
            return false;
    }
    return true;
}

bool hasSharedColorBar(const Figure& figure, const FigureStyle& style)
{
    return style.colorBar && !figure.panels.empty() && sharesOneScale(figure) &&
           figure.panels.front().scale != ColorScale::Mask;
}

bool hasPanelColorBars(const Figure& figure, const FigureStyle& style)
{
    if (!style.colorBar || sharesOneScale(figure))
        return false;
    return std::any_of(figure.panels.begin(), figure.panels.end(),
                       [](const Heatmap& p) { return p.scale != ColorScale::Mask; });
}

namespace {

// The translation context of the texts this file draws into figures.
struct FigureText {
    Q_DECLARE_TR_FUNCTIONS(FigureText)
};

double niceStep(double raw)
{
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    for (double f : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (f * power >= raw * (1 - 1e-9))
            return f * power;
    return 10 * power;
}

} // namespace

std::vector<double> niceTicks(double lo, double hi, int maxCount)
{
    if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi))
        return {lo};
    const double step = niceStep((hi - lo) / std::max(1, maxCount - 1));
    std::vector<double> ticks;
    for (double k = std::ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k += 1.0)
        ticks.push_back(std::fabs(k) < 0.5 ? 0.0 : k * step);
    return ticks;
}

int tickDecimals(double lo, double hi, int maxCount)
{
    if (!(hi > lo))
        return 2;
    const double step = niceStep((hi - lo) / std::max(1, maxCount - 1));
    int d = 0;
    while (d < 6 && std::fabs(step * std::pow(10.0, d) - std::round(step * std::pow(10.0, d))) > 1e-6)
        ++d;
    return d;
}

int cellDecimals(ViewKind view)
{
    return view == ViewKind::Logits || view == ViewKind::MaskedLogits ? 1 : 2;
}

QString cellText(const Heatmap& map, size_t index)
{
    switch (map.states[index]) {
    case CellState::NaN: return QStringLiteral("NaN");
    case CellState::NegInf: return prettyNumber(-INFINITY, 0);
    case CellState::PosInf: return prettyNumber(INFINITY, 0);
    case CellState::Value:
    case CellState::Blocked: break;
    }
    return prettyNumber(map.values[index], cellDecimals(map.view));
}

bool anyRowPad(const Figure& figure)
{
    return std::any_of(figure.panels.begin(), figure.panels.end(), [](const Heatmap& p) {
        return std::find(p.rowPad.begin(), p.rowPad.end(), true) != p.rowPad.end();
    });
}

bool anyColPad(const Figure& figure)
{
    return std::any_of(figure.panels.begin(), figure.panels.end(), [](const Heatmap& p) {
        return std::find(p.colPad.begin(), p.colPad.end(), true) != p.colPad.end();
    });
}

bool anyFullyBlocked(const Figure& figure)
{
    return std::any_of(figure.panels.begin(), figure.panels.end(), [](const Heatmap& p) {
        return std::find(p.rowFullyBlocked.begin(), p.rowFullyBlocked.end(), true) !=
               p.rowFullyBlocked.end();
    });
}

CellKinds cellKindsOf(const Heatmap& map)
{
    if (map.reducedKinds)
        return *map.reducedKinds;
    CellKinds kinds;
    for (size_t k = 0; k < map.states.size(); ++k) {
        const CellState s = map.states[k];
        kinds.blocked |= s == CellState::Blocked || s == CellState::NegInf;
        kinds.nan |= s == CellState::NaN;
        kinds.maskAddsNonZero |= map.scale == ColorScale::Mask && s == CellState::Value && map.values[k] != 0.0;
    }
    return kinds;
}

namespace {

// One pass over every cell (a grid of 8 heads at L = 256 has half a million).
CellKinds figureCellKinds(const Figure& figure)
{
    CellKinds all;
    for (const auto& p : figure.panels) {
        const CellKinds kinds = cellKindsOf(p);
        all.blocked |= kinds.blocked;
        all.nan |= kinds.nan;
        all.maskAddsNonZero |= kinds.maskAddsNonZero;
    }
    return all;
}

// The tiles of the block-sparsity overlay, with its figures on the last entry.
void appendBlockLegend(std::vector<LegendEntry>& entries, const Figure& figure, const FigureStyle& style)
{
    if (!style.blockOverlay || figure.blocks.isEmpty())
        return;
    using Kind = LegendEntry::Kind;
    // Only the kinds the figure has; the empty-tile entry always stays: it carries the figures.
    if (figure.blocks.figures.fullTiles > 0)
        entries.push_back({Kind::FullTile, FigureText::tr("full tile"), {}, {}});
    if (figure.blocks.figures.partialTiles > 0)
        entries.push_back({Kind::PartialTile, FigureText::tr("partial tile"), {}, {}});
    entries.push_back({Kind::EmptyTile,
                       FigureText::tr("empty tile, skipped \u2014 %1").arg(blockOverlaySummary(figure.blocks.figures)), {}, {}});
}

} // namespace

std::vector<LegendEntry> legendEntriesOf(const Figure& figure, const FigureStyle& style)
{
    using Kind = LegendEntry::Kind;
    std::vector<LegendEntry> entries;
    if (!style.legend)
        return entries;
    const auto add = [&](Kind kind, const QString& text) { entries.push_back({kind, text, {}, {}}); };
    const bool hasMask = std::any_of(figure.panels.begin(), figure.panels.end(),
                                     [](const Heatmap& p) { return p.scale == ColorScale::Mask; });
    const CellKinds present = figureCellKinds(figure);
    if (hasMask)
        add(Kind::Allowed, !present.maskAddsNonZero ? FigureText::tr("allowed (mask adds 0)")
                                                    : FigureText::tr("allowed"));
    if (present.blocked)
        add(Kind::Blocked, figure.fillText.isEmpty()
                               ? FigureText::tr("blocked by the mask")
                               : FigureText::tr("blocked (mask adds %1)").arg(figure.fillText));
    if (present.nan)
        add(Kind::NaN, FigureText::tr("NaN (not a number)"));
    if (anyRowPad(figure) || anyColPad(figure))
        add(Kind::Padding, FigureText::tr("padding position"));
    if (anyFullyBlocked(figure))
        add(Kind::NoAllowedKey, FigureText::tr("row with no allowed key"));
    appendBlockLegend(entries, figure, style);
    return entries;
}

QStringList wrapSubtitle(const QString& subtitle, const QFont& font, double width)
{
    const QString separator = QStringLiteral(" \u00B7 ");
    QStringList lines;
    if (subtitle.isEmpty())
        return lines;
    QString line;
    for (const QString& part : subtitle.split(separator)) {
        const QString candidate = line.isEmpty() ? part : line + separator + part;
        if (!line.isEmpty() && textWidth(font, candidate) > width) {
            lines << line;
            line = part;
        } else {
            line = candidate;
        }
    }
    lines << line;
    return lines;
}

} // namespace detail

void prepareFigureFonts(const FigureStyle& style)
{
    static const QString sample = QStringLiteral("Attention weights head query key 0123456789 .,:-()");
    const FigureFonts f = detail::fontsFor(detail::metricsFor(style));
    for (const QFont* font : {&f.title, &f.subtitle, &f.panelTitle, &f.axisTitle, &f.label, &f.tick, &f.legend})
        QFontMetricsF(*font).horizontalAdvance(sample);
}

} // namespace maskscope::ui
