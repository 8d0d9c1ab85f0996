// SPDX-License-Identifier: MIT
#include "window/maskcellpainter.h"

#include "window/heatmapview.h"
#include "document/maskdocument.h"

#include <QMouseEvent>

#include <algorithm>
#include <cstdlib>
#include <utility>

namespace maskscope::ui {

namespace {

// The cells on the straight line from a to b (Bresenham), b included, a not: a fast drag skips
// cells between two mouse events.
std::vector<std::pair<int, int>> cellsBetween(const CellHit& a, const CellHit& b)
{
    std::vector<std::pair<int, int>> cells;
    int i = a.row, j = a.col;
    const int di = std::abs(b.row - i), dj = std::abs(b.col - j);
    const int si = i < b.row ? 1 : -1, sj = j < b.col ? 1 : -1;
    int err = dj - di;
    while (i != b.row || j != b.col) {
        const int e2 = 2 * err;
        if (e2 > -di) {
            err -= di;
            j += sj;
        }
        if (e2 < dj) {
            err += dj;
            i += si;
        }
        cells.emplace_back(i, j);
    }
    return cells;
}

// The events the filter handles; only these may be treated as a QMouseEvent.
bool isMouseEvent(QEvent::Type type)
{
    return type == QEvent::MouseButtonPress || type == QEvent::MouseMove ||
           type == QEvent::MouseButtonRelease;
}

} // namespace

MaskCellPainter::MaskCellPainter(HeatmapView* view, MaskDocument* document, QObject* parent)
    : QObject(parent), view_(view), document_(document)
{
    view_->installEventFilter(this);
}

void MaskCellPainter::setEnabled(bool on)
{
    enabled_ = on;
    endStroke();
    if (!on)
        view_->unsetCursor();
}

std::optional<CellHit> MaskCellPainter::maskCellAt(QPointF position) const
{
    const TraceResultPtr shown = view_->shownResult();
    if (!shown)
        return std::nullopt;
    const auto hit = FigureRenderer::cellAt(view_->figureLayout(), shown->figure, position);
    if (!hit || shown->figure.panels.at(static_cast<size_t>(hit->panel)).view != ViewKind::Mask)
        return std::nullopt;
    return hit;
}

bool MaskCellPainter::shownAllowed(const CellHit& hit) const
{
    const Heatmap& map = view_->shownResult()->figure.panels.at(static_cast<size_t>(hit.panel));
    const size_t k = static_cast<size_t>(hit.row) * static_cast<size_t>(map.cols) + static_cast<size_t>(hit.col);
    return map.states[k] != CellState::Blocked;
}

bool MaskCellPainter::eventFilter(QObject* watched, QEvent* event)
{
    if (watched != view_ || !enabled_ || !isMouseEvent(event->type()))
        return false;
    auto* mouse = static_cast<QMouseEvent*>(event);
    switch (event->type()) {
    case QEvent::MouseButtonPress:
        if (mouse->button() == Qt::LeftButton)
            if (const auto hit = maskCellAt(mouse->position()))
                press(*hit);
        break;
    case QEvent::MouseMove:
        updateCursor(mouse);
        if (stroking_ && (mouse->buttons() & Qt::LeftButton))
            if (const auto hit = maskCellAt(mouse->position()); hit && hit->panel == last_->panel)
                dragTo(*hit);
        break;
    case QEvent::MouseButtonRelease:
        endStroke();
        break;
    default:
        break;
    }
    return false; // the view still hovers and explains the cell
}

void MaskCellPainter::updateCursor(QMouseEvent* event)
{
    if (maskCellAt(event->position()))
        view_->setCursor(Qt::CrossCursor);
    else
        view_->unsetCursor();
}

void MaskCellPainter::endStroke()
{
    if (std::exchange(stroking_, false))
        emit strokeFinished();
}

void MaskCellPainter::press(const CellHit& hit)
{
    endStroke(); // a press without the release of the one before (the release went elsewhere)
    stroking_ = true;
    emit strokeStarted();
    target_ = !shownAllowed(hit);
    last_ = hit;
    visited_ = {{hit.row, hit.col}};
    toggle({{hit.row, hit.col}});
}

void MaskCellPainter::dragTo(const CellHit& hit)
{
    std::vector<std::pair<int, int>> flips;
    for (const auto& cell : cellsBetween(*last_, hit)) {
        if (!visited_.insert(cell).second)
            continue;
        if (shownAllowed({hit.panel, cell.first, cell.second}) != target_)
            flips.push_back(cell);
    }
    last_ = hit;
    if (!flips.empty())
        toggle(flips);
}

void MaskCellPainter::toggle(const std::vector<std::pair<int, int>>& cells)
{
    document_->editConfig([&cells](ScenarioConfig& c) {
        for (const auto& [i, j] : cells)
            c.rules.toggled.toggle(i, j);
    });
}

} // namespace maskscope::ui
