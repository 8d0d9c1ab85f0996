// SPDX-License-Identifier: MIT
#include "exportcommand.h"

#include "cli.h"
#include "sessionargs.h"

#include "figure/figurebuilder.h"
#include "figure/figureexport.h"
#include "figure/figurejob.h"
#include "figure/figurerenderer.h"
#include "figure/language.h"
#include "figure/rulesfigure.h"
#include "figure/viewnames.h"
#include "scenario/scenario.h"

#include <QGuiApplication>

#include <charconv>
#include <future>
#include <iostream>
#include <memory>
#include <optional>

namespace maskscope::cli {

namespace {

struct ExportCommand {
    ui::FigureRequest figure; // --view, --batch-item, --before-after (the pitfall lab)
    std::string head;         // as --head or the session gave it; resolved once the heads are known
    std::string out;                        // "-" is standard output
    std::optional<ui::ExportFormat> format; // --format
    std::optional<std::string> title;
    std::optional<ui::CellRegion> region; // --region, checked against the mask's sizes later
    ui::ExportOptions size;
    ui::FigureStyle style;
    ui::LanguageChoice language = ui::LanguageChoice::English; // of the figure's texts
};

// The numbers limit is the figure's (figure.h); the help says the same number.
const std::string kNumbersHelp = "write values inside cells (matrices up to " + std::to_string(ui::kNumbersMaxSide)
                                 + " x " + std::to_string(ui::kNumbersMaxSide) + ")";

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

const std::string kStandardOutput = "-";

ui::ExportFormat parseFormat(const std::string& text)
{
    if (text == "png")
        return ui::ExportFormat::Png;
    if (text == "svg")
        return ui::ExportFormat::Svg;
    if (text == "pdf")
        return ui::ExportFormat::Pdf;
    throw InputError("--format expects png, svg or pdf, got '" + text + "'");
}

const OptionGroup kExportOptions{
    "Export options:",
    "  SVG and PDF draw each cell as a vector shape up to 128 x 128; larger matrices are one\n"
    "  embedded image, with titles, labels and colour bar still vector. Masks of more than\n"
    "  4096 x 4096 cells (and --region parts larger than 1024 on a side) are drawn from the\n"
    "  rules at the output's resolution: any length, no L x L matrix. A pixel over several cells\n"
    "  is hatched only if every one of them is blocked.\n"};

using Value = const std::string&;
using Name = const std::string&;
using Command = ExportCommand;
constexpr OptionArity kFlag = OptionArity::Flag;
constexpr OptionArity kValue = OptionArity::Value;

const OptionTable<ExportCommand>& exportOptionTable()
{
    static const OptionTable<ExportCommand> table({
        {"--out", "--out FILE", ".png, .svg or .pdf (required); written whole or not at all;\n"
         "- writes to standard output (then --format is required)",
         &kExportOptions, ForExport, kValue, [](Command& c, Value v, Name) { c.out = v; }},
        {"--format", "--format png|svg|pdf", "the format of --out -; with a file name, its extension's",
         &kExportOptions, ForExport, kValue, [](Command& c, Value v, Name) { c.format = parseFormat(v); }},
        {"--view", "--view V", "mask, logits, masked-logits, weights (default) or pipeline",
         &kExportOptions, ForExport, kValue, [](Command& c, Value v, Name) { ui::applyViewName(c.figure, v); }},
        {"--head", "--head H", "a head number (default 0), all (a grid; a row per head in the pipeline) or mean",
         &kExportOptions, ForExport, kValue, [](Command& c, Value v, Name) { c.head = v; }},
        {"--region", "--region i0:i1,j0:j1",
         "mask view: only query rows i0..i1-1 and keys j0..j1-1 (zoom down to single cells)",
         &kExportOptions, ForExport, kValue, [](Command& c, Value v, Name) { c.region = ui::parseCellRegion(v); }},
        {"--batch-item", "--batch-item B", "which batch item to draw, default 0",
         &kExportOptions, ForExport, kValue,
         [](Command& c, Value v, Name o) { c.figure.batchItem = parseWholeNumber(o, v, 0, 1 << 20); }},
        {"--dpi", "--dpi N", "PNG pixels per inch, default 150",
         &kExportOptions, ForExport, kValue,
         [](Command& c, Value v, Name o) { c.size.dpi = parseWholeNumber(o, v, 10, 2400); }},
        {"--width", "--width W --height H", "output size in pixels (SVG/PDF: 1/96 inch); one keeps the aspect",
         &kExportOptions, ForExport, kValue,
         [](Command& c, Value v, Name o) { c.size.width = parseWholeNumber(o, v, 16, ui::kMaxImageSide); }},
        {"--height", nullptr, "", &kExportOptions, ForExport, kValue,
         [](Command& c, Value v, Name o) { c.size.height = parseWholeNumber(o, v, 16, ui::kMaxImageSide); }},
        {"--title", "--title \"text\"", "figure title instead of the default",
         &kExportOptions, ForExport, kValue, [](Command& c, Value v, Name) { c.title = v; }},
        {"--theme", "--theme light|dark", "default light",
         &kExportOptions, ForExport, kValue, [](Command& c, Value v, Name) { c.style.theme = parseTheme(v); }},
        {"--numbers", "--numbers", kNumbersHelp.c_str(),
         &kExportOptions, ForExport, kFlag, [](Command& c, Value, Name) { c.style.numbers = true; }},
        {"--block-overlay", "--block-overlay", "mark the --block tiles full / partial / empty (block sparsity)",
         &kExportOptions, ForExport, kFlag, [](Command& c, Value, Name) { c.style.blockOverlay = true; }},
        {"--font-size", "--font-size PT", "base font size in points, default 9",
         &kExportOptions, ForExport, kValue,
         [](Command& c, Value v, Name o) { c.style.fontPointSize = parseWholeNumber(o, v, 4, 72); }},
        {"--lang", "--lang en|zh_CN", "language of the figure's titles, labels and legend, default en",
         &kExportOptions, ForExport, kValue, [](Command& c, Value v, Name) { c.language = parseLanguage(v); }},
        {"--no-colorbar", "--no-colorbar, --no-legend", "",
         &kExportOptions, ForExport, kFlag, [](Command& c, Value, Name) { c.style.colorBar = false; }},
        {"--no-legend", nullptr, "",
         &kExportOptions, ForExport, kFlag, [](Command& c, Value, Name) { c.style.legend = false; }},
        {"--before-after", "--before-after",
         "the pitfall lab: the figure with the mistakes (--bug, or a fill\n"
         "the --dtype cannot hold) next to the fixed code's",
         &kExportOptions, ForExport, kFlag, [](Command& c, Value, Name) { c.figure.compareFixed = true; }},
    });
    return table;
}

// The options left over by the scenario parser; anything unknown is an error. A session's view
// is the figure drawn unless --view, --head, --batch-item or --before-after say otherwise.
ExportCommand parseExportOptions(const std::vector<std::string>& rest, const std::optional<ui::FigureRequest>& session)
{
    ExportCommand c;
    c.figure = session.value_or(ui::FigureRequest{});
    c.head = session ? headName(*session) : "0";
    exportOptionTable().parse(rest, ForExport, c, [](const std::string& arg) {
        throw InputError("unknown option '" + arg + "' for 'export' (see maskscope --help)");
    });
    if (c.out.empty())
        throw InputError("export needs --out FILE.png, FILE.svg or FILE.pdf");
    if (c.out == kStandardOutput && !c.format)
        throw InputError("--out - (standard output) needs --format png, svg or pdf");
    if (c.out != kStandardOutput && c.format && ui::exportFormatForPath(QString::fromStdString(c.out)) != c.format)
        throw InputError("--format does not match the extension of '" + c.out + "'");
    return c;
}

// A bound on heads that accepts any head a checkpoint may have, for a view saved before the
// scenario (and so its number of heads) is known.
constexpr int kAnyHeads = 1 << 20;

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

// What the figure itself holds: a value and a state per cell of each panel.
std::size_t figureBytes(const Scenario& s, const ui::FigureRequest& r)
{
    const std::size_t cells = static_cast<std::size_t>(s.mask.queryLen) * static_cast<std::size_t>(s.mask.keyLen);
    const std::size_t panels = (r.figureView() == ui::ViewKind::Pipeline ? 4 : 1) *
                               (r.figureHead() == ui::kAllHeads ? static_cast<std::size_t>(s.heads()) : 1) *
                               (r.compareFixed ? 2 : 1);
    return cells * panels * (sizeof(double) + 1);
}

// True for the mask view of a single figure (not the pitfall lab's pair): the one --region draws.
bool drawsTheMaskAlone(const ExportCommand& c)
{
    const bool mask = c.figure.figureView() == ui::ViewKind::Mask && !c.figure.compareFixed;
    if (c.region && !mask)
        throw InputError("--region draws only the mask: add --view mask (without --before-after)");
    return mask;
}

// The mask of a region, or of more cells than a matrix figure holds, drawn from its rules.
ui::Figure rulesFigureFor(const Scenario& s, const ExportCommand& c)
{
    ui::FigureRequest request = c.figure;
    ui::applyHeadName(request, c.head, s.heads());
    return ui::buildRulesMaskFigure(s, request.batchItem, c.region.value_or(ui::wholeMatrix(s.mask)),
                                    c.title ? QString::fromStdString(*c.title) : QString());
}

ui::Figure figureFor(const ScenarioConfig& config, const ExportCommand& c)
{
    const bool maskAlone = drawsTheMaskAlone(c);
    // A synthetic long mask needs no inputs at all: never generate 131072 embeddings for it.
    const long long cells = static_cast<long long>(config.effectiveQueryLen()) * config.effectiveSeqLen();
    const bool synthetic = config.loadDir.empty() && !config.usesModel(); // else the files say the sizes
    if (maskAlone && synthetic && (c.region || cells > ui::kMaxMatrixFigureCells))
        return rulesFigureFor(buildMaskOnlyScenario(config), c);
    const Scenario s = buildScenario(config);
    if (maskAlone && (c.region || ui::maskFigureNeedsRules(s)))
        return rulesFigureFor(s, c);
    ui::FigureRequest request = c.figure;
    ui::applyHeadName(request, c.head, s.heads());
    // Every view, the mask's too (which computes no attention), is refused before it allocates.
    checkTraceFits(s, ui::figureTraceRequest(request.figureView(), request.figureHead(), request.batchItem),
                   figureBytes(s, request));
    return ui::computeFigure(s, request, c.title ? QString::fromStdString(*c.title) : QString());
}

// Writes the figure where --out says: a file (whole or not at all) or standard output, whose
// write errors the command's StandardOutput reports (cli.cpp reportingErrors).
ui::ExportResult writeFigure(const ui::Figure& figure, const ExportCommand& c)
{
    if (c.out != kStandardOutput)
        return ui::exportCheckedFigure(figure, c.style, QString::fromStdString(c.out), c.size);
    QByteArray bytes;
    const ui::ExportResult rendered = ui::renderFigureBytes(figure, c.style, *c.format, c.size,
                                                            QStringLiteral("standard output"), bytes);
    if (rendered.ok())
        std::cout.write(bytes.constData(), bytes.size());
    return rendered;
}

int exportFigure(const ScenarioConfig& config, const ExportCommand& c)
{
    const QString path = QString::fromStdString(c.out);
    if (c.out != kStandardOutput)
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
    ui::prepareFigureFonts(c.style);
    const ui::Figure figure = computing.get(); // rethrows the worker's InputError
    const ui::ExportResult written = writeFigure(figure, c);
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
        const SessionArgs session = expandSessionArgs(args);
        std::vector<std::string> rest;
        const ScenarioConfig config = parseScenarioOptions(session.args, rest);
        const ExportCommand command = parseExportOptions(rest, session.view);
        if (!session.saveTo.empty()) {
            ui::FigureRequest shown = command.figure;
            ui::applyHeadName(shown, command.head, kAnyHeads); // the heads are checked once known
            saveSessionIfAsked(session, config, shown);
        }
        return exportFigure(config, command);
    });
}

std::string exportOptionsHelp()
{
    return exportOptionTable().help(ForExport);
}

std::vector<OptionSummary> exportOptionSummaries()
{
    return exportOptionTable().summaries();
}

} // namespace maskscope::cli
