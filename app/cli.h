// SPDX-License-Identifier: MIT
#pragma once
// The maskscope command line: subcommands dump, bench and export, and the help.

#include "scenario/optiontable.h"

#include <functional>
#include <string>
#include <vector>

namespace maskscope::cli {

/// Exit statuses: 0 success, 1 failure at run time (e.g. an I/O error), 2 bad input.
enum ExitCode { Ok = 0, Failure = 1, BadInput = 2 };

/// True if the arguments (without the program name) name a subcommand, --help, --version,
/// --man-page or --bash-completion,
/// i.e. the command line should run instead of the window.
bool isCommandLine(const std::vector<std::string>& args);

/// Runs `command`, turning its exceptions into one line on stderr and an exit status:
/// InputError gives BadInput, anything else Failure.
int reportingErrors(const std::function<int()>& command);

/// Runs a subcommand; prints errors as one line on stderr. `args` excludes the program name.
int run(const std::vector<std::string>& args);

/// True for `bench --ui ...` (not asking for help): the window's benchmark, which needs the
/// window and so is run by the executable (uibenchmark.h), not by these headless commands.
bool isUiBenchmark(const std::vector<std::string>& args);
/// The options of `bench --ui`: everything after "bench" but "--ui".
std::vector<std::string> uiBenchmarkOptions(const std::vector<std::string>& args);

/// The usage text of `command` (dump, bench or export): its usage lines, the shared options
/// and its own. Any other `command` gives the whole text of `maskscope --help`.
std::string usage(const std::string& command = std::string());

/// The usage lines of every command, as `maskscope --help` begins.
std::string usageLines();

/// Every option of every table (the scenario's, dump's and bench's, export's, bench --ui's),
/// in the order the help lists them; an option several tables hold appears once per table.
std::vector<OptionSummary> everyOption();

} // namespace maskscope::cli
