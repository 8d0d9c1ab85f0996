// SPDX-License-Identifier: MIT
#pragma once
// Internals shared by the figure layout (figurelayout.cpp) and painting (figurerenderer.cpp).

#include "figure/figurerenderer.h"

#include <QFontMetricsF>

#include <vector>

namespace maskscope::ui::detail {

/// Sizes derived from the style's base font, in logical pixels, so a larger font scales the
/// whole figure's spacing with it.
struct Metrics {
    double base = 12.0;         ///< label font size
    double margin = 12.0;
    double gap = 6.0;
    double panelGapX = 18.0;
    double panelGapY = 12.0;
    double bandWidth = 4.0;     ///< padding band thickness
    double bandGap = 2.0;       ///< between band and matrix
    double markerWidth = 7.0;   ///< "row with no allowed key" triangles
    double barThickness = 13.0; ///< colour-bar thickness
    double tickLength = 4.0;
    double hatchSpacing = 5.0;
    double hatchWidth = 0.9;
    double minNumberCell = 14.0;
};

Metrics metricsFor(const FigureStyle& style);
FigureFonts fontsFor(const Metrics& m);
QFont makeFont(double pixelSize, QFont::Weight weight = QFont::Normal, bool italic = false);

inline double lineHeight(const QFont& font) { return QFontMetricsF(font).height(); }
inline double textWidth(const QFont& font, const QString& text)
{
    return QFontMetricsF(font).horizontalAdvance(text);
}

/// Panels of the figure as a grid.
struct GridShape {
    int columns = 1;
    int rows = 1;
    int cellRows = 1;   ///< largest matrix rows over panels
    int cellCols = 1;
};
/// columns = 0: the figure's own choice.
GridShape gridShapeOf(const Figure& figure, int columns = 0);

/// True if every panel uses the same colour scale and range (one shared colour bar).
bool sharesOneScale(const Figure& figure);
/// True if the figure gets one vertical colour bar on the right.
bool hasSharedColorBar(const Figure& figure, const FigureStyle& style);
/// True if each non-mask panel gets its own horizontal colour bar below it.
bool hasPanelColorBars(const Figure& figure, const FigureStyle& style);

/// Nice tick values within [lo, hi], at most maxCount of them (0 included when in range).
std::vector<double> niceTicks(double lo, double hi, int maxCount);
/// Decimals that tell ticks `step` apart.
int tickDecimals(double lo, double hi, int maxCount);

/// Decimals written inside cells of this kind of panel.
int cellDecimals(ViewKind view);
/// Text written inside a cell.
QString cellText(const Heatmap& map, size_t index);

/// Which kinds of off-scale cells `map` has (its reducedKinds, or one pass over its cells).
CellKinds cellKindsOf(const Heatmap& map);

/// The legend entries the figure needs (only kinds of cells it really has).
std::vector<LegendEntry> legendEntriesOf(const Figure& figure, const FigureStyle& style);

/// Subtitle parts ("a · b · c") broken greedily into lines of at most `width`.
QStringList wrapSubtitle(const QString& subtitle, const QFont& font, double width);

bool anyRowPad(const Figure& figure);
bool anyColPad(const Figure& figure);
bool anyFullyBlocked(const Figure& figure);

} // namespace maskscope::ui::detail
