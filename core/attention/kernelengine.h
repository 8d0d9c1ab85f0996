// SPDX-License-Identifier: MIT
#pragma once
// The attention engine of one x86-64 level (kernels.h): compiled once per level, each time in
// the namespace maskscope::MASKSCOPE_ISA_NS. Include only from the level's own sources.

#include "attention/kernels.h"

#ifndef MASKSCOPE_ISA_NS
#error "MASKSCOPE_ISA_NS names the level's namespace; set by cmake/IsaKernels.cmake"
#endif

namespace maskscope::MASKSCOPE_ISA_NS {

/// AttentionEngine's computation (see attention.h); scratch buffers are reused from one
/// compute() to the next.
template <typename T>
class Engine final : public EngineKernel<T> {
public:
    Engine();

    /// See EngineKernel::compute.
    void compute(const AttentionInputs<T>& inputs, const MaskSpec& mask, const ScoreModifiers& modifiers,
                 const TraceRequest& request, AttentionTrace<T>& trace) override;

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
    std::vector<Vector<T>> packedKeys_; // per head, K packed for the logits kernel (kernelengine.cpp)
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
    std::vector<KeyRange> live_; // per query row of the current batch item, see kernelengine.cpp
    Lab lab_;                    // of the current compute()
    AttentionInputs<T> rounded_; // the inputs rounded to lab_.format
    BoolMatrix labAllowed_;      // the allowed matrix, kept for MaskApply::Replace
};

/// This level's maskscope::maskAndSoftmaxRow (attentionrow.h), which Engine uses.
template <typename T>
void maskAndSoftmax(const MaskRow<T>& row, const RowLab& lab, KeyRange live, T* masked, T* weights,
                    SoftmaxParts<T>* parts = nullptr);

/// This level's maskscope::attentionRow (attentionrow.h).
template <typename T>
RowStages<T> rowStages(const T* logits, const T* additive, const bool* allowed, int n, int row,
                       const ScoreModifiers& modifiers, double slope, int alignedRow, const RowLab& lab,
                       std::optional<double> sinkLogit);

/// This level's entry point, the only symbol its linked object exports.
const KernelTable& kernelTable();

} // namespace maskscope::MASKSCOPE_ISA_NS
