// SPDX-License-Identifier: MIT
#pragma once
// The same mask in each framework's spelling. The most common masking bugs come from passing a
// mask written for one framework to another: True means "attend" in some and "blocked" in
// others, padding is a separate tensor in some, and the blocked value is -inf, finfo.min or -1e9.
// This module renders MaskScope's allowed matrix (which it never changes) as each framework's
// tensors, as a Python snippet that builds them from the rules, and says what each spelling
// cannot express.

#include "io/json.h"
#include "mask/maskspec.h"
#include "attention/scoremodifiers.h"
#include "base/types.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace maskscope {

enum class Convention {
    TorchMha,      ///< torch.nn.MultiheadAttention: bool attn_mask True = blocked, key_padding_mask True = pad
    TorchSdpa,     ///< torch.nn.functional.scaled_dot_product_attention: bool attn_mask True = attend
    FlexAttention, ///< torch FlexAttention: mask_mod returns True = keep; score_mod changes scores
    HuggingFace,   ///< transformers: attention_mask 1 = keep (padding only) -> 4-D additive finfo.min
    TensorFlow,    ///< the TensorFlow transformer tutorial: mask 1 = blocked, logits += mask * -1e9
    Keras          ///< keras.layers.MultiHeadAttention: attention_mask 1 = attend, use_causal_mask
};

/// What True (or 1) means in a convention's mask.
enum class MaskPolarity { TrueMeansAttend, TrueMeansBlocked };

const char* polarityText(MaskPolarity p); ///< "True = attend" or "True = blocked"

/// Static facts about a convention.
struct ConventionInfo {
    Convention id;
    const char* name;      ///< command-line spelling, e.g. "torch-mha"
    const char* title;     ///< e.g. "PyTorch nn.MultiheadAttention"
    MaskPolarity polarity; ///< of its bool (or 0/1) mask
    const char* spelling;  ///< one line: its tensors and what their values mean
};

/// Every convention, in the order of the enum.
const std::vector<ConventionInfo>& allConventions();
const ConventionInfo& conventionInfo(Convention c);
/// Looks a convention up by its name; throws InputError listing the names otherwise.
Convention parseConvention(std::string_view name);

/// The allowed matrix a framework derives when it reads a bool mask with polarity `readAs` that
/// was written (from `allowed`) for polarity `writtenFor`: `allowed` itself when they agree, its
/// negation when they do not - every allowed cell blocked and every blocked cell allowed.
BoolMatrix allowedAsRead(const BoolMatrix& allowed, MaskPolarity writtenFor, MaskPolarity readAs);

/// What reading a bool mask with the wrong polarity does to one batch item: compares the allowed
/// matrix meant (`intended`) with the one a framework derives (`asRead`, e.g. an entry of
/// ConventionRendering::allowedIfPolarityFlipped). `keyIsPad` has one flag per key (Lk).
/// Invariant: allowedLost + blockedGained == cellsFlipped; paddingAttended <= blockedGained.
struct PolarityFlipEffect {
    std::int64_t cellsFlipped = 0;    ///< cells whose allowance differs
    std::int64_t allowedLost = 0;     ///< cells meant to be allowed that become blocked
    std::int64_t blockedGained = 0;   ///< cells meant to be blocked that become allowed
    std::int64_t paddingAttended = 0; ///< of blockedGained, cells on padding keys
    std::vector<int> rowsWithNoKey;   ///< rows that allow no key once misread (NaN under -inf)
    std::vector<int> newRowsWithNoKey; ///< of those, rows that had a key as meant
};

/// Compares the two matrices cell by cell: O(Lq * Lk).
/// Preconditions: equal shapes; keyIsPad.size() == cols (throws InputError otherwise).
PolarityFlipEffect polarityFlipEffect(const BoolMatrix& intended, const BoolMatrix& asRead,
                                      const std::vector<bool>& keyIsPad);

/// One tensor of a rendering. Values are in C order; bools and 0/1 integers as 0 and 1, blocked
/// float cells as -inf, finfo.min or the convention's constant.
/// Invariant: values.size() == product of shape.
struct ConventionTensor {
    std::string name;     ///< its variable name in the snippet, e.g. "attn_mask"
    std::string meaning;  ///< e.g. "True = blocked"
    std::string dtype;    ///< "bool", "int64", "float32" or "float64"
    std::vector<int> shape;
    std::vector<double> values;
};

/// A yes/no the convention asks for, e.g. SDPA's is_causal.
struct ConventionFlag {
    std::string name;
    bool value = false;
    std::string meaning;
};

/// A mask in one convention's spelling.
struct ConventionRendering {
    Convention convention = Convention::TorchMha;
    std::vector<ConventionTensor> tensors;
    std::vector<ConventionFlag> flags;
    /// Python that defines the rules (setup) and then calls the framework. Setup alone is
    /// `snippet.substr(0, setupLength)`; it needs only torch (or numpy for TensorFlow and Keras).
    /// The call expects query, key, value (B, L, E) and mha = nn.MultiheadAttention(E, H,
    /// batch_first=True) for torch-mha; q, k, v (B, H, L, d_k) for the other torch conventions;
    /// query, key, value (B, L, E) for Keras.
    std::string snippet;
    std::size_t setupLength = 0;
    std::vector<std::string> notes; ///< what this spelling cannot express or changes
    /// The allowed matrices (one per batch item) a framework with the opposite polarity would
    /// use if handed this convention's bool mask, and how many of their rows allow no key.
    std::vector<BoolMatrix> allowedIfPolarityFlipped;
    int rowsWithNoKeyIfPolarityFlipped = 0;
};

/// What the renderer needs beyond the mask.
struct RenderContext {
    int heads = 1;             ///< for per-head shapes (ALiBi, nn.MultiheadAttention's B*H)
    DType dtype = DType::Float32; ///< for finfo(dtype).min and float masks
    ScoreModifiers modifiers;
    std::string maskFilePath;  ///< where the snippet loads --mask-file from
    std::string loadDir;       ///< where the snippet loads --load's masks from
};

/// Renders every batch item of `spec` in convention `c`, without the pitfall lab's mask mistakes
/// (intendedMask(spec)): a convention shows how to spell the intended mask. Every tensor describes exactly the
/// cells allowedMatrix() allows (a float mask with ALiBi also carries the biases); where a
/// spelling cannot carry something (soft-capping outside FlexAttention, a loaded float mask's
/// biases in a bool mask) a note says so.
/// Preconditions: spec.validate() passes; context.heads >= 1. O(B * H * Lq * Lk) memory for
/// the per-head tensors, so meant for sizes whose trace fits.
ConventionRendering renderConvention(const MaskSpec& spec, Convention c, const RenderContext& context);

/// Writes a rendering as a JSON object: name, title, polarity, tensors (nested arrays), flags,
/// snippet, notes, and the flipped-polarity allowed matrices.
void writeConventionJson(JsonWriter& w, const ConventionRendering& r);

} // namespace maskscope
