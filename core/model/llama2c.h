// SPDX-License-Identifier: MIT
#pragma once
// llama2.c checkpoints (Karpathy's run.c format): a header of 7 int32 — dim, hidden_dim, n_layers,
// n_heads, n_kv_heads, vocab_size, seq_len; a negative vocab_size means the classifier is stored
// separately — then float32 tensors in llama2.c's order: token embedding, every layer's attention
// RMSNorm weight, wq, wk, wv, wo, FFN RMSNorm weight, w1, w2, w3 (each tensor for all layers
// before the next), the final RMSNorm weight, two legacy RoPE tables (seq_len × head_dim/2 each,
// unused: rotations are computed from rope_theta), and the classifier when not shared.

#include "model/checkpoint.h"

#include <string>

namespace maskscope {

/// Opens a llama2.c `.bin` checkpoint, memory-mapped, its tensors presented under Hugging Face's
/// Llama names (model.embed_tokens.weight, model.layers.{i}.self_attn.{q,k,v,o}_proj.weight,
/// …input_layernorm / post_attention_layernorm, …mlp.{gate,up,down}_proj.weight for w1, w3, w2,
/// model.norm.weight, lm_head.weight when the classifier is separate) with
/// RopeLayout::Interleaved, rope_theta 10000, RMSNorm eps 1e-5, BOS 1, EOS 2 and maxPositions =
/// seq_len. The file size must be exactly what the header implies.
/// Throws InputError "<path>: <problem>", one line, for anything else (missing, special, empty,
/// truncated or over-long files, absurd header values).
Checkpoint openLlama2c(const std::string& path);

} // namespace maskscope
