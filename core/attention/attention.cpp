// SPDX-License-Identifier: MIT
#include "attention/attention.h"

#include "attention/kernels.h"
#include "base/eigenblocking.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <type_traits>
#include <unistd.h>

namespace maskscope {

namespace {

template <typename T>
bool allNegInf(const T* row, int n)
{
    return std::all_of(row, row + n, [](T v) { return std::isinf(v) && v < 0; });
}

template <typename T>
bool allEqual(const T* row, int n)
{
    return std::all_of(row, row + n, [&](T v) { return v == row[0]; });
}

// What each row returns, judged from the policy and the row's mask values (cheap: only rows
// without an allowed key are looked at).
template <typename T>
std::vector<BlockedRowOutcome> blockedRowOutcomes(const std::vector<bool>& fullyBlocked,
                                                  const Matrix<T>& additive, bool discard,
                                                  bool replace, BlockedRows policy, bool sinkLogit)
{
    std::vector<BlockedRowOutcome> outcomes(fullyBlocked.size(), BlockedRowOutcome::Ordinary);
    const int n = static_cast<int>(additive.cols());
    for (size_t i = 0; i < fullyBlocked.size(); ++i) {
        if (!fullyBlocked[i])
            continue;
        const T* row = additive.row(static_cast<Eigen::Index>(i)).data();
        if (discard)
            outcomes[i] = BlockedRowOutcome::MaskNotApplied;
        else if (policy == BlockedRows::Zero)
            outcomes[i] = BlockedRowOutcome::Zero;
        else if (policy == BlockedRows::Uniform)
            outcomes[i] = BlockedRowOutcome::Uniform;
        else if (allNegInf(row, n))
            outcomes[i] = sinkLogit ? BlockedRowOutcome::Zero : BlockedRowOutcome::Nan;
        else if (replace && allEqual(row, n) && !sinkLogit)
            outcomes[i] = BlockedRowOutcome::Uniform;
        else
            outcomes[i] = BlockedRowOutcome::FillDependent;
    }
    return outcomes;
}


void checkRequest(const TraceRequest& r, int batch, int heads)
{
    if (r.batchItem < -1 || r.batchItem >= batch)
        throw InputError("batch item " + std::to_string(r.batchItem) + " is outside 0.." +
                         std::to_string(batch - 1));
    if (r.head < -1 || r.head >= heads)
        throw InputError("head " + std::to_string(r.head) + " is outside 0.." +
                         std::to_string(heads - 1));
    if (r.head != -1 && (r.meanWeights || r.output))
        throw InputError("the mean over heads and the output need every head");
}

template <typename T>
void checkFormat(NumberFormat format)
{
    if (std::is_same_v<T, double> && format != NumberFormat::Native)
        throw InputError("float32, float16 and bfloat16 compute in float32: convert float64 inputs "
                         "first (buildScenario does)");
}

} // namespace

template <typename T>
std::vector<BlockedRowOutcome> blockedRowOutcomes(const std::vector<bool>& fullyBlocked,
                                                  const Matrix<T>& additive, const Pitfalls& p,
                                                  bool sinkLogit)
{
    return blockedRowOutcomes(fullyBlocked, additive, p.has(Pitfall::MaskedFillNotInplace),
                              p.maskApply == MaskApply::Replace, p.blockedRows, sinkLogit);
}

template std::vector<BlockedRowOutcome> blockedRowOutcomes<float>(const std::vector<bool>&,
                                                                  const Matrix<float>&, const Pitfalls&, bool);
template std::vector<BlockedRowOutcome> blockedRowOutcomes<double>(const std::vector<bool>&,
                                                                   const Matrix<double>&, const Pitfalls&, bool);

template <typename T>
AttentionEngine<T>::AttentionEngine() : kernel_(activeKernels().of<T>().makeEngine())
{
    pinEigenBlocking(); // for the Eigen products outside the kernels, as before they existed
}

template <typename T>
AttentionEngine<T>::~AttentionEngine() = default;

template <typename T>
AttentionEngine<T>::AttentionEngine(AttentionEngine&&) noexcept = default;

template <typename T>
AttentionEngine<T>& AttentionEngine<T>::operator=(AttentionEngine&&) noexcept = default;

template <typename T>
void AttentionEngine<T>::compute(const AttentionInputs<T>& inputs, const MaskSpec& mask,
                                 const TraceRequest& request, AttentionTrace<T>& trace)
{
    compute(inputs, mask, ScoreModifiers{}, request, trace);
}

template <typename T>
void AttentionEngine<T>::compute(const AttentionInputs<T>& inputs, const MaskSpec& mask,
                                 const ScoreModifiers& modifiers, const TraceRequest& request,
                                 AttentionTrace<T>& trace)
{
    modifiers.validate(inputs.heads);
    inputs.validate();
    mask.validate();
    if (mask.batch != inputs.batch() || mask.queryLen != inputs.queryLen() ||
        mask.keyLen != inputs.keyLen())
        throw InputError("mask sizes do not match the inputs' (batch, query length, key length)");
    checkRequest(request, inputs.batch(), inputs.heads);
    checkFormat<T>(mask.pitfalls.format);
    kernel_->compute(inputs, mask, modifiers, request, trace);
}

template class AttentionEngine<float>;
template class AttentionEngine<double>;


std::size_t traceBytes(int batchItems, int heads, int queryLen, int keyLen, int embedDim,
                       const TraceRequest& r, std::size_t sizeofScalar, bool withScores)
{
    const std::size_t cells = static_cast<std::size_t>(queryLen) * static_cast<std::size_t>(keyLen);
    const std::size_t perHeadMatrices =
        std::size_t(r.logits) + (r.scores && withScores) + r.maskedLogits + r.weights;
    const std::size_t headCount = r.head < 0 ? static_cast<std::size_t>(heads) : 1;
    std::size_t perBatch = cells * perHeadMatrices * headCount * sizeofScalar;
    perBatch += r.mask ? cells * (1 + sizeofScalar) : 0;
    perBatch += r.meanWeights ? cells * sizeofScalar : 0;
    perBatch += r.output ? static_cast<std::size_t>(queryLen) * embedDim * sizeofScalar : 0;
    const std::size_t scratch = 3 * cells * sizeofScalar;
    return perBatch * static_cast<std::size_t>(batchItems) + scratch;
}

std::size_t physicalMemoryBytes()
{
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long pageSize = sysconf(_SC_PAGE_SIZE);
    return pages > 0 && pageSize > 0 ? static_cast<std::size_t>(pages) * pageSize : 0;
}

std::string formatBytes(std::size_t bytes)
{
    const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double v = static_cast<double>(bytes);
    int u = 0;
    while (v >= 1024.0 && u < 6)
        v /= 1024.0, ++u;
    char buf[48];
    std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
    return buf;
}

} // namespace maskscope