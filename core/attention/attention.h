// SPDX-License-Identifier: MIT
#pragma once
// Multi-head attention exactly as PyTorch nn.MultiheadAttention computes it, with every
// intermediate matrix a learner wants to see.

#include "scenario/inputs.h"
#include "mask/maskspec.h"
#include "attention/attentionrow.h"
#include "attention/pitfalls.h"
#include "attention/scoremodifiers.h"
#include "base/types.h"

#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

namespace maskscope {

/// Which parts of a trace to compute. Only what is asked for is materialised.
struct TraceRequest {
    int batchItem = -1;        ///< one batch item, or -1 for all
    int head = -1;             ///< one head, or -1 for all
    bool logits = true;        ///< Q_h K_h^T / sqrt(d_k), always the raw product
    bool scores = true;        ///< logits after the score modifiers (only when one is on)
    bool maskedLogits = true;  ///< scores + additive mask (scores = logits without modifiers)
    bool weights = true;       ///< softmax(masked logits) over keys
    bool meanWeights = true;   ///< mean of weights over heads (needs head == -1)
    bool output = true;        ///< attn_output, (Lq, E) (needs head == -1)
    bool mask = true;          ///< allowed matrix and additive mask
};

/// One head's matrices for one batch item; each (Lq, Lk), or empty (0x0) if not requested.
template <typename T>
struct HeadTrace {
    int head = 0;
    Matrix<T> logits;
    Matrix<T> scores;       ///< empty unless a score modifier is on (and requested)
    Matrix<T> maskedLogits;
    Matrix<T> weights;
};

/// Everything computed for one batch item.
template <typename T>
struct BatchTrace {
    int batchItem = 0;
    BoolMatrix allowed;            ///< (Lq, Lk) true = may attend; empty unless request.mask
    Matrix<T> additiveMask;        ///< (Lq, Lk); empty unless request.mask
    std::vector<bool> queryIsPad;  ///< (Lq)
    std::vector<bool> keyIsPad;    ///< (Lk)
    std::vector<bool> rowFullyBlocked; ///< (Lq) rows with no allowed key (NaN under -inf fill)
    /// (Lq) what each row returned: Ordinary where the row has an allowed key, else what the
    /// blocked-rows policy, the fill and the mask application made of it (for a status line).
    std::vector<BlockedRowOutcome> blockedRowOutcomes;
    /// False under the masked-fill-not-inplace mistake: `allowed` and `additiveMask` show the mask
    /// the code built, but the masked logits are the scores and the weights the unmasked ones.
    bool maskApplied = true;
    std::vector<HeadTrace<T>> heads; ///< the requested heads, in order
    Matrix<T> meanWeights;         ///< (Lq, Lk) or empty
    Matrix<T> output;              ///< (Lq, E) or empty
};

/// The result of one forward pass: the requested batch items, in order.
template <typename T>
struct AttentionTrace {
    std::vector<BatchTrace<T>> batches;
};

/// Computes traces. Holds scratch buffers that are reused from one compute() to the next, so a
/// GUI that recomputes on every slider step does not reallocate. Not thread-safe: use one engine
/// per thread. Results are deterministic for a given build (Eigen's blocking is pinned).
template <typename T>
class EngineKernel;

/// Computes traces. Holds scratch buffers that are reused from one compute() to the next, so a
/// GUI that recomputes on every slider step does not reallocate. Not thread-safe: use one engine
/// per thread. Results are deterministic for a given build and processor level (Eigen's
/// blocking is pinned; the level is the kernel chosen at run time, see kernels.h).
template <typename T>
class AttentionEngine {
public:
    AttentionEngine();
    ~AttentionEngine();
    AttentionEngine(AttentionEngine&&) noexcept;
    AttentionEngine& operator=(AttentionEngine&&) noexcept;

    /// Fills `trace` with what `request` asks for, reusing its matrices' storage when their
    /// shapes are unchanged.
    /// mask.pitfalls selects the pitfall lab: mistakes, add or replace, the blocked-rows policy and
    /// the number format (see pitfalls.h for the emulation model). With the defaults the ordinary
    /// path runs unchanged; the lab's variants may be slower.
    /// Preconditions: inputs.validate() and mask.validate() pass; mask sizes equal the inputs'
    /// (batch, Lq, Lk); request.batchItem in [-1, B), request.head in [-1, H); meanWeights and
    /// output only with head == -1; mask.pitfalls.format Native for double (float64 inputs are
    /// converted to float32 for the other formats, see buildScenario). Throws InputError otherwise.
    void compute(const AttentionInputs<T>& inputs, const MaskSpec& mask,
                 const TraceRequest& request, AttentionTrace<T>& trace);

    /// The same with score modifiers: masked = modifiers(logits) + mask. HeadTrace::scores holds
    /// modifiers(logits) when a modifier is on and request.scores; logits stay the raw product.
    /// Without an active modifier this is exactly the overload above (no extra pass, no copy).
    /// A sink logit joins each row's softmax as a column without weight (see ScoreModifiers).
    /// Throws InputError if modifiers.validate(inputs.heads) fails.
    void compute(const AttentionInputs<T>& inputs, const MaskSpec& mask,
                 const ScoreModifiers& modifiers, const TraceRequest& request,
                 AttentionTrace<T>& trace);

private:
    std::unique_ptr<EngineKernel<T>> kernel_; // the processor level's engine (kernels.h)
};

/// What each row of a batch item returns under `pitfalls` (BatchTrace::blockedRowOutcomes),
/// judged from the rows without an allowed key and the additive mask, as compute() judges it:
/// for traces built without the engine, such as the mask alone. `sinkLogit`: a sink logit is on
/// (a row that is -inf everywhere then returns 0, not NaN).
template <typename T>
std::vector<BlockedRowOutcome> blockedRowOutcomes(const std::vector<bool>& fullyBlocked,
                                                  const Matrix<T>& additive, const Pitfalls& pitfalls,
                                                  bool sinkLogit = false);

/// Bytes a trace of these sizes needs (matrices of `sizeofScalar` bytes), to refuse sizes that
/// would not fit before allocating. Counts mask, the requested heads' matrices (scores only
/// `withScores`, i.e. when a score modifier is on), mean and output.
std::size_t traceBytes(int batchItems, int heads, int queryLen, int keyLen, int embedDim,
                       const TraceRequest& request, std::size_t sizeofScalar,
                       bool withScores = false);

/// The processor level whose kernels compute (kernels.h): "x86-64", "x86-64-v2", "x86-64-v3" or
/// "x86-64-v4" in a portable build, "native" in a -march=native one. Chosen at the first use.
std::string kernelLevel();

/// Physical memory of this machine in bytes (0 if unknown).
std::size_t physicalMemoryBytes();

/// "1.5 GiB"-style rendering of a byte count.
std::string formatBytes(std::size_t bytes);

extern template class AttentionEngine<float>;
extern template class AttentionEngine<double>;

} // namespace maskscope
