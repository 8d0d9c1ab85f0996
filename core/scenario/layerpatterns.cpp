// SPDX-License-Identifier: MIT
#include "scenario/layerpatterns.h"

#include "model/checkpoint.h"

#include <charconv>

namespace maskscope {

namespace {

// Sources, read in Hugging Face transformers (2025): each model's configuration_*.py gives the
// layer count and layer_types, masking_utils.py the masks (sliding_window_overlay:
// kv_idx > q_idx - sliding_window; chunked_overlay: kv_idx // chunk == q_idx // chunk, on top of
// the causal mask).

// Mistral 7B v0.1: MistralConfig's defaults, num_hidden_layers 32, sliding_window 4096 on every
// layer (v0.2 and later set sliding_window to null: full attention).
LayerRule mistralLayer(int)
{
    return LayerRule::sliding(4096);
}

// Gemma 2 2B: Gemma2Config's defaults, num_hidden_layers 26, sliding_window 4096,
// attn_logit_softcapping 50; layer_types = "sliding_attention" if (i + 1) % 2 else
// "full_attention": even layers local, odd layers global.
LayerRule gemma2Layer(int layer)
{
    LayerRule rule;
    if (layer % 2 == 0)
        rule = LayerRule::sliding(4096);
    rule.softcap = 50.0;
    return rule;
}

// Gemma 3 4B: Gemma3TextConfig's layer_types = "sliding_attention" if (i + 1) %
// sliding_window_pattern else "full_attention", sliding_window_pattern 6 (five local : one
// global, layers 5, 11, 17, ...); google/gemma-3-4b-it: num_hidden_layers 34, sliding_window
// 1024, no soft-capping.
LayerRule gemma3Layer(int layer)
{
    if ((layer + 1) % 6 == 0)
        return {};
    return LayerRule::sliding(1024);
}

// Llama 4 Scout: Llama4TextConfig's defaults, num_hidden_layers 48, attention_chunk_size 8192,
// no_rope_layers[i] = int((i + 1) % no_rope_layer_interval != 0) with interval 4 and layer_types
// "chunked_attention" where the layer uses RoPE, else "full_attention": layers 3, 7, 11, ... are
// global and position-free (NoPE).
LayerRule llama4Layer(int layer)
{
    if ((layer + 1) % 4 != 0)
        return LayerRule::chunked(8192);
    LayerRule global;
    global.noPositions = true;
    return global;
}

// gpt-oss-20b: GptOssConfig's layer_types = "sliding_attention" if (i + 1) % 2 else
// "full_attention" (even layers sliding), sliding_window 128; openai/gpt-oss-20b has 24 layers
// (the config's default of 36 is gpt-oss-120b). Every layer has learned per-head sinks
// (modeling_gpt_oss: self.sinks, concatenated to the logits before the softmax).
LayerRule gptOssLayer(int layer)
{
    LayerRule rule;
    if (layer % 2 == 0)
        rule = LayerRule::sliding(128);
    rule.sinkLogit = true;
    return rule;
}

} // namespace

const std::vector<LayerPattern>& layerPatterns()
{
    static const std::vector<LayerPattern> patterns{
        {"mistral", "Mistral 7B", 32, mistralLayer},
        {"gemma2", "Gemma 2 2B", 26, gemma2Layer},
        {"gemma3", "Gemma 3 4B", 34, gemma3Layer},
        {"llama4", "Llama 4 Scout", 48, llama4Layer},
        {"gpt-oss", "gpt-oss-20b", 24, gptOssLayer},
    };
    return patterns;
}

const LayerPattern* findLayerPattern(std::string_view name)
{
    for (const LayerPattern& p : layerPatterns())
        if (p.name == name)
            return &p;
    return nullptr;
}

std::string layerPatternNames()
{
    std::string names;
    for (const LayerPattern& p : layerPatterns()) {
        if (!names.empty())
            names += ", ";
        names += p.name;
    }
    return names;
}

std::vector<LayerRule> modelLayerRules(const ModelConfig& model)
{
    std::vector<LayerRule> rules(static_cast<std::size_t>(model.layers));
    if (!model.slidingWindow)
        return rules;
    for (std::size_t i = 0; i < rules.size(); ++i)
        if (model.layerAttention.empty() || model.layerAttention[i] == LayerAttention::Sliding)
            rules[i] = LayerRule::sliding(*model.slidingWindow);
    return rules;
}

void applyLayerRule(const LayerRule& rule, ScenarioConfig& config)
{
    config.causal = true;
    const bool sliding = rule.kind == LayerKind::Sliding;
    config.rules.windowLeft = sliding ? rule.span - 1 : -1;
    config.rules.windowRight = sliding ? 0 : -1;
    config.rules.chunk = rule.kind == LayerKind::Chunked ? rule.span : 0;
    config.scoreModifiers.softcap = rule.softcap;
    if (!rule.sinkLogit)
        config.scoreModifiers.sinkLogits.clear();
    else if (config.scoreModifiers.sinkLogits.empty())
        config.scoreModifiers.sinkLogits = {kStandInSinkLogit};
}

bool showsLayerRule(const LayerRule& rule, const ScenarioConfig& config)
{
    ScenarioConfig applied = config;
    applyLayerRule(rule, applied);
    return applied == config;
}

bool sameAsFullAt(const LayerRule& rule, int length)
{
    return rule.kind == LayerKind::Full || rule.span >= length;
}

void applyLayerPatternOption(ScenarioConfig& config, const std::string& value, const std::string& option)
{
    const std::size_t colon = value.find(':');
    const std::string name = value.substr(0, colon);
    const LayerPattern* pattern = findLayerPattern(name);
    if (!pattern)
        throw InputError(option + " expects one of " + layerPatternNames() + ", got '" + name + "'");
    int layer = 0;
    if (colon != std::string::npos) {
        const std::string text = value.substr(colon + 1);
        const char* end = text.data() + text.size();
        const auto res = std::from_chars(text.data(), end, layer);
        if (text.empty() || res.ec != std::errc() || res.ptr != end || layer < 0 || layer >= pattern->layers)
            throw InputError(option + " " + name + " has layers 0 to " + std::to_string(pattern->layers - 1)
                             + ", got '" + text + "'");
    }
    applyLayerRule(pattern->rule(layer), config);
}

} // namespace maskscope
