// SPDX-License-Identifier: MIT
#pragma once
// What a figure shows, as plain data: panels of heatmaps with labels and scales. Built from a
// core trace by figurebuilder.h, painted by FigureRenderer (figurerenderer.h) onto any QPainter,
// so the window and every export draw the very same figure.

#include "figure/blockoverlay.h"
#include "figure/cellstate.h"

#include <QImage>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

class QSize;

namespace maskscope::ui {

/// Which matrix a panel shows.
enum class ViewKind { Mask, Logits, MaskedLogits, Weights, Pipeline };

/// Head selection: a head index >= 0, or one of these.
inline constexpr int kAllHeads = -1;  ///< every head as a grid of small multiples
inline constexpr int kMeanHead = -2;  ///< the mean of the weights over heads

/// Which kinds of off-scale cells a matrix has: the legend lists only those present.
struct CellKinds {
    bool blocked = false;            ///< Blocked or NegInf cells
    bool nan = false;
    bool maskAddsNonZero = false;    ///< a mask panel adds something other than 0 at an allowed cell
};

/// Colour scales.
enum class ColorScale {
    Mask,        ///< allowed vs blocked (two colours), additive values written in the legend
    Sequential,  ///< weights: viridis-like on a fixed [0, 1]
    Diverging,   ///< logits: blue-white-red centred at 0, symmetric range [-m, m]
};

/// Draws a panel's cells at any resolution without holding them: the mask of a sequence too long
/// for an (Lq, Lk) matrix, straight from its rules (rulesfigure.h). Immutable; shared by copies.
class CellSource {
public:
    virtual ~CellSource() = default;
    /// The panel's cells reduced to `pixels` (a side with fewer cells keeps one pixel per cell),
    /// theme-free as makeCellImage makes them (colormap.h), reduced by the rules of
    /// displaycells.h: a pixel is blocked only when every cell under it is. Thread-safe.
    virtual QImage cellImage(QSize pixels) const = 0;
};

/// One heatmap panel: a (rows, cols) matrix, row = query, column = key.
struct Heatmap {
    QString title;                ///< e.g. "head 2 — weights"
    int rows = 0;
    int cols = 0;
    std::vector<double> values;   ///< row-major, rows*cols (value of state Value cells)
    std::vector<CellState> states; ///< row-major, rows*cols
    ColorScale scale = ColorScale::Sequential;
    double lo = 0.0;              ///< colour range (for Sequential 0..1, for Diverging -m..m)
    double hi = 1.0;
    QStringList rowLabels;        ///< query tokens (rows entries)
    QStringList colLabels;        ///< key tokens (cols entries)
    std::vector<bool> rowPad;     ///< padded query rows (marked, not blocked)
    std::vector<bool> colPad;     ///< padded key columns
    std::vector<bool> rowFullyBlocked; ///< rows with no allowed key

    // Added by the figure builder; optional for hand-made heatmaps.
    ViewKind view = ViewKind::Weights; ///< which matrix this panel shows (never Pipeline)
    int head = 0;                 ///< the head shown, or kMeanHead (mask panels: 0)
    QString valueName;            ///< what a cell holds, e.g. "weight"; colour-bar title
    /// One pixel per cell through the colour lookup (colormap.h makeCellImage), built with the
    /// figure off the GUI thread so views paint large matrices from it; null = built on demand.
    /// For a reduced panel (below): one pixel per screen pixel of the panel instead.
    QImage cellImage;
    /// The "fixed" half of a before/after figure of the pitfall lab (pitfallfigure.h): computed
    /// from the scenario without its mistakes.
    bool fixedSide = false;
    /// Set only for a panel reduced to display resolution (the window's figure of a matrix with
    /// more cells than the screen has pixels for it, see displaycells.h): `values` and `states`
    /// are then empty, `cellImage` holds the matrix reduced to the panel's pixels, and this says
    /// which kinds of cells the whole matrix has. Exact values are read from the trace.
    std::optional<CellKinds> reducedKinds;
    /// Set only for a reduced panel drawn from rules (rulesfigure.h): the renderer asks it for
    /// the cells at the resolution of each output instead of scaling `cellImage`.
    std::shared_ptr<const CellSource> source;
    /// Token positions of the panel's first row and column: a region of a larger matrix
    /// (`export --region`, the long-context view's export) does not start at 0. Position labels
    /// and the block overlay count from here.
    int firstRow = 0;
    int firstCol = 0;
    /// Rows and columns of the whole matrix a region belongs to; 0 = the panel is the whole matrix.
    int fullRows = 0;
    int fullCols = 0;

    bool isReduced() const { return reducedKinds.has_value(); }
};

/// A figure: a title and panels laid out in a grid.
struct Figure {
    QString title;
    QString subtitle;             ///< e.g. "self-attention · L = 8 · causal · fill −∞"
    QString fillText;             ///< what the mask adds at blocked cells, e.g. "−∞" (legend)
    std::vector<Heatmap> panels;
    int columns = 1;              ///< panels per row of the grid
    /// The layout may use another number of columns when that gives larger cells in the space
    /// at hand (grids of heads); `columns` is then the choice for the preferred size.
    bool flexibleColumns = false;
    /// Panels come in runs of this many that read together on one row (the four steps of a
    /// pipeline, a before/after pair): a re-arranged grid uses only multiples of it as columns.
    int columnGroup = 1;
    /// B x B tiles of the (Lq, Lk) panels, painted when FigureStyle::blockOverlay is on.
    BlockOverlay blocks;
};

/// True if some panel of `figure` is reduced to display resolution (Heatmap::isReduced) without
/// a source to draw it again at another (Heatmap::source): the window's figures of large
/// matrices. Such a figure is for the screen only; figures drawn from rules are not.
inline bool hasReducedPanels(const Figure& figure)
{
    for (const Heatmap& p : figure.panels)
        if (p.isReduced() && !p.source)
            return true;
    return false;
}

enum class Theme { Light, Dark };

/// Values are written inside cells only for matrices up to this many rows and columns: beyond,
/// they no longer fit legibly. The window, the exports and the help texts all use this one.
inline constexpr int kNumbersMaxSide = 16;

/// Presentation options shared by the window and the exports.
struct FigureStyle {
    Theme theme = Theme::Light;
    bool colorBar = true;
    bool legend = true;           ///< blocked / NaN / padding legend
    bool numbers = false;         ///< write values inside cells (only up to kNumbersMaxSide)
    bool axisTitles = true;       ///< "query" / "key"
    bool tokenLabels = true;
    double fontPointSize = 9.0;
    /// Matrices up to this many cells per side are painted cell by cell as vector shapes
    /// (crisp in SVG/PDF); larger ones as one image through a colormap lookup.
    int vectorCellLimit = 128;
    /// Mark the Figure::blocks tiles (full / partial / empty) over every (Lq, Lk) panel.
    bool blockOverlay = false;
};

} // namespace maskscope::ui
