// SPDX-License-Identifier: MIT
#pragma once
// Short names of the mask rules that are on, shared by the rules panel's summary and the figure
// subtitle (so an exported figure says which mask it shows).

#include "scenario/scenario.h"

#include <QStringList>

namespace maskscope::ui {

/// The rules beyond causal and padding that are on, e.g. {"window 2 left, 0 right",
/// "dilation 2", "3 cell(s) painted"}, in a fixed order; empty when none is.
QStringList activeRuleNames(const ScenarioConfig& c);

/// Document lengths as typed: "3,5".
QString segmentsText(const std::vector<int>& segments);

} // namespace maskscope::ui
