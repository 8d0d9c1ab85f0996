// SPDX-License-Identifier: MIT
#pragma once
// `maskscope bench --ui`: the latency from a parameter change to the repainted frame of the
// real window, driven offscreen through its own controls.

#include <string>
#include <vector>

namespace maskscope::ui {

/// Runs the benchmark and prints one JSON object on stdout. `args` are the options after
/// "bench" without "--ui": the scenario options, --repeat N, --view and --head (as in export).
/// Creates its own QApplication on the offscreen platform. Returns a cli::ExitCode value;
/// bad options print one line on stderr and return 2.
int runUiBenchmark(const std::vector<std::string>& args);

} // namespace maskscope::ui
