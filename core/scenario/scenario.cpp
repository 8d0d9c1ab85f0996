#include "scenario/scenario.h"

#include "io/loader.h"
#include "io/npy.h"
#include "attention/precision.h"
#include "base/contract.h"

namespace maskscope {

namespace {

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
    if (!config.loadDir.empty())
        return buildScenario(config).mask;
    checkModelShape(config);
    MaskSpec mask = syntheticMaskShape(config);
    applyMaskRules(config, mask);
    return mask;
}

Scenario buildScenario(const ScenarioConfig& config)
{
    if (config.heads < 1)
        throw InputError("--heads must be at least 1");
    config.scoreModifiers.validate(config.heads);
    Scenario s;
    s.config = config;
    s.mask.validLens = config.validLens;
    s.mask.padSide = config.padSide;
    if (config.loadDir.empty())
        buildSynthetic(s);
    else
        buildLoaded(s);
    s.mask.validate();
    std::visit([](const auto& in) { in.validate(); }, s.inputs);
    return s;
}

void checkTraceFits(const Scenario& s, const TraceRequest& request)
{
    const std::size_t scalar = inputsDType(s) == DType::Float32 ? 4 : 8; // f16/bf16 live in float32
    const int items = request.batchItem < 0 ? s.mask.batch : 1;
    const std::size_t need = traceBytes(items, s.heads(), s.mask.queryLen, s.mask.keyLen,
                                        s.embedDim(), request, scalar, s.config.scoreModifiers.active());
    const std::size_t have = physicalMemoryBytes();
    if (have != 0 && need > have / 10 * 8)
        throw InputError("these sizes need " + formatBytes(need) + " for the matrices but this machine has " +
                         formatBytes(have) + " of memory; reduce --seq-len, --batch or --heads "
                         "(the mask alone works at any length: maskscope bench --mask-only)");
}

std::vector<Warning> scenarioWarnings(const MaskSpec& mask)
{
    return fillWarnings(mask.fill, mask.pitfalls.format);
}

} // namespace maskscope
