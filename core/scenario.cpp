#include "scenario.h"

#include "loader.h"

#include <charconv>
#include <limits>

namespace maskscope {

namespace {

constexpr int kMaxLength = 1 << 20;
constexpr int kMaxBatch = 4096;
constexpr int kMaxDModel = 1 << 16;

long long parseInteger(const std::string& option, const std::string& text, long long lo, long long hi)
{
    long long v = 0;
    const char* end = text.data() + text.size();
    const auto res = std::from_chars(text.data(), end, v);
    if (text.empty() || res.ec == std::errc::invalid_argument || res.ptr != end)
        throw InputError(option + " expects a whole number, got '" + text + "'");
    if (res.ec == std::errc::result_out_of_range || v < lo || v > hi)
        throw InputError(option + " must be between " + std::to_string(lo) + " and " +
                         std::to_string(hi) + ", got " + text);
    return v;
}

int parseSize(const std::string& option, const std::string& text, int hi)
{
    return static_cast<int>(parseInteger(option, text, 1, hi));
}

std::uint64_t parseSeed(const std::string& text)
{
    std::uint64_t v = 0;
    const char* end = text.data() + text.size();
    const auto res = std::from_chars(text.data(), end, v);
    if (text.empty() || res.ec != std::errc() || res.ptr != end)
        throw InputError("--seed expects a whole number from 0 to 2^64-1, got '" + text + "'");
    return v;
}

std::vector<int> parseValidLens(const std::string& text)
{
    std::vector<int> lens;
    size_t start = 0;
    while (true) {
        const size_t comma = text.find(',', start);
        const std::string item = text.substr(start, comma == std::string::npos ? std::string::npos
                                                                                : comma - start);
        lens.push_back(static_cast<int>(parseInteger("--valid-lens", item, 0, kMaxLength)));
        if (comma == std::string::npos)
            return lens;
        start = comma + 1;
    }
}

PadSide parsePadSide(const std::string& text)
{
    if (text == "right")
        return PadSide::Right;
    if (text == "left")
        return PadSide::Left;
    throw InputError("--pad-side expects right or left, got '" + text + "'");
}

// Applies one option that takes a value. Returns false if the option is not a scenario option.
bool applyValueOption(ScenarioConfig& c, const std::string& name, const std::string& v)
{
    if (name == "--seq-len") c.seqLen = parseSize(name, v, kMaxLength);
    else if (name == "--query-len") c.queryLen = parseSize(name, v, kMaxLength);
    else if (name == "--batch") c.batch = parseSize(name, v, kMaxBatch);
    else if (name == "--valid-lens") c.validLens = parseValidLens(v);
    else if (name == "--pad-side") c.padSide = parsePadSide(v);
    else if (name == "--heads") c.heads = parseSize(name, v, kMaxDModel);
    else if (name == "--d-model") c.dModel = parseSize(name, v, kMaxDModel);
    else if (name == "--seed") c.seed = parseSeed(v);
    else if (name == "--fill") c.fill = Fill::parse(v);
    else if (name == "--tokens") c.tokens = v;
    else if (name == "--load") c.loadDir = v;
    else return false;
    return true;
}

bool takesValue(const std::string& name)
{
    static const char* names[] = {"--seq-len", "--query-len", "--batch", "--valid-lens",
                                  "--pad-side", "--heads", "--d-model", "--seed",
                                  "--fill", "--tokens", "--load"};
    for (const char* n : names)
        if (name == n)
            return true;
    return false;
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

void buildSynthetic(Scenario& s)
{
    const ScenarioConfig& c = s.config;
    if (c.effectiveDModel() % c.heads != 0)
        throw InputError("d_model " + std::to_string(c.effectiveDModel()) + " is not divisible by " +
                         std::to_string(c.heads) + " heads");
    s.mask.batch = resolveBatch(c);
    s.mask.keyLen = c.effectiveSeqLen();
    s.mask.queryLen = c.effectiveQueryLen();
    s.mask.selfAttention = s.mask.queryLen == s.mask.keyLen;
    s.mask.validate();
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
    s.inputs = makeSyntheticInputs(sc);
}

void buildLoaded(Scenario& s)
{
    const ScenarioConfig& c = s.config;
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
    s.mask.validate();
    fillTokens(s, false);
}

} // namespace

ScenarioConfig parseScenarioOptions(const std::vector<std::string>& args,
                                    std::vector<std::string>& rest)
{
    ScenarioConfig c;
    for (size_t k = 0; k < args.size(); ++k) {
        std::string name = args[k];
        std::optional<std::string> inlineValue;
        if (const size_t eq = name.find('='); name.rfind("--", 0) == 0 && eq != std::string::npos) {
            inlineValue = name.substr(eq + 1);
            name.resize(eq);
        }
        if (name == "--causal" && !inlineValue) {
            c.causal = true;
        } else if (takesValue(name)) {
            if (!inlineValue && k + 1 >= args.size())
                throw InputError(name + " needs a value");
            applyValueOption(c, name, inlineValue ? *inlineValue : args[++k]);
        } else {
            rest.push_back(args[k]);
        }
    }
    return c;
}

const char* scenarioOptionsHelp()
{
    return "  --seq-len N            sequence length (keys; also queries in self-attention), default 8\n"
           "  --query-len N          query length for cross-attention, default = --seq-len\n"
           "  --batch B              batch size, default 1 (or the number of --valid-lens)\n"
           "  --valid-lens a,b,...   valid (unpadded) length of each batch item, default: no padding\n"
           "  --pad-side right|left  where padding goes, default right\n"
           "  --causal               causal (no-peek) mask: query i sees keys j <= i (top-left)\n"
           "  --heads H              attention heads, default 4 (must divide d_model)\n"
           "  --d-model D            embedding size, default 64\n"
           "  --seed S               seed of the synthetic inputs, default 0\n"
           "  --fill F               blocked-cell value: neg-inf (default), -1e9, lowest or a number\n"
           "  --tokens \"text\"        words of the sequence (whitespace-separated)\n"
           "  --load DIR             read nn.MultiheadAttention inputs from DIR/*.npy (see README)\n";
}

DType Scenario::dtype() const
{
    return std::holds_alternative<AttentionInputs<float>>(inputs) ? DType::Float32 : DType::Float64;
}

int Scenario::heads() const
{
    return std::visit([](const auto& in) { return in.heads; }, inputs);
}

int Scenario::embedDim() const
{
    return std::visit([](const auto& in) { return in.embedDim(); }, inputs);
}

Scenario buildScenario(const ScenarioConfig& config)
{
    if (config.heads < 1)
        throw InputError("--heads must be at least 1");
    Scenario s;
    s.config = config;
    s.mask.validLens = config.validLens;
    s.mask.padSide = config.padSide;
    s.mask.causal = config.causal;
    s.mask.fill = config.fill;
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
    const std::size_t scalar = s.dtype() == DType::Float32 ? 4 : 8;
    const int items = request.batchItem < 0 ? s.mask.batch : 1;
    const std::size_t need = traceBytes(items, s.heads(), s.mask.queryLen, s.mask.keyLen,
                                        s.embedDim(), request, scalar);
    const std::size_t have = physicalMemoryBytes();
    if (have != 0 && need > have / 10 * 8)
        throw InputError("these sizes need " + formatBytes(need) + " for the matrices but this machine has " +
                         formatBytes(have) + " of memory; reduce --seq-len, --batch or --heads");
}

void writeConfigJson(JsonWriter& w, const Scenario& s)
{
    const MaskSpec& m = s.mask;
    w.beginObject();
    w.key("seq_len").value(m.keyLen);
    w.key("query_len").value(m.queryLen);
    w.key("batch").value(m.batch);
    w.key("valid_lens").beginArray();
    for (int b = 0; b < m.batch; ++b)
        w.value(m.validLens.empty() ? m.keyLen : m.validLens[static_cast<size_t>(b)]);
    w.endArray();
    w.key("pad_side").value(padSideName(m.padSide));
    w.key("causal").value(m.causal);
    w.key("self_attention").value(m.selfAttention);
    w.key("heads").value(s.heads());
    w.key("d_model").value(s.embedDim());
    w.key("head_dim").value(s.embedDim() / s.heads());
    w.key("seed").value(static_cast<unsigned long long>(s.config.seed));
    w.key("fill").value(m.fill.toString());
    w.key("dtype").value(dtypeName(s.dtype()));
    w.key("tokens").value(s.config.tokens.empty() ? defaultSentence() : s.config.tokens.c_str());
    w.key("load").value(s.config.loadDir);
    w.key("attn_mask").value(!m.attnMask ? "none" : m.attnMask->isBool ? "bool" : "float");
    w.key("key_padding_mask").value(m.keyPaddingMask.has_value());
    w.endObject();
}

} // namespace maskscope
