// SPDX-License-Identifier: MIT
#include "window/exportdialog.h"

#include "figure/pitfallfigure.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QVBoxLayout>
#include <QtConcurrentRun>

#include <exception>
#include <new>

namespace maskscope::ui {

namespace {

// The file chosen last in this session: exporting several figures goes to the same folder.
QString& lastPath()
{
    static QString path = [] {
        // Pictures may not exist (servers, fresh accounts); a default that fails would confuse.
        const QString pictures = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
        const QDir dir(QDir(pictures).exists() ? pictures : QDir::homePath());
        return dir.filePath(QStringLiteral("maskscope-figure.png"));
    }();
    return path;
}

// Requests that differ only in what the figure does not show (the matrix remembered under the
// pipeline, say) share one computed figure.
std::tuple<int, int, bool> figureKey(const FigureRequest& r)
{
    return {static_cast<int>(r.figureView()), r.figureHead(), r.compareFixed};
}

// What a worker hands back: exceptions must not cross threads through QFuture unannounced.
struct FigureOutcome {
    std::shared_ptr<const Scenario> scenario;
    Figure figure;
    QString error;
};

FigureOutcome computeOutcome(std::shared_ptr<const Scenario> scenario, const ScenarioConfig& config,
                             const FigureRequest& request)
{
    FigureOutcome out;
    try {
        if (!scenario)
            scenario = std::make_shared<const Scenario>(buildScenario(config));
        out.scenario = scenario;
        out.figure = computeFigure(*scenario, request);
    } catch (const std::bad_alloc&) {
        out.error = QObject::tr("Out of memory while computing the figure.");
    } catch (const std::exception& e) {
        out.error = QString::fromStdString(e.what());
    }
    return out;
}

bool showsFigure(const TraceResultPtr& r) { return r && r->ok() && !r->figure.panels.empty(); }

} // namespace

ExportDialog::ExportDialog(const ExportSource& source, QWidget* parent)
    : QDialog(parent), source_(source)
{
    setWindowTitle(tr("Export figure"));
    // A figure reduced to the screen's resolution is computed again at full resolution.
    if (showsFigure(source_.shown) && !hasReducedPanels(source_.shown->figure)) {
        scenario_ = source_.shown->scenario;
        source_.view = source_.shown->view; // clamped to the scenario's sizes
    }
    buildLayout();
    connectInputs();
    updateFormat();
    updateTitlePlaceholder();
}

ExportDialog::~ExportDialog() = default;

QWidget* ExportDialog::buildWhatRow()
{
    what_ = new QComboBox;
    what_->setObjectName(QStringLiteral("what"));
    what_->addItem(tr("The current view"));
    what_->addItem(tr("All heads as a grid"));
    what_->addItem(tr("Mean over heads"));
    what_->addItem(tr("Pipeline of the current head (mask → logits → masked logits → weights)"));
    return what_;
}

QWidget* ExportDialog::buildSizeRow()
{
    auto* row = new QWidget;
    auto* box = new QHBoxLayout(row);
    box->setContentsMargins(0, 0, 0, 0);
    byDpi_ = new QRadioButton(tr("DPI"));
    byDpi_->setObjectName(QStringLiteral("byDpi"));
    byDpi_->setChecked(true);
    dpi_ = new QSpinBox;
    dpi_->setObjectName(QStringLiteral("dpi"));
    dpi_->setRange(10, 2400);
    dpi_->setValue(static_cast<int>(ExportOptions::kDefaultDpi));
    byPixels_ = new QRadioButton(tr("Pixels"));
    byPixels_->setObjectName(QStringLiteral("byPixels"));
    width_ = new QSpinBox;
    height_ = new QSpinBox;
    width_->setObjectName(QStringLiteral("width"));
    height_->setObjectName(QStringLiteral("height"));
    for (QSpinBox* s : {width_, height_}) {
        // 0 = from the figure's own size; one side alone keeps the aspect ratio.
        s->setRange(0, kMaxImageSide);
        s->setSpecialValueText(tr("auto"));
        s->setEnabled(false);
    }
    box->addWidget(byDpi_);
    box->addWidget(dpi_);
    box->addSpacing(16);
    box->addWidget(byPixels_);
    box->addWidget(width_);
    box->addWidget(new QLabel(QStringLiteral("×")));
    box->addWidget(height_);
    box->addStretch();
    return row;
}

QWidget* ExportDialog::buildPathRow()
{
    auto* row = new QWidget;
    auto* box = new QHBoxLayout(row);
    box->setContentsMargins(0, 0, 0, 0);
    path_ = new QLineEdit(lastPath());
    path_->setObjectName(QStringLiteral("path"));
    path_->setToolTip(tr("The extension chooses the format: .png, .svg or .pdf"));
    path_->setMinimumWidth(fontMetrics().averageCharWidth() * 48);
    auto* browse = new QPushButton(tr("Browse…"));
    browse->setAutoDefault(false); // Return in the path field exports, it does not browse
    connect(browse, &QPushButton::clicked, this, &ExportDialog::browse);
    format_ = new QLabel;
    format_->setObjectName(QStringLiteral("format"));
    format_->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("unknown")) + 8);
    box->addWidget(path_, 1);
    box->addWidget(format_);
    box->addWidget(browse);
    return row;
}

void ExportDialog::buildButtons()
{
    buttons_ = new QDialogButtonBox(QDialogButtonBox::Cancel);
    export_ = buttons_->addButton(tr("Export"), QDialogButtonBox::AcceptRole);
    copy_ = buttons_->addButton(tr("Copy to clipboard"), QDialogButtonBox::ActionRole);
    export_->setObjectName(QStringLiteral("export"));
    copy_->setObjectName(QStringLiteral("copy"));
    copy_->setAutoDefault(false);
    export_->setDefault(true);
    // Only a successful export or copy closes the dialog (accepted() is left unconnected): it
    // may fail, or wait for a worker first.
    connect(export_, &QPushButton::clicked, this, &ExportDialog::exportToFile);
    connect(copy_, &QPushButton::clicked, this, &ExportDialog::copyToClipboard);
    connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

void ExportDialog::buildLayout()
{
    auto* form = new QFormLayout;
    form->addRow(tr("Figure:"), buildWhatRow());
    title_ = new QLineEdit;
    title_->setObjectName(QStringLiteral("title"));
    title_->setClearButtonEnabled(true);
    form->addRow(tr("Title:"), title_);
    theme_ = new QComboBox;
    theme_->setObjectName(QStringLiteral("theme"));
    theme_->addItems({tr("Light"), tr("Dark")});
    theme_->setCurrentIndex(source_.style.theme == Theme::Dark ? 1 : 0);
    form->addRow(tr("Theme:"), theme_);
    form->addRow(tr("Size:"), buildSizeRow());
    numbers_ = new QCheckBox(tr("Numbers inside cells"));
    numbers_->setObjectName(QStringLiteral("numbers"));
    numbers_->setChecked(source_.style.numbers);
    colorBar_ = new QCheckBox(tr("Colour bar"));
    colorBar_->setObjectName(QStringLiteral("colorBar"));
    colorBar_->setChecked(source_.style.colorBar);
    blocks_ = new QCheckBox(tr("Block-sparsity tiles"));
    blocks_->setObjectName(QStringLiteral("blockOverlay"));
    blocks_->setChecked(source_.style.blockOverlay);
    form->addRow(QString(), numbers_);
    form->addRow(QString(), colorBar_);
    beforeAfter_ = new QCheckBox(tr("Before / after: the mistake next to the fixed code"));
    beforeAfter_->setObjectName(QStringLiteral("beforeAfter"));
    beforeAfter_->setEnabled(hasFixableMistake(source_.config));
    beforeAfter_->setChecked(beforeAfter_->isEnabled() && source_.view.compareFixed);
    if (!beforeAfter_->isEnabled())
        beforeAfter_->setToolTip(tr("Switch a mistake on in the pitfall lab to compare it with the fixed code"));
    form->addRow(QString(), beforeAfter_);
    form->addRow(QString(), blocks_);
    form->addRow(tr("File:"), buildPathRow());

    error_ = new QLabel;
    error_->setObjectName(QStringLiteral("error"));
    error_->setStyleSheet(QStringLiteral("color: #c62828;"));
    error_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    busyBar_ = new QProgressBar;
    busyBar_->setRange(0, 0); // indeterminate: the engine reports no progress here
    busyBar_->setFormat(tr("Computing the figure…"));
    busyBar_->setTextVisible(true);
    busyBar_->hide();
    buildButtons();

    auto* outer = new QVBoxLayout(this);
    outer->addLayout(form);
    outer->addWidget(error_);
    outer->addWidget(busyBar_);
    outer->addWidget(buttons_);
    outer->setSizeConstraint(QLayout::SetFixedSize); // the busy bar comes and goes
}

void ExportDialog::connectInputs()
{
    connect(byPixels_, &QRadioButton::toggled, this, [this](bool pixels) {
        width_->setEnabled(pixels);
        height_->setEnabled(pixels);
        dpi_->setEnabled(!pixels);
    });
    connect(path_, &QLineEdit::textChanged, this, &ExportDialog::updateFormat);
    connect(what_, &QComboBox::currentIndexChanged, this, &ExportDialog::updateTitlePlaceholder);
    connect(beforeAfter_, &QCheckBox::toggled, this, &ExportDialog::updateTitlePlaceholder);
    for (QLineEdit* e : {path_, title_})
        connect(e, &QLineEdit::textChanged, this, [this] { showError({}); });

    // Numbers are legible only in small matrices; every panel of a figure has the same size.
    const bool fromShown = showsFigure(source_.shown);
    const int rows = fromShown ? source_.shown->figure.panels.front().rows : source_.config.effectiveQueryLen();
    const int cols = fromShown ? source_.shown->figure.panels.front().cols : source_.config.effectiveSeqLen();
    const bool small = rows <= kNumbersMaxSide && cols <= kNumbersMaxSide;
    numbers_->setEnabled(small);
    if (!small)
        numbers_->setToolTip(tr("Offered for matrices up to %1 × %1").arg(kNumbersMaxSide));
}

ExportDialog::What ExportDialog::what() const { return static_cast<What>(what_->currentIndex()); }

FigureRequest ExportDialog::requestFor(What what) const
{
    FigureRequest r = source_.view;
    if (what == What::AllHeads)
        r.layout = Layout::AllHeads;
    else if (what == What::MeanHead)
        r.layout = Layout::MeanHead;
    else if (what == What::Pipeline)
        r.layout = Layout::Pipeline;
    r.compareFixed = beforeAfter_->isChecked();
    return r;
}

ExportOptions ExportDialog::options() const
{
    ExportOptions o;
    if (byPixels_->isChecked()) {
        o.width = width_->value();
        o.height = height_->value();
    } else {
        o.dpi = dpi_->value();
    }
    return o;
}

FigureStyle ExportDialog::style() const
{
    FigureStyle s = source_.style; // legend, fonts, labels as the window has them
    s.theme = theme_->currentIndex() == 1 ? Theme::Dark : Theme::Light;
    s.numbers = numbers_->isEnabled() && numbers_->isChecked();
    s.colorBar = colorBar_->isChecked();
    s.blockOverlay = blocks_->isChecked();
    return s;
}

Figure ExportDialog::titled(Figure figure) const
{
    const QString title = title_->text().trimmed();
    if (!title.isEmpty())
        figure.title = title;
    return figure;
}

const Figure* ExportDialog::knownFigure(const FigureRequest& request) const
{
    // A figure reduced to the screen's resolution is computed again at full resolution.
    if (showsFigure(source_.shown) && !hasReducedPanels(source_.shown->figure)) {
        const FigureRequest& v = source_.shown->view;
        if (v.sameFigureAs(request))
            return &source_.shown->figure;
    }
    const auto it = computed_.find(figureKey(request));
    return it == computed_.end() ? nullptr : &it->second;
}

bool ExportDialog::needsWorker(const FigureRequest& request) const
{
    if (scenario_)
        return figureWorkCells(*scenario_, request) > kSyncCellLimit;
    // Without a scenario the inputs are generated or loaded too; loaded files decide the sizes.
    if (!source_.config.loadDir.empty())
        return true;
    const ScenarioConfig& c = source_.config;
    const long long cells = static_cast<long long>(c.effectiveQueryLen()) * c.effectiveSeqLen();
    return cells * (request.everyHead() ? c.heads : 1) * (request.compareFixed ? 2 : 1) > kSyncCellLimit;
}

void ExportDialog::withFigure(const FigureUse& use)
{
    const FigureRequest request = requestFor(what());
    if (const Figure* known = knownFigure(request)) {
        use(titled(*known));
        return;
    }
    if (needsWorker(request)) {
        computeOnWorker(request, use);
        return;
    }
    FigureOutcome out = computeOutcome(scenario_, source_.config, request);
    if (!out.error.isEmpty())
        return showError(out.error);
    scenario_ = out.scenario;
    acceptFigure(request, std::move(out.figure));
    use(titled(*knownFigure(request)));
}

void ExportDialog::computeOnWorker(const FigureRequest& request, const FigureUse& use)
{
    setBusy(true);
    // A child of the dialog: closing the dialog drops the result instead of using a dead `this`.
    auto* watcher = new QFutureWatcher<FigureOutcome>(this);
    connect(watcher, &QFutureWatcher<FigureOutcome>::finished, this, [this, watcher, request, use] {
        FigureOutcome out = watcher->result();
        watcher->deleteLater();
        setBusy(false);
        if (!out.error.isEmpty())
            return showError(out.error);
        scenario_ = out.scenario;
        acceptFigure(request, std::move(out.figure));
        use(titled(*knownFigure(request)));
    });
    watcher->setFuture(QtConcurrent::run(computeOutcome, scenario_, source_.config, request));
}

void ExportDialog::acceptFigure(const FigureRequest& request, Figure figure)
{
    computed_[figureKey(request)] = std::move(figure);
    updateTitlePlaceholder();
}

void ExportDialog::exportToFile()
{
    const QString path = path_->text().trimmed();
    // Checked before any computing: a typo in the name should not cost a long wait.
    if (const ExportResult checked = checkExportPath(path); !checked.ok())
        return showError(checked.error);
    withFigure([this, path](const Figure& figure) {
        const ExportResult done = exportFigure(figure, style(), path, options());
        if (!done.ok())
            return showError(done.error);
        lastPath() = path;
        emit exported(path);
        accept();
    });
}

void ExportDialog::copyToClipboard()
{
    withFigure([this](const Figure& figure) {
        if (const QString error = exportSizeError(figure, style(), options(), ExportFormat::Png); !error.isEmpty())
            return showError(error);
        copyFigureToClipboard(figure, style(), options());
        emit copied();
        accept();
    });
}

void ExportDialog::browse()
{
    const QString chosen = QFileDialog::getSaveFileName(
        this, tr("Export figure"), path_->text(),
        tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"));
    if (!chosen.isEmpty())
        path_->setText(chosen);
}

void ExportDialog::updateFormat()
{
    const std::optional<ExportFormat> format = exportFormatForPath(path_->text().trimmed());
    static const char* names[] = {"PNG", "SVG", "PDF"};
    format_->setText(format ? QString::fromLatin1(names[static_cast<int>(*format)]) : tr("unknown"));
    // A density means something only for pixels; SVG and PDF take their size in 1/96 inch.
    const bool png = format == ExportFormat::Png;
    byDpi_->setEnabled(png || !format);
    if (format && !png && byDpi_->isChecked()) {
        byPixels_->setChecked(true);
        dpiSetAside_ = true;
    } else if (png && dpiSetAside_) {
        // Back to PNG: the density the user had chosen applies again.
        byDpi_->setChecked(true);
        dpiSetAside_ = false;
    }
}

void ExportDialog::updateTitlePlaceholder()
{
    const Figure* known = knownFigure(requestFor(what()));
    title_->setPlaceholderText(known ? known->title : tr("default: the figure's own title"));
}

void ExportDialog::showError(const QString& error)
{
    // One line: the label must not grow the dialog; the whole text stays in the tooltip.
    const QString line = error.section(QLatin1Char('\n'), 0, 0);
    error_->setText(line);
    error_->setToolTip(error);
}

QString ExportDialog::errorText() const { return error_->text(); }

void ExportDialog::setBusy(bool busy)
{
    busy_ = busy;
    busyBar_->setVisible(busy);
    for (QWidget* w : std::initializer_list<QWidget*>{what_, title_, theme_, export_, copy_, path_})
        w->setEnabled(!busy);
}

} // namespace maskscope::ui
