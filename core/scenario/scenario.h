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

/// Ties the key and value projections of query heads that share a key/value head: rows of
/// in_proj_weight's K and V blocks (and of in_proj_bias) of every head of a group become those of
/// the group's first head, so nn.MultiheadAttention with these weights computes grouped-query
/// attention. Precondition: kvHeads >= 1 divides in.heads.
template <typename T>
void tieKeyValueHeads(AttentionInputs<T>& in, int kvHeads);

/// Builds the scenario: synthetic float32 inputs, or the files of config.loadDir (whose shapes
/// must agree with any sizes set in the config). Float64 files are converted to float32 when
/// config.pitfalls.format is not Native (the emulated formats compute in float32). Throws InputError on any inconsistency: sizes
/// below 1, heads not dividing d_model, valid lengths of the wrong count or range, bad files.
/// With --kv-heads the synthetic inputs' K and V are tied per group (tieKeyValueHeads); loaded
/// inputs refuse it (their weights are what they are).
Scenario buildScenario(const ScenarioConfig& config);

/// Sets the mask rules of `config` on `mask`, whose sizes must already be final: causal (also
/// on when a prefix is set: prefix-LM is causal attention), fill, rules, the pitfall lab, and the
/// --mask-file matrix (read now). Lets a caller that keeps its inputs change only the rules.
/// Throws InputError for a bad mask file or rules that do not fit the sizes (mask.validate()).
void applyMaskRules(const ScenarioConfig& config, MaskSpec& mask);

/// Only the mask of the scenario `config` defines, without generating inputs: what the
/// long-context (mask-only) paths need at any length. With --load the files are still read
/// (their masks are part of the mask). Throws InputError as buildScenario does.
MaskSpec buildMaskSpec(const ScenarioConfig& config);

/// Throws InputError if the requested trace of this scenario would not fit in this machine's
/// memory, saying how much it would need.
void checkTraceFits(const Scenario& s, const TraceRequest& request);

/// What deserves a warning in this scenario (e.g. a fill its number format cannot hold), in
/// the order found.
std::vector<Warning> scenarioWarnings(const MaskSpec& mask);

/// Writes the effective parameters as a JSON object (the "config" of dumps and benchmarks),
/// including the pitfall lab's settings and the scenario's warnings.
void writeConfigJson(JsonWriter& w, const Scenario& s);

/// The same object for a mask built without inputs (buildMaskSpec): model sizes come from the
/// config, dtype is the synthetic inputs' float32.
void writeMaskConfigJson(JsonWriter& w, const MaskSpec& mask, const ScenarioConfig& config);

} // namespace maskscope
