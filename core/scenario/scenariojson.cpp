// SPDX-License-Identifier: MIT
#include "scenario/scenario.h"

#include "attention/precision.h"

// The effective parameters of a scenario as the JSON "config" object of dumps and benchmarks.

namespace maskscope {

namespace {
void writeRulesJson(JsonWriter& w, const MaskSpec& m, const std::string& maskFile);
void writePitfallsJson(JsonWriter& w, const MaskSpec& m, DType dtype);
void writeModifiersJson(JsonWriter& w, const ScoreModifiers& mods, int heads);
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
    if (c.kvHeads) // new keys appear only with their option, so older dumps stay byte-identical
        w.key("kv_heads").value(*c.kvHeads);
    w.key("d_model").value(model.dModel);
    w.key("head_dim").value(model.dModel / model.heads);
    w.key("seed").value(static_cast<unsigned long long>(c.seed));
    w.key("fill").value(m.fill.toString());
    w.key("dtype").value(dtypeName(model.dtype));
    // A model's tokens are its own ("model" says which): the synthetic sentence is not used.
    w.key("tokens").value(c.usesModel() ? "" : c.tokens.empty() ? defaultSentence() : c.tokens.c_str());
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

void writeModelJson(JsonWriter& w, const ModelInfo& m)
{
    const ModelConfig& c = m.config;
    w.beginObject();
    w.key("architecture").value(architectureName(c.architecture));
    w.key("path").value(m.path);
    w.key("tokenizer").value(m.tokenizerPath);
    w.key("layers").value(c.layers);
    w.key("layer").value(m.layer);
    w.key("heads").value(c.heads);
    w.key("kv_heads").value(c.kvHeads);
    w.key("head_dim").value(c.headDim);
    w.key("d_model").value(c.dModel);
    w.key("vocab").value(c.vocab);
    w.key("max_positions").value(c.maxPositions);
    w.key("storage_dtype").value(storageTypeName(c.storage));
    w.endObject();
}

void writeModelBatchJson(JsonWriter& w, const ModelInfo& m, int batchItem)
{
    const auto b = static_cast<std::size_t>(batchItem);
    w.key("token_ids").beginArray();
    for (const int id : m.tokenIds[b])
        w.value(id);
    w.endArray();
    w.key("pieces").strings(m.pieces[b]);
    w.key("next_token").beginArray();
    for (const NextToken& t : m.nextTokens[b]) {
        w.beginObject();
        w.key("id").value(t.id);
        w.key("piece").value(t.piece);
        w.key("probability").value(t.probability);
        w.endObject();
    }
    w.endArray();
}

void writeMaskConfigJson(JsonWriter& w, const MaskSpec& mask, const ScenarioConfig& config)
{
    writeConfigFields(w, mask, config, {config.heads, config.effectiveDModel(),
                                        effectiveDType(mask.pitfalls.format, DType::Float32)});
}

namespace {

// The rules added after the config format settled: each key only when its rule is on.
void writeNewerRulesJson(JsonWriter& w, const MaskRules& r)
{
    if (r.sink > 0)
        w.key("sink").value(r.sink);
    if (r.blockCausal > 0)
        w.key("block_causal").value(r.blockCausal);
    if (!r.bidirectional.empty()) {
        w.key("bidirectional").beginArray();
        for (const PositionSpan& span : r.bidirectional)
            w.beginArray().value(span.begin).value(span.end).endArray();
        w.endArray();
    }
    if (!r.tree.empty()) {
        w.key("tree").beginArray();
        for (const int parent : r.tree)
            w.value(parent);
        w.endArray();
    }
    const Neighborhood& n = r.neighborhood;
    if (n.active())
        w.key("neighborhood").beginArray().value(n.height).value(n.width).value(n.kernelHeight)
            .value(n.kernelWidth).endArray();
}

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
    writeNewerRulesJson(w, r);
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
    for (const Warning& warning : scenarioWarnings(m, dtype))
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
    if (mods.hasSinkLogit()) { // one value per head, as the engine applies them
        w.key("sink_logits").beginArray();
        for (int h = 0; h < heads; ++h)
            w.value(*mods.sinkLogit(h));
        w.endArray();
    }
}

} // namespace

} // namespace maskscope
