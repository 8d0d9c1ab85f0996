// SPDX-License-Identifier: MIT
#pragma once
// The figure of the document's latest result, made ready for this widget's size, pixel ratio
// and style (renderForScreen, screenfigure.h: the same painter as the exports) into a cached
// image; hovering highlights a cell's row and column, clicking asks for its explanation. The
// keyboard does the same (heatmapkeys.h: arrows move the cell, Enter explains it), and assistive
// technology reads what the figure shows and the cell under the keyboard cursor. Large
// figures are rendered on a worker thread so the window stays responsive; of several renders
// under way, only the newest request is shown.

#include "figure/figurerenderer.h"
#include "figure/screenfigure.h"
#include "document/tracejob.h"

#include <QImage>
#include <QTimer>
#include <QWidget>

#include <atomic>
#include <memory>
#include <optional>

namespace maskscope::ui {

class MaskDocument;

class HeatmapView : public QWidget {
    Q_OBJECT
public:
    explicit HeatmapView(MaskDocument* document, QWidget* parent = nullptr);

    /// The result whose figure is on screen (it lags the document while a render is running).
    TraceResultPtr shownResult() const { return shown_; }
    /// The figure on screen: shownResult()'s figure as rendered for this widget (columns fitted,
    /// large panels reduced to its pixels), or that figure itself until its first render is
    /// accepted. Its panels match shownResult()'s one for one. Empty before the first result.
    const Figure& shownFigure() const;
    /// The geometry of shownFigure() at the widget's size, for hit-testing.
    const FigureLayout& figureLayout() const;
    /// The cell under the mouse or the keyboard cursor, whichever moved last.
    std::optional<CellHit> hoveredCell() const { return hovered_; }
    /// Centre of a cell in widget coordinates (for tests and keyboard navigation).
    QPoint cellCenter(int panel, int row, int col) const;
    /// Job id of the figure the last paint event put on screen (0 before the first).
    quint64 paintedJobId() const { return paintedJobId_; }

    void setFigureStyle(const FigureStyle& style);
    const FigureStyle& figureStyle() const { return style_; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void cellHovered(int panel, int row, int col);
    void hoverLeft();
    void cellClicked(int panel, int row, int col);
    /// A paint event finished that shows the figure of job `jobId`.
    void framePainted(quint64 jobId);
    /// shownResult() changed (a new figure is being shown or rendered).
    void shownResultChanged();

protected:
    bool event(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void focusInEvent(QFocusEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    /// What a rendered image was made from; an image is reused while its key is current.
    struct RenderKey {
        quint64 jobId = 0;
        QSize size;
        qreal dpr = 1.0;
        quint64 styleId = 0;
        friend bool operator==(const RenderKey&, const RenderKey&) = default;
    };

    void takeResult();
    void settleAfterResize();
    RenderKey currentKey() const;
    ScreenTarget currentTarget() const;
    std::shared_ptr<const Figure> resultFigure() const;
    bool rendersOnTheSpot() const;
    quint64 newRequest();
    void requestRender();
    void renderNow();
    void renderInBackground();
    void acceptRender(quint64 request, const RenderKey& key, const ScreenFigure& rendered);
    void setHovered(std::optional<CellHit> hit);
    void paintHover(QPainter& p) const;
    void paintFocusFrame(QPainter& p) const;
    /// A new result keeps the keyboard's cell where the new figure has it.
    void keepKeyboardCursor();
    /// The accessible name (with the keyboard's cell) and description (what the figure shows).
    void updateAccessibleTexts();
    void paintBanner(QPainter& p, const QString& text, const QColor& color) const;
    void paintBusyNote(QPainter& p, const QColor& color) const;
    std::optional<CellHit> hitAt(QPointF position) const;
    QString toolTipFor(const CellHit& hit) const;

    MaskDocument* document_;
    TraceResultPtr shown_;       // the result being displayed (or rendered)
    FigureStyle style_;
    quint64 styleId_ = 1;
    std::shared_ptr<const Figure> figure_; // shownFigure()
    // figure_ at the current size; computed when first needed (hit-testing), since a render
    // usually brings it along before anything asks.
    mutable FigureLayout layout_;
    mutable bool layoutStale_ = false;
    QImage image_;               // the rendered figure
    RenderKey imageKey_;         // what image_ shows
    // Render requests are numbered; a render stops early, and is dropped, once a newer one
    // was asked for (newest wins), and one older than the image shown is never shown.
    quint64 lastRequest_ = 0;
    quint64 acceptedRequest_ = 0;
    std::shared_ptr<std::atomic<quint64>> newestRequest_ = std::make_shared<std::atomic<quint64>>(0);
    std::optional<RenderKey> pendingKey_; // what the newest background render makes
    QTimer resizeSettle_;        // re-renders large figures once a resize has settled
    std::optional<CellHit> hovered_;
    bool keyboardCursor_ = false; // hovered_ was set by the keyboard, not the mouse
    quint64 paintedJobId_ = 0;
};

} // namespace maskscope::ui
