// SPDX-License-Identifier: MIT
#pragma once
// The forward pass of a real checkpoint over a batch of token sequences, layer by layer, with
// every layer's attention computed by AttentionEngine under the scenario's mask: a mask rule or
// a mistake of the pitfall lab changes what the model sees at every layer, and so the residual
// stream of the layers after it and the next-token prediction. Architectures: the Llama family
// (llamalayer.h: llama, mistral, qwen2) and GPT-2 (gpt2layer.h); ModelForward switches on
// ModelConfig::architecture in embed(), layerInputs(), feedForward() and logits().
//
// How a front end uses it (one ModelForward per text batch, per worker thread):
//   auto ck = std::make_shared<const Checkpoint>(openCheckpoint(path));
//   auto tok = openTokenizer(tokenizerPath, ck->config.vocab);
//   ModelForward fw(ck, {modelTokens(*tok, ck->config, "Once upon a time")}, padId, PadSide::Left);
//   MaskSpec mask = fw.modelMask();               // causal + padding; add rules / pitfalls here
//   AttentionInputs<float> in = fw.attentionInputs(layer, mask, modifiers);
//   engine.compute(in, fw.layerMask(layer, mask), modifiers, request, trace); // heads = query heads
//   auto top5 = fw.nextTokens(5, mask, modifiers);
//
// Positions: a token's position is the number of real (non-padding) tokens before it in its
// sequence, so a left-padded sentence gets the same rotary angles as the sentence alone (what
// Hugging Face's generate does with position_ids = cumsum(attention_mask) - 1). Padding on the
// left gets position 0, padding on the right continues after the last real token.
//
// A row of the attention with no allowed key (a left-padding query under a causal mask) returns
// NaN from a plain softmax. Such a row adds nothing to the residual stream here (the safe
// softmax's zero output): otherwise its NaN would reach every real token through its key at the
// next layer (NaN · 0 = NaN), which no real model does (they fill with a finite minimum). The
// trace of the layer itself still shows the NaN row.

#include "attention/attention.h"
#include "base/stopcheck.h"
#include "attention/scoremodifiers.h"
#include "mask/maskspec.h"
#include "model/checkpoint.h"
#include "model/tokenizer.h"
#include "scenario/inputs.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace maskscope {

/// The ids a model reads for `text`: BOS when the config has one, then tokenizer.encode(text).
/// Throws InputError for text that is not valid UTF-8.
std::vector<int> modelTokens(const Tokenizer& tokenizer, const ModelConfig& config, const std::string& text);

/// One candidate next token.
struct TokenProbability {
    int id = 0;
    double probability = 0.0;
};

/// The k largest of softmax(logits) (computed in double), most probable first, ties by the
/// smaller id; fewer when logits has fewer entries. Precondition: logits not empty.
std::vector<TokenProbability> topProbabilities(const Vector<float>& logits, int k);

/// A batch of token sequences run through a checkpoint, computed lazily and cached per layer.
///
/// What is cached: the residual stream after every computed layer, for the mask and modifiers it
/// was computed with. Asking for layer N after layers up to M < N were computed computes only
/// M+1..N; asking again with an equal mask and modifiers computes nothing; a different mask
/// (any field of the MaskSpec, pitfalls included) or different modifiers discard the layers
/// computed so far (the embeddings stay). A change of text is a new ModelForward.
///
/// Thread-safety: none; a ModelForward holds an AttentionEngine. Use one object per worker
/// thread (the Checkpoint may be shared: it is read-only).
class ModelForward {
public:
    /// `sequences`: the token ids of each batch item, each non-empty, each id in [0, vocab);
    /// shorter ones are padded with `padId` on `padSide` to the longest length L.
    /// Throws InputError if a sequence is empty, an id is out of range, L exceeds the model's
    /// maxPositions.
    ModelForward(std::shared_ptr<const Checkpoint> checkpoint, const std::vector<std::vector<int>>& sequences,
                 int padId = 0, PadSide padSide = PadSide::Right);

    const ModelConfig& config() const { return checkpoint_->config; }
    const Checkpoint& checkpoint() const { return *checkpoint_; }
    int batch() const { return static_cast<int>(ids_.size()); }
    int length() const { return length_; }
    /// Batch item b's ids, padded to length(). Precondition: 0 <= b < batch().
    const std::vector<int>& tokens(int b) const { return ids_[static_cast<std::size_t>(b)]; }
    const std::vector<int>& validLengths() const { return validLens_; }
    PadSide padSide() const { return padSide_; }
    /// The rotary position of token i of batch item b (see the file comment).
    int position(int b, int i) const;

    /// The mask the model was trained with: causal, padding as given, sizes of the batch.
    /// Start from this and add rules or pitfalls.
    MaskSpec modelMask() const;

    /// The mask layer `layer` really applies: `mask` with the model's sliding window, if that
    /// layer has one, intersected into its window rule (key j visible from query i only if
    /// i - j < window). Compute the layer's trace with this mask.
    /// Precondition: 0 <= layer < config().layers.
    MaskSpec layerMask(int layer, const MaskSpec& mask) const;

    /// The attention inputs of layer `layer` for the whole batch, computing (or reusing) the
    /// layers before it under `mask` and `modifiers`: projected (AttentionInputs::projected), with
    /// every query head's Q and K after the rotary embedding, K and V repeated to the query heads
    /// (head h reads K/V head config().kvHeadOf(h)), out-projection o_proj with a zero bias.
    /// Under the lab mistake "K and V through q_proj" K is the rotated x·W_qᵀ per head and V is
    /// x·W_qᵀ (what the buggy code would compute). Feed them to AttentionEngine::compute with
    /// layerMask(layer, mask) and `modifiers`.
    /// Preconditions: 0 <= layer < config().layers; mask sizes (batch, length, length), self-
    /// attention. Throws InputError when the sizes disagree or a tensor is missing or misshapen.
    AttentionInputs<float> attentionInputs(int layer, const MaskSpec& mask, const ScoreModifiers& modifiers = {});

    /// The residual stream after layer `layer` (layer -1: the embeddings), (length, d_model) for
    /// batch item b, computed as attentionInputs computes it.
    const Matrix<float>& hidden(int layer, int b, const MaskSpec& mask, const ScoreModifiers& modifiers = {});

    /// Per batch item, the k most probable next tokens after its last real token (all layers,
    /// the final norm and the output head), most probable first (ties: the smaller id).
    /// Precondition: k >= 1 (fewer are returned when the vocabulary is smaller).
    std::vector<std::vector<TokenProbability>> nextTokens(int k, const MaskSpec& mask,
                                                          const ScoreModifiers& modifiers = {});

    /// How many layers the cache holds for the current mask (for tests and progress).
    int computedLayers() const { return static_cast<int>(hidden_.size()) - 1; }

    /// Asked before each layer is computed (attentionInputs, hidden, nextTokens); when it says
    /// stop they throw ComputationStopped, and the layers computed so far stay cached. Empty (the
    /// default): never stops.
    void setStopCheck(StopCheck stop) { stop_ = std::move(stop); }

private:
    void computeUpTo(int layer, const MaskSpec& mask, const ScoreModifiers& modifiers);
    void computeLayer(int layer, const MaskSpec& mask, const ScoreModifiers& modifiers);
    AttentionInputs<float> layerInputs(int layer, const MaskSpec& mask) const; ///< from hidden_[layer]
    void feedForward(int layer, std::vector<Matrix<float>>& hidden) const;
    Vector<float> logits(const Eigen::Ref<const Matrix<float>>& row) const;
    void embed();
    void checkMask(const MaskSpec& mask) const;

    std::shared_ptr<const Checkpoint> checkpoint_;
    std::vector<std::vector<int>> ids_;
    std::vector<int> validLens_;
    std::vector<std::vector<int>> positions_; ///< position(b, i) for every token
    PadSide padSide_ = PadSide::Right;
    int length_ = 0;
    /// hidden_[l + 1][b]: the residual stream after layer l; hidden_[0] the embeddings.
    std::vector<std::vector<Matrix<float>>> hidden_;
    /// Per batch item, the output logits after its last real token: a change of layer, head or
    /// view must not widen a 32000-row output head again.
    std::vector<Vector<float>> finalLogits_;
    std::optional<MaskSpec> cachedMask_;
    ScoreModifiers cachedModifiers_;
    AttentionEngine<float> engine_;
    AttentionTrace<float> trace_;
    StopCheck stop_;
};

} // namespace maskscope
