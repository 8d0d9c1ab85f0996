// SPDX-License-Identifier: MIT
#pragma once
// Paints a Figure onto any QPainter (widget, QImage, SVG, PDF), so the window and every export
// draw the same figure. Geometry is in logical pixels (1/96 inch); fonts are sized in pixels of
// that space, so a figure looks the same on every device once the painter is scaled to it.

#include "figure/figure.h"

#include <QFont>
#include <QPointF>
#include <QRect>
#include <QRectF>
#include <QTransform>
#include <QSizeF>

#include <memory>
#include <optional>
#include <vector>

class QPainter;

namespace maskscope::ui {

/// How one axis' token labels are written.
struct LabelPlan {
    int stride = 0;         ///< every stride-th label is written; 0 = no labels
    bool indices = false;   ///< positions (0, 8, 16, ...) instead of token text, when thinned
    bool rotated = false;   ///< column labels written vertically
    double extent = 0.0;    ///< width (row labels) or height (column labels) they take
};

/// Where the parts of one panel go. All rects are relative to the top-left of the target.
struct PanelLayout {
    QRectF matrix;          ///< the cells; cell (i, j) is cellRect(i, j)
    double cell = 0.0;      ///< side of one square cell
    QRectF title;           ///< panel title (empty rect if none)
    QRectF rowLabels;       ///< query labels, right-aligned against the matrix
    QRectF colLabels;       ///< key labels, above the matrix
    QRectF rowAxisTitle;    ///< "query", written upwards
    QRectF colAxisTitle;    ///< "key"
    QRectF colorBar;        ///< this panel's own horizontal colour bar (mixed scales), or empty
    LabelPlan rowPlan;
    LabelPlan colPlan;
    bool numbers = false;   ///< values written inside the cells
    double numberPixelSize = 0.0;

    QRectF cellRect(int row, int col) const;
};

/// One entry of the legend of off-scale cells.
struct LegendEntry {
    enum class Kind { Allowed, Blocked, NaN, Padding, NoAllowedKey, FullTile, PartialTile, EmptyTile };
    Kind kind = Kind::Blocked;
    QString text;
    QRectF swatch;
    QRectF label;
};

/// Fonts of one layout (pixel-sized, in the logical space).
struct FigureFonts {
    QFont title, subtitle, panelTitle, axisTitle, label, tick, legend;
};

/// The whole figure's geometry for one target size. Cheap enough to recompute on every resize.
struct FigureLayout {
    QSizeF size;
    QRectF title;
    QStringList subtitleLines;
    QRectF subtitle;
    std::vector<PanelLayout> panels;   ///< one per Figure::panels entry
    QRectF colorBar;                   ///< the shared vertical colour bar, or empty
    QRectF colorBarTitle;              ///< its rotated title ("weight")
    std::vector<LegendEntry> legend;
    FigureFonts fonts;
};

/// A cell under a point.
struct CellHit {
    int panel = 0;
    int row = 0;
    int col = 0;
};

/// What a paint call drew, for tests: cells drawn one shape each, panels drawn as one image.
struct RenderStats {
    int vectorCells = 0;
    int imagePanels = 0;
};

class FigureRenderer {
public:
    /// Paints `figure` into `target` (in the painter's current coordinates, logical pixels).
    static RenderStats paint(QPainter& painter, const QRectF& target, const Figure& figure,
                             const FigureStyle& style);
    /// Paints with a layout computed before (e.g. kept by a widget for hit-testing), at `origin`.
    static RenderStats paint(QPainter& painter, const QPointF& origin, const FigureLayout& layout,
                             const Figure& figure, const FigureStyle& style);

    /// The geometry of `figure` fitted into `size`: square cells as large as fit.
    static FigureLayout layout(const Figure& figure, const QSizeF& size, const FigureStyle& style);

    /// Panels per row that make the cells of `figure` largest in `size` (the figure's own
    /// Figure::columns unless another is clearly better), only multiples of Figure::columnGroup:
    /// four pipeline steps side by side in a wide window, 2 x 2 in a square one. The window
    /// re-arranges every figure so; layout() does it only for flexible figures whose space is
    /// far from their preferred shape, so exports at the preferred size keep the builder's choice.
    static int fittedColumns(const Figure& figure, const QSizeF& size, const FigureStyle& style);

    /// The panel, row and column under `point` (layout coordinates), if any.
    static std::optional<CellHit> cellAt(const FigureLayout& layout, const Figure& figure,
                                         QPointF point);

    /// A comfortable size for slides: about 34 px cells for small matrices, larger matrices
    /// fitted into about 520 px (one panel) or 300 px (grids); room for numbers when shown.
    static QSizeF preferredSize(const Figure& figure, const FigureStyle& style);

    /// True if the values of `map` are written inside its cells under `style` (up to
    /// kNumbersMaxSide cells per side, figure.h).
    static bool numbersAllowed(const Heatmap& map, const FigureStyle& style);

    /// True if `map` is painted as one image on this painter (vs one vector shape per cell):
    /// always for a reduced panel (Heatmap::isReduced);
    /// more than style.vectorCellLimit cells per side, or on a raster device more cells than
    /// kRasterVectorCells.
    static bool paintsAsImage(const Heatmap& map, const FigureStyle& style, bool vectorDevice);

    /// On screens and PNGs, matrices with more cells than this are drawn from an image.
    static constexpr int kRasterVectorCells = 4096;
    /// Work on fewer cells (or pixels) than this stays on one core: waking a second thread
    /// costs more than it saves on a busy machine (a grid of 8 heads at L = 128 is 131 072).
    static constexpr long long kParallelCells = 1'000'000;
};

/// While one lives, the figure renderer makes the cells of each image panel (from its source or
/// reduced to the device's pixels) once per size on this thread, instead of at every paint: for a
/// figure painted over and over at one size, as a PNG export paints one band of rows at a time.
/// The figures painted must outlive it. Not copyable; scopes nest.
class RepeatedPaintScope {
public:
    RepeatedPaintScope();
    ~RepeatedPaintScope();
    RepeatedPaintScope(const RepeatedPaintScope&) = delete;
    RepeatedPaintScope& operator=(const RepeatedPaintScope&) = delete;

    struct Cells; ///< the cells made so far

private:
    std::unique_ptr<Cells> cells_;
    Cells* outer_ = nullptr;
};

/// The device pixels `rect` (logical coordinates) covers under `deviceTransform`, rounded as the
/// renderer rounds them: a panel's matrix painted as an image takes exactly these pixels.
QRect devicePixelRect(const QRectF& rect, const QTransform& deviceTransform);

/// The font families figures use, in order: CJK-capable first (Debian: fonts-noto-cjk).
QStringList figureFontFamilies();

/// Loads the fonts a figure in `style` uses and shapes a sample of Latin text and digits with
/// each, so that laying out and painting a figure next finds them ready. For the idle time of a
/// thread that waits for a figure's numbers; needs a QGuiApplication. Changes no figure.
void prepareFigureFonts(const FigureStyle& style);

} // namespace maskscope::ui
