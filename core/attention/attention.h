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
class AttentionEngine {
public:
    AttentionEngine();

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
    // The pitfall lab of the current compute(), resolved once from mask.pitfalls.
    struct Lab {
        RowLab row;               // what the softmax stage does with each row (attentionrow.h)
        bool discardMask = false; // masked_fill not in place: masked = scores
        bool replace = false;     // masked = allowed ? scores + mask : mask
        bool kvFromQuery = false; // K and V projected with the query's block of in_proj
        BlockedRows blockedRows = BlockedRows::Nan;
        NumberFormat format = NumberFormat::Native; // Float16/BFloat16: round every stored value
        bool rounds() const { return roundsIntermediates(format); }
    };

    // Where a head's stages are kept (null: the request drops that stage).
    struct HeadBuffers {
        Matrix<T>* logits = nullptr;
        Matrix<T>* scores = nullptr; // null unless a modifier is on and scores are requested
        Matrix<T>* masked = nullptr;
        Matrix<T>* weights = nullptr;
    };

    void computeBatch(const AttentionInputs<T>& in, const MaskSpec& mask,
                      const TraceRequest& req, BatchTrace<T>& out);
    HeadBuffers chooseBuffers(const TraceRequest& req, HeadTrace<T>* head, int lq, int lk);
    void projectQueriesAndKeys(const AttentionInputs<T>& in, int b, int head, int k);
    void projectValues(const AttentionInputs<T>& in, int b);
    void computePanel(const TraceRequest& req, const Matrix<T>& additive, BatchTrace<T>& out,
                      int k, int head, int r0, int rows);
    void computeLogits(int k, int r0, int rows);
    void computeScores(int head, int rows);
    void softmaxRows(const TraceRequest& req, const Matrix<T>& additive, BatchTrace<T>& out,
                     int k, int r0, int rows);
    void multiplyValues(int head, int r0, int rows);
    void copyOut(const HeadBuffers& kept, int r0, int rows) const;
    std::size_t keptBytes(const TraceRequest& req, int heads, int lq, int lk) const;
    void projectOutput(const AttentionInputs<T>& in, BatchTrace<T>& out);
    void averageHeads(Eigen::Ref<Matrix<T>> sum) const; // the rows of the mean summed so far
    const AttentionInputs<T>& roundedInputs(const AttentionInputs<T>& inputs);
    void round(Matrix<T>& m) const; // to lab_.format; nothing to do on the ordinary path
    void roundRows(Matrix<T>& m, int rows) const; // the first `rows` rows
    T scaleDivisor(int headDim) const;

    Matrix<T> additive_;   // the mask when the request does not keep one
    Matrix<T> q_, k_;      // (L, heads * d_k) projections of the requested heads
    Matrix<T> keysByRow_;  // (heads * d_k, Lk): k_ transposed
    std::vector<Vector<T>> packedKeys_; // per head, K packed for the logits kernel (attention.cpp)
    Vector<T> packedQueries_;           // the current panel's queries, packed
    Matrix<T> v_;          // (Lk, E) value projections of every head
    int headDim_ = 0;      // d_k of the current compute()
    KeyRange usedKeys_;    // keys with a non-zero weight in some row: the rows of v_ computed
    Matrix<T> concat_;     // (Lq, E) concatenated head outputs
    // (panel rows, Lk): the current panel's stages of the current head, whatever is kept.
    Matrix<T> panelLogits_, panelScores_, panelMasked_, panelWeights_;
    int panelStart_ = 0;   // first query row of the current panel
    bool streamOut_ = false; // write kept matrices with streaming stores (see copyOut)
    ScoreModifiers modifiers_;       // of the current compute()
    int alignedOffset_ = 0;          // alignedQueryOffset() of the current mask (ALiBi distances)
    std::vector<double> slopes_;     // ALiBi slope per head of the current compute()
    std::optional<T> headSink_;      // the current head's sink logit, in the compute format
    std::vector<HeadBuffers> buffers_;           // per head, where each stage writes
    std::vector<KeyRange> live_; // per query row of the current batch item, see attention.cpp
    Lab lab_;                    // of the current compute()
    AttentionInputs<T> rounded_; // the inputs rounded to lab_.format
    BoolMatrix labAllowed_;      // the allowed matrix, kept for MaskApply::Replace
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

/// Physical memory of this machine in bytes (0 if unknown).
std::size_t physicalMemoryBytes();

/// "1.5 GiB"-style rendering of a byte count.
std::string formatBytes(std::size_t bytes);

extern template class AttentionEngine<float>;
extern template class AttentionEngine<double>;

} // namespace maskscope
