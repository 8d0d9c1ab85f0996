// SPDX-License-Identifier: MIT
#pragma once
// The options shared by every subcommand and the window (see `maskscope --help`): one table,
// from which the parser, the help and the writer of a config as options all derive.
//
// Adding an option - e.g. a new mask rule --sink N - is one entry in options.cpp's table:
//   {"--sink", "--sink N", "the first N keys stay visible to every query", &kMaskRules,
//    kEveryCommand, OptionArity::Value,
//    [](ScenarioConfig& c, const std::string& v, const std::string& o) { c.rules.sink = ...; },
//    [](const ScenarioConfig& c, OptionArgs& out) { if (c.rules.sink != 0) out.value(...); }},
// placed where help should list it (the writer writes in the same order). The entry's parse
// throws InputError naming the option; its write emits nothing at the default, so that parsing
// what it writes gives the config back (tst_options checks this over random configs - extend
// its random config with the new field). The rule itself still needs its field in MaskRules,
// its evaluation in mask/, and its key in the config JSON (scenariojson.cpp).

#include "scenario/config.h"
#include "scenario/optiontable.h"

#include <string>
#include <vector>

namespace maskscope {

/// The table of the shared options, in help order.
const OptionTable<ScenarioConfig>& scenarioOptionTable();

/// Parses the options shared by every subcommand and the GUI (see `maskscope --help`).
/// `args` holds only the options (no program name or subcommand). Options it does not know are
/// returned in `rest` in order, for the caller to handle or reject.
/// Throws InputError naming the option and the problem.
ScenarioConfig parseScenarioOptions(const std::vector<std::string>& args,
                                    std::vector<std::string>& rest);

/// The options that parseScenarioOptions() turns back into `config` (only those that differ
/// from the defaults), e.g. to save a session as a command line or a preset.
/// Invariant: parseScenarioOptions(scenarioOptionArgs(c), rest) == c, with rest empty.
std::vector<std::string> scenarioOptionArgs(const ScenarioConfig& config);

/// Parses `text` as a whole number in [lo, hi] for `option`; throws InputError
/// "<option> expects a whole number from <lo> to <hi>, got '<text>'" otherwise.
int parseWholeNumber(const std::string& option, const std::string& text, int lo, int hi);

} // namespace maskscope
