#include "rowinspector.h"

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

QStringList labels(const std::vector<std::string>& tokens)
{
    QStringList out;
    out.reserve(static_cast<qsizetype>(tokens.size()));
    for (const auto& t : tokens)
        out.append(QString::fromStdString(t));
    return out;
}

// The head's slice of the packed in_proj weight and bias (which = 0 for Q, 1 for K).
template <typename T>
Matrix<T> projected(const AttentionInputs<T>& in, const Matrix<T>& x, int which, int head)
{
    const int e = in.embedDim();
    const int dk = in.headDim();
    Matrix<T> out = x * in.inProjWeight.middleRows(which * e + head * dk, dk).transpose();
    out.rowwise() += in.inProjBias.segment(which * e + head * dk, dk).transpose();
    return out;
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
        std::visit(
            [&](const auto& in) {
                keys_ = projected(in, in.key[static_cast<size_t>(batchItem)], 1, head);
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
    const Matrix<T>& keys = std::get<Matrix<T>>(keys_);
    const Matrix<T>& additive = std::get<Matrix<T>>(additive_);
    const Matrix<T> x = in.query[static_cast<size_t>(v.batchItem)].row(v.row);
    Matrix<T> q = projected(in, x, 0, v.head);
    v.dots = toDoubles(Matrix<T>(q * keys.transpose()).row(0));
    // As AttentionEngine (and PyTorch): q is scaled before the product, in the compute type.
    q /= static_cast<T>(std::sqrt(static_cast<double>(v.headDim)));
    const Matrix<T> logits = q * keys.transpose();
    // The engine's own function on a one-row matrix: the offset places the row at i'.
    Matrix<T> scores;
    applyScoreModifiers(v.modifiers, v.alibiSlope, v.alignedRow, logits, scores);
    const Eigen::Array<T, 1, Eigen::Dynamic> mask = additive.row(v.row).array();
    const Eigen::Array<T, 1, Eigen::Dynamic> masked = scores.row(0).array() + mask;
    const T max = masked.maxCoeff();
    const Eigen::Array<T, 1, Eigen::Dynamic> exps = (masked - max).exp();
    const T sum = exps.sum();
    v.logits = toDoubles(logits.row(0));
    v.scores = toDoubles(scores.row(0));
    v.mask = toDoubles(mask);
    v.masked = toDoubles(masked);
    v.max = static_cast<double>(max);
    v.exps = toDoubles(exps);
    v.sum = static_cast<double>(sum);
    v.weights = toDoubles(Eigen::Array<T, 1, Eigen::Dynamic>(exps * (T(1) / sum)));
}

RowValues RowInspector::row(const std::shared_ptr<const Scenario>& scenario, int batchItem,
                            int head, int row)
{
    prepare(scenario, batchItem, head);
    const Scenario& s = *scenario;
    RowValues v;
    v.batchItem = batchItem;
    v.head = head;
    v.row = row;
    v.headDim = s.embedDim() / s.heads();
    v.dtype = s.dtype();
    v.queryToken = QString::fromStdString(s.tokensQ[static_cast<size_t>(batchItem)][static_cast<size_t>(row)]);
    v.keyTokens = labels(s.tokensK[static_cast<size_t>(batchItem)]);
    v.queryIsPad = s.mask.queryIsPad(batchItem, row);
    v.keyIsPad = s.mask.keyPadFlags(batchItem);
    v.allowed.resize(static_cast<size_t>(allowed_.cols()));
    for (Eigen::Index j = 0; j < allowed_.cols(); ++j)
        v.allowed[static_cast<size_t>(j)] = allowed_(row, j);
    v.fullyBlocked = !allowed_.row(row).any();
    v.modifiers = s.config.scoreModifiers;
    v.alignedRow = row + alignedQueryOffset(s.mask);
    if (v.modifiers.alibi)
        v.alibiSlope = alibiSlopes(s.heads())[static_cast<size_t>(head)];
    std::visit([&](const auto& in) { fillRow(in, v); }, s.inputs);
    return v;
}

} // namespace maskscope::ui
