// SPDX-License-Identifier: MIT
#pragma once
// Computes one figure of a scenario from scratch: only what the figure shows (one batch item,
// one head unless all or the mean). Shared by `maskscope export` and the window's export dialog,
// so a figure exported from either is computed by the same code.

#include "figure/figure.h"
#include "figure/figurerequest.h"
#include "scenario/scenario.h"

#include <QString>

namespace maskscope::ui {

/// The figure of `request` for scenario `s`, computing only the trace it needs, titled `title`
/// (empty: the figure's descriptive default).
/// Throws InputError when the head or batch item is out of range, the trace would not fit in
/// memory, or a before/after is asked of a scenario without a mistake. Thread-safe: it touches
/// no widget and no shared state.
Figure computeFigure(const Scenario& s, const FigureRequest& request, const QString& title = {});

/// Rough count of matrix cells the figure needs computed (heads x Lq x Lk, the mask alone: 0);
/// callers use it to decide whether to compute on a worker thread.
long long figureWorkCells(const Scenario& s, const FigureRequest& request);

} // namespace maskscope::ui
