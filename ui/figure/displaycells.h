// SPDX-License-Identifier: MIT
#pragma once
// A matrix with more cells than the screen has pixels for it, reduced to those pixels. A panel
// of 2048 x 2048 cells drawn into 500 x 500 pixels needs no 2048 x 2048 image: each pixel stands
// for the block of cells under it (about 4 x 4 here), summarised so that the picture stays
// honest for teaching:
//
// - NaN if ANY cell of the block is NaN: a NaN is a bug signal and must never be averaged away.
// - Blocked (hatched) only if EVERY cell is blocked (or -inf): one allowed key, e.g. the
//   one-cell-wide diagonal of a sliding window, is never hidden under the hatching.
// - Otherwise the most extreme value of the block's numbers (largest magnitude, sign kept; +inf
//   beats every finite number). For weights (>= 0) that is the maximum: a key that takes most of
//   a row's attention stays visible however many near-zero keys share its pixel, where a mean
//   would dilute it 16-fold. For logits it keeps the outliers that dominate the softmax.
//
// Exact values are never read from these images: hovering and exports go back to the trace.

#include "figure/figure.h"

#include "base/types.h"

#include <QImage>
#include <QSize>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <utility>
#include <vector>

namespace maskscope::ui {

/// Where the pixels of an axis of `cells` cells drawn in `pixels` (<= cells) pixels begin:
/// pixel p covers cells [bounds[p], bounds[p + 1]), bounds[p] = p * cells / pixels, so every
/// cell belongs to exactly one pixel and blocks differ in size by at most one cell.
std::vector<int> pixelBounds(int cells, int pixels);

/// How the cells of a panel are drawn (figurebuilder.cpp states it as CellRule::state): the
/// mask view shows allowed or blocked whatever the value; otherwise NaN, +inf and -inf are
/// their own states, and a finite number at a blocked key is drawn as blocked when
/// blockDisallowed (masked logits), only where it is exactly 0 when also onlyIfZero (weights).
struct CellFlags {
    bool mask = false;
    bool blockDisallowed = false;
    bool onlyIfZero = false;
};

/// A cell as one unsigned number of the width of its float, ordered so that the MAXIMUM over a
/// block is the block's summary by the rules above: 0 = blocked or -inf, then the numbers by
/// magnitude (1 + (magnitude bits << 1 | sign): the bits of non-negative floats order as the
/// numbers do, and the sign is kept), then +inf, then NaN on top of everything.
template <typename Word>
struct CellKey {
    using Scalar = std::conditional_t<sizeof(Word) == 4, float, double>;
    static constexpr Word kBlocked = 0;
    static constexpr Word kPosInf = ~Word(0) - 1;
    static constexpr Word kNaN = ~Word(0);

    static std::pair<CellState, double> decode(Word key)
    {
        if (key == kNaN)
            return {CellState::NaN, 0.0};
        if (key == kPosInf)
            return {CellState::PosInf, 0.0};
        if (key == kBlocked)
            return {CellState::Blocked, 0.0};
        const Word k = key - 1;
        const double magnitude = static_cast<double>(std::bit_cast<Scalar>(static_cast<Word>(k >> 1)));
        return {CellState::Value, (k & 1) ? -magnitude : magnitude};
    }
};

/// What a pass over a matrix learns for the legend and the colour range: which kinds of cells
/// it has, and the bits of the largest magnitude of a number.
template <typename Word>
struct KeyScan {
    bool blocked = false, nan = false, nonZero = false;
    Word largest = 0;
};

// The two loops below restate CellRule::state (figurebuilder.cpp) on the floats' bits,
// branch-free, with integer maxima and no bool reductions, so that the compiler vectorises them
// (kept apart: fused, GCC 12 vectorises neither). tst_displaycells checks both against it.

/// The keys of one row: `words` are the floats' bits, `allows` the allowed matrix's row.
template <typename Word>
void rowCellKeys(const Word* __restrict words, const unsigned char* __restrict allows, long n,
                 CellFlags rule, Word* __restrict keys)
{
    constexpr Word kMagnitude = ~Word(0) >> 1;
    constexpr Word kInf = sizeof(Word) == 4 ? Word(0x7f800000u) : Word(0x7ff0000000000000ull);
    constexpr Word kPosInfKey = CellKey<Word>::kPosInf;
    const bool mask = rule.mask, blockDisallowed = rule.blockDisallowed, onlyIfZero = rule.onlyIfZero;
    for (long j = 0; j < n; ++j) {
        const Word w = words[j];
        const Word magnitude = w & kMagnitude;
        const bool a = allows[j] != 0;
        const bool isNan = magnitude > kInf;
        const bool isInf = magnitude == kInf;
        const bool isZero = magnitude == 0;
        const bool negative = w > kMagnitude;
        const bool finite = !isNan & !isInf;
        const bool disallowed = blockDisallowed & !a & finite & (!onlyIfZero | isZero);
        const bool number = mask ? a : finite & !disallowed;
        const Word numberKey = ((magnitude << 1) | static_cast<Word>(negative)) + 1;
        const bool special = (!mask) & (isNan | (isInf & !negative)); // NaN, or +inf just below it
        // At most one of the three terms is not zero (the mask view's allowed cells: key 1).
        keys[j] = (numberKey & (Word(0) - static_cast<Word>(number & !mask))) | static_cast<Word>(number & mask) |
                  ((kPosInfKey + static_cast<Word>(isNan)) & (Word(0) - static_cast<Word>(special)));
    }
}

/// What one row has (see KeyScan), added to `scan`.
template <typename Word>
void rowCellKinds(const Word* __restrict words, const unsigned char* __restrict allows, long n,
                  CellFlags rule, KeyScan<Word>& scan)
{
    constexpr Word kMagnitude = ~Word(0) >> 1;
    constexpr Word kInf = sizeof(Word) == 4 ? Word(0x7f800000u) : Word(0x7ff0000000000000ull);
    const bool mask = rule.mask, blockDisallowed = rule.blockDisallowed, onlyIfZero = rule.onlyIfZero;
    unsigned blocked = 0, nan = 0, nonZero = 0;
    Word largest = 0;
    for (long j = 0; j < n; ++j) {
        const Word w = words[j];
        const Word magnitude = w & kMagnitude;
        const bool a = allows[j] != 0;
        const bool isNan = magnitude > kInf;
        const bool isInf = magnitude == kInf;
        const bool isZero = magnitude == 0;
        const bool finite = !isNan & !isInf;
        const bool disallowed = blockDisallowed & !a & finite & (!onlyIfZero | isZero);
        const bool number = mask ? a : finite & !disallowed;
        blocked |= mask ? !a : disallowed | (isInf & (w > kMagnitude));
        nan |= !mask & isNan;
        nonZero |= number & !isZero;
        largest = std::max(largest, magnitude & (Word(0) - static_cast<Word>(number)));
    }
    scan.blocked |= blocked != 0;
    scan.nan |= nan != 0;
    scan.nonZero |= nonZero != 0;
    scan.largest = std::max(scan.largest, largest);
}

/// The unsigned type of a matrix's scalar.
template <typename M>
using WordOf = std::conditional_t<sizeof(typename M::Scalar) == 4, std::uint32_t, std::uint64_t>;

/// Calls use(i, words, allows) with the bits of every row i of `m` and its allowed row.
template <typename M, typename Use>
void forEachRowBits(const M& m, const BoolMatrix& allowed, Use use)
{
    using Word = WordOf<M>;
    static_assert(sizeof(Word) == sizeof(typename M::Scalar));
    std::vector<Word> words(static_cast<size_t>(m.cols()));
    for (Eigen::Index i = 0; i < m.rows(); ++i) {
        std::memcpy(words.data(), m.row(i).data(), words.size() * sizeof(Word));
        use(static_cast<int>(i), words.data(), reinterpret_cast<const unsigned char*>(allowed.row(i).data()));
    }
}

/// One pass over `m` for the legend and the colour range (see KeyScan).
template <typename M>
KeyScan<WordOf<M>> scanMatrix(const M& m, const BoolMatrix& allowed, CellFlags rule)
{
    KeyScan<WordOf<M>> scan;
    forEachRowBits(m, allowed, [&](int, const WordOf<M>* words, const unsigned char* allows) {
        rowCellKinds(words, allows, static_cast<long>(m.cols()), rule, scan);
    });
    return scan;
}

/// Writes one row of keys as colours through cellColor.
template <typename Word>
void writePixelRow(const Heatmap& map, const std::vector<Word>& keys, QRgb* line);

/// The cells of matrix `m` of panel `map` (its rows, cols, scale and range; values and states
/// may be empty) reduced to `pixels` by the rules above. A side with fewer cells than pixels
/// keeps one pixel per cell (the painter scales that side up).
template <typename M>
QImage reducedCellImage(const Heatmap& map, QSize pixels, const M& m, const BoolMatrix& allowed, CellFlags rule)
{
    using Word = WordOf<M>;
    const int width = std::min(pixels.width(), map.cols);
    const int height = std::min(pixels.height(), map.rows);
    QImage image(width, height, QImage::Format_ARGB32);
    if (image.isNull() || width <= 0 || height <= 0)
        return image;
    const std::vector<int> columns = pixelBounds(map.cols, width);
    const std::vector<int> rows = pixelBounds(map.rows, height);
    std::vector<Word> pixelKeys(static_cast<size_t>(width)), keys(static_cast<size_t>(map.cols));
    int y = 0;
    forEachRowBits(m, allowed, [&](int i, const Word* words, const unsigned char* allows) {
        rowCellKeys(words, allows, static_cast<long>(map.cols), rule, keys.data());
        // Pixel by pixel along the row: each pixel's cells are contiguous.
        for (int x = 0; x < width; ++x) {
            Word key = pixelKeys[static_cast<size_t>(x)];
            for (int j = columns[static_cast<size_t>(x)]; j < columns[static_cast<size_t>(x) + 1]; ++j)
                key = std::max(key, keys[static_cast<size_t>(j)]);
            pixelKeys[static_cast<size_t>(x)] = key;
        }
        if (i + 1 == rows[static_cast<size_t>(y) + 1]) { // the pixel row is complete
            writePixelRow(map, pixelKeys, reinterpret_cast<QRgb*>(image.scanLine(y)));
            std::fill(pixelKeys.begin(), pixelKeys.end(), Word(0));
            ++y;
        }
    });
    return image;
}

/// The panel's own cells (`values` and `states`, every cell) reduced to `pixels` by the rules
/// above, for a figure drawn into fewer pixels than it has cells (exports): a mask panel's pixel
/// shows how many of its cells are allowed (maskCoveragePixel, blocked only if none is), any
/// other panel's the summary of its cells' keys. A side with fewer cells than pixels keeps one
/// pixel per cell. A null image if the panel has no cells.
QImage reducedCellImage(const Heatmap& map, QSize pixels);

extern template void writePixelRow<std::uint32_t>(const Heatmap&, const std::vector<std::uint32_t>&, QRgb*);
extern template void writePixelRow<std::uint64_t>(const Heatmap&, const std::vector<std::uint64_t>&, QRgb*);

} // namespace maskscope::ui
