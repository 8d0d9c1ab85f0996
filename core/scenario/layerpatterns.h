// SPDX-License-Identifier: MIT
#pragma once
// Per-layer attention patterns: which mask each layer of a well-known model uses (Mistral's
// sliding window everywhere, Gemma's local/global alternation, Llama 4's chunked layers,
// gpt-oss's windows with sinks), and the same read from a real checkpoint's config. Plain data,
// so that the window's Layers strip and the option --layer-pattern NAME[:LAYER] share it.

#include "scenario/config.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace maskscope {

struct ModelConfig;

/// What a layer's attention restricts.
enum class LayerKind {
    Full,    ///< causal over every earlier key ("full_attention", "global")
    Sliding, ///< causal within a sliding window ("sliding_attention", "local")
    Chunked  ///< causal within fixed chunks ("chunked_attention", Llama 4)
};

/// The attention of one layer, as Hugging Face's masking_utils builds it.
struct LayerRule {
    LayerKind kind = LayerKind::Full;
    /// Sliding: the window W, counting the query itself (key j is seen when i' - W < j <= i',
    /// transformers' sliding_window_overlay); Chunked: the chunk size C (j is seen when
    /// floor(j / C) == floor(i' / C) and j <= i', chunked_overlay); Full: 0.
    int span = 0;
    bool noPositions = false;      ///< no rotary embedding in this layer (Llama 4's NoPE layers)
    bool sinkLogit = false;        ///< learned per-head sink logits (gpt-oss)
    std::optional<double> softcap; ///< tanh soft-capping of the attention logits (Gemma 2)

    /// A sliding-window layer of window `w` (no soft-cap, no sinks).
    static LayerRule sliding(int w) { return withSpan(LayerKind::Sliding, w); }
    /// A chunked layer of chunk size `c` (no soft-cap, no sinks).
    static LayerRule chunked(int c) { return withSpan(LayerKind::Chunked, c); }

    friend bool operator==(const LayerRule&, const LayerRule&) = default;

private:
    static LayerRule withSpan(LayerKind kind, int span)
    {
        LayerRule rule;
        rule.kind = kind;
        rule.span = span;
        return rule;
    }
};

/// The layers of one published model configuration.
struct LayerPattern {
    std::string_view name;  ///< what --layer-pattern takes, e.g. "gemma3"
    std::string_view title; ///< the model it describes, e.g. "Gemma 3 4B"
    int layers = 0;         ///< num_hidden_layers
    LayerRule (*rule)(int layer) = nullptr; ///< precondition: 0 <= layer < layers
};

/// The known patterns, in the order the window lists them: mistral, gemma2, gemma3, llama4,
/// gpt-oss.
const std::vector<LayerPattern>& layerPatterns();

/// The pattern called `name`, or nullptr.
const LayerPattern* findLayerPattern(std::string_view name);

/// "mistral, gemma2, ..." for messages and help.
std::string layerPatternNames();

/// The rule of every layer of a real checkpoint, from its config.json as parsed into
/// ModelConfig (sliding_window, layer_types, use_sliding_window / max_window_layers).
std::vector<LayerRule> modelLayerRules(const ModelConfig& model);

/// The sink logit a layer with learned sinks gets when none is set: gpt-oss learns one per
/// head, which a synthetic scenario does not have; 0 adds exp(0 - m) to each row's denominator.
inline constexpr double kStandInSinkLogit = 0.0;

/// Sets the rules of `rule` on `config`: causal; the window (W - 1, 0) for a sliding layer, the
/// chunk C for a chunked one, neither for a full one; the soft-cap; a sink logit (kept if one
/// is set, else kStandInSinkLogit) or none. Every other rule (documents, sinks, padding, ...)
/// stays as it is, so that a layer's mask composes with them.
void applyLayerRule(const LayerRule& rule, ScenarioConfig& config);

/// True when `config` has exactly the settings applyLayerRule(rule) makes (whatever else is on).
bool showsLayerRule(const LayerRule& rule, const ScenarioConfig& config);

/// True when at sequence length `length` the layer's restriction cuts nothing off: a window or
/// chunk at least as long as the sequence is causal attention over every earlier key.
bool sameAsFullAt(const LayerRule& rule, int length);

/// --layer-pattern NAME[:LAYER] (LAYER defaults to 0): applies that layer's rule to `config`.
/// Throws InputError naming `option` for an unknown name or a layer out of range.
void applyLayerPatternOption(ScenarioConfig& config, const std::string& value, const std::string& option);

} // namespace maskscope
