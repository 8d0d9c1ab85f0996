// SPDX-License-Identifier: MIT
#include "scenario/scenario.h"

#include "io/loader.h"
#include "io/npy.h"
#include "attention/precision.h"
#include "model/tokenizer.h"
#include "base/memorylimits.h"
#include "base/contract.h"

namespace maskscope {

namespace {

// Query, key and value of every batch item (separate matrices, also in self-attention) and the
// in- and out-projections' weights and biases.
std::size_t inputBytes(int batch, int queryLen, int keyLen, int embedDim, std::size_t scalar)
{
    const std::size_t e = static_cast<std::size_t>(embedDim);
    const std::size_t rows = static_cast<std::size_t>(batch) * (static_cast<std::size_t>(queryLen) + 2 * keyLen);
    return (rows * e + 4 * e * e + 4 * e) * scalar;
}

// The engine's projections of one batch item: q, k, their transposed and packed copies, v and
// the heads' concatenated outputs.
std::size_t engineWorkspaceBytes(int queryLen, int keyLen, int embedDim, std::size_t scalar)
{
    return (2 * static_cast<std::size_t>(queryLen) + 4 * static_cast<std::size_t>(keyLen)) *
           static_cast<std::size_t>(embedDim) * scalar;
}

// 80 %: the allocator's overhead and what the caller holds besides the counted matrices.
void checkMemoryFits(std::size_t need, const char* what)
{
    const MemoryBudget budget = memoryBudget();
    if (budget.known && need > budget.bytes / 10 * 8)
        throw InputError("these sizes need " + formatBytes(need) + " for " + what + " but only " +
                         formatBytes(budget.bytes) + " more fits in " + budget.limit +
                         "; reduce --seq-len, --batch, --heads or --d-model "
                         "(the mask alone works at any length: maskscope bench --mask-only)");
}

void requireAgrees(const std::optional<int>& given, int actual, const char* option, const char* what)
{
    if (given && *given != actual)
        throw InputError(std::string(option) + " " + std::to_string(*given) + " contradicts the " +
                         what + " " + std::to_string(actual) + " of the loaded files");
}

int resolveBatch(const ScenarioConfig& c)
{
    if (!c.validLens.empty() && c.batch && static_cast<int>(c.validLens.size()) != *c.batch)
        throw InputError("--valid-lens has " + std::to_string(c.validLens.size()) +
                         " lengths but --batch is " + std::to_string(*c.batch));
    return c.validLens.empty() ? c.effectiveBatch() : static_cast<int>(c.validLens.size());
}

std::vector<std::string> positionLabels(int length, const std::vector<bool>& pad)
{
    std::vector<std::string> labels(static_cast<size_t>(length));
    for (int i = 0; i < length; ++i)
        labels[static_cast<size_t>(i)] = pad[static_cast<size_t>(i)] ? "<pad>" : std::to_string(i);
    return labels;
}

void fillTokens(Scenario& s, bool synthetic)
{
    const auto words = splitTokens(s.config.tokens);
    const MaskSpec& m = s.mask;
    for (int b = 0; b < m.batch; ++b) {
        const int valid = m.validLens.empty() ? m.keyLen : m.validLens[static_cast<size_t>(b)];
        if (synthetic) {
            s.tokensK.push_back(sequenceTokens(words, m.keyLen, valid, m.padSide == PadSide::Left));
            s.tokensQ.push_back(m.selfAttention ? s.tokensK.back()
                                                : sequenceTokens(words, m.queryLen, m.queryLen, false));
        } else {
            s.tokensK.push_back(positionLabels(m.keyLen, m.keyPadFlags(b)));
            s.tokensQ.push_back(positionLabels(m.queryLen, m.queryPadFlags(b)));
        }
    }
}

void checkModelShape(const ScenarioConfig& c)
{
    if (c.heads < 1)
        throw InputError("--heads must be at least 1");
    if (c.effectiveDModel() % c.heads != 0)
        throw InputError("d_model " + std::to_string(c.effectiveDModel()) + " is not divisible by " +
                         std::to_string(c.heads) + " heads");
    c.scoreModifiers.validate(c.heads);
    const int kv = c.effectiveKvHeads();
    if (kv < 1 || kv > c.heads || c.heads % kv != 0)
        throw InputError("--kv-heads " + std::to_string(kv) + " must divide the " + std::to_string(c.heads) +
                         " query heads");
}

// The synthetic mask's sizes and padding, before any rule.
MaskSpec syntheticMaskShape(const ScenarioConfig& c)
{
    MaskSpec m;
    m.validLens = c.validLens;
    m.padSide = c.padSide;
    m.batch = resolveBatch(c);
    m.keyLen = c.effectiveSeqLen();
    m.queryLen = c.effectiveQueryLen();
    m.selfAttention = m.queryLen == m.keyLen;
    return m;
}

std::shared_ptr<const BoolMatrix> readMaskFile(const std::string& path, int queryLen, int keyLen)
{
    const NpyArray a = readNpy(path);
    if (a.type != NpyType::Bool)
        throw InputError("--mask-file " + path + " holds " + npyTypeName(a.type) +
                         "; it needs a bool (Lq, Lk) array, True = allowed");
    const bool matches = a.shape.size() == 2 && a.shape[0] == static_cast<std::size_t>(queryLen) &&
                         a.shape[1] == static_cast<std::size_t>(keyLen);
    if (!matches) {
        std::string shape;
        for (const std::size_t d : a.shape) {
            if (!shape.empty())
                shape += ", ";
            shape += std::to_string(d);
        }
        throw InputError("--mask-file " + path + " has shape (" + shape + ") but attention is (" +
                         std::to_string(queryLen) + ", " + std::to_string(keyLen) + ")");
    }
    auto m = std::make_shared<BoolMatrix>(queryLen, keyLen);
    for (int i = 0; i < queryLen; ++i)
        for (int j = 0; j < keyLen; ++j)
            (*m)(i, j) = a.boolAt(static_cast<std::size_t>(i) * keyLen + j);
    return m;
}

void buildSynthetic(Scenario& s)
{
    const ScenarioConfig& c = s.config;
    checkModelShape(c);
    s.mask = syntheticMaskShape(c);
    const MaskSpec& m = s.mask;
    const std::size_t labels = static_cast<std::size_t>(m.batch) * (m.queryLen + m.keyLen) * sizeof(std::string);
    checkMemoryFits(inputBytes(m.batch, m.queryLen, m.keyLen, c.effectiveDModel(), sizeof(float)) + labels,
                    "the inputs and parameters");
    applyMaskRules(c, s.mask);
    fillTokens(s, true);
    SyntheticConfig sc;
    sc.batch = s.mask.batch;
    sc.queryLen = s.mask.queryLen;
    sc.keyLen = s.mask.keyLen;
    sc.dModel = c.effectiveDModel();
    sc.heads = c.heads;
    sc.seed = c.seed;
    sc.selfAttention = s.mask.selfAttention;
    sc.queryTokens = s.tokensQ;
    sc.keyTokens = s.tokensK;
    AttentionInputs<float> inputs = makeSyntheticInputs(sc);
    s.kvHeads = c.effectiveKvHeads();
    tieKeyValueHeads(inputs, s.kvHeads);
    s.inputs = std::move(inputs);
}

template <typename From>
std::vector<Matrix<float>> toFloat32(const std::vector<Matrix<From>>& batch)
{
    std::vector<Matrix<float>> out;
    for (const Matrix<From>& m : batch)
        out.push_back(m.template cast<float>());
    return out;
}

// Rounds float64 inputs to float32, as .float() does.
AttentionInputs<float> toFloat32(const AttentionInputs<double>& in)
{
    AttentionInputs<float> out;
    out.query = toFloat32(in.query);
    out.key = toFloat32(in.key);
    out.value = toFloat32(in.value);
    out.inProjWeight = in.inProjWeight.cast<float>();
    out.inProjBias = in.inProjBias.cast<float>();
    out.outProjWeight = in.outProjWeight.cast<float>();
    out.outProjBias = in.outProjBias.cast<float>();
    out.heads = in.heads;
    out.projected = in.projected;
    return out;
}

void buildLoaded(Scenario& s)
{
    const ScenarioConfig& c = s.config;
    if (c.kvHeads)
        throw InputError("--kv-heads shapes synthetic inputs; loaded files bring their own weights");
    LoadedModel model = loadModel(c.loadDir, c.heads);
    requireAgrees(c.seqLen, model.keyLen(), "--seq-len", "key length");
    requireAgrees(c.queryLen, model.queryLen(), "--query-len", "query length");
    requireAgrees(c.batch, model.batch(), "--batch", "batch size");
    requireAgrees(c.dModel, model.embedDim(), "--d-model", "embedding size");
    if (!c.validLens.empty() && static_cast<int>(c.validLens.size()) != model.batch())
        throw InputError("--valid-lens has " + std::to_string(c.validLens.size()) +
                         " lengths but the loaded batch size is " + std::to_string(model.batch()));
    s.mask.batch = model.batch();
    s.mask.keyLen = model.keyLen();
    s.mask.queryLen = model.queryLen();
    s.mask.selfAttention = model.selfAttention;
    s.mask.attnMask = std::move(model.attnMask);
    s.mask.keyPaddingMask = std::move(model.keyPaddingMask);
    s.inputs = std::move(model.inputs);
    if (c.pitfalls.format != NumberFormat::Native)
        if (const auto* wide = std::get_if<AttentionInputs<double>>(&s.inputs))
            s.inputs = toFloat32(*wide);
    applyMaskRules(c, s.mask);
    fillTokens(s, false);
    s.kvHeads = s.heads();
}

// Sizes a real model's text decides: setting them too is a contradiction, not a preference.
void refuseSizesWithModel(const ScenarioConfig& c)
{
    const std::pair<bool, const char*> clashes[] = {
        {!c.loadDir.empty(), "--load"}, {c.seqLen.has_value(), "--seq-len"},
        {c.queryLen.has_value(), "--query-len"}, {c.batch.has_value(), "--batch"},
        {!c.validLens.empty(), "--valid-lens"}, {c.dModel.has_value(), "--d-model"},
        {!c.tokens.empty(), "--tokens"}, {c.kvHeads.has_value(), "--kv-heads"}};
    for (const auto& [given, option] : clashes)
        if (given)
            throw InputError(std::string(option) + " cannot be combined with --model: the model and its text decide "
                                                   "the sizes and tokens (use --text, repeatable, for a batch)");
}

ModelSource modelSourceOf(const ScenarioConfig& c)
{
    return {c.modelPath, c.tokenizerPath, c.texts, c.padSide};
}

// The labels of a model's positions: the readable pieces, "<pad>" where the batch pads.
std::vector<std::string> pieceLabels(const ModelInfo& info, int b, const MaskSpec& m)
{
    const auto& pieces = info.pieces[static_cast<size_t>(b)];
    std::vector<std::string> labels(static_cast<size_t>(m.keyLen), "<pad>");
    const int offset = m.padSide == PadSide::Left ? m.keyLen - static_cast<int>(pieces.size()) : 0;
    for (size_t k = 0; k < pieces.size(); ++k)
        labels[static_cast<size_t>(offset) + k] = readablePiece(pieces[k], info.byteLevel);
    return labels;
}

// The mask a model config's sentences are run under, after every check short of running a layer.
MaskSpec checkedModelMask(const ScenarioConfig& c)
{
    refuseSizesWithModel(c);
    c.scoreModifiers.validate();
    MaskSpec mask = modelMaskShape(tokenizeSource(modelSourceOf(c)), c.padSide);
    ScenarioConfig decoder = c;
    decoder.causal = true; // every supported model is a decoder: its own mask is causal
    applyMaskRules(decoder, mask);
    return mask;
}

void buildFromModel(Scenario& s, const StopCheck& stop)
{
    const ScenarioConfig& c = s.config;
    MaskSpec mask = checkedModelMask(c);
    const ModelSource source = modelSourceOf(c);
    ModelLayer run = runModelLayer(source, modelLayerOf(source, c.layer), mask, c.scoreModifiers, stop);
    s.mask = std::move(run.mask);
    s.inputs = std::move(run.inputs);
    auto info = std::make_shared<ModelInfo>(std::move(run.info));
    for (int b = 0; b < s.mask.batch; ++b) {
        s.tokensK.push_back(pieceLabels(*info, b, s.mask));
        s.tokensQ.push_back(s.tokensK.back());
    }
    s.kvHeads = info->config.kvHeads;
    s.model = std::move(info);
}

} // namespace

namespace {

DType inputsDType(const Scenario& s)
{
    return std::holds_alternative<AttentionInputs<float>>(s.inputs) ? DType::Float32 : DType::Float64;
}

} // namespace

DType Scenario::dtype() const
{
    return effectiveDType(mask.pitfalls.format, inputsDType(*this));
}

int Scenario::heads() const
{
    return std::visit([](const auto& in) { return in.heads; }, inputs);
}

int Scenario::embedDim() const
{
    return std::visit([](const auto& in) { return in.embedDim(); }, inputs);
}

template <typename T>
void tieKeyValueHeads(AttentionInputs<T>& in, int kvHeads)
{
    MASKSCOPE_EXPECTS(kvHeads >= 1 && in.heads % kvHeads == 0);
    const int e = in.embedDim(), dk = in.headDim(), group = in.heads / kvHeads;
    for (const int block : {e, 2 * e}) // the K rows, then the V rows
        for (int h = 0; h < in.heads; ++h) {
            const int leader = h / group * group;
            if (h == leader)
                continue;
            in.inProjWeight.middleRows(block + h * dk, dk) = in.inProjWeight.middleRows(block + leader * dk, dk);
            in.inProjBias.segment(block + h * dk, dk) = in.inProjBias.segment(block + leader * dk, dk);
        }
}

template void tieKeyValueHeads<float>(AttentionInputs<float>&, int);
template void tieKeyValueHeads<double>(AttentionInputs<double>&, int);

void applyMaskRules(const ScenarioConfig& config, MaskSpec& mask)
{
    mask.causal = config.causal || config.rules.prefix > 0;
    mask.fill = config.fill;
    mask.rules = config.rules;
    mask.pitfalls = config.pitfalls;
    mask.allowedFile = config.maskFile.empty()
                           ? nullptr
                           : readMaskFile(config.maskFile, mask.queryLen, mask.keyLen);
    mask.validate();
}

MaskSpec buildMaskSpec(const ScenarioConfig& config)
{
    if (!config.loadDir.empty() || config.usesModel())
        return buildScenario(config).mask;
    checkModelShape(config);
    MaskSpec mask = syntheticMaskShape(config);
    applyMaskRules(config, mask);
    return mask;
}

std::vector<std::string> displayLabels(const Scenario& s, int b, bool queries)
{
    const auto& rows = queries ? s.tokensQ : s.tokensK;
    MASKSCOPE_EXPECTS(b >= 0 && static_cast<size_t>(b) < rows.size());
    std::vector<std::string> labels = rows[static_cast<size_t>(b)];
    const Neighborhood& grid = s.mask.rules.neighborhood;
    if (!grid.active() || !s.mask.selfAttention || !s.config.tokens.empty() || s.model)
        return labels;
    const auto width = static_cast<size_t>(grid.width);
    for (size_t p = 0; p < labels.size(); ++p) {
        if (labels[p] == "<pad>")
            continue;
        // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "(" + std::string.
        std::string& label = labels[p];
        label = std::to_string(p / width);
        label.insert(label.begin(), '(');
        label.append(", ").append(std::to_string(p % width)).push_back(')');
    }
    return labels;
}

Scenario buildMaskOnlyScenario(const ScenarioConfig& config)
{
    Scenario s;
    s.config = config;
    s.mask = buildMaskSpec(config);
    auto& in = std::get<AttentionInputs<float>>(s.inputs);
    in.heads = config.heads;
    in.inProjWeight.resize(0, config.effectiveDModel()); // no weights, only their width
    s.kvHeads = config.effectiveKvHeads();
    fillTokens(s, true);
    return s;
}

void checkModelConfig(const ScenarioConfig& config)
{
    MASKSCOPE_EXPECTS(config.usesModel());
    checkedModelMask(config);
    modelLayerOf(modelSourceOf(config), config.layer);
}

Scenario buildScenario(const ScenarioConfig& config, const StopCheck& stop)
{
    if (config.heads < 1)
        throw InputError("--heads must be at least 1");
    config.scoreModifiers.validate(config.heads);
    Scenario s;
    s.config = config;
    s.mask.validLens = config.validLens;
    s.mask.padSide = config.padSide;
    if (config.usesModel())
        buildFromModel(s, stop);
    else if (config.loadDir.empty())
        buildSynthetic(s);
    else
        buildLoaded(s);
    s.mask.validate();
    std::visit([](const auto& in) { in.validate(); }, s.inputs);
    return s;
}

void checkTraceFits(const Scenario& s, const TraceRequest& request, std::size_t extraBytes)
{
    const std::size_t scalar = inputsDType(s) == DType::Float32 ? 4 : 8; // f16/bf16 live in float32
    const int items = request.batchItem < 0 ? s.mask.batch : 1;
    const MaskSpec& m = s.mask;
    std::size_t need = traceBytes(items, s.heads(), m.queryLen, m.keyLen, s.embedDim(), request, scalar,
                                  s.config.scoreModifiers.active());
    need += engineWorkspaceBytes(m.queryLen, m.keyLen, s.embedDim(), scalar);
    if (roundsIntermediates(m.pitfalls.format)) // the engine computes on a rounded copy of the inputs
        need += inputBytes(m.batch, m.queryLen, m.keyLen, s.embedDim(), scalar);
    checkMemoryFits(need + extraBytes, "the matrices");
}

std::vector<Warning> scenarioWarnings(const MaskSpec& mask, DType computeType)
{
    return fillWarnings(mask.fill, mask.pitfalls.format, computeType);
}

} // namespace maskscope
