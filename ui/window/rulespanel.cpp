// SPDX-License-Identifier: MIT
#include "window/rulespanel.h"

#include "window/alignmentcompare.h"
#include "document/maskdocument.h"
#include "figure/rulenames.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>
#include <numeric>

namespace maskscope::ui {

void setSpinValue(QSpinBox* spin, int maximum, int value)
{
    spin->setMaximum(std::max(maximum, value));
    spin->setValue(value);
}

namespace {

void setSpin(QSpinBox* spin, int maximum, int value)
{
    setSpinValue(spin, maximum, value);
}

constexpr int kDefaultSoftcap = 50; // Gemma 2's attention-logit cap
const QString kSeparator = QStringLiteral(" \u00B7 ");

QLabel* quietLabel(const QString& objectName)
{
    auto* label = new QLabel;
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

QLabel* errorLabel(const QString& objectName)
{
    auto* label = new QLabel;
    label->setObjectName(objectName);
    label->setWordWrap(true);
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, QColor(0xc0, 0x39, 0x2b));
    label->setPalette(palette);
    label->hide();
    return label;
}


// The key and query lengths the rules apply to: the config's, or the loaded files' once known.
std::pair<int, int> lengthsOf(const MaskDocument& document)
{
    const ScenarioConfig& c = document.config();
    if (const TraceResultPtr r = document.result(); r && r->scenario && !c.loadDir.empty())
        return {r->scenario->mask.queryLen, r->scenario->mask.keyLen};
    return {c.effectiveQueryLen(), c.effectiveSeqLen()};
}

} // namespace

void fitRulesToLengths(ScenarioConfig& c)
{
    if (!c.loadDir.empty())
        return;
    const int lk = c.effectiveSeqLen();
    MaskRules& r = c.rules;
    r.prefix = std::min(r.prefix, lk);
    r.globalTokens = std::min(r.globalTokens, lk);
    r.sink = std::min(r.sink, lk);
    std::erase_if(r.bidirectional, [lk](const PositionSpan& s) { return s.begin >= lk; });
    if (!r.bidirectional.empty())
        r.bidirectional.back().end = std::min(r.bidirectional.back().end, lk);
    if (static_cast<int>(r.tree.size()) > lk)
        r.tree.clear();
    if (r.neighborhood.active() && static_cast<long long>(r.neighborhood.height) * r.neighborhood.width != lk)
        r.neighborhood = Neighborhood{}; // a grid of another size does not tile the sequence
    r.toggled = r.toggled.clippedTo(c.effectiveQueryLen(), lk);
    if (r.segments.empty())
        return;
    // Keep the documents that start inside the sequence; the last one ends where it ends.
    std::vector<int> kept;
    int start = 0;
    for (int length : r.segments) {
        if (start >= lk)
            break;
        kept.push_back(length);
        start += length;
    }
    kept.back() += lk - start;
    r.segments = kept;
}

QString rulesSummary(const ScenarioConfig& c)
{
    QStringList on = activeRuleNames(c);
    if (c.causal || c.rules.prefix > 0)
        on.prepend(RulesPanel::tr("causal"));
    if (on.isEmpty())
        return RulesPanel::tr("Rules on: none beyond padding \u2014 every key is allowed.");
    return RulesPanel::tr("Rules on: %1").arg(on.join(kSeparator));
}

QString modifiersSummary(const ScenarioConfig& c)
{
    QStringList on;
    if (c.scoreModifiers.alibi)
        on << RulesPanel::tr("ALiBi");
    if (c.scoreModifiers.softcap)
        on << RulesPanel::tr("soft-cap %1").arg(*c.scoreModifiers.softcap);
    if (c.scoreModifiers.hasSinkLogit())
        on << RulesPanel::tr("sink logit %1").arg(optionValueText(c, "--sink-logit"));
    if (on.isEmpty())
        return RulesPanel::tr("No score modifier: the logits are Q\u00B7K\u1D40/√d\u2096.");
    return RulesPanel::tr("Modifiers on: %1").arg(on.join(kSeparator));
}

RulesPanel::RulesPanel(MaskDocument* document, QWidget* parent)
    : QWidget(parent), document_(document)
{
    auto* layout = new QVBoxLayout(this);
    summary_ = new QLabel;
    summary_->setObjectName(QStringLiteral("rulesSummary"));
    summary_->setWordWrap(true);
    QFont bold = summary_->font();
    bold.setBold(true);
    summary_->setFont(bold);
    layout->addWidget(summary_);
    layout->addWidget(makeStructureGroup());
    layout->addWidget(makeDocumentsGroup());
    layout->addWidget(makeModernGroup());
    layout->addWidget(makeCellsGroup());
    layout->addWidget(makeModifiersGroup());
    documentError_ = errorLabel(QStringLiteral("rulesError"));
    layout->addWidget(documentError_);
    layout->addStretch(1);
    // The parameters panel says it too, but it may be behind this tab.
    connect(document_, &MaskDocument::errorChanged, this, &RulesPanel::showError);
    connect(document_, &MaskDocument::configChanged, this, &RulesPanel::syncFromDocument);
    connect(document_, &MaskDocument::resultChanged, this, [this] {
        if (!document_->config().loadDir.empty())
            syncFromDocument(); // the lengths of loaded files are known once a result is in
    });
    syncFromDocument();
}

bool RulesPanel::paintsCells() const
{
    return paintCheck_->isChecked();
}

QSpinBox* RulesPanel::addSpin(QFormLayout* form, const Text& label, const QString& name, int minimum,
                              const Text& tip, const std::function<void(ScenarioConfig&, int)>& set)
{
    auto* spin = new QSpinBox;
    spin->setObjectName(name);
    spin->setRange(minimum, INT_MAX);
    spin->setKeyboardTracking(false);
    texts_.bind(spin, &QWidget::setToolTip, tip);
    connect(spin, &QSpinBox::valueChanged, this, [this, set](int v) {
        edit([&](ScenarioConfig& c) { set(c, v); });
    });
    texts_.addRow(form, label, spin);
    return spin;
}

QGroupBox* RulesPanel::makeStructureGroup()
{
    auto* group = texts_.bind(new QGroupBox, &QGroupBox::setTitle, [] { return tr("Which keys each query may see"); });
    auto* form = new QFormLayout(group);
    alignCombo_ = new QComboBox;
    alignCombo_->setObjectName(QStringLiteral("alignCombo"));
    alignCombo_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    alignCombo_->setMinimumContentsLength(8); // elided rather than widening the panel
    texts_.bindItems(alignCombo_, [] {
        return QStringList{tr("top-left (tril, is_causal)"), tr("bottom-right (Flash, KV cache)")};
    });
    connect(alignCombo_, &QComboBox::currentIndexChanged, this, [this](int index) {
        edit([index](ScenarioConfig& c) {
            c.rules.causalAlign = index == 1 ? CausalAlign::BottomRight : CausalAlign::TopLeft;
        });
    });
    auto* compare = texts_.bind(new QPushButton, &QPushButton::setText, [] { return tr("Compare"); });
    compare->setObjectName(QStringLiteral("compareAlignButton"));
    texts_.bind(compare, &QWidget::setToolTip,
                [] { return tr("Both alignments side by side, in a window of their own"); });
    connect(compare, &QPushButton::clicked, this, [this] {
        auto* dialog = new AlignmentCompareDialog(document_, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    auto* alignRow = new QHBoxLayout;
    alignRow->addWidget(alignCombo_, 1);
    alignRow->addWidget(compare);
    texts_.addRow(form, [] { return tr("Causal alignment"); }, alignRow);
    alignHint_ = quietLabel(QStringLiteral("alignHint"));
    form->addRow(alignHint_);
    windowLeftSpin_ = addSpin(form, [] { return tr("Window left"); }, QStringLiteral("windowLeftSpin"), -1, [] {
        return tr("Keys up to this many positions before the query (FlashAttention window_size left)");
    }, [](ScenarioConfig& c, int v) { c.rules.windowLeft = v; });
    windowRightSpin_ = addSpin(form, [] { return tr("Window right"); }, QStringLiteral("windowRightSpin"), -1,
                               [] { return tr("Keys up to this many positions after the query (window_size right)"); },
                               [](ScenarioConfig& c, int v) { c.rules.windowRight = v; });
    for (QSpinBox* spin : {windowLeftSpin_, windowRightSpin_})
        texts_.bind(spin, &QAbstractSpinBox::setSpecialValueText, [] { return tr("unbounded"); });
    dilationSpin_ = addSpin(form, [] { return tr("Dilation"); }, QStringLiteral("dilationSpin"), 1,
                            [] { return tr("Only every n-th key from the query's position on (dilated window)"); },
                            [](ScenarioConfig& c, int v) { c.rules.dilation = v; });
    prefixSpin_ = addSpin(form, [] { return tr("Prefix-LM P"); }, QStringLiteral("prefixSpin"), 0,
                          [] { return tr("The first P tokens see each other both ways; the rest causally"); },
                          [](ScenarioConfig& c, int v) { c.rules.prefix = v; });
    texts_.bind(prefixSpin_, &QAbstractSpinBox::setSpecialValueText, [] { return tr("off"); });
    globalSpin_ = addSpin(form, [] { return tr("Global tokens G"); }, QStringLiteral("globalSpin"), 0,
                          [] { return tr("The first G tokens attend to and are attended by every position"); },
                          [](ScenarioConfig& c, int v) { c.rules.globalTokens = v; });
    texts_.bind(globalSpin_, &QAbstractSpinBox::setSpecialValueText, [] { return tr("none"); });
    return group;
}

QGroupBox* RulesPanel::makeDocumentsGroup()
{
    auto* group = texts_.bind(new QGroupBox, &QGroupBox::setTitle, [] { return tr("Documents and chunks"); });
    auto* form = new QFormLayout(group);
    segmentsEdit_ = new QLineEdit;
    segmentsEdit_->setObjectName(QStringLiteral("segmentsEdit"));
    texts_.bind(segmentsEdit_, &QLineEdit::setPlaceholderText, [] { return tr("e.g. 3,5"); });
    texts_.bind(segmentsEdit_, &QWidget::setToolTip,
                [] { return tr("Lengths of packed documents: a query sees keys of its own document only"); });
    connect(segmentsEdit_, &QLineEdit::textEdited, this, &RulesPanel::setSegmentsFromText);
    texts_.addRow(form, [] { return tr("Document lengths"); }, segmentsEdit_);
    segmentsError_ = errorLabel(QStringLiteral("segmentsError"));
    form->addRow(segmentsError_);
    chunkSpin_ = addSpin(form, [] { return tr("Chunk size C"); }, QStringLiteral("chunkSpin"), 0,
                         [] { return tr("Attend only within chunks of C positions"); },
                         [](ScenarioConfig& c, int v) { c.rules.chunk = v; });
    texts_.bind(chunkSpin_, &QAbstractSpinBox::setSpecialValueText, [] { return tr("off"); });
    withinCausalCheck_ = texts_.bind(new QCheckBox, &QCheckBox::setText, [] { return tr("Causal within each"); });
    withinCausalCheck_->setObjectName(QStringLiteral("withinCausalCheck"));
    texts_.bind(withinCausalCheck_, &QWidget::setToolTip,
                [] { return tr("The same switch as “Causal\u201D in the parameters"); });
    connect(withinCausalCheck_, &QCheckBox::toggled, this, [this](bool on) {
        edit([on](ScenarioConfig& c) { c.causal = on; });
    });
    form->addRow(withinCausalCheck_);
    return group;
}

QGroupBox* RulesPanel::makeCellsGroup()
{
    auto* group =
        texts_.bind(new QGroupBox, &QGroupBox::setTitle, [] { return tr("Mask file, painted cells, tiles"); });
    auto* form = new QFormLayout(group);
    maskFileLabel_ = quietLabel(QStringLiteral("maskFileLabel"));
    auto* open = texts_.bind(new QPushButton, &QPushButton::setText, [] { return tr("Open .npy\u2026"); });
    open->setObjectName(QStringLiteral("maskFileOpen"));
    texts_.bind(open, &QWidget::setToolTip,
                [] { return tr("An (Lq, Lk) bool array, True = allowed, AND-ed with the rules"); });
    connect(open, &QPushButton::clicked, this, &RulesPanel::openMaskFile);
    maskFileClear_ = texts_.bind(new QPushButton, &QPushButton::setText, [] { return tr("Remove"); });
    maskFileClear_->setObjectName(QStringLiteral("maskFileClear"));
    connect(maskFileClear_, &QPushButton::clicked, this, [this] {
        maskFileError_->hide();
        edit([](ScenarioConfig& c) { c.maskFile.clear(); });
    });
    auto* fileRow = new QHBoxLayout;
    fileRow->addWidget(open);
    fileRow->addWidget(maskFileClear_);
    texts_.addRow(form, [] { return tr("Mask file"); }, fileRow);
    form->addRow(maskFileLabel_);
    maskFileError_ = errorLabel(QStringLiteral("maskFileError"));
    form->addRow(maskFileError_);

    paintCheck_ = texts_.bind(new QCheckBox, &QCheckBox::setText, [] { return tr("Paint cells on the mask view"); });
    texts_.bind(paintCheck_, &QWidget::setToolTip,
                [] { return tr("A click on a mask cell toggles it; a drag paints every cell it crosses"); });
    paintCheck_->setObjectName(QStringLiteral("paintCheck"));
    paintCheck_->setChecked(true);
    connect(paintCheck_, &QCheckBox::toggled, this, &RulesPanel::paintModeChanged);
    form->addRow(paintCheck_);
    toggledLabel_ = quietLabel(QStringLiteral("toggledLabel"));
    clearToggled_ = texts_.bind(new QPushButton, &QPushButton::setText, [] { return tr("Clear"); });
    clearToggled_->setObjectName(QStringLiteral("clearToggledButton"));
    connect(clearToggled_, &QPushButton::clicked, this, [this] {
        edit([](ScenarioConfig& c) { c.rules.toggled.clear(); });
    });
    auto* cellsRow = new QHBoxLayout;
    cellsRow->addWidget(toggledLabel_, 1);
    cellsRow->addWidget(clearToggled_);
    form->addRow(cellsRow);
    blockSpin_ = addSpin(form, [] { return tr("Block size B"); }, QStringLiteral("blockSpin"), 16,
                         [] { return tr("Tile side of the block-sparsity overlay (View menu), 16 to 128"); },
                         [](ScenarioConfig& c, int v) { c.blockSize = v; });
    blockSpin_->setMaximum(128);
    blockSpin_->setSingleStep(16);
    return group;
}

QGroupBox* RulesPanel::makeModifiersGroup()
{
    auto* group = texts_.bind(new QGroupBox, &QGroupBox::setTitle, [] { return tr("Score modifiers"); });
    group->setObjectName(QStringLiteral("modifiersGroup"));
    auto* form = new QFormLayout(group);
    auto* apart = quietLabel(QStringLiteral("modifiersHint"));
    texts_.bind(apart, &QLabel::setText,
                [] { return tr("They change logits, not allowance: the mask stays as it is."); });
    form->addRow(apart);
    alibiCheck_ = texts_.bind(new QCheckBox, &QCheckBox::setText, [] { return tr("ALiBi distance bias"); });
    texts_.bind(alibiCheck_, &QWidget::setToolTip,
                [] { return tr("Each head adds −slope · |i′ − j| to its logits (Press et al. 2022)"); });
    alibiCheck_->setObjectName(QStringLiteral("alibiCheck"));
    connect(alibiCheck_, &QCheckBox::toggled, this, [this](bool on) {
        edit([on](ScenarioConfig& c) { c.scoreModifiers.alibi = on; });
    });
    form->addRow(alibiCheck_);
    softcapCheck_ = texts_.bind(new QCheckBox, &QCheckBox::setText, [] { return tr("tanh soft-cap"); });
    softcapCheck_->setObjectName(QStringLiteral("softcapCheck"));
    softcapSpin_ = new QDoubleSpinBox;
    softcapSpin_->setObjectName(QStringLiteral("softcapSpin"));
    softcapSpin_->setRange(0.01, 1e6); // a cap must be positive: 0 is not offered
    softcapSpin_->setDecimals(2);
    softcapSpin_->setValue(kDefaultSoftcap);
    softcapSpin_->setKeyboardTracking(false);
    // Else named after its group, as any field of a row without a label.
    texts_.bind(softcapSpin_, &QWidget::setAccessibleName, [] { return tr("Soft-cap c"); });
    texts_.bind(softcapSpin_, &QWidget::setToolTip,
                [] { return tr("Scores become c \u00B7 tanh(s / c): bounded by ±c"); });
    connect(softcapCheck_, &QCheckBox::toggled, this, &RulesPanel::setSoftcapFromControls);
    connect(softcapSpin_, &QDoubleSpinBox::valueChanged, this, &RulesPanel::setSoftcapFromControls);
    auto* capRow = new QHBoxLayout;
    capRow->addWidget(softcapCheck_);
    capRow->addWidget(softcapSpin_, 1);
    form->addRow(capRow);
    modifiersSummary_ = quietLabel(QStringLiteral("modifiersSummary"));
    form->addRow(modifiersSummary_);
    return group;
}

void RulesPanel::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void RulesPanel::retranslateUi()
{
    texts_.retranslate();
    syncFromDocument(); // the summaries and hints
    showError(document_->error());
    if (!segmentsError_->isHidden())
        setSegmentsFromText(segmentsEdit_->text()); // says again what is wrong with the text typed
    maskFileError_->hide(); // about a file tried before: said again, translated, on the next try
}

void RulesPanel::showError(const QString& error)
{
    documentError_->setText(tr("Cannot compute: %1").arg(error));
    documentError_->setVisible(!error.isEmpty());
}

void RulesPanel::edit(const std::function<void(ScenarioConfig&)>& change)
{
    if (syncing_)
        return; // the controls echo the document they are being set from
    document_->editConfig(change);
}

void RulesPanel::setSegmentsFromText(const QString& text)
{
    std::vector<int> lengths;
    const QStringList parts = text.split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString& part : parts) {
        bool ok = false;
        const int v = part.trimmed().toInt(&ok);
        if (!ok || v < 1) {
            segmentsError_->setText(tr("\u201C%1\u201D is not a length of at least 1").arg(part.trimmed()));
            segmentsError_->show();
            return;
        }
        lengths.push_back(v);
    }
    const int keyLen = lengthsOf(*document_).second;
    const long long sum = std::accumulate(lengths.begin(), lengths.end(), 0LL);
    if (!lengths.empty() && sum != keyLen) {
        segmentsError_->setText(tr("The lengths sum to %1; they must sum to the key length %2.").arg(sum).arg(keyLen));
        segmentsError_->show();
        return;
    }
    segmentsError_->hide();
    edit([&lengths](ScenarioConfig& c) { c.rules.segments = lengths; });
}

bool RulesPanel::setMaskFile(const QString& path)
{
    ScenarioConfig candidate = document_->config();
    candidate.maskFile = path.toStdString();
    try {
        buildMaskSpec(candidate); // reads the file now: a bad one never reaches the document
    } catch (const InputError& e) {
        maskFileError_->setText(tr("Not used: %1").arg(QString::fromStdString(e.what())));
        maskFileError_->show();
        return false;
    }
    maskFileError_->hide();
    edit([&candidate](ScenarioConfig& c) { c.maskFile = candidate.maskFile; });
    return true;
}

void RulesPanel::openMaskFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Allowed mask (bool .npy, True = allowed)"),
                                                      QString(), tr("NumPy arrays (*.npy)"));
    if (!path.isEmpty())
        setMaskFile(path);
}

void RulesPanel::setSoftcapFromControls()
{
    const bool on = softcapCheck_->isChecked();
    const double cap = softcapSpin_->value();
    softcapSpin_->setEnabled(on);
    edit([on, cap](ScenarioConfig& c) {
        c.scoreModifiers.softcap = on ? std::optional<double>(cap) : std::nullopt;
    });
}

void RulesPanel::syncFromDocument()
{
    const QScopedValueRollback syncing(syncing_, true);
    const ScenarioConfig& c = document_->config();
    const MaskRules& r = c.rules;
    syncLimits(c);
    alignCombo_->setCurrentIndex(r.causalAlign == CausalAlign::BottomRight ? 1 : 0);
    // Text being typed that does not fit yet stays; anything else shows the document's lengths.
    if (!(segmentsEdit_->hasFocus() && segmentsError_->isVisible())) {
        segmentsEdit_->setText(segmentsText(r.segments));
        segmentsError_->hide();
    }
    withinCausalCheck_->setChecked(c.causal);
    maskFileLabel_->setText(c.maskFile.empty() ? tr("none: every cell passes")
                                               : QString::fromStdString(c.maskFile));
    maskFileClear_->setEnabled(!c.maskFile.empty());
    toggledLabel_->setText(tr("%n cell(s) painted by hand", nullptr, static_cast<int>(r.toggled.size())));
    clearToggled_->setEnabled(!r.toggled.empty());
    blockSpin_->setValue(c.blockSize);
    alibiCheck_->setChecked(c.scoreModifiers.alibi);
    softcapCheck_->setChecked(c.scoreModifiers.softcap.has_value());
    if (c.scoreModifiers.softcap)
        softcapSpin_->setValue(*c.scoreModifiers.softcap);
    softcapSpin_->setEnabled(c.scoreModifiers.softcap.has_value());
    summary_->setText(rulesSummary(c));
    modifiersSummary_->setText(modifiersSummary(c));
}

// Ranges follow the lengths, so values that cannot apply are not offered.
void RulesPanel::syncLimits(const ScenarioConfig& c)
{
    const auto [queryLen, keyLen] = lengthsOf(*document_);
    const MaskRules& r = c.rules;
    setSpin(windowLeftSpin_, keyLen, r.windowLeft);
    setSpin(windowRightSpin_, keyLen, r.windowRight);
    setSpin(dilationSpin_, std::max(1, keyLen), r.dilation);
    setSpin(prefixSpin_, keyLen, r.prefix);
    setSpin(globalSpin_, keyLen, r.globalTokens);
    setSpin(chunkSpin_, keyLen, r.chunk);
    syncModernGroup(c, keyLen);
    const bool cross = queryLen != keyLen;
    alignCombo_->setEnabled(cross);
    alignHint_->setText(cross ? tr("%1 queries \u00D7 %2 keys: where the diagonal starts matters.")
                                    .arg(queryLen).arg(keyLen)
                              : tr("Equal lengths: both alignments give the same mask."));
}

} // namespace maskscope::ui
