// SPDX-License-Identifier: MIT
// The parts of a figure around its panels: title and subtitle, colour bars, the block-sparsity
// overlay and the legend.

#include "figure/figurepainting_p.h"

#include "figure/colormap.h"
#include "figure/numberformat.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace maskscope::ui::detail {

namespace {

TileClass tileOfLegend(LegendEntry::Kind kind)
{
    return kind == LegendEntry::Kind::FullTile      ? TileClass::Full
           : kind == LegendEntry::Kind::PartialTile ? TileClass::Partial
                                                    : TileClass::Empty;
}

void paintSwatch(QPainter& p, const LegendEntry& e, const Palette& pal, const Metrics& m)
{
    const QRectF& r = e.swatch;
    switch (e.kind) {
    case LegendEntry::Kind::Allowed:
        fillArea(p, r, QColor::fromRgb(kAllowedColor));
        break;
    case LegendEntry::Kind::Blocked: {
        fillArea(p, r, pal.blockedFill);
        std::vector<QLineF> hatch;
        appendHatch(hatch, r, m.hatchSpacing);
        drawHatch(p, hatch, pal.blockedHatch, m.hatchWidth);
        break;
    }
    case LegendEntry::Kind::NaN:
        fillArea(p, r, QColor::fromRgb(kNaNColor));
        break;
    case LegendEntry::Kind::Padding:
        fillArea(p, QRectF(r.left(), r.center().y() - m.bandWidth / 2, r.width(), m.bandWidth), pal.padding);
        break;
    case LegendEntry::Kind::NoAllowedKey: {
        const QPointF tri[3] = {{r.left() + r.width() * 0.2, r.center().y()},
                                {r.right() - r.width() * 0.2, r.top()},
                                {r.right() - r.width() * 0.2, r.bottom()}};
        p.setPen(Qt::NoPen);
        p.setBrush(pal.alert);
        p.drawPolygon(tri, 3);
        break;
    }
    case LegendEntry::Kind::FullTile:
    case LegendEntry::Kind::PartialTile:
    case LegendEntry::Kind::EmptyTile:
        fillArea(p, r, QColor::fromRgb(kAllowedColor));
        paintTiles(p, {tileOfLegend(e.kind)}, 1, {0, 1}, {0, 1}, [&r](int, int) { return r; }, pal.background);
        break;
    }
}

} // namespace

// --- Colour bars and legend -------------------------------------------------------------------

const Colormap& colormapOf(const Heatmap& map)
{
    return map.scale == ColorScale::Diverging ? Colormap::diverging() : Colormap::viridis();
}

void paintVerticalBar(QPainter& p, const FigureLayout& layout, const Heatmap& map,
                      const Palette& pal, const Metrics& m)
{
    const QRectF& bar = layout.colorBar;
    p.save();
    p.setRenderHint(QPainter::SmoothPixmapTransform, true);
    p.drawImage(bar, colormapOf(map).ramp(Qt::Vertical));
    p.restore();
    strokeFrame(p, bar, pal.frame, 0.8);
    const QFont& font = layout.fonts.tick;
    const double lh = lineHeight(font);
    const int count = std::clamp(static_cast<int>(bar.height() / (lh * 1.6)) + 1, 2, 6);
    const int decimals = tickDecimals(map.lo, map.hi, count);
    std::vector<QLineF> ticks;
    for (double t : niceTicks(map.lo, map.hi, count)) {
        const double y = bar.bottom() - (t - map.lo) / (map.hi - map.lo) * bar.height();
        ticks.emplace_back(QPointF(bar.right(), y), QPointF(bar.right() + m.tickLength, y));
        drawText(p, QRectF(bar.right() + m.tickLength + m.gap * 0.5, y - lh / 2, 200, lh),
                 Qt::AlignLeft | Qt::AlignVCenter, prettyNumber(t, decimals), font, pal.text);
    }
    p.setPen(QPen(pal.frame, 0.8));
    p.drawLines(ticks.data(), static_cast<int>(ticks.size()));
    drawUpwardText(p, layout.colorBarTitle, Qt::AlignHCenter | Qt::AlignTop, map.valueName,
                   layout.fonts.axisTitle, pal.text);
}

void paintHorizontalBar(QPainter& p, const FigureLayout& layout, const PanelLayout& panel,
                        const Heatmap& map, const Palette& pal, const Metrics& m)
{
    const QRectF& bar = panel.colorBar;
    p.save();
    p.setRenderHint(QPainter::SmoothPixmapTransform, true);
    p.drawImage(bar, colormapOf(map).ramp(Qt::Horizontal));
    p.restore();
    strokeFrame(p, bar, pal.frame, 0.8);
    const QFont& font = layout.fonts.tick;
    const double widest = textWidth(font, prettyNumber(-std::max(std::fabs(map.lo), std::fabs(map.hi)), 2));
    const int count = std::clamp(static_cast<int>(bar.width() / (widest * 1.5)) + 1, 2, 6);
    const int decimals = tickDecimals(map.lo, map.hi, count);
    std::vector<QLineF> ticks;
    for (double t : niceTicks(map.lo, map.hi, count)) {
        const double x = bar.left() + (t - map.lo) / (map.hi - map.lo) * bar.width();
        ticks.emplace_back(QPointF(x, bar.bottom()), QPointF(x, bar.bottom() + m.tickLength));
        drawText(p, QRectF(x - 50, bar.bottom() + m.tickLength, 100, lineHeight(font)),
                 Qt::AlignHCenter | Qt::AlignTop, prettyNumber(t, decimals), font, pal.text);
    }
    p.setPen(QPen(pal.frame, 0.8));
    p.drawLines(ticks.data(), static_cast<int>(ticks.size()));
}

// Tiles of a panel drawn from rules narrower than this (logical pixels) are not drawn: they
// would be a grey wash, and a figure of a long mask would hold millions of them. The legend still gives their figures.
constexpr double kMinTileSide = 3.0;

// The block-sparsity tiles over every panel of the overlay's (Lq, Lk) shape; a region's panel
// (Heatmap::firstRow) gets the tiles it shows, clipped to its matrix.
void paintBlockOverlay(QPainter& p, const FigureLayout& layout, const Figure& figure, const Palette& pal)
{
    const BlockSparsity& f = figure.blocks.figures;
    for (size_t k = 0; k < std::min(layout.panels.size(), figure.panels.size()); ++k) {
        const Heatmap& map = figure.panels[k];
        const int rows = map.fullRows > 0 ? map.fullRows : map.rows;
        const int cols = map.fullCols > 0 ? map.fullCols : map.cols;
        if (f.tileRows != (rows + f.block - 1) / f.block || f.tileCols != (cols + f.block - 1) / f.block)
            continue;
        const PanelLayout& panel = layout.panels[k];
        if (map.source && panel.cell * f.block < kMinTileSide)
            continue;
        const auto rectOf = [&](int r, int c) {
            const QRectF first = panel.cellRect(r * f.block - map.firstRow, c * f.block - map.firstCol);
            const QRectF last = panel.cellRect(std::min(rows, (r + 1) * f.block) - 1 - map.firstRow,
                                               std::min(cols, (c + 1) * f.block) - 1 - map.firstCol);
            return first.united(last);
        };
        const IndexRange tileRows{map.firstRow / f.block, (map.firstRow + map.rows + f.block - 1) / f.block};
        const IndexRange tileCols{map.firstCol / f.block, (map.firstCol + map.cols + f.block - 1) / f.block};
        const bool region = map.fullRows > 0 || map.fullCols > 0;
        if (!region) {
            paintTiles(p, figure.blocks.classes, f.tileCols, tileRows, tileCols, rectOf, pal.background);
            continue;
        }
        p.save();
        p.setClipRect(panel.matrix.adjusted(-1, -1, 1, 1)); // tiles at a region's edges reach beyond it
        paintTiles(p, figure.blocks.classes, f.tileCols, tileRows, tileCols, rectOf, pal.background);
        p.restore();
    }
}

void paintLegend(QPainter& p, const FigureLayout& layout, const Palette& pal, const Metrics& m)
{
    for (const auto& e : layout.legend) {
        paintSwatch(p, e, pal, m);
        drawText(p, e.label, Qt::AlignLeft | Qt::AlignVCenter, e.text, layout.fonts.legend, pal.text);
    }
}

void paintHeading(QPainter& p, const FigureLayout& layout, const Figure& figure, const Palette& pal)
{
    if (!layout.title.isNull())
        drawText(p, layout.title, Qt::AlignHCenter | Qt::AlignVCenter,
                 elided(figure.title, layout.fonts.title, layout.title.width()), layout.fonts.title, pal.text);
    const double lh = lineHeight(layout.fonts.subtitle);
    for (qsizetype k = 0; k < layout.subtitleLines.size(); ++k) {
        const QRectF r(layout.subtitle.left(), layout.subtitle.top() + k * lh, layout.subtitle.width(), lh);
        drawText(p, r, Qt::AlignHCenter | Qt::AlignVCenter,
                 elided(layout.subtitleLines[k], layout.fonts.subtitle, r.width()), layout.fonts.subtitle,
                 pal.mutedText);
    }
}

} // namespace maskscope::ui::detail
