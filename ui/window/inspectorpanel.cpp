// SPDX-License-Identifier: MIT
#include "window/inspectorpanel.h"

#include "document/explanation.h"
#include "document/maskdocument.h"
#include "model/tokenizer.h"

#include <QEvent>
#include <QLabel>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace maskscope::ui {

namespace {

QTextBrowser* makeBrowser(const QString& name)
{
    auto* browser = new QTextBrowser;
    browser->setObjectName(name);
    browser->setOpenLinks(false);
    return browser;
}

QString headingText(const QString& text)
{
    return QStringLiteral("<b>%1</b>").arg(text);
}

QString quoted(const std::string& piece)
{
    return InspectorPanel::tr("\u201C%1\u201D").arg(QString::fromStdString(piece));
}

// "“,” 0.97 · “▁there” 0.03 · …": the candidates of batch item `b`, most likely first.
QString candidatesText(const ModelInfo& model, int b)
{
    QStringList parts;
    for (const NextToken& t : model.nextTokens[static_cast<size_t>(b)])
        parts << QStringLiteral("%1 %2").arg(quoted(t.piece)).arg(t.probability, 0, 'f', 2);
    return parts.join(QStringLiteral(" \u00B7 "));
}

// The next-token line of batch item `b`, and the fixed model's when a mistake is compared.
QString nextTokenLine(const TraceResult& r, int b)
{
    const ModelInfo& model = *r.scenario->model;
    const auto& pieces = model.pieces[static_cast<size_t>(b)];
    const std::string last = pieces.empty() ? std::string() : readablePiece(pieces.back(), model.byteLevel);
    QString line = InspectorPanel::tr("Next token after %1: %2").arg(quoted(last), candidatesText(model, b));
    if (r.fixedScenario && r.fixedScenario->model)
        line += QLatin1Char('\n') +
                InspectorPanel::tr("Without the mistake: %1").arg(candidatesText(*r.fixedScenario->model, b));
    return line;
}

} // namespace

InspectorPanel::InspectorPanel(MaskDocument* document, QWidget* parent) : QWidget(parent), document_(document)
{
    auto* box = new QVBoxLayout(this);
    warnings_ = new QLabel;
    warnings_->setObjectName(QStringLiteral("warningsLabel"));
    warnings_->setWordWrap(true);
    warnings_->setTextFormat(Qt::RichText);
    hover_ = makeBrowser(QStringLiteral("hoverBrowser"));
    texts_.bind(hover_, &QTextEdit::setPlaceholderText,
                [] { return tr("Point at a cell to see its query, key and numbers."); });
    hover_->setMaximumHeight(190);
    // Named after their headings: a label above a widget names it only when it is its buddy,
    // and a text browser takes no buddy's focus.
    texts_.bind(hover_, &QWidget::setAccessibleName, [] { return tr("Cell under the mouse"); });
    explanation_ = makeBrowser(QStringLiteral("explanationBrowser"));
    texts_.bind(explanation_, &QTextEdit::setPlaceholderText,
                [] { return tr("Click a cell to see how its weight is computed, step by step."); });
    texts_.bind(explanation_, &QWidget::setAccessibleName, [] { return tr("How this weight is computed"); });
    box->addWidget(texts_.bind(new QLabel, &QLabel::setText, [] { return headingText(tr("What to notice")); }));
    box->addWidget(warnings_);
    nextToken_ = new QLabel;
    nextToken_->setObjectName(QStringLiteral("nextTokenLabel"));
    nextToken_->setWordWrap(true);
    nextToken_->setTextFormat(Qt::PlainText);
    nextToken_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    nextToken_->hide();
    box->addWidget(nextToken_);
    box->addWidget(texts_.bind(new QLabel, &QLabel::setText, [] { return headingText(tr("Cell under the mouse")); }));
    box->addWidget(hover_);
    box->addWidget(
        texts_.bind(new QLabel, &QLabel::setText, [] { return headingText(tr("How this weight is computed")); }));
    box->addWidget(explanation_, 1);
    connect(document_, &MaskDocument::resultChanged, this, &InspectorPanel::followResult);
    followResult();
}

void InspectorPanel::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void InspectorPanel::retranslateUi()
{
    // The warnings and read-outs are said again in the new language with the result the window
    // asks for on a language change (see followResult).
    texts_.retranslate();
}

void InspectorPanel::followResult()
{
    const TraceResultPtr r = document_->result();
    if (!r)
        return;
    showWarnings(r->longContext ? QStringList() : r->warnings); // a long-context mask has no figure notes
    showNextToken(*r);
    if (hovered_ && hovered_->jobId != r->jobId)
        showHover(r, hovered_->cell.panel, hovered_->cell.row, hovered_->cell.col);
    if (explained_ && explained_->jobId != r->jobId)
        explain(r, explained_->cell.panel, explained_->cell.row, explained_->cell.col);
}

void InspectorPanel::showWarnings(const QStringList& warnings)
{
    if (warnings.isEmpty()) {
        warnings_->setText(tr("Nothing unusual: every query row has at least one allowed key."));
        return;
    }
    QString html = QStringLiteral("<ul style=\"margin-left:-20px\">");
    for (const QString& w : warnings)
        html += QStringLiteral("<li>%1</li>").arg(w.toHtmlEscaped());
    warnings_->setText(html + QStringLiteral("</ul>"));
}

void InspectorPanel::showNextToken(const TraceResult& r)
{
    const bool shown = r.scenario && r.scenario->model && r.view.batchItem >= 0 &&
                       r.view.batchItem < static_cast<int>(r.scenario->model->nextTokens.size());
    nextToken_->setText(shown ? nextTokenLine(r, r.view.batchItem) : QString());
    nextToken_->setVisible(shown);
}

QString InspectorPanel::nextTokenText() const
{
    return nextToken_->text();
}

int InspectorPanel::headOfPanel(const TraceResult& r, int panel)
{
    // Each panel knows its head; the mask (the same for every head) stands for the selected one.
    if (panel >= 0 && panel < static_cast<int>(r.figure.panels.size())) {
        const Heatmap& map = r.figure.panels[static_cast<size_t>(panel)];
        return map.view == ViewKind::Mask ? std::max(0, r.view.head) : map.head;
    }
    return r.view.layout == Layout::MeanHead && r.view.figureView() != ViewKind::Mask ? kMeanHead : std::max(0, r.view.head);
}

std::shared_ptr<const Scenario> InspectorPanel::scenarioOfPanel(const TraceResult& r, int panel)
{
    const bool fixed = panel >= 0 && panel < static_cast<int>(r.figure.panels.size()) &&
                       r.figure.panels[static_cast<size_t>(panel)].fixedSide;
    return fixed && r.fixedScenario ? r.fixedScenario : r.scenario;
}

bool InspectorPanel::validCell(const TraceResultPtr& r, int panel, int row, int col) const
{
    if (!r || r->longContext || !r->scenario || panel < 0 || panel >= static_cast<int>(r->figure.panels.size()))
        return false;
    return row >= 0 && row < r->scenario->mask.queryLen && col >= 0 && col < r->scenario->mask.keyLen;
}

// The mean weight as the panel shows it (the figure keeps every cell's value).
double InspectorPanel::meanWeightAt(const TraceResult& r, int panel, int row, int col) const
{
    const Heatmap& map = r.figure.panels[static_cast<size_t>(panel)];
    return map.values.at(static_cast<size_t>(row) * static_cast<size_t>(map.cols) + static_cast<size_t>(col));
}

void InspectorPanel::showHover(const TraceResultPtr& r, int panel, int row, int col)
{
    if (!validCell(r, panel, row, col))
        return clearHover();
    hovered_ = ResultCell{{panel, row, col}, r->jobId};
    const int head = headOfPanel(*r, panel);
    const int b = r->view.batchItem;
    const std::shared_ptr<const Scenario> s = scenarioOfPanel(*r, panel);
    if (head == kMeanHead) {
        const RowValues v = inspector_.row(s, b, std::max(0, r->view.head), row);
        hover_->setHtml(meanCellSummaryHtml(*s, v, col, meanWeightAt(*r, panel, row, col), s->heads()));
        return;
    }
    hover_->setHtml(cellSummaryHtml(*s, inspector_.row(s, b, head, row), col));
}

void InspectorPanel::clearHover()
{
    hovered_.reset();
    hover_->clear();
}

void InspectorPanel::explain(const TraceResultPtr& r, int panel, int row, int col)
{
    if (!validCell(r, panel, row, col)) {
        explained_.reset(); // the cell is gone (the sequence got shorter, or no figure has cells)
        explanation_->clear();
        return;
    }
    explained_ = ResultCell{{panel, row, col}, r->jobId};
    const int head = headOfPanel(*r, panel);
    const int b = r->view.batchItem;
    const std::shared_ptr<const Scenario> s = scenarioOfPanel(*r, panel);
    if (head != kMeanHead) {
        explanation_->setHtml(explanationHtml(*s, inspector_.row(s, b, head, row), col));
        return;
    }
    std::vector<RowValues> rows;
    for (int h = 0; h < s->heads(); ++h)
        rows.push_back(inspector_.row(s, b, h, row));
    explanation_->setHtml(meanExplanationHtml(*s, rows, col));
}

QString InspectorPanel::hoverText() const
{
    return hover_->toPlainText();
}

QString InspectorPanel::explanationText() const
{
    return explanation_->toPlainText();
}

std::optional<quint64> InspectorPanel::explainedJobId() const
{
    return explained_ ? std::optional(explained_->jobId) : std::nullopt;
}

} // namespace maskscope::ui
