// SPDX-License-Identifier: MIT
#pragma once
// --session FILE and --save-session FILE, which every subcommand (dump, bench, export) takes:
// a session file's options take effect where --session stands, so options after it override
// them; --save-session writes the session in effect after every option.

#include "figure/figurerequest.h"
#include "scenario/config.h"
#include "scenario/optiontable.h"

#include <optional>
#include <string>
#include <vector>

namespace maskscope::cli {

/// A command line with its session options taken out.
struct SessionArgs {
    std::vector<std::string> args;          ///< the rest, each --session replaced by its options
    std::optional<ui::FigureRequest> view;  ///< the view of the last --session, if any
    std::string saveTo;                     ///< --save-session's file; empty = none
};

/// Replaces each `--session FILE` in `args` (the options after the subcommand) by the options of
/// the session in FILE (its paths absolute) and takes out `--save-session FILE`. Reads every
/// session whole before anything runs; throws InputError "FILE: problem" for a broken one and
/// "--session needs a value" when the file name is missing.
SessionArgs expandSessionArgs(const std::vector<std::string>& args);

/// When `session.saveTo` is set, writes `config` and `view` there as a session file, whole or
/// not at all. Throws std::runtime_error "cannot write 'FILE': reason" when it cannot.
void saveSessionIfAsked(const SessionArgs& session, const ScenarioConfig& config, const ui::FigureRequest& view);

/// The name --head gives to the head selection of `view`: "all", "mean" or the head's number.
std::string headName(const ui::FigureRequest& view);

/// Help text of the session options that `command` (one OptionCommand bit) takes.
std::string sessionOptionsHelp(unsigned command);

/// The session options, for the manual page and the shell completion.
std::vector<OptionSummary> sessionOptionSummaries();

} // namespace maskscope::cli
