// SPDX-License-Identifier: MIT
#pragma once
// Score modifiers: functions of the attention scores that change the logits, not which keys are
// allowed. Kept apart from the mask rules on purpose (a teacher can show that ALiBi leaves the
// allowed matrix unchanged).

#include "base/types.h"

#include <optional>
#include <vector>

namespace maskscope {

/// The modifiers applied to the logits before the mask, and the sink logit of the softmax.
/// In order: scores = logits + ALiBi bias, then scores = cap * tanh(scores / cap).
/// ALiBi first, soft-capping last, so the cap bounds the score that reaches the softmax
/// (Gemma 2 caps the final logits). Invariant: softcap, when set, is finite and > 0.
///
/// A sink logit X (gpt-oss) leaves the scores alone: the softmax gets an extra column of logit X
/// that is dropped afterwards, so with m = max(X, the row's masked scores)
///   weights_j = exp(s_j - m) / (sum_k exp(s_k - m) + exp(X - m)).
/// Rows sum to less than 1, and a row with no allowed key (-inf everywhere) comes out 0, not NaN.
struct ScoreModifiers {
    bool alibi = false;             ///< linear biases of Press et al. 2022, per-head slopes
    std::optional<double> softcap;  ///< tanh soft-capping as in Gemma 2
    /// Sink logits: empty = none; one value = every head's; else one per head. Finite.
    std::vector<double> sinkLogits;

    /// True when a modifier changes the scores (ALiBi, soft-capping); the sink logit does not.
    bool active() const { return alibi || softcap.has_value(); }
    bool hasSinkLogit() const { return !sinkLogits.empty(); }
    /// The sink logit of head h, or none. Precondition: validate(heads) passed, 0 <= h < heads.
    std::optional<double> sinkLogit(int head) const;
    /// Throws InputError if softcap is not finite and positive, or a sink logit is not finite.
    void validate() const;
    /// validate(), and the sink logits are one or one per head of `heads`.
    void validate(int heads) const;

    friend bool operator==(const ScoreModifiers&, const ScoreModifiers&) = default;
};

/// The ALiBi slope of each of `heads` heads (Press et al. 2022, the authors' get_slopes):
/// for H a power of two, 2^(-8k/H) for k = 1..H; otherwise the slopes of the closest smaller
/// power of two P, followed by every other slope of 2P (the first H - P of them).
/// Example: H = 8 gives 1/2, 1/4, ..., 1/256. Precondition: heads >= 1.
std::vector<double> alibiSlopes(int heads);

/// The ALiBi bias of one cell: -slope * |i' - j|, with i' the aligned query position.
/// On every cell a causal mask allows (j <= i') this is the paper's -slope * (i' - j). Hugging
/// Face's BLOOM adds +slope * j instead, which differs by a constant per row and so gives the
/// same softmax weights; the symmetric |i' - j| form (MPT's bidirectional ALiBi) keeps the bias
/// meaningful when the mask is not causal.
inline double alibiBias(double slope, long long alignedQuery, long long key)
{
    const long long distance = alignedQuery >= key ? alignedQuery - key : key - alignedQuery;
    return -slope * static_cast<double>(distance);
}

/// scores = modifiers(logits) for one head. `slope` is that head's ALiBi slope (ignored without
/// ALiBi), `queryOffset` is i' - i (alignedQueryOffset of the mask). Shapes: logits (Lq, Lk);
/// scores is resized to match and may alias logits.
template <typename T>
void applyScoreModifiers(const ScoreModifiers& modifiers, double slope, int queryOffset,
                         const Matrix<T>& logits, Matrix<T>& scores);

/// The same for a panel of rows: `logits` and `scores` are rows [r0, r0 + n) of the head's
/// matrices, `queryOffset` is then alignedQueryOffset + r0. Same shapes; may alias.
template <typename T>
void applyScoreModifiers(const ScoreModifiers& modifiers, double slope, int queryOffset,
                         Eigen::Ref<const Matrix<T>> logits, Eigen::Ref<Matrix<T>> scores);

} // namespace maskscope
