// SPDX-License-Identifier: MIT
#pragma once
// The fill menu of the parameters panel, per number format: what "lowest" is (finfo.min of the
// format the pass computes in) and what -1e9 becomes there (-inf in float16, which PyTorch's
// masked_fill refuses), with a hint when the chosen fill does not behave as its name promises.

#include "scenario/scenario.h"

#include <QString>

namespace maskscope::ui {

/// The type the forward pass of `config` computes in: its number format, or the inputs' own
/// type (`lastScenario`'s when loaded from files, float32 for synthetic inputs).
DType computeDType(const ScenarioConfig& config, const Scenario* lastScenario);

/// The text of the fill menu's entry for `kind` when computing in `compute` with `format`, e.g.
/// "lowest: finfo(float16).min = −65504" or "−1e9 (TF tutorial): −∞ in float16!".
QString fillChoiceText(Fill::Kind kind, NumberFormat format, DType compute);

/// What the chosen fill does in this format that a learner would not expect (it does not fit,
/// or it overflows once added to a logit); empty when it behaves.
QString fillFormatHint(const Fill& fill, NumberFormat format, DType compute);

} // namespace maskscope::ui
