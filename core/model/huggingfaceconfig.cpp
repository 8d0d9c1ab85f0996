// SPDX-License-Identifier: MIT
// config.json to ModelConfig, with Hugging Face's defaults per architecture
// (transformers' LlamaConfig, MistralConfig, Qwen2Config, GPT2Config).
#include "model/huggingface.h"

#include "base/types.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace maskscope {
namespace {

class ConfigReader {
public:
    ConfigReader(const JsonValue& config, const std::string& name) : config_(config), name_(name) {}

    [[noreturn]] void fail(const std::string& problem) const { throw InputError(name_ + ": " + problem); }

    const JsonValue* present(const char* key) const
    {
        const JsonValue* v = config_.find(key);
        return v && !v->isNull() ? v : nullptr;
    }

    int positive(const char* key) const
    {
        const JsonValue* v = present(key);
        if (!v)
            fail(std::string("missing ") + key);
        return positiveValue(key, *v);
    }

    int positive(const char* key, int fallback) const
    {
        const JsonValue* v = present(key);
        return v ? positiveValue(key, *v) : fallback;
    }

    int positiveValue(const char* key, const JsonValue& v) const
    {
        const std::optional<std::int64_t> n = v.integer();
        if (!n || *n < 1 || *n > std::numeric_limits<int>::max())
            fail(std::string(key) + " must be a positive integer");
        return static_cast<int>(*n);
    }

    double real(const char* key, double fallback) const
    {
        const JsonValue* v = present(key);
        if (!v)
            return fallback;
        if (!v->isNumber() || !std::isfinite(v->number()) || v->number() <= 0)
            fail(std::string(key) + " must be a positive number");
        return v->number();
    }

    bool flag(const char* key, bool fallback) const
    {
        const JsonValue* v = present(key);
        if (!v)
            return fallback;
        if (!v->isBool())
            fail(std::string(key) + " must be true or false");
        return v->boolean;
    }

    /// A token id: an integer, or a list whose first entry is taken (Llama 3 lists several EOS).
    std::optional<int> tokenId(const char* key) const
    {
        const JsonValue* v = present(key);
        if (v && v->isArray())
            v = v->items.empty() ? nullptr : &v->items.front();
        if (!v)
            return std::nullopt;
        const std::optional<std::int64_t> n = v->integer();
        if (!n || *n < 0 || *n > std::numeric_limits<int>::max())
            fail(std::string(key) + " must be a non-negative integer");
        return static_cast<int>(*n);
    }

    std::string text(const char* key, const std::string& fallback) const
    {
        const JsonValue* v = present(key);
        if (!v)
            return fallback;
        if (!v->isString())
            fail(std::string(key) + " must be a string");
        return v->text;
    }

    void refuse(const char* key, const char* why) const
    {
        if (flag(key, false))
            fail(std::string(key) + " is not supported (" + why + ")");
    }

private:
    const JsonValue& config_;
    const std::string& name_;
};

void readLayerTypes(const ConfigReader& r, ModelConfig& c)
{
    const JsonValue* types = r.present("layer_types");
    if (!types)
        return;
    if (!types->isArray())
        r.fail("layer_types must be an array of strings");
    c.layerAttention.clear();
    for (const JsonValue& t : types->items) {
        if (t.isString() && t.text == "full_attention")
            c.layerAttention.push_back(LayerAttention::Full);
        else if (t.isString() && t.text == "sliding_attention")
            c.layerAttention.push_back(LayerAttention::Sliding);
        else
            r.fail("layer_types entries must be \"full_attention\" or \"sliding_attention\"");
    }
    const bool anySliding = std::find(c.layerAttention.begin(), c.layerAttention.end(), LayerAttention::Sliding)
        != c.layerAttention.end();
    if (anySliding && !c.slidingWindow)
        r.fail("layer_types has sliding layers but there is no sliding_window");
}

void readRopeScaling(const ConfigReader& r)
{
    const JsonValue* scaling = r.present("rope_scaling");
    if (!scaling)
        return;
    const JsonValue* type = scaling->find("rope_type");
    if (!type)
        type = scaling->find("type");
    const std::string name = type && type->isString() ? type->text : std::string("?");
    if (name != "default")
        r.fail("rope_scaling '" + printable(name, 32) + "' is not supported");
}

ModelConfig llamaFamily(const ConfigReader& r, Architecture architecture)
{
    ModelConfig c;
    c.architecture = architecture;
    c.rope = RopeLayout::RotateHalf;
    c.dModel = r.positive("hidden_size");
    c.layers = r.positive("num_hidden_layers");
    c.heads = r.positive("num_attention_heads");
    c.kvHeads = r.positive("num_key_value_heads", c.heads);
    c.headDim = r.positive("head_dim", c.dModel / c.heads);
    c.ffn = r.positive("intermediate_size");
    c.vocab = r.positive("vocab_size");
    c.maxPositions = r.positive("max_position_embeddings", architecture == Architecture::Llama ? 2048 : 32768);
    c.ropeTheta = r.real("rope_theta", 10000.0);
    c.normEps = r.real("rms_norm_eps", 1e-6);
    c.tiedEmbeddings = r.flag("tie_word_embeddings", false);
    c.eosToken = r.tokenId("eos_token_id");
    readRopeScaling(r);
    const std::string act = r.text("hidden_act", "silu");
    if (act != "silu")
        r.fail("hidden_act '" + printable(act, 32) + "' is not supported (the Llama family uses silu)");
    r.refuse("mlp_bias", "MaskScope reads bias-free feed-forward blocks");
    if (architecture == Architecture::Qwen2) {
        c.attentionBias = true;
        // Qwen2's tokenizer adds no BOS although the config names one.
        if (r.flag("use_sliding_window", false)) {
            c.slidingWindow = r.positive("sliding_window", 4096);
            const int windowFrom = r.positive("max_window_layers", 28);
            for (int i = 0; i < c.layers; ++i)
                c.layerAttention.push_back(i >= windowFrom ? LayerAttention::Sliding : LayerAttention::Full);
        }
    } else {
        r.refuse("attention_bias", "MaskScope reads Llama attention without biases");
        c.bosToken = r.tokenId("bos_token_id").value_or(1);
        if (architecture == Architecture::Mistral && r.present("sliding_window"))
            c.slidingWindow = r.positive("sliding_window");
    }
    readLayerTypes(r, c);
    return c;
}

ModelConfig gpt2(const ConfigReader& r)
{
    ModelConfig c;
    c.architecture = Architecture::Gpt2;
    c.rope = RopeLayout::None;
    c.dModel = r.positive("n_embd", 768);
    c.layers = r.positive("n_layer", 12);
    c.heads = r.positive("n_head", 12);
    c.kvHeads = c.heads;
    c.headDim = c.dModel / c.heads;
    c.ffn = r.positive("n_inner", 4 * c.dModel);
    c.vocab = r.positive("vocab_size", 50257);
    c.maxPositions = r.positive("n_positions", 1024);
    c.normEps = r.real("layer_norm_epsilon", 1e-5);
    c.attentionBias = true;
    c.tiedEmbeddings = r.flag("tie_word_embeddings", true);
    c.eosToken = r.tokenId("eos_token_id");
    // GPT-2's tokenizer adds no BOS: bosToken stays unset.
    const std::string act = r.text("activation_function", "gelu_new");
    if (act != "gelu_new" && act != "gelu_pytorch_tanh")
        r.fail("activation_function '" + printable(act, 32) + "' is not supported (GPT-2 uses gelu_new)");
    r.refuse("scale_attn_by_inverse_layer_idx", "it rescales the attention logits per layer");
    r.refuse("reorder_and_upcast_attn", "it changes the attention arithmetic");
    if (!r.flag("scale_attn_weights", true))
        r.fail("scale_attn_weights false is not supported");
    return c;
}

} // namespace

ModelConfig parseHuggingFaceConfig(const JsonValue& config, const std::string& name)
{
    const ConfigReader r(config, name);
    if (!config.isObject())
        r.fail("the config is " + std::string(jsonKindName(config.kind)) + ", not an object");
    const std::string type = r.text("model_type", "");
    if (type.empty())
        r.fail("no model_type (supported: llama, mistral, qwen2, gpt2)");
    ModelConfig c;
    if (type == "llama")
        c = llamaFamily(r, Architecture::Llama);
    else if (type == "mistral")
        c = llamaFamily(r, Architecture::Mistral);
    else if (type == "qwen2")
        c = llamaFamily(r, Architecture::Qwen2);
    else if (type == "gpt2")
        c = gpt2(r);
    else
        r.fail("architecture '" + printable(type, 64) + "' is not supported (supported: llama, mistral, qwen2, gpt2)");
    try {
        c.validate();
    } catch (const InputError& e) {
        r.fail(e.what());
    }
    return c;
}

} // namespace maskscope
