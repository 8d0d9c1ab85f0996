// SPDX-License-Identifier: MIT
#include "mask/maskgrid.h"

#include "base/contract.h"

#include <algorithm>
#include <string>

namespace maskscope {

namespace {

void checkEdges(const std::vector<int>& edges, int limit, const char* what)
{
    if (edges.size() < 2)
        throw InputError(std::string(what) + " edges need at least 2 entries");
    if (edges.front() < 0 || edges.back() > limit)
        throw InputError(std::string(what) + " edges leave 0.." + std::to_string(limit));
    for (size_t k = 1; k < edges.size(); ++k)
        if (edges[k] <= edges[k - 1])
            throw InputError(std::string(what) + " edges must increase strictly");
}

// Edges that split `range` into `bins` floor-spaced parts, each at least one index wide.
std::vector<int> evenEdges(IndexRange range, int bins)
{
    std::vector<int> edges(static_cast<size_t>(bins) + 1);
    for (int k = 0; k <= bins; ++k)
        edges[static_cast<size_t>(k)] =
            range.begin + static_cast<int>(static_cast<long long>(k) * range.size() / bins);
    return edges;
}

std::vector<int> binOfPixel(int pixels, int bins)
{
    std::vector<int> map(static_cast<size_t>(pixels));
    for (int p = 0; p < pixels; ++p)
        map[static_cast<size_t>(p)] = static_cast<int>(static_cast<long long>(p) * bins / pixels);
    return map;
}

} // namespace

namespace {

// The spec an inverted one complements, or null when `spec` is not inverted.
std::unique_ptr<const MaskSpec> intendedIfInverted(const MaskSpec& spec)
{
    if (!spec.pitfalls.has(Pitfall::InvertedPolarity))
        return nullptr;
    auto intended = std::make_unique<MaskSpec>(spec);
    intended->pitfalls.mistakes.set(Pitfall::InvertedPolarity, false);
    return intended;
}

} // namespace

AllowedCounter::AllowedCounter(const MaskSpec& spec, int b, std::vector<int> colEdges)
    : intended_(intendedIfInverted(spec)), rows_(intended_ ? *intended_ : spec), b_(b),
      colEdges_(std::move(colEdges))
{
    MASKSCOPE_EXPECTS(0 <= b && b < spec.batch);
    checkEdges(colEdges_, spec.keyLen, "column");
    fullBins_.assign(colEdges_.size(), 0);
    fullStrided_.assign(colEdges_.size(), 0);
    residueTree_.assign(static_cast<size_t>(spec.rules.dilation) + 1, 0);
}

int AllowedCounter::binOf(int j) const
{
    return static_cast<int>(std::upper_bound(colEdges_.begin(), colEdges_.end(), j) -
                            colEdges_.begin()) - 1;
}

// A unit-step span adds its partial end bins directly and marks the bins it covers whole in a
// difference array, so a long run costs O(1) instead of O(bins).
void AllowedCounter::addSpan(KeySpan span, std::span<std::int64_t> out)
{
    span = span.clippedTo(colEdges_.front(), colEdges_.back() - 1);
    if (span.empty())
        return;
    if (span.step > 1) {
        addStridedSpan(span, out);
        return;
    }
    const int xf = binOf(span.first), xl = binOf(span.last);
    if (xf == xl) {
        out[static_cast<size_t>(xf)] += span.last - span.first + 1;
        return;
    }
    out[static_cast<size_t>(xf)] += colEdges_[static_cast<size_t>(xf) + 1] - span.first;
    out[static_cast<size_t>(xl)] += span.last - colEdges_[static_cast<size_t>(xl)] + 1;
    ++fullBins_[static_cast<size_t>(xf) + 1];
    --fullBins_[static_cast<size_t>(xl)];
}

// A dilated span counts its partly covered end bins directly. A bin [e, e + w) it covers whole
// holds w / d of its keys, plus one when (residue - e) mod d < w mod d; the sweep in
// addWholeStridedBins sums that over the band's rows with a Fenwick tree over residues, so an
// unbounded dilated row costs O(log d) per bin per band instead of O(bins) per row.
void AllowedCounter::addStridedSpan(KeySpan span, std::span<std::int64_t> out)
{
    const auto edge = [this](int x) { return colEdges_[static_cast<size_t>(x)]; };
    const int xf = binOf(span.first), xl = binOf(span.last);
    const int firstWhole = span.first == edge(xf) ? xf : xf + 1;
    const int lastWhole = span.last == edge(xl + 1) - 1 ? xl : xl - 1;
    const auto addDirectly = [&](int x) {
        if (x < firstWhole || x > lastWhole)
            out[static_cast<size_t>(x)] += span.clippedTo(edge(x), edge(x + 1) - 1).count();
    };
    addDirectly(xf);
    if (xl != xf)
        addDirectly(xl);
    if (firstWhole > lastWhole)
        return;
    const int residue = span.first % span.step;
    strideEvents_.push_back({firstWhole, residue, +1});
    strideEvents_.push_back({lastWhole + 1, residue, -1});
    ++fullStrided_[static_cast<size_t>(firstWhole)];
    --fullStrided_[static_cast<size_t>(lastWhole) + 1];
}

void AllowedCounter::addResidue(int residue, int delta)
{
    for (size_t k = static_cast<size_t>(residue) + 1; k < residueTree_.size(); k += k & (~k + 1))
        residueTree_[k] += delta;
}

int AllowedCounter::residuesBelow(int end) const
{
    int sum = 0;
    for (size_t k = static_cast<size_t>(end); k > 0; k -= k & (~k + 1))
        sum += residueTree_[k];
    return sum;
}

// Rows in the tree whose residue lies in the cyclic range [start, start + count) mod d.
int AllowedCounter::residuesIn(int start, int count) const
{
    const int d = static_cast<int>(residueTree_.size()) - 1;
    if (start + count <= d)
        return residuesBelow(start + count) - residuesBelow(start);
    return residuesBelow(d) - residuesBelow(start) + residuesBelow(start + count - d);
}

void AllowedCounter::addWholeStridedBins(std::span<std::int64_t> out)
{
    if (strideEvents_.empty())
        return;
    std::sort(strideEvents_.begin(), strideEvents_.end(),
              [](const StrideEvent& a, const StrideEvent& b) { return a.bin < b.bin; });
    const int d = static_cast<int>(residueTree_.size()) - 1;
    auto event = strideEvents_.begin();
    std::int64_t covering = 0;
    for (int x = 0; x < bins(); ++x) {
        for (; event != strideEvents_.end() && event->bin == x; ++event)
            addResidue(event->residue, event->delta);
        covering += fullStrided_[static_cast<size_t>(x)];
        if (covering == 0)
            continue;
        const int e = colEdges_[static_cast<size_t>(x)];
        const int w = colEdges_[static_cast<size_t>(x) + 1] - e;
        out[static_cast<size_t>(x)] += covering * (w / d);
        if (w % d != 0)
            out[static_cast<size_t>(x)] += residuesIn(e % d, w % d);
    }
    for (; event != strideEvents_.end(); ++event) // the stops after the last bin: empty the tree
        addResidue(event->residue, event->delta);
    strideEvents_.clear();
}

void AllowedCounter::addToggles(int i, const RowKeys& keys, std::span<std::int64_t> out) const
{
    for (const Cell& c : rows_.spec().rules.toggled.row(i))
        if (c.j >= colEdges_.front() && c.j < colEdges_.back())
            out[static_cast<size_t>(binOf(c.j))] += keys.contains(c.j) ? -1 : 1;
}

void AllowedCounter::addRowCellByCell(int i, std::span<std::int64_t> out)
{
    if (!rowBuffer_)
        rowBuffer_ = std::make_unique<bool[]>(static_cast<size_t>(rows_.spec().keyLen));
    rows_.allowedRow(b_, i, rowBuffer_.get());
    for (int x = 0; x < bins(); ++x)
        out[static_cast<size_t>(x)] += std::count(rowBuffer_.get() + colEdges_[static_cast<size_t>(x)],
                                                  rowBuffer_.get() + colEdges_[static_cast<size_t>(x) + 1], true);
}

void AllowedCounter::addRows(IndexRange rows, std::span<std::int64_t> out)
{
    MASKSCOPE_EXPECTS(0 <= rows.begin && rows.begin <= rows.end && rows.end <= rows_.spec().queryLen);
    MASKSCOPE_EXPECTS(out.size() == static_cast<std::size_t>(bins()));
    if (!intended_) {
        addIntendedRows(rows, out);
        return;
    }
    // Inverted: every cell the intended mask does not allow, bin by bin.
    complement_.assign(out.size(), 0);
    addIntendedRows(rows, complement_);
    for (size_t x = 0; x < out.size(); ++x)
        out[x] += std::int64_t(rows.size()) * (colEdges_[x + 1] - colEdges_[x]) - complement_[x];
}

void AllowedCounter::addIntendedRows(IndexRange rows, std::span<std::int64_t> out)
{
    std::fill(fullBins_.begin(), fullBins_.end(), 0);
    std::fill(fullStrided_.begin(), fullStrided_.end(), 0);
    for (int i = rows.begin; i < rows.end; ++i) {
        if (rows_.hasCellLayers()) {
            addRowCellByCell(i, out);
            continue;
        }
        rows_.rowKeys(b_, i, keys_);
        for (const KeySpan& span : keys_.spans)
            addSpan(span, out);
        addToggles(i, keys_, out);
    }
    addWholeBins(out);
    addWholeStridedBins(out);
}

void AllowedCounter::addWholeBins(std::span<std::int64_t> out)
{
    std::int64_t covering = 0;
    for (int x = 0; x < bins(); ++x) {
        covering += fullBins_[static_cast<size_t>(x)];
        out[static_cast<size_t>(x)] +=
            covering * (colEdges_[static_cast<size_t>(x) + 1] - colEdges_[static_cast<size_t>(x)]);
    }
}

std::vector<std::int64_t> countAllowedInGrid(const MaskSpec& spec, int b,
                                             const std::vector<int>& rowEdges,
                                             const std::vector<int>& colEdges)
{
    checkEdges(rowEdges, spec.queryLen, "row");
    AllowedCounter counter(spec, b, colEdges);
    const size_t cols = static_cast<size_t>(counter.bins());
    std::vector<std::int64_t> counts((rowEdges.size() - 1) * cols, 0);
    for (size_t y = 0; y + 1 < rowEdges.size(); ++y)
        counter.addRows({rowEdges[y], rowEdges[y + 1]}, std::span(counts).subspan(y * cols, cols));
    return counts;
}

std::int64_t AllowedRaster::area(int gy, int gx) const
{
    const auto y = static_cast<size_t>(gy), x = static_cast<size_t>(gx);
    return static_cast<std::int64_t>(rowEdges[y + 1] - rowEdges[y]) * (colEdges[x + 1] - colEdges[x]);
}

std::int64_t AllowedRaster::allowedCells(int x, int y) const
{
    const int gy = gridRowOfPixel[static_cast<size_t>(y)], gx = gridColOfPixel[static_cast<size_t>(x)];
    return counts[static_cast<size_t>(gy) * static_cast<size_t>(gridCols()) + static_cast<size_t>(gx)];
}

float AllowedRaster::coverage(int x, int y) const
{
    const int gy = gridRowOfPixel[static_cast<size_t>(y)], gx = gridColOfPixel[static_cast<size_t>(x)];
    return static_cast<float>(static_cast<double>(allowedCells(x, y)) / static_cast<double>(area(gy, gx)));
}

Coverage AllowedRaster::state(int x, int y) const
{
    const std::int64_t n = allowedCells(x, y);
    if (n == 0)
        return Coverage::AllBlocked;
    const int gy = gridRowOfPixel[static_cast<size_t>(y)], gx = gridColOfPixel[static_cast<size_t>(x)];
    return n == area(gy, gx) ? Coverage::AllAllowed : Coverage::Mixed;
}

IndexRange AllowedRaster::rowsOfPixel(int y) const
{
    const auto gy = static_cast<size_t>(gridRowOfPixel[static_cast<size_t>(y)]);
    return {rowEdges[gy], rowEdges[gy + 1]};
}

IndexRange AllowedRaster::colsOfPixel(int x) const
{
    const auto gx = static_cast<size_t>(gridColOfPixel[static_cast<size_t>(x)]);
    return {colEdges[gx], colEdges[gx + 1]};
}

AllowedRaster rasterizeAllowed(const MaskSpec& spec, int b, IndexRange rows, IndexRange cols,
                               int width, int height)
{
    if (width < 1 || height < 1)
        throw InputError("a raster needs at least 1x1 pixels");
    if (rows.begin < 0 || rows.end > spec.queryLen || rows.size() < 1 || cols.begin < 0 ||
        cols.end > spec.keyLen || cols.size() < 1)
        throw InputError("the raster's viewport leaves the (" + std::to_string(spec.queryLen) + ", " +
                         std::to_string(spec.keyLen) + ") mask");
    AllowedRaster r;
    r.width = width;
    r.height = height;
    r.rowEdges = evenEdges(rows, std::min(rows.size(), height));
    r.colEdges = evenEdges(cols, std::min(cols.size(), width));
    r.gridRowOfPixel = binOfPixel(height, r.gridRows());
    r.gridColOfPixel = binOfPixel(width, r.gridCols());
    r.counts = countAllowedInGrid(spec, b, r.rowEdges, r.colEdges);
    return r;
}

} // namespace maskscope
