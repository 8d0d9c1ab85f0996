// SPDX-License-Identifier: MIT
#pragma once
// The options of `maskscope bench --ui`: one table (core/scenario/optiontable.h) gives their
// parser and their help. Headless, so `bench --help` can list them without the window.

#include "figure/figurerequest.h"
#include "scenario/scenario.h"

#include <string>
#include <vector>

namespace maskscope::ui {

/// What `bench --ui` was asked to time.
struct BenchOptions {
    ScenarioConfig config;
    FigureRequest view;
    std::string head; ///< as given: applied once every option is read
    int repeat = 30;
};

/// Parses the options after "bench" without "--ui": the scenario options, --repeat N, --view and
/// --head (as in export). Throws InputError on an unknown option or a bad value.
BenchOptions parseUiBenchOptions(const std::vector<std::string>& args);

/// Help text of the options of `bench --ui` beyond the shared ones and bench's own.
std::string uiBenchmarkOptionsHelp();

/// The options of `bench --ui`, for the manual page and the shell completion.
std::vector<OptionSummary> uiBenchmarkOptionSummaries();

} // namespace maskscope::ui
