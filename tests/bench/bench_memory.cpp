// SPDX-License-Identifier: MIT
// Memory benchmark: what the window needs for one view at a long sequence. Computes the mask and
// one head's weights at L = 4096 with 16 heads (d_model 1024) and prints the peak resident memory.
// Exits non-zero if the peak reaches the 1 GiB budget, so ctest guards the figure.
#include "attention/attention.h"
#include "scenario/scenario.h"

#include <sys/resource.h>

#include <chrono>
#include <cstdio>

using namespace maskscope;

namespace {

double peakResidentMiB()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0; // Linux reports KiB
}

} // namespace

int main()
{
    ScenarioConfig config;
    config.seqLen = 4096;
    config.heads = 16;
    config.dModel = 1024;
    config.causal = true;
    config.validLens = {4000};
    const Scenario s = buildScenario(config);
    const double afterInputs = peakResidentMiB();

    TraceRequest oneHead;
    oneHead.head = 3;
    oneHead.logits = oneHead.maskedLogits = false;
    oneHead.meanWeights = oneHead.output = false;
    AttentionEngine<float> engine;
    AttentionTrace<float> trace;
    const auto& inputs = std::get<AttentionInputs<float>>(s.inputs);
    const auto t0 = std::chrono::steady_clock::now();
    engine.compute(inputs, s.mask, oneHead, trace);
    const auto t1 = std::chrono::steady_clock::now();
    engine.compute(inputs, s.mask, oneHead, trace); // a recompute must not grow the footprint
    const double peak = peakResidentMiB();
    const double budget = 1024.0;
    std::printf("{\"benchmark\": \"mask + one head's weights\", \"seq_len\": 4096, \"heads\": 16, "
                "\"d_model\": 1024, \"inputs_mib\": %.1f, \"peak_mib\": %.1f, \"budget_mib\": %.0f, "
                "\"first_compute_ms\": %.1f}\n",
                afterInputs, peak, budget,
                std::chrono::duration<double, std::milli>(t1 - t0).count());
    return peak < budget ? 0 : 1;
}
