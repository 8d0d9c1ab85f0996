#pragma once
// The read-out beside the heatmap: what the mask did (warnings that teach), the numbers of the
// cell under the mouse, and the step-by-step explanation of the cell last clicked.

#include "document/rowinspector.h"
#include "document/tracejob.h"

#include <QWidget>

class QLabel;
class QTextBrowser;

namespace maskscope::ui {

class InspectorPanel : public QWidget {
    Q_OBJECT
public:
    explicit InspectorPanel(QWidget* parent = nullptr);

    void showWarnings(const QStringList& warnings);
    /// The numbers of cell (row, col) of figure panel `panel` of `result`.
    void showHover(const TraceResultPtr& result, int panel, int row, int col);
    void clearHover();
    /// The step-by-step explanation of that cell.
    void explain(const TraceResultPtr& result, int panel, int row, int col);

    QString hoverText() const;
    QString explanationText() const;

    /// The head a figure panel shows: a head index, or kMeanHead.
    static int headOfPanel(const TraceResult& result, int panel);
    /// The scenario a figure panel was computed from: the fixed one for the "fixed" half of a
    /// before/after figure, else the result's.
    static std::shared_ptr<const Scenario> scenarioOfPanel(const TraceResult& result, int panel);

private:
    bool validCell(const TraceResultPtr& result, int panel, int row, int col) const;
    double meanWeightAt(const TraceResult& result, int panel, int row, int col) const;

    RowInspector inspector_;
    QLabel* warnings_ = nullptr;
    QTextBrowser* hover_ = nullptr;
    QTextBrowser* explanation_ = nullptr;
};

} // namespace maskscope::ui
