// SPDX-License-Identifier: MIT
#pragma once
// The user's parameters of a scenario, as the options (scenario/options.h), presets and the
// window set them. Plain values: building the scenario from them is scenario/scenario.h.

#include "attention/pitfalls.h"
#include "attention/scoremodifiers.h"
#include "mask/maskspec.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace maskscope {

/// The user's parameters. Unset optionals take their defaults, or the sizes of loaded files.
struct ScenarioConfig {
    std::optional<int> seqLen;      ///< key (and, in self-attention, query) length; default 8
    std::optional<int> queryLen;    ///< cross-attention query length; default = seqLen
    std::optional<int> batch;       ///< default 1
    std::vector<int> validLens;     ///< one per batch item; empty = no padding
    PadSide padSide = PadSide::Right;
    bool causal = false;
    int heads = 4;
    /// Key/value heads of grouped-query attention (--kv-heads): query heads h and h' share
    /// their K and V when h / (heads / kvHeads) == h' / (heads / kvHeads), as repeat_interleave
    /// groups them. Divides heads; unset = one K/V head per query head (plain multi-head).
    std::optional<int> kvHeads;
    std::optional<int> dModel;      ///< default 64
    std::uint64_t seed = 0;
    Fill fill;
    std::string tokens;             ///< whitespace-separated words; empty = default sentence
    std::string loadDir;            ///< directory of .npy files; empty = synthetic inputs
    std::string modelPath;          ///< a real checkpoint (.bin file or HF directory); empty = none
    std::string tokenizerPath;      ///< its tokenizer; empty = the one beside the checkpoint
    std::vector<std::string> texts; ///< with a model: one sentence per batch item
    std::optional<int> layer;       ///< with a model: the layer shown; default the last
    MaskRules rules;                ///< window, dilation, prefix, documents, chunks, global, toggles
    std::string maskFile;           ///< (Lq, Lk) bool .npy, true = allowed; empty = none
    ScoreModifiers scoreModifiers;  ///< ALiBi, soft-capping, sink logits
    int blockSize = kDefaultBlockSize; ///< tile size of the block-sparsity figures
    Pitfalls pitfalls;              ///< --bug, --mask-apply, --blocked-rows, --dtype (the pitfall lab)

    static constexpr int kDefaultBlockSize = 128; ///< FlexAttention's default BLOCK_SIZE

    int effectiveSeqLen() const { return seqLen.value_or(8); }
    int effectiveQueryLen() const { return queryLen.value_or(effectiveSeqLen()); }
    int effectiveBatch() const { return batch.value_or(1); }
    int effectiveDModel() const { return dModel.value_or(64); }
    bool usesModel() const { return !modelPath.empty(); }
    int effectiveKvHeads() const { return kvHeads.value_or(heads); }

    friend bool operator==(const ScenarioConfig&, const ScenarioConfig&) = default;
};

} // namespace maskscope
