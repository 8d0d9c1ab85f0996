#include "inspectorpanel.h"

#include "explanation.h"

#include <QLabel>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace maskscope::ui {

namespace {

QTextBrowser* makeBrowser(const QString& name, const QString& placeholder)
{
    auto* browser = new QTextBrowser;
    browser->setObjectName(name);
    browser->setOpenLinks(false);
    browser->setPlaceholderText(placeholder);
    return browser;
}

QLabel* heading(const QString& text)
{
    auto* label = new QLabel(QStringLiteral("<b>%1</b>").arg(text));
    return label;
}

} // namespace

InspectorPanel::InspectorPanel(QWidget* parent) : QWidget(parent)
{
    auto* box = new QVBoxLayout(this);
    warnings_ = new QLabel;
    warnings_->setObjectName(QStringLiteral("warningsLabel"));
    warnings_->setWordWrap(true);
    warnings_->setTextFormat(Qt::RichText);
    hover_ = makeBrowser(QStringLiteral("hoverBrowser"),
                         tr("Point at a cell to see its query, key and numbers."));
    hover_->setMaximumHeight(190);
    explanation_ = makeBrowser(QStringLiteral("explanationBrowser"),
                               tr("Click a cell to see how its weight is computed, step by step."));
    box->addWidget(heading(tr("What to notice")));
    box->addWidget(warnings_);
    box->addWidget(heading(tr("Cell under the mouse")));
    box->addWidget(hover_);
    box->addWidget(heading(tr("How this weight is computed")));
    box->addWidget(explanation_, 1);
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

int InspectorPanel::headOfPanel(const TraceResult& r, int panel)
{
    const ViewKind shown = r.view.figureView();
    if (shown == ViewKind::Mask || r.view.layout == Layout::SingleHead || r.view.layout == Layout::Pipeline)
        return r.view.head;
    if (r.view.layout == Layout::MeanHead)
        return kMeanHead;
    return std::clamp(panel, 0, r.scenario->heads() - 1);
}

bool InspectorPanel::validCell(const TraceResultPtr& r, int panel, int row, int col) const
{
    if (!r || !r->scenario || panel < 0 || panel >= static_cast<int>(r->figure.panels.size()))
        return false;
    return row >= 0 && row < r->scenario->mask.queryLen && col >= 0 && col < r->scenario->mask.keyLen;
}

double InspectorPanel::meanWeightAt(const TraceResult& r, int row, int col) const
{
    return std::visit(
        [&](const auto& t) {
            return t.meanWeights.rows() > row && t.meanWeights.cols() > col
                       ? static_cast<double>(t.meanWeights(row, col))
                       : std::nan("");
        },
        r.trace);
}

void InspectorPanel::showHover(const TraceResultPtr& r, int panel, int row, int col)
{
    if (!validCell(r, panel, row, col))
        return clearHover();
    const int head = headOfPanel(*r, panel);
    const int b = r->view.batchItem;
    if (head == kMeanHead) {
        const RowValues v = inspector_.row(r->scenario, b, r->view.head, row);
        hover_->setHtml(meanCellSummaryHtml(*r->scenario, v, col, meanWeightAt(*r, row, col),
                                            r->scenario->heads()));
        return;
    }
    const RowValues v = inspector_.row(r->scenario, b, head, row);
    hover_->setHtml(cellSummaryHtml(*r->scenario, v, col));
}

void InspectorPanel::clearHover()
{
    hover_->clear();
}

void InspectorPanel::explain(const TraceResultPtr& r, int panel, int row, int col)
{
    if (!validCell(r, panel, row, col)) {
        explanation_->clear(); // the cell is gone (the sequence got shorter)
        return;
    }
    const int head = headOfPanel(*r, panel);
    const int b = r->view.batchItem;
    if (head != kMeanHead) {
        explanation_->setHtml(explanationHtml(*r->scenario, inspector_.row(r->scenario, b, head, row), col));
        return;
    }
    std::vector<RowValues> rows;
    for (int h = 0; h < r->scenario->heads(); ++h)
        rows.push_back(inspector_.row(r->scenario, b, h, row));
    explanation_->setHtml(meanExplanationHtml(*r->scenario, rows, col));
}

QString InspectorPanel::hoverText() const
{
    return hover_->toPlainText();
}

QString InspectorPanel::explanationText() const
{
    return explanation_->toPlainText();
}

} // namespace maskscope::ui
