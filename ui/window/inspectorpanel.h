// SPDX-License-Identifier: MIT
#pragma once
// The read-out beside the heatmap: what the mask did (warnings that teach), the numbers of the
// cell under the mouse, and the step-by-step explanation of the cell last clicked. What it shows
// belongs to the document's current result: a new result explains the same cell again, or
// clears the read-out when that cell is gone (a shorter sequence, a long-context mask view).

#include "document/rowinspector.h"
#include "document/tracejob.h"
#include "figure/figurerenderer.h"
#include "window/retranslation.h"

#include <QWidget>

#include <optional>

class QLabel;
class QTextBrowser;

namespace maskscope::ui {

class MaskDocument;

class InspectorPanel : public QWidget {
    Q_OBJECT
public:
    /// Follows `document`'s results (see the top of this file).
    explicit InspectorPanel(MaskDocument* document, QWidget* parent = nullptr);

    void showWarnings(const QStringList& warnings);
    /// The numbers of cell (row, col) of figure panel `panel` of `result`; clears the read-out
    /// when `result` has no such cell.
    void showHover(const TraceResultPtr& result, int panel, int row, int col);
    void clearHover();
    /// The step-by-step explanation of that cell, or none when `result` has no such cell.
    void explain(const TraceResultPtr& result, int panel, int row, int col);

    QString hoverText() const;
    QString explanationText() const;
    /// The real model's next-token prediction for the batch item shown; empty without a model.
    QString nextTokenText() const;
    /// The job of the result the explanation shown was computed from; none when none is shown.
    std::optional<quint64> explainedJobId() const;

    /// The head a figure panel shows: a head index, or kMeanHead.
    static int headOfPanel(const TraceResult& result, int panel);
    /// The scenario a figure panel was computed from: the fixed one for the "fixed" half of a
    /// before/after figure, else the result's.
    static std::shared_ptr<const Scenario> scenarioOfPanel(const TraceResult& result, int panel);

protected:
    void changeEvent(QEvent* event) override;

private:
    /// A cell of the figure of job `jobId`.
    struct ResultCell {
        CellHit cell;
        quint64 jobId = 0;
    };

    /// Sets every text again in the language now installed.
    void retranslateUi();
    /// The document has a new result: the warnings are its, the read-outs are derived again.
    void followResult();
    bool validCell(const TraceResultPtr& result, int panel, int row, int col) const;
    void showNextToken(const TraceResult& result);
    double meanWeightAt(const TraceResult& result, int panel, int row, int col) const;

    MaskDocument* document_;
    RetranslatedTexts texts_;
    RowInspector inspector_;
    std::optional<ResultCell> hovered_;   // the cell the hover read-out is about
    std::optional<ResultCell> explained_; // the cell the explanation is about
    QLabel* warnings_ = nullptr;
    QLabel* nextToken_ = nullptr; // a real model's top 5 after the last real token
    QTextBrowser* hover_ = nullptr;
    QTextBrowser* explanation_ = nullptr;
};

} // namespace maskscope::ui
