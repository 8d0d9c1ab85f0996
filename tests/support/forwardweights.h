// SPDX-License-Identifier: MIT
#pragma once
// Compares the attention weights of a ModelForward, every layer, batch item and query head, with
// reference weights in .npy arrays (written by a PyTorch forward pass of tests/tools).

#include "model/forward.h"

#include "io/npy.h"

#include <QString>

#include <cmath>
#include <functional>

namespace maskscope::testing {

/// Whether two projected attention inputs hold the same Q, K and V, bit for bit.
/// Precondition: b has at least a's batch items.
inline bool sameInputs(const AttentionInputs<float>& a, const AttentionInputs<float>& b)
{
    for (std::size_t i = 0; i < a.query.size(); ++i)
        if (a.query[i] != b.query[i] || a.key[i] != b.key[i] || a.value[i] != b.value[i])
            return false;
    return true;
}

/// A trace request for the attention weights alone.
inline TraceRequest weightsOnly()
{
    TraceRequest r;
    r.logits = r.scores = r.maskedLogits = r.meanWeights = r.output = r.mask = false;
    r.weights = true;
    return r;
}

/// The largest |a - b| over the cells of `a` against `ref`'s elements from `offset` on (C order);
/// infinity when one is NaN and the other not. Precondition: ref holds offset + a.size() elements.
inline double maxDifference(const Matrix<float>& a, const NpyArray& ref, std::size_t offset)
{
    double worst = 0;
    for (Eigen::Index k = 0; k < a.size(); ++k) {
        const double x = a.data()[k], y = ref.at(offset + static_cast<std::size_t>(k));
        if (std::isnan(x) || std::isnan(y))
            worst = std::isnan(x) && std::isnan(y) ? worst : INFINITY;
        else
            worst = std::max(worst, std::abs(x - y));
    }
    return worst;
}

/// Where one layer's reference weights are: `array` holds, from element `offset` on, the
/// (batch, heads, L, L) weights of that layer in C order.
struct LayerReference {
    const NpyArray* array = nullptr;
    std::size_t offset = 0;
};

/// What compareWeights found.
struct WeightsComparison {
    QString failure;  ///< empty when every head agreed; else the first layer, item and head that did not
    int nanHeads = 0; ///< (layer, item, head) triples whose first row is NaN (a query without keys)
};

/// Computes every layer of `forward` under `mask` (each under its layerMask, so sliding windows
/// apply) and compares every batch item's every query head with `reference(layer)` within
/// `tolerance`. Precondition: each reference array holds the (batch, heads, L, L) weights.
inline WeightsComparison compareWeights(ModelForward& forward, const MaskSpec& mask,
                                        const std::function<LayerReference(int layer)>& reference, double tolerance)
{
    WeightsComparison result;
    const std::size_t L = static_cast<std::size_t>(forward.length());
    const std::size_t heads = static_cast<std::size_t>(forward.config().heads);
    AttentionEngine<float> engine;
    AttentionTrace<float> trace;
    for (int layer = 0; layer < forward.config().layers; ++layer) {
        engine.compute(forward.attentionInputs(layer, mask), forward.layerMask(layer, mask), weightsOnly(), trace);
        const LayerReference ref = reference(layer);
        for (std::size_t b = 0; b < static_cast<std::size_t>(forward.batch()); ++b)
            for (std::size_t h = 0; h < heads; ++h) {
                const Matrix<float>& w = trace.batches[b].heads[h].weights;
                const double diff = maxDifference(w, *ref.array, ref.offset + (b * heads + h) * L * L);
                if (!(diff <= tolerance) && result.failure.isEmpty())
                    result.failure = QString("layer %1 item %2 head %3: weights differ by %4").arg(layer).arg(b).arg(h).arg(diff);
                result.nanHeads += std::isnan(w(0, 0)) ? 1 : 0;
            }
    }
    return result;
}

} // namespace maskscope::testing
