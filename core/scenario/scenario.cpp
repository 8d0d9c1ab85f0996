#include "scenario/scenario.h"

#include "io/loader.h"
#include "io/npy.h"
#include "attention/precision.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace maskscope {

namespace {

constexpr int kMaxLength = 1 << 20;
constexpr int kMaxBatch = 4096;
constexpr int kMaxDModel = 1 << 16;
constexpr int kMinBlock = 16;  // the tile sizes block-sparse kernels use: 16 to 128
constexpr int kMaxBlock = 128;

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

std::vector<std::string> splitOn(const std::string& text, char separator)
{
    std::vector<std::string> items;
    size_t start = 0;
    while (true) {
        const size_t at = text.find(separator, start);
        items.push_back(text.substr(start, at == std::string::npos ? std::string::npos : at - start));
        if (at == std::string::npos)
            return items;
        start = at + 1;
    }
}

// Appends `item` to a comma-separated list. (Not `(text.empty() ? "" : ",") + item`: GCC 12
// warns falsely about that pattern, bug 105329.)
void appendListItem(std::string& text, const std::string& item, const char* separator = ",")
{
    if (!text.empty())
        text += separator;
    text += item;
}

std::string joinIntegers(const std::vector<int>& values)
{
    std::string text;
    for (const int v : values)
        appendListItem(text, std::to_string(v));
    return text;
}

std::vector<int> parseIntegerList(const std::string& option, const std::string& text, int lo)
{
    std::vector<int> values;
    for (const std::string& item : splitOn(text, ','))
        values.push_back(static_cast<int>(parseInteger(option, item, lo, kMaxLength)));
    return values;
}

std::vector<int> parseValidLens(const std::string& text)
{
    return parseIntegerList("--valid-lens", text, 0);
}

CausalAlign parseCausalAlign(const std::string& text)
{
    if (text == "top-left")
        return CausalAlign::TopLeft;
    if (text == "bottom-right")
        return CausalAlign::BottomRight;
    throw InputError("--causal-align expects top-left or bottom-right, got '" + text + "'");
}

void parseWindow(MaskRules& r, const std::string& text)
{
    const std::vector<std::string> sides = splitOn(text, ',');
    if (sides.size() != 2)
        throw InputError("--window expects LEFT,RIGHT (-1 = unbounded), got '" + text + "'");
    r.windowLeft = static_cast<int>(parseInteger("--window", sides[0], -1, kMaxLength));
    r.windowRight = static_cast<int>(parseInteger("--window", sides[1], -1, kMaxLength));
}

CellToggles parseToggles(const std::string& text)
{
    CellToggles toggles;
    for (const std::string& item : splitOn(text, ',')) {
        const std::vector<std::string> ij = splitOn(item, ':');
        if (ij.size() != 2)
            throw InputError("--toggle expects cells as i:j,i:j,..., got '" + item + "'");
        const int i = static_cast<int>(parseInteger("--toggle", ij[0], 0, kMaxLength - 1));
        const int j = static_cast<int>(parseInteger("--toggle", ij[1], 0, kMaxLength - 1));
        if (toggles.contains(i, j))
            throw InputError("--toggle lists the cell " + item + " twice");
        toggles.toggle(i, j);
    }
    return toggles;
}

double parseSoftcap(const std::string& text)
{
    double v = 0;
    const char* end = text.data() + text.size();
    const auto res = std::from_chars(text.data(), end, v);
    if (text.empty() || res.ec != std::errc() || res.ptr != end || !std::isfinite(v) || v <= 0)
        throw InputError("--softcap expects a number above 0, got '" + text + "'");
    return v;
}

PadSide parsePadSide(const std::string& text)
{
    if (text == "right")
        return PadSide::Right;
    if (text == "left")
        return PadSide::Left;
    throw InputError("--pad-side expects right or left, got '" + text + "'");
}

// --bug NAME, repeatable; NAME,NAME also works.
void addPitfalls(PitfallSet& set, const std::string& text)
{
    for (const std::string& name : splitOn(text, ','))
        set.set(parsePitfall(name));
}

std::string nonEmpty(const std::string& option, const std::string& value)
{
    if (value.empty())
        throw InputError(option + " needs a file name");
    return value;
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
    else if (name == "--causal-align") c.rules.causalAlign = parseCausalAlign(v);
    else if (name == "--window") parseWindow(c.rules, v);
    else if (name == "--dilation") c.rules.dilation = parseSize(name, v, kMaxLength);
    else if (name == "--prefix") c.rules.prefix = static_cast<int>(parseInteger(name, v, 0, kMaxLength));
    else if (name == "--segments") c.rules.segments = parseIntegerList(name, v, 1);
    else if (name == "--chunk") c.rules.chunk = parseSize(name, v, kMaxLength);
    else if (name == "--global") c.rules.globalTokens = static_cast<int>(parseInteger(name, v, 0, kMaxLength));
    else if (name == "--toggle") c.rules.toggled = parseToggles(v);
    else if (name == "--mask-file") c.maskFile = nonEmpty(name, v);
    else if (name == "--softcap") c.scoreModifiers.softcap = parseSoftcap(v);
    else if (name == "--block") c.blockSize = static_cast<int>(parseInteger(name, v, kMinBlock, kMaxBlock));
    else if (name == "--bug") addPitfalls(c.pitfalls.mistakes, v);
    else if (name == "--dtype") c.pitfalls.format = parseNumberFormat(v);
    else if (name == "--blocked-rows") c.pitfalls.blockedRows = parseBlockedRows(v);
    else if (name == "--mask-apply") c.pitfalls.maskApply = parseMaskApply(v);
    else return false;
    return true;
}

bool takesValue(const std::string& name)
{
    static const char* names[] = {"--seq-len", "--query-len", "--batch", "--valid-lens",
                                  "--pad-side", "--heads", "--d-model", "--seed",
                                  "--fill", "--tokens", "--load", "--causal-align",
                                  "--window", "--dilation", "--prefix", "--segments",
                                  "--chunk", "--global", "--toggle", "--mask-file",
                                  "--softcap", "--block", "--bug", "--dtype",
                                  "--blocked-rows", "--mask-apply"};
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

void checkModelShape(const ScenarioConfig& c)
{
    if (c.heads < 1)
        throw InputError("--heads must be at least 1");
    if (c.effectiveDModel() % c.heads != 0)
        throw InputError("d_model " + std::to_string(c.effectiveDModel()) + " is not divisible by " +
                         std::to_string(c.heads) + " heads");
    c.scoreModifiers.validate();
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
        for (const std::size_t d : a.shape)
            appendListItem(shape, std::to_string(d), ", ");
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
    s.inputs = makeSyntheticInputs(sc);
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
}

} // namespace

int parseWholeNumber(const std::string& option, const std::string& text, int lo, int hi)
{
    int v = 0;
    const char* end = text.data() + text.size();
    const auto res = std::from_chars(text.data(), end, v);
    if (text.empty() || res.ec != std::errc() || res.ptr != end || v < lo || v > hi)
        throw InputError(option + " expects a whole number from " + std::to_string(lo) + " to " +
                         std::to_string(hi) + ", got '" + text + "'");
    return v;
}

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
        } else if (name == "--alibi" && !inlineValue) {
            c.scoreModifiers.alibi = true;
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
           "  --causal               causal (no-peek) mask: query i sees keys j <= i' (i' = i top-left)\n"
           "  --heads H              attention heads, default 4 (must divide d_model)\n"
           "  --d-model D            embedding size, default 64\n"
           "  --seed S               seed of the synthetic inputs, default 0\n"
           "  --fill F               blocked-cell value: neg-inf (default), -1e9, lowest or a number\n"
           "  --tokens \"text\"        words of the sequence (whitespace-separated)\n"
           "  --load DIR             read nn.MultiheadAttention inputs from DIR/*.npy (see README)\n"
           "Mask rules (AND-ed; global tokens OR-ed; positions i' of queries follow --causal-align):\n"
           "  --causal-align A       top-left (i' = i, torch.tril, is_causal) or bottom-right\n"
           "                         (i' = i + Lk - Lq, FlashAttention, KV cache), default top-left\n"
           "  --window L,R           sliding window: i'-L <= j <= i'+R, -1 = unbounded side\n"
           "  --dilation D           only keys j with (i' - j) a multiple of D, default 1\n"
           "  --prefix P             prefix-LM: causal, but the first P keys are visible to all\n"
           "  --segments a,b,...     packed documents of these lengths (summing to the key length):\n"
           "                         attend only within one's own document (add --causal for causal)\n"
           "  --chunk C              attend only within chunks of C positions (add --causal for causal)\n"
           "  --global G             the first G tokens attend to and are seen by every position\n"
           "                         (padding still blocks them)\n"
           "  --toggle i:j,...       flip these cells (custom mask), after every other rule\n"
           "  --mask-file FILE.npy   AND a bool (Lq, Lk) array: True = ALLOWED (MaskScope's polarity,\n"
           "                         the opposite of nn.MultiheadAttention's bool attn_mask)\n"
           "Score modifiers (change logits, not which keys are allowed):\n"
           "  --alibi                ALiBi linear biases -slope_h * |i' - j|, slopes of Press et al.\n"
           "  --softcap X            soft-capping X * tanh(score / X) (Gemma 2), after ALiBi\n"
           "Block sparsity:\n"
           "  --block N              tile size of the block-sparsity figures, 16 to 128, default 128\n"
           "The pitfall lab (see README, \"The pitfall lab\"):\n"
           "  --bug NAME             make a classic mistake; repeatable, mistakes compose:\n"
           "                         masked-fill-not-inplace  masked_fill's result thrown away\n"
           "                         qproj-for-kv             K and V projected with q_proj\n"
           "                         inverted-polarity        bool mask read as True = blocked\n"
           "                                                  instead of True = keep, or the reverse\n"
           "                         unmasked-padding         padded keys not masked\n"
           "                         causal-backwards         blocked on and below the diagonal\n"
           "                                                  (needs --causal)\n"
           "  --dtype F              f32, f16 or bf16: compute in this format (f16/bf16 emulated by\n"
           "                         rounding every stored intermediate), default: the inputs' own\n"
           "                         (float32, or float64 for float64 files)\n"
           "  --blocked-rows P       what a row with no allowed key returns: nan (plain softmax,\n"
           "                         default), zero (safe softmax) or uniform (1/Lk)\n"
           "  --mask-apply M         add (logits + mask, default) or replace (masked_fill: blocked\n"
           "                         logits become the fill)\n";
}

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
    config.scoreModifiers.validate();
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

namespace {
void writeRulesJson(JsonWriter& w, const MaskSpec& m, const std::string& maskFile);
void writePitfallsJson(JsonWriter& w, const MaskSpec& m, DType dtype);
void writeModifiersJson(JsonWriter& w, const ScoreModifiers& mods, int heads);
void appendRuleArgs(std::vector<std::string>& args, const ScenarioConfig& c);
void appendPitfallArgs(std::vector<std::string>& args, const Pitfalls& p);
} // namespace

namespace {

struct ModelSizes {
    int heads = 1;
    int dModel = 1;
    DType dtype = DType::Float32;
};

void writeConfigFields(JsonWriter& w, const MaskSpec& m, const ScenarioConfig& c, const ModelSizes& model)
{
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
    w.key("heads").value(model.heads);
    w.key("d_model").value(model.dModel);
    w.key("head_dim").value(model.dModel / model.heads);
    w.key("seed").value(static_cast<unsigned long long>(c.seed));
    w.key("fill").value(m.fill.toString());
    w.key("dtype").value(dtypeName(model.dtype));
    w.key("tokens").value(c.tokens.empty() ? defaultSentence() : c.tokens.c_str());
    w.key("load").value(c.loadDir);
    w.key("attn_mask").value(!m.attnMask ? "none" : m.attnMask->isBool ? "bool" : "float");
    w.key("key_padding_mask").value(m.keyPaddingMask.has_value());
    writeRulesJson(w, m, c.maskFile);
    writeModifiersJson(w, c.scoreModifiers, model.heads);
    w.key("block").value(c.blockSize);
    writePitfallsJson(w, m, model.dtype);
    w.endObject();
}

} // namespace

void writeConfigJson(JsonWriter& w, const Scenario& s)
{
    writeConfigFields(w, s.mask, s.config, {s.heads(), s.embedDim(), s.dtype()});
}

void writeMaskConfigJson(JsonWriter& w, const MaskSpec& mask, const ScenarioConfig& config)
{
    writeConfigFields(w, mask, config, {config.heads, config.effectiveDModel(),
                                        effectiveDType(mask.pitfalls.format, DType::Float32)});
}

namespace {

void writeRulesJson(JsonWriter& w, const MaskSpec& m, const std::string& maskFile)
{
    const MaskRules& r = m.rules;
    w.key("causal_align").value(causalAlignName(r.causalAlign));
    w.key("window").beginArray().value(r.windowLeft).value(r.windowRight).endArray();
    w.key("dilation").value(r.dilation);
    w.key("prefix").value(r.prefix);
    w.key("segments").beginArray();
    for (const int length : r.segments)
        w.value(length);
    w.endArray();
    w.key("chunk").value(r.chunk);
    w.key("global").value(r.globalTokens);
    w.key("toggled").beginArray();
    for (const Cell& c : r.toggled.cells())
        w.beginArray().value(c.i).value(c.j).endArray();
    w.endArray();
    w.key("mask_file").value(maskFile);
}

// The number blocked cells of the synthetic rules hold, in the compute type `dtype`.
double fillValueIn(const Fill& fill, DType dtype)
{
    switch (dtype) {
    case DType::Float64: return fill.as<double>();
    case DType::Float32: return fill.as<float>();
    case DType::Float16: return fillIn<float>(fill, NumberFormat::Float16);
    case DType::BFloat16: return fillIn<float>(fill, NumberFormat::BFloat16);
    }
    return fill.as<double>();
}

// `dtype` is the effective compute type.
void writePitfallsJson(JsonWriter& w, const MaskSpec& m, DType dtype)
{
    const Pitfalls& p = m.pitfalls;
    w.key("bugs").beginArray();
    for (const Pitfall bug : p.mistakes.list())
        w.value(pitfallInfo(bug).cliName);
    w.endArray();
    w.key("mask_apply").value(maskApplyInfo(p.maskApply).cliName);
    w.key("blocked_rows").value(blockedRowsInfo(p.blockedRows).cliName);
    w.key("fill_value").value(fillValueIn(m.fill, dtype));
    w.key("warnings").beginArray();
    for (const Warning& warning : scenarioWarnings(m))
        w.value(warning.text());
    w.endArray();
}

void writeModifiersJson(JsonWriter& w, const ScoreModifiers& mods, int heads)
{
    w.key("alibi").value(mods.alibi);
    w.key("alibi_slopes").beginArray();
    if (mods.alibi)
        for (const double slope : alibiSlopes(heads))
            w.value(slope);
    w.endArray();
    w.key("softcap");
    if (mods.softcap)
        w.value(*mods.softcap);
    else
        w.null();
}

} // namespace

std::vector<std::string> scenarioOptionArgs(const ScenarioConfig& c)
{
    std::vector<std::string> args;
    const auto add = [&args](const char* name, const std::string& value) {
        args.push_back(name);
        args.push_back(value);
    };
    const ScenarioConfig defaults;
    if (c.seqLen) add("--seq-len", std::to_string(*c.seqLen));
    if (c.queryLen) add("--query-len", std::to_string(*c.queryLen));
    if (c.batch) add("--batch", std::to_string(*c.batch));
    if (!c.validLens.empty()) add("--valid-lens", joinIntegers(c.validLens));
    if (c.padSide != defaults.padSide) add("--pad-side", padSideName(c.padSide));
    if (c.causal) args.push_back("--causal");
    if (c.heads != defaults.heads) add("--heads", std::to_string(c.heads));
    if (c.dModel) add("--d-model", std::to_string(*c.dModel));
    if (c.seed != defaults.seed) add("--seed", std::to_string(c.seed));
    if (c.fill != defaults.fill) add("--fill", c.fill.toString());
    if (!c.tokens.empty()) add("--tokens", c.tokens);
    if (!c.loadDir.empty()) add("--load", c.loadDir);
    appendRuleArgs(args, c);
    return args;
}

namespace {

void appendRuleArgs(std::vector<std::string>& args, const ScenarioConfig& c)
{
    const auto add = [&args](const char* name, const std::string& value) {
        args.push_back(name);
        args.push_back(value);
    };
    const MaskRules& r = c.rules;
    const MaskRules none;
    if (r.causalAlign != none.causalAlign) add("--causal-align", causalAlignName(r.causalAlign));
    if (r.hasWindow())
        add("--window", std::to_string(r.windowLeft) + "," + std::to_string(r.windowRight));
    if (r.dilation != none.dilation) add("--dilation", std::to_string(r.dilation));
    if (r.prefix != none.prefix) add("--prefix", std::to_string(r.prefix));
    if (!r.segments.empty()) add("--segments", joinIntegers(r.segments));
    if (r.chunk != none.chunk) add("--chunk", std::to_string(r.chunk));
    if (r.globalTokens != none.globalTokens) add("--global", std::to_string(r.globalTokens));
    if (!r.toggled.empty()) {
        std::string text;
        for (const Cell& cell : r.toggled.cells())
            appendListItem(text, std::to_string(cell.i) + ":" + std::to_string(cell.j));
        add("--toggle", text);
    }
    if (!c.maskFile.empty()) add("--mask-file", c.maskFile);
    if (c.scoreModifiers.alibi) args.push_back("--alibi");
    if (c.scoreModifiers.softcap) add("--softcap", jsonNumber(*c.scoreModifiers.softcap));
    if (c.blockSize != ScenarioConfig::kDefaultBlockSize) add("--block", std::to_string(c.blockSize));
    appendPitfallArgs(args, c.pitfalls);
}

void appendPitfallArgs(std::vector<std::string>& args, const Pitfalls& p)
{
    const Pitfalls none;
    for (const Pitfall bug : p.mistakes.list()) {
        args.push_back("--bug");
        args.push_back(pitfallInfo(bug).cliName);
    }
    if (p.format != none.format) {
        args.push_back("--dtype");
        args.push_back(numberFormatInfo(p.format).cliName);
    }
    if (p.blockedRows != none.blockedRows) {
        args.push_back("--blocked-rows");
        args.push_back(blockedRowsInfo(p.blockedRows).cliName);
    }
    if (p.maskApply != none.maskApply) {
        args.push_back("--mask-apply");
        args.push_back(maskApplyInfo(p.maskApply).cliName);
    }
}

} // namespace

} // namespace maskscope
