// SPDX-License-Identifier: MIT
#include "model/forward.h"

#include "model/gpt2layer.h"
#include "model/llamalayer.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace maskscope {
namespace {

// Two masks are equal when every field that can change the allowed matrix or how the engine
// applies it is equal. The mask file is shared between copies, so the same pointer is the same
// file; different pointers are compared by content.
bool sameAllowedFile(const std::shared_ptr<const BoolMatrix>& a, const std::shared_ptr<const BoolMatrix>& b)
{
    if (a == b)
        return true;
    return a && b && a->rows() == b->rows() && a->cols() == b->cols() && (*a == *b).all();
}

bool sameAttnMask(const std::optional<LoadedAttnMask>& a, const std::optional<LoadedAttnMask>& b)
{
    if (!a || !b)
        return !a && !b;
    if (a->isBool != b->isBool)
        return false;
    if (a->isBool)
        return a->blocked.rows() == b->blocked.rows() && a->blocked.cols() == b->blocked.cols()
               && (a->blocked == b->blocked).all();
    return a->additive.rows() == b->additive.rows() && a->additive.cols() == b->additive.cols()
           && (a->additive.array() == b->additive.array()).all();
}

bool sameKeyPadding(const std::optional<BoolMatrix>& a, const std::optional<BoolMatrix>& b)
{
    if (!a || !b)
        return !a && !b;
    return a->rows() == b->rows() && a->cols() == b->cols() && (*a == *b).all();
}

bool sameMask(const MaskSpec& a, const MaskSpec& b)
{
    return a.queryLen == b.queryLen && a.keyLen == b.keyLen && a.batch == b.batch && a.validLens == b.validLens
           && a.padSide == b.padSide && a.causal == b.causal && a.selfAttention == b.selfAttention
           && a.fill == b.fill && a.rules == b.rules && a.pitfalls == b.pitfalls
           && sameAllowedFile(a.allowedFile, b.allowedFile) && sameAttnMask(a.attnMask, b.attnMask)
           && sameKeyPadding(a.keyPaddingMask, b.keyPaddingMask);
}

// Only the attention output is needed to advance the residual stream.
TraceRequest outputOnly()
{
    TraceRequest r;
    r.logits = r.scores = r.maskedLogits = r.weights = r.meanWeights = r.mask = false;
    r.output = true;
    return r;
}

bool finiteRow(const Matrix<float>& m, Eigen::Index row)
{
    return m.row(row).array().isFinite().all();
}

bool isSlidingLayer(const ModelConfig& c, int layer)
{
    if (!c.slidingWindow)
        return false;
    return c.layerAttention.empty() || c.layerAttention[static_cast<std::size_t>(layer)] == LayerAttention::Sliding;
}

void requireLayer(const ModelConfig& c, int layer)
{
    if (layer < 0 || layer >= c.layers)
        throw InputError("layer " + std::to_string(layer) + " is outside 0.." + std::to_string(c.layers - 1));
}

} // namespace

std::vector<int> modelTokens(const Tokenizer& tokenizer, const ModelConfig& config, const std::string& text)
{
    std::vector<int> ids;
    if (config.bosToken)
        ids.push_back(*config.bosToken);
    const std::vector<int> encoded = tokenizer.encode(text);
    ids.insert(ids.end(), encoded.begin(), encoded.end());
    return ids;
}

ModelForward::ModelForward(std::shared_ptr<const Checkpoint> checkpoint,
                           const std::vector<std::vector<int>>& sequences, int padId, PadSide padSide)
    : checkpoint_(std::move(checkpoint)), padSide_(padSide)
{
    const ModelConfig& c = config();
    if (sequences.empty())
        throw InputError("no text to run the model on");
    for (const auto& s : sequences)
        length_ = std::max(length_, static_cast<int>(s.size()));
    if (length_ > c.maxPositions)
        throw InputError("a text of " + std::to_string(length_) + " tokens is longer than the model's "
                         + std::to_string(c.maxPositions) + " positions");
    if (padId < 0 || padId >= c.vocab)
        throw InputError("pad token " + std::to_string(padId) + " is outside the vocabulary 0.."
                         + std::to_string(c.vocab - 1));
    for (std::size_t b = 0; b < sequences.size(); ++b) {
        const auto& s = sequences[b];
        if (s.empty())
            throw InputError("batch item " + std::to_string(b) + " has no tokens");
        for (const int id : s)
            if (id < 0 || id >= c.vocab)
                throw InputError("token id " + std::to_string(id) + " is outside the vocabulary 0.."
                                 + std::to_string(c.vocab - 1));
        std::vector<int> padded(static_cast<std::size_t>(length_), padId);
        const auto first = padSide == PadSide::Left ? padded.end() - static_cast<std::ptrdiff_t>(s.size())
                                                    : padded.begin();
        std::copy(s.begin(), s.end(), first);
        ids_.push_back(std::move(padded));
        validLens_.push_back(static_cast<int>(s.size()));
    }
    for (int b = 0; b < batch(); ++b) {
        positions_.emplace_back();
        for (int i = 0; i < length_; ++i)
            positions_.back().push_back(position(b, i));
    }
    embed();
}

int ModelForward::position(int b, int i) const
{
    const int valid = validLens_[static_cast<std::size_t>(b)];
    if (padSide_ == PadSide::Right)
        return std::min(i, valid);
    return std::max(0, i - (length_ - valid));
}

MaskSpec ModelForward::modelMask() const
{
    MaskSpec m;
    m.batch = batch();
    m.queryLen = m.keyLen = length_;
    m.selfAttention = true;
    m.causal = true;
    m.validLens = validLens_;
    m.padSide = padSide_;
    return m;
}

MaskSpec ModelForward::layerMask(int layer, const MaskSpec& mask) const
{
    requireLayer(config(), layer);
    MaskSpec m = mask;
    if (isSlidingLayer(config(), layer)) {
        const int left = *config().slidingWindow - 1;
        m.rules.windowLeft = m.rules.windowLeft < 0 ? left : std::min(m.rules.windowLeft, left);
    }
    return m;
}

void ModelForward::checkMask(const MaskSpec& mask) const
{
    if (mask.batch != batch() || mask.queryLen != length_ || mask.keyLen != length_ || !mask.selfAttention)
        throw InputError("the mask is for " + std::to_string(mask.batch) + " × (" + std::to_string(mask.queryLen)
                         + ", " + std::to_string(mask.keyLen) + ") but the model runs self-attention on "
                         + std::to_string(batch()) + " × " + std::to_string(length_) + " tokens");
}

// Each architecture's pieces around the attention (llamalayer.h, gpt2layer.h).
void ModelForward::embed()
{
    const ModelConfig& c = config();
    if (c.architecture == Architecture::Gpt2) {
        hidden_.assign(1, gpt2Embeddings(*checkpoint_, ids_, positions_));
        return;
    }
    const TensorView& table = checkpoint_->tensor("model.embed_tokens.weight", {c.vocab, c.dModel});
    std::vector<Matrix<float>> x;
    for (const auto& ids : ids_) {
        Matrix<float> m(length_, c.dModel);
        for (int i = 0; i < length_; ++i)
            widen(table, static_cast<std::int64_t>(ids[static_cast<std::size_t>(i)]) * c.dModel, c.dModel,
                  m.row(i).data());
        x.push_back(std::move(m));
    }
    hidden_.assign(1, std::move(x));
}

AttentionInputs<float> ModelForward::layerInputs(int layer, const MaskSpec& mask) const
{
    const bool kvFromQuery = mask.pitfalls.has(Pitfall::QprojForKv);
    const std::vector<Matrix<float>>& x = hidden_[static_cast<std::size_t>(layer)];
    switch (config().architecture) {
    case Architecture::Gpt2:
        return gpt2AttentionInputs(*checkpoint_, layer, x, kvFromQuery);
    case Architecture::Llama:
    case Architecture::Mistral:
    case Architecture::Qwen2:
        break;
    }
    return llamaAttentionInputs(*checkpoint_, layer, x, positions_, kvFromQuery);
}

void ModelForward::feedForward(int layer, std::vector<Matrix<float>>& hidden) const
{
    if (config().architecture == Architecture::Gpt2)
        gpt2FeedForward(*checkpoint_, layer, hidden);
    else
        llamaFeedForward(*checkpoint_, layer, hidden);
}

Vector<float> ModelForward::logits(const Eigen::Ref<const Matrix<float>>& row) const
{
    if (config().architecture == Architecture::Gpt2)
        return gpt2Logits(*checkpoint_, row);
    return llamaLogits(*checkpoint_, row);
}

void ModelForward::computeUpTo(int layers, const MaskSpec& mask, const ScoreModifiers& modifiers)
{
    checkMask(mask);
    if (!cachedMask_ || !sameMask(*cachedMask_, mask) || !(cachedModifiers_ == modifiers)) {
        hidden_.resize(1); // the embeddings do not depend on the mask
        finalLogits_.clear();
        cachedMask_ = mask;
        cachedModifiers_ = modifiers;
    }
    for (int l = computedLayers(); l < layers; ++l) {
        throwIfStopped(stop_);
        computeLayer(l, mask, modifiers);
    }
}

AttentionInputs<float> ModelForward::attentionInputs(int layer, const MaskSpec& mask, const ScoreModifiers& modifiers)
{
    requireLayer(config(), layer);
    computeUpTo(layer, mask, modifiers);
    return layerInputs(layer, mask);
}

void ModelForward::computeLayer(int layer, const MaskSpec& mask, const ScoreModifiers& modifiers)
{
    const AttentionInputs<float> in = layerInputs(layer, mask);
    engine_.compute(in, layerMask(layer, mask), modifiers, outputOnly(), trace_);
    std::vector<Matrix<float>> next;
    for (int b = 0; b < batch(); ++b) {
        BatchTrace<float>& t = trace_.batches[static_cast<std::size_t>(b)];
        for (Eigen::Index i = 0; i < t.output.rows(); ++i)
            if (t.rowFullyBlocked[static_cast<std::size_t>(i)] && !finiteRow(t.output, i))
                t.output.row(i).setZero(); // see the file comment of forward.h
        next.push_back(hidden_[static_cast<std::size_t>(layer)][static_cast<std::size_t>(b)] + t.output);
    }
    feedForward(layer, next);
    hidden_.push_back(std::move(next));
}

const Matrix<float>& ModelForward::hidden(int layer, int b, const MaskSpec& mask, const ScoreModifiers& modifiers)
{
    if (layer < -1 || layer >= config().layers)
        throw InputError("layer " + std::to_string(layer) + " is outside -1.." + std::to_string(config().layers - 1));
    computeUpTo(layer + 1, mask, modifiers);
    return hidden_[static_cast<std::size_t>(layer + 1)][static_cast<std::size_t>(b)];
}

std::vector<std::vector<TokenProbability>> ModelForward::nextTokens(int k, const MaskSpec& mask,
                                                                    const ScoreModifiers& modifiers)
{
    computeUpTo(config().layers, mask, modifiers);
    if (finalLogits_.empty()) {
        for (int b = 0; b < batch(); ++b) {
            const int last = padSide_ == PadSide::Left ? length_ - 1 : validLens_[static_cast<std::size_t>(b)] - 1;
            finalLogits_.push_back(logits(hidden_.back()[static_cast<std::size_t>(b)].row(last)));
        }
    }
    std::vector<std::vector<TokenProbability>> result;
    for (const Vector<float>& itemLogits : finalLogits_)
        result.push_back(topProbabilities(itemLogits, k));
    return result;
}

std::vector<TokenProbability> topProbabilities(const Vector<float>& logits, int k)
{
    const double top = logits.cast<double>().maxCoeff();
    std::vector<TokenProbability> all;
    double sum = 0;
    for (Eigen::Index v = 0; v < logits.size(); ++v) {
        const double p = std::exp(static_cast<double>(logits[v]) - top);
        all.push_back({static_cast<int>(v), p});
        sum += p;
    }
    for (TokenProbability& t : all)
        t.probability /= sum;
    const auto count = static_cast<std::ptrdiff_t>(std::min<std::size_t>(static_cast<std::size_t>(std::max(k, 0)), all.size()));
    std::partial_sort(all.begin(), all.begin() + count, all.end(), [](const TokenProbability& a, const TokenProbability& b) {
        return a.probability != b.probability ? a.probability > b.probability : a.id < b.id;
    });
    all.resize(static_cast<std::size_t>(count));
    return all;
}

} // namespace maskscope
