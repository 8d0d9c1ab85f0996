#include "windowapp.h"
#include "cli.h"
#include "memorypolicy.h"

#include "figure/language.h"
#include "window/mainwindow.h"
#include "window/startsession.h"
#include "document/tracejob.h"

#include <QApplication>

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
    try {
        // Before QApplication: a typo must not wait for (or fail on) a display.
        parseWindowOptions(std::vector<std::string>(argv + 1, argv + argc), false);
    } catch (const InputError& e) {
        return badOption(e);
    }
    if (!hasDisplay()) {
        std::cerr << "maskscope: no display to open the window on (DISPLAY is not set); "
                     "the subcommands dump, bench and export need none\n";
        return kFailure;
    }
    app::keepRecomputeMemory();
    QApplication app(argc, argv);
    nameApplication(version);
    applyLanguage(savedLanguageChoice());
    const std::vector<std::string> args(argv + 1, argv + argc);
    ScenarioConfig config;
    try {
        config = parseWindowOptions(args, true);
    } catch (const InputError& e) {
        return badOption(e);
    }
    // Saved parameters are checked as the command line checks its options; options given now
    // are the user's fresh choice.
    const StartState start = args.empty() ? startStateFromSettings([] { return askStartFromDefaults(); })
                                          : StartState{config, MainWindow::savedView(), {}};
    MainWindow window(start.config, start.view);
    if (!start.notice.isEmpty())
        window.showStartNotice(start.notice);
    window.show();
    return app.exec();
}

} // namespace maskscope::ui
