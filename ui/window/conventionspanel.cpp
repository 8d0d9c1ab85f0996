// SPDX-License-Identifier: MIT
#include "window/conventionspanel.h"

#include "document/maskdocument.h"
#include "document/whenready.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QEvent>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <cmath>

namespace maskscope::ui {

namespace {

QString valueText(const ConventionTensor& t, double v)
{
    if (t.dtype == "bool")
        return v != 0.0 ? QStringLiteral("T") : QStringLiteral("F");
    if (t.dtype == "int64")
        return QString::number(static_cast<long long>(v));
    if (std::isinf(v))
        return v < 0 ? QStringLiteral("-inf") : QStringLiteral("inf");
    return QString::number(v, 'g', 3);
}

// Where batch item `item`'s matrix starts in t.values, and its shape (rows, cols).
struct Slice {
    std::size_t offset = 0;
    int rows = 1;
    int cols = 1;
    QString index; // e.g. "[1]" or "[4]" (item 1, head 0 of 4)
};

Slice sliceOf(const ConventionTensor& t, int batch, int item)
{
    Slice s;
    const int rank = static_cast<int>(t.shape.size());
    if (rank == 0)
        return s;
    s.cols = t.shape.back();
    if (rank == 2 && t.shape[0] == batch && (t.name.find("padding") != std::string::npos ||
                                             t.name == "attention_mask")) {
        s.offset = static_cast<std::size_t>(item) * static_cast<std::size_t>(s.cols); // one row per item
        s.index = QStringLiteral("[%1]").arg(item);
        return s;
    }
    if (rank == 1)
        return s;
    s.rows = t.shape[static_cast<std::size_t>(rank - 2)];
    std::size_t leading = 1;
    for (int k = 0; k + 2 < rank; ++k)
        leading *= static_cast<std::size_t>(t.shape[static_cast<std::size_t>(k)]);
    if (rank >= 3 && leading % static_cast<std::size_t>(batch) == 0) {
        const std::size_t first = static_cast<std::size_t>(item) * (leading / static_cast<std::size_t>(batch));
        s.offset = first * static_cast<std::size_t>(s.rows) * static_cast<std::size_t>(s.cols);
        s.index = QStringLiteral("[%1]").arg(first);
    }
    return s;
}

QString shapeText(const std::vector<int>& shape)
{
    QStringList dims;
    for (int d : shape)
        dims << QString::number(d);
    return QStringLiteral("(%1)").arg(dims.join(QStringLiteral(", ")));
}

// Read-only monospaced text, lines never wrapped: tensors and code keep their columns.
QPlainTextEdit* codeView(const QString& objectName)
{
    auto* view = new QPlainTextEdit;
    view->setObjectName(objectName);
    view->setReadOnly(true);
    view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    view->setLineWrapMode(QPlainTextEdit::NoWrap);
    return view;
}

} // namespace

QString tensorSliceText(const ConventionTensor& t, int batch, int item, int maxSide)
{
    const Slice s = sliceOf(t, batch, item);
    QStringList lines;
    for (int i = 0; i < std::min(s.rows, maxSide); ++i) {
        QStringList cells;
        for (int j = 0; j < std::min(s.cols, maxSide); ++j)
            cells << valueText(t, t.values[s.offset + static_cast<std::size_t>(i) * s.cols + j]).rightJustified(
                         t.dtype == "bool" || t.dtype == "int64" ? 1 : 6);
        if (s.cols > maxSide)
            cells << QStringLiteral("\u2026");
        lines << cells.join(QLatin1Char(' '));
    }
    if (s.rows > maxSide)
        lines << QStringLiteral("\u22EE");
    return QStringLiteral("%1%2 %3 %4 \u2014 %5\n%6")
        .arg(QString::fromStdString(t.name), s.index, QString::fromStdString(t.dtype), shapeText(t.shape),
             QString::fromStdString(t.meaning), lines.join(QLatin1Char('\n')));
}

ConventionsPanel::ConventionsPanel(MaskDocument* document, QWidget* parent)
    : QWidget(parent), document_(document)
{
    auto* layout = new QVBoxLayout(this);
    conventionCombo_ = new QComboBox;
    conventionCombo_->setObjectName(QStringLiteral("conventionCombo"));
    conventionCombo_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    conventionCombo_->setMinimumContentsLength(16);
    texts_.bind(conventionCombo_, &QWidget::setAccessibleName, [] { return tr("Framework"); });
    texts_.bindItems(conventionCombo_, [] {
        QStringList titles;
        for (const ConventionInfo& info : allConventions())
            titles << QCoreApplication::translate("Conventions", info.title);
        return titles;
    });
    layout->addWidget(conventionCombo_);
    spelling_ = new QLabel;
    spelling_->setObjectName(QStringLiteral("conventionSpelling"));
    spelling_->setWordWrap(true);
    layout->addWidget(spelling_);
    tensors_ = codeView(QStringLiteral("conventionTensors"));
    texts_.bind(tensors_, &QWidget::setAccessibleName, [] { return tr("The mask's tensors in this spelling"); });
    layout->addWidget(tensors_, 2);
    polarityCheck_ = texts_.bind(new QCheckBox, &QCheckBox::setText,
                                 [] { return tr("Polarity: read it the other way round"); });
    texts_.bind(polarityCheck_, &QWidget::setToolTip,
                [] { return tr("What the framework does when this bool mask is passed with the opposite meaning"); });
    polarityCheck_->setObjectName(QStringLiteral("polarityCheck"));
    layout->addWidget(polarityCheck_);
    flipLabel_ = new QLabel;
    flipLabel_->setObjectName(QStringLiteral("flipReport"));
    flipLabel_->setWordWrap(true);
    flipLabel_->hide();
    layout->addWidget(flipLabel_);
    snippet_ = codeView(QStringLiteral("conventionSnippet"));
    texts_.bind(snippet_, &QWidget::setAccessibleName, [] { return tr("Code snippet"); });
    layout->addWidget(snippet_, 3);
    copyButton_ = texts_.bind(new QPushButton, &QPushButton::setText, [] { return tr("Copy code"); });
    copyButton_->setObjectName(QStringLiteral("copySnippetButton"));
    connect(copyButton_, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(snippet_->toPlainText()); });
    layout->addWidget(copyButton_);
    note_ = new QLabel;
    note_->setObjectName(QStringLiteral("conventionNote"));
    note_->setWordWrap(true);
    layout->addWidget(note_);

    refreshTimer_ = new QTimer(this);
    refreshTimer_->setSingleShot(true);
    refreshTimer_->setInterval(0);
    connect(refreshTimer_, &QTimer::timeout, this, &ConventionsPanel::refresh);
    connect(conventionCombo_, &QComboBox::currentIndexChanged, refreshTimer_, qOverload<>(&QTimer::start));
    connect(polarityCheck_, &QCheckBox::toggled, refreshTimer_, qOverload<>(&QTimer::start));
    connect(document_, &MaskDocument::resultChanged, refreshTimer_, qOverload<>(&QTimer::start));
    refresh();
}

Convention ConventionsPanel::convention() const
{
    return allConventions().at(static_cast<std::size_t>(std::max(0, conventionCombo_->currentIndex()))).id;
}

void ConventionsPanel::setConvention(Convention c)
{
    conventionCombo_->setCurrentIndex(static_cast<int>(c));
}

// What a worker computes for the panel: a value, nothing shared with the widgets.
struct ConventionOutcome {
    std::optional<ConventionRendering> rendering;
    std::optional<PolarityFlipEffect> flip;
    QString error;
};

namespace {

ConventionOutcome renderOutcome(const std::shared_ptr<const Scenario>& scenario, int item, Convention c,
                                bool withFlip)
{
    ConventionOutcome out;
    try {
        const ScenarioConfig& config = scenario->config;
        RenderContext context;
        context.heads = scenario->heads();
        context.dtype = scenario->dtype();
        context.modifiers = config.scoreModifiers;
        context.maskFilePath = config.maskFile;
        context.loadDir = config.loadDir;
        out.rendering = renderConvention(scenario->mask, c, context);
        if (withFlip) {
            const BoolMatrix meant = allowedMatrix(intendedMask(scenario->mask), item);
            out.flip = polarityFlipEffect(meant, out.rendering->allowedIfPolarityFlipped.at(static_cast<std::size_t>(item)),
                                          scenario->mask.keyPadFlags(item));
        }
    } catch (const InputError& e) {
        out.error = QString::fromStdString(e.what());
    }
    return out;
}

} // namespace

void ConventionsPanel::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void ConventionsPanel::retranslateUi()
{
    texts_.retranslate();
    // The notes and the polarity report are written with a rendering: said again with the next
    // one, at once while the panel is shown, else when it is.
    note_->clear();
    flipLabel_->clear();
    refreshTimer_->start();
}

void ConventionsPanel::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (stale_)
        refresh(); // changes while hidden were not rendered
}

bool ConventionsPanel::isIdle() const
{
    return !running_ && !refreshTimer_->isActive() && (!stale_ || !active_ || !isVisible());
}

void ConventionsPanel::setActive(bool on)
{
    active_ = on;
    if (active_ && stale_)
        refresh();
}

void ConventionsPanel::refresh()
{
    const ConventionInfo& info = conventionInfo(convention());
    spelling_->setText(tr("%1 \u2014 bool mask: %2").arg(QCoreApplication::translate("Conventions", info.spelling),
                                                          QCoreApplication::translate("Conventions", polarityText(info.polarity))));
    stale_ = true;
    if (!active_ || !isVisible() || running_)
        return; // rendered when shown, or when the running job is done
    const TraceResultPtr r = document_->result();
    if (!r || !r->scenario) {
        note_->setText(tr("Waiting for the first result\u2026"));
        return;
    }
    stale_ = false;
    rendering_.reset();
    flipEffect_.reset();
    const MaskSpec& mask = r->scenario->mask;
    const long long cells = static_cast<long long>(mask.batch) * r->scenario->config.heads * mask.queryLen *
                            static_cast<long long>(mask.keyLen);
    if (cells > kMaxCells) {
        tensors_->setPlainText(QString());
        snippet_->setPlainText(QString());
        flipLabel_->hide();
        note_->setText(tr("%1 queries \u00D7 %2 keys is too large to write out here; "
                          "`maskscope dump --convention %3` writes it.")
                           .arg(mask.queryLen).arg(mask.keyLen).arg(QString::fromLatin1(info.name)));
        return;
    }
    const int item = std::clamp(r->view.batchItem, 0, mask.batch - 1);
    running_ = true;
    whenReady(this, QtConcurrent::run(&renderOutcome, r->scenario, item, convention(), polarityCheck_->isChecked()), [this, scenario = r->scenario, item](const ConventionOutcome& out) {
            running_ = false;
            if (stale_) { // something changed meanwhile: this outcome is already old
                refresh();
                return;
            }
            showOutcome(out, scenario->mask.batch, item);
        });
}

void ConventionsPanel::showOutcome(const ConventionOutcome& out, int batch, int item)
{
    rendering_ = out.rendering;
    flipEffect_ = out.flip;
    if (!rendering_) {
        note_->setText(tr("Cannot write this mask: %1").arg(out.error));
        return;
    }
    QStringList blocks;
    for (const ConventionTensor& t : rendering_->tensors)
        blocks << tensorSliceText(t, batch, item, kMaxSide);
    for (const ConventionFlag& f : rendering_->flags)
        blocks << QStringLiteral("%1 = %2 \u2014 %3")
                      .arg(QString::fromStdString(f.name), f.value ? QStringLiteral("True") : QStringLiteral("False"),
                           QString::fromStdString(f.meaning));
    tensors_->setPlainText(blocks.join(QStringLiteral("\n\n")));
    snippet_->setPlainText(QString::fromStdString(rendering_->snippet));
    QStringList notes;
    for (const std::string& n : rendering_->notes)
        notes << QCoreApplication::translate("Conventions", n.c_str());
    note_->setText(notes.join(QLatin1Char('\n')));
    flipLabel_->setVisible(flipEffect_.has_value());
    if (flipEffect_)
        flipLabel_->setText(flipReport(*flipEffect_, conventionInfo(convention()).polarity));
}

QString ConventionsPanel::flipReport(const PolarityFlipEffect& e, MaskPolarity meant) const
{
    const MaskPolarity wrong = meant == MaskPolarity::TrueMeansAttend ? MaskPolarity::TrueMeansBlocked
                                                                      : MaskPolarity::TrueMeansAttend;
    QStringList lines;
    lines << tr("Read as \u201C%1\u201D instead of \u201C%2\u201D: %n cell(s) flip.", nullptr,
                static_cast<int>(e.cellsFlipped))
                 .arg(QCoreApplication::translate("Conventions", polarityText(wrong)),
                      QCoreApplication::translate("Conventions", polarityText(meant)));
    lines << tr("%1 allowed cells become blocked, %2 blocked cells become allowed.")
                 .arg(e.allowedLost).arg(e.blockedGained);
    if (e.paddingAttended > 0)
        lines << tr("Padding is attended: %1 cells on padding keys, while real keys are blocked.")
                     .arg(e.paddingAttended);
    if (!e.rowsWithNoKey.empty())
        lines << tr("%n row(s) have no allowed key left: their weights are NaN under a \u2212\u221E fill "
                    "(first: query %1).", nullptr, static_cast<int>(e.rowsWithNoKey.size()))
                     .arg(e.rowsWithNoKey.front());
    return lines.join(QLatin1Char('\n'));
}

} // namespace maskscope::ui
