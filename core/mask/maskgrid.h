// SPDX-License-Identifier: MIT
#pragma once
// Counting allowed cells over a grid of rectangles without materialising the (Lq, Lk) matrix:
// the exact engine behind the long-context mask view (rasters) and block sparsity (tiles).

#include "mask/maskspec.h"

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace maskscope {

/// Half-open index range [begin, end).
struct IndexRange {
    int begin = 0;
    int end = 0;

    int size() const { return end - begin; }
    friend bool operator==(const IndexRange&, const IndexRange&) = default;
};

/// Counts the allowed cells of batch item b per column bin, row by row.
/// Column bins are given by `colEdges`: bin x holds keys [colEdges[x], colEdges[x + 1]).
/// Cost per row: O(1) span arithmetic plus a binary search per span end (O(bins touched) for
/// dilated rows), plus O(toggles in the row); per band of rows O(bins). Rows of specs with a mask
/// file or --load masks are counted cell by cell, O(keyLen) per row (their sizes are bounded by
/// the files). A spec with the inverted-polarity mistake is counted as the complement of its
/// intended mask, at the same cost. Memory: O(bins). Keeps references: spec must outlive the
/// counter. Holds scratch,
/// so use one counter per thread (the free functions below are safe to call from any thread).
/// Preconditions: spec.validate() passes; 0 <= b < batch; colEdges has >= 2 strictly increasing
/// entries within [0, keyLen] (throws InputError otherwise).
class AllowedCounter {
public:
    AllowedCounter(const MaskSpec& spec, int b, std::vector<int> colEdges);

    int bins() const { return static_cast<int>(colEdges_.size()) - 1; }
    const std::vector<int>& colEdges() const { return colEdges_; }

    /// Adds to out[x] the allowed cells of rows [rows.begin, rows.end) in bin x.
    /// Preconditions: 0 <= rows.begin <= rows.end <= queryLen; out.size() == bins().
    void addRows(IndexRange rows, std::span<std::int64_t> out);

private:
    // A dilated row starts (delta +1) or stops (delta -1) covering bins whole from `bin` on;
    // `residue` is the residue modulo the dilation of the keys it allows.
    struct StrideEvent {
        int bin;
        int residue;
        int delta;
    };

    int binOf(int j) const;
    void addIntendedRows(IndexRange rows, std::span<std::int64_t> out);
    void addSpan(KeySpan span, std::span<std::int64_t> out);
    void addStridedSpan(KeySpan span, std::span<std::int64_t> out);
    void addToggles(int i, const RowKeys& keys, std::span<std::int64_t> out) const;
    void addRowCellByCell(int i, std::span<std::int64_t> out);
    void addWholeBins(std::span<std::int64_t> out);
    void addWholeStridedBins(std::span<std::int64_t> out);
    void addResidue(int residue, int delta);
    int residuesBelow(int end) const;
    int residuesIn(int start, int count) const;

    std::unique_ptr<const MaskSpec> intended_; // set for an inverted spec: what it complements
    RowEvaluator rows_;                         // of *intended_, or of the spec
    RowKeys keys_;                              // the current row's, storage reused
    int b_;
    std::vector<int> colEdges_;
    std::vector<std::int64_t> fullBins_; // difference array: unit-step rows covering a whole bin
    std::vector<std::int64_t> fullStrided_; // the same for dilated rows
    std::vector<StrideEvent> strideEvents_;
    std::vector<int> residueTree_;        // Fenwick tree: dilated rows covering the bin, by residue
    std::unique_ptr<bool[]> rowBuffer_;  // keyLen cells, only for the cell-by-cell path
    std::vector<std::int64_t> complement_; // per bin, the intended counts of an inverted spec
};

/// Exact count of allowed cells of batch item b in every rectangle of a grid: rectangle (y, x)
/// holds rows [rowEdges[y], rowEdges[y + 1]) and keys [colEdges[x], colEdges[x + 1]).
/// Returns (rowEdges.size() - 1) * (colEdges.size() - 1) counts, row-major.
/// Cost: O(rows spanned + grid cells) as AllowedCounter; memory O(grid cells).
/// Preconditions: edges strictly increasing, rowEdges within [0, queryLen], colEdges within
/// [0, keyLen], each with >= 2 entries (throws InputError otherwise).
std::vector<std::int64_t> countAllowedInGrid(const MaskSpec& spec, int b,
                                             const std::vector<int>& rowEdges,
                                             const std::vector<int>& colEdges);

/// What a pixel shows: none, some or all of its cells allowed.
enum class Coverage : std::uint8_t { AllBlocked, Mixed, AllAllowed };

/// A viewport of the allowed matrix at screen resolution.
/// The viewport's R rows are split into gridRows = min(R, height) bands of floor-spaced edges
/// (each band >= 1 row); pixel row y shows band gridRowOfPixel[y] = floor(y * gridRows / height).
/// Zoomed out a pixel covers several cells; zoomed in (R < height) several pixels show one cell.
/// Columns likewise. Invariant: counts[gy * gridCols() + gx] is the exact number of allowed cells
/// in band (gy, gx), whose area is area(gy, gx).
struct AllowedRaster {
    int width = 0;
    int height = 0;
    std::vector<int> rowEdges;         ///< gridRows() + 1 row indices
    std::vector<int> colEdges;         ///< gridCols() + 1 key indices
    std::vector<int> gridRowOfPixel;   ///< height entries
    std::vector<int> gridColOfPixel;   ///< width entries
    std::vector<std::int64_t> counts;  ///< gridRows() * gridCols(), row-major

    int gridRows() const { return static_cast<int>(rowEdges.size()) - 1; }
    int gridCols() const { return static_cast<int>(colEdges.size()) - 1; }
    std::int64_t area(int gy, int gx) const;
    std::int64_t allowedCells(int x, int y) const; ///< in the cells pixel (x, y) shows
    float coverage(int x, int y) const;            ///< allowed fraction of pixel (x, y), 0..1
    Coverage state(int x, int y) const;
    /// Rows (y) and keys (x) of the cells pixel (x, y) shows, e.g. for a tooltip.
    IndexRange rowsOfPixel(int y) const;
    IndexRange colsOfPixel(int x) const;
};

/// Rasterises the viewport rows x cols of batch item b's allowed matrix to width x height pixels.
/// Exact (counts, not samples). Cost O(rows.size() + width * height) time (plus what
/// AllowedCounter says for dilation, mask files and loaded masks), O(width * height) memory;
/// the (Lq, Lk) matrix is never materialised.
/// Preconditions: spec.validate(); 0 <= b < batch; 0 <= rows.begin < rows.end <= queryLen;
/// 0 <= cols.begin < cols.end <= keyLen; width, height >= 1 (throws InputError otherwise).
AllowedRaster rasterizeAllowed(const MaskSpec& spec, int b, IndexRange rows, IndexRange cols,
                               int width, int height);

} // namespace maskscope
