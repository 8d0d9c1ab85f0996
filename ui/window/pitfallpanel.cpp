// SPDX-License-Identifier: MIT
#include "window/pitfallpanel.h"

#include "window/hintlabel.h"
#include "document/maskdocument.h"
#include "document/pitfallexplanation.h"
#include "figure/pitfallfigure.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include <algorithm>

namespace maskscope::ui {

namespace {

// The core's explanations, translated in their own context (see core/pitfalls.h).
QString labText(const char* text)
{
    return QCoreApplication::translate(kPitfallTextContext, text);
}

template <typename Infos>
QStringList titlesOf(const Infos& infos)
{
    QStringList titles;
    for (const auto& info : infos)
        titles << labText(info.title);
    return titles;
}

template <typename Infos, typename Id>
int indexOf(const Infos& infos, Id id)
{
    const auto it = std::find_if(infos.begin(), infos.end(), [id](const auto& i) { return i.id == id; });
    return static_cast<int>(it - infos.begin());
}

// A mistake needs something to act on: without a mask to lose, padding to forget or a causal
// rule to turn around, switching it on would change nothing on screen.
void giveMistakeSomethingToDo(Pitfall p, ScenarioConfig& c)
{
    const bool hasMask = c.causal || !c.validLens.empty() || !(c.rules == MaskRules{}) ||
                         !c.maskFile.empty() || !c.loadDir.empty();
    if (p == Pitfall::CausalBackwards || (p == Pitfall::MaskedFillNotInplace && !hasMask))
        c.causal = true;
    if (p == Pitfall::UnmaskedPadding && c.validLens.empty() && c.loadDir.empty()) {
        const int length = c.effectiveSeqLen();
        c.validLens.assign(static_cast<size_t>(c.effectiveBatch()), std::max(1, length - std::max(1, length / 4)));
    }
}

QString codeLineText(const QString& seed, const char* fix)
{
    return PitfallPanel::tr("seed %1 \u00B7 fix: <code>%2</code>").arg(seed, QString::fromLatin1(fix).toHtmlEscaped());
}

QLabel* codeLine()
{
    auto* label = hintLabel();
    label->setTextFormat(Qt::RichText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setContentsMargins(22, 0, 0, 0);
    return label;
}

} // namespace

PitfallPanel::PitfallPanel(MaskDocument* document, QWidget* parent)
    : QWidget(parent), document_(document)
{
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(makeIntro());
    layout->addWidget(makeMistakesGroup());
    layout->addWidget(makeGenerationGroup());
    layout->addWidget(makeSettingsGroup());
    layout->addStretch(1);
    connect(document_, &MaskDocument::configChanged, this, &PitfallPanel::syncFromDocument);
    connect(document_, &MaskDocument::viewChanged, this, &PitfallPanel::syncFromDocument);
    connect(document_, &MaskDocument::resultChanged, this, &PitfallPanel::syncOutcome);
    syncFromDocument();
    syncOutcome();
}

const char* PitfallPanel::fixLine(Pitfall p)
{
    switch (p) {
    case Pitfall::MaskedFillNotInplace: return "atten_scores = atten_scores.masked_fill(mask == 0, -1e9)";
    case Pitfall::QprojForKv: return "K = self.k_proj(k); V = self.v_proj(v)";
    case Pitfall::InvertedPolarity: return "key_padding_mask = (attention_mask == 0)";
    case Pitfall::UnmaskedPadding: return "mha(x, x, x, key_padding_mask=(input_ids == pad_id))";
    case Pitfall::CausalBackwards: return "mask = torch.triu(torch.full((L, L), float('-inf')), diagonal=1)";
    }
    return "";
}

QWidget* PitfallPanel::makeIntro()
{
    auto* box = new QWidget;
    auto* column = new QVBoxLayout(box);
    column->setContentsMargins(0, 0, 0, 0);
    column->addWidget(texts_.bind(hintLabel(), &QLabel::setText, [] {
        return tr("Make the classic mistakes on purpose and watch what they do to the numbers. Each "
                  "comes from one of the source documents (seeds 000–004); several can be on at once.");
    }));
    compare_ = texts_.bind(new QCheckBox, &QCheckBox::setText,
                           [] { return tr("Before / after: show the fixed code next to the mistake"); });
    compare_->setObjectName(QStringLiteral("compareCheck"));
    texts_.bind(compare_, &QWidget::setToolTip, [] {
        return tr("The figure with the mistakes beside the same figure computed without them; exports "
                  "show the same pair");
    });
    connect(compare_, &QCheckBox::toggled, this, &PitfallPanel::setCompare);
    compareHint_ = hintLabel();
    outcome_ = new QLabel;
    outcome_->setObjectName(QStringLiteral("labOutcome"));
    outcome_->setWordWrap(true);
    outcome_->setTextFormat(Qt::RichText);
    column->addWidget(compare_);
    column->addWidget(compareHint_);
    column->addWidget(outcome_);
    return box;
}

QGroupBox* PitfallPanel::makeMistakesGroup()
{
    auto* group = texts_.bind(new QGroupBox, &QGroupBox::setTitle, [] { return tr("Mistakes"); });
    auto* column = new QVBoxLayout(group);
    for (const PitfallInfo& info : pitfallInfos()) {
        MistakeRow& row = mistakes_[static_cast<size_t>(info.id)];
        row.check = texts_.bind(new QCheckBox, &QCheckBox::setText, [&info] { return labText(info.title); });
        row.check->setObjectName(QStringLiteral("bug_%1").arg(QString::fromLatin1(info.cliName)));
        texts_.bind(row.check, &QWidget::setToolTip, [&info] {
            return QStringLiteral("<p>%1</p><p>%2</p>").arg(labText(info.paragraph), labText(info.fix));
        });
        row.paragraph = texts_.bind(hintLabel(), &QLabel::setText, [&info] { return labText(info.paragraph); });
        row.paragraph->setContentsMargins(22, 0, 0, 6);
        row.paragraph->hide();
        const Pitfall id = info.id;
        connect(row.check, &QCheckBox::toggled, this, [this, id](bool on) { setMistake(id, on); });
        column->addWidget(row.check);
        column->addWidget(texts_.bind(codeLine(), &QLabel::setText, [&info] {
            return codeLineText(QString::fromLatin1(info.seed), fixLine(info.id));
        }));
        column->addWidget(row.paragraph);
    }
    return group;
}

QGroupBox* PitfallPanel::makeGenerationGroup()
{
    auto* group = texts_.bind(new QGroupBox, &QGroupBox::setTitle,
                              [] { return tr("Batched generation: left or right padding with a causal mask"); });
    auto* column = new QVBoxLayout(group);
    column->addWidget(texts_.bind(hintLabel(), &QLabel::setText, [] {
        return tr("A batch of prompts padded to one length. Padded on the left, the first rows of the "
                  "short prompt are padding queries whose only earlier keys are padding: no key is "
                  "allowed. PyTorch's softmax returns NaN there, scaled_dot_product_attention since 2.5 "
                  "zeros, a −1e9 fill uniform weights. Padded on the right, every row keeps its first "
                  "key.");
    }));
    auto* buttons = new QHBoxLayout;
    for (PadSide side : {PadSide::Left, PadSide::Right}) {
        auto* button = texts_.bind(new QPushButton, &QPushButton::setText, [side] {
            return side == PadSide::Left ? tr("Left padding") : tr("Right padding");
        });
        button->setObjectName(side == PadSide::Left ? QStringLiteral("leftPaddingButton")
                                                    : QStringLiteral("rightPaddingButton"));
        connect(button, &QPushButton::clicked, this, [this, side] { setUpBatchedGeneration(side); });
        buttons->addWidget(button);
    }
    column->addLayout(buttons);
    return group;
}

QComboBox* PitfallPanel::addChoice(QGroupBox* group, const std::function<QString()>& label, const QString& name,
                                   const std::function<QStringList()>& titles, QLabel** paragraph)
{
    auto* form = static_cast<QFormLayout*>(group->layout());
    auto* combo = texts_.bindItems(new QComboBox, titles);
    combo->setObjectName(name);
    *paragraph = hintLabel();
    texts_.addRow(form, label, combo);
    form->addRow(*paragraph);
    return combo;
}

QGroupBox* PitfallPanel::makeSettingsGroup()
{
    auto* group = texts_.bind(new QGroupBox, &QGroupBox::setTitle, [] { return tr("How the numbers are computed"); });
    auto* form = new QFormLayout(group);
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    format_ = addChoice(group, [] { return tr("Number format"); }, QStringLiteral("formatCombo"),
                        [] { return titlesOf(numberFormatInfos()); }, &formatText_);
    blockedRows_ = addChoice(group, [] { return tr("A row with no allowed key"); }, QStringLiteral("blockedRowsCombo"),
                             [] { return titlesOf(blockedRowsInfos()); }, &blockedRowsText_);
    maskApply_ = addChoice(group, [] { return tr("The mask is"); }, QStringLiteral("maskApplyCombo"),
                           [] { return titlesOf(maskApplyInfos()); }, &maskApplyText_);
    connect(format_, &QComboBox::currentIndexChanged, this, [this](int k) {
        edit([k](ScenarioConfig& c) { c.pitfalls.format = numberFormatInfos().at(static_cast<size_t>(k)).id; });
    });
    connect(blockedRows_, &QComboBox::currentIndexChanged, this, [this](int k) {
        edit([k](ScenarioConfig& c) { c.pitfalls.blockedRows = blockedRowsInfos().at(static_cast<size_t>(k)).id; });
    });
    connect(maskApply_, &QComboBox::currentIndexChanged, this, [this](int k) {
        edit([k](ScenarioConfig& c) { c.pitfalls.maskApply = maskApplyInfos().at(static_cast<size_t>(k)).id; });
    });
    return group;
}

void PitfallPanel::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void PitfallPanel::retranslateUi()
{
    texts_.retranslate();
    syncFromDocument(); // the paragraphs of the settings chosen
    syncOutcome();
}

void PitfallPanel::edit(const std::function<void(ScenarioConfig&)>& change)
{
    if (!syncing_) // while the panel copies the document into its controls, signals are echoes
        document_->editConfig(change);
}

void PitfallPanel::setMistake(Pitfall p, bool on)
{
    edit([p, on](ScenarioConfig& c) {
        c.pitfalls.mistakes.set(p, on);
        if (on)
            giveMistakeSomethingToDo(p, c);
    });
}

void PitfallPanel::setCompare(bool on)
{
    if (syncing_)
        return;
    FigureRequest v = document_->view();
    v.compareFixed = on;
    document_->setView(v);
}

void PitfallPanel::setUpBatchedGeneration(PadSide side)
{
    document_->editConfig([side](ScenarioConfig& c) {
        c.seqLen = 6;
        c.queryLen.reset();
        c.batch = 2;
        c.validLens = {6, 3};
        c.padSide = side;
        c.causal = true;
        c.loadDir.clear();
    });
    document_->setBatchItem(1);
}

void PitfallPanel::syncFromDocument()
{
    const QScopedValueRollback syncing(syncing_, true);
    const ScenarioConfig& c = document_->config();
    const Pitfalls& lab = c.pitfalls;
    for (const PitfallInfo& info : pitfallInfos()) {
        MistakeRow& row = mistakes_[static_cast<size_t>(info.id)];
        row.check->setChecked(lab.has(info.id));
        row.paragraph->setVisible(lab.has(info.id));
    }
    const bool comparable = hasFixableMistake(c);
    compare_->setEnabled(comparable);
    compare_->setChecked(document_->view().compareFixed);
    compareHint_->setText(comparable ? QString() : tr("Switch a mistake on to compare it with the fixed code."));
    compareHint_->setVisible(!comparable);
    format_->setCurrentIndex(indexOf(numberFormatInfos(), lab.format));
    blockedRows_->setCurrentIndex(indexOf(blockedRowsInfos(), lab.blockedRows));
    maskApply_->setCurrentIndex(indexOf(maskApplyInfos(), lab.maskApply));
    formatText_->setText(labText(numberFormatInfo(lab.format).paragraph));
    blockedRowsText_->setText(labText(blockedRowsInfo(lab.blockedRows).paragraph));
    maskApplyText_->setText(labText(maskApplyInfo(lab.maskApply).paragraph));
}

// What the lab did to the numbers on screen, in a few words: the same warnings as the status line.
void PitfallPanel::syncOutcome()
{
    const TraceResultPtr r = document_->result();
    if (!r || !r->ok() || !r->scenario) {
        outcome_->clear();
        return;
    }
    const QStringList lines = std::visit([&](const auto& t) { return pitfallWarnings(*r->scenario, t); }, r->trace);
    if (lines.isEmpty()) {
        outcome_->setText(tr("<i>The mask is applied and every row has an allowed key.</i>"));
        return;
    }
    QString html;
    for (const QString& line : lines)
        html += QStringLiteral("\u26A0 %1<br>").arg(line.toHtmlEscaped());
    outcome_->setText(html);
}

} // namespace maskscope::ui
