// SPDX-License-Identifier: MIT
#include "mask/blocksparsity.h"

#include "base/contract.h"

#include <algorithm>
#include <span>
#include <string>

namespace maskscope {

namespace {

int tilesFor(int length, int block)
{
    return (length + block - 1) / block;
}

void checkBlock(int block)
{
    if (block < 1)
        throw InputError("block size must be at least 1, got " + std::to_string(block));
}

// Edges at multiples of `block` over the tile indices `tiles`, clipped to `length`.
std::vector<int> tileEdges(IndexRange tiles, int block, int length)
{
    std::vector<int> edges;
    for (int t = tiles.begin; t <= tiles.end; ++t)
        edges.push_back(std::min(length, t * block));
    return edges;
}

TileClass classify(std::int64_t allowed, std::int64_t area)
{
    return allowed == 0 ? TileClass::Empty : allowed == area ? TileClass::Full : TileClass::Partial;
}

} // namespace

double BlockSparsity::skippedTileFraction() const
{
    return tiles() ? static_cast<double>(emptyTiles) / static_cast<double>(tiles()) : 0.0;
}

double BlockSparsity::flopsSavedFraction() const
{
    return denseCells ? 1.0 - static_cast<double>(computedCells) / static_cast<double>(denseCells) : 0.0;
}

double BlockSparsity::denseFlops(int headDim, int heads) const
{
    return 4.0 * headDim * heads * static_cast<double>(denseCells);
}

double BlockSparsity::blockSparseFlops(int headDim, int heads) const
{
    return 4.0 * headDim * heads * static_cast<double>(computedCells);
}

BlockSparsity blockSparsity(const MaskSpec& spec, int b, int block)
{
    checkBlock(block);
    BlockSparsity s;
    s.block = block;
    s.tileRows = tilesFor(spec.queryLen, block);
    s.tileCols = tilesFor(spec.keyLen, block);
    s.denseCells = static_cast<std::int64_t>(spec.queryLen) * spec.keyLen;
    AllowedCounter counter(spec, b, tileEdges({0, s.tileCols}, block, spec.keyLen));
    const std::vector<int>& cols = counter.colEdges();
    std::vector<std::int64_t> counts(static_cast<size_t>(s.tileCols));
    for (int ty = 0; ty < s.tileRows; ++ty) {
        const IndexRange rows{ty * block, std::min(spec.queryLen, (ty + 1) * block)};
        std::fill(counts.begin(), counts.end(), 0);
        counter.addRows(rows, counts);
        for (int tx = 0; tx < s.tileCols; ++tx) {
            const std::int64_t area = static_cast<std::int64_t>(rows.size()) *
                                      (cols[static_cast<size_t>(tx) + 1] - cols[static_cast<size_t>(tx)]);
            const std::int64_t allowed = counts[static_cast<size_t>(tx)];
            s.allowedCells += allowed;
            switch (classify(allowed, area)) {
            case TileClass::Empty: ++s.emptyTiles; break;
            case TileClass::Partial: ++s.partialTiles; s.computedCells += area; break;
            case TileClass::Full: ++s.fullTiles; s.computedCells += area; break;
            }
        }
    }
    MASKSCOPE_ENSURES(s.fullTiles + s.partialTiles + s.emptyTiles == s.tiles());
    MASKSCOPE_ENSURES(s.allowedCells <= s.computedCells && s.computedCells <= s.denseCells);
    return s;
}

std::vector<TileClass> classifyTiles(const MaskSpec& spec, int b, int block, IndexRange tileRows,
                                     IndexRange tileCols)
{
    checkBlock(block);
    if (tileRows.begin < 0 || tileRows.end > tilesFor(spec.queryLen, block) || tileRows.size() < 1 ||
        tileCols.begin < 0 || tileCols.end > tilesFor(spec.keyLen, block) || tileCols.size() < 1)
        throw InputError("the tile range leaves the mask's tiles");
    const std::vector<int> rowEdges = tileEdges(tileRows, block, spec.queryLen);
    const std::vector<int> colEdges = tileEdges(tileCols, block, spec.keyLen);
    const std::vector<std::int64_t> counts = countAllowedInGrid(spec, b, rowEdges, colEdges);
    std::vector<TileClass> classes(counts.size());
    const size_t cols = colEdges.size() - 1;
    for (size_t y = 0; y + 1 < rowEdges.size(); ++y)
        for (size_t x = 0; x < cols; ++x) {
            const std::int64_t area = static_cast<std::int64_t>(rowEdges[y + 1] - rowEdges[y]) *
                                      (colEdges[x + 1] - colEdges[x]);
            classes[y * cols + x] = classify(counts[y * cols + x], area);
        }
    return classes;
}

} // namespace maskscope
