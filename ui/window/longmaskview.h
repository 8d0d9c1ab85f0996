// SPDX-License-Identifier: MIT
#pragma once
// The mask alone at long context (L = 131072 and beyond): drawn at screen resolution by counting
// the allowed cells under each pixel from the rules (core rasterizeAllowed), never materialising
// Lq x Lk. Zoom (wheel, + and -, 0 to fit) and pan (drag, arrows) down to single cells; the
// B x B tiles of block-sparse kernels over it when zoomed in far enough, and their exact figures
// always. A click (without dragging) on a cell drawn at least kMinPaintPixels wide toggles it,
// as on the heatmap. Rasters are made on a worker thread; the newest request wins.

#include "figure/blockoverlay.h"
#include "document/tracejob.h"

#include <QImage>
#include <QWidget>

#include <memory>
#include <optional>

namespace maskscope::ui {

class MaskDocument;

/// One raster of a viewport: the image of cells rows x cols, and the tiles over it.
struct LongRaster {
    quint64 generation = 0;
    IndexRange rows;
    IndexRange cols;
    QImage image;                    ///< one pixel per raster pixel, rows x cols scaled to its size
    int block = 0;
    IndexRange tileRows;             ///< tiles classified (empty range: too small to draw)
    IndexRange tileCols;
    std::vector<TileClass> tiles;    ///< tileRows x tileCols, row-major
};

/// Rasterises rows x cols of batch item b to `pixels` (allowed teal, blocked grey, mixed cells
/// blended by their allowed fraction) and, when `tiles`, classifies the tiles of `block` that
/// the viewport touches. O(rows + pixels + tiles touched); never O(Lq * Lk).
LongRaster rasterizeLongMask(const MaskSpec& mask, int b, IndexRange rows, IndexRange cols, QSize pixels,
                             int block, bool tiles, const QColor& blocked);

class LongMaskView : public QWidget {
    Q_OBJECT
public:
    explicit LongMaskView(MaskDocument* document, QWidget* parent = nullptr);

    void setBlockOverlay(bool on);
    /// The figures' theme (View → Dark figures).
    void setTheme(Theme theme);
    /// Off: clicks never toggle cells.
    void setPaintsCells(bool on) { paintsCells_ = on; }
    bool blockOverlay() const { return overlay_; }

    /// Zoom by `factor` (> 1 zooms in) keeping the cell under `anchor` (widget pixels) in place.
    void zoomBy(double factor, QPointF anchor);
    void zoomBy(double factor) { zoomBy(factor, matrixRect().center()); }
    void fitAll();
    /// Moves the view by `pixels` (the content follows the mouse).
    void panBy(QPointF pixels);
    /// Shows rows and keys from (row, col) at `pixelsPerCell`.
    void showCells(double row, double col, double pixelsPerCell);

    double pixelsPerCell() const { return 1.0 / cellsPerPixel_; }
    IndexRange visibleRows() const;
    IndexRange visibleCols() const;
    /// The cell under a widget position (row, key), if inside the matrix.
    std::optional<std::pair<int, int>> cellAt(QPointF position) const;
    /// Where the matrix is drawn.
    QRectF matrixRect() const;

    /// Exact block-sparsity figures of the shown mask and block size (none before the first).
    const std::optional<BlockSparsity>& blockFigures() const { return blockFigures_; }
    /// The raster on screen, and the generation of the newest viewport asked for.
    const LongRaster& raster() const { return raster_; }
    quint64 requestedGeneration() const { return generation_; }
    /// The text under the matrix (hover read-out and block figures) and the note above it.
    QString infoText() const;
    QString noteText() const;
    /// The figure of the cells on screen (visibleRows x visibleCols), drawn from the rules as
    /// `maskscope export --view mask --region` draws it: what Export figure and Copy figure
    /// write. Nothing before a mask is shown.
    std::optional<Figure> regionFigure() const;
    /// Rasterises the current viewport on this thread (tests, benchmarks).
    void renderNow();

    /// Tiles are drawn when they are at least this many pixels wide.
    static constexpr double kMinTilePixels = 6.0;
    /// Cells drawn smaller than this are not toggled by a click (too easy to miss).
    static constexpr double kMinPaintPixels = 4.0;
    /// Zooming in stops when a cell is this many pixels wide.
    static constexpr double kMaxPixelsPerCell = 48.0;

signals:
    /// A paint event showed the raster of `generation`.
    void framePainted(quint64 generation);

protected:
    void changeEvent(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    struct Request {
        std::shared_ptr<const Scenario> scenario;
        int item = 0;
        IndexRange rows;
        IndexRange cols;
        QSize pixels;
        int block = 0;
        bool tiles = false;
        quint64 generation = 0;
    };

    void takeResult();
    void clampViewport();
    void requestRaster();
    std::optional<Request> currentRequest() const;
    void startRaster(const Request& request);
    void acceptRaster(LongRaster raster);
    /// Computes the block figures of the shown mask once per mask and block size, on a worker
    /// thread of its own: at B = 16 and L = 131072 they take longer than a repaint may.
    void requestFigures(bool wait);
    QRectF cellsRect(IndexRange rows, IndexRange cols) const;
    void paintTileOverlay(QPainter& p) const;
    void paintAxes(QPainter& p) const;
    void updateHover(QPointF position);
    void toggleCellAt(QPointF position);
    int rows() const;
    int cols() const;

    MaskDocument* document_;
    TraceResultPtr shown_;
    double top_ = 0.0;             // row at the top edge of the matrix rect
    double left_ = 0.0;            // key at its left edge
    double cellsPerPixel_ = 1.0;
    bool fitted_ = true;           // the whole matrix is shown (kept so on resize)
    bool overlay_ = false;
    Theme theme_ = Theme::Light;
    LongRaster raster_;
    quint64 generation_ = 0;
    bool rasterRunning_ = false;
    std::optional<BlockSparsity> blockFigures_;
    std::pair<quint64, int> figuresKey_{0, 0}; // result id and block size of the figures asked for
    std::optional<QPointF> dragFrom_;
    std::optional<QPointF> pressedAt_;   // where the left button went down (click vs drag)
    bool paintsCells_ = true;
    QString hoverText_;
};

} // namespace maskscope::ui
