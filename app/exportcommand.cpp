#include "exportcommand.h"

#include "cli.h"

#include "figure/figurebuilder.h"
#include "figure/figureexport.h"
#include "figure/figurejob.h"
#include "figure/figurerenderer.h"
#include "figure/language.h"
#include "figure/viewnames.h"
#include "scenario/scenario.h"

#include <QFontMetricsF>
#include <QGuiApplication>

#include <charconv>
#include <future>
#include <iostream>
#include <memory>
#include <optional>

namespace maskscope::cli {

namespace {

struct ExportCommand {
    ui::ViewKind view = ui::ViewKind::Weights;
    std::string head = "0";   // resolved once the number of heads is known
    std::string out;
    std::optional<std::string> title;
    int batchItem = 0;
    bool beforeAfter = false; // the pitfall lab: the mistake next to the fixed code
    ui::ExportOptions size;
    ui::FigureStyle style;
    ui::LanguageChoice language = ui::LanguageChoice::English; // of the figure's texts
};

ui::ViewKind parseView(const std::string& text)
{
    if (const std::optional<ui::ViewKind> v = ui::viewKindFromName(text))
        return *v;
    throw InputError("--view expects mask, logits, masked-logits, weights or pipeline, got '" + text + "'");
}

ui::Theme parseTheme(const std::string& text)
{
    if (text == "light")
        return ui::Theme::Light;
    if (text == "dark")
        return ui::Theme::Dark;
    throw InputError("--theme expects light or dark, got '" + text + "'");
}

ui::LanguageChoice parseLanguage(const std::string& text)
{
    if (text == "en")
        return ui::LanguageChoice::English;
    if (text == "zh_CN" || text == "zh")
        return ui::LanguageChoice::Chinese;
    throw InputError("--lang expects en or zh_CN, got '" + text + "'");
}

bool applyFlag(ExportCommand& c, const std::string& name)
{
    if (name == "--numbers") c.style.numbers = true;
    else if (name == "--no-colorbar") c.style.colorBar = false;
    else if (name == "--no-legend") c.style.legend = false;
    else if (name == "--before-after") c.beforeAfter = true;
    else if (name == "--block-overlay") c.style.blockOverlay = true;
    else return false;
    return true;
}

void applyValue(ExportCommand& c, const std::string& name, const std::string& v)
{
    if (name == "--view") c.view = parseView(v);
    else if (name == "--head") c.head = v;
    else if (name == "--out") c.out = v;
    else if (name == "--dpi") c.size.dpi = parseWholeNumber(name, v, 10, 2400);
    else if (name == "--width") c.size.width = parseWholeNumber(name, v, 16, ui::kMaxImageSide);
    else if (name == "--height") c.size.height = parseWholeNumber(name, v, 16, ui::kMaxImageSide);
    else if (name == "--title") c.title = v;
    else if (name == "--theme") c.style.theme = parseTheme(v);
    else if (name == "--font-size") c.style.fontPointSize = parseWholeNumber(name, v, 4, 72);
    else if (name == "--batch-item") c.batchItem = parseWholeNumber(name, v, 0, 1 << 20);
    else if (name == "--lang") c.language = parseLanguage(v);
}

bool takesValue(const std::string& name)
{
    static const char* names[] = {"--view", "--head", "--out", "--dpi", "--width", "--height",
                                  "--title", "--theme", "--font-size", "--batch-item", "--lang"};
    for (const char* n : names)
        if (name == n)
            return true;
    return false;
}

// The options left over by the scenario parser; anything unknown is an error.
ExportCommand parseExportOptions(const std::vector<std::string>& rest)
{
    ExportCommand c;
    for (size_t k = 0; k < rest.size(); ++k) {
        std::string name = rest[k];
        std::optional<std::string> value;
        if (const size_t eq = name.find('='); name.rfind("--", 0) == 0 && eq != std::string::npos) {
            value = name.substr(eq + 1);
            name.resize(eq);
        }
        if (!value && applyFlag(c, name))
            continue;
        if (!takesValue(name))
            throw InputError("unknown option '" + rest[k] + "' for 'export' (see maskscope --help)");
        if (!value && k + 1 >= rest.size())
            throw InputError(name + " needs a value");
        applyValue(c, name, value ? *value : rest[++k]);
    }
    if (c.out.empty())
        throw InputError("export needs --out FILE.png, FILE.svg or FILE.pdf");
    return c;
}

QtMessageHandler previousMessageHandler = nullptr;

// Qt warns about an unset XDG_RUNTIME_DIR (as for root in containers), which an export never
// uses; every other message goes through.
void dropIrrelevantWarnings(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    if (message.startsWith(QLatin1String("QStandardPaths: XDG_RUNTIME_DIR")))
        return;
    previousMessageHandler(type, context, message);
}

// Fonts need a QGuiApplication; the offscreen platform gives one without any display, whatever
// the environment says, and export never shows a window.
std::unique_ptr<QGuiApplication> startOffscreenGui()
{
    if (QCoreApplication::instance())
        return nullptr;
    qputenv("QT_QPA_PLATFORM", "offscreen");
    previousMessageHandler = qInstallMessageHandler(dropIrrelevantWarnings);
    static int argc = 1;
    static char name[] = "maskscope";
    static char* argv[] = {name, nullptr};
    return std::make_unique<QGuiApplication>(argc, argv);
}

ui::Figure figureFor(const ScenarioConfig& config, const ExportCommand& c)
{
    const Scenario s = buildScenario(config);
    ui::FigureRequest request;
    request.view = c.view;
    request.head = ui::headFromName(c.head, s.heads());
    request.batchItem = c.batchItem;
    request.compareFixed = c.beforeAfter;
    if (c.title)
        request.title = QString::fromStdString(*c.title);
    return ui::computeFigure(s, request);
}

int exportFigure(const ScenarioConfig& config, const ExportCommand& c)
{
    const QString path = QString::fromStdString(c.out);
    if (const ui::ExportResult checked = ui::checkExportPath(path); !checked.ok())
        throw InputError(checked.error.toStdString());
    // The numbers need no GUI: compute them while Qt starts and loads its fonts. A translated
    // figure needs the application (and its translator) before its texts are made.
    std::unique_ptr<QGuiApplication> gui;
    if (c.language != ui::LanguageChoice::English) {
        gui = startOffscreenGui();
        ui::applyLanguage(c.language);
    }
    auto computing = std::async(std::launch::async, [&] { return figureFor(config, c); });
    if (!gui)
        gui = startOffscreenGui();
    QFontMetricsF(QFont(ui::figureFontFamilies().front())).height();
    const ui::Figure figure = computing.get(); // rethrows the worker's InputError
    const ui::ExportResult written = ui::exportFigure(figure, c.style, path, c.size);
    if (written.badRequest)
        throw InputError(written.error.toStdString());
    if (!written.ok()) {
        std::cerr << "maskscope: " << written.error.toStdString() << "\n";
        return Failure;
    }
    return Ok;
}

} // namespace

int runExport(const std::vector<std::string>& args)
{
    return cli::reportingErrors([&] {
        std::vector<std::string> rest;
        const ScenarioConfig config = parseScenarioOptions(args, rest);
        return exportFigure(config, parseExportOptions(rest));
    });
}

const char* exportOptionsHelp()
{
    static const std::string help = QString::fromLatin1(
           "  --out FILE             .png, .svg or .pdf (required); written whole or not at all\n"
           "  --view V               mask, logits, masked-logits, weights (default) or pipeline\n"
           "  --head H               a head number (default 0), all (a grid) or mean\n"
           "  --batch-item B         which batch item to draw, default 0\n"
           "  --dpi N                PNG pixels per inch, default 150\n"
           "  --width W --height H   output size in pixels (SVG/PDF: 1/96 inch); one keeps the aspect\n"
           "  --title \"text\"         figure title instead of the default\n"
           "  --theme light|dark     default light\n"
           "  --numbers              write values inside cells (matrices up to %1 x %1)\n"
           "  --block-overlay        mark the --block tiles full / partial / empty (block sparsity)\n"
           "  --font-size PT         base font size in points, default 9\n"
           "  --lang en|zh_CN        language of the figure's titles, labels and legend, default en\n"
           "  --no-colorbar, --no-legend\n"
           "  --before-after         the pitfall lab: the figure with the mistakes (--bug, or a fill\n"
           "                         the --dtype cannot hold) next to the fixed code's\n"
           "  SVG and PDF draw each cell as a vector shape up to 128 x 128; larger matrices are one\n"
           "  embedded image, with titles, labels and colour bar still vector.\n")
        .arg(ui::kNumbersMaxSide).toStdString();
    return help.c_str();
}

} // namespace maskscope::cli
