// SPDX-License-Identifier: MIT
#include "window/mainwindow.h"

#include "window/controlpanel.h"
#include "window/darkfigures.h"
#include "window/conventionspanel.h"
#include "window/editactions.h"
#include "window/exportdialog.h"
#include "figure/figureexport.h"
#include "window/heatmapview.h"
#include "window/helpactions.h"
#include "window/inspectorpanel.h"
#include "figure/language.h"
#include "window/languagemenu.h"
#include "window/layersstrip.h"
#include "window/longmaskview.h"
#include "window/maskcellpainter.h"
#include "window/modelgroup.h"
#include "document/maskdocument.h"
#include "figure/viewnames.h"
#include "window/pitfallpanel.h"
#include "document/resources.h"
#include "window/rulespanel.h"
#include "window/sessionactions.h"
#include "window/startsession.h"
#include "window/viewselector.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDockWidget>
#include <QEvent>
#include <QFileDialog>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QScrollArea>
#include <QScrollBar>
#include <QScreen>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QVBoxLayout>

namespace maskscope::ui {

namespace {

const QString kGeometryKey = QStringLiteral("window/geometry");
const QString kStateKey = QStringLiteral("window/state");
const QString kConfigKey = QStringLiteral("scenario/options"); // as command-line options
const QString kViewKey = QStringLiteral("scenario/view");

QString sizesText(const Scenario& s)
{
    const QString lengths = s.mask.selfAttention
                                ? MainWindow::tr("L %1").arg(s.mask.keyLen)
                                : MainWindow::tr("%1 queries \u00D7 %2 keys").arg(s.mask.queryLen).arg(s.mask.keyLen);
    return MainWindow::tr("%1 \u00B7 %2 heads \u00B7 d_k %3 \u00B7 %4")
        .arg(lengths).arg(s.heads()).arg(s.embedDim() / s.heads())
        .arg(QString::fromLatin1(dtypeName(s.dtype())));
}

QDockWidget* makeDock(const QString& name, QWidget* content)
{
    auto* dock = new QDockWidget;
    dock->setObjectName(name);
    dock->setWidget(content);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                      QDockWidget::DockWidgetClosable);
    return dock;
}

} // namespace

MainWindow::MainWindow(const ScenarioConfig& start, const std::optional<FigureRequest>& view,
                       const WindowOptions& options, QWidget* parent)
    : QMainWindow(parent), options_(options)
{
    ensureResources();
    setWindowIcon(QIcon(QStringLiteral(":/icons/maskscope.svg")));
    document_ = new MaskDocument(this);
    document_->setConfig(start);
    if (view)
        document_->setView(*view);
    buildCentral();
    buildDocks();
    buildMenus();
    buildStatusBar();
    connectInspector();
    acceptModelDrops(this, controls_->modelGroup());
    // Room for the docks and a readable heatmap, within the screen (a 1280 x 800 projector).
    const QSize room = screen() ? screen()->availableGeometry().size() : QSize(1400, 860);
    resize(QSize(1400, 860).boundedTo(room));
    if (options_.persistSettings) {
        new ComputingMarker(document_);
        const QSettings settings;
        restoreGeometry(settings.value(kGeometryKey).toByteArray());
        restoreState(settings.value(kStateKey).toByteArray());
    }
}

MainWindow::~MainWindow() = default;

void MainWindow::buildCentral()
{
    auto* central = new QWidget;
    auto* column = new QVBoxLayout(central);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(0);
    selector_ = new ViewSelector(document_);
    heatmap_ = new HeatmapView(document_);
    longView_ = new LongMaskView(document_);
    views_ = new QStackedWidget;
    views_->addWidget(heatmap_);
    views_->addWidget(longView_);
    cellPainter_ = new MaskCellPainter(heatmap_, document_, heatmap_); // goes with its heatmap
    startNotice_ = new QLabel;
    startNotice_->setObjectName(QStringLiteral("startNotice"));
    startNotice_->setWordWrap(true);
    startNotice_->setContentsMargins(8, 4, 8, 4);
    startNotice_->hide();
    connect(document_, &MaskDocument::configChanged, startNotice_, &QWidget::hide);
    column->addWidget(startNotice_);
    column->addWidget(selector_);
    column->addWidget(new LayersStrip(document_));
    column->addWidget(views_, 1);
    setCentralWidget(central);
    showLongContextWhenNeeded();
}

void MainWindow::changeEvent(QEvent* event)
{
    // The panels, menus and docks below receive the event too and translate themselves.
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QMainWindow::changeEvent(event);
}

void MainWindow::retranslateUi()
{
    texts_.retranslate();
    showResultStatus();
    // The figure's labels, the warnings and the inspector's read-outs are made with the result:
    // a new one says them in the new language. (Installing translators sends one event each;
    // the document gathers the requests into one recompute.)
    document_->recompute();
}

void MainWindow::buildDocks()
{
    controls_ = new ControlPanel(document_);
    auto* scroll = new QScrollArea;
    scroll->setWidget(controls_);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // Wide enough for the controls' minimum, plus the vertical scroll bar when it shows.
    scroll->setMinimumWidth(controls_->minimumSizeHint().width() +
                            scroll->verticalScrollBar()->sizeHint().width() + 4);
    QDockWidget* parameters = makeDock(QStringLiteral("parametersDock"), scroll);
    texts_.bind(parameters, &QWidget::setWindowTitle, [] { return tr("Parameters"); });
    addDockWidget(Qt::LeftDockWidgetArea, parameters);
    inspector_ = new InspectorPanel(document_);
    inspector_->setMinimumWidth(260);
    QDockWidget* inspector = makeDock(QStringLiteral("inspectorDock"), inspector_);
    texts_.bind(inspector, &QWidget::setWindowTitle, [] { return tr("Inspector"); });
    addDockWidget(Qt::RightDockWidgetArea, inspector);
    // The pitfall lab shares the left side with the parameters, one tab each.
    pitfallPanel_ = new PitfallPanel(document_);
    auto* labScroll = new QScrollArea;
    labScroll->setWidget(pitfallPanel_);
    labScroll->setWidgetResizable(true);
    labScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    QDockWidget* lab = makeDock(QStringLiteral("pitfallDock"), labScroll);
    texts_.bind(lab, &QWidget::setWindowTitle, [] { return tr("Pitfall lab"); });
    addDockWidget(Qt::LeftDockWidgetArea, lab);
    tabifyDockWidget(parameters, lab);
    parameters->raise();
    // The heatmap gets the room; the docks start at a comfortable reading width.
    resizeDocks({parameters, inspector}, {parameters->minimumSizeHint().width(), 340}, Qt::Horizontal);
    buildRuleDocks(parameters, inspector);
}

// Issue 5: the mask rules beside the parameters, the conventions beside the inspector (as tabs,
// so the heatmap keeps its room).
void MainWindow::buildRuleDocks(QDockWidget* parameters, QDockWidget* inspector)
{
    rules_ = new RulesPanel(document_);
    auto* scroll = new QScrollArea;
    scroll->setWidget(rules_);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setMinimumWidth(rules_->minimumSizeHint().width() + scroll->verticalScrollBar()->sizeHint().width() + 4);
    QDockWidget* rules = makeDock(QStringLiteral("rulesDock"), scroll);
    texts_.bind(rules, &QWidget::setWindowTitle, [] { return tr("Mask rules"); });
    tabifyDockWidget(parameters, rules);
    connect(rules_, &RulesPanel::paintModeChanged, cellPainter_, &MaskCellPainter::setEnabled);
    connect(rules_, &RulesPanel::paintModeChanged, longView_, &LongMaskView::setPaintsCells);
    conventions_ = new ConventionsPanel(document_);
    QDockWidget* conventions = makeDock(QStringLiteral("conventionsDock"), conventions_);
    texts_.bind(conventions, &QWidget::setWindowTitle, [] { return tr("Conventions"); });
    tabifyDockWidget(inspector, conventions);
    // Writing the mask out costs O(B * H * Lq * Lk): only while its tab is the one shown.
    connect(conventions, &QDockWidget::visibilityChanged, conventions_, &ConventionsPanel::setActive);
    parameters->raise();
    inspector->raise();
    connect(document_, &MaskDocument::resultChanged, this, &MainWindow::showLongContextWhenNeeded);
}

void MainWindow::showLongContextWhenNeeded()
{
    const TraceResultPtr r = document_->result();
    views_->setCurrentWidget(r && r->longContext ? static_cast<QWidget*>(longView_) : heatmap_);
}

QMenu* MainWindow::menuNamed(const Text& title)
{
    return texts_.bind(menuBar()->addMenu(QString()), &QMenu::setTitle, title);
}

QAction* MainWindow::actionNamed(QMenu* menu, const Text& text)
{
    return texts_.bind(menu->addAction(QString()), &QAction::setText, text);
}

void MainWindow::buildMenus()
{
    buildFileMenu();
    new EditActions(this);
    buildPresetsMenu();
    QMenu* view = menuNamed([] { return tr("&View"); });
    new DarkFigures(this, actionNamed(view, [] { return tr("&Dark figures"); }), options_.persistSettings,
                    [this](bool on) {
                        changeFigureStyle([on](FigureStyle& s) { s.theme = on ? Theme::Dark : Theme::Light; });
                        longView_->setTheme(on ? Theme::Dark : Theme::Light);
                    });
    addStyleToggle(view, [] { return tr("&Numbers in cells (up to 16 \u00D7 16)"); }, QStringLiteral("figure/numbers"),
                   false, [](FigureStyle& s, bool on) { s.numbers = on; });
    addStyleToggle(view, [] { return tr("&Colour bar"); }, QStringLiteral("figure/colorbar"), true,
                   [](FigureStyle& s, bool on) { s.colorBar = on; });
    addStyleToggle(view, [] { return tr("&Block-sparsity tiles (full / partial / empty)"); },
                   QStringLiteral("figure/blocks"), false, [this](FigureStyle& s, bool on) {
                       s.blockOverlay = on;
                       longView_->setBlockOverlay(on);
                   });
    view->addSeparator();
    for (QDockWidget* dock : findChildren<QDockWidget*>())
        view->addAction(dock->toggleViewAction()); // named after its dock, in the dock's language

    addLanguageMenu(menuBar(), options_.persistSettings);
    new HelpActions(this, view);
}

void MainWindow::buildFileMenu()
{
    QMenu* file = menuNamed([] { return tr("&File"); });
    sessions_ = new SessionActions(this, document_, file); // also the title, closing and dropped files
    connect(actionNamed(file, [] { return tr("&Open inputs folder (.npy)…"); }), &QAction::triggered, this,
            &MainWindow::openInputsFolder);
    file->addSeparator();
    QAction* exportAction = actionNamed(file, [] { return tr("&Export figure…"); });
    texts_.bind([exportAction] { exportAction->setShortcut(QKeySequence(tr("Ctrl+E"))); });
    connect(exportAction, &QAction::triggered, this, &MainWindow::exportShownFigure);
    QAction* copyAction = actionNamed(file, [] { return tr("&Copy figure"); });
    texts_.bind([copyAction] { copyAction->setShortcut(QKeySequence(tr("Ctrl+Shift+C"))); });
    connect(copyAction, &QAction::triggered, this, [this] {
        if (views_->currentWidget() == longView_)
            copyLongContextFigure();
        else if (const TraceResultPtr r = heatmap_->shownResult())
            copyShownFigure(*r);
    });
    file->addSeparator();
    QAction* quit = actionNamed(file, [] { return tr("&Quit"); });
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);
}

void MainWindow::buildPresetsMenu()
{
    QMenu* presets = menuNamed([] { return tr("&Presets"); });
    for (int k = 0; k < controls_->presets().presets().size(); ++k)
        presets->addAction(controls_->presets().presets().at(k).name, this, [this, k] { controls_->applyPreset(k); });
    // The names come with the presets, which the parameters panel reads again in a new language.
    connect(controls_, &ControlPanel::presetsRetranslated, presets, [this, presets] {
        const QList<QAction*> actions = presets->actions();
        for (int k = 0; k < actions.size() && k < controls_->presets().presets().size(); ++k)
            actions[k]->setText(controls_->presets().presets().at(k).name);
    });
}

void MainWindow::buildStatusBar()
{
    warningLabel_ = new QLabel;
    warningLabel_->setObjectName(QStringLiteral("statusWarning"));
    // Long warnings must not widen the window: the label takes the room there is.
    warningLabel_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    timingLabel_ = new QLabel;
    progress_ = new QProgressBar;
    progress_->setRange(0, 100);
    progress_->setMaximumWidth(160);
    texts_.bind(progress_, &QProgressBar::setFormat, [] { return tr("computing %p%"); });
    progress_->hide();
    statusBar()->addWidget(warningLabel_, 1);
    statusBar()->addPermanentWidget(progress_);
    statusBar()->addPermanentWidget(timingLabel_);
    connect(document_, &MaskDocument::resultChanged, this, &MainWindow::showResultStatus);
    connect(document_, &MaskDocument::busyChanged, progress_, &QWidget::setVisible);
    connect(document_, &MaskDocument::progressChanged, progress_, &QProgressBar::setValue);
}

void MainWindow::connectInspector()
{
    connect(heatmap_, &HeatmapView::cellHovered, this, [this](int panel, int row, int col) {
        inspector_->showHover(heatmap_->shownResult(), panel, row, col);
    });
    connect(heatmap_, &HeatmapView::hoverLeft, inspector_, &InspectorPanel::clearHover);
    // The explanation then follows the parameters (the inspector follows the document's
    // results): move a slider and watch its numbers change.
    connect(heatmap_, &HeatmapView::cellClicked, this, [this](int panel, int row, int col) {
        inspector_->explain(heatmap_->shownResult(), panel, row, col);
    });
}

void MainWindow::showResultStatus()
{
    if (!document_->error().isEmpty()) {
        warningLabel_->setText(tr("\u26A0 %1").arg(document_->error()));
        return;
    }
    const TraceResultPtr r = document_->result();
    if (!r)
        return;
    if (r->longContext) {
        warningLabel_->setText(r->longContextNote);
        timingLabel_->setText(tr("mask only · computed in %1 ms").arg(r->computeMs, 0, 'f', 1));
        return;
    }
    warningLabel_->setText(r->warnings.isEmpty()
                               ? tr("Point at a cell to inspect it; click it for the step-by-step explanation.")
                               : tr("\u26A0 %1").arg(r->warnings.join(QStringLiteral(" \u00B7 "))));
    warningLabel_->setToolTip(r->warnings.join(QLatin1Char('\n')));
    timingLabel_->setText(tr("%1 \u00B7 computed in %2 ms").arg(sizesText(*r->scenario)).arg(r->computeMs, 0, 'f', 1));
}

void MainWindow::showStartNotice(const QString& text)
{
    startNotice_->setText(tr("\u26A0 %1").arg(text));
    startNotice_->show();
}

void MainWindow::openInputsFolder()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder of nn.MultiheadAttention .npy inputs"));
    if (dir.isEmpty())
        return;
    useInputsFolder(document_, dir);
}

void MainWindow::copyShownFigure(const TraceResult& shown)
{
    Figure figure = exportableFigure(shown);
    if (heatmap_->shownFigure().panels.size() == figure.panels.size())
        figure.columns = heatmap_->shownFigure().columns;
    copyFigureToClipboard(figure, heatmap_->figureStyle());
}

void MainWindow::exportShownFigure()
{
    if (views_->currentWidget() == longView_) {
        exportLongContextView();
        return;
    }
    // open(), not exec(): window-modal without a nested event loop, so the window keeps working.
    auto* dialog = new ExportDialog({heatmap_->shownResult(), document_->config(), document_->view(),
                                     heatmap_->figureStyle()},
                                    this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ExportDialog::exported, this,
            [this](const QString& path) { statusBar()->showMessage(tr("Exported %1").arg(path), 5000); });
    connect(dialog, &ExportDialog::copied, this,
            [this] { statusBar()->showMessage(tr("Figure copied to the clipboard"), 5000); });
    dialog->open();
}

// At long context the figure is the region on screen, drawn from the rules at the output's
// resolution (as `export --region` draws it), in any of the three formats.
void MainWindow::exportLongContextView()
{
    const std::optional<Figure> figure = longView_->regionFigure();
    if (!figure)
        return;
    QString filter;
    QString path = QFileDialog::getSaveFileName(this, tr("Export the mask view"), QString(),
                                                tr("PNG image (*.png);;SVG image (*.svg);;PDF document (*.pdf)"), &filter);
    if (path.isEmpty())
        return;
    if (!exportFormatForPath(path)) // the type chosen in the dialog, when the name has none
        path += filter.contains(QLatin1String("*.svg")) ? QStringLiteral(".svg")
                : filter.contains(QLatin1String("*.pdf")) ? QStringLiteral(".pdf") : QStringLiteral(".png");
    const ExportResult written = exportFigure(*figure, longContextStyle(), path);
    statusBar()->showMessage(written.ok() ? tr("Exported %1").arg(path) : written.error, 5000);
}

void MainWindow::copyLongContextFigure()
{
    if (const std::optional<Figure> figure = longView_->regionFigure())
        copyFigureToClipboard(*figure, longContextStyle());
}

// The figures' style, with the long view's own block overlay.
FigureStyle MainWindow::longContextStyle() const
{
    FigureStyle style = heatmap_->figureStyle();
    style.blockOverlay = longView_->blockOverlay();
    return style;
}

void MainWindow::addStyleToggle(QMenu* menu, const Text& text, const QString& key, bool initial,
                                const std::function<void(FigureStyle&, bool)>& apply)
{
    QAction* action = actionNamed(menu, text);
    action->setCheckable(true);
    action->setChecked(options_.persistSettings ? QSettings().value(key, initial).toBool() : initial);
    connect(action, &QAction::toggled, this, [this, key, apply](bool on) {
        changeFigureStyle([&](FigureStyle& s) { apply(s, on); });
        if (options_.persistSettings)
            QSettings().setValue(key, on);
    });
    if (action->isChecked() != initial)
        changeFigureStyle([&](FigureStyle& s) { apply(s, action->isChecked()); });
}

void MainWindow::changeFigureStyle(const std::function<void(FigureStyle&)>& change)
{
    FigureStyle style = heatmap_->figureStyle();
    change(style);
    heatmap_->setFigureStyle(style);
}

std::optional<ScenarioConfig> MainWindow::savedConfig()
{
    const QSettings settings;
    if (!settings.contains(kConfigKey))
        return std::nullopt;
    std::vector<std::string> args;
    for (const QString& arg : settings.value(kConfigKey).toStringList())
        args.push_back(arg.toStdString());
    try {
        std::vector<std::string> unknown;
        ScenarioConfig config = parseScenarioOptions(args, unknown);
        return unknown.empty() ? std::optional(config) : std::nullopt;
    } catch (const InputError&) {
        return std::nullopt; // settings of another version: start from the defaults
    }
}

std::optional<FigureRequest> MainWindow::savedView()
{
    const QSettings settings;
    const QByteArray json = settings.value(kViewKey).toByteArray();
    if (json.isEmpty())
        return std::nullopt;
    try {
        return viewFromJson(QJsonDocument::fromJson(json).object());
    } catch (const InputError&) {
        return std::nullopt; // settings of another version: start from the default view
    }
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.setValue(kGeometryKey, saveGeometry());
    settings.setValue(kStateKey, saveState());
    QStringList options;
    for (const std::string& arg : scenarioOptionArgs(document_->config()))
        options << QString::fromStdString(arg);
    settings.setValue(kConfigKey, options);
    settings.setValue(kViewKey, QJsonDocument(viewToJson(document_->view())).toJson(QJsonDocument::Compact));
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (options_.persistSettings)
        saveSettings();
    event->accept();
}

} // namespace maskscope::ui
