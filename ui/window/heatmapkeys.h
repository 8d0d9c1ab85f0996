// SPDX-License-Identifier: MIT
#pragma once
// Moving through a figure's cells with the keyboard, as the heatmap does for a user who cannot
// or does not want to point: the keys and where they lead, independent of any widget.

#include "figure/figure.h"
#include "figure/figurerenderer.h"

#include <QKeyCombination>

#include <optional>

namespace maskscope::ui {

/// Rows PageUp and PageDown move by.
inline constexpr int kHeatmapPageRows = 8;

/// Where `key` (with its modifiers) moves the keyboard cursor from `from` in `figure`:
/// arrows one cell; Home / End the first / last key of the row, with Ctrl the first / last cell
/// of the panel; PageUp / PageDown kHeatmapPageRows rows, with Ctrl the previous / next panel
/// (the same query and key where it has them). Moves stop at the edges. Without a cursor yet,
/// any of these keys starts at the first cell of the first panel. nullopt for other keys and for
/// a figure without cells. `from`, when given, must be a cell of `figure`.
std::optional<CellHit> movedCell(const Figure& figure, const std::optional<CellHit>& from, QKeyCombination key);

} // namespace maskscope::ui
