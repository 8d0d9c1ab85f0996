// SPDX-License-Identifier: MIT
#include "model/modelscenario.h"

#include "model/forward.h"
#include "model/tokenizer.h"

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <tuple>

namespace maskscope {
namespace {

namespace fs = std::filesystem;

constexpr int kNextTokens = 5;

// A file's identity for the cache: a checkpoint rewritten in place must be read again.
std::tuple<std::string, long long, long long> fileStamp(const std::string& path)
{
    std::error_code error;
    const auto time = fs::last_write_time(path, error);
    const long long size = fs::is_regular_file(path, error) ? static_cast<long long>(fs::file_size(path, error)) : 0;
    return {fs::absolute(path, error).string(), error ? 0 : time.time_since_epoch().count(), size};
}

// The stamp of a Hugging Face directory is its config.json's (its weights come with it).
std::tuple<std::string, long long, long long> modelStamp(const std::string& path)
{
    std::error_code error;
    return fileStamp(fs::is_directory(path, error) ? (fs::path(path) / "config.json").string() : path);
}

// Everything opened or computed for the last model and sentences, guarded by one mutex: jobs
// run on worker threads and a ModelForward is not thread-safe.
struct Cache {
    std::mutex mutex;
    std::tuple<std::string, long long, long long> modelKey, tokenizerKey;
    std::shared_ptr<const Checkpoint> checkpoint;
    std::shared_ptr<const Tokenizer> tokenizer;
    std::vector<std::vector<int>> ids;
    PadSide padSide = PadSide::Right;
    std::unique_ptr<ModelForward> forward;
};

Cache& cache()
{
    static Cache c;
    return c;
}

// Models pad their vocabulary past the tokenizer's (to a multiple of 64, say): such an id has no
// piece, but the model can still predict it.
std::string pieceOf(const Tokenizer& tokenizer, int id)
{
    return id < tokenizer.size() ? tokenizer.piece(id) : "<id=" + std::to_string(id) + ">";
}

std::string tokenizerOf(const ModelSource& source)
{
    return source.tokenizer.empty() ? defaultTokenizerPath(source.model) : source.tokenizer;
}

// Opens (or reuses) the checkpoint and tokenizer of `source`. Caller holds the mutex.
void openLocked(Cache& c, const ModelSource& source)
{
    if (source.model.empty())
        throw InputError("--model needs a checkpoint: a llama2.c .bin file or a Hugging Face directory");
    const auto key = modelStamp(source.model);
    if (!c.checkpoint || key != c.modelKey) {
        c.checkpoint.reset();
        c.forward.reset();
        c.checkpoint = std::make_shared<const Checkpoint>(openCheckpoint(source.model));
        c.modelKey = key;
        c.tokenizer.reset();
    }
    const std::string tokenizerPath = tokenizerOf(source);
    const auto tokenizerKey = fileStamp(tokenizerPath);
    if (!c.tokenizer || tokenizerKey != c.tokenizerKey) {
        c.tokenizer = openTokenizer(tokenizerPath, c.checkpoint->config.vocab);
        c.tokenizerKey = tokenizerKey;
    }
}

std::vector<std::vector<int>> tokenizeLocked(const Cache& c, const ModelSource& source)
{
    if (source.texts.empty())
        throw InputError("--model needs a sentence: give it with --text \"...\"");
    std::vector<std::vector<int>> ids;
    for (const std::string& text : source.texts) {
        if (text.find_first_not_of(" \t\r\n") == std::string::npos)
            throw InputError("--text is empty: give the model a sentence");
        ids.push_back(modelTokens(*c.tokenizer, c.checkpoint->config, text));
        const int positions = c.checkpoint->config.maxPositions;
        if (static_cast<int>(ids.back().size()) > positions)
            throw InputError("--text \"" + text.substr(0, 40) + (text.size() > 40 ? "..." : "") + "\" is "
                             + std::to_string(ids.back().size()) + " tokens; the model has "
                             + std::to_string(positions) + " positions");
    }
    return ids;
}

ModelForward& forwardLocked(Cache& c, const std::vector<std::vector<int>>& ids, PadSide padSide)
{
    if (!c.forward || ids != c.ids || padSide != c.padSide) {
        c.forward.reset();
        c.forward = std::make_unique<ModelForward>(c.checkpoint, ids, 0, padSide);
        c.ids = ids;
        c.padSide = padSide;
    }
    return *c.forward;
}

ModelInfo describe(const Cache& c, const ModelSource& source, const std::vector<std::vector<int>>& ids, int layer)
{
    ModelInfo info;
    info.config = c.checkpoint->config;
    info.path = source.model;
    info.tokenizerPath = tokenizerOf(source);
    info.layer = layer;
    info.tokenIds = ids;
    info.byteLevel = c.tokenizer->byteLevel();
    for (const auto& sequence : ids) {
        std::vector<std::string> pieces;
        for (const int id : sequence)
            pieces.push_back(pieceOf(*c.tokenizer, id));
        info.pieces.push_back(std::move(pieces));
    }
    return info;
}

} // namespace

std::string defaultTokenizerPath(const std::string& model)
{
    std::error_code error;
    if (fs::is_directory(model, error)) {
        for (const char* name : {"tokenizer.json", "tokenizer.model"})
            if (fs::exists(fs::path(model) / name, error))
                return (fs::path(model) / name).string();
        throw InputError(model + ": no tokenizer.json or tokenizer.model in the directory; give one with --tokenizer");
    }
    const fs::path beside = fs::path(model).parent_path() / "tokenizer.bin";
    if (fs::exists(beside, error))
        return beside.string();
    throw InputError(model + ": no tokenizer.bin beside the checkpoint; give its tokenizer with --tokenizer");
}

std::vector<std::vector<int>> tokenizeSource(const ModelSource& source)
{
    Cache& c = cache();
    const std::lock_guard lock(c.mutex);
    openLocked(c, source);
    return tokenizeLocked(c, source);
}

MaskSpec modelMaskShape(const std::vector<std::vector<int>>& ids, PadSide padSide)
{
    MaskSpec m;
    m.batch = static_cast<int>(ids.size());
    std::size_t longest = 0;
    bool ragged = false;
    for (const auto& sequence : ids) {
        ragged = ragged || (longest != 0 && sequence.size() != longest);
        longest = std::max(longest, sequence.size());
    }
    m.queryLen = m.keyLen = static_cast<int>(longest);
    if (ragged)
        for (const auto& sequence : ids)
            m.validLens.push_back(static_cast<int>(sequence.size()));
    m.padSide = padSide;
    m.causal = true;
    m.selfAttention = true;
    return m;
}

int modelLayers(const ModelSource& source)
{
    Cache& c = cache();
    const std::lock_guard lock(c.mutex);
    openLocked(c, source);
    return c.checkpoint->config.layers;
}

int modelLayerOf(const ModelSource& source, std::optional<int> layer)
{
    const int layers = modelLayers(source);
    const int shown = layer.value_or(layers - 1);
    if (shown < 0 || shown >= layers)
        throw InputError("--layer " + std::to_string(shown) + " is outside 0.." + std::to_string(layers - 1)
                         + " (the model has " + std::to_string(layers) + " layers)");
    return shown;
}

ModelLayer runModelLayer(const ModelSource& source, int layer, const MaskSpec& mask, const ScoreModifiers& modifiers,
                         const StopCheck& stop)
{
    Cache& c = cache();
    const std::lock_guard lock(c.mutex);
    openLocked(c, source);
    if (layer < 0 || layer >= c.checkpoint->config.layers)
        throw InputError("--layer " + std::to_string(layer) + " is outside 0.."
                         + std::to_string(c.checkpoint->config.layers - 1));
    const std::vector<std::vector<int>> ids = tokenizeLocked(c, source);
    ModelForward& forward = forwardLocked(c, ids, source.padSide);
    // The check belongs to this call; the cached forward outlives it.
    forward.setStopCheck(stop);
    const std::unique_ptr<ModelForward, void (*)(ModelForward*)> forgetStop(
        &forward, [](ModelForward* f) { f->setStopCheck({}); });
    ModelLayer out;
    out.inputs = forward.attentionInputs(layer, mask, modifiers);
    out.mask = forward.layerMask(layer, mask);
    out.info = describe(c, source, ids, layer);
    for (const auto& candidates : forward.nextTokens(kNextTokens, mask, modifiers)) {
        std::vector<NextToken> next;
        for (const TokenProbability& t : candidates)
            next.push_back({t.id, readablePiece(pieceOf(*c.tokenizer, t.id), c.tokenizer->byteLevel()), t.probability});
        out.info.nextTokens.push_back(std::move(next));
    }
    return out;
}

} // namespace maskscope
