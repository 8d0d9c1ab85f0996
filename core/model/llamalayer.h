// SPDX-License-Identifier: MIT
#pragma once
// The Llama family's block (llama, mistral, qwen2), as Hugging Face's modeling_llama computes
// it in float32: RMSNorm, q/k/v projections (with biases for qwen2), rotary embeddings in the
// checkpoint's layout, grouped-query attention, SwiGLU feed-forward, the final norm and head.
// The attention itself is AttentionEngine's (forward.h); these are the pieces around it.

#include "model/checkpoint.h"
#include "scenario/inputs.h"

#include <vector>

namespace maskscope {

/// RMSNorm of every row of x: x / sqrt(mean(x²) + eps) · weight. Precondition: weight.size() == x.cols().
Matrix<float> rmsNorm(const Matrix<float>& x, const Vector<float>& weight, float eps);

/// Rotates the pairs of every head of `m` (rows = tokens, heads side by side, headDim each) by
/// position · theta^(-2j/headDim) for pair j, pairs as `layout` makes them: (2j, 2j+1)
/// interleaved, or (j, j + headDim/2) rotate-half. Preconditions: positions.size() == m.rows();
/// m.cols() a multiple of headDim; headDim even; layout not None.
void applyRotary(Matrix<float>& m, int headDim, const std::vector<int>& positions, RopeLayout layout, double theta);

/// The projected attention inputs (AttentionInputs::projected) of Llama layer `layer` for the
/// hidden states `hidden` (per batch item, (L, d_model)), positions per batch item and token.
/// K and V are repeated from the key/value heads to the query heads (repeat_interleave order);
/// with `kvFromQuery` (the lab mistake) K = rotated q_proj(x) and V = q_proj(x).
/// Throws InputError for a missing or misshapen tensor.
AttentionInputs<float> llamaAttentionInputs(const Checkpoint& checkpoint, int layer,
                                            const std::vector<Matrix<float>>& hidden,
                                            const std::vector<std::vector<int>>& positions, bool kvFromQuery);

/// h += down(silu(gate(n)) · up(n)) with n = RMSNorm(h) (post_attention_layernorm of `layer`),
/// for every batch item's h (each weight widened block by block, once for the whole batch).
void llamaFeedForward(const Checkpoint& checkpoint, int layer, std::vector<Matrix<float>>& hidden);

/// head · x for an output head (vocab, d) and a vector x (d), the head widened a block of rows
/// at a time by timesTransposed (a 128k-token head in float32 would be half a gigabyte).
Vector<float> headLogits(const TensorView& head, const Vector<float>& x);

/// The output logits of one token's final residual stream `row` (1, d_model): the final
/// RMSNorm, then lm_head (or the tied embedding table).
Vector<float> llamaLogits(const Checkpoint& checkpoint, const Eigen::Ref<const Matrix<float>>& row);

} // namespace maskscope
