// SPDX-License-Identifier: MIT
#pragma once
// Internals of the figure renderer shared by its files: drawing primitives
// (figurepainting.cpp) and the parts around the panels (figurelegend.cpp).

#include "figure/colormap.h"
#include "figure/figurerenderer_p.h"

#include <QColor>
#include <QFont>
#include <QLineF>
#include <QPainterPath>
#include <QRectF>
#include <QString>

#include <vector>

class QPainter;

namespace maskscope::ui::detail {

// --- Primitives ---------------------------------------------------------------------------------

/// True when `painter` draws vectors (SVG, PDF), where shapes must not be snapped to pixels.
bool isVectorDevice(QPainter& painter);

/// True if nothing drawn inside `r` (in the painter's coordinates) could reach the image the
/// painter paints on: an export paints its figure a band of rows at a time, and text outside the
/// band is not worth shaping. False for other devices.
bool outsideImage(const QPainter& painter, const QRectF& r);
QPainterPath rectPath(const QRectF& r);
void fillArea(QPainter& painter, const QRectF& r, const QColor& color);
void strokeFrame(QPainter& painter, const QRectF& r, const QColor& color, double width);
/// Adds to `lines` the diagonal hatching of `r`, aligned to the figure so neighbours join up.
void appendHatch(std::vector<QLineF>& lines, const QRectF& r, double spacing);
void drawHatch(QPainter& painter, const std::vector<QLineF>& lines, const QColor& color, double width);
void drawText(QPainter& painter, const QRectF& r, int flags, const QString& text, const QFont& font,
              const QColor& color);
/// Text written upwards (rotated a quarter turn anticlockwise) inside `r`.
void drawUpwardText(QPainter& painter, const QRectF& r, int flags, const QString& text, const QFont& font,
                    const QColor& color);
QString elided(const QString& text, const QFont& font, double width);
/// A title centred at the top of `r` (with the bar of a "√" drawn over what it covers).
void drawTitle(QPainter& painter, const QRectF& r, const QString& text, const QFont& font, const QColor& color);

// --- Around the panels --------------------------------------------------------------------------

const Colormap& colormapOf(const Heatmap& map);
/// The shared colour bar right of the panels.
void paintVerticalBar(QPainter& p, const FigureLayout& layout, const Heatmap& map, const Palette& pal,
                      const Metrics& m);
/// A panel's own colour bar below it.
void paintHorizontalBar(QPainter& p, const FigureLayout& layout, const PanelLayout& panel, const Heatmap& map,
                        const Palette& pal, const Metrics& m);
/// The block-sparsity tiles over every panel of the overlay's (Lq, Lk) shape.
void paintBlockOverlay(QPainter& p, const FigureLayout& layout, const Figure& figure, const Palette& pal);
void paintLegend(QPainter& p, const FigureLayout& layout, const Palette& pal, const Metrics& m);
/// Title and subtitle.
void paintHeading(QPainter& p, const FigureLayout& layout, const Figure& figure, const Palette& pal);

} // namespace maskscope::ui::detail
