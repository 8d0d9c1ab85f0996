// SPDX-License-Identifier: MIT
#include "window/controlpanel.h"

#include "document/fillchoices.h"
#include "window/hintlabel.h"
#include "window/modelgroup.h"
#include "document/maskdocument.h"
#include "window/rulespanel.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>

namespace maskscope::ui {

namespace {

constexpr int kMaxLengthSpin = 4096;   // larger lengths: command line (seconds per recompute)
constexpr int kMaxLengthSlider = 2048; // the slider covers the useful range; type larger values
constexpr int kMaxBatchSpin = 64;
constexpr int kMaxValidLengthRows = 16; // more batch items than this keep their lengths hidden
constexpr int kMaxHeads = 64;
constexpr int kMaxDModel = 8192;

// The order of the fill combo box.
enum FillChoice { FillNegInf, FillNegBillion, FillLowest, FillNumber };

int fillChoice(const Fill& fill)
{
    switch (fill.kind) {
    case Fill::Kind::NegInf: return FillNegInf;
    case Fill::Kind::NegBillion: return FillNegBillion;
    case Fill::Kind::Lowest: return FillLowest;
    case Fill::Kind::Value: return FillNumber;
    }
    return FillNegInf;
}

int effectiveBatch(const ScenarioConfig& c)
{
    return c.validLens.empty() ? c.effectiveBatch() : static_cast<int>(c.validLens.size());
}

// What depends on the lengths follows them when they shrink: a sentence cannot be longer than
// the padded length, and cells toggled by hand outside the matrix are gone.
void fitToLengths(ScenarioConfig& c)
{
    for (int& v : c.validLens)
        v = std::min(v, c.effectiveSeqLen());
    fitRulesToLengths(c); // prefix, global tokens, documents and painted cells
}

// The length a sequence gets when padding is switched on: about a quarter padding.
int defaultValidLength(int seqLen)
{
    return std::max(1, seqLen - std::max(1, seqLen / 4));
}

const QColor kErrorColor(0xc0, 0x39, 0x2b);

// The sizes a real model's run decided, in the config the controls show.
void showModelSizes(const Scenario& s, ScenarioConfig& c)
{
    c.seqLen = s.mask.keyLen;
    c.queryLen.reset();
    c.batch = s.mask.batch;
    c.validLens = s.mask.validLens;
    c.dModel = s.embedDim();
    c.heads = s.heads();
    c.causal = true;
}

void setSpinQuietly(QSpinBox* spin, int value)
{
    const QSignalBlocker block(spin);
    spin->setValue(value);
}

} // namespace

ControlPanel::ControlPanel(MaskDocument* document, QWidget* parent)
    : QWidget(parent), document_(document)
{
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(makeLoadedBanner());
    layout->addWidget(makePresetGroup());
    modelGroup_ = new ModelGroup(document_);
    layout->addWidget(modelGroup_);
    layout->addWidget(makeSequenceGroup());
    layout->addWidget(makePaddingGroup());
    layout->addWidget(makeMaskGroup());
    layout->addWidget(makeModelGroup());
    errorLabel_ = new QLabel;
    errorLabel_->setObjectName(QStringLiteral("errorLabel"));
    errorLabel_->setWordWrap(true);
    errorLabel_->setStyleSheet(QStringLiteral("color: #c0392b; font-weight: bold;"));
    errorLabel_->hide();
    layout->addWidget(errorLabel_);
    layout->addStretch(1);

    connect(document_, &MaskDocument::configChanged, this, &ControlPanel::syncFromDocument);
    connect(document_, &MaskDocument::errorChanged, this, &ControlPanel::showError);
    connect(document_, &MaskDocument::resultChanged, this, [this] {
        if (!document_->config().loadDir.empty() || document_->config().usesModel())
            syncFromDocument(); // the sizes of loaded files or a model are known once a result is in
    });
    syncFromDocument();
}

QWidget* ControlPanel::makeLoadedBanner()
{
    loadedBanner_ = new QWidget;
    auto* row = new QVBoxLayout(loadedBanner_);
    row->setContentsMargins(0, 0, 0, 0);
    loadedLabel_ = new QLabel;
    loadedLabel_->setWordWrap(true);
    auto* synthetic = texts_.bind(new QPushButton, &QPushButton::setText,
                                  [] { return tr("Use synthetic inputs instead"); });
    synthetic->setObjectName(QStringLiteral("syntheticButton"));
    connect(synthetic, &QPushButton::clicked, this, [this] {
        edit([](ScenarioConfig& c) { c.loadDir.clear(); });
    });
    row->addWidget(loadedLabel_);
    row->addWidget(synthetic);
    return loadedBanner_;
}

QGroupBox* ControlPanel::makePresetGroup()
{
    auto* group = texts_.bind(new QGroupBox, &QGroupBox::setTitle, [] { return tr("Start from a classic case"); });
    auto* box = new QVBoxLayout(group);
    presetCombo_ = new QComboBox;
    presetCombo_->setObjectName(QStringLiteral("presetCombo"));
    // Long preset names are elided rather than widening the whole panel.
    presetCombo_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    presetCombo_->setMinimumContentsLength(16);
    texts_.bindItems(presetCombo_, [this] {
        QStringList items{tr("Choose a preset…")};
        for (const Preset& p : presets_.presets())
            items << p.name;
        return items;
    });
    presetDescription_ = hintLabel();
    presetDescription_->hide();
    connect(presetCombo_, &QComboBox::activated, this, [this](int index) {
        if (index > 0)
            applyPreset(index - 1);
    });
    box->addWidget(presetCombo_);
    box->addWidget(presetDescription_);
    return group;
}

QSpinBox* ControlPanel::addSliderRow(QFormLayout* form, const std::function<QString()>& label,
                                     const QString& name, int maximum, QSlider** sliderOut)
{
    auto* slider = new QSlider(Qt::Horizontal);
    slider->setObjectName(name + QStringLiteral("Slider"));
    slider->setRange(1, std::min(maximum, kMaxLengthSlider));
    auto* spin = new QSpinBox;
    spin->setObjectName(name + QStringLiteral("Spin"));
    spin->setRange(1, maximum);
    spin->setKeyboardTracking(false); // typing "128" is one change, not three
    connect(slider, &QSlider::valueChanged, spin, &QSpinBox::setValue);
    connect(spin, &QSpinBox::valueChanged, slider, [slider](int v) {
        const QSignalBlocker block(slider);
        slider->setValue(v);
    });
    auto* row = new QHBoxLayout;
    row->addWidget(slider, 1);
    row->addWidget(spin);
    texts_.addRow(form, label, row)->setBuddy(spin);
    // Without names of their own both would be called after the group ("Sequence").
    texts_.bind([slider, label] { slider->setAccessibleName(tr("%1 (slider)").arg(label())); });
    *sliderOut = slider;
    return spin;
}

QGroupBox* ControlPanel::makeSequenceGroup()
{
    auto* group = texts_.bind(new QGroupBox, &QGroupBox::setTitle, [] { return tr("Sequence"); });
    auto* form = new QFormLayout(group);
    seqLenSpin_ = addSliderRow(form, [] { return tr("Length"); }, QStringLiteral("seqLen"), kMaxLengthSpin,
                               &seqLenSlider_);
    texts_.bind(seqLenSpin_, &QWidget::setToolTip,
                [] { return tr("Number of tokens: the keys, and in self-attention the queries too"); });
    connect(seqLenSpin_, &QSpinBox::valueChanged, this, &ControlPanel::setSeqLen);

    crossCheck_ = texts_.bind(new QCheckBox, &QCheckBox::setText,
                              [] { return tr("Cross-attention: separate queries"); });
    crossCheck_->setObjectName(QStringLiteral("crossCheck"));
    texts_.bind(crossCheck_, &QWidget::setToolTip, [] {
        return tr("Queries come from another sequence, e.g. a decoder reading the encoder's output");
    });
    form->addRow(crossCheck_);
    queryLenSpin_ = addSliderRow(form, [] { return tr("Query length"); }, QStringLiteral("queryLen"), kMaxLengthSpin,
                                 &queryLenSlider_);
    connect(crossCheck_, &QCheckBox::toggled, this, [this](bool on) {
        const int length = queryLenSpin_->value();
        edit([on, length](ScenarioConfig& c) {
            c.queryLen = on ? std::optional<int>(length) : std::nullopt;
            fitToLengths(c);
        });
    });
    connect(queryLenSpin_, &QSpinBox::valueChanged, this, [this](int length) {
        if (crossCheck_->isChecked())
            edit([length](ScenarioConfig& c) {
                c.queryLen = length;
                fitToLengths(c);
            });
    });
    crossHint_ = hintLabel();
    form->addRow(crossHint_);

    tokensEdit_ = new QLineEdit;
    tokensEdit_->setObjectName(QStringLiteral("tokensEdit"));
    tokensEdit_->setPlaceholderText(QString::fromLatin1(defaultSentence()));
    texts_.bind(tokensEdit_, &QWidget::setToolTip,
                [] { return tr("Words of the sequence; they repeat when the sequence is longer"); });
    connect(tokensEdit_, &QLineEdit::textEdited, this, [this](const QString& text) {
        const std::string words = text.toStdString();
        edit([words](ScenarioConfig& c) { c.tokens = words; });
    });
    texts_.addRow(form, [] { return tr("Words"); }, tokensEdit_);
    syntheticOnly_ = {seqLenSlider_, seqLenSpin_, crossCheck_, queryLenSlider_, queryLenSpin_, tokensEdit_};
    return group;
}

QGroupBox* ControlPanel::makePaddingGroup()
{
    auto* group = texts_.bind(new QGroupBox, &QGroupBox::setTitle, [] { return tr("Batch and padding"); });
    auto* form = new QFormLayout(group);
    batchSpin_ = new QSpinBox;
    batchSpin_->setObjectName(QStringLiteral("batchSpin"));
    batchSpin_->setRange(1, kMaxBatchSpin);
    texts_.bind(batchSpin_, &QWidget::setToolTip,
                [] { return tr("Sentences processed together; shorter ones are padded to the same length"); });
    connect(batchSpin_, &QSpinBox::valueChanged, this, &ControlPanel::setBatchSize);
    texts_.addRow(form, [] { return tr("Batch size"); }, batchSpin_);

    paddingCheck_ = texts_.bind(new QCheckBox, &QCheckBox::setText, [] { return tr("Pad shorter sentences"); });
    paddingCheck_->setObjectName(QStringLiteral("paddingCheck"));
    texts_.bind(paddingCheck_, &QWidget::setToolTip, [] {
        return tr("Sentences shorter than the length are filled up with <pad> tokens, "
                  "which the mask hides from every query");
    });
    connect(paddingCheck_, &QCheckBox::toggled, this, &ControlPanel::setPaddingEnabled);
    form->addRow(paddingCheck_);

    padSideCombo_ = new QComboBox;
    padSideCombo_->setObjectName(QStringLiteral("padSideCombo"));
    texts_.bindItems(padSideCombo_,
                     [] { return QStringList{tr("right, after the words"), tr("left, before the words")}; });
    connect(padSideCombo_, &QComboBox::currentIndexChanged, this, [this](int index) {
        edit([index](ScenarioConfig& c) { c.padSide = index == 1 ? PadSide::Left : PadSide::Right; });
    });
    texts_.addRow(form, [] { return tr("Pads go"); }, padSideCombo_);

    validLensBox_ = new QWidget;
    validLensForm_ = new QFormLayout(validLensBox_);
    validLensForm_->setContentsMargins(0, 0, 0, 0);
    moreItemsLabel_ = hintLabel();
    form->addRow(validLensBox_);
    form->addRow(moreItemsLabel_);
    // Files bring their own batch and key_padding_mask.
    syntheticOnly_.insert(syntheticOnly_.end(), {batchSpin_, paddingCheck_, validLensBox_});
    return group;
}

QGroupBox* ControlPanel::makeMaskGroup()
{
    auto* group = texts_.bind(new QGroupBox, &QGroupBox::setTitle, [] { return tr("Mask rules"); });
    auto* form = new QFormLayout(group);
    causalCheck_ = texts_.bind(new QCheckBox, &QCheckBox::setText,
                               [] { return tr("Causal: no peeking at later tokens"); });
    causalCheck_->setObjectName(QStringLiteral("causalCheck"));
    texts_.bind(causalCheck_, &QWidget::setToolTip,
                [] { return tr("Query i may only attend to keys 0..i, as in a decoder (torch.tril)"); });
    connect(causalCheck_, &QCheckBox::toggled, this, [this](bool on) {
        edit([on](ScenarioConfig& c) { c.causal = on; });
    });
    form->addRow(causalCheck_);

    fillCombo_ = new QComboBox;
    fillCombo_->setObjectName(QStringLiteral("fillCombo"));
    // The entries are named in the lab's number format (syncFillFormat), in the language shown.
    for (int k = FillNegInf; k <= FillNumber; ++k)
        fillCombo_->addItem(QString());
    texts_.bind(fillCombo_, &QWidget::setToolTip, [] { return tr("The value added to the logits of blocked keys"); });
    fillValueSpin_ = new QDoubleSpinBox;
    fillValueSpin_->setObjectName(QStringLiteral("fillValueSpin"));
    fillValueSpin_->setRange(-1e15, 1e15);
    fillValueSpin_->setDecimals(2);
    fillValueSpin_->setValue(-10.0);
    fillValueSpin_->setKeyboardTracking(false);
    connect(fillCombo_, &QComboBox::currentIndexChanged, this, &ControlPanel::setFillFromControls);
    connect(fillValueSpin_, &QDoubleSpinBox::valueChanged, this, &ControlPanel::setFillFromControls);
    texts_.addRow(form, [] { return tr("Blocked cells get"); }, fillCombo_);
    texts_.addRow(form, [] { return tr("Number"); }, fillValueSpin_);
    fillHint_ = hintLabel();
    fillHint_->setObjectName(QStringLiteral("fillHint"));
    form->addRow(fillHint_);
    return group;
}

QGroupBox* ControlPanel::makeModelGroup()
{
    auto* group = texts_.bind(new QGroupBox, &QGroupBox::setTitle, [] { return tr("Model"); });
    auto* form = new QFormLayout(group);
    headsSpin_ = new QSpinBox;
    headsSpin_->setObjectName(QStringLiteral("headsSpin"));
    headsSpin_->setRange(1, kMaxHeads);
    headsSpin_->setKeyboardTracking(false);
    connect(headsSpin_, &QSpinBox::valueChanged, this, [this](int heads) {
        edit([heads](ScenarioConfig& c) { c.heads = heads; });
    });
    texts_.addRow(form, [] { return tr("Heads"); }, headsSpin_);
    dModelSpin_ = new QSpinBox;
    dModelSpin_->setObjectName(QStringLiteral("dModelSpin"));
    dModelSpin_->setRange(1, kMaxDModel);
    dModelSpin_->setSingleStep(16);
    dModelSpin_->setKeyboardTracking(false);
    texts_.bind(dModelSpin_, &QWidget::setToolTip,
                [] { return tr("Size of each token's vector; every head gets d_model / heads of it"); });
    connect(dModelSpin_, &QSpinBox::valueChanged, this, [this](int d) {
        edit([d](ScenarioConfig& c) { c.dModel = d; });
    });
    texts_.addRow(form, [] { return tr("d_model"); }, dModelSpin_);
    headDimLabel_ = hintLabel();
    headDimLabel_->setObjectName(QStringLiteral("headDimLabel"));
    form->addRow(headDimLabel_);
    seedSpin_ = new QSpinBox;
    seedSpin_->setObjectName(QStringLiteral("seedSpin"));
    seedSpin_->setRange(0, INT_MAX);
    seedSpin_->setKeyboardTracking(false);
    texts_.bind(seedSpin_, &QWidget::setToolTip, [] { return tr("Seed of the random embeddings and weights"); });
    connect(seedSpin_, &QSpinBox::valueChanged, this, [this](int seed) {
        edit([seed](ScenarioConfig& c) { c.seed = static_cast<std::uint64_t>(seed); });
    });
    texts_.addRow(form, [] { return tr("Seed"); }, seedSpin_);
    syntheticOnly_.insert(syntheticOnly_.end(), {dModelSpin_, seedSpin_});
    modelDecides_ = syntheticOnly_;
    modelDecides_.insert(modelDecides_.end(), {causalCheck_, headsSpin_});
    return group;
}

void ControlPanel::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void ControlPanel::retranslateUi()
{
    presets_ = PresetLibrary(); // their names and descriptions, in the language now installed
    for (QWidget* w : modelDecides_)
        restoreToolTip(w); // the texts bound below set them in the new language
    texts_.retranslate();
    for (int item = 0; item < static_cast<int>(validLenSpins_.size()); ++item)
        retranslateValidLengthRow(item);
    if (const int preset = presetCombo_->currentIndex() - 1; preset >= 0 && preset < presets_.presets().size())
        presetDescription_->setText(presets_.presets().at(preset).description);
    syncFromDocument(); // the texts that say something about the parameters
    showError(document_->error());
    emit presetsRetranslated();
}

void ControlPanel::edit(const std::function<void(ScenarioConfig&)>& change)
{
    // While the panel copies the document into its controls, their signals are echoes.
    if (syncing_)
        return;
    document_->editConfig(change);
}

void ControlPanel::applyPreset(int index)
{
    if (index < 0 || index >= presets_.presets().size())
        return;
    const Preset& p = presets_.presets().at(index);
    document_->setConfig(p.config);
    if (p.view)
        document_->setView(*p.view);
    presetDescription_->setText(p.description);
    presetDescription_->show();
    const QSignalBlocker block(presetCombo_);
    presetCombo_->setCurrentIndex(index + 1);
    emit presetApplied(p.name);
}

void ControlPanel::setSeqLen(int length)
{
    edit([length](ScenarioConfig& c) {
        c.seqLen = length;
        fitToLengths(c);
    });
}

void ControlPanel::setPaddingEnabled(bool on)
{
    edit([on](ScenarioConfig& c) {
        const int batch = effectiveBatch(c);
        c.validLens = on ? std::vector<int>(static_cast<size_t>(batch), defaultValidLength(c.effectiveSeqLen()))
                         : std::vector<int>();
        c.batch = batch;
    });
}

void ControlPanel::setBatchSize(int count)
{
    edit([count](ScenarioConfig& c) {
        c.batch = count;
        if (!c.validLens.empty())
            c.validLens.resize(static_cast<size_t>(count), c.validLens.back());
    });
}

void ControlPanel::setValidLength(int item, int length)
{
    edit([item, length](ScenarioConfig& c) {
        if (item < static_cast<int>(c.validLens.size()))
            c.validLens[static_cast<size_t>(item)] = std::clamp(length, 0, c.effectiveSeqLen());
    });
}

void ControlPanel::setFillFromControls()
{
    Fill fill;
    switch (fillCombo_->currentIndex()) {
    case FillNegBillion: fill.kind = Fill::Kind::NegBillion; break;
    case FillLowest: fill.kind = Fill::Kind::Lowest; break;
    case FillNumber: fill = Fill{Fill::Kind::Value, fillValueSpin_->value()}; break;
    default: fill.kind = Fill::Kind::NegInf; break;
    }
    fillValueSpin_->setEnabled(fill.kind == Fill::Kind::Value);
    edit([fill](ScenarioConfig& c) { c.fill = fill; });
}

void ControlPanel::syncFromDocument()
{
    const QScopedValueRollback syncing(syncing_, true);
    ScenarioConfig c = document_->config();
    // Loaded files decide the sizes; show the ones the last result found.
    if (const TraceResultPtr r = document_->result(); r && r->scenario && !c.loadDir.empty()) {
        c.seqLen = r->scenario->mask.keyLen;
        c.queryLen = r->scenario->mask.queryLen;
        c.batch = r->scenario->mask.batch;
        c.dModel = r->scenario->embedDim();
    } else if (r && r->scenario && r->scenario->model && r->scenario->config.modelPath == c.modelPath) {
        showModelSizes(*r->scenario, c); // what the model and its sentences decided
    }
    syncSequence(c);
    syncPadding(c);
    syncMaskAndModel(c);
    const bool loaded = !c.loadDir.empty();
    loadedBanner_->setVisible(loaded);
    loadedLabel_->setText(tr("Inputs are read from %1; their sizes are fixed.")
                              .arg(QString::fromStdString(c.loadDir)));
    for (QWidget* w : syntheticOnly_)
        w->setEnabled(!loaded);
    queryLenSlider_->setEnabled(!loaded && c.queryLen.has_value());
    queryLenSpin_->setEnabled(!loaded && c.queryLen.has_value());
    syncDecidedByModel(c);
    syncPresetChoice();
    updateHints();
    showError(document_->error());
}

void ControlPanel::syncPresetChoice()
{
    // The box names a preset only while the document holds it: an undone preset, or any edit
    // after it, leaves "Choose a preset…"; undoing back to a preset's parameters shows it again.
    const ScenarioConfig& c = document_->config();
    const QList<Preset>& all = presets_.presets();
    const int shown = presetCombo_->currentIndex() - 1;
    if (shown >= 0 && shown < all.size() && all.at(shown).config == c)
        return;
    const auto match = std::find_if(all.begin(), all.end(), [&c](const Preset& p) { return p.config == c; });
    const int index = match == all.end() ? -1 : static_cast<int>(match - all.begin());
    const QSignalBlocker block(presetCombo_);
    presetCombo_->setCurrentIndex(index + 1);
    presetDescription_->setVisible(index >= 0);
    if (index >= 0)
        presetDescription_->setText(all.at(index).description);
}

void ControlPanel::syncDecidedByModel(const ScenarioConfig& c)
{
    const bool model = c.usesModel();
    for (QWidget* w : modelDecides_) {
        if (!model && (w == causalCheck_ || w == headsSpin_))
            w->setEnabled(true); // the files of --load leave these to the user
        setDecidedByModel(w, model);
    }
    headDimLabel_->setVisible(!model);
    if (model)
        padSideCombo_->setEnabled(true); // shorter sentences are padded on this side
}

void ControlPanel::syncSequence(const ScenarioConfig& c)
{
    seqLenSpin_->setMaximum(std::max(kMaxLengthSpin, c.effectiveSeqLen()));
    seqLenSpin_->setValue(c.effectiveSeqLen());
    crossCheck_->setChecked(c.queryLen.has_value());
    queryLenSpin_->setMaximum(std::max(kMaxLengthSpin, c.effectiveQueryLen()));
    queryLenSpin_->setValue(c.effectiveQueryLen());
    if (tokensEdit_->text().toStdString() != c.tokens)
        tokensEdit_->setText(QString::fromStdString(c.tokens));
}

void ControlPanel::syncPadding(const ScenarioConfig& c)
{
    const int batch = effectiveBatch(c);
    batchSpin_->setMaximum(std::max(kMaxBatchSpin, batch));
    batchSpin_->setValue(batch);
    paddingCheck_->setChecked(!c.validLens.empty());
    padSideCombo_->setCurrentIndex(c.padSide == PadSide::Left ? 1 : 0);
    padSideCombo_->setEnabled(!c.validLens.empty());
    const int rows = c.validLens.empty() ? 0 : std::min(batch, kMaxValidLengthRows);
    rebuildValidLengthRows(rows);
    for (int b = 0; b < rows; ++b) {
        const int valid = c.validLens[static_cast<size_t>(b)];
        QSpinBox* spin = validLenSpins_[static_cast<size_t>(b)];
        spin->setMaximum(c.effectiveSeqLen());
        spin->setValue(valid);
        padCountLabels_[static_cast<size_t>(b)]->setText(
            tr("words + %n pad(s)", nullptr, c.effectiveSeqLen() - valid));
    }
    moreItemsLabel_->setVisible(!c.validLens.empty() && batch > rows);
    moreItemsLabel_->setText(tr("Items %1 to %2 keep the lengths given on the command line.")
                                 .arg(rows).arg(batch - 1));
}

void ControlPanel::syncMaskAndModel(const ScenarioConfig& c)
{
    causalCheck_->setChecked(c.causal);
    fillCombo_->setCurrentIndex(fillChoice(c.fill));
    if (c.fill.kind == Fill::Kind::Value)
        fillValueSpin_->setValue(c.fill.value);
    fillValueSpin_->setEnabled(c.fill.kind == Fill::Kind::Value);
    headsSpin_->setValue(c.heads);
    dModelSpin_->setValue(c.effectiveDModel());
    setSpinQuietly(seedSpin_, static_cast<int>(std::min<std::uint64_t>(c.seed, INT_MAX)));
    syncFillFormat(c);
}

void ControlPanel::syncFillFormat(const ScenarioConfig& c)
{
    const TraceResultPtr r = document_->result();
    const DType compute = computeDType(c, r ? r->scenario.get() : nullptr);
    for (Fill::Kind kind : {Fill::Kind::NegInf, Fill::Kind::NegBillion, Fill::Kind::Lowest, Fill::Kind::Value})
        fillCombo_->setItemText(fillChoice(Fill{kind, 0.0}), fillChoiceText(kind, c.pitfalls.format, compute));
    const QString hint = fillFormatHint(c.fill, c.pitfalls.format, compute);
    fillHint_->setText(hint);
    fillHint_->setVisible(!hint.isEmpty());
}

void ControlPanel::rebuildValidLengthRows(int count)
{
    while (static_cast<int>(validLenSpins_.size()) > count) {
        validLensForm_->removeRow(validLensForm_->rowCount() - 1);
        validLenSpins_.pop_back();
        padCountLabels_.pop_back();
    }
    while (static_cast<int>(validLenSpins_.size()) < count) {
        const int item = static_cast<int>(validLenSpins_.size());
        auto* spin = new QSpinBox;
        spin->setObjectName(QStringLiteral("validLenSpin%1").arg(item));
        spin->setRange(0, 1);
        spin->setKeyboardTracking(false);
        connect(spin, &QSpinBox::valueChanged, this, [this, item](int v) { setValidLength(item, v); });
        auto* pads = hintLabel();
        auto* row = new QHBoxLayout;
        row->addWidget(spin);
        row->addWidget(pads, 1);
        auto* title = new QLabel;
        title->setBuddy(spin);
        validLensForm_->addRow(title, row);
        validLenSpins_.push_back(spin);
        padCountLabels_.push_back(pads);
        retranslateValidLengthRow(item);
    }
}

// The rows come and go with the batch: their texts are set here rather than bound once.
void ControlPanel::retranslateValidLengthRow(int item)
{
    QSpinBox* spin = validLenSpins_[static_cast<size_t>(item)];
    spin->setToolTip(tr("How many real words sentence %1 has; the rest is padding").arg(item));
    if (auto* title = qobject_cast<QLabel*>(validLensForm_->itemAt(item, QFormLayout::LabelRole)->widget()))
        title->setText(tr("Sentence %1 has").arg(item));
}

void ControlPanel::updateHints()
{
    const ScenarioConfig& c = document_->config();
    const int heads = headsSpin_->value();
    const int dModel = dModelSpin_->value();
    // Colour through the palette: a style sheet would re-polish the label on every change.
    QPalette palette = headDimLabel_->palette();
    palette.setColor(QPalette::WindowText, dModel % heads == 0 ? hintColor() : kErrorColor);
    headDimLabel_->setPalette(palette);
    if (dModel % heads == 0) {
        headDimLabel_->setText(tr("Each head works in d_k = %1 / %2 = %3 dimensions.")
                                   .arg(dModel).arg(heads).arg(dModel / heads));
    } else {
        headDimLabel_->setText(tr("%1 heads do not divide d_model %2: each head needs a whole "
                                  "share of the dimensions.").arg(heads).arg(dModel));
    }
    const bool sameLength = c.queryLen && *c.queryLen == c.effectiveSeqLen();
    crossHint_->setVisible(sameLength);
    crossHint_->setText(tr("Equal lengths: the queries are the same tokens as the keys (self-attention)."));
}

void ControlPanel::showError(const QString& error)
{
    errorLabel_->setText(error.isEmpty() ? QString() : tr("Cannot compute: %1").arg(error));
    // A model's error is said in its own group, beside the file that caused it.
    errorLabel_->setVisible(!error.isEmpty() && !document_->config().usesModel());
}

} // namespace maskscope::ui
