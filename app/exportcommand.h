// SPDX-License-Identifier: MIT
#pragma once
// `maskscope export`: one figure to a PNG, SVG or PDF file, without a display.

#include "scenario/optiontable.h"

#include <string>
#include <vector>

namespace maskscope::cli {

/// Runs `maskscope export`; `args` are the options after the word "export". Prints errors as one
/// line on stderr; returns 0, 1 (run-time failure) or 2 (bad input, nothing written).
int runExport(const std::vector<std::string>& args);

/// Help text of the export options: their heading, one option per line, and a note.
std::string exportOptionsHelp();

/// The export options, for the manual page and the shell completion.
std::vector<OptionSummary> exportOptionSummaries();

} // namespace maskscope::cli
