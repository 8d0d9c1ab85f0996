// SPDX-License-Identifier: MIT
// The softmax stage of one row for one x86-64 level (kernelengine.h): the code behind
// maskscope::maskAndSoftmaxRow and maskscope::attentionRow, compiled once per level.
#include "attention/kernelengine.h"

#include "attention/precision.h"
#include "attention/softmaxexp.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace maskscope::MASKSCOPE_ISA_NS {

namespace {

// weights = softmax(masked) over the row, stabilised by the row maximum and normalised by
// multiplying with 1/sum as torch.softmax does; keys outside `live` get 0. A sink logit joins
// the maximum and the sum as one more column that gets no weight of its own (gpt-oss), which
// also keeps a row that is -inf everywhere finite: 0 / exp(0). May alias.
template <typename T>
inline void softmaxRow(const T* masked, T* weights, int n, KeyRange live, SoftmaxParts<T>* parts,
                       const T* sinkLogit)
{
    using Row = Eigen::Array<T, 1, Eigen::Dynamic>;
    const int width = live.last - live.first + 1;
    const Eigen::Map<const Row> m(masked + live.first, width);
    const T max = sinkLogit ? std::max(m.maxCoeff(), *sinkLogit) : m.maxCoeff();
    Eigen::Map<Row> w(weights + live.first, width);
    w = underflowingExp(m - max);
    const T sum = sinkLogit ? w.sum() + std::exp(*sinkLogit - max) : w.sum();
    std::fill(weights, weights + live.first, T(0));
    std::fill(weights + live.last + 1, weights + n, T(0));
    if (parts)
        *parts = SoftmaxParts<T>{max, sum, std::vector<T>(weights, weights + n)};
    w *= T(1) / sum;
}

// The mask added, replaced (masked_fill) or discarded.
template <typename T>
void applyMaskRow(const MaskRow<T>& r, const RowLab& lab, T* masked)
{
    using Row = Eigen::Array<T, 1, Eigen::Dynamic>;
    const Eigen::Map<const Row> scores(r.scores, r.n), additive(r.additive, r.n);
    Eigen::Map<Row> out(masked, r.n);
    if (!lab.maskApplied) // scores.masked_fill(...) computed a new tensor and dropped it
        out = scores;
    else if (lab.maskApply == MaskApply::Replace)
        for (int j = 0; j < r.n; ++j)
            masked[j] = r.allowed[j] ? r.scores[j] + r.additive[j] : r.additive[j];
    else
        out = scores + additive;
}

// One row of the pitfall lab: the mask added, replaced or discarded; the policy for a row
// without an allowed key; every stored stage rounded to the format.
template <typename T>
void labMaskAndSoftmaxRow(const MaskRow<T>& r, const RowLab& lab, KeyRange live, T* masked, T* weights,
                          SoftmaxParts<T>* parts)
{
    applyMaskRow(r, lab, masked);
    roundTo(lab.format, masked, r.n);
    softmaxRow(masked, weights, r.n, live, parts, r.sinkLogit);
    if (r.fullyBlocked && lab.maskApplied && lab.blockedRows == BlockedRows::Zero)
        std::fill(weights, weights + r.n, T(0));
    if (r.fullyBlocked && lab.maskApplied && lab.blockedRows == BlockedRows::Uniform)
        std::fill(weights, weights + r.n, T(1) / static_cast<T>(r.n));
    roundTo(lab.format, weights, r.n);
}

// A row of n values placed as row `row` of an Eigen-allocated (rows, n) matrix is placed
// relative to Eigen's alignment, so that vectorised code treats every cell alike.
template <typename T>
class PlacedRow {
public:
    PlacedRow(int n, int row)
    {
        constexpr long long perAlignment = std::max<long long>(1, kRowAlignment / static_cast<long long>(sizeof(T)));
        offset_ = static_cast<int>((static_cast<long long>(row) * n) % perAlignment);
        storage_.resize(1, n + offset_);
    }
    T* data() { return storage_.data() + offset_; }

private:
    Matrix<T> storage_;
    int offset_ = 0;
};

} // namespace

template <typename T>
void maskAndSoftmax(const MaskRow<T>& row, const RowLab& lab, KeyRange live, T* masked, T* weights,
                       SoftmaxParts<T>* parts)
{
    if (lab.active()) {
        labMaskAndSoftmaxRow(row, lab, live, masked, weights, parts);
        return;
    }
    using Row = Eigen::Array<T, 1, Eigen::Dynamic>;
    Eigen::Map<Row>(masked, row.n) = Eigen::Map<const Row>(row.scores, row.n) + Eigen::Map<const Row>(row.additive, row.n);
    softmaxRow(masked, weights, row.n, live, parts, row.sinkLogit);
}

template <typename T>
RowStages<T> rowStages(const T* logits, const T* additive, const bool* allowed, int n, int row,
                          const ScoreModifiers& modifiers, double slope, int alignedRow, const RowLab& lab,
                          std::optional<double> sinkLogit)
{
    PlacedRow<T> scores(n, row), masked(n, row), weights(n, row);
    std::copy_n(logits, n, scores.data());
    if (modifiers.active()) {
        Eigen::Map<Matrix<T>> placed(scores.data(), 1, n);
        applyScoreModifiers<T>(modifiers, slope, alignedRow, Eigen::Ref<const Matrix<T>>(placed),
                               Eigen::Ref<Matrix<T>>(placed));
        roundTo(lab.format, scores.data(), n);
    }
    T sink = static_cast<T>(sinkLogit.value_or(0.0));
    roundTo(lab.format, &sink, 1); // as the engine rounds it
    const MaskRow<T> input{scores.data(), additive, allowed, n, std::none_of(allowed, allowed + n, [](bool a) { return a; }),
                           sinkLogit ? &sink : nullptr};
    RowStages<T> out;
    maskAndSoftmax(input, lab, liveKeys(additive, n, lab, input.fullyBlocked), masked.data(), weights.data(),
                      &out.parts);
    out.scores.assign(scores.data(), scores.data() + n);
    out.masked.assign(masked.data(), masked.data() + n);
    out.weights.assign(weights.data(), weights.data() + n);
    return out;
}

template void maskAndSoftmax<float>(const MaskRow<float>&, const RowLab&, KeyRange, float*, float*,
                                    SoftmaxParts<float>*);
template void maskAndSoftmax<double>(const MaskRow<double>&, const RowLab&, KeyRange, double*, double*,
                                     SoftmaxParts<double>*);
template RowStages<float> rowStages<float>(const float*, const float*, const bool*, int, int,
                                           const ScoreModifiers&, double, int, const RowLab&,
                                           std::optional<double>);
template RowStages<double> rowStages<double>(const double*, const double*, const bool*, int, int,
                                             const ScoreModifiers&, double, int, const RowLab&,
                                             std::optional<double>);

} // namespace maskscope::MASKSCOPE_ISA_NS
