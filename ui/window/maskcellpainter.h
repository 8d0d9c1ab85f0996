// SPDX-License-Identifier: MIT
#pragma once
// The "custom" mask rule drawn by hand: a click on a cell of a mask panel of the heatmap toggles
// it, a drag sets every cell it crosses to the state the first cell took. Works as an event
// filter on the HeatmapView, which keeps its own hover and click (inspection) behaviour.

#include "figure/figurerenderer.h"

#include <QObject>

#include <optional>
#include <set>
#include <utility>
#include <vector>

class QMouseEvent;

namespace maskscope::ui {

class HeatmapView;
class MaskDocument;

class MaskCellPainter : public QObject {
    Q_OBJECT
public:
    MaskCellPainter(HeatmapView* view, MaskDocument* document, QObject* parent = nullptr);

    /// Off: clicks only inspect.
    void setEnabled(bool on);
    bool isEnabled() const { return enabled_; }

signals:
    /// A press on a mask cell starts a stroke: the changes until strokeFinished() are one
    /// gesture. Every strokeStarted() is followed by one strokeFinished().
    void strokeStarted();
    /// The button was released, or painting switched off, during a stroke.
    void strokeFinished();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    std::optional<CellHit> maskCellAt(QPointF position) const;
    bool shownAllowed(const CellHit& hit) const;
    void press(const CellHit& hit);
    void dragTo(const CellHit& hit);
    void toggle(const std::vector<std::pair<int, int>>& cells);
    void updateCursor(QMouseEvent* event);
    void endStroke();

    HeatmapView* view_;
    MaskDocument* document_;
    bool enabled_ = true;
    bool stroking_ = false;
    bool target_ = false;            // the state cells crossed by the drag are set to
    std::optional<CellHit> last_;    // the cell the drag was last at
    std::set<std::pair<int, int>> visited_; // cells this stroke decided already
};

} // namespace maskscope::ui
