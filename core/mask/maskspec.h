// SPDX-License-Identifier: MIT
#pragma once
// Mask rules and the allowed matrix they define.

#include "mask/fill.h"
#include "attention/pitfalls.h"
#include "base/types.h"

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace maskscope {

enum class PadSide { Right, Left };

const char* padSideName(PadSide side); ///< "right" or "left"

/// How query row i is placed on the key axis when Lq != Lk. Every position-based rule (causal,
/// window, dilation, documents, chunks, global tokens, ALiBi) reads the query's *aligned
/// position* i' = i + alignedQueryOffset(spec).
enum class CausalAlign {
    TopLeft,    ///< i' = i: torch.tril, PyTorch is_causal, Keras use_causal_mask
    BottomRight ///< i' = i + (Lk - Lq): FlashAttention, causal_lower_right, KV-cache decoding
};

const char* causalAlignName(CausalAlign align); ///< "top-left" or "bottom-right"

/// One cell of an (Lq, Lk) mask: query row i, key column j.
struct Cell {
    int i = 0;
    int j = 0;
    friend auto operator<=>(const Cell&, const Cell&) = default;
};

/// The cells a user toggled by hand (the "custom" rule). Each cell is either in the set or not:
/// toggling a cell twice removes it again.
/// Invariant: cells() is sorted by (i, j) without duplicates, so the cells of one row are
/// contiguous (row()) and membership is a binary search.
class CellToggles {
public:
    void toggle(int i, int j);           ///< adds the cell, or removes it if present
    bool contains(int i, int j) const;   ///< O(log T)
    std::span<const Cell> row(int i) const; ///< the toggled cells of query row i, by key
    const std::vector<Cell>& cells() const { return cells_; }
    bool empty() const { return cells_.empty(); }
    std::size_t size() const { return cells_.size(); }
    void clear() { cells_.clear(); }
    /// The same set without the cells outside (lq, lk), e.g. after the user shortened the sequence.
    CellToggles clippedTo(int lq, int lk) const;

    friend bool operator==(const CellToggles&, const CellToggles&) = default;

private:
    std::vector<Cell> cells_;
};

/// A half-open run of positions [begin, end), as a Python slice: --bidirectional's spans.
struct PositionSpan {
    int begin = 0;
    int end = 0;
    bool contains(long long p) const { return p >= begin && p < end; }
    friend bool operator==(const PositionSpan&, const PositionSpan&) = default;
};

/// --neighborhood: Lk = height * width tokens in row-major order on a grid (NATTEN). Off when
/// height == 0.
struct Neighborhood {
    int height = 0;       ///< grid rows H; 0 = off
    int width = 0;        ///< grid columns W
    int kernelHeight = 0; ///< KH, odd, 1..H
    int kernelWidth = 0;  ///< KW, odd, 1..W

    bool active() const { return height > 0; }
    friend bool operator==(const Neighborhood&, const Neighborhood&) = default;
};

/// The largest draft tree --tree accepts: a node's ancestors are walked per row, so the cost
/// of a tree row grows with its depth (speculative decoding trees have tens to hundreds of nodes).
inline constexpr int kMaxTreeNodes = 4096;

/// The mask rules beyond plain causal and padding. A value type: copy it, compare it.
///
/// With i' the aligned query position (see CausalAlign) and j the key, cell (i, j) passes the
///   structural rules  S = causal AND window AND dilation AND documents AND chunks
///                         AND block-causal AND tree AND neighborhood
/// where each rule that is off passes every cell:
///   causal (MaskSpec::causal)  j <= i', or j < prefix (prefix-LM: the first `prefix` keys are
///                              visible to every query, so the prefix sees itself bidirectionally)
///   window                     i' - windowLeft <= j <= i' + windowRight; -1 = unbounded side
///                              (FlashAttention window_size=(left, right))
///   dilation                   (i' - j) is a multiple of `dilation`
///   documents                  i' and j lie in the same segment of `segments` (lengths that
///                              tile [0, Lk) in order); a query whose i' is outside [0, Lk)
///                              belongs to no document and sees nothing
///   chunks                     floor(i' / chunk) == floor(j / chunk)
///   block-causal               floor(j / blockCausal) <= floor(i' / blockCausal): both ways
///                              inside a block, causal across blocks (block diffusion)
///   tree                       with N = tree.size() and P = Lk - N: a prefix query (i' < P)
///                              sees j <= i'; node k = i' - P sees j < P, itself and its
///                              ancestors (tree[k] is k's parent node, -1 = the prefix's end);
///                              a query with i' >= Lk sees nothing
///   neighborhood               i' = (y, x) = (i' / W, i' % W) and j = (yj, xj) likewise:
///                              |yj - cy| <= KH/2 and |xj - cx| <= KW/2 with the centre
///                              cy = clamp(y, KH/2, H-1-KH/2), cx = clamp(x, KW/2, W-1-KW/2)
///                              (NATTEN); a query with i' outside [0, Lk) sees nothing
/// Grants give access whatever S says:
///   G = global OR sink OR bidirectional
///   global                     (0 <= i' < globalTokens) OR (j < globalTokens)
///   sink                       j < sink AND j <= i' (StreamingLLM: the first keys stay visible
///                              to every query that may see them causally, whatever the window)
///   bidirectional              i' and j lie in the same span of `bidirectional` (Gemma 3's
///                              image tokens see each other both ways)
/// The rules give R = S OR G; allowedAt() then applies the mask file, padding and toggles.
struct MaskRules {
    CausalAlign causalAlign = CausalAlign::TopLeft;
    int windowLeft = -1;   ///< -1 = unbounded, else >= 0
    int windowRight = -1;  ///< -1 = unbounded, else >= 0
    int dilation = 1;      ///< >= 1; 1 = every key
    int prefix = 0;        ///< prefix-LM length, 0..Lk; > 0 needs MaskSpec::causal
    std::vector<int> segments; ///< document lengths, each >= 1, summing to Lk; empty = one document
    int chunk = 0;         ///< chunk size; 0 = no chunking
    int globalTokens = 0;  ///< 0..Lk
    int sink = 0;          ///< attention-sink keys, 0..Lk; 0 = none
    int blockCausal = 0;   ///< block size of block-causal attention, >= 0; 0 = off
    /// Bidirectional spans, increasing and disjoint, each 0 <= begin < end <= Lk; empty = none.
    std::vector<PositionSpan> bidirectional;
    /// Parent of each node of a draft tree over the last tree.size() positions: tree[k] in
    /// -1..k-1, at most min(Lk, kMaxTreeNodes) nodes; empty = no tree.
    std::vector<int> tree;
    Neighborhood neighborhood; ///< 2-D neighbourhood; height * width == Lk when on
    CellToggles toggled;   ///< custom cells, XOR-ed last (see allowedAt)

    bool hasWindow() const { return windowLeft >= 0 || windowRight >= 0; }

    friend bool operator==(const MaskRules&, const MaskRules&) = default;
};

/// A mask loaded from a file in PyTorch nn.MultiheadAttention's spelling.
struct LoadedAttnMask {
    bool isBool = true;          ///< bool: true = blocked; float: added to the logits
    BoolMatrix blocked;          ///< (Lq, Lk), used when isBool
    Matrix<double> additive;     ///< (Lq, Lk), used when !isBool (float32 files widened exactly)
};

/// Everything that decides which key j query i may see, for every batch item.
///
/// Meaning: allowed(b)(i, j) is true iff query i of batch item b may attend to key j.
/// Preconditions checked by validate(): queryLen, keyLen, batch >= 1; validLens empty or of
/// size batch with 0 <= validLens[b] <= keyLen; loaded masks of matching shapes; the ranges
/// documented on MaskRules; toggled cells inside (queryLen, keyLen).
struct MaskSpec {
    int queryLen = 8;
    int keyLen = 8;
    int batch = 1;
    /// Valid (non-padding) length of each batch item's key sequence; empty = no padding.
    /// In self-attention (selfAttention == true) it is also the query's valid length.
    std::vector<int> validLens;
    PadSide padSide = PadSide::Right;
    bool causal = false;         ///< key j allowed iff j <= i' (i' per rules.causalAlign)
    bool selfAttention = true;   ///< queries and keys are the same sequence
    Fill fill;
    MaskRules rules;             ///< window, dilation, prefix, documents, chunks, global, custom
    /// --mask-file: an (Lq, Lk) allowed matrix AND-ed with the rules; true = allowed (MaskScope's
    /// own polarity, the opposite of nn.MultiheadAttention's bool attn_mask). Shared because
    /// copies of a spec (one per GUI job) need not copy a large matrix.
    std::shared_ptr<const BoolMatrix> allowedFile;
    std::optional<LoadedAttnMask> attnMask;   ///< PyTorch attn_mask, (Lq, Lk)
    std::optional<BoolMatrix> keyPaddingMask; ///< PyTorch key_padding_mask, (B, Lk), true = pad
    /// The pitfall lab (see pitfalls.h). Its mask mistakes (inverted polarity, unmasked padding,
    /// causal backwards) change the allowed matrix itself, see allowedAt(); the rest (masked_fill
    /// not in place, K and V through q_proj, add or replace, blocked rows, number format) is how
    /// AttentionEngine applies the mask. Kept in the spec because the spec is what every front end
    /// hands to the engine: the lab reaches the dump, the export and the window alike.
    Pitfalls pitfalls;

    /// Throws InputError naming the first violated precondition.
    void validate() const;

    /// True iff key j of batch item b is padding.
    bool keyIsPad(int b, int j) const;
    /// True iff query i of batch item b is padding (self-attention with padding only).
    /// Padded query rows are computed as usual (PyTorch does not block them); this only flags them.
    bool queryIsPad(int b, int i) const;
    std::vector<bool> queryPadFlags(int b) const;
    std::vector<bool> keyPadFlags(int b) const;

private:
    void validateRules() const;
    void validateSegments() const;
    void validateSinkAndBlocks() const;
    void validateBidirectional() const;
    void validateTree() const;
    void validateNeighborhood() const;
};

/// i' - i for every query row: 0 (top-left) or keyLen - queryLen (bottom-right).
int alignedQueryOffset(const MaskSpec& spec);

/// The one definition of the mask: true iff query i of batch item b may attend to key j.
///   synthetic = ((R AND file(i, j) AND NOT pad(b, j)) XOR toggled(i, j))
///   intended  = synthetic AND NOT loaded(b, i, j)
///   allowed   = intended, or NOT intended with the inverted-polarity mistake
/// The other mask mistakes act inside: causal-backwards makes the causal rule j > i' (blocked on
/// and below the diagonal); unmasked-padding drops pad(b, j) and a loaded key_padding_mask.
/// R is MaskRules' rule result (structural rules OR global tokens); file is --mask-file (true
/// where absent); pad is --valid-lens padding of key j. Decisions this encodes:
/// - padding blocks global tokens too: a padded key holds no token to attend to;
/// - toggles come after padding, so a painted cell always flips what is shown, even on padding;
/// - masks loaded with --load (attn_mask, key_padding_mask) are the model's own inputs and are
///   applied last, exactly as nn.MultiheadAttention does; toggles cannot undo them. A loaded float
///   mask blocks where it is -inf or <= kFloatMaskBlockThreshold (less negative values are biases).
/// Cost: O(S + P + D + log T) for S segments, P bidirectional spans, a tree node's depth D and
/// T toggled cells; nothing is materialised.
/// Preconditions: spec.validate() passes; 0 <= b < batch, 0 <= i < queryLen, 0 <= j < keyLen.
bool allowedAt(const MaskSpec& spec, int b, int i, int j);

/// Keys first, first + step, ..., up to last (inclusive); empty when last < first.
struct KeySpan {
    int first = 0;
    int last = -1;
    int step = 1;

    bool empty() const { return last < first; }
    bool contains(int j) const { return j >= first && j <= last && (j - first) % step == 0; }
    int count() const { return empty() ? 0 : (last - first) / step + 1; }
    /// The keys of this span inside [lo, hi], on the same stride (possibly empty).
    KeySpan clippedTo(long long lo, long long hi) const;
};

/// The keys one query row allows before the per-cell layers (file, toggles, loaded masks):
/// the rules AND padding, as disjoint non-empty spans in increasing order. Usually one or two
/// (the granted keys, then the row's own run); a tree row adds its ancestors, a neighbourhood
/// row one span per kernel row, a bidirectional span one more.
struct RowKeys {
    std::vector<KeySpan> spans;

    int spanCount() const { return static_cast<int>(spans.size()); }
    bool contains(int j) const;
};

/// Evaluates one spec row by row (after O(S) set-up), for the per-row paths of
/// allowedMatrix, additiveMask, block sparsity and rasters. Per row O(1) for the interval
/// rules, plus O(P) for P bidirectional spans, O(D log D) for a tree node of depth D and O(KH)
/// for a neighbourhood. Keeps a reference: the spec must outlive it.
class RowEvaluator {
public:
    explicit RowEvaluator(const MaskSpec& spec);

    /// The rules AND padding for row i of batch item b (no file, toggles or loaded masks).
    RowKeys rowKeys(int b, int i) const;
    /// The same into `out`, reusing its storage (for loops over many rows).
    void rowKeys(int b, int i, RowKeys& out) const;
    /// Writes row i of the allowed matrix (keyLen cells, every layer) to `row`: the one row
    /// routine behind allowedMatrix and the per-cell paths of grids. O(keyLen).
    void allowedRow(int b, int i, bool* row) const;
    /// True when some cell needs more than rowKeys(): a mask file or a loaded mask. Toggles do
    /// not count (they are sparse; callers visit them with spec.rules.toggled.row(i)).
    bool hasCellLayers() const { return hasCellLayers_; }
    const MaskSpec& spec() const { return spec_; }

private:
    using Run = std::pair<long long, long long>; // keys [first, last], unit step
    using Runs = std::vector<Run>;               // sorted, disjoint
    Run structuralBounds(long long ip) const;
    void structuralRuns(long long ip, Runs& runs) const;
    void treeRuns(long long ip, Runs& runs) const;
    void neighborhoodRuns(long long ip, Runs& runs) const;
    void grantedRuns(long long ip, Runs& runs) const;
    KeySpan paddingRange(int b) const;

    const MaskSpec& spec_;
    int offset_ = 0;
    std::vector<int> segmentStarts_; // segment k covers [starts[k], starts[k + 1])
    bool hasCellLayers_ = false;
};

/// The allowed matrix of batch item b: (queryLen, keyLen), equal to allowedAt() in every cell.
/// O(Lq * Lk) writes, per-row runs where no cell layer is present.
/// Precondition: spec.validate() passes, 0 <= b < batch.
BoolMatrix allowedMatrix(const MaskSpec& spec, int b);

/// Values at or below this in a loaded float attn_mask count as blocking (for display).
inline constexpr double kFloatMaskBlockThreshold = -1e4;

/// The additive mask of batch item b in precision T: (queryLen, keyLen).
/// Synthetic rules (everything but --load's masks): 0 where allowed, the fill where blocked, in
/// the spec's number format (fillIn: lowest is the format's, -1e9 is -inf in float16).
/// Loaded masks as nn.MultiheadAttention combines them: a bool attn_mask becomes -inf where
/// true; a float attn_mask is used as is; key_padding_mask then sets padded keys to -inf.
/// With the inverted-polarity mistake the whole matrix is 0 where allowed and the fill where
/// blocked (a loaded float mask's biases have no polarity and are dropped). In float16 and
/// bfloat16 every value is rounded to the format.
/// Writes into `out` (resized only when the shape changes, so buffers are reused).
template <typename T>
void additiveMask(const MaskSpec& spec, int b, Matrix<T>& out);

/// The spec without the mistakes that change the allowed matrix: the mask its author meant.
MaskSpec intendedMask(const MaskSpec& spec);

/// Row i has no allowed key in `allowed`.
std::vector<bool> fullyBlockedRows(const BoolMatrix& allowed);

} // namespace maskscope
