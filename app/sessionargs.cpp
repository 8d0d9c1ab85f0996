// SPDX-License-Identifier: MIT
#include "sessionargs.h"

#include "outputfile.h"

#include "document/sessionfile.h"
#include "scenario/options.h"

#include <ostream>
#include <stdexcept>

namespace maskscope::cli {

namespace {

const OptionGroup kSessionOptions{"Session files (.maskscope, as the window's File > Save writes them):"};

using Value = const std::string&;
using Name = const std::string&;
constexpr unsigned kSubcommands = ForDump | ForBench | ForExport;

const OptionTable<SessionArgs>& sessionOptionTable()
{
    static const OptionTable<SessionArgs> table({
        {"--session", "--session FILE",
         "the parameters and view of a session file, as if its options stood\n"
         "here: options after it override them (the window: opens the file)",
         &kSessionOptions, kSubcommands | ForWindow, OptionArity::Value,
         [](SessionArgs& s, Value v, Name) {
             const ui::Session session = ui::readSessionFile(QString::fromStdString(v));
             const std::vector<std::string> options = scenarioOptionArgs(session.config);
             s.args.insert(s.args.end(), options.begin(), options.end());
             s.view = session.view;
         }},
        {"--save-session", "--save-session FILE",
         "write the parameters and view in effect after every option as a\n"
         "session file (paths absolute), then run as usual",
         &kSessionOptions, kSubcommands, OptionArity::Value,
         [](SessionArgs& s, Value v, Name o) {
             if (v.empty())
                 throw InputError(o + " needs a file name");
             s.saveTo = v;
         }},
    });
    return table;
}

} // namespace

SessionArgs expandSessionArgs(const std::vector<std::string>& args)
{
    SessionArgs session;
    sessionOptionTable().parse(args, kSubcommands, session,
                               [&session](const std::string& arg) { session.args.push_back(arg); });
    return session;
}

void saveSessionIfAsked(const SessionArgs& session, const ScenarioConfig& config, const ui::FigureRequest& view)
{
    if (session.saveTo.empty())
        return;
    const QByteArray text = ui::sessionJson(ui::Session{config, view});
    try {
        writeOutputFile(session.saveTo, [&text](std::ostream& out) { out.write(text.constData(), text.size()); });
    } catch (const InputError& e) {
        throw std::runtime_error(e.what()); // e.g. a folder in the way: a failed write all the same
    }
}

std::string headName(const ui::FigureRequest& view)
{
    switch (view.figureHead()) {
    case ui::kAllHeads: return "all";
    case ui::kMeanHead: return "mean";
    default: return std::to_string(view.figureHead());
    }
}

std::string sessionOptionsHelp(unsigned command)
{
    return sessionOptionTable().help(command);
}

std::vector<OptionSummary> sessionOptionSummaries()
{
    return sessionOptionTable().summaries();
}

} // namespace maskscope::cli
