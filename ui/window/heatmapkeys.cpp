// SPDX-License-Identifier: MIT
#include "window/heatmapkeys.h"

#include <algorithm>

namespace maskscope::ui {

namespace {

bool isNavigationKey(Qt::Key key)
{
    switch (key) {
    case Qt::Key_Left: case Qt::Key_Right: case Qt::Key_Up: case Qt::Key_Down:
    case Qt::Key_Home: case Qt::Key_End: case Qt::Key_PageUp: case Qt::Key_PageDown:
        return true;
    default:
        return false;
    }
}

// The cell at (row, col) of panel `panel`, moved inside that panel.
CellHit clampedTo(const Figure& figure, int panel, int row, int col)
{
    const Heatmap& map = figure.panels[static_cast<size_t>(panel)];
    return {panel, std::clamp(row, 0, std::max(0, map.rows - 1)), std::clamp(col, 0, std::max(0, map.cols - 1))};
}

CellHit moveWithinPanel(const Figure& figure, const CellHit& c, Qt::Key key, bool control)
{
    const Heatmap& map = figure.panels[static_cast<size_t>(c.panel)];
    switch (key) {
    case Qt::Key_Left: return clampedTo(figure, c.panel, c.row, c.col - 1);
    case Qt::Key_Right: return clampedTo(figure, c.panel, c.row, c.col + 1);
    case Qt::Key_Up: return clampedTo(figure, c.panel, c.row - 1, c.col);
    case Qt::Key_Down: return clampedTo(figure, c.panel, c.row + 1, c.col);
    case Qt::Key_Home: return clampedTo(figure, c.panel, control ? 0 : c.row, 0);
    case Qt::Key_End: return clampedTo(figure, c.panel, control ? map.rows - 1 : c.row, map.cols - 1);
    case Qt::Key_PageUp: return clampedTo(figure, c.panel, c.row - kHeatmapPageRows, c.col);
    case Qt::Key_PageDown: return clampedTo(figure, c.panel, c.row + kHeatmapPageRows, c.col);
    default: return c;
    }
}

} // namespace

std::optional<CellHit> movedCell(const Figure& figure, const std::optional<CellHit>& from, QKeyCombination key)
{
    const Qt::Key k = key.key();
    const bool hasCells = std::any_of(figure.panels.begin(), figure.panels.end(),
                                      [](const Heatmap& map) { return map.rows > 0 && map.cols > 0; });
    if (!isNavigationKey(k) || !hasCells)
        return std::nullopt;
    if (!from)
        return CellHit{0, 0, 0};
    const bool control = key.keyboardModifiers().testFlag(Qt::ControlModifier);
    if (control && (k == Qt::Key_PageUp || k == Qt::Key_PageDown)) {
        const int panels = static_cast<int>(figure.panels.size());
        const int panel = std::clamp(from->panel + (k == Qt::Key_PageDown ? 1 : -1), 0, panels - 1);
        return clampedTo(figure, panel, from->row, from->col);
    }
    return moveWithinPanel(figure, *from, k, control);
}

} // namespace maskscope::ui
