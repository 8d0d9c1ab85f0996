// SPDX-License-Identifier: MIT
// The per-row form of the mask rules (RowEvaluator, declared in maskspec.h): each row's allowed
// keys as a few spans, so that long masks are counted and drawn without visiting every cell.
// It must agree with allowedAt() on every cell; tst_maskrules checks it against the definition.
#include "mask/maskspec.h"

#include "base/contract.h"
#include "mask/positions.h"

#include <algorithm>

namespace maskscope {

using positions::floorDiv;
using positions::floorMod;

KeySpan KeySpan::clippedTo(long long lo, long long hi) const
{
    if (empty())
        return *this;
    const long long from = std::max<long long>(first, lo);
    const long long to = std::min<long long>(last, hi);
    const long long alignedFirst = first + (from - first + step - 1) / step * step;
    if (to < alignedFirst)
        return KeySpan{0, -1, 1};
    const long long alignedLast = first + (to - first) / step * step;
    return KeySpan{static_cast<int>(alignedFirst), static_cast<int>(alignedLast), step};
}

bool RowKeys::contains(int j) const
{
    for (const KeySpan& s : spans)
        if (s.contains(j))
            return true;
    return false;
}

RowEvaluator::RowEvaluator(const MaskSpec& spec)
    : spec_(spec), offset_(alignedQueryOffset(spec)),
      // The complement of the spans is not a few spans: an inverted mask goes cell by cell.
      hasCellLayers_(spec.allowedFile || spec.attnMask || spec.keyPaddingMask ||
                     spec.pitfalls.has(Pitfall::InvertedPolarity))
{
    int start = 0;
    for (const int length : spec.rules.segments) {
        segmentStarts_.push_back(start);
        start += length;
    }
    segmentStarts_.push_back(start);
}

namespace {

using Runs = std::vector<std::pair<long long, long long>>;

// The cells both sorted, disjoint run lists hold.
void intersect(const Runs& a, const Runs& b, Runs& out)
{
    out.clear();
    for (size_t x = 0, y = 0; x < a.size() && y < b.size();) {
        const long long lo = std::max(a[x].first, b[y].first);
        const long long hi = std::min(a[x].second, b[y].second);
        if (lo <= hi)
            out.emplace_back(lo, hi);
        (a[x].second < b[y].second ? x : y)++;
    }
}

// Sorts runs and merges the ones that overlap or touch.
void mergeRuns(Runs& runs)
{
    std::sort(runs.begin(), runs.end());
    size_t kept = 0;
    for (const auto& run : runs) {
        if (kept > 0 && run.first <= runs[kept - 1].second + 1)
            runs[kept - 1].second = std::max(runs[kept - 1].second, run.second);
        else
            runs[kept++] = run;
    }
    runs.resize(kept);
}

} // namespace

// The rules that bound the row to one interval: causal, window, documents, chunks and
// block-causal. Empty (first > last) when they allow nothing.
RowEvaluator::Run RowEvaluator::structuralBounds(long long ip) const
{
    const MaskRules& r = spec_.rules;
    long long lo = 0, hi = spec_.keyLen - 1;
    if (spec_.causal && spec_.pitfalls.has(Pitfall::CausalBackwards))
        lo = std::max(lo, ip + 1);
    else if (spec_.causal)
        hi = std::min(hi, std::max(ip, static_cast<long long>(r.prefix) - 1));
    if (r.windowLeft >= 0)
        lo = std::max(lo, ip - r.windowLeft);
    if (r.windowRight >= 0)
        hi = std::min(hi, ip + r.windowRight);
    if (!r.segments.empty()) {
        if (ip < 0 || ip >= spec_.keyLen)
            return {0, -1};
        const auto next = std::upper_bound(segmentStarts_.begin(), segmentStarts_.end(), ip);
        lo = std::max<long long>(lo, *(next - 1));
        hi = std::min<long long>(hi, *next - 1);
    }
    if (r.chunk > 0) {
        const long long start = floorDiv(ip, r.chunk) * r.chunk;
        lo = std::max(lo, start);
        hi = std::min(hi, start + r.chunk - 1);
    }
    if (r.blockCausal > 0)
        hi = std::min(hi, (floorDiv(ip, r.blockCausal) + 1) * r.blockCausal - 1);
    return {lo, hi};
}

// A prefix row is causal; a node row holds the prefix, then its ancestors and itself.
void RowEvaluator::treeRuns(long long ip, Runs& runs) const
{
    const std::vector<int>& parent = spec_.rules.tree;
    const long long prefix = spec_.keyLen - static_cast<long long>(parent.size());
    runs.clear();
    if (ip < prefix) {
        if (ip >= 0)
            runs.emplace_back(0, ip);
        return;
    }
    if (ip >= spec_.keyLen)
        return;
    for (int k = static_cast<int>(ip - prefix); k >= 0; k = parent[static_cast<size_t>(k)])
        runs.emplace_back(prefix + k, prefix + k);
    if (prefix > 0)
        runs.emplace_back(0, prefix - 1);
    mergeRuns(runs);
}

// One run of KW keys for each of the KH kernel rows around the query's clamped centre.
void RowEvaluator::neighborhoodRuns(long long ip, Runs& runs) const
{
    const Neighborhood& n = spec_.rules.neighborhood;
    runs.clear();
    if (ip < 0 || ip >= spec_.keyLen)
        return;
    const positions::GridCell centre = positions::neighborhoodCentre(n, ip);
    for (long long y = centre.y - n.kernelHeight / 2; y <= centre.y + n.kernelHeight / 2; ++y)
        runs.emplace_back(y * n.width + centre.x - n.kernelWidth / 2,
                          y * n.width + centre.x + n.kernelWidth / 2);
}

// The unit-step runs of the structural rules S, before the dilation's stride.
void RowEvaluator::structuralRuns(long long ip, Runs& runs) const
{
    const MaskRules& r = spec_.rules;
    runs.clear();
    const Run bounds = structuralBounds(ip);
    if (bounds.first > bounds.second)
        return;
    runs.push_back(bounds);
    thread_local Runs rule, both;
    if (!r.tree.empty()) {
        treeRuns(ip, rule);
        intersect(runs, rule, both);
        runs.swap(both);
    }
    if (r.neighborhood.active()) {
        neighborhoodRuns(ip, rule);
        intersect(runs, rule, both);
        runs.swap(both);
    }
}

// The keys the grants G give (global tokens, sinks, bidirectional spans), merged.
void RowEvaluator::grantedRuns(long long ip, Runs& runs) const
{
    const MaskRules& r = spec_.rules;
    const long long lk = spec_.keyLen;
    runs.clear();
    const long long g = std::min<long long>(r.globalTokens, lk);
    if (ip >= 0 && ip < g) { // a global query sees every key
        runs.emplace_back(0, lk - 1);
        return;
    }
    if (g > 0)
        runs.emplace_back(0, g - 1);
    if (r.sink > 0 && ip >= 0)
        runs.emplace_back(0, std::min<long long>({r.sink, ip + 1, lk}) - 1);
    const auto span = std::find_if(r.bidirectional.begin(), r.bidirectional.end(),
                                   [ip](const PositionSpan& s) { return s.contains(ip); });
    if (span != r.bidirectional.end())
        runs.emplace_back(span->begin, span->end - 1);
    mergeRuns(runs);
}

KeySpan RowEvaluator::paddingRange(int b) const
{
    KeySpan range{0, spec_.keyLen - 1, 1};
    if (!spec_.validLens.empty() && !spec_.pitfalls.has(Pitfall::UnmaskedPadding)) {
        const int valid = spec_.validLens[static_cast<size_t>(b)];
        if (spec_.padSide == PadSide::Right)
            range.last = valid - 1;
        else
            range.first = spec_.keyLen - valid;
    }
    return range;
}

RowKeys RowEvaluator::rowKeys(int b, int i) const
{
    RowKeys keys;
    rowKeys(b, i, keys);
    return keys;
}

// R = S OR G: the granted runs whole, and the structural runs on the dilation's stride
// (anchored at i') in the gaps between them, so the spans stay disjoint; then padding.
void RowEvaluator::rowKeys(int b, int i, RowKeys& out) const
{
    MASKSCOPE_EXPECTS(0 <= b && b < spec_.batch && 0 <= i && i < spec_.queryLen);
    const long long ip = static_cast<long long>(i) + offset_;
    const KeySpan pad = paddingRange(b);
    out.spans.clear();
    const auto add = [&out, &pad](KeySpan s) {
        s = s.clippedTo(pad.first, pad.last);
        if (!s.empty())
            out.spans.push_back(s);
    };
    thread_local Runs granted, structural;
    grantedRuns(ip, granted);
    structuralRuns(ip, structural);
    const long long step = spec_.rules.dilation;
    long long gapStart = 0;
    for (size_t k = 0; k <= granted.size(); ++k) {
        const long long gapEnd = k < granted.size() ? granted[k].first - 1 : spec_.keyLen - 1;
        for (const auto& [lo, hi] : structural) {
            const long long first = lo + floorMod(ip - lo, step);
            const long long last = hi - floorMod(hi - ip, step);
            if (first <= last)
                add(KeySpan{static_cast<int>(first), static_cast<int>(last), static_cast<int>(step)}
                        .clippedTo(gapStart, gapEnd));
        }
        if (k < granted.size()) {
            add(KeySpan{static_cast<int>(granted[k].first), static_cast<int>(granted[k].second), 1});
            gapStart = granted[k].second + 1;
        }
    }
}

} // namespace maskscope
