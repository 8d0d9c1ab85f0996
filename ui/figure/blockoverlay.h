// SPDX-License-Identifier: MIT
#pragma once
// The block-sparsity overlay: the mask cut into B x B tiles as a block-sparse kernel
// (FlexAttention's BlockMask, FlashAttention) sees it, each tile full, partial or empty.
// The data comes from core (blocksparsity.h); this file only carries it into figures and paints it,
// so the window, the long-context view and every export mark the same tiles.

#include "mask/blocksparsity.h"

#include <QColor>
#include <QRectF>
#include <QString>

#include <functional>
#include <vector>

class QPainter;

namespace maskscope::ui {

/// The tiles of one batch item's (Lq, Lk) matrix. Empty (block == 0) when not computed.
/// Invariant: classes.size() == figures.tileRows * figures.tileCols, row-major.
struct BlockOverlay {
    BlockSparsity figures;          ///< exact counts (core blockSparsity)
    std::vector<TileClass> classes; ///< every tile, row-major

    bool isEmpty() const { return figures.block == 0; }
};

/// The overlay of batch item b with tiles of `block`: O(Lq + tiles), never O(Lq * Lk).
/// Preconditions as core blockSparsity.
BlockOverlay blockOverlayOf(const MaskSpec& mask, int b, int block);

/// One line for legends and status bars, e.g. "B = 64: 3 full, 5 partial, 8 empty tiles · 50% of
/// tiles skipped · 47% of FLOPs saved".
QString blockOverlaySummary(const BlockSparsity& figures);

/// Colours of the overlay (the same in both themes: they sit on the cells' own colours).
QColor fullTileColor();
QColor partialTileColor();
QColor emptyTileShade(const QColor& background);

/// Paints tiles (row, col) in [rows] x [cols] of `classes` (tileCols per row) at rectOf(row, col):
/// empty tiles shaded (skipped), partial ones framed amber, full ones framed green. Each kind is
/// one path, so an SVG gets three elements however many tiles there are.
void paintTiles(QPainter& painter, const std::vector<TileClass>& classes, int tileCols, IndexRange rows,
                IndexRange cols, const std::function<QRectF(int row, int col)>& rectOf,
                const QColor& background);

} // namespace maskscope::ui
