// SPDX-License-Identifier: MIT
#pragma once
// Every intermediate number of one row of one head, for the hover read-out and the step-by-step
// explanation. The heatmaps only keep the matrices they show; this recomputes a single row from
// the scenario's inputs in the scenario's precision and with its pitfall lab (number format,
// mask application, blocked-row policy, mistakes). From the logits on, the row is the engine's
// own: attentionRow (attention/attentionrow.h) gives the engine's masked logits and weights.

#include "scenario/scenario.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <variant>
#include <vector>

namespace maskscope::ui {

/// One query row of one head of one batch item, every stage of the softmax.
struct RowValues {
    int batchItem = 0;
    int head = 0;
    int row = 0;
    int headDim = 1;                ///< d_k
    QString queryToken;
    QStringList keyTokens;
    bool queryIsPad = false;
    std::vector<bool> keyIsPad;
    std::vector<bool> allowed;
    bool fullyBlocked = false;      ///< no key is allowed
    std::vector<double> dots;       ///< q . k before scaling
    std::vector<double> logits;     ///< dots / sqrt(d_k)
    /// The score modifiers of the scenario (ALiBi, soft-capping); `scores` = modifiers(logits),
    /// equal to logits when none is on.
    ScoreModifiers modifiers;
    double alibiSlope = 0.0;        ///< this head's ALiBi slope (with modifiers.alibi)
    int alignedRow = 0;             ///< i', the row's position on the key axis (ALiBi distance)
    std::vector<double> scores;
    std::vector<double> mask;       ///< additive mask
    std::vector<double> masked;     ///< scores + mask, in the compute precision
    double max = 0.0;               ///< maximum of masked
    std::vector<double> exps;       ///< exp(masked - max)
    double sum = 0.0;               ///< sum of exps
    std::vector<double> weights;    ///< exps / sum, or what the blocked-row policy put there
    DType dtype = DType::Float32;
    /// The pitfall lab as this row was computed with it: every stored stage rounded to
    /// lab.format; `masked` is scores + mask, masked_fill's replacement, or the scores alone when
    /// the mask was never applied; K from q_proj under that mistake.
    Pitfalls lab;
    bool maskApplied = true;        ///< false under masked-fill-not-inplace
};

/// Computes rows on demand. Keeps the key projection of the last (scenario, batch item, head),
/// so moving the mouse along a heatmap costs one small product per row.
class RowInspector {
public:
    /// Every stage of row `row` of head `head`, batch item `batchItem` of `scenario`.
    /// Precondition: indices inside the scenario's sizes.
    RowValues row(const std::shared_ptr<const Scenario>& scenario, int batchItem, int head, int row);

private:
    void prepare(const std::shared_ptr<const Scenario>& scenario, int batchItem, int head);
    template <typename T>
    void fillRow(const AttentionInputs<T>& in, RowValues& v) const;

    std::shared_ptr<const Scenario> scenario_;
    int batchItem_ = -1;
    int head_ = -1;
    BoolMatrix allowed_;                                  // of (scenario_, batchItem_)
    std::variant<Matrix<float>, Matrix<double>> additive_; // of (scenario_, batchItem_)
    std::variant<Matrix<float>, Matrix<double>> keys_;     // (Lk, d_k) of (.., head_)
};

} // namespace maskscope::ui
