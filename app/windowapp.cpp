// SPDX-License-Identifier: MIT
#include "windowapp.h"
#include "cli.h"
#include "memorypolicy.h"

#include "figure/language.h"
#include "window/mainwindow.h"
#include "window/startsession.h"
#include "document/maskdocument.h"
#include "document/sessionfile.h"
#include "document/tracejob.h"
#include "window/sessionactions.h"
#include "scenario/optiontable.h"

#include <QApplication>

#include <algorithm>
#include <optional>

#include <cstdlib>
#include <iostream>

namespace maskscope::ui {

namespace {

constexpr int kBadInput = cli::BadInput;
constexpr int kFailure = cli::Failure;

// Our options have two dashes; Qt's own (-platform, -style, ...) one, and QApplication takes
// those out of argv. So: anything else left over is a mistake.
ScenarioConfig parseWindowOptions(const std::vector<std::string>& args, bool qtHasRun)
{
    std::vector<std::string> unknown;
    ScenarioConfig config = parseScenarioOptions(args, unknown);
    for (const std::string& arg : unknown)
        if (qtHasRun || arg.rfind("--", 0) == 0)
            throw InputError("unknown option '" + arg + "' (see maskscope --help)");
    return config;
}

// `maskscope FILE.maskscope` or `maskscope --session FILE`: the session file among the
// arguments, taken out of `args`. Throws InputError when --session has no file name.
std::optional<QString> takeSessionFile(std::vector<std::string>& args)
{
    for (auto at = args.begin(); at != args.end(); ++at) {
        const SplitOptionArg option = splitOptionArg(*at);
        if (option.name != "--session")
            continue;
        const bool valueFollows = !option.value && std::next(at) != args.end();
        const std::string file = option.value ? *option.value : valueFollows ? *std::next(at) : std::string();
        if (file.empty())
            throw InputError("--session needs a value");
        args.erase(at, valueFollows ? at + 2 : at + 1);
        return QString::fromStdString(file);
    }
    const auto isSession = [](const std::string& arg) {
        return arg.rfind('-', 0) != 0 && QString::fromStdString(arg).endsWith(QLatin1Char('.') + QLatin1String(kSessionSuffix));
    };
    const auto at = std::find_if(args.begin(), args.end(), isSession);
    if (at == args.end())
        return std::nullopt;
    const QString path = QString::fromStdString(*at);
    args.erase(at);
    return path;
}

// The window's start with a session file: its options first, those given beside it after them.
ScenarioConfig sessionConfig(const Session& session, const std::vector<std::string>& args, bool qtHasRun)
{
    std::vector<std::string> all = scenarioOptionArgs(session.config);
    all.insert(all.end(), args.begin(), args.end());
    return parseWindowOptions(all, qtHasRun);
}

bool hasDisplay()
{
    return std::getenv("QT_QPA_PLATFORM") || std::getenv("DISPLAY") || std::getenv("WAYLAND_DISPLAY");
}

int badOption(const InputError& e)
{
    std::cerr << "maskscope: " << e.what() << "\n";
    return kBadInput;
}

// Names used by QSettings (where the last session is kept) and by the desktop environment.
void nameApplication(const char* version)
{
    QApplication::setOrganizationName(QStringLiteral("MaskScope"));
    QApplication::setApplicationName(QStringLiteral("maskscope"));
    QApplication::setApplicationVersion(QString::fromLatin1(version));
    QApplication::setDesktopFileName(QStringLiteral("io.github.maskscope.MaskScope"));
}

} // namespace

int runWindowApp(int argc, char** argv, const char* version)
{
    // Qt takes `-session ID` (and `--session`) for its own session management: the window's
    // session file is taken out before Qt sees the arguments.
    std::vector<std::string> qtArgs(argv, argv + argc);
    std::optional<QString> sessionPath;
    std::optional<Session> session;
    try {
        // Before QApplication: a typo or a broken session must not wait for (or fail on) a display.
        std::vector<std::string> early(argv + 1, argv + argc);
        sessionPath = takeSessionFile(early);
        if (sessionPath)
            session = readSessionFile(*sessionPath);
        parseWindowOptions(early, false);
        qtArgs.resize(1);
        qtArgs.insert(qtArgs.end(), early.begin(), early.end());
    } catch (const InputError& e) {
        return badOption(e);
    }
    if (!hasDisplay()) {
        std::cerr << "maskscope: no display to open the window on (DISPLAY is not set); "
                     "the subcommands dump, bench and export need none\n";
        return kFailure;
    }
    app::keepRecomputeMemory();
    std::vector<char*> qtArgv;
    for (std::string& arg : qtArgs)
        qtArgv.push_back(arg.data());
    qtArgv.push_back(nullptr);
    int qtArgc = static_cast<int>(qtArgs.size());
    QApplication app(qtArgc, qtArgv.data());
    nameApplication(version);
    applyLanguage(savedLanguageChoice());
    const std::vector<std::string> args(qtArgv.data() + 1, qtArgv.data() + qtArgc); // Qt's own options gone
    ScenarioConfig config;
    try {
        config = session ? sessionConfig(*session, args, true) : parseWindowOptions(args, true);
    } catch (const InputError& e) {
        return badOption(e);
    }
    // Saved parameters are checked as the command line checks its options; options given now
    // are the user's fresh choice.
    const StartState start = session ? StartState{session->config, session->view, {}}
                             : args.empty() ? startStateFromSettings([] { return askStartFromDefaults(); })
                                            : StartState{config, MainWindow::savedView(), {}};
    MainWindow window(start.config, start.view);
    if (session) {
        window.sessionActions()->adopt(*sessionPath, *session);
        window.document()->setConfig(config); // the options given beside the file: a change to it
    }
    if (!start.notice.isEmpty())
        window.showStartNotice(start.notice);
    window.show();
    return app.exec();
}

} // namespace maskscope::ui
