// SPDX-License-Identifier: MIT
#pragma once
// A small synthetic attention problem for engine tests: inputs and a matching mask with no rules.

#include "scenario/inputs.h"
#include "mask/maskspec.h"
#include "base/random.h"

#include <cstdint>

namespace maskscope::testing {

/// The same inputs in float64: every float32 value widened exactly, so a float64 computation of
/// them is a reference for the float32 one.
inline AttentionInputs<double> widened(const AttentionInputs<float>& in)
{
    AttentionInputs<double> d;
    for (const auto& m : in.query)
        d.query.push_back(m.cast<double>());
    for (const auto& m : in.key)
        d.key.push_back(m.cast<double>());
    for (const auto& m : in.value)
        d.value.push_back(m.cast<double>());
    d.inProjWeight = in.inProjWeight.cast<double>();
    d.inProjBias = in.inProjBias.cast<double>();
    d.outProjWeight = in.outProjWeight.cast<double>();
    d.outProjBias = in.outProjBias.cast<double>();
    d.heads = in.heads;
    return d;
}

struct Case {
    AttentionInputs<float> inputs;
    MaskSpec mask;
};

/// Synthetic inputs with non-zero biases (uniform in ±0.5), so that the bias of every projection
/// matters; the mask has the right sizes and no rules.
inline Case makeCase(int batch, int lq, int lk, int e, int heads, std::uint64_t seed)
{
    SyntheticConfig c;
    c.batch = batch;
    c.queryLen = lq;
    c.keyLen = lk;
    c.dModel = e;
    c.heads = heads;
    c.seed = seed;
    c.selfAttention = lq == lk;
    for (int b = 0; b < batch; ++b) {
        c.queryTokens.push_back(sequenceTokens({}, lq, lq, false));
        c.keyTokens.push_back(sequenceTokens({}, lk, lk, false));
    }
    Case k{makeSyntheticInputs(c), MaskSpec{}};
    Random rng(seed + 1);
    for (Eigen::Index i = 0; i < k.inputs.inProjBias.size(); ++i)
        k.inputs.inProjBias(i) = float(rng.uniform(-0.5, 0.5));
    for (Eigen::Index i = 0; i < k.inputs.outProjBias.size(); ++i)
        k.inputs.outProjBias(i) = float(rng.uniform(-0.5, 0.5));
    k.mask.batch = batch;
    k.mask.queryLen = lq;
    k.mask.keyLen = lk;
    k.mask.selfAttention = lq == lk;
    return k;
}

} // namespace maskscope::testing
