// SPDX-License-Identifier: MIT
#include "window/heatmapview.h"

#include "figure/colormap.h"
#include "figure/figurebuilder.h"
#include "document/maskdocument.h"
#include "document/whenready.h"
#include "figure/numberformat.h"
#include "window/heatmapkeys.h"

#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QToolTip>

#include <QPainter>
#include <QPainterPath>
#include <QtConcurrent/QtConcurrentRun>

#include <utility>

namespace maskscope::ui {

namespace {

// On a resize or a new style, figures up to this many cells render in a few milliseconds: do
// it on the spot. Larger ones render on a worker thread while the previous image stays on screen.
constexpr qint64 kSyncRenderCells = 300'000;
constexpr int kResizeSettleMs = 120;

qint64 cellCount(const Figure& figure)
{
    qint64 cells = 0;
    for (const Heatmap& map : figure.panels)
        cells += static_cast<qint64>(map.rows) * map.cols;
    return cells;
}

QRectF rowBand(const PanelLayout& panel, int row)
{
    const QRectF cell = panel.cellRect(row, 0);
    return QRectF(panel.matrix.left(), cell.top(), panel.matrix.width(), cell.height());
}

QRectF colBand(const PanelLayout& panel, int col)
{
    const QRectF cell = panel.cellRect(0, col);
    return QRectF(cell.left(), panel.matrix.top(), cell.width(), panel.matrix.height());
}

bool sameHit(const std::optional<CellHit>& a, const std::optional<CellHit>& b)
{
    if (a.has_value() != b.has_value())
        return false;
    return !a || (a->panel == b->panel && a->row == b->row && a->col == b->col);
}

} // namespace

HeatmapView::HeatmapView(MaskDocument* document, QWidget* parent)
    : QWidget(parent), document_(document)
{
    setObjectName(QStringLiteral("heatmapView"));
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setFocusPolicy(Qt::StrongFocus);
    resizeSettle_.setSingleShot(true);
    resizeSettle_.setInterval(kResizeSettleMs);
    connect(&resizeSettle_, &QTimer::timeout, this, &HeatmapView::settleAfterResize);
    connect(document_, &MaskDocument::resultChanged, this, &HeatmapView::takeResult);
    connect(document_, &MaskDocument::errorChanged, this, qOverload<>(&QWidget::update));
    connect(document_, &MaskDocument::busyChanged, this, qOverload<>(&QWidget::update));
    takeResult();
    updateAccessibleTexts();
}

void HeatmapView::setFigureStyle(const FigureStyle& style)
{
    style_ = style;
    ++styleId_;
    layoutStale_ = true;
    requestRender();
}

const Figure& HeatmapView::shownFigure() const
{
    static const Figure none;
    return figure_ ? *figure_ : none;
}

QSize HeatmapView::sizeHint() const
{
    if (!shown_)
        return {720, 560};
    return FigureRenderer::preferredSize(shownFigure(), style_).toSize().expandedTo({480, 360});
}

QSize HeatmapView::minimumSizeHint() const
{
    return {240, 200};
}

QPoint HeatmapView::cellCenter(int panel, int row, int col) const
{
    const FigureLayout& layout = figureLayout();
    if (panel < 0 || panel >= static_cast<int>(layout.panels.size()))
        return {};
    return layout.panels[static_cast<size_t>(panel)].cellRect(row, col).center().toPoint();
}

const FigureLayout& HeatmapView::figureLayout() const
{
    if (layoutStale_ && figure_)
        layout_ = FigureRenderer::layout(*figure_, size(), style_);
    layoutStale_ = false;
    return layout_;
}

void HeatmapView::takeResult()
{
    const TraceResultPtr r = document_->result();
    if (!r || r == shown_ || r->longContext) // long context has no figure: LongMaskView shows it
        return;
    figure_.reset(); // may share the old result, which is freed off the GUI thread
    releaseInBackground(std::exchange(shown_, r));
    figure_ = resultFigure();
    layoutStale_ = true;
    // Even a small figure is rendered off the GUI thread here: a recompute's result arrives
    // while the user types or drags, and the GUI thread then has input to answer.
    if (!size().isEmpty())
        renderInBackground();
    emit shownResultChanged();
    if (keyboardCursor_) {
        keepKeyboardCursor();
    } else if (hovered_) { // keep the read-out following the mouse while the figure changes under it
        const auto hit = hitAt(mapFromGlobal(QCursor::pos()));
        setHovered(underMouse() ? hit : std::nullopt);
        if (hovered_)
            emit cellHovered(hovered_->panel, hovered_->row, hovered_->col);
    }
    updateAccessibleTexts();
}

void HeatmapView::keepKeyboardCursor()
{
    const auto& panels = figure_->panels;
    const bool kept = hovered_->panel < static_cast<int>(panels.size()) &&
                      hovered_->row < panels[static_cast<size_t>(hovered_->panel)].rows &&
                      hovered_->col < panels[static_cast<size_t>(hovered_->panel)].cols;
    if (kept) {
        emit cellHovered(hovered_->panel, hovered_->row, hovered_->col);
        return;
    }
    keyboardCursor_ = false;
    setHovered(std::nullopt);
    emit hoverLeft();
}

void HeatmapView::updateAccessibleTexts()
{
    setAccessibleDescription(figure_ ? tr("%1. %2. The arrow keys move between cells; Enter explains the cell.")
                                           .arg(figure_->title, figure_->subtitle)
                                     : tr("The figure is being computed."));
    setAccessibleName(keyboardCursor_ && hovered_ && figure_ ? tr("Heatmap: %1").arg(toolTipFor(*hovered_))
                                                             : tr("Heatmap"));
}

HeatmapView::RenderKey HeatmapView::currentKey() const
{
    return {shown_ ? shown_->jobId : 0, size(), devicePixelRatioF(), styleId_};
}

ScreenTarget HeatmapView::currentTarget() const
{
    return {size(), devicePixelRatioF(), style_};
}

// The result's own figure, shared with the result rather than copied.
std::shared_ptr<const Figure> HeatmapView::resultFigure() const
{
    return shown_ ? std::shared_ptr<const Figure>(shown_, &shown_->figure) : nullptr;
}

bool HeatmapView::rendersOnTheSpot() const
{
    return shown_ && cellCount(shown_->figure) <= kSyncRenderCells;
}

quint64 HeatmapView::newRequest()
{
    newestRequest_->store(++lastRequest_);
    return lastRequest_;
}

void HeatmapView::requestRender()
{
    if (!shown_ || size().isEmpty() || imageKey_ == currentKey())
        return;
    if (rendersOnTheSpot())
        renderNow();
    else
        renderInBackground();
}

void HeatmapView::renderNow()
{
    pendingKey_.reset();
    const quint64 request = newRequest();
    acceptRender(request, currentKey(),
                 renderForScreen(resultFigure(), shown_->scenario.get(), shown_->trace, currentTarget()));
}

void HeatmapView::renderInBackground()
{
    const RenderKey key = currentKey();
    if (pendingKey_ == key)
        return; // already under way
    pendingKey_ = key;
    const quint64 request = newRequest();
    // The result is shared and immutable (its figure is not copied unless the render changes
    // it); the target is a copy: nothing in the job refers to this widget.
    whenReady(this, QtConcurrent::run([result = shown_, figure = resultFigure(), target = currentTarget(),
                       newest = newestRequest_, request] {
        return renderForScreen(figure, result->scenario.get(), result->trace, target,
                               [&newest, request] { return newest->load() > request; });
    }), [this, key, request](const ScreenFigure& rendered) {
        if (request == lastRequest_)
            pendingKey_.reset();
        acceptRender(request, key, rendered);
        if (request == lastRequest_ && imageKey_ != currentKey())
            requestRender(); // e.g. resized while it ran
    });
}

void HeatmapView::acceptRender(quint64 request, const RenderKey& key, const ScreenFigure& rendered)
{
    if (!rendered.figure || request < acceptedRequest_ || key.jobId != (shown_ ? shown_->jobId : 0))
        return; // given up, or older than what is on screen, or of a result no longer shown
    acceptedRequest_ = request;
    figure_ = rendered.figure;
    layoutStale_ = key.size != size() || key.styleId != styleId_;
    if (!layoutStale_)
        layout_ = rendered.layout;
    image_ = rendered.image;
    imageKey_ = key;
    update();
}

void HeatmapView::paintEvent(QPaintEvent*)
{
    if (shown_ && imageKey_ != currentKey() && pendingKey_ != currentKey() && rendersOnTheSpot() &&
        !size().isEmpty())
        renderNow(); // e.g. resized: small figures follow the size at once
    QPainter p(this);
    const Palette colors = paletteFor(style_.theme);
    p.fillRect(rect(), colors.background);
    if (!image_.isNull())
        p.drawImage(QPointF(0, 0), image_);
    const bool current = shown_ && imageKey_ == currentKey();
    if (current)
        paintHover(p);
    if (hasFocus())
        paintFocusFrame(p);
    if (!document_->error().isEmpty())
        paintBanner(p, tr("Not updated: %1").arg(document_->error()), QColor(0xc0, 0x39, 0x2b));
    else if (!shown_)
        paintBanner(p, tr("Computing…"), colors.mutedText);
    else if (document_->isBusy())
        paintBusyNote(p, colors.mutedText);
    if (current) {
        paintedJobId_ = imageKey_.jobId;
        emit framePainted(paintedJobId_);
    }
}

void HeatmapView::paintHover(QPainter& p) const
{
    const FigureLayout& layout = figureLayout();
    if (!hovered_ || hovered_->panel >= static_cast<int>(layout.panels.size()))
        return;
    const Heatmap& hit = figure_->panels[static_cast<size_t>(hovered_->panel)];
    p.save();
    p.setRenderHint(QPainter::Antialiasing, false);
    // Panels of the same shape (the heads of a grid, the stages of the pipeline) show the same
    // query and key: follow the cell through all of them.
    for (size_t k = 0; k < layout.panels.size(); ++k) {
        const Heatmap& map = figure_->panels[k];
        if (map.rows != hit.rows || map.cols != hit.cols)
            continue;
        const PanelLayout& panel = layout.panels[k];
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(255, 255, 255, 60));
        p.drawRect(rowBand(panel, hovered_->row));
        p.drawRect(colBand(panel, hovered_->col));
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(QColor(0, 0, 0, 140), 1));
        p.drawRect(rowBand(panel, hovered_->row));
        p.drawRect(colBand(panel, hovered_->col));
        const QRectF cell = panel.cellRect(hovered_->row, hovered_->col);
        p.setPen(QPen(QColor(0, 0, 0), 3));
        p.drawRect(cell.adjusted(-1, -1, 1, 1));
        p.setPen(QPen(QColor(0xff, 0xb0, 0x00), 1.5));
        p.drawRect(cell.adjusted(-1, -1, 1, 1));
    }
    p.restore();
}

// The figure fills the widget, so the style's focus rectangle would be lost on it: a frame in
// the palette's highlight colour says where the keys go.
void HeatmapView::paintFocusFrame(QPainter& p) const
{
    p.save();
    p.setPen(QPen(palette().color(QPalette::Highlight), 2));
    p.setBrush(Qt::NoBrush);
    p.drawRect(QRectF(rect()).adjusted(1, 1, -1, -1));
    p.restore();
}

void HeatmapView::paintBanner(QPainter& p, const QString& text, const QColor& color) const
{
    p.save();
    QFont font = p.font();
    font.setBold(true);
    p.setFont(font);
    const QRectF box(8, 8, width() - 16, QFontMetricsF(font).height() * 2.2);
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(255, 255, 255, 230));
    p.drawRoundedRect(box, 6, 6);
    p.setPen(color);
    p.drawText(box.adjusted(10, 0, -10, 0), Qt::AlignVCenter | Qt::AlignLeft | Qt::TextWordWrap, text);
    p.restore();
}

// The figure on screen is about to be replaced: say so, quietly, in a corner.
void HeatmapView::paintBusyNote(QPainter& p, const QColor& color) const
{
    p.save();
    p.setPen(color);
    p.drawText(rect().adjusted(0, 6, -10, 0), Qt::AlignTop | Qt::AlignRight, tr("updating…"));
    p.restore();
}

void HeatmapView::resizeEvent(QResizeEvent*)
{
    if (!figure_)
        return;
    layoutStale_ = true;
    resizeSettle_.start(); // large figures: the old image stays until the size stops changing
}

void HeatmapView::settleAfterResize()
{
    // The render arranges the panels for the new shape and reduces large ones to its pixels.
    requestRender();
}

bool HeatmapView::event(QEvent* event)
{
    if (event->type() != QEvent::ToolTip)
        return QWidget::event(event);
    auto* help = static_cast<QHelpEvent*>(event);
    if (const auto hit = hitAt(help->pos()))
        QToolTip::showText(help->globalPos(), toolTipFor(*hit), this);
    else
        QToolTip::hideText();
    return true;
}

// The number as the figure shows it, for readers without the inspector open.
QString HeatmapView::toolTipFor(const CellHit& hit) const
{
    const Heatmap& map = figure_->panels.at(static_cast<size_t>(hit.panel));
    // Exact, from the trace: a reduced panel's pixel stands for several cells.
    const auto [state, number] = std::visit(
        [&](const auto& trace) { return panelCell(map, *shown_->scenario, trace, hit.row, hit.col); },
        shown_->trace);
    QString value;
    switch (state) {
    case CellState::Blocked: value = tr("blocked"); break;
    case CellState::NaN: value = tr("NaN"); break;
    case CellState::NegInf: value = QStringLiteral("\u2212\u221E"); break;
    case CellState::PosInf: value = QStringLiteral("\u221E"); break;
    case CellState::Value: value = prettyNumber(number, 4); break;
    }
    return tr("query %1 \u201C%2\u201D \u2192 key %3 \u201C%4\u201D: %5 %6")
        .arg(hit.row).arg(map.rowLabels.value(hit.row))
        .arg(hit.col).arg(map.colLabels.value(hit.col), map.valueName, value);
}

std::optional<CellHit> HeatmapView::hitAt(QPointF position) const
{
    if (!shown_)
        return std::nullopt;
    return FigureRenderer::cellAt(figureLayout(), *figure_, position);
}

void HeatmapView::setHovered(std::optional<CellHit> hit)
{
    if (sameHit(hit, hovered_))
        return;
    hovered_ = hit;
    update();
}

void HeatmapView::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        updateAccessibleTexts();
    QWidget::changeEvent(event);
}

// The keyboard's cell is the hovered one: the inspector reads it out, Enter explains it as a
// click does.
void HeatmapView::keyPressEvent(QKeyEvent* event)
{
    const bool enter = event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter;
    if (enter && hovered_) {
        emit cellClicked(hovered_->panel, hovered_->row, hovered_->col);
        return;
    }
    const std::optional<CellHit> moved = figure_ ? movedCell(*figure_, hovered_, event->keyCombination()) : std::nullopt;
    if (!moved) {
        QWidget::keyPressEvent(event);
        return;
    }
    keyboardCursor_ = true;
    setHovered(moved);
    emit cellHovered(moved->panel, moved->row, moved->col);
    updateAccessibleTexts();
}

void HeatmapView::focusInEvent(QFocusEvent* event)
{
    update();
    QWidget::focusInEvent(event);
}

void HeatmapView::focusOutEvent(QFocusEvent* event)
{
    update();
    QWidget::focusOutEvent(event);
}

void HeatmapView::mouseMoveEvent(QMouseEvent* event)
{
    const auto hit = hitAt(event->position());
    if (sameHit(hit, hovered_))
        return;
    if (keyboardCursor_) {
        keyboardCursor_ = false; // the mouse takes over
        updateAccessibleTexts();
    }
    setHovered(hit);
    if (hit)
        emit cellHovered(hit->panel, hit->row, hit->col);
    else
        emit hoverLeft();
}

void HeatmapView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return;
    if (const auto hit = hitAt(event->position()))
        emit cellClicked(hit->panel, hit->row, hit->col);
}

void HeatmapView::leaveEvent(QEvent*)
{
    if (!hovered_)
        return;
    setHovered(std::nullopt);
    emit hoverLeft();
}

} // namespace maskscope::ui
