// SPDX-License-Identifier: MIT
#include "document/rowinspector.h"

#include "attention/precision.h"
#include "base/contract.h"

#include <cmath>

namespace maskscope::ui {

namespace {

template <typename Derived>
std::vector<double> toDoubles(const Eigen::DenseBase<Derived>& values)
{
    std::vector<double> out(static_cast<size_t>(values.size()));
    for (Eigen::Index k = 0; k < values.size(); ++k)
        out[static_cast<size_t>(k)] = static_cast<double>(values(k));
    return out;
}

template <typename T>
std::vector<double> toDoubles(const std::vector<T>& values)
{
    return std::vector<double>(values.begin(), values.end());
}

QStringList labels(const std::vector<std::string>& tokens)
{
    QStringList out;
    out.reserve(static_cast<qsizetype>(tokens.size()));
    for (const auto& t : tokens)
        out.append(QString::fromStdString(t));
    return out;
}

// The head's slice of the packed in_proj weight and bias (which = 0 for Q, 1 for K), rounded as
// the engine rounds: inputs and parameters, the product, then the sum with the bias. A real
// model's inputs are projected already (after the rotary embedding): the head's columns.
template <typename T>
Matrix<T> projected(const AttentionInputs<T>& in, Matrix<T> x, int which, int head, NumberFormat f)
{
    const int e = in.embedDim();
    const int dk = in.headDim();
    if (in.projected) {
        roundTo(f, x);
        return x.middleCols(head * dk, dk);
    }
    Matrix<T> weight = in.inProjWeight.middleRows(which * e + head * dk, dk);
    Vector<T> bias = in.inProjBias.segment(which * e + head * dk, dk);
    roundTo(f, x);
    roundTo(f, weight);
    roundTo(f, bias);
    Matrix<T> out = x * weight.transpose();
    roundTo(f, out);
    out.rowwise() += bias.transpose();
    roundTo(f, out);
    return out;
}

// sqrt(d_k) as the engine divides by it: in a reduced format the divisor is rounded first.
template <typename T>
T scaleDivisor(int headDim, NumberFormat f)
{
    const double root = std::sqrt(static_cast<double>(headDim));
    return roundsIntermediates(f) ? static_cast<T>(roundTo(f, static_cast<float>(root))) : static_cast<T>(root);
}

} // namespace

void RowInspector::prepare(const std::shared_ptr<const Scenario>& scenario, int batchItem, int head)
{
    const bool sameItem = scenario == scenario_ && batchItem == batchItem_;
    if (!sameItem) {
        allowed_ = allowedMatrix(scenario->mask, batchItem);
        std::visit(
            [&](const auto& in) {
                using T = typename std::decay_t<decltype(in.inProjWeight)>::Scalar;
                Matrix<T> additive;
                additiveMask<T>(scenario->mask, batchItem, additive);
                additive_ = std::move(additive);
            },
            scenario->inputs);
    }
    if (!sameItem || head != head_) {
        const Pitfalls& lab = scenario->mask.pitfalls;
        // Under the qproj-for-kv mistake the keys go through the query's block of in_proj.
        const int keyBlock = lab.has(Pitfall::QprojForKv) ? 0 : 1;
        std::visit(
            [&](const auto& in) {
                keys_ = projected(in, in.key[static_cast<size_t>(batchItem)], keyBlock, head, lab.format);
            },
            scenario->inputs);
    }
    scenario_ = scenario;
    batchItem_ = batchItem;
    head_ = head;
}

template <typename T>
void RowInspector::fillRow(const AttentionInputs<T>& in, RowValues& v) const
{
    const NumberFormat f = v.lab.format;
    const Matrix<T>& keys = std::get<Matrix<T>>(keys_);
    const Matrix<T>& additive = std::get<Matrix<T>>(additive_);
    Matrix<T> q = projected(in, Matrix<T>(in.query[static_cast<size_t>(v.batchItem)].row(v.row)), 0, v.head, f);
    v.dots = toDoubles(Matrix<T>(q * keys.transpose()).row(0));
    // As AttentionEngine (and PyTorch): q is scaled before the product, in the compute type.
    q /= scaleDivisor<T>(v.headDim, f);
    roundTo(f, q);
    Matrix<T> logits = q * keys.transpose();
    roundTo(f, logits);
    // The engine's own row function: the offset places the row at i' for ALiBi.
    const RowStages<T> stages = attentionRow<T>(logits.data(), additive.row(v.row).data(),
                                                allowed_.row(v.row).data(), static_cast<int>(additive.cols()),
                                                v.row, v.modifiers, v.alibiSlope, v.alignedRow, RowLab::of(v.lab),
                                                v.modifiers.sinkLogit(v.head));
    v.logits = toDoubles(logits.row(0));
    v.scores = toDoubles(stages.scores);
    v.mask = toDoubles(additive.row(v.row));
    v.masked = toDoubles(stages.masked);
    v.max = static_cast<double>(stages.parts.max);
    v.exps = toDoubles(stages.parts.exps);
    v.sum = static_cast<double>(stages.parts.sum);
    v.weights = toDoubles(stages.weights);
}

RowValues RowInspector::row(const std::shared_ptr<const Scenario>& scenario, int batchItem,
                            int head, int row)
{
    MASKSCOPE_EXPECTS(scenario && 0 <= batchItem && batchItem < scenario->mask.batch);
    MASKSCOPE_EXPECTS(0 <= head && head < scenario->heads() && 0 <= row && row < scenario->mask.queryLen);
    prepare(scenario, batchItem, head);
    const Scenario& s = *scenario;
    RowValues v;
    v.batchItem = batchItem;
    v.head = head;
    v.row = row;
    v.headDim = s.embedDim() / s.heads();
    v.dtype = s.dtype();
    v.queryToken = QString::fromStdString(displayLabels(s, batchItem, true)[static_cast<size_t>(row)]);
    v.keyTokens = labels(displayLabels(s, batchItem, false));
    v.queryIsPad = s.mask.queryIsPad(batchItem, row);
    v.keyIsPad = s.mask.keyPadFlags(batchItem);
    v.allowed.resize(static_cast<size_t>(allowed_.cols()));
    for (Eigen::Index j = 0; j < allowed_.cols(); ++j)
        v.allowed[static_cast<size_t>(j)] = allowed_(row, j);
    v.fullyBlocked = !allowed_.row(row).any();
    v.lab = s.mask.pitfalls;
    v.maskApplied = !v.lab.has(Pitfall::MaskedFillNotInplace);
    v.modifiers = s.config.scoreModifiers;
    v.alignedRow = row + alignedQueryOffset(s.mask);
    if (v.modifiers.alibi)
        v.alibiSlope = alibiSlopes(s.heads())[static_cast<size_t>(head)];
    std::visit([&](const auto& in) { fillRow(in, v); }, s.inputs);
    return v;
}

} // namespace maskscope::ui
