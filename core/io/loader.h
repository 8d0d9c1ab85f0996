// SPDX-License-Identifier: MIT
#pragma once
// Loading nn.MultiheadAttention inputs from a directory of .npy files.

#include "scenario/inputs.h"
#include "mask/maskspec.h"

#include <string>
#include <variant>

namespace maskscope {

/// Inputs loaded from disk, in the precision of the files (float32 or float64 end to end).
struct LoadedModel {
    std::variant<AttentionInputs<float>, AttentionInputs<double>> inputs;
    std::optional<LoadedAttnMask> attnMask;
    std::optional<BoolMatrix> keyPaddingMask;
    bool selfAttention = true; ///< no key.npy was given

    DType dtype() const;
    int batch() const;
    int queryLen() const;
    int keyLen() const;
    int embedDim() const;
};

/// Reads DIR/query.npy (B, Lq, E); optional key.npy (B, Lk, E) defaulting to query and optional
/// value.npy (B, Lk, E) defaulting to key (value without key is an error);
/// in_proj_weight.npy (3E, E); in_proj_bias.npy (3E); out_proj.weight.npy (E, E);
/// out_proj.bias.npy (E); optional attn_mask.npy (Lq, Lk) bool or float; optional
/// key_padding_mask.npy (B, Lk) bool. Activations and parameters must share one float type.
/// `heads` must divide E.
/// Throws InputError naming the file and the problem (missing, malformed, wrong type or shape).
LoadedModel loadModel(const std::string& dir, int heads);

} // namespace maskscope
