// SPDX-License-Identifier: MIT
#pragma once
// Reading the document's results in Qt Test suites (no widgets: the window's driver builds on
// this, see windowdriver.h).

#include "document/maskdocument.h"

namespace maskscope::testing {

/// Generous: correctness is asserted, never speed.
inline constexpr int kWindowTimeoutMs = 120000;

/// Synthetic inputs: `length` tokens, `heads` heads sharing `dModel` dimensions, causal or with
/// no mask rule at all.
inline ScenarioConfig syntheticConfig(int length, int heads, int dModel, bool causal = false)
{
    ScenarioConfig c;
    c.seqLen = length;
    c.heads = heads;
    c.dModel = dModel;
    c.causal = causal;
    return c;
}

/// The selected batch item's trace of a float32 result (synthetic inputs).
inline const BatchTrace<float>& floatTrace(const ui::TraceResultPtr& r)
{
    return std::get<BatchTrace<float>>(r->trace);
}

} // namespace maskscope::testing
