// SPDX-License-Identifier: MIT
#include "window/viewselector.h"

#include "document/maskdocument.h"

#include <QAbstractButton>
#include <QButtonGroup>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QScopedValueRollback>
#include <QSpinBox>
#include <QToolButton>

#include <algorithm>

namespace maskscope::ui {

namespace {

// Button order of the groups.
const ViewKind kMatrices[] = {ViewKind::Mask, ViewKind::Logits, ViewKind::MaskedLogits, ViewKind::Weights};
const Layout kLayouts[] = {Layout::SingleHead, Layout::AllHeads, Layout::MeanHead, Layout::Pipeline};

template <typename T, size_t N>
int indexOf(const T (&items)[N], T value)
{
    return static_cast<int>(std::find(std::begin(items), std::end(items), value) - std::begin(items));
}

} // namespace

ViewSelector::ViewSelector(MaskDocument* document, QWidget* parent)
    : QWidget(parent), document_(document)
{
    matrixGroup_ = makeGroup(QStringLiteral("matrix"), [] {
        return ButtonTexts{{tr("Mask"), tr("Logits"), tr("Masked logits"), tr("Weights")},
                           {tr("Which keys each query may see (and the value added to blocked ones)"),
                            tr("Raw scores q·k / √d_k, before masking"),
                            tr("Logits plus the mask: blocked keys become \u2212\u221E (or the fill)"),
                            tr("Softmax of the masked logits: how much each query attends to each key")}};
    });
    layoutGroup_ = makeGroup(QStringLiteral("layout"), [] {
        return ButtonTexts{{tr("One head"), tr("All heads"), tr("Mean of heads"), tr("Pipeline")},
                           {tr("One head, large"), tr("Every head as a small multiple"),
                            tr("The weights averaged over heads (PyTorch's default need_weights output)"),
                            tr("Mask \u2192 logits \u2192 masked logits \u2192 weights of one head, side by side")}};
    });
    headLabel_ = texts_.bind(new QLabel, &QLabel::setText, [] { return tr("Head"); });
    headSpin_ = new QSpinBox;
    headSpin_->setObjectName(QStringLiteral("headSpin"));
    batchLabel_ = texts_.bind(new QLabel, &QLabel::setText, [] { return tr("Sentence"); });
    batchSpin_ = new QSpinBox;
    batchSpin_->setObjectName(QStringLiteral("batchItemSpin"));
    texts_.bind(batchSpin_, &QWidget::setToolTip, [] { return tr("Which batch item (sentence) is shown"); });
    // Two short rows rather than one long one, so the window fits beside its docks on a laptop.
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(6, 2, 6, 2);
    grid->setVerticalSpacing(0);
    addRow(grid, 0, [] { return tr("Show"); }, matrixGroup_, batchLabel_, batchSpin_);
    addRow(grid, 1, [] { return tr("Heads"); }, layoutGroup_, headLabel_, headSpin_);
    grid->setColumnStretch(2, 1);

    connect(matrixGroup_, &QButtonGroup::idClicked, this, [this](int id) {
        if (!syncing_)
            document_->setMatrix(kMatrices[id]);
    });
    connect(layoutGroup_, &QButtonGroup::idClicked, this, [this](int id) {
        if (!syncing_)
            document_->setLayout(kLayouts[id]);
    });
    connect(headSpin_, &QSpinBox::valueChanged, this, [this](int head) {
        if (!syncing_)
            document_->setHead(head);
    });
    connect(batchSpin_, &QSpinBox::valueChanged, this, [this](int item) {
        if (!syncing_)
            document_->setBatchItem(item);
    });
    connect(document_, &MaskDocument::viewChanged, this, &ViewSelector::syncFromDocument);
    connect(document_, &MaskDocument::configChanged, this, &ViewSelector::syncFromDocument);
    connect(document_, &MaskDocument::resultChanged, this, &ViewSelector::syncFromDocument);
    syncFromDocument();
}

void ViewSelector::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void ViewSelector::retranslateUi()
{
    texts_.retranslate(); // every text here is bound: none depends on the document
}

void ViewSelector::addRow(QGridLayout* grid, int row, const std::function<QString()>& title, QButtonGroup* group,
                          QLabel* spinLabel, QSpinBox* spin)
{
    auto* buttons = new QHBoxLayout;
    buttons->setSpacing(2);
    for (QAbstractButton* b : group->buttons())
        buttons->addWidget(b);
    auto* heading = texts_.bind(new QLabel, &QLabel::setText, [title] { return QStringLiteral("<b>%1</b>").arg(title()); });
    grid->addWidget(heading, row, 0);
    grid->addLayout(buttons, row, 1);
    spinLabel->setBuddy(spin); // which also names the spin box for assistive technology
    auto* pick = new QHBoxLayout;
    pick->addWidget(spinLabel);
    pick->addWidget(spin);
    grid->addLayout(pick, row, 3);
}

QButtonGroup* ViewSelector::makeGroup(const QString& name, const std::function<ButtonTexts()>& texts)
{
    auto* group = new QButtonGroup(this);
    group->setExclusive(true);
    for (int k = 0; k < texts().labels.size(); ++k) {
        auto* button = new QToolButton;
        button->setObjectName(QStringLiteral("%1Button%2").arg(name).arg(k));
        button->setCheckable(true);
        button->setAutoRaise(true);
        group->addButton(button, k);
    }
    texts_.bind([group, texts] {
        const ButtonTexts t = texts();
        for (int k = 0; k < t.labels.size(); ++k) {
            group->button(k)->setText(t.labels[k]);
            group->button(k)->setToolTip(t.tips.value(k));
        }
    });
    return group;
}

void ViewSelector::syncFromDocument()
{
    const QScopedValueRollback syncing(syncing_, true);
    const FigureRequest& v = document_->view();
    const ScenarioConfig& c = document_->config();
    // The checked matrix is the one on screen: the pipeline shows them all, the mean only weights.
    matrixGroup_->setExclusive(false);
    for (QAbstractButton* b : matrixGroup_->buttons())
        b->setChecked(v.layout != Layout::Pipeline && b == matrixGroup_->button(indexOf(kMatrices, v.figureView())));
    matrixGroup_->setExclusive(true);
    layoutGroup_->button(indexOf(kLayouts, v.layout))->setChecked(true);
    // The pipeline shows every matrix; the mean exists for the weights (and the shared mask).
    for (QAbstractButton* b : matrixGroup_->buttons())
        b->setEnabled(v.layout != Layout::Pipeline &&
                      (v.layout != Layout::MeanHead || b == matrixGroup_->button(0) ||
                       b == matrixGroup_->button(3)));
    int heads = c.heads;
    int batch = c.validLens.empty() ? c.effectiveBatch() : static_cast<int>(c.validLens.size());
    if (const TraceResultPtr r = document_->result(); r && r->scenario && (!c.loadDir.empty() || c.usesModel())) {
        heads = r->scenario->heads();
        batch = r->scenario->mask.batch;
    }
    headSpin_->setRange(0, std::max(0, heads - 1));
    headSpin_->setValue(v.head);
    const bool oneHead = v.layout == Layout::SingleHead || v.layout == Layout::Pipeline;
    headSpin_->setEnabled(oneHead && heads > 1);
    headLabel_->setEnabled(headSpin_->isEnabled());
    batchSpin_->setRange(0, std::max(0, batch - 1));
    batchSpin_->setValue(v.batchItem);
    batchSpin_->setEnabled(batch > 1);
    batchLabel_->setEnabled(batch > 1);
}

} // namespace maskscope::ui
