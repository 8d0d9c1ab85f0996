// SPDX-License-Identifier: MIT
#pragma once
// A real checkpoint run on the user's sentences, as a scenario needs it: the layer's projected
// attention inputs, the mask that layer applies, the token pieces and the next-token prediction.
// Checkpoints, tokenizers and the forward of the last sentences are cached for the process, so
// that a change of layer, head, view or rule reopens nothing and recomputes only what changed.

#include "attention/scoremodifiers.h"
#include "base/stopcheck.h"
#include "mask/maskspec.h"
#include "model/checkpoint.h"
#include "scenario/inputs.h"

#include <optional>
#include <string>
#include <vector>

namespace maskscope {

/// What to run: a checkpoint (a llama2.c .bin or a Hugging Face directory), its tokenizer
/// (empty: found beside the checkpoint), the sentences (one per batch item) and the side
/// shorter sentences are padded on.
struct ModelSource {
    std::string model;
    std::string tokenizer;
    std::vector<std::string> texts;
    PadSide padSide = PadSide::Right;
};

/// One candidate of the model's next token.
struct NextToken {
    int id = 0;
    std::string piece;       ///< readable (readablePiece)
    double probability = 0.0;
};

/// What a scenario of a real model shows besides its matrices.
struct ModelInfo {
    ModelConfig config;
    std::string path;          ///< the checkpoint
    std::string tokenizerPath;
    int layer = 0;             ///< the layer shown
    std::vector<std::vector<int>> tokenIds;        ///< per batch item, its real tokens (BOS first)
    std::vector<std::vector<std::string>> pieces;  ///< the same tokens as stored pieces
    bool byteLevel = false;    ///< pieces in byte-level BPE's alphabet (for readablePiece)
    std::vector<std::vector<NextToken>> nextTokens; ///< per batch item, the top 5 after its last token
};

/// The tokenizer a checkpoint comes with: tokenizer.json or tokenizer.model in a Hugging Face
/// directory, tokenizer.bin beside a llama2.c file. Throws InputError naming what is missing.
std::string defaultTokenizerPath(const std::string& model);

/// The token ids and sizes of `source`: per text BOS (when the model has one) and its tokens.
/// Throws InputError for an unreadable model or tokenizer, an empty text, invalid UTF-8 or a
/// text longer than the model's positions.
std::vector<std::vector<int>> tokenizeSource(const ModelSource& source);

/// The mask shape of tokenized sentences: batch = count, L = the longest, valid lengths when
/// they differ (padding on source.padSide), causal (every supported model is a decoder).
MaskSpec modelMaskShape(const std::vector<std::vector<int>>& ids, PadSide padSide);

/// The result of running a model to one layer.
struct ModelLayer {
    AttentionInputs<float> inputs; ///< projected (see AttentionInputs::projected)
    MaskSpec mask;                 ///< the layer's mask: `mask` with the model's sliding window
    ModelInfo info;
};

/// Runs `source` up to `layer` under `mask` and `modifiers` (at every layer up to it) and the
/// next-token prediction under the same mask at every layer. `mask` must have the sizes
/// modelMaskShape gives. Thread-safe (one forward at a time; the cache is shared).
/// Throws InputError as tokenizeSource, and for a layer outside [0, layers); ComputationStopped
/// when `stop`, asked before each layer, says stop (the layers computed so far stay cached).
ModelLayer runModelLayer(const ModelSource& source, int layer, const MaskSpec& mask,
                         const ScoreModifiers& modifiers, const StopCheck& stop = {});

/// The number of layers of the checkpoint of `source` (opening it, cached).
int modelLayers(const ModelSource& source);

/// The layer a config shows: `layer`, or the last one when unset. Opens the checkpoint (cached).
/// Throws InputError naming the range when `layer` is outside [0, modelLayers(source)).
int modelLayerOf(const ModelSource& source, std::optional<int> layer);

} // namespace maskscope
