// SPDX-License-Identifier: MIT
#include "window/modelgroup.h"

#include "document/maskdocument.h"
#include "window/hintlabel.h"
#include "window/recentmodels.h"
#include "scenario/scenario.h"

#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

namespace maskscope::ui {

namespace {

const QString kLastFolderKey = QStringLiteral("model/lastFolder");
const char* const kSavedToolTip = "maskscopeSyntheticToolTip";
const char* const kDefaultText = "Once upon a time"; // stories260K's own opening

// The sentences of the edit: one per non-empty line.
std::vector<std::string> sentencesOf(const QString& text)
{
    std::vector<std::string> texts;
    for (const QString& line : text.split(QLatin1Char('\n')))
        if (!line.trimmed().isEmpty())
            texts.push_back(line.toStdString());
    return texts;
}

QString joinedSentences(const std::vector<std::string>& texts)
{
    QStringList lines;
    for (const std::string& t : texts)
        lines << QString::fromStdString(t);
    return lines.join(QLatin1Char('\n'));
}

// The model of `r` when it ran the checkpoint the config names (not the one before it).
const ModelInfo* currentModel(const MaskDocument& document)
{
    const TraceResultPtr r = document.result();
    if (!r || !r->scenario || !r->scenario->model || r->scenario->config.modelPath != document.config().modelPath)
        return nullptr;
    return r->scenario->model.get();
}

QString describeModel(const QString& name, const ModelConfig& m)
{
    const QString heads = m.kvHeads == m.heads
                              ? ModelGroup::tr("%n head(s)", nullptr, m.heads)
                              : ModelGroup::tr("%1 heads sharing %2 K/V heads").arg(m.heads).arg(m.kvHeads);
    return ModelGroup::tr("%1: %2 \u00B7 %3 layers \u00B7 %4 \u00B7 d_model %5")
        .arg(name, QString::fromLatin1(architectureName(m.architecture)))
        .arg(m.layers)
        .arg(heads)
        .arg(m.dModel);
}

// A model directory stands for itself; the files that identify one stand for their directory.
QString checkpointOf(const QString& path)
{
    const QFileInfo info(path);
    if (info.fileName() == QLatin1String("config.json") || info.suffix() == QLatin1String("safetensors") ||
        info.fileName() == QLatin1String("model.safetensors.index.json"))
        return info.absolutePath();
    return path;
}

// How a recent model is named in the menu: its folder and file (a directory: its name) and the
// tokenizer's file; '&' doubled so that the menu shows it rather than a shortcut.
QString recentEntryText(const RecentModel& entry)
{
    const QFileInfo model(entry.model);
    const QString name = model.isDir() ? model.fileName() : model.dir().dirName() + QLatin1Char('/') + model.fileName();
    QString text = QStringLiteral("%1 \u00B7 %2").arg(name, QFileInfo(entry.tokenizer).fileName());
    if (!missingFileOf(entry).isEmpty())
        text = ModelGroup::tr("%1 (not found)").arg(text);
    return text.replace(QLatin1Char('&'), QStringLiteral("&&"));
}

QString recentEntryToolTip(const RecentModel& entry)
{
    const QString missing = missingFileOf(entry);
    if (!missing.isEmpty())
        return ModelGroup::tr("Not found: %1").arg(QDir::toNativeSeparators(missing));
    return ModelGroup::tr("Checkpoint: %1\nTokenizer: %2")
        .arg(QDir::toNativeSeparators(entry.model), QDir::toNativeSeparators(entry.tokenizer));
}

bool showsModel(const MaskDocument& document)
{
    const TraceResultPtr r = document.result();
    return document.config().usesModel() || (r && r->scenario && r->scenario->model);
}

} // namespace

QString decidedByModelText()
{
    return ModelGroup::tr("The model and its sentences decide this; choose \u201CUse synthetic inputs\u201D to "
                          "set it by hand.");
}

void setDecidedByModel(QWidget* control, bool decided)
{
    if (decided) {
        if (!control->property(kSavedToolTip).isValid())
            control->setProperty(kSavedToolTip, control->toolTip());
        control->setToolTip(decidedByModelText());
        control->setEnabled(false);
        return;
    }
    restoreToolTip(control);
}

void restoreToolTip(QWidget* control)
{
    const QVariant saved = control->property(kSavedToolTip);
    if (!saved.isValid())
        return;
    control->setToolTip(saved.toString());
    control->setProperty(kSavedToolTip, QVariant());
}

ModelGroup::ModelGroup(MaskDocument* document, QWidget* parent) : QGroupBox(parent), document_(document)
{
    setObjectName(QStringLiteral("modelGroup"));
    texts_.bind(this, &QGroupBox::setTitle, [] { return tr("Real model"); });
    auto* form = new QFormLayout(this);
    form->addRow(makeOpenRow());
    description_ = hintLabel();
    description_->setObjectName(QStringLiteral("modelDescription"));
    form->addRow(description_);
    form->addRow(makeProgressRow());
    cancelNote_ = hintLabel();
    cancelNote_->setObjectName(QStringLiteral("modelCancelNote"));
    cancelNote_->hide();
    form->addRow(cancelNote_);

    sentences_ = new QPlainTextEdit;
    sentences_->setObjectName(QStringLiteral("sentencesEdit"));
    sentences_->setTabChangesFocus(true);
    sentences_->setMaximumHeight(sentences_->fontMetrics().lineSpacing() * 5);
    texts_.bind(sentences_, &QWidget::setToolTip, [] {
        return tr("One sentence per line, each a batch item; shorter ones are padded on the side set below");
    });
    // Each keystroke is an edit; the document gathers a burst of them into one recompute.
    connect(sentences_, &QPlainTextEdit::textChanged, this, [this] {
        if (syncing_)
            return;
        const std::vector<std::string> texts = sentencesOf(sentences_->toPlainText());
        document_->editConfig([texts](ScenarioConfig& c) { c.texts = texts; });
    });
    QLabel* sentencesTitle = texts_.addRow(form, [] { return tr("Sentences"); }, sentences_);

    layerSpin_ = new QSpinBox;
    layerSpin_->setObjectName(QStringLiteral("layerSpin"));
    layerSpin_->setKeyboardTracking(false);
    texts_.bind(layerSpin_, &QWidget::setToolTip,
                [] { return tr("The layer whose attention is shown; 0 is the first, the default the last"); });
    connect(layerSpin_, &QSpinBox::valueChanged, this, [this](int layer) {
        if (!syncing_)
            document_->editConfig([layer](ScenarioConfig& c) { c.layer = layer; });
    });
    QLabel* layerTitle = texts_.addRow(form, [] { return tr("Layer"); }, layerSpin_);

    errorLabel_ = new QLabel;
    errorLabel_->setObjectName(QStringLiteral("modelErrorLabel"));
    errorLabel_->setWordWrap(true);
    errorLabel_->setStyleSheet(QStringLiteral("color: #c0392b; font-weight: bold;"));
    form->addRow(errorLabel_);

    syntheticButton_ = texts_.bind(new QPushButton, &QPushButton::setText, [] { return tr("Use synthetic inputs"); });
    syntheticButton_->setObjectName(QStringLiteral("useSyntheticButton"));
    connect(syntheticButton_, &QPushButton::clicked, this, &ModelGroup::useSyntheticInputs);
    form->addRow(syntheticButton_);
    modelOnly_ = {sentences_, sentencesTitle, layerSpin_, layerTitle, syntheticButton_};

    connect(document_, &MaskDocument::configChanged, this, &ModelGroup::syncFromDocument);
    connect(document_, &MaskDocument::configChanged, cancelNote_, &QWidget::hide);
    connect(document_, &MaskDocument::resultChanged, this, &ModelGroup::syncFromDocument);
    connect(document_, &MaskDocument::resultChanged, this, &ModelGroup::rememberShownModel);
    connect(document_, &MaskDocument::errorChanged, this, &ModelGroup::showModelError);
    connect(document_, &MaskDocument::cancelled, this, &ModelGroup::showCancelNote);
    syncFromDocument();
    rememberShownModel();
}

QWidget* ModelGroup::makeOpenRow()
{
    auto* open = texts_.bind(new QPushButton, &QPushButton::setText, [] { return tr("Open model\u2026"); });
    open->setObjectName(QStringLiteral("openModelButton"));
    texts_.bind(open, &QWidget::setToolTip, [] {
        return tr("A llama2.c .bin checkpoint, or a Hugging Face folder (choose its config.json); "
                  "you can also drop either on the window");
    });
    connect(open, &QPushButton::clicked, this, &ModelGroup::chooseModel);

    // A push button draws its menu arrow beside the text; a text-only tool button drew it over.
    recentButton_ = texts_.bind(new QPushButton, &QPushButton::setText, [] { return tr("Recent"); });
    recentButton_->setObjectName(QStringLiteral("recentModelsButton"));
    texts_.bind(recentButton_, &QWidget::setToolTip, [] { return tr("The models opened last, with their tokenizers"); });
    recentMenu_ = new QMenu(recentButton_);
    recentMenu_->setObjectName(QStringLiteral("recentModelsMenu"));
    recentMenu_->setToolTipsVisible(true);
    recentButton_->setMenu(recentMenu_);
    // Files come and go while the window is open: look again each time the menu opens.
    connect(recentMenu_, &QMenu::aboutToShow, this, &ModelGroup::fillRecentMenu);
    fillRecentMenu();

    auto* row = new QWidget;
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(open, 1);
    layout->addWidget(recentButton_);
    return row;
}

QWidget* ModelGroup::makeProgressRow()
{
    progress_ = new QProgressBar;
    progress_->setObjectName(QStringLiteral("modelProgress"));
    progress_->setTextVisible(false);
    texts_.bind(progress_, &QWidget::setToolTip, [] { return tr("Loading or running the model"); });
    cancelButton_ = texts_.bind(new QPushButton, &QPushButton::setText, [] { return tr("Cancel"); });
    cancelButton_->setObjectName(QStringLiteral("cancelModelButton"));
    texts_.bind(cancelButton_, &QWidget::setToolTip,
                [] { return tr("Stop waiting and go back to what the window showed before"); });
    connect(cancelButton_, &QPushButton::clicked, document_, &MaskDocument::cancel);

    progressRow_ = new QWidget;
    auto* layout = new QHBoxLayout(progressRow_);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(progress_, 1);
    layout->addWidget(cancelButton_);
    progressRow_->hide();
    connect(document_, &MaskDocument::busyChanged, this, &ModelGroup::showProgress);
    connect(document_, &MaskDocument::configChanged, this, &ModelGroup::showProgress);
    // Opening and running the model report nothing until its heads are computed: until then the
    // bar only says that something runs.
    connect(document_, &MaskDocument::progressChanged, progress_, [this](int percent) {
        if (percent > 0)
            progress_->setRange(0, 100);
        progress_->setValue(percent);
    });
    return progressRow_;
}

bool ModelGroup::isModelPath(const QString& path)
{
    const QFileInfo info(path);
    return info.isDir() || info.suffix() == QLatin1String("bin") || checkpointOf(path) != path;
}

void ModelGroup::openModel(const QString& model, const QString& tokenizer)
{
    const std::string path = model.toStdString();
    const std::string tokenizerPath = tokenizer.toStdString();
    const std::vector<std::string> shown = sentencesOf(sentences_->toPlainText());
    document_->editConfig([&](ScenarioConfig& c) {
        c.modelPath = path;
        c.tokenizerPath = tokenizerPath;
        c.texts = shown.empty() ? std::vector<std::string>{kDefaultText} : shown;
        c.layer.reset(); // another model has other layers: start at its last
        // The model and its text decide the sizes; sizes set before would only contradict them.
        c.loadDir.clear();
        c.tokens.clear();
        c.seqLen.reset();
        c.queryLen.reset();
        c.batch.reset();
        c.dModel.reset();
        c.validLens.clear();
    });
}

void ModelGroup::openModelAskingTokenizer(const QString& path)
{
    const QString model = checkpointOf(path);
    rememberFolder(model);
    QString tokenizer;
    try {
        defaultTokenizerPath(model.toStdString());
    } catch (const InputError&) {
        tokenizer = QFileDialog::getOpenFileName(this, tr("Tokenizer of %1").arg(QFileInfo(model).fileName()),
                                                 QFileInfo(model).absolutePath(),
                                                 tr("Tokenizers (*.bin *.model *.json);;All files (*)"));
        if (tokenizer.isEmpty())
            return;
    }
    openModel(model, tokenizer);
}

void ModelGroup::chooseModel()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open a model"), lastFolder(),
        tr("Checkpoints (*.bin config.json *.safetensors model.safetensors.index.json);;All files (*)"));
    if (!path.isEmpty())
        openModelAskingTokenizer(path);
}

void ModelGroup::useSyntheticInputs()
{
    document_->editConfig([](ScenarioConfig& c) {
        c.modelPath.clear();
        c.tokenizerPath.clear();
        c.texts.clear();
        c.layer.reset();
    });
}

void ModelGroup::syncFromDocument()
{
    const QScopedValueRollback syncing(syncing_, true);
    const ScenarioConfig& c = document_->config();
    const bool used = c.usesModel();
    for (QWidget* w : modelOnly_)
        w->setVisible(used);
    if (!used) {
        description_->setText(tr("Open a llama2.c or Hugging Face checkpoint to see the attention of a real "
                                 "model on your own sentences."));
        showModelError();
        return;
    }
    if (sentencesOf(sentences_->toPlainText()) != c.texts)
        sentences_->setPlainText(joinedSentences(c.texts));
    const QString name = QFileInfo(QString::fromStdString(c.modelPath)).fileName();
    if (const ModelInfo* model = currentModel(*document_)) {
        description_->setText(describeModel(name, model->config));
        layerSpin_->setRange(0, model->config.layers - 1);
        layerSpin_->setValue(c.layer.value_or(model->config.layers - 1));
        layerSpin_->setEnabled(true);
    } else {
        description_->setText(name);
        layerSpin_->setEnabled(false); // its range is known once the model has run
    }
    showModelError();
}

void ModelGroup::showModelError()
{
    const QString error = document_->error();
    const bool shown = document_->config().usesModel() && !error.isEmpty();
    errorLabel_->setText(shown ? tr("The model cannot run: %1").arg(error) : QString());
    errorLabel_->setVisible(shown);
}

void ModelGroup::rememberShownModel()
{
    const ModelInfo* model = currentModel(*document_);
    if (!model)
        return;
    const RecentModel shown{QString::fromStdString(model->path), QString::fromStdString(model->tokenizerPath)};
    const QList<RecentModel> before = recentModels();
    rememberRecentModel(shown);
    if (recentModels() != before)
        fillRecentMenu();
}

void ModelGroup::fillRecentMenu()
{
    // Not clear(): "Clear list" refills the menu from its own triggered signal, and must not
    // delete the action that sends it.
    for (QAction* action : recentMenu_->actions()) {
        recentMenu_->removeAction(action);
        action->deleteLater();
    }
    const QList<RecentModel> entries = recentModels();
    for (const RecentModel& entry : entries) {
        QAction* action = recentMenu_->addAction(recentEntryText(entry));
        action->setToolTip(recentEntryToolTip(entry));
        // A checkpoint on a drive not mounted now may come back: it stays, shown as gone.
        action->setEnabled(missingFileOf(entry).isEmpty());
        connect(action, &QAction::triggered, this, [this, entry] {
            rememberFolder(entry.model);
            openModel(entry.model, entry.tokenizer);
        });
    }
    recentMenu_->addSeparator();
    QAction* clear = recentMenu_->addAction(tr("Clear list"));
    clear->setObjectName(QStringLiteral("clearRecentModelsAction"));
    connect(clear, &QAction::triggered, this, [this] {
        clearRecentModels();
        fillRecentMenu();
    });
    recentButton_->setEnabled(!entries.isEmpty());
}

void ModelGroup::showProgress()
{
    const bool shown = document_->isBusy() && showsModel(*document_);
    if (shown && progressRow_->isHidden())
        progress_->setRange(0, 0); // busy, no percentage yet
    progressRow_->setVisible(shown);
    cancelButton_->setEnabled(document_->canCancel());
}

void ModelGroup::showCancelNote()
{
    const ScenarioConfig& c = document_->config();
    cancelNote_->setText(c.usesModel()
                             ? tr("Cancelled; back to %1.").arg(QFileInfo(QString::fromStdString(c.modelPath)).fileName())
                             : tr("Cancelled; back to the synthetic inputs."));
    cancelNote_->show();
    showProgress();
}

QString ModelGroup::lastFolder() const
{
    return QSettings().value(kLastFolderKey).toString();
}

void ModelGroup::rememberFolder(const QString& path) const
{
    const QFileInfo info(path);
    QSettings().setValue(kLastFolderKey, info.isDir() ? info.absoluteDir().path() : info.absolutePath());
}

void ModelGroup::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange) {
        texts_.retranslate();
        syncFromDocument();
        // The menu is refilled when it opens (aboutToShow), in the new language: refilling it
        // here would replace its actions, and a language switch keeps every widget and action.
        if (!cancelNote_->isHidden())
            showCancelNote();
    }
    QGroupBox::changeEvent(event);
}

namespace {

// Opens a dropped checkpoint; drops of anything else pass by.
class ModelDropFilter : public QObject {
public:
    ModelDropFilter(QWidget* window, ModelGroup* group) : QObject(window), group_(group) {}

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (event->type() == QEvent::DragEnter || event->type() == QEvent::DragMove) {
            auto* drag = static_cast<QDragMoveEvent*>(event);
            if (!droppedModel(drag->mimeData()).isEmpty()) {
                drag->acceptProposedAction();
                return true;
            }
        } else if (event->type() == QEvent::Drop) {
            auto* drop = static_cast<QDropEvent*>(event);
            const QString path = droppedModel(drop->mimeData());
            if (!path.isEmpty()) {
                drop->acceptProposedAction();
                group_->openModelAskingTokenizer(path);
                return true;
            }
        }
        return QObject::eventFilter(watched, event);
    }

private:
    static QString droppedModel(const QMimeData* data)
    {
        if (!data || data->urls().size() != 1 || !data->urls().front().isLocalFile())
            return {};
        const QString path = data->urls().front().toLocalFile();
        // A folder is a model only with its config.json: a folder of .npy inputs is not.
        if (QFileInfo(path).isDir() && !QDir(path).exists(QStringLiteral("config.json")))
            return {};
        return ModelGroup::isModelPath(path) ? path : QString();
    }

    ModelGroup* group_;
};

} // namespace

void acceptModelDrops(QWidget* window, ModelGroup* group)
{
    window->setAcceptDrops(true);
    window->installEventFilter(new ModelDropFilter(window, group));
}

} // namespace maskscope::ui
