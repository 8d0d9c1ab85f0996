// SPDX-License-Identifier: MIT
#pragma once
// GPT-2's block, as Hugging Face's modeling_gpt2 computes it in float32: learned positions,
// LayerNorm before attention and feed-forward, the fused c_attn projection and c_proj, c_fc as
// Conv1D (weights stored (in, out): y = x·W + b, the transpose of nn.Linear), GELU (tanh), the
// final LayerNorm and the output head tied to wte. Tensor names without the "transformer."
// prefix: wte.weight, wpe.weight, h.{i}.ln_1.weight, h.{i}.attn.c_attn.weight, …, ln_f.weight.

#include "model/checkpoint.h"
#include "scenario/inputs.h"

#include <vector>

namespace maskscope {

/// The token embedding plus the learned position embedding of every token.
/// Precondition: positions[b].size() == ids[b].size(), each position < config.maxPositions.
std::vector<Matrix<float>> gpt2Embeddings(const Checkpoint& checkpoint, const std::vector<std::vector<int>>& ids,
                                          const std::vector<std::vector<int>>& positions);

/// The projected attention inputs of GPT-2 layer `layer` (see llamaAttentionInputs), with
/// c_proj as the out-projection (weight transposed, bias kept). With `kvFromQuery` K = V = the
/// query block of c_attn.
AttentionInputs<float> gpt2AttentionInputs(const Checkpoint& checkpoint, int layer,
                                           const std::vector<Matrix<float>>& hidden, bool kvFromQuery);

/// h += c_proj(gelu_tanh(c_fc(LayerNorm_2(h)))) for every batch item's h.
void gpt2FeedForward(const Checkpoint& checkpoint, int layer, std::vector<Matrix<float>>& hidden);

/// The logits of one token's final residual stream: ln_f, then wte as the head.
Vector<float> gpt2Logits(const Checkpoint& checkpoint, const Eigen::Ref<const Matrix<float>>& row);

} // namespace maskscope
