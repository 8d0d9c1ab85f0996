#include "window/inspectorpanel.h"

#include "document/explanation.h"

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
    // Each panel knows its head; the mask (the same for every head) stands for the selected one.
    if (panel >= 0 && panel < static_cast<int>(r.figure.panels.size())) {
        const Heatmap& map = r.figure.panels[static_cast<size_t>(panel)];
        return map.view == ViewKind::Mask ? r.view.head : map.head;
    }
    return r.view.layout == Layout::MeanHead && r.view.figureView() != ViewKind::Mask ? kMeanHead : r.view.head;
}

std::shared_ptr<const Scenario> InspectorPanel::scenarioOfPanel(const TraceResult& r, int panel)
{
    const bool fixed = panel >= 0 && panel < static_cast<int>(r.figure.panels.size()) &&
                       r.figure.panels[static_cast<size_t>(panel)].fixedSide;
    return fixed && r.fixedScenario ? r.fixedScenario : r.scenario;
}

bool InspectorPanel::validCell(const TraceResultPtr& r, int panel, int row, int col) const
{
    if (!r || !r->scenario || panel < 0 || panel >= static_cast<int>(r->figure.panels.size()))
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
    const int head = headOfPanel(*r, panel);
    const int b = r->view.batchItem;
    const std::shared_ptr<const Scenario> s = scenarioOfPanel(*r, panel);
    if (head == kMeanHead) {
        const RowValues v = inspector_.row(s, b, r->view.head, row);
        hover_->setHtml(meanCellSummaryHtml(*s, v, col, meanWeightAt(*r, panel, row, col), s->heads()));
        return;
    }
    hover_->setHtml(cellSummaryHtml(*s, inspector_.row(s, b, head, row), col));
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

} // namespace maskscope::ui
