// SPDX-License-Identifier: MIT
#pragma once
// The mask rules written again from their definitions in words (README "Mask rules"), cell by
// cell and sharing no code with core/maskspec.cpp, plus a generator of random rule sets: the
// yardstick of the rule, grid and block-sparsity tests.

#include "mask/maskspec.h"
#include "base/random.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

namespace maskscope::testing {

/// Document index of every key position, from the segment lengths (empty: all in document 0).
inline std::vector<int> documentOfKey(const std::vector<int>& segments, int keyLen)
{
    std::vector<int> doc;
    for (size_t k = 0; k < segments.size(); ++k)
        doc.insert(doc.end(), static_cast<size_t>(segments[k]), static_cast<int>(k));
    if (segments.empty())
        doc.assign(static_cast<size_t>(keyLen), 0);
    return doc;
}

/// Where query i sits on the key axis: its own index (top-left) or shifted so that the last
/// query meets the last key (bottom-right).
inline long long queryPosition(const MaskSpec& s, int i)
{
    return s.rules.causalAlign == CausalAlign::BottomRight ? i + (s.keyLen - s.queryLen) : i;
}

/// "The key is padding": right padding pads the trailing keys beyond the valid length, left
/// padding the leading ones.
inline bool keyIsPadding(const MaskSpec& s, int b, int j)
{
    if (s.validLens.empty())
        return false;
    const int valid = s.validLens[size_t(b)];
    return s.padSide == PadSide::Right ? j >= valid : j < s.keyLen - valid;
}

/// "Node k sees itself and its ancestors": the set of nodes each node sees, built top-down
/// (a node sees what its parent sees, and itself).
inline std::vector<std::vector<bool>> treeVisibility(const std::vector<int>& parent)
{
    const size_t n = parent.size();
    std::vector<std::vector<bool>> sees(n, std::vector<bool>(n, false));
    for (size_t k = 0; k < n; ++k) {
        if (parent[k] >= 0)
            sees[k] = sees[size_t(parent[k])];
        sees[k][k] = true;
    }
    return sees;
}

/// "The last N positions are the tree's nodes; the prefix before them is causal; a node sees the
/// whole prefix, itself and its ancestors, nothing else."
inline bool treeRuleAllows(const MaskSpec& s, long long q, int j)
{
    const int n = int(s.rules.tree.size());
    const int prefix = s.keyLen - n;
    if (q < prefix)
        return j <= q;
    if (q >= s.keyLen)
        return false;
    if (j < prefix)
        return true;
    return treeVisibility(s.rules.tree)[size_t(q - prefix)][size_t(j - prefix)];
}

/// "On an H x W grid, a query sees the KH x KW keys of its kernel; the kernel is centred on the
/// query but shifted to stay inside the grid."
inline bool neighborhoodRuleAllows(const MaskSpec& s, long long q, int j)
{
    const Neighborhood& n = s.rules.neighborhood;
    if (q < 0 || q >= s.keyLen)
        return false;
    const long long qy = q / n.width, qx = q % n.width;
    const long long top = std::min<long long>(std::max<long long>(qy - n.kernelHeight / 2, 0), n.height - n.kernelHeight);
    const long long left = std::min<long long>(std::max<long long>(qx - n.kernelWidth / 2, 0), n.width - n.kernelWidth);
    const long long ky = j / n.width, kx = j % n.width;
    return ky >= top && ky < top + n.kernelHeight && kx >= left && kx < left + n.kernelWidth;
}

/// The rules that grant access whatever the others say, as their sentences read; q is the
/// query's position on the key axis.
inline bool grantedByRules(const MaskSpec& s, long long q, int j)
{
    const MaskRules& r = s.rules;
    // "Global tokens see everything and are seen by everyone".
    const bool global = (q >= 0 && q < r.globalTokens) || j < r.globalTokens;
    // "The first S keys stay visible to every query at or after them".
    const bool sink = j < r.sink && j <= q;
    // "Inside a span, every position sees every other".
    bool bidirectional = false;
    for (const PositionSpan& span : r.bidirectional)
        bidirectional |= q >= span.begin && q < span.end && j >= span.begin && j < span.end;
    return global || sink || bidirectional;
}

/// Each rule as its sentence reads.
inline bool ruleAllows(const MaskSpec& s, int i, int j)
{
    const MaskRules& r = s.rules;
    const long long q = queryPosition(s, i);
    const long long distance = q - j; // how far back the key lies
    // "No peeking": a query sees keys up to its own position, and with a prefix also every
    // key of the prefix.
    const bool causal = !s.causal || distance >= 0 || j < r.prefix;
    // "At most `left` keys back and `right` keys ahead".
    const bool window = (r.windowLeft < 0 || distance <= r.windowLeft) &&
                        (r.windowRight < 0 || -distance <= r.windowRight);
    // "Only every d-th key, counted from the query".
    const bool dilated = std::llabs(distance) % r.dilation == 0;
    // "Only keys of the query's own document".
    bool sameDocument = true;
    if (!r.segments.empty()) {
        const std::vector<int> doc = documentOfKey(r.segments, s.keyLen);
        sameDocument = q >= 0 && q < s.keyLen && doc[size_t(q)] == doc[size_t(j)];
    }
    // "Only keys of the query's own chunk of C positions".
    const bool sameChunk = r.chunk == 0 ||
        std::floor(double(q) / r.chunk) == std::floor(double(j) / r.chunk);
    // "A key's block never lies after the query's block".
    const bool blockCausal = r.blockCausal == 0 ||
        std::floor(double(j) / r.blockCausal) <= std::floor(double(q) / r.blockCausal);
    const bool tree = r.tree.empty() || treeRuleAllows(s, q, j);
    const bool neighborhood = !r.neighborhood.active() || neighborhoodRuleAllows(s, q, j);
    return (causal && window && dilated && sameDocument && sameChunk && blockCausal && tree && neighborhood) ||
           grantedByRules(s, q, j);
}

/// The whole stack: rules, mask file, padding, toggles, loaded masks (README order).
inline bool definitionAllows(const MaskSpec& s, int b, int i, int j)
{
    bool allowed = ruleAllows(s, i, j);
    if (s.allowedFile && !(*s.allowedFile)(i, j))
        allowed = false;
    if (keyIsPadding(s, b, j))
        allowed = false;
    for (const Cell& c : s.rules.toggled.cells())
        if (c.i == i && c.j == j)
            allowed = !allowed;
    if (s.keyPaddingMask && (*s.keyPaddingMask)(b, j))
        allowed = false;
    if (s.attnMask && s.attnMask->isBool && s.attnMask->blocked(i, j))
        allowed = false;
    if (s.attnMask && !s.attnMask->isBool && s.attnMask->additive(i, j) <= kFloatMaskBlockThreshold)
        allowed = false;
    return allowed;
}

inline int pick(Random& rng, int lo, int hi)
{
    return lo + int(rng.nextU64() % std::uint64_t(hi - lo + 1));
}

inline bool chance(Random& rng, int percent)
{
    return int(rng.nextU64() % 100) < percent;
}

inline std::vector<int> randomSegments(Random& rng, int length)
{
    std::vector<int> segments;
    for (int left = length; left > 0;) {
        const int n = pick(rng, 1, left);
        segments.push_back(n);
        left -= n;
    }
    return segments;
}

/// Increasing, disjoint spans inside [0, length).
inline std::vector<PositionSpan> randomSpans(Random& rng, int length)
{
    std::vector<PositionSpan> spans;
    for (int at = pick(rng, 0, length - 1); at < length; at += pick(rng, 0, 3)) {
        const int end = pick(rng, at + 1, std::min(length, at + 6));
        spans.push_back({at, end});
        at = end;
    }
    return spans;
}

/// A random draft tree of `nodes` nodes: each node's parent an earlier node or -1.
inline std::vector<int> randomTree(Random& rng, int nodes)
{
    std::vector<int> parent;
    for (int k = 0; k < nodes; ++k)
        parent.push_back(pick(rng, -1, k - 1));
    return parent;
}

/// A random grid of keyLen cells (any factorisation) with an odd kernel that fits it.
inline Neighborhood randomNeighborhood(Random& rng, int keyLen)
{
    std::vector<int> divisors;
    for (int h = 1; h <= keyLen; ++h)
        if (keyLen % h == 0)
            divisors.push_back(h);
    Neighborhood n;
    n.height = divisors[size_t(pick(rng, 0, int(divisors.size()) - 1))];
    n.width = keyLen / n.height;
    n.kernelHeight = 2 * pick(rng, 0, (n.height - 1) / 2) + 1;
    n.kernelWidth = 2 * pick(rng, 0, (n.width - 1) / 2) + 1;
    return n;
}

/// Turns on each of the rules sinks, block-causal, bidirectional spans, tree and neighbourhood
/// with some chance (drawn after everything else, so older samples keep their rules).
inline void addModernRules(Random& rng, MaskSpec& s)
{
    MaskRules& r = s.rules;
    if (chance(rng, 20))
        r.sink = pick(rng, 0, std::min(4, s.keyLen));
    if (chance(rng, 20))
        r.blockCausal = pick(rng, 1, s.keyLen + 2);
    if (chance(rng, 20))
        r.bidirectional = randomSpans(rng, s.keyLen);
    if (chance(rng, 15))
        r.tree = randomTree(rng, pick(rng, 1, s.keyLen));
    if (chance(rng, 15))
        r.neighborhood = randomNeighborhood(rng, s.keyLen);
}

struct RandomMaskOptions {
    int maxLen = 24;
    bool cellLayers = true; ///< may add a mask file and loaded PyTorch masks
};

/// A random valid spec: sizes (often Lq != Lk), padding, and each rule on with some chance.
inline MaskSpec randomMaskSpec(Random& rng, const RandomMaskOptions& o = {})
{
    MaskSpec s;
    s.keyLen = pick(rng, 1, o.maxLen);
    s.queryLen = chance(rng, 40) ? pick(rng, 1, o.maxLen) : s.keyLen;
    s.selfAttention = s.queryLen == s.keyLen;
    s.batch = pick(rng, 1, 3);
    s.padSide = chance(rng, 50) ? PadSide::Left : PadSide::Right;
    if (chance(rng, 40))
        for (int b = 0; b < s.batch; ++b)
            s.validLens.push_back(pick(rng, 0, s.keyLen));
    MaskRules& r = s.rules;
    s.causal = chance(rng, 50);
    r.causalAlign = chance(rng, 50) ? CausalAlign::BottomRight : CausalAlign::TopLeft;
    if (chance(rng, 40)) {
        r.windowLeft = chance(rng, 30) ? -1 : pick(rng, 0, s.keyLen);
        r.windowRight = chance(rng, 30) ? -1 : pick(rng, 0, s.keyLen);
    }
    r.dilation = chance(rng, 30) ? pick(rng, 2, 5) : 1;
    if (s.causal && chance(rng, 30))
        r.prefix = pick(rng, 0, s.keyLen);
    if (chance(rng, 30))
        r.segments = randomSegments(rng, s.keyLen);
    if (chance(rng, 30))
        r.chunk = pick(rng, 1, s.keyLen + 2);
    if (chance(rng, 25))
        r.globalTokens = pick(rng, 0, std::min(3, s.keyLen));
    for (int n = chance(rng, 30) ? pick(rng, 1, 6) : 0; n > 0; --n)
        r.toggled.toggle(pick(rng, 0, s.queryLen - 1), pick(rng, 0, s.keyLen - 1));
    if (o.cellLayers && chance(rng, 15)) {
        auto file = std::make_shared<BoolMatrix>(s.queryLen, s.keyLen);
        for (int k = 0; k < file->size(); ++k)
            file->data()[k] = chance(rng, 80);
        s.allowedFile = file;
    }
    if (o.cellLayers && chance(rng, 10)) {
        BoolMatrix kpm(s.batch, s.keyLen);
        for (int k = 0; k < kpm.size(); ++k)
            kpm.data()[k] = chance(rng, 20);
        s.keyPaddingMask = kpm;
    }
    addModernRules(rng, s);
    return s;
}

} // namespace maskscope::testing
