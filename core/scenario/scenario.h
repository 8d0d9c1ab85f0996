#pragma once
// A scenario: every parameter a user sets (on the command line or in the window), and the inputs
// and mask they define.

#include "attention/attention.h"
#include "scenario/inputs.h"
#include "io/json.h"
#include "mask/maskspec.h"
#include "attention/pitfalls.h"
#include "attention/scoremodifiers.h"

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace maskscope {

/// The user's parameters. Unset optionals take their defaults, or the sizes of loaded files.
struct ScenarioConfig {
    std::optional<int> seqLen;      ///< key (and, in self-attention, query) length; default 8
    std::optional<int> queryLen;    ///< cross-attention query length; default = seqLen
    std::optional<int> batch;       ///< default 1
    std::vector<int> validLens;     ///< one per batch item; empty = no padding
    PadSide padSide = PadSide::Right;
    bool causal = false;
    int heads = 4;
    std::optional<int> dModel;      ///< default 64
    std::uint64_t seed = 0;
    Fill fill;
    std::string tokens;             ///< whitespace-separated words; empty = default sentence
    std::string loadDir;            ///< directory of .npy files; empty = synthetic inputs
    MaskRules rules;                ///< window, dilation, prefix, documents, chunks, global, toggles
    std::string maskFile;           ///< (Lq, Lk) bool .npy, true = allowed; empty = none
    ScoreModifiers scoreModifiers;  ///< ALiBi, soft-capping
    int blockSize = kDefaultBlockSize; ///< tile size of the block-sparsity figures
    Pitfalls pitfalls;              ///< --bug, --mask-apply, --blocked-rows, --dtype (the pitfall lab)

    static constexpr int kDefaultBlockSize = 128; ///< FlexAttention's default BLOCK_SIZE

    int effectiveSeqLen() const { return seqLen.value_or(8); }
    int effectiveQueryLen() const { return queryLen.value_or(effectiveSeqLen()); }
    int effectiveBatch() const { return batch.value_or(1); }
    int effectiveDModel() const { return dModel.value_or(64); }

    friend bool operator==(const ScenarioConfig&, const ScenarioConfig&) = default;
};

/// Parses the options shared by every subcommand and the GUI (see `maskscope --help`).
/// `args` holds only the options (no program name or subcommand). Options it does not know are
/// returned in `rest` in order, for the caller to handle or reject.
/// Throws InputError naming the option and the problem.
ScenarioConfig parseScenarioOptions(const std::vector<std::string>& args,
                                    std::vector<std::string>& rest);

/// Parses `text` as a whole number in [lo, hi] for `option`; throws InputError
/// "<option> expects a whole number from <lo> to <hi>, got '<text>'" otherwise.
int parseWholeNumber(const std::string& option, const std::string& text, int lo, int hi);

/// Help text of the shared options, one option per line.
const char* scenarioOptionsHelp();

/// The options that parseScenarioOptions() turns back into `config` (only those that differ
/// from the defaults), e.g. to save a session as a command line or a preset.
/// Invariant: parseScenarioOptions(scenarioOptionArgs(c), rest) == c, with rest empty.
std::vector<std::string> scenarioOptionArgs(const ScenarioConfig& config);

/// The inputs, mask and token labels a config defines. The score modifiers stay in
/// config.scoreModifiers: pass them to AttentionEngine::compute (they are not part of the mask).
struct Scenario {
    ScenarioConfig config;
    std::variant<AttentionInputs<float>, AttentionInputs<double>> inputs;
    MaskSpec mask;
    std::vector<std::vector<std::string>> tokensQ; ///< per batch item, (Lq) labels
    std::vector<std::vector<std::string>> tokensK; ///< per batch item, (Lk) labels

    /// The type the forward pass computes in: the inputs' type, or the emulated format.
    DType dtype() const;
    int heads() const;
    int embedDim() const;
};

/// Builds the scenario: synthetic float32 inputs, or the files of config.loadDir (whose shapes
/// must agree with any sizes set in the config). Float64 files are converted to float32 when
/// config.pitfalls.format is not Native (the emulated formats compute in float32). Throws InputError on any inconsistency: sizes
/// below 1, heads not dividing d_model, valid lengths of the wrong count or range, bad files.
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
