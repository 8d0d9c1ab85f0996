// SPDX-License-Identifier: MIT
#pragma once
// A scenario: the inputs and mask that the parameters a user sets (on the command line or in
// the window) define. The parameters are scenario/config.h, their options scenario/options.h;
// both come with this header for its users.

#include "attention/attention.h"
#include "scenario/config.h"
#include "scenario/inputs.h"
#include "scenario/options.h"
#include "io/json.h"
#include "mask/maskspec.h"
#include "model/modelscenario.h"

#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace maskscope {

/// The inputs, mask and token labels a config defines. The score modifiers stay in
/// config.scoreModifiers: pass them to AttentionEngine::compute (they are not part of the mask).
struct Scenario {
    ScenarioConfig config;
    std::variant<AttentionInputs<float>, AttentionInputs<double>> inputs;
    MaskSpec mask;
    std::vector<std::vector<std::string>> tokensQ; ///< per batch item, (Lq) labels
    std::vector<std::vector<std::string>> tokensK; ///< per batch item, (Lk) labels
    /// With --model: the checkpoint, its tokens and next-token prediction (null otherwise).
    /// The inputs are then the shown layer's projected Q, K, V of every query head.
    std::shared_ptr<const ModelInfo> model;
    /// Key/value heads (grouped-query attention): query heads h and h' share their K and V when
    /// h / (heads() / kvHeads) == h' / (heads() / kvHeads), as repeat_interleave groups them.
    /// Set by buildScenario (--kv-heads, else heads()); divides heads(). A model with grouped K/V
    /// heads sets it the same way, so that figures can label the groups.
    int kvHeads = 1;

    /// The type the forward pass computes in: the inputs' type, or the emulated format.
    DType dtype() const;
    int heads() const;
    int embedDim() const;
    /// Query heads per key/value head: heads() / kvHeads (1 = plain multi-head attention).
    int kvGroupSize() const { return heads() / kvHeads; }
};

/// The labels figures and the inspector show for batch item `b`'s query positions (`queries`)
/// or key positions: tokensQ[b] or tokensK[b], except on a 2-D neighbourhood grid
/// (--neighborhood, self-attention) whose words are not the user's (no --tokens, no --model), where
/// position p = y * W + x reads "(y, x)" and "<pad>" stays. Precondition: 0 <= b < the number
/// of token rows.
std::vector<std::string> displayLabels(const Scenario& s, int b, bool queries);

/// Ties the key and value projections of query heads that share a key/value head: rows of
/// in_proj_weight's K and V blocks (and of in_proj_bias) of every head of a group become those of
/// the group's first head, so nn.MultiheadAttention with these weights computes grouped-query
/// attention. Precondition: kvHeads >= 1 divides in.heads.
template <typename T>
void tieKeyValueHeads(AttentionInputs<T>& in, int kvHeads);

/// Builds the scenario: synthetic float32 inputs, the files of config.loadDir (whose shapes
/// must agree with any sizes set in the config), or config.modelPath run on config.texts up to
/// config.layer (the text decides the sizes; the mask is causal, as the model's; kvHeads is the
/// model's). Float64 files are converted to float32 when
/// config.pitfalls.format is not Native (the emulated formats compute in float32). Throws InputError on any inconsistency: sizes
/// below 1, heads not dividing d_model, valid lengths of the wrong count or range, bad files.
/// With --kv-heads the synthetic inputs' K and V are tied per group (tieKeyValueHeads); loaded
/// inputs refuse it (their weights are what they are). A model's forward asks `stop` between
/// layers and throws ComputationStopped when it says stop (stopcheck.h).
Scenario buildScenario(const ScenarioConfig& config, const StopCheck& stop = {});

/// Every check buildScenario makes of a real model's `config` (config.usesModel()) short of
/// running it: option clashes, score modifiers, the checkpoint and tokenizer opened, the texts
/// tokenized, the mask rules applied, the layer in range. Maps the checkpoint (cached) but runs
/// no layer: cheap enough for the GUI thread. Throws InputError as buildScenario would.
void checkModelConfig(const ScenarioConfig& config);

/// The scenario of a synthetic `config` (no --load, no --model) without its inputs, at any
/// length: the mask (buildMaskSpec), the token labels, heads(), embedDim() and kvHeads as
/// buildScenario gives them, but no Q, K, V or weights. What the figures of long masks need.
/// Throws InputError as buildMaskSpec does.
Scenario buildMaskOnlyScenario(const ScenarioConfig& config);

/// Sets the mask rules of `config` on `mask`, whose sizes must already be final: causal (also
/// on when a prefix is set: prefix-LM is causal attention), fill, rules, the pitfall lab, and the
/// --mask-file matrix (read now). Lets a caller that keeps its inputs change only the rules.
/// Throws InputError for a bad mask file or rules that do not fit the sizes (mask.validate()).
void applyMaskRules(const ScenarioConfig& config, MaskSpec& mask);

/// Only the mask of the scenario `config` defines, without generating inputs: what the
/// long-context (mask-only) paths need at any length. With --load the files are still read
/// (their masks are part of the mask). Throws InputError as buildScenario does.
MaskSpec buildMaskSpec(const ScenarioConfig& config);

/// Throws InputError if the requested trace of this scenario (with the engine's workspace, and
/// a rounded copy of the inputs for float16/bfloat16), plus `extraBytes` the caller will hold
/// besides (e.g. a figure), would not fit in what this process may still allocate (memoryBudget:
/// the machine's available memory, the cgroup's memory.max, ulimit -v), saying how much it would
/// need. buildScenario checks the synthetic inputs and parameters the same way, before it
/// allocates them.
void checkTraceFits(const Scenario& s, const TraceRequest& request, std::size_t extraBytes = 0);

/// What deserves a warning in this scenario (e.g. a fill its number format cannot hold), in
/// the order found. `computeType` is the type the forward pass computes in (Scenario::dtype()).
std::vector<Warning> scenarioWarnings(const MaskSpec& mask, DType computeType);

/// Writes the effective parameters as a JSON object (the "config" of dumps and benchmarks),
/// including the pitfall lab's settings and the scenario's warnings.
void writeConfigJson(JsonWriter& w, const Scenario& s);

/// The "model" object of a dump: architecture, path, tokenizer, layers, layer shown, heads,
/// KV heads, head dim, d_model, vocabulary, positions and storage dtype.
void writeModelJson(JsonWriter& w, const ModelInfo& model);

/// The fields a real model adds to a dump's batch item: "token_ids", "pieces" (as the
/// vocabulary stores them) and "next_token" (the top 5 after its last token: id, readable piece,
/// probability). Precondition: 0 <= batchItem < model.tokenIds.size().
void writeModelBatchJson(JsonWriter& w, const ModelInfo& model, int batchItem);

/// The same object for a mask built without inputs (buildMaskSpec): model sizes come from the
/// config, dtype is the synthetic inputs' float32.
void writeMaskConfigJson(JsonWriter& w, const MaskSpec& mask, const ScenarioConfig& config);

} // namespace maskscope
