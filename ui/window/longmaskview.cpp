// SPDX-License-Identifier: MIT
#include "window/longmaskview.h"

#include "figure/colormap.h"
#include "figure/rulesfigure.h"
#include "document/maskdocument.h"
#include "document/whenready.h"

#include <QEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>

namespace maskscope::ui {

namespace {

constexpr double kMarginLeft = 64.0;
constexpr double kMarginRight = 14.0;
constexpr double kMarginTop = 64.0;
constexpr double kMarginBottom = 52.0;
constexpr double kWheelStep = 1.25; // zoom per wheel notch or key press
constexpr int kMaxRasterSide = 8192;

int tilesUpTo(int cells, int block)
{
    return (cells + block - 1) / block;
}

} // namespace

LongRaster rasterizeLongMask(const MaskSpec& mask, int b, IndexRange rows, IndexRange cols, QSize pixels,
                             int block, bool tiles, const QColor& blocked)
{
    LongRaster out;
    out.rows = rows;
    out.cols = cols;
    out.block = block;
    // The pixels of the exported figures (rulesfigure.h), over this view's flat blocked grey.
    const QImage coverage = maskCoverageImage(rasterizeAllowed(mask, b, rows, cols, pixels.width(), pixels.height()));
    out.image = QImage(pixels, QImage::Format_RGB32);
    const QRgb closed = blocked.rgb();
    for (int y = 0; y < pixels.height(); ++y) {
        const auto* in = reinterpret_cast<const QRgb*>(coverage.constScanLine(y));
        auto* line = reinterpret_cast<QRgb*>(out.image.scanLine(y));
        for (int x = 0; x < pixels.width(); ++x)
            line[x] = overBlockedFill(in[x], closed);
    }
    if (tiles) {
        out.tileRows = {rows.begin / block, tilesUpTo(rows.end, block)};
        out.tileCols = {cols.begin / block, tilesUpTo(cols.end, block)};
        out.tiles = classifyTiles(mask, b, block, out.tileRows, out.tileCols);
    }
    return out;
}

LongMaskView::LongMaskView(MaskDocument* document, QWidget* parent)
    : QWidget(parent), document_(document)
{
    setObjectName(QStringLiteral("longMaskView"));
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    connect(document_, &MaskDocument::resultChanged, this, &LongMaskView::takeResult);
    takeResult();
}

int LongMaskView::rows() const
{
    return shown_ ? shown_->scenario->mask.queryLen : 1;
}

int LongMaskView::cols() const
{
    return shown_ ? shown_->scenario->mask.keyLen : 1;
}

void LongMaskView::takeResult()
{
    const TraceResultPtr r = document_->result();
    if (!r || !r->longContext || r == shown_)
        return;
    const bool sameShape = shown_ && shown_->scenario->mask.queryLen == r->scenario->mask.queryLen &&
                           shown_->scenario->mask.keyLen == r->scenario->mask.keyLen;
    shown_ = r;
    requestFigures(false);
    if (!sameShape || fitted_)
        fitAll();
    else
        requestRaster();
}

QRectF LongMaskView::matrixRect() const
{
    return QRectF(kMarginLeft, kMarginTop, std::max(1.0, width() - kMarginLeft - kMarginRight),
                  std::max(1.0, height() - kMarginTop - kMarginBottom));
}

void LongMaskView::setBlockOverlay(bool on)
{
    overlay_ = on;
    requestRaster();
}

void LongMaskView::setTheme(Theme theme)
{
    theme_ = theme;
    requestRaster(); // blocked cells are baked into the raster
}

void LongMaskView::fitAll()
{
    const QRectF m = matrixRect();
    cellsPerPixel_ = std::max(rows() / m.height(), cols() / m.width());
    top_ = 0.0;
    left_ = 0.0;
    fitted_ = true;
    requestRaster();
}

void LongMaskView::showCells(double row, double col, double pixelsPerCell)
{
    fitted_ = false;
    cellsPerPixel_ = 1.0 / pixelsPerCell;
    top_ = row;
    left_ = col;
    clampViewport();
    requestRaster();
}

void LongMaskView::zoomBy(double factor, QPointF anchor)
{
    fitted_ = false;
    const QRectF m = matrixRect();
    const double row = top_ + (anchor.y() - m.top()) * cellsPerPixel_;
    const double col = left_ + (anchor.x() - m.left()) * cellsPerPixel_;
    const double fit = std::max(rows() / m.height(), cols() / m.width());
    cellsPerPixel_ = std::clamp(cellsPerPixel_ / factor, 1.0 / kMaxPixelsPerCell, std::max(fit, 1.0 / kMaxPixelsPerCell));
    top_ = row - (anchor.y() - m.top()) * cellsPerPixel_;
    left_ = col - (anchor.x() - m.left()) * cellsPerPixel_;
    clampViewport();
    requestRaster();
}

void LongMaskView::panBy(QPointF pixels)
{
    fitted_ = false;
    top_ -= pixels.y() * cellsPerPixel_;
    left_ -= pixels.x() * cellsPerPixel_;
    clampViewport();
    requestRaster();
}

// The matrix stays on screen: no scrolling past its edges (a matrix smaller than the view sits
// at the top left).
void LongMaskView::clampViewport()
{
    const QRectF m = matrixRect();
    top_ = std::clamp(top_, 0.0, std::max(0.0, rows() - m.height() * cellsPerPixel_));
    left_ = std::clamp(left_, 0.0, std::max(0.0, cols() - m.width() * cellsPerPixel_));
}

IndexRange LongMaskView::visibleRows() const
{
    const int first = std::clamp(static_cast<int>(std::floor(top_)), 0, rows() - 1);
    const double last = top_ + matrixRect().height() * cellsPerPixel_;
    return {first, std::clamp(static_cast<int>(std::ceil(last)), first + 1, rows())};
}

IndexRange LongMaskView::visibleCols() const
{
    const int first = std::clamp(static_cast<int>(std::floor(left_)), 0, cols() - 1);
    const double last = left_ + matrixRect().width() * cellsPerPixel_;
    return {first, std::clamp(static_cast<int>(std::ceil(last)), first + 1, cols())};
}

QRectF LongMaskView::cellsRect(IndexRange r, IndexRange c) const
{
    const QRectF m = matrixRect();
    return QRectF(m.left() + (c.begin - left_) / cellsPerPixel_, m.top() + (r.begin - top_) / cellsPerPixel_,
                  c.size() / cellsPerPixel_, r.size() / cellsPerPixel_);
}

std::optional<std::pair<int, int>> LongMaskView::cellAt(QPointF position) const
{
    const QRectF m = matrixRect();
    if (!shown_ || !m.contains(position))
        return std::nullopt;
    const int row = static_cast<int>(std::floor(top_ + (position.y() - m.top()) * cellsPerPixel_));
    const int col = static_cast<int>(std::floor(left_ + (position.x() - m.left()) * cellsPerPixel_));
    if (row < 0 || row >= rows() || col < 0 || col >= cols())
        return std::nullopt;
    return std::pair{row, col};
}

std::optional<LongMaskView::Request> LongMaskView::currentRequest() const
{
    if (!shown_)
        return std::nullopt;
    Request q;
    q.scenario = shown_->scenario;
    q.item = shown_->view.batchItem;
    q.rows = visibleRows();
    q.cols = visibleCols();
    const QRectF area = cellsRect(q.rows, q.cols);
    q.pixels = QSize(std::clamp(static_cast<int>(std::lround(area.width())), 1, kMaxRasterSide),
                     std::clamp(static_cast<int>(std::lround(area.height())), 1, kMaxRasterSide));
    q.block = shown_->scenario->config.blockSize;
    q.tiles = overlay_ && q.block / cellsPerPixel_ >= kMinTilePixels;
    q.generation = generation_;
    return q;
}

void LongMaskView::requestRaster()
{
    ++generation_;
    update(); // the old raster is drawn at the new viewport at once
    if (const auto q = currentRequest(); q && !rasterRunning_)
        startRaster(*q);
}

namespace {

LongRaster runRequest(const std::shared_ptr<const Scenario>& scenario, int item, IndexRange rows, IndexRange cols,
                      QSize pixels, int block, bool tiles, const QColor& blocked)
{
    return rasterizeLongMask(scenario->mask, item, rows, cols, pixels, block, tiles, blocked);
}

} // namespace

void LongMaskView::startRaster(const Request& q)
{
    rasterRunning_ = true;
    const QColor blocked = paletteFor(theme_).blockedFill;
    whenReady(this, QtConcurrent::run([q, blocked] {
        return runRequest(q.scenario, q.item, q.rows, q.cols, q.pixels, q.block, q.tiles, blocked);
    }), [this, q](LongRaster raster) {
        rasterRunning_ = false;
        raster.generation = q.generation;
        acceptRaster(std::move(raster));
        if (raster_.generation != generation_)
            if (const auto next = currentRequest())
                startRaster(*next);
    });
}

void LongMaskView::renderNow()
{
    const auto q = currentRequest();
    if (!q)
        return;
    LongRaster raster = runRequest(q->scenario, q->item, q->rows, q->cols, q->pixels, q->block, q->tiles,
                                   paletteFor(theme_).blockedFill);
    raster.generation = q->generation;
    acceptRaster(std::move(raster));
    requestFigures(true);
}

void LongMaskView::acceptRaster(LongRaster raster)
{
    if (raster.generation < raster_.generation)
        return;
    raster_ = std::move(raster);
    update();
}

void LongMaskView::requestFigures(bool wait)
{
    if (!shown_)
        return;
    const std::pair<quint64, int> key{shown_->jobId, shown_->scenario->config.blockSize};
    if (key == figuresKey_ && (blockFigures_ || !wait))
        return;
    if (key != figuresKey_)
        blockFigures_.reset(); // never show the figures of another mask as this one's
    figuresKey_ = key;
    const auto scenario = shown_->scenario;
    const int item = shown_->view.batchItem;
    if (wait) {
        blockFigures_ = blockSparsity(scenario->mask, item, key.second);
        update();
        return;
    }
    whenReady(this, QtConcurrent::run([scenario, item, block = key.second] { return blockSparsity(scenario->mask, item, block); }), [this, key](const BlockSparsity& figures) {
            if (key != figuresKey_)
                return; // a newer mask or block size asked for its own
            blockFigures_ = figures;
            update();
        });
}

void LongMaskView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const Palette pal = paletteFor(theme_);
    p.fillRect(rect(), pal.background);
    if (!shown_)
        return;
    const QRectF m = matrixRect();
    p.save();
    p.setClipRect(m);
    if (!raster_.image.isNull())
        p.drawImage(cellsRect(raster_.rows, raster_.cols), raster_.image);
    if (overlay_)
        paintTileOverlay(p);
    p.restore();
    p.setPen(QPen(pal.frame, 1));
    p.drawRect(cellsRect({0, rows()}, {0, cols()}).intersected(m));
    paintAxes(p);
    p.setPen(QColor(0xc0, 0x39, 0x2b));
    p.drawText(QRectF(8, 4, width() - 16, kMarginTop - 26), Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
               noteText());
    p.setPen(pal.text);
    p.drawText(QRectF(8, height() - kMarginBottom + 18, width() - 16, kMarginBottom - 18),
               Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, infoText());
    if (raster_.generation == generation_)
        emit framePainted(raster_.generation);
}

void LongMaskView::paintTileOverlay(QPainter& p) const
{
    if (raster_.tiles.empty())
        return;
    const int block = raster_.block;
    const auto rectOf = [&](int r, int c) {
        return cellsRect({r * block, std::min(rows(), (r + 1) * block)}, {c * block, std::min(cols(), (c + 1) * block)});
    };
    // paintTiles indexes from 0: shift the rect function by the classified range.
    const IndexRange tr = raster_.tileRows, tc = raster_.tileCols;
    paintTiles(p, raster_.tiles, tc.size(), {0, tr.size()}, {0, tc.size()},
               [&](int r, int c) { return rectOf(r + tr.begin, c + tc.begin); }, paletteFor(theme_).background);
}

void LongMaskView::paintAxes(QPainter& p) const
{
    const QRectF m = matrixRect();
    const IndexRange r = visibleRows(), c = visibleCols();
    const Palette pal = paletteFor(theme_);
    p.setPen(pal.mutedText);
    const double lh = p.fontMetrics().height();
    p.drawText(QRectF(m.left(), m.top() - lh - 2, m.width() / 2, lh), Qt::AlignLeft, tr("key %1").arg(c.begin));
    p.drawText(QRectF(m.center().x(), m.top() - lh - 2, m.width() / 2, lh), Qt::AlignRight,
               tr("key %1").arg(c.end - 1));
    p.drawText(QRectF(0, m.top(), m.left() - 4, lh), Qt::AlignRight, QString::number(r.begin));
    p.drawText(QRectF(0, m.bottom() - lh, m.left() - 4, lh), Qt::AlignRight, QString::number(r.end - 1));
    p.drawText(QRectF(0, m.center().y() - lh / 2, m.left() - 4, lh), Qt::AlignRight, tr("query"));
}

std::optional<Figure> LongMaskView::regionFigure() const
{
    if (!shown_)
        return std::nullopt;
    return buildRulesMaskFigure(*shown_->scenario, shown_->view.batchItem, {visibleRows(), visibleCols()});
}

QString LongMaskView::noteText() const
{
    return shown_ ? shown_->longContextNote : QString();
}

QString LongMaskView::infoText() const
{
    QStringList lines;
    const double ppc = pixelsPerCell();
    lines << (hoverText_.isEmpty()
                  ? tr("Zoom: %1 px per cell \u00B7 wheel or +/\u2212 to zoom, drag to pan, 0 to fit")
                        .arg(ppc >= 1 ? QString::number(ppc, 'f', 1) : QStringLiteral("1/%1").arg(1.0 / ppc, 0, 'f', 0))
                  : hoverText_);
    if (blockFigures_) {
        QString figures = blockOverlaySummary(*blockFigures_);
        if (overlay_ && raster_.tiles.empty())
            figures = tr("%1 \u00B7 zoom in to see the tiles").arg(figures);
        lines << figures;
    }
    return lines.join(QLatin1Char('\n'));
}

void LongMaskView::updateHover(QPointF position)
{
    const auto cell = cellAt(position);
    if (!cell) {
        hoverText_.clear();
    } else if (cellsPerPixel_ <= 1.0) {
        const bool allowed = allowedAt(shown_->scenario->mask, shown_->view.batchItem, cell->first, cell->second);
        hoverText_ = allowed ? tr("query %1 \u2192 key %2: allowed").arg(cell->first).arg(cell->second)
                             : tr("query %1 \u2192 key %2: blocked").arg(cell->first).arg(cell->second);
    } else {
        // The cells under this pixel, counted exactly.
        const int span = static_cast<int>(std::ceil(cellsPerPixel_));
        const int r1 = std::min(rows(), cell->first + span), c1 = std::min(cols(), cell->second + span);
        const auto count = countAllowedInGrid(shown_->scenario->mask, shown_->view.batchItem,
                                              {cell->first, r1}, {cell->second, c1});
        const double cells = static_cast<double>(r1 - cell->first) * (c1 - cell->second);
        hoverText_ = tr("queries %1\u2013%2 \u00D7 keys %3\u2013%4: %5% allowed")
                         .arg(cell->first).arg(r1 - 1).arg(cell->second).arg(c1 - 1)
                         .arg(100.0 * static_cast<double>(count.front()) / cells, 0, 'f', 1);
    }
    update();
}

void LongMaskView::changeEvent(QEvent* event)
{
    // Everything else is painted in the language of the moment; the hover line is said again
    // at the next move of the mouse.
    if (event->type() == QEvent::LanguageChange)
        hoverText_.clear();
    QWidget::changeEvent(event);
}

void LongMaskView::resizeEvent(QResizeEvent*)
{
    if (fitted_) {
        fitAll(); // the whole matrix stays in view as the window changes size
    } else {
        clampViewport();
        requestRaster();
    }
}

void LongMaskView::wheelEvent(QWheelEvent* event)
{
    const double notches = event->angleDelta().y() / 120.0;
    if (notches != 0.0)
        zoomBy(std::pow(kWheelStep, notches), event->position());
    event->accept();
}

void LongMaskView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton) {
        dragFrom_ = event->position();
        pressedAt_ = event->position();
        setCursor(Qt::ClosedHandCursor);
    }
}

void LongMaskView::mouseMoveEvent(QMouseEvent* event)
{
    if (dragFrom_ && (event->buttons() & Qt::LeftButton)) {
        panBy(event->position() - *dragFrom_);
        dragFrom_ = event->position();
    }
    updateHover(event->position());
}

void LongMaskView::mouseReleaseEvent(QMouseEvent* event)
{
    const QPointF moved = pressedAt_ ? event->position() - *pressedAt_ : QPointF(1e9, 0);
    if (event->button() == Qt::LeftButton && moved.manhattanLength() < 4.0)
        toggleCellAt(event->position()); // a click, not a drag
    dragFrom_.reset();
    pressedAt_.reset();
    unsetCursor();
}

void LongMaskView::toggleCellAt(QPointF position)
{
    const auto cell = cellAt(position);
    if (!paintsCells_ || !cell || pixelsPerCell() < kMinPaintPixels)
        return;
    document_->editConfig([&cell](ScenarioConfig& c) { c.rules.toggled.toggle(cell->first, cell->second); });
}

void LongMaskView::keyPressEvent(QKeyEvent* event)
{
    const double step = 40.0;
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal: zoomBy(kWheelStep); break;
    case Qt::Key_Minus: zoomBy(1.0 / kWheelStep); break;
    case Qt::Key_0: fitAll(); break;
    case Qt::Key_Left: panBy({step, 0}); break;
    case Qt::Key_Right: panBy({-step, 0}); break;
    case Qt::Key_Up: panBy({0, step}); break;
    case Qt::Key_Down: panBy({0, -step}); break;
    default: QWidget::keyPressEvent(event); return;
    }
}

} // namespace maskscope::ui
