// SPDX-License-Identifier: MIT
#pragma once
// Block sparsity: the allowed matrix cut into B x B tiles as block-sparse kernels see it
// (FlexAttention's BlockMask, FlashAttention's block skipping): a tile with no allowed cell is
// skipped, any other tile is computed whole (a partial tile applies the mask inside it).

#include "mask/maskgrid.h"

#include <cstdint>
#include <vector>

namespace maskscope {

enum class TileClass : std::uint8_t {
    Empty,   ///< no allowed cell: skipped
    Partial, ///< some allowed cells: computed whole, then masked
    Full     ///< every cell allowed: computed whole, no mask needed
};

/// Block-sparsity figures of one batch item. Tiles at the bottom and right edge are smaller when
/// the lengths are not multiples of the block; every figure counts them at their real size.
/// Invariants: fullTiles + partialTiles + emptyTiles == tileRows * tileCols;
/// allowedCells <= computedCells <= denseCells == Lq * Lk.
struct BlockSparsity {
    int block = 0;
    int tileRows = 0;                 ///< ceil(Lq / block)
    int tileCols = 0;                 ///< ceil(Lk / block)
    std::int64_t fullTiles = 0;
    std::int64_t partialTiles = 0;
    std::int64_t emptyTiles = 0;
    std::int64_t denseCells = 0;      ///< Lq * Lk
    std::int64_t computedCells = 0;   ///< cells of full and partial tiles
    std::int64_t allowedCells = 0;    ///< cells of the allowed matrix that are true

    std::int64_t tiles() const { return static_cast<std::int64_t>(tileRows) * tileCols; }
    /// Fraction of tiles a block-sparse kernel skips (empty tiles / all tiles).
    double skippedTileFraction() const;
    /// Fraction of dense attention's FLOPs (QK^T and weights * V) that block skipping saves:
    /// 1 - computedCells / denseCells (both products scale with the cells computed).
    double flopsSavedFraction() const;
    /// FLOPs of QK^T plus weights * V over every head: 2 * d_k multiply-adds each, per cell.
    double denseFlops(int headDim, int heads) const;
    double blockSparseFlops(int headDim, int heads) const;
};

/// Exact block-sparsity figures of batch item b with tiles of `block`. Streams over tile rows
/// with AllowedCounter: O(Lq + tiles) time, O(Lk / block) memory, never O(Lq * Lk).
/// Preconditions: spec.validate(); 0 <= b < batch; block >= 1 (throws InputError otherwise).
BlockSparsity blockSparsity(const MaskSpec& spec, int b, int block);

/// The class of every tile in tile rows x tile columns (tile indices, half-open), row-major:
/// the overlay of the mask view. O(rows covered + tiles) time, O(tiles) memory.
/// Preconditions as blockSparsity, and the ranges within [0, tileRows] x [0, tileCols].
std::vector<TileClass> classifyTiles(const MaskSpec& spec, int b, int block, IndexRange tileRows,
                                     IndexRange tileCols);

} // namespace maskscope
