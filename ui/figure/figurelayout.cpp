// SPDX-License-Identifier: MIT
// Geometry of figures: where titles, labels, cells, colour bars and the legend go.

#include "figure/figurerenderer.h"
#include "figure/figurerenderer_p.h"

#include "figure/numberformat.h"

#include <QCoreApplication>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <optional>
#include <tuple>

namespace maskscope::ui {

using namespace detail;

namespace {

/// Space the decorations around the panels take, for one pair of label plans.
struct Decor {
    double rowTitleW = 0;   // "query", left of grid column 0
    double rowLabelW = 0;   // query labels, grid column 0
    double colTitleH = 0;   // "key", above grid row 0
    double colLabelH = 0;   // key labels, grid row 0
    double panelTitleH = 0;
    double bandLeft = 0;    // padding band and gaps between labels and matrix
    double bandTop = 0;
    double marker = 0;      // right of each matrix: rows with no allowed key
    double bottom = 0;      // below each matrix: its own colour bar
    double sharedBarW = 0;  // right of the grid
};

int strideFor(double cell, double needed)
{
    int stride = 1;
    while (stride * cell < needed && stride < (1 << 30))
        stride *= 2;
    return stride;
}

// When a figure is squeezed (a small window), decorations go before the cells become
// unreadable: first the subtitle, then the legend, then axis titles and labels, then the rest.
constexpr int kCompactLevels = 5;

FigureStyle compacted(FigureStyle style, int level)
{
    if (level >= 2)
        style.legend = false;
    if (level >= 3) {
        style.axisTitles = false;
        style.tokenLabels = false;
    }
    if (level >= 4)
        style.colorBar = false;
    return style;
}

// What every trial layout of one figure needs and that costs a pass over its cells or labels:
// found once per FigureRenderer call, shared by the trial layouts (compaction levels, column
// counts). Label widths are measured once per distinct label: a long sequence repeats a few
// words thousands of times.
class FigureFacts {
public:
    FigureFacts(const Figure& figure, const FigureStyle& style)
        : fig_(figure), legend_(legendEntriesOf(figure, style)), labelFont_(fontsFor(metricsFor(style)).label)
    {
    }

    /// The legend entries (with the style's legend on).
    const std::vector<LegendEntry>& legend() const { return legend_; }
    /// Widest query / key token in the label font, capped at `cap`.
    double rowTokenWidth(double cap) const { return cached(rowTokenWidth_, fig_.panels.front().rowLabels, cap); }
    double colTokenWidth(double cap) const { return cached(colTokenWidth_, fig_.panels.front().colLabels, cap); }

private:
    double cached(std::optional<double>& slot, const QStringList& labels, double cap) const
    {
        if (!slot) {
            const QFontMetricsF fm(labelFont_);
            double w = 0;
            QSet<QString> measured;
            for (const auto& l : labels)
                if (!measured.contains(l)) {
                    measured.insert(l);
                    w = std::max(w, fm.horizontalAdvance(l));
                }
            slot = w;
        }
        return std::min(*slot, cap);
    }

    const Figure& fig_;
    std::vector<LegendEntry> legend_;
    QFont labelFont_;
    mutable std::optional<double> rowTokenWidth_;
    mutable std::optional<double> colTokenWidth_;
};

class LayoutBuilder {
public:
    LayoutBuilder(const Figure& figure, const FigureStyle& style, const FigureFacts& facts,
                  int compactLevel = 0, int columns = 0)
        : fig_(figure), facts_(facts), style_(compacted(style, compactLevel)), m_(metricsFor(style_)),
          fonts_(fontsFor(m_)), grid_(gridShapeOf(figure, columns)),
          sharedBar_(hasSharedColorBar(figure, style_)), panelBars_(hasPanelColorBars(figure, style_)),
          legend_(style_.legend ? facts.legend() : std::vector<LegendEntry>{}),
          subtitle_(compactLevel >= 1 ? QString() : figure.subtitle), panelTitles_(compactLevel < 4)
    {
    }

    /// True if the cells of a layout at this size are large enough to read.
    bool readable(const FigureLayout& layout) const;

    FigureLayout fit(const QSizeF& size) const;
    QSizeF preferred() const;

private:
    double preferredCell() const;
    LabelPlan planRows(double cell) const;
    LabelPlan planCols(double cell) const;
    std::pair<LabelPlan, LabelPlan> planLabels(double cell) const;
    Decor decorFor(const LabelPlan& rows, const LabelPlan& cols) const;
    QSizeF contentSize(const Decor& d, double cell) const;
    double fitCell(const Decor& d, const QSizeF& size, double titleAndLegend) const;
    double titleBlockHeight(double width) const;
    double legendHeight(double width) const;
    double placeLegend(std::vector<LegendEntry>& entries, double width, double top) const;
    void placePanels(FigureLayout& out, const Decor& d, double cell, QPointF origin,
                     const LabelPlan& rows, const LabelPlan& cols) const;
    void placeSharedBar(FigureLayout& out, const Decor& d, QPointF origin, double contentW) const;
    void planNumbers(PanelLayout& p, const Heatmap& map) const;
    double rowTokenWidth() const;
    double colTokenWidth() const;
    double sharedTickLabelWidth() const;
    double numberCell() const;

    const Figure& fig_;
    const FigureFacts& facts_;
    const FigureStyle style_;
    Metrics m_;
    FigureFonts fonts_;
    GridShape grid_;
    bool sharedBar_;
    bool panelBars_;
    std::vector<LegendEntry> legend_;
    QString subtitle_;
    bool panelTitles_;
};

bool LayoutBuilder::readable(const FigureLayout& layout) const
{
    const int side = std::max(grid_.cellRows, grid_.cellCols);
    return layout.panels.empty() || layout.panels.front().cell * side >= 4 * m_.base;
}

// Longer tokens are elided.
double LayoutBuilder::rowTokenWidth() const
{
    return facts_.rowTokenWidth(m_.base * 9);
}

double LayoutBuilder::colTokenWidth() const
{
    return facts_.colTokenWidth(m_.base * 9);
}

LabelPlan LayoutBuilder::planRows(double cell) const
{
    LabelPlan plan;
    if (!style_.tokenLabels || fig_.panels.empty())
        return plan;
    const Heatmap& map = fig_.panels.front();
    const double lh = lineHeight(fonts_.label);
    const bool tokens = map.rowLabels.size() == map.rows;
    plan.stride = cell >= lh * 0.85 ? 1 : strideFor(cell, lh * 1.15);
    plan.indices = plan.stride > 1 || !tokens;
    const double w = plan.indices ? textWidth(fonts_.label, QString::number(map.firstRow + map.rows - 1))
                                  : rowTokenWidth();
    plan.extent = w + m_.gap * 0.6;
    return plan;
}

LabelPlan LayoutBuilder::planCols(double cell) const
{
    LabelPlan plan;
    if (!style_.tokenLabels || fig_.panels.empty())
        return plan;
    const Heatmap& map = fig_.panels.front();
    const double lh = lineHeight(fonts_.label);
    const bool tokens = map.colLabels.size() == map.cols;
    if (tokens && (cell >= lh * 0.85 || colTokenWidth() <= cell * 0.92)) {
        const double w = colTokenWidth();
        plan.stride = 1;
        plan.rotated = w > cell * 0.92;
        plan.extent = (plan.rotated ? w : lh) + m_.gap * 0.4;
        return plan;
    }
    // Thinned: positions, written across if that costs at most one more halving of the labels.
    const double w = textWidth(fonts_.label, QString::number(map.firstCol + map.cols - 1));
    const int across = strideFor(cell, w * 1.8);
    const int upright = strideFor(cell, lh * 1.15);
    plan.indices = true;
    plan.rotated = across > 2LL * upright; // both reach 2^30 when the cell has no size
    plan.stride = plan.rotated ? upright : across;
    plan.extent = (plan.rotated ? w : lh) + m_.gap * 0.4;
    return plan;
}

// Positions on both axes of a square-celled matrix read best at the same spacing.
std::pair<LabelPlan, LabelPlan> LayoutBuilder::planLabels(double cell) const
{
    LabelPlan rows = planRows(cell), cols = planCols(cell);
    if (rows.indices && cols.indices && rows.stride > 0 && cols.stride > 0)
        rows.stride = cols.stride = std::max(rows.stride, cols.stride);
    return {rows, cols};
}

double LayoutBuilder::sharedTickLabelWidth() const
{
    if (fig_.panels.empty())
        return 0;
    const Heatmap& map = fig_.panels.front();
    const int decimals = tickDecimals(map.lo, map.hi, 6);
    double w = 0;
    for (double t : niceTicks(map.lo, map.hi, 6))
        w = std::max(w, textWidth(fonts_.tick, prettyNumber(t, decimals)));
    return w;
}

Decor LayoutBuilder::decorFor(const LabelPlan& rows, const LabelPlan& cols) const
{
    Decor d;
    const double axisH = lineHeight(fonts_.axisTitle);
    if (style_.axisTitles) {
        d.rowTitleW = axisH + m_.gap * 0.8;
        d.colTitleH = axisH + m_.gap * 0.2;
    }
    d.rowLabelW = rows.extent;
    d.colLabelH = cols.extent;
    const bool titled = panelTitles_ && std::any_of(fig_.panels.begin(), fig_.panels.end(),
                                                    [](const Heatmap& p) { return !p.title.isEmpty(); });
    d.panelTitleH = titled ? lineHeight(fonts_.panelTitle) + m_.gap * 0.5 : 0;
    d.bandLeft = anyRowPad(fig_) ? m_.bandWidth + 2 * m_.bandGap : m_.bandGap * 1.5;
    d.bandTop = anyColPad(fig_) ? m_.bandWidth + 2 * m_.bandGap : m_.bandGap * 1.5;
    d.marker = anyFullyBlocked(fig_) ? m_.markerWidth + 2 * m_.bandGap : 0;
    if (panelBars_)
        d.bottom = m_.gap * 1.5 + m_.barThickness * 0.8 + m_.tickLength + lineHeight(fonts_.tick);
    if (sharedBar_)
        d.sharedBarW = m_.gap * 2.5 + m_.barThickness + m_.tickLength + m_.gap * 0.5 +
                       sharedTickLabelWidth() + m_.gap + lineHeight(fonts_.axisTitle);
    return d;
}

QSizeF LayoutBuilder::contentSize(const Decor& d, double cell) const
{
    const double mw = grid_.cellCols * cell;
    const double mh = grid_.cellRows * cell;
    const double w = d.rowTitleW + d.rowLabelW + grid_.columns * (d.bandLeft + mw + d.marker) +
                     (grid_.columns - 1) * m_.panelGapX + d.sharedBarW;
    const double h = d.colTitleH + d.colLabelH +
                     grid_.rows * (d.panelTitleH + d.bandTop + mh + d.bottom) +
                     (grid_.rows - 1) * m_.panelGapY;
    return {w, h};
}

double LayoutBuilder::titleBlockHeight(double width) const
{
    double h = 0;
    if (!fig_.title.isEmpty())
        h += lineHeight(fonts_.title);
    const QStringList lines = wrapSubtitle(subtitle_, fonts_.subtitle, width - 2 * m_.margin);
    h += lines.size() * lineHeight(fonts_.subtitle);
    return h > 0 ? h + m_.gap * 1.5 : 0;
}

// Flows the legend entries in centred lines from `top`; returns the height used.
double LayoutBuilder::placeLegend(std::vector<LegendEntry>& entries, double width, double top) const
{
    if (entries.empty())
        return 0;
    const double lh = lineHeight(fonts_.legend);
    const double swatch = lh * 0.8;
    const double spacing = m_.gap * 3;
    const double usable = std::max(1.0, width - 2 * m_.margin);
    std::vector<std::vector<size_t>> lines(1);
    std::vector<double> lineWidths(1, 0.0);
    for (size_t k = 0; k < entries.size(); ++k) {
        const double w = swatch + m_.gap * 0.7 + textWidth(fonts_.legend, entries[k].text);
        const double extra = lines.back().empty() ? w : spacing + w;
        if (!lines.back().empty() && lineWidths.back() + extra > usable) {
            lines.emplace_back();
            lineWidths.push_back(0.0);
        }
        lineWidths.back() += lines.back().empty() ? w : spacing + w;
        lines.back().push_back(k);
    }
    double y = top + m_.gap * 1.5;
    for (size_t l = 0; l < lines.size(); ++l) {
        double x = (width - lineWidths[l]) / 2;
        for (size_t k : lines[l]) {
            auto& e = entries[k];
            e.swatch = QRectF(x, y + (lh - swatch) / 2, swatch, swatch);
            const double tw = textWidth(fonts_.legend, e.text);
            e.label = QRectF(x + swatch + m_.gap * 0.7, y, tw + 1, lh);
            x = e.label.right() + spacing;
        }
        y += lh * 1.3;
    }
    return y - top;
}

double LayoutBuilder::legendHeight(double width) const
{
    std::vector<LegendEntry> entries = legend_;
    return placeLegend(entries, width, 0);
}

double LayoutBuilder::fitCell(const Decor& d, const QSizeF& size, double titleAndLegend) const
{
    const QSizeF fixed = contentSize(d, 0);
    const double availW = size.width() - 2 * m_.margin - fixed.width();
    const double availH = size.height() - 2 * m_.margin - fixed.height() - titleAndLegend;
    const double cw = availW / (grid_.columns * grid_.cellCols);
    const double ch = availH / (grid_.rows * grid_.cellRows);
    return std::max(0.0, std::min(cw, ch));
}

double LayoutBuilder::numberCell() const
{
    double widest = 0;
    for (const auto& p : fig_.panels) {
        if (!FigureRenderer::numbersAllowed(p, style_))
            return 0;
        const QFont font = makeFont(m_.base * 0.92);
        for (size_t k = 0; k < p.values.size(); ++k)
            widest = std::max(widest, textWidth(font, cellText(p, k)));
    }
    return std::max(widest + m_.base * 0.6, lineHeight(fonts_.label) * 2.0);
}

double LayoutBuilder::preferredCell() const
{
    if (fig_.panels.empty())
        return 0;
    const int side = std::max(grid_.cellRows, grid_.cellCols);
    const bool pipeline = fig_.columns >= 4 && fig_.panels.size() >= 4;
    const bool several = fig_.panels.size() > 1;
    const double target = pipeline ? 260 : several ? 300 : 520;
    const double largest = pipeline ? 30 : several ? 26 : 34;
    const double smallestMatrix = several ? 140 : 220;
    const double u = m_.base / 12.0;
    // Panels drawn from rules have any resolution: their cells may be smaller than a pixel.
    const bool anyResolution = std::all_of(fig_.panels.begin(), fig_.panels.end(),
                                           [](const Heatmap& p) { return p.source != nullptr; });
    double cell = std::clamp(target * u / side, anyResolution ? 0.0 : 1.0, largest * u);
    cell = std::max(cell, smallestMatrix * u / side);
    if (side <= 32) // every token labelled
        cell = std::max(cell, lineHeight(fonts_.label) * 1.05);
    if (side <= 16 && style_.tokenLabels) // short words written across, not upwards
        cell = std::max(cell, std::min({colTokenWidth() + m_.gap, 64 * u, (several ? target : 560) * u / side}));
    return std::max(cell, numberCell());
}

void LayoutBuilder::planNumbers(PanelLayout& p, const Heatmap& map) const
{
    p.numbers = FigureRenderer::numbersAllowed(map, style_) && p.cell >= m_.minNumberCell;
    if (!p.numbers)
        return;
    const QFont probe = makeFont(m_.base);
    double widest = 1;
    for (size_t k = 0; k < map.values.size(); ++k)
        widest = std::max(widest, textWidth(probe, cellText(map, k)));
    const double fitting = m_.base * (p.cell * 0.86) / widest;
    p.numberPixelSize = std::max(6.0, std::min({m_.base, p.cell * 0.36, fitting}));
}

void LayoutBuilder::placePanels(FigureLayout& out, const Decor& d, double cell, QPointF origin,
                                const LabelPlan& rows, const LabelPlan& cols) const
{
    const double mw = grid_.cellCols * cell;
    const double mh = grid_.cellRows * cell;
    for (size_t k = 0; k < fig_.panels.size(); ++k) {
        const Heatmap& map = fig_.panels[k];
        const int gc = static_cast<int>(k) % grid_.columns;
        const int gr = static_cast<int>(k) / grid_.columns;
        PanelLayout p;
        p.cell = cell;
        const double matrixLeft = origin.x() + d.rowTitleW + d.rowLabelW +
                                  gc * (d.bandLeft + mw + d.marker + m_.panelGapX) + d.bandLeft;
        double y = origin.y() + gr * (d.panelTitleH + d.bandTop + mh + d.bottom + m_.panelGapY) +
                   (gr > 0 ? d.colTitleH + d.colLabelH : 0);
        p.title = QRectF(matrixLeft - d.bandLeft, y, mw + d.bandLeft + d.marker, d.panelTitleH);
        y += d.panelTitleH;
        if (gr == 0) {
            p.colAxisTitle = QRectF(matrixLeft, y, map.cols * cell, d.colTitleH);
            p.colLabels = QRectF(matrixLeft, y + d.colTitleH, map.cols * cell, d.colLabelH);
            p.colPlan = cols;
            y += d.colTitleH + d.colLabelH;
        }
        p.matrix = QRectF(matrixLeft, y + d.bandTop, map.cols * cell, map.rows * cell);
        if (gc == 0) {
            const double labelsLeft = matrixLeft - d.bandLeft - d.rowLabelW;
            p.rowLabels = QRectF(labelsLeft, p.matrix.top(), d.rowLabelW, p.matrix.height());
            p.rowAxisTitle = QRectF(labelsLeft - d.rowTitleW, p.matrix.top(), d.rowTitleW,
                                    p.matrix.height());
            p.rowPlan = rows;
        }
        if (panelBars_ && map.scale != ColorScale::Mask)
            p.colorBar = QRectF(p.matrix.left() + p.matrix.width() * 0.1,
                                p.matrix.bottom() + m_.gap * 1.5, p.matrix.width() * 0.8,
                                m_.barThickness * 0.8);
        planNumbers(p, map);
        out.panels.push_back(p);
    }
}

void LayoutBuilder::placeSharedBar(FigureLayout& out, const Decor& d, QPointF origin,
                                   double contentW) const
{
    if (!sharedBar_ || out.panels.empty())
        return;
    double top = out.panels.front().matrix.top();
    double bottom = top;
    for (const auto& p : out.panels)
        bottom = std::max(bottom, p.matrix.bottom());
    const double x = origin.x() + contentW - d.sharedBarW + m_.gap * 2.5;
    out.colorBar = QRectF(x, top, m_.barThickness, bottom - top);
    const double titleX = x + m_.barThickness + m_.tickLength + m_.gap * 0.5 +
                          sharedTickLabelWidth() + m_.gap;
    out.colorBarTitle = QRectF(titleX, top, lineHeight(fonts_.axisTitle), bottom - top);
}

FigureLayout LayoutBuilder::fit(const QSizeF& size) const
{
    FigureLayout out;
    out.size = size;
    out.fonts = fonts_;
    const double titleH = titleBlockHeight(size.width());
    const double legendH = legendHeight(size.width());
    // Labels thin out as cells shrink, and thinner labels leave more room for cells: settle both.
    double cell = fitCell(decorFor({}, {}), size, titleH + legendH);
    auto [rows, cols] = planLabels(cell);
    for (int round = 0; round < 3; ++round) {
        cell = fitCell(decorFor(rows, cols), size, titleH + legendH);
        std::tie(rows, cols) = planLabels(cell);
    }
    const Decor d = decorFor(rows, cols);
    cell = fitCell(d, size, titleH + legendH);
    const QSizeF content = contentSize(d, cell);
    const double top = std::max(m_.margin, (size.height() - titleH - content.height() - legendH) / 2);
    out.title = fig_.title.isEmpty() ? QRectF()
                                     : QRectF(m_.margin, top, size.width() - 2 * m_.margin,
                                              lineHeight(fonts_.title));
    out.subtitleLines = wrapSubtitle(subtitle_, fonts_.subtitle, size.width() - 2 * m_.margin);
    const double subtitleTop = out.title.isNull() ? top : out.title.bottom();
    out.subtitle = QRectF(m_.margin, subtitleTop, size.width() - 2 * m_.margin,
                          out.subtitleLines.size() * lineHeight(fonts_.subtitle));
    const QPointF origin(std::max(m_.margin, (size.width() - content.width()) / 2), top + titleH);
    placePanels(out, d, cell, origin, rows, cols);
    placeSharedBar(out, d, origin, content.width());
    out.legend = legend_;
    placeLegend(out.legend, size.width(), origin.y() + content.height());
    return out;
}

QSizeF LayoutBuilder::preferred() const
{
    const double cell = preferredCell();
    const auto [rows, cols] = planLabels(cell);
    const Decor d = decorFor(rows, cols);
    const QSizeF content = contentSize(d, cell);
    double w = content.width() + 2 * m_.margin;
    if (!fig_.title.isEmpty())
        w = std::max(w, textWidth(fonts_.title, fig_.title) + 2 * m_.margin);
    // A figure drawn from rules, or of a region of a long mask, has long numbers in its legend
    // (the tiles of L = 131072): none of its entries is cut off at the preferred size.
    if (std::any_of(fig_.panels.begin(), fig_.panels.end(),
                    [](const Heatmap& p) { return p.source != nullptr || p.fullRows > 0 || p.fullCols > 0; }))
        for (const LegendEntry& e : legend_)
            w = std::max(w, lineHeight(fonts_.legend) * 0.8 + m_.gap * 0.7 + textWidth(fonts_.legend, e.text) + 2 * m_.margin);
    const double h = content.height() + 2 * m_.margin + titleBlockHeight(w) + legendHeight(w);
    return {std::ceil(w), std::ceil(h)};
}

} // namespace

QRectF PanelLayout::cellRect(int row, int col) const
{
    return QRectF(matrix.left() + col * cell, matrix.top() + row * cell, cell, cell);
}

QStringList figureFontFamilies()
{
    return {QStringLiteral("Noto Sans CJK SC"), QStringLiteral("Noto Sans CJK JP"),
            QStringLiteral("Noto Sans"), QStringLiteral("DejaVu Sans"),
            QStringLiteral("Droid Sans Fallback"), QStringLiteral("sans-serif")};
}

namespace {

// The column count giving the largest cells in `size` (the figure's own on ties), among the
// multiples of Figure::columnGroup: the one heuristic of every re-arrangement.
int bestColumns(const Figure& figure, const QSizeF& size, const FigureStyle& style,
                const FigureFacts& facts)
{
    const int count = static_cast<int>(figure.panels.size());
    if (count < 2 || size.isEmpty())
        return figure.columns;
    int best = figure.columns;
    double bestCell = LayoutBuilder(figure, style, facts, 0, best).fit(size).panels.front().cell;
    for (int columns = 1; columns <= count; ++columns) {
        if (columns % std::max(1, figure.columnGroup) != 0)
            continue; // would split a run of panels that read together
        const double cell = LayoutBuilder(figure, style, facts, 0, columns).fit(size).panels.front().cell;
        if (cell > bestCell * 1.05) { // only for a clear gain: a square grid reads best
            best = columns;
            bestCell = cell;
        }
    }
    return best;
}

// Exports keep the figure's columns unless it is flexible and the space's shape is far from its
// preferred one (an export at the preferred size never re-arranges).
int exportColumns(const Figure& figure, const QSizeF& size, const FigureStyle& style, const FigureFacts& facts)
{
    if (!figure.flexibleColumns || figure.panels.size() < 2 || size.isEmpty())
        return figure.columns;
    const QSizeF preferred = LayoutBuilder(figure, style, facts).preferred();
    const double shape = (size.width() / size.height()) / (preferred.width() / preferred.height());
    if (shape > 0.8 && shape < 1.25)
        return figure.columns;
    return bestColumns(figure, size, style, facts);
}

} // namespace

int FigureRenderer::fittedColumns(const Figure& figure, const QSizeF& size, const FigureStyle& style)
{
    return bestColumns(figure, size, style, FigureFacts(figure, style));
}

FigureLayout FigureRenderer::layout(const Figure& figure, const QSizeF& size, const FigureStyle& style)
{
    const FigureFacts facts(figure, style);
    const int columns = exportColumns(figure, size, style, facts);
    for (int level = 0;; ++level) {
        const LayoutBuilder builder(figure, style, facts, level, columns);
        FigureLayout layout = builder.fit(size);
        if (level + 1 == kCompactLevels || builder.readable(layout))
            return layout;
    }
}

QSizeF FigureRenderer::preferredSize(const Figure& figure, const FigureStyle& style)
{
    return LayoutBuilder(figure, style, FigureFacts(figure, style)).preferred();
}

std::optional<CellHit> FigureRenderer::cellAt(const FigureLayout& layout, const Figure& figure,
                                              QPointF point)
{
    const size_t count = std::min(layout.panels.size(), figure.panels.size());
    for (size_t k = 0; k < count; ++k) {
        const PanelLayout& p = layout.panels[k];
        if (!p.matrix.contains(point) || p.cell <= 0)
            continue;
        const Heatmap& map = figure.panels[k];
        const int row = std::clamp(static_cast<int>((point.y() - p.matrix.top()) / p.cell), 0, map.rows - 1);
        const int col = std::clamp(static_cast<int>((point.x() - p.matrix.left()) / p.cell), 0, map.cols - 1);
        return CellHit{static_cast<int>(k), row, col};
    }
    return std::nullopt;
}

bool FigureRenderer::numbersAllowed(const Heatmap& map, const FigureStyle& style)
{
    return style.numbers && map.rows <= kNumbersMaxSide && map.cols <= kNumbersMaxSide;
}

bool FigureRenderer::paintsAsImage(const Heatmap& map, const FigureStyle& style, bool vectorDevice)
{
    if (map.isReduced())
        return true; // no cells to draw one by one, only the reduced image
    const bool large = map.rows > style.vectorCellLimit || map.cols > style.vectorCellLimit;
    if (vectorDevice)
        return large;
    return large || static_cast<long long>(map.rows) * map.cols > kRasterVectorCells;
}

} // namespace maskscope::ui
