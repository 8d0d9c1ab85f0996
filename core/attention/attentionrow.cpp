// SPDX-License-Identifier: MIT
#include "attention/attentionrow.h"

#include "attention/kernels.h"

#include <cmath>

namespace maskscope {

RowLab RowLab::of(const Pitfalls& p)
{
    return RowLab{!p.has(Pitfall::MaskedFillNotInplace), p.maskApply, p.blockedRows, p.format};
}

bool RowLab::active() const
{
    return !maskApplied || maskApply == MaskApply::Replace || blockedRows != BlockedRows::Nan ||
           roundsIntermediates(format);
}

template <typename T>
KeyRange liveKeys(const T* additive, int n, const RowLab& lab, bool fullyBlocked)
{
    if (!lab.maskApplied || (lab.blockedRows == BlockedRows::Uniform && fullyBlocked))
        return KeyRange{0, n - 1};
    KeyRange r{0, n - 1};
    while (r.first < n && std::isinf(additive[r.first]) && additive[r.first] < 0)
        ++r.first;
    while (r.last > r.first && std::isinf(additive[r.last]) && additive[r.last] < 0)
        --r.last;
    return r.first < n ? r : KeyRange{0, n - 1};
}

template <typename T>
void maskAndSoftmaxRow(const MaskRow<T>& row, const RowLab& lab, KeyRange live, T* masked, T* weights,
                       SoftmaxParts<T>* parts)
{
    activeKernels().of<T>().maskAndSoftmaxRow(row, lab, live, masked, weights, parts);
}

template <typename T>
RowStages<T> attentionRow(const T* logits, const T* additive, const bool* allowed, int n, int row,
                          const ScoreModifiers& modifiers, double slope, int alignedRow, const RowLab& lab,
                          std::optional<double> sinkLogit)
{
    return activeKernels().of<T>().attentionRow(logits, additive, allowed, n, row, modifiers, slope, alignedRow, lab,
                                                sinkLogit);
}

template KeyRange liveKeys<float>(const float*, int, const RowLab&, bool);
template KeyRange liveKeys<double>(const double*, int, const RowLab&, bool);
template void maskAndSoftmaxRow<float>(const MaskRow<float>&, const RowLab&, KeyRange, float*, float*,
                                       SoftmaxParts<float>*);
template void maskAndSoftmaxRow<double>(const MaskRow<double>&, const RowLab&, KeyRange, double*, double*,
                                        SoftmaxParts<double>*);
template RowStages<float> attentionRow<float>(const float*, const float*, const bool*, int, int,
                                              const ScoreModifiers&, double, int, const RowLab&,
                                              std::optional<double>);
template RowStages<double> attentionRow<double>(const double*, const double*, const bool*, int, int,
                                                const ScoreModifiers&, double, int, const RowLab&,
                                                std::optional<double>);

} // namespace maskscope
