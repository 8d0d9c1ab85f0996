#pragma once
// Computes one figure of a scenario from scratch: only what the figure shows (one batch item,
// one head unless all or the mean). Shared by `maskscope export` and the window's export dialog,
// so a figure exported from either is computed by the same code.

#include "figure/figure.h"
#include "scenario/scenario.h"

#include <QString>

namespace maskscope::ui {

/// Which figure of a scenario: a view, a head (index, kAllHeads or kMeanHead), a batch item.
struct FigureRequest {
    ViewKind view = ViewKind::Weights;
    int head = 0;
    int batchItem = 0;
    QString title; ///< empty = the figure's descriptive default
    /// The pitfall lab's before/after: the figure with the mistakes next to the fixed code's
    /// (comparisonFigure); needs a scenario with a mistake (hasFixableMistake).
    bool compareFixed = false;
};

/// The figure of `request` for scenario `s`, computing only the trace it needs.
/// Throws InputError when the head or batch item is out of range, the trace would not fit in
/// memory, or a before/after is asked of a scenario without a mistake. Thread-safe: it touches no widget and no shared state.
Figure computeFigure(const Scenario& s, const FigureRequest& request);

/// Rough count of matrix cells the figure needs computed (heads x Lq x Lk, the mask alone: 0);
/// callers use it to decide whether to compute on a worker thread.
long long figureWorkCells(const Scenario& s, const FigureRequest& request);

} // namespace maskscope::ui
