// SPDX-License-Identifier: MIT
#include "scenario/options.h"

#include "io/json.h"
#include "scenario/layerpatterns.h"

#include <charconv>
#include <cmath>

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

std::vector<PositionSpan> parseSpans(const std::string& option, const std::string& text)
{
    std::vector<PositionSpan> spans;
    for (const std::string& item : splitOn(text, ',')) {
        const std::vector<std::string> ab = splitOn(item, ':');
        if (ab.size() != 2)
            throw InputError(option + " expects spans as a:b,c:d,... (b exclusive), got '" + item + "'");
        spans.push_back({static_cast<int>(parseInteger(option, ab[0], 0, kMaxLength)),
                         static_cast<int>(parseInteger(option, ab[1], 0, kMaxLength))});
    }
    return spans;
}

std::string spanList(const std::vector<PositionSpan>& spans)
{
    std::string text;
    for (const PositionSpan& span : spans)
        appendListItem(text, std::to_string(span.begin) + ":" + std::to_string(span.end));
    return text;
}

Neighborhood parseNeighborhood(const std::string& option, const std::string& text)
{
    const std::vector<std::string> items = splitOn(text, ',');
    if (items.size() != 4)
        throw InputError(option + " expects H,W,KH,KW (grid and odd kernel sizes), got '" + text + "'");
    return {parseSize(option, items[0], kMaxLength), parseSize(option, items[1], kMaxLength),
            parseSize(option, items[2], kMaxLength), parseSize(option, items[3], kMaxLength)};
}

std::string neighborhoodText(const Neighborhood& n)
{
    return joinIntegers({n.height, n.width, n.kernelHeight, n.kernelWidth});
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

double parseFiniteNumber(const std::string& option, const std::string& text)
{
    double v = 0;
    const char* end = text.data() + text.size();
    const auto res = std::from_chars(text.data(), end, v);
    if (text.empty() || res.ec != std::errc() || res.ptr != end || !std::isfinite(v))
        throw InputError(option + " expects finite numbers, got '" + text + "'");
    return v;
}

std::vector<double> parseNumberList(const std::string& option, const std::string& text)
{
    std::vector<double> values;
    for (const std::string& item : splitOn(text, ','))
        values.push_back(parseFiniteNumber(option, item));
    return values;
}

std::string joinNumbers(const std::vector<double>& values)
{
    std::string text;
    for (const double v : values)
        appendListItem(text, jsonNumber(v));
    return text;
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

using Config = ScenarioConfig;
using Value = const std::string&;   // what the user gave
using Name = const std::string&;    // the option, for error messages

std::string cellList(const CellToggles& toggles)
{
    std::string text;
    for (const Cell& cell : toggles.cells())
        appendListItem(text, std::to_string(cell.i) + ":" + std::to_string(cell.j));
    return text;
}

const OptionGroup kModel{""};
const OptionGroup kRealModel{"A real checkpoint (sizes, heads and tokens come from the model and the text):"};
const OptionGroup kMaskRules{"Mask rules (AND-ed; global tokens OR-ed; positions i' of queries follow --causal-align):"};
const OptionGroup kScoreModifiers{"Score modifiers (change logits, not which keys are allowed):"};
const OptionGroup kBlockSparsity{"Block sparsity:"};
const OptionGroup kPitfallLab{"The pitfall lab (see docs/pitfall-lab.md):"};

constexpr unsigned kAll = kEveryCommand;
constexpr OptionArity kFlag = OptionArity::Flag;
constexpr OptionArity kValue = OptionArity::Value;

// The model, its inputs and padding.
std::vector<Option<Config>> modelOptions()
{
    return {
        {"--seq-len", "--seq-len N", "sequence length (keys; also queries in self-attention), default 8",
         &kModel, kAll, kValue,
         [](Config& c, Value v, Name o) { c.seqLen = parseSize(o, v, kMaxLength); },
         [](const Config& c, OptionArgs& out) { if (c.seqLen) out.value(std::to_string(*c.seqLen)); }},
        {"--query-len", "--query-len N", "query length for cross-attention, default = --seq-len",
         &kModel, kAll, kValue,
         [](Config& c, Value v, Name o) { c.queryLen = parseSize(o, v, kMaxLength); },
         [](const Config& c, OptionArgs& out) { if (c.queryLen) out.value(std::to_string(*c.queryLen)); }},
        {"--batch", "--batch B", "batch size, default 1 (or the number of --valid-lens)",
         &kModel, kAll, kValue,
         [](Config& c, Value v, Name o) { c.batch = parseSize(o, v, kMaxBatch); },
         [](const Config& c, OptionArgs& out) { if (c.batch) out.value(std::to_string(*c.batch)); }},
        {"--valid-lens", "--valid-lens a,b,...", "valid (unpadded) length of each batch item, default: no padding",
         &kModel, kAll, kValue,
         [](Config& c, Value v, Name o) { c.validLens = parseIntegerList(o, v, 0); },
         [](const Config& c, OptionArgs& out) { if (!c.validLens.empty()) out.value(joinIntegers(c.validLens)); }},
        {"--pad-side", "--pad-side right|left", "where padding goes, default right",
         &kModel, kAll, kValue,
         [](Config& c, Value v, Name) { c.padSide = parsePadSide(v); },
         [](const Config& c, OptionArgs& out) {
             if (c.padSide != Config{}.padSide) out.value(padSideName(c.padSide)); }},
        {"--causal", "--causal", "causal (no-peek) mask: query i sees keys j <= i' (i' = i top-left)",
         &kModel, kAll, kFlag,
         [](Config& c, Value, Name) { c.causal = true; },
         [](const Config& c, OptionArgs& out) { if (c.causal) out.flag(); }},
        {"--heads", "--heads H", "attention heads, default 4 (must divide d_model)",
         &kModel, kAll, kValue,
         [](Config& c, Value v, Name o) { c.heads = parseSize(o, v, kMaxDModel); },
         [](const Config& c, OptionArgs& out) { if (c.heads != Config{}.heads) out.value(std::to_string(c.heads)); }},
        {"--kv-heads", "--kv-heads G",
         "grouped-query attention: the heads share G key/value heads\n"
         "(heads h and h' share when h*G/H == h'*G/H), default: one each",
         &kModel, kAll, kValue,
         [](Config& c, Value v, Name o) { c.kvHeads = parseSize(o, v, kMaxDModel); },
         [](const Config& c, OptionArgs& out) { if (c.kvHeads) out.value(std::to_string(*c.kvHeads)); }},
        {"--d-model", "--d-model D", "embedding size, default 64",
         &kModel, kAll, kValue,
         [](Config& c, Value v, Name o) { c.dModel = parseSize(o, v, kMaxDModel); },
         [](const Config& c, OptionArgs& out) { if (c.dModel) out.value(std::to_string(*c.dModel)); }},
        {"--seed", "--seed S", "seed of the synthetic inputs, default 0",
         &kModel, kAll, kValue,
         [](Config& c, Value v, Name) { c.seed = parseSeed(v); },
         [](const Config& c, OptionArgs& out) { if (c.seed != Config{}.seed) out.value(std::to_string(c.seed)); }},
        {"--fill", "--fill F", "blocked-cell value: neg-inf (default), -1e9, lowest or a number",
         &kModel, kAll, kValue,
         [](Config& c, Value v, Name) { c.fill = Fill::parse(v); },
         [](const Config& c, OptionArgs& out) { if (c.fill != Config{}.fill) out.value(c.fill.toString()); }},
        {"--tokens", "--tokens \"text\"", "words of the sequence (whitespace-separated)",
         &kModel, kAll, kValue,
         [](Config& c, Value v, Name) { c.tokens = v; },
         [](const Config& c, OptionArgs& out) { if (!c.tokens.empty()) out.value(c.tokens); }},
        {"--load", "--load DIR", "read nn.MultiheadAttention inputs from DIR/*.npy (see docs/command-line.md)",
         &kModel, kAll, kValue,
         [](Config& c, Value v, Name) { c.loadDir = v; },
         [](const Config& c, OptionArgs& out) { if (!c.loadDir.empty()) out.value(c.loadDir); }},
    };
}

// Which keys each query may see.
std::vector<Option<Config>> maskRuleOptions()
{
    return {
        {"--causal-align", "--causal-align A",
         "top-left (i' = i, torch.tril, is_causal) or bottom-right\n"
         "(i' = i + Lk - Lq, FlashAttention, KV cache), default top-left",
         &kMaskRules, kAll, kValue,
         [](Config& c, Value v, Name) { c.rules.causalAlign = parseCausalAlign(v); },
         [](const Config& c, OptionArgs& out) {
             if (c.rules.causalAlign != MaskRules{}.causalAlign) out.value(causalAlignName(c.rules.causalAlign)); }},
        {"--window", "--window L,R", "sliding window: i'-L <= j <= i'+R, -1 = unbounded side",
         &kMaskRules, kAll, kValue,
         [](Config& c, Value v, Name) { parseWindow(c.rules, v); },
         [](const Config& c, OptionArgs& out) {
             if (c.rules.hasWindow())
                 out.value(std::to_string(c.rules.windowLeft) + "," + std::to_string(c.rules.windowRight)); }},
        {"--dilation", "--dilation D", "only keys j with (i' - j) a multiple of D, default 1",
         &kMaskRules, kAll, kValue,
         [](Config& c, Value v, Name o) { c.rules.dilation = parseSize(o, v, kMaxLength); },
         [](const Config& c, OptionArgs& out) {
             if (c.rules.dilation != MaskRules{}.dilation) out.value(std::to_string(c.rules.dilation)); }},
        {"--prefix", "--prefix P", "prefix-LM: causal, but the first P keys are visible to all",
         &kMaskRules, kAll, kValue,
         [](Config& c, Value v, Name o) { c.rules.prefix = static_cast<int>(parseInteger(o, v, 0, kMaxLength)); },
         [](const Config& c, OptionArgs& out) {
             if (c.rules.prefix != MaskRules{}.prefix) out.value(std::to_string(c.rules.prefix)); }},
        {"--segments", "--segments a,b,...",
         "packed documents of these lengths (summing to the key length):\n"
         "attend only within one's own document (add --causal for causal)",
         &kMaskRules, kAll, kValue,
         [](Config& c, Value v, Name o) { c.rules.segments = parseIntegerList(o, v, 1); },
         [](const Config& c, OptionArgs& out) {
             if (!c.rules.segments.empty()) out.value(joinIntegers(c.rules.segments)); }},
        {"--chunk", "--chunk C", "attend only within chunks of C positions (add --causal for causal)",
         &kMaskRules, kAll, kValue,
         [](Config& c, Value v, Name o) { c.rules.chunk = parseSize(o, v, kMaxLength); },
         [](const Config& c, OptionArgs& out) {
             if (c.rules.chunk != MaskRules{}.chunk) out.value(std::to_string(c.rules.chunk)); }},
        {"--global", "--global G",
         "the first G tokens attend to and are seen by every position\n"
         "(padding still blocks them)",
         &kMaskRules, kAll, kValue,
         [](Config& c, Value v, Name o) { c.rules.globalTokens = static_cast<int>(parseInteger(o, v, 0, kMaxLength)); },
         [](const Config& c, OptionArgs& out) {
             if (c.rules.globalTokens != MaskRules{}.globalTokens) out.value(std::to_string(c.rules.globalTokens)); }},
        {"--sink", "--sink S",
         "attention sinks (StreamingLLM): keys j < S stay visible to every\n"
         "query with j <= i', whatever the window says",
         &kMaskRules, kAll, kValue,
         [](Config& c, Value v, Name o) { c.rules.sink = static_cast<int>(parseInteger(o, v, 0, kMaxLength)); },
         [](const Config& c, OptionArgs& out) {
             if (c.rules.sink != MaskRules{}.sink) out.value(std::to_string(c.rules.sink)); }},
        {"--block-causal", "--block-causal B",
         "block-causal: j visible when floor(j/B) <= floor(i'/B), both ways\n"
         "inside a block (block diffusion, chunked prefill)",
         &kMaskRules, kAll, kValue,
         [](Config& c, Value v, Name o) { c.rules.blockCausal = parseSize(o, v, kMaxLength); },
         [](const Config& c, OptionArgs& out) {
             if (c.rules.blockCausal != MaskRules{}.blockCausal) out.value(std::to_string(c.rules.blockCausal)); }},
        {"--bidirectional", "--bidirectional a:b,...",
         "inside each span a <= p < b (Python slice) queries and keys see\n"
         "each other both ways, on top of the other rules (Gemma 3 images)",
         &kMaskRules, kAll, kValue,
         [](Config& c, Value v, Name o) { c.rules.bidirectional = parseSpans(o, v); },
         [](const Config& c, OptionArgs& out) {
             if (!c.rules.bidirectional.empty()) out.value(spanList(c.rules.bidirectional)); }},
        {"--tree", "--tree p0,p1,...",
         "tree attention (speculative decoding): the last N positions are\n"
         "draft nodes, node k's parent p_k (-1 = the prefix's end); node k\n"
         "sees the prefix, itself and its ancestors; the prefix is causal",
         &kMaskRules, kAll, kValue,
         [](Config& c, Value v, Name o) { c.rules.tree = parseIntegerList(o, v, -1); },
         [](const Config& c, OptionArgs& out) {
             if (!c.rules.tree.empty()) out.value(joinIntegers(c.rules.tree)); }},
        {"--neighborhood", "--neighborhood H,W,KH,KW",
         "2-D neighbourhood (NATTEN): L = H*W tokens on a grid, row-major;\n"
         "each query sees the KH x KW keys around it (odd sizes, kernel\n"
         "centre clamped inside the grid)",
         &kMaskRules, kAll, kValue,
         [](Config& c, Value v, Name o) { c.rules.neighborhood = parseNeighborhood(o, v); },
         [](const Config& c, OptionArgs& out) {
             if (c.rules.neighborhood.active()) out.value(neighborhoodText(c.rules.neighborhood)); }},
        // Sets other fields (causal, window, chunk, ...), which write themselves: never written back.
        {"--layer-pattern", "--layer-pattern P[:N]",
         "the rules of layer N (default 0) of a model: mistral, gemma2,\n"
         "gemma3, llama4, gpt-oss (causal + its window, chunk, soft-cap,\n"
         "sink logit); later options change them",
         &kMaskRules, kAll, kValue,
         [](Config& c, Value v, Name o) { applyLayerPatternOption(c, v, o); }},
        {"--toggle", "--toggle i:j,...", "flip these cells (custom mask), after every other rule",
         &kMaskRules, kAll, kValue,
         [](Config& c, Value v, Name) { c.rules.toggled = parseToggles(v); },
         [](const Config& c, OptionArgs& out) { if (!c.rules.toggled.empty()) out.value(cellList(c.rules.toggled)); }},
        {"--mask-file", "--mask-file FILE.npy",
         "AND a bool (Lq, Lk) array: True = ALLOWED (MaskScope's polarity,\n"
         "the opposite of nn.MultiheadAttention's bool attn_mask)",
         &kMaskRules, kAll, kValue,
         [](Config& c, Value v, Name o) { c.maskFile = nonEmpty(o, v); },
         [](const Config& c, OptionArgs& out) { if (!c.maskFile.empty()) out.value(c.maskFile); }},
    };
}

// Score modifiers and the block-sparsity figures.
std::vector<Option<Config>> scoreAndBlockOptions()
{
    return {
        {"--alibi", "--alibi", "ALiBi linear biases -slope_h * |i' - j|, slopes of Press et al.",
         &kScoreModifiers, kAll, kFlag,
         [](Config& c, Value, Name) { c.scoreModifiers.alibi = true; },
         [](const Config& c, OptionArgs& out) { if (c.scoreModifiers.alibi) out.flag(); }},
        {"--softcap", "--softcap X", "soft-capping X * tanh(score / X) (Gemma 2), after ALiBi",
         &kScoreModifiers, kAll, kValue,
         [](Config& c, Value v, Name) { c.scoreModifiers.softcap = parseSoftcap(v); },
         [](const Config& c, OptionArgs& out) {
             if (c.scoreModifiers.softcap) out.value(jsonNumber(*c.scoreModifiers.softcap)); }},
        {"--sink-logit", "--sink-logit X",
         "a learned sink (gpt-oss): an extra softmax column of logit X,\n"
         "dropped afterwards, so rows sum to less than 1; X0,X1,... gives\n"
         "one per head",
         &kScoreModifiers, kAll, kValue,
         [](Config& c, Value v, Name o) { c.scoreModifiers.sinkLogits = parseNumberList(o, v); },
         [](const Config& c, OptionArgs& out) {
             if (!c.scoreModifiers.sinkLogits.empty()) out.value(joinNumbers(c.scoreModifiers.sinkLogits)); }},
        {"--block", "--block N", "tile size of the block-sparsity figures, 16 to 128, default 128",
         &kBlockSparsity, kAll, kValue,
         [](Config& c, Value v, Name o) { c.blockSize = static_cast<int>(parseInteger(o, v, kMinBlock, kMaxBlock)); },
         [](const Config& c, OptionArgs& out) {
             if (c.blockSize != Config::kDefaultBlockSize) out.value(std::to_string(c.blockSize)); }},
    };
}

// The pitfall lab's mistakes and settings.
std::vector<Option<Config>> pitfallOptions()
{
    return {
        {"--bug", "--bug NAME",
         "make a classic mistake; repeatable, mistakes compose:\n"
         "masked-fill-not-inplace  masked_fill's result thrown away\n"
         "qproj-for-kv             K and V projected with q_proj\n"
         "inverted-polarity        bool mask read as True = blocked\n"
         "                         instead of True = keep, or the reverse\n"
         "unmasked-padding         padded keys not masked\n"
         "causal-backwards         blocked on and below the diagonal\n"
         "                         (needs --causal)",
         &kPitfallLab, kAll, kValue,
         [](Config& c, Value v, Name) { addPitfalls(c.pitfalls.mistakes, v); },
         [](const Config& c, OptionArgs& out) {
             for (const Pitfall bug : c.pitfalls.mistakes.list()) out.value(pitfallInfo(bug).cliName); }},
        {"--dtype", "--dtype F",
         "f32, f16 or bf16: compute in this format (f16/bf16 emulated by\n"
         "rounding every stored intermediate), default: the inputs' own\n"
         "(float32, or float64 for float64 files)",
         &kPitfallLab, kAll, kValue,
         [](Config& c, Value v, Name) { c.pitfalls.format = parseNumberFormat(v); },
         [](const Config& c, OptionArgs& out) {
             if (c.pitfalls.format != Pitfalls{}.format) out.value(numberFormatInfo(c.pitfalls.format).cliName); }},
        {"--blocked-rows", "--blocked-rows P",
         "what a row with no allowed key returns: nan (plain softmax,\n"
         "default; 0 with a sink logit), zero (safe softmax) or uniform\n"
         "(1/Lk)",
         &kPitfallLab, kAll, kValue,
         [](Config& c, Value v, Name) { c.pitfalls.blockedRows = parseBlockedRows(v); },
         [](const Config& c, OptionArgs& out) {
             if (c.pitfalls.blockedRows != Pitfalls{}.blockedRows) out.value(blockedRowsInfo(c.pitfalls.blockedRows).cliName); }},
        {"--mask-apply", "--mask-apply M",
         "add (logits + mask, default) or replace (masked_fill: blocked\n"
         "logits become the fill)",
         &kPitfallLab, kAll, kValue,
         [](Config& c, Value v, Name) { c.pitfalls.maskApply = parseMaskApply(v); },
         [](const Config& c, OptionArgs& out) {
             if (c.pitfalls.maskApply != Pitfalls{}.maskApply) out.value(maskApplyInfo(c.pitfalls.maskApply).cliName); }},
    };
}

// A real checkpoint run on the user's sentences.
std::vector<Option<Config>> realModelOptions()
{
    return {
        {"--model", "--model PATH", "a llama2.c .bin checkpoint or a Hugging Face directory\n"
         "(llama, mistral, qwen2, gpt2; safetensors F32, F16, BF16)",
         &kRealModel, kAll, kValue,
         [](Config& c, Value v, Name) { c.modelPath = v; },
         [](const Config& c, OptionArgs& out) { if (!c.modelPath.empty()) out.value(c.modelPath); }},
        {"--tokenizer", "--tokenizer PATH", "tokenizer.bin, tokenizer.model or tokenizer.json,\n"
         "default: the one beside the checkpoint",
         &kRealModel, kAll, kValue,
         [](Config& c, Value v, Name) { c.tokenizerPath = v; },
         [](const Config& c, OptionArgs& out) { if (!c.tokenizerPath.empty()) out.value(c.tokenizerPath); }},
        {"--text", "--text \"...\"", "a sentence for the model; repeatable: one batch item each,\n"
         "shorter ones padded on --pad-side",
         &kRealModel, kAll, kValue,
         [](Config& c, Value v, Name) { c.texts.push_back(v); },
         [](const Config& c, OptionArgs& out) { for (const std::string& t : c.texts) out.value(t); }},
        {"--layer", "--layer N", "the layer shown, from 0; default the last",
         &kRealModel, kAll, kValue,
         [](Config& c, Value v, Name o) { c.layer = parseWholeNumber(o, v, 0, 1 << 16); },
         [](const Config& c, OptionArgs& out) { if (c.layer) out.value(std::to_string(*c.layer)); }},
    };
}

std::vector<Option<Config>> allOptions()
{
    std::vector<Option<Config>> options;
    for (auto part : {modelOptions, realModelOptions, maskRuleOptions, scoreAndBlockOptions, pitfallOptions})
        for (const Option<Config>& option : part())
            options.push_back(option);
    return options;
}

} // namespace

const OptionTable<ScenarioConfig>& scenarioOptionTable()
{
    static const OptionTable<ScenarioConfig> table(allOptions());
    return table;
}

ScenarioConfig parseScenarioOptions(const std::vector<std::string>& args, std::vector<std::string>& rest)
{
    ScenarioConfig config;
    scenarioOptionTable().parse(args, kEveryCommand, config,
                                [&rest](const std::string& arg) { rest.push_back(arg); });
    return config;
}

std::vector<std::string> scenarioOptionArgs(const ScenarioConfig& config)
{
    return scenarioOptionTable().write(config);
}

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

} // namespace maskscope
