// SPDX-License-Identifier: MIT
#include "uibenchoptions.h"

#include "figure/viewnames.h"
#include "scenario/optiontable.h"
#include "sessionargs.h"

namespace maskscope::ui {

namespace {

const OptionGroup kUiBenchOptions{"Bench --ui options (the real window, offscreen):"};

using Value = const std::string&;
using Name = const std::string&;

const OptionTable<BenchOptions>& uiBenchOptionTable()
{
    static const OptionTable<BenchOptions> table({
        // cli.cpp chose this benchmark on --ui and took it out of the options.
        {"--ui", "--ui", "time change -> repainted frame of the window",
         &kUiBenchOptions, ForBench, OptionArity::Flag, [](BenchOptions&, Value, Name) {}},
        {"--repeat", nullptr, "", &kUiBenchOptions, ForBench, OptionArity::Value, // in bench's help
         [](BenchOptions& o, Value v, Name name) { o.repeat = parseWholeNumber(name, v, 1, 100000); }},
        {"--view", "--view V", "the view timed: mask, logits, masked-logits, weights (default)\n"
                               "or pipeline",
         &kUiBenchOptions, ForBench, OptionArity::Value,
         [](BenchOptions& o, Value v, Name) { applyViewName(o.view, v); }},
        {"--head", "--head N|all|mean", "a head number (default 0), all (a grid; a row per head in the pipeline) or mean",
         &kUiBenchOptions, ForBench, OptionArity::Value,
         [](BenchOptions& o, Value v, Name) { o.head = v; }},
    });
    return table;
}

} // namespace

BenchOptions parseUiBenchOptions(const std::vector<std::string>& args)
{
    BenchOptions o;
    const cli::SessionArgs session = cli::expandSessionArgs(args);
    o.view = session.view.value_or(FigureRequest{});
    if (session.view)
        o.head = cli::headName(*session.view);
    std::vector<std::string> rest;
    o.config = parseScenarioOptions(session.args, rest);
    uiBenchOptionTable().parse(rest, ForBench, o, [](const std::string& arg) {
        throw InputError("unknown option '" + arg + "' for 'bench --ui' (see maskscope --help)");
    });
    if (!o.head.empty())
        applyHeadName(o.view, o.head, o.config.heads); // after --view: "--view pipeline --head 2" keeps the pipeline
    cli::saveSessionIfAsked(session, o.config, o.view);
    return o;
}


std::string uiBenchmarkOptionsHelp()
{
    return uiBenchOptionTable().help(ForBench);
}

std::vector<OptionSummary> uiBenchmarkOptionSummaries()
{
    return uiBenchOptionTable().summaries();
}

} // namespace maskscope::ui
