// SPDX-License-Identifier: MIT
#pragma once
// The softmax stage of one query row: the mask reaching the scores (added, masked_fill's
// replacement, or dropped by the lab's mistake), the softmax, the blocked-row policy and the
// number format. AttentionEngine computes every row with these functions, and the window's row
// inspector recomputes a single row with them, so the two cannot drift apart.

#include "attention/pitfalls.h"
#include "attention/scoremodifiers.h"
#include "base/types.h"

#include <optional>
#include <vector>

namespace maskscope {

/// The keys [first, last] of one query row that can receive a non-zero weight.
struct KeyRange {
    int first = 0;
    int last = -1;
};

/// The parts of the pitfall lab that act on the softmax stage of a row.
struct RowLab {
    bool maskApplied = true;  ///< false under masked-fill-not-inplace: masked = scores
    MaskApply maskApply = MaskApply::Add;
    BlockedRows blockedRows = BlockedRows::Nan;
    NumberFormat format = NumberFormat::Native; ///< every stored stage is rounded to it

    /// The row lab of a scenario's pitfalls.
    static RowLab of(const Pitfalls& pitfalls);
    /// True when the row leaves the ordinary path (scores + mask, plain softmax, no rounding).
    bool active() const;
};

/// One row of the softmax stage's inputs; every pointer to `n` values.
template <typename T>
struct MaskRow {
    const T* scores = nullptr;   ///< the logits after the score modifiers
    const T* additive = nullptr; ///< the additive mask
    const bool* allowed = nullptr; ///< may attend; read only under MaskApply::Replace
    int n = 0;
    bool fullyBlocked = false;   ///< no key of the row is allowed
    /// The head's sink logit (ScoreModifiers): an extra softmax column, dropped afterwards; null
    /// = none.
    const T* sinkLogit = nullptr;
};

/// What the softmax computed on the way, for a step-by-step explanation.
template <typename T>
struct SoftmaxParts {
    T max = T(0);          ///< maximum of the masked row over its live keys (and the sink logit)
    T sum = T(0);          ///< sum of exps, the sink column's exp(X - max) included
    std::vector<T> exps;   ///< exp(masked - max) on the live keys, 0 elsewhere
};

/// The keys of a row that can get a non-zero weight: outside them the additive mask is -inf, so
/// exp(-inf - max) is exactly 0 whatever the scores. A row that is -inf everywhere keeps every
/// key (its softmax is NaN, as in PyTorch), as does a row whose mask is never applied or that
/// the Uniform policy fills.
template <typename T>
KeyRange liveKeys(const T* additive, int n, const RowLab& lab, bool fullyBlocked);

/// masked and weights of one row exactly as AttentionEngine computes them, given the row's keys
/// from liveKeys. Any of row.scores, masked and weights may alias (each cell is read before it
/// is written). `parts`, if not null, receives the softmax's intermediate values.
/// Bit-identity: Eigen picks vectorised or scalar code for a cell by its address, so the result
/// equals the engine's row i only when `masked` and `weights` lie at the offset modulo
/// kRowAlignment of row i of an Eigen-allocated (Lq, n) row-major matrix (attentionRow does).
template <typename T>
void maskAndSoftmaxRow(const MaskRow<T>& row, const RowLab& lab, KeyRange live, T* masked, T* weights,
                       SoftmaxParts<T>* parts = nullptr);

/// Bytes to which Eigen aligns its allocations (and picks its vectorised code by).
inline constexpr int kRowAlignment = EIGEN_MAX_ALIGN_BYTES > 0 ? EIGEN_MAX_ALIGN_BYTES : 1;

/// Every stage of one row, in the compute type.
template <typename T>
struct RowStages {
    std::vector<T> scores;  ///< modifiers(logits), rounded to the format (= logits without one)
    std::vector<T> masked;
    std::vector<T> weights;
    SoftmaxParts<T> parts;
};

/// The softmax stage of query row `row` (0-based) of one head from its logits, bit for bit as
/// AttentionEngine computes it: score modifiers (slope = the head's ALiBi slope, alignedRow =
/// the row's position on the key axis, row + alignedQueryOffset), the mask, the softmax (with
/// the head's sink logit, modifiers.sinkLogit(head)), the blocked-row policy and the rounding.
/// Preconditions: logits, additive and allowed hold `n` values; modifiers.validate() passes.
template <typename T>
RowStages<T> attentionRow(const T* logits, const T* additive, const bool* allowed, int n, int row,
                          const ScoreModifiers& modifiers, double slope, int alignedRow, const RowLab& lab,
                          std::optional<double> sinkLogit = std::nullopt);

} // namespace maskscope
