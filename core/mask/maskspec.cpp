// SPDX-License-Identifier: MIT
#include "mask/maskspec.h"

#include "attention/precision.h"
#include "base/contract.h"
#include "mask/positions.h"

#include <algorithm>
#include <limits>

namespace maskscope {

namespace {

std::string shapeText(Eigen::Index rows, Eigen::Index cols)
{
    return "(" + std::to_string(rows) + ", " + std::to_string(cols) + ")";
}

bool paddedPosition(int position, int length, int valid, PadSide side)
{
    return side == PadSide::Right ? position >= valid : position < length - valid;
}

using positions::floorDiv;
using positions::floorMod;

int segmentIndex(const std::vector<int>& segments, long long position)
{
    long long end = 0;
    for (size_t k = 0; k < segments.size(); ++k) {
        end += segments[k];
        if (position < end)
            return static_cast<int>(k);
    }
    return -1;
}

bool sameDocument(const std::vector<int>& segments, long long alignedI, int j, int keyLen)
{
    if (alignedI < 0 || alignedI >= keyLen)
        return false; // a query placed outside the key sequence belongs to no document
    return segmentIndex(segments, alignedI) == segmentIndex(segments, j);
}

bool causalAllows(const MaskSpec& spec, long long ip, int j)
{
    if (spec.pitfalls.has(Pitfall::CausalBackwards))
        return j > ip; // validate() rules out a prefix here
    return j <= ip || j < spec.rules.prefix;
}

// Node k = i' - P of a draft tree sees the prefix, itself and its ancestors.
bool treeAllows(const MaskSpec& spec, long long ip, int j)
{
    const std::vector<int>& parent = spec.rules.tree;
    const long long prefix = spec.keyLen - static_cast<long long>(parent.size());
    if (ip < prefix)
        return j <= ip;
    if (ip >= spec.keyLen)
        return false;
    if (j < prefix)
        return true;
    for (long long k = ip - prefix; k >= 0; k = parent[static_cast<size_t>(k)])
        if (k == j - prefix)
            return true;
    return false;
}

bool neighborhoodAllows(const MaskSpec& spec, long long ip, int j)
{
    const Neighborhood& n = spec.rules.neighborhood;
    if (ip < 0 || ip >= spec.keyLen)
        return false;
    const positions::GridCell centre = positions::neighborhoodCentre(n, ip);
    return std::llabs(j / n.width - centre.y) <= n.kernelHeight / 2 &&
           std::llabs(j % n.width - centre.x) <= n.kernelWidth / 2;
}

bool structuralAllows(const MaskSpec& spec, long long ip, int j)
{
    const MaskRules& r = spec.rules;
    if (spec.causal && !causalAllows(spec, ip, j))
        return false;
    if (r.windowLeft >= 0 && j < ip - r.windowLeft)
        return false;
    if (r.windowRight >= 0 && j > ip + r.windowRight)
        return false;
    if (r.dilation > 1 && floorMod(ip - j, r.dilation) != 0)
        return false;
    if (!r.segments.empty() && !sameDocument(r.segments, ip, j, spec.keyLen))
        return false;
    if (r.chunk > 0 && floorDiv(ip, r.chunk) != floorDiv(j, r.chunk))
        return false;
    if (r.blockCausal > 0 && floorDiv(j, r.blockCausal) > floorDiv(ip, r.blockCausal))
        return false;
    if (!r.tree.empty() && !treeAllows(spec, ip, j))
        return false;
    if (r.neighborhood.active() && !neighborhoodAllows(spec, ip, j))
        return false;
    return true;
}

bool grants(const MaskRules& r, long long ip, int j)
{
    if ((ip >= 0 && ip < r.globalTokens) || j < r.globalTokens)
        return true;
    if (j < r.sink && j <= ip)
        return true;
    for (const PositionSpan& span : r.bidirectional)
        if (span.contains(ip) && span.contains(j))
            return true;
    return false;
}

bool paddingMasked(const MaskSpec& spec)
{
    return !spec.pitfalls.has(Pitfall::UnmaskedPadding);
}

bool syntheticPad(const MaskSpec& spec, int b, int j)
{
    return paddingMasked(spec) && !spec.validLens.empty() &&
           paddedPosition(j, spec.keyLen, spec.validLens[static_cast<size_t>(b)], spec.padSide);
}

bool loadedBlocks(const MaskSpec& spec, int b, int i, int j)
{
    if (spec.keyPaddingMask && paddingMasked(spec) && (*spec.keyPaddingMask)(b, j))
        return true;
    if (!spec.attnMask)
        return false;
    if (spec.attnMask->isBool)
        return spec.attnMask->blocked(i, j);
    return spec.attnMask->additive(i, j) <= kFloatMaskBlockThreshold;
}

} // namespace

const char* padSideName(PadSide side)
{
    return side == PadSide::Right ? "right" : "left";
}

const char* causalAlignName(CausalAlign align)
{
    return align == CausalAlign::TopLeft ? "top-left" : "bottom-right";
}

void CellToggles::toggle(int i, int j)
{
    const Cell cell{i, j};
    const auto at = std::lower_bound(cells_.begin(), cells_.end(), cell);
    if (at != cells_.end() && *at == cell)
        cells_.erase(at);
    else
        cells_.insert(at, cell);
}

bool CellToggles::contains(int i, int j) const
{
    return std::binary_search(cells_.begin(), cells_.end(), Cell{i, j});
}

std::span<const Cell> CellToggles::row(int i) const
{
    const auto first = std::lower_bound(cells_.begin(), cells_.end(), Cell{i, std::numeric_limits<int>::min()});
    const auto last = std::lower_bound(first, cells_.end(), Cell{i + 1, std::numeric_limits<int>::min()});
    return {first, last};
}

CellToggles CellToggles::clippedTo(int lq, int lk) const
{
    CellToggles clipped;
    for (const Cell& c : cells_)
        if (c.i >= 0 && c.i < lq && c.j >= 0 && c.j < lk)
            clipped.cells_.push_back(c);
    return clipped;
}

void MaskSpec::validate() const
{
    if (queryLen < 1 || keyLen < 1 || batch < 1)
        throw InputError("sizes must be at least 1 (query length " + std::to_string(queryLen) +
                         ", key length " + std::to_string(keyLen) + ", batch " +
                         std::to_string(batch) + ")");
    if (selfAttention && queryLen != keyLen)
        throw InputError("self-attention needs query length == key length (" +
                         std::to_string(queryLen) + " vs " + std::to_string(keyLen) + ")");
    if (!validLens.empty() && static_cast<int>(validLens.size()) != batch)
        throw InputError(std::to_string(validLens.size()) + " valid lengths given for batch size " +
                         std::to_string(batch));
    for (const int v : validLens)
        if (v < 0 || v > keyLen)
            throw InputError("valid length " + std::to_string(v) + " is outside 0.." +
                             std::to_string(keyLen));
    if (attnMask) {
        const auto rows = attnMask->isBool ? attnMask->blocked.rows() : attnMask->additive.rows();
        const auto cols = attnMask->isBool ? attnMask->blocked.cols() : attnMask->additive.cols();
        if (rows != queryLen || cols != keyLen)
            throw InputError("attn_mask has shape " + shapeText(rows, cols) + " but attention is " +
                             shapeText(queryLen, keyLen));
    }
    if (keyPaddingMask && (keyPaddingMask->rows() != batch || keyPaddingMask->cols() != keyLen))
        throw InputError("key_padding_mask has shape " +
                         shapeText(keyPaddingMask->rows(), keyPaddingMask->cols()) +
                         " but expected (batch, key length) = " + shapeText(batch, keyLen));
    validateRules();
}

void MaskSpec::validateRules() const
{
    const MaskRules& r = rules;
    if (r.windowLeft < -1 || r.windowRight < -1)
        throw InputError("window sizes must be -1 (unbounded) or at least 0, got " +
                         std::to_string(r.windowLeft) + "," + std::to_string(r.windowRight));
    if (r.dilation < 1)
        throw InputError("dilation must be at least 1, got " + std::to_string(r.dilation));
    if (r.prefix < 0 || r.prefix > keyLen)
        throw InputError("prefix " + std::to_string(r.prefix) + " is outside 0.." + std::to_string(keyLen) +
                         " (the key length)");
    if (r.prefix > 0 && !causal)
        throw InputError("a prefix-LM prefix needs the causal rule");
    if (pitfalls.has(Pitfall::CausalBackwards) && !causal)
        throw InputError("the causal-backwards mistake needs the causal rule (--causal): it builds "
                         "that mask the wrong way round");
    if (pitfalls.has(Pitfall::CausalBackwards) && r.prefix > 0)
        throw InputError("the causal-backwards mistake models a plain causal mask; it cannot be "
                         "combined with a prefix-LM prefix");
    validateSegments();
    if (r.chunk < 0)
        throw InputError("chunk size must be 0 (off) or at least 1, got " + std::to_string(r.chunk));
    if (r.globalTokens < 0 || r.globalTokens > keyLen)
        throw InputError("global tokens " + std::to_string(r.globalTokens) + " is outside 0.." +
                         std::to_string(keyLen) + " (the key length)");
    validateSinkAndBlocks();
    validateBidirectional();
    validateTree();
    validateNeighborhood();
    for (const Cell& c : r.toggled.cells())
        if (c.i < 0 || c.i >= queryLen || c.j < 0 || c.j >= keyLen)
            throw InputError("toggled cell " + std::to_string(c.i) + ":" + std::to_string(c.j) +
                             " is outside the " + shapeText(queryLen, keyLen) + " mask");
    if (allowedFile && (allowedFile->rows() != queryLen || allowedFile->cols() != keyLen))
        throw InputError("mask file has shape " + shapeText(allowedFile->rows(), allowedFile->cols()) +
                         " but attention is " + shapeText(queryLen, keyLen));
}

void MaskSpec::validateSinkAndBlocks() const
{
    const MaskRules& r = rules;
    if (r.sink < 0 || r.sink > keyLen)
        throw InputError("sink tokens " + std::to_string(r.sink) + " is outside 0.." + std::to_string(keyLen) +
                         " (the key length)");
    if (r.blockCausal < 0)
        throw InputError("block-causal block size must be 0 (off) or at least 1, got " +
                         std::to_string(r.blockCausal));
}

void MaskSpec::validateBidirectional() const
{
    int previousEnd = 0;
    for (const PositionSpan& span : rules.bidirectional) {
        const std::string text = std::to_string(span.begin) + ":" + std::to_string(span.end);
        if (span.begin < 0 || span.end <= span.begin || span.end > keyLen)
            throw InputError("bidirectional span " + text + " must satisfy 0 <= a < b <= " +
                             std::to_string(keyLen) + " (the key length)");
        if (span.begin < previousEnd)
            throw InputError("bidirectional spans must be in increasing order without overlap, at " + text);
        previousEnd = span.end;
    }
}

void MaskSpec::validateTree() const
{
    const std::vector<int>& parent = rules.tree;
    const int nodes = static_cast<int>(parent.size());
    if (nodes > keyLen || nodes > kMaxTreeNodes)
        throw InputError("a tree of " + std::to_string(nodes) + " nodes needs at most min(key length " +
                         std::to_string(keyLen) + ", " + std::to_string(kMaxTreeNodes) + ") nodes");
    for (int k = 0; k < nodes; ++k)
        if (parent[static_cast<size_t>(k)] < -1 || parent[static_cast<size_t>(k)] >= k)
            throw InputError("tree node " + std::to_string(k) + " has parent " +
                             std::to_string(parent[static_cast<size_t>(k)]) +
                             "; a parent is an earlier node (0.." + std::to_string(k - 1) + ") or -1");
}

void MaskSpec::validateNeighborhood() const
{
    const Neighborhood& n = rules.neighborhood;
    if (n == Neighborhood{})
        return;
    const auto odd = [](int k) { return k % 2 == 1; };
    if (n.height < 1 || n.width < 1 || static_cast<long long>(n.height) * n.width != keyLen)
        throw InputError("a neighborhood grid of " + std::to_string(n.height) + " x " + std::to_string(n.width) +
                         " needs H, W >= 1 and H * W == the key length " + std::to_string(keyLen));
    if (!odd(n.kernelHeight) || !odd(n.kernelWidth) || n.kernelHeight > n.height || n.kernelWidth > n.width)
        throw InputError("neighborhood kernel " + std::to_string(n.kernelHeight) + " x " +
                         std::to_string(n.kernelWidth) + " must be odd and fit the " +
                         std::to_string(n.height) + " x " + std::to_string(n.width) + " grid");
}

void MaskSpec::validateSegments() const
{
    long long sum = 0;
    for (const int length : rules.segments) {
        if (length < 1)
            throw InputError("segment lengths must be at least 1, got " + std::to_string(length));
        sum += length;
    }
    if (!rules.segments.empty() && sum != keyLen)
        throw InputError("segment lengths sum to " + std::to_string(sum) + " but the key length is " +
                         std::to_string(keyLen));
}

bool MaskSpec::keyIsPad(int b, int j) const
{
    if (keyPaddingMask && (*keyPaddingMask)(b, j))
        return true;
    return !validLens.empty() &&
           paddedPosition(j, keyLen, validLens[static_cast<size_t>(b)], padSide);
}

bool MaskSpec::queryIsPad(int b, int i) const
{
    return selfAttention && keyIsPad(b, i);
}

std::vector<bool> MaskSpec::queryPadFlags(int b) const
{
    std::vector<bool> flags(static_cast<size_t>(queryLen));
    for (int i = 0; i < queryLen; ++i)
        flags[static_cast<size_t>(i)] = queryIsPad(b, i);
    return flags;
}

std::vector<bool> MaskSpec::keyPadFlags(int b) const
{
    std::vector<bool> flags(static_cast<size_t>(keyLen));
    for (int j = 0; j < keyLen; ++j)
        flags[static_cast<size_t>(j)] = keyIsPad(b, j);
    return flags;
}

int alignedQueryOffset(const MaskSpec& spec)
{
    return spec.rules.causalAlign == CausalAlign::BottomRight ? spec.keyLen - spec.queryLen : 0;
}

bool allowedAt(const MaskSpec& spec, int b, int i, int j)
{
    MASKSCOPE_EXPECTS(0 <= b && b < spec.batch);
    MASKSCOPE_EXPECTS(0 <= i && i < spec.queryLen && 0 <= j && j < spec.keyLen);
    const long long ip = static_cast<long long>(i) + alignedQueryOffset(spec);
    bool allowed = structuralAllows(spec, ip, j) || grants(spec.rules, ip, j);
    if (spec.allowedFile)
        allowed = allowed && (*spec.allowedFile)(i, j);
    allowed = allowed && !syntheticPad(spec, b, j);
    if (spec.rules.toggled.contains(i, j))
        allowed = !allowed;
    const bool intended = allowed && !loadedBlocks(spec, b, i, j);
    return spec.pitfalls.has(Pitfall::InvertedPolarity) ? !intended : intended;
}

MaskSpec intendedMask(const MaskSpec& spec)
{
    MaskSpec intended = spec;
    for (const Pitfall p : {Pitfall::InvertedPolarity, Pitfall::UnmaskedPadding, Pitfall::CausalBackwards})
        intended.pitfalls.mistakes.set(p, false);
    return intended;
}

namespace {

void setSpans(const RowKeys& keys, bool* row)
{
    for (const KeySpan& s : keys.spans) {
        for (int j = s.first; j <= s.last; j += s.step)
            row[j] = true;
    }
}

bool allUnitStep(const RowKeys& keys)
{
    return std::all_of(keys.spans.begin(), keys.spans.end(), [](const KeySpan& s) { return s.step == 1; });
}

// Writes `fill` over the keys outside the spans (unit-step spans only), a few block writes.
template <typename T>
void fillOutsideSpans(const RowKeys& keys, T fill, T* row, int keyLen)
{
    int next = 0;
    for (const KeySpan& s : keys.spans) {
        std::fill(row + next, row + s.first, fill);
        next = s.last + 1;
    }
    std::fill(row + next, row + keyLen, fill);
}

} // namespace

void RowEvaluator::allowedRow(int b, int i, bool* row) const
{
    MASKSCOPE_EXPECTS(0 <= b && b < spec_.batch && 0 <= i && i < spec_.queryLen);
    const MaskSpec& spec = spec_;
    std::fill(row, row + spec.keyLen, false);
    setSpans(rowKeys(b, i), row);
    if (spec.allowedFile) {
        const bool* file = spec.allowedFile->row(i).data();
        for (int j = 0; j < spec.keyLen; ++j)
            row[j] = row[j] && file[j];
    }
    for (const Cell& c : spec.rules.toggled.row(i))
        row[c.j] = !row[c.j];
    if (spec.attnMask || spec.keyPaddingMask)
        for (int j = 0; j < spec.keyLen; ++j)
            row[j] = row[j] && !loadedBlocks(spec, b, i, j);
    if (spec.pitfalls.has(Pitfall::InvertedPolarity))
        std::transform(row, row + spec.keyLen, row, [](bool a) { return !a; });
}

BoolMatrix allowedMatrix(const MaskSpec& spec, int b)
{
    MASKSCOPE_EXPECTS(0 <= b && b < spec.batch);
    BoolMatrix allowed(spec.queryLen, spec.keyLen);
    const RowEvaluator rows(spec);
    for (int i = 0; i < spec.queryLen; ++i)
        rows.allowedRow(b, i, allowed.row(i).data());
    return allowed;
}

namespace {

// The inverted mask has no loaded values to keep: 0 where (inverted) allowed, the fill elsewhere.
template <typename T>
void invertedAdditiveMask(const MaskSpec& spec, int b, T fill, Matrix<T>& out)
{
    const RowEvaluator rows(spec);
    BoolMatrix allowed(1, spec.keyLen);
    for (int i = 0; i < spec.queryLen; ++i) {
        rows.allowedRow(b, i, allowed.data());
        out.row(i) = allowed.select(Matrix<T>::Zero(1, spec.keyLen),
                                    Matrix<T>::Constant(1, spec.keyLen, fill));
    }
}

} // namespace

template <typename T>
void additiveMask(const MaskSpec& spec, int b, Matrix<T>& out)
{
    MASKSCOPE_EXPECTS(0 <= b && b < spec.batch);
    constexpr T negInf = -std::numeric_limits<T>::infinity();
    out.resize(spec.queryLen, spec.keyLen);
    const NumberFormat format = spec.pitfalls.format;
    const T fill = fillIn<T>(spec.fill, format);
    if (spec.pitfalls.has(Pitfall::InvertedPolarity)) {
        invertedAdditiveMask(spec, b, fill, out);
        return;
    }
    if (!spec.attnMask)
        out.setZero();
    else if (spec.attnMask->isBool)
        out = spec.attnMask->blocked.select(Matrix<T>::Constant(spec.queryLen, spec.keyLen, negInf),
                                            Matrix<T>::Zero(spec.queryLen, spec.keyLen));
    else
        out = spec.attnMask->additive.template cast<T>();
    // As nn.MultiheadAttention: padded keys are set to -inf (masked_fill), not added to.
    if (spec.keyPaddingMask && paddingMasked(spec))
        for (int j = 0; j < spec.keyLen; ++j)
            if ((*spec.keyPaddingMask)(b, j))
                out.col(j).setConstant(negInf);
    // Then the synthetic rules overwrite their blocked cells with the fill; the loaded value
    // stays where they allow (so a loaded float bias survives).
    const RowEvaluator rows(spec);
    BoolMatrix flagRow; // one row's synthetic allowance, for rows that need it cell by cell
    RowKeys keys;
    for (int i = 0; i < spec.queryLen; ++i) {
        rows.rowKeys(b, i, keys);
        T* row = out.row(i).data();
        const auto toggles = spec.rules.toggled.row(i);
        if (!spec.allowedFile && toggles.empty() && allUnitStep(keys)) {
            fillOutsideSpans(keys, fill, row, spec.keyLen);
            continue;
        }
        flagRow.setConstant(1, spec.keyLen, false);
        bool* flags = flagRow.data();
        setSpans(keys, flags);
        if (spec.allowedFile)
            flagRow = flagRow && spec.allowedFile->row(i);
        for (const Cell& c : toggles)
            flags[c.j] = !flags[c.j];
        for (int j = 0; j < spec.keyLen; ++j)
            if (!flags[j])
                row[j] = fill;
    }
    roundTo(format, out); // a loaded float mask's values too
}

template void additiveMask<float>(const MaskSpec&, int, Matrix<float>&);
template void additiveMask<double>(const MaskSpec&, int, Matrix<double>&);

std::vector<bool> fullyBlockedRows(const BoolMatrix& allowed)
{
    std::vector<bool> rows(static_cast<size_t>(allowed.rows()));
    for (Eigen::Index i = 0; i < allowed.rows(); ++i)
        rows[static_cast<size_t>(i)] = !allowed.row(i).any();
    return rows;
}

} // namespace maskscope
