// SPDX-License-Identifier: MIT
#pragma once
// Turns a core trace into a Figure: which panels, their values, cell states, scales and labels.

#include "figure/figure.h"

#include "attention/attention.h"
#include "scenario/scenario.h"

#include <QSize>

#include <utility>

namespace maskscope::ui {

/// The figure of one view of batch item `trace.batchItem`.
///
/// view: Mask, Logits, MaskedLogits, Weights, or Pipeline (mask -> logits -> masked logits ->
/// weights side by side, 4 columns). head: a head index, kAllHeads (a grid of small multiples,
/// about sqrt(H) columns; Pipeline gives one row per head; the mask, the same for every head,
/// stays one panel) or kMeanHead (the mean over heads).
/// The trace must hold what the view needs: allowed and additiveMask always; the head's (or,
/// for all/mean, every head's) matrices of the view; the mean of weights may come from
/// meanWeights. An empty title gets a descriptive default.
/// Throws InputError naming what is missing.
template <typename T>
Figure buildFigure(const Scenario& scenario, const BatchTrace<T>& trace, ViewKind view, int head,
                   const QString& title = {});

/// Diverging panels (logits, masked logits) share one symmetric range, so equal colours mean
/// equal numbers across panels. Sets lo and hi only; cell images made before must be remade.
void shareDivergingRange(std::vector<Heatmap>& panels);
/// The window's figure, in two steps, so that a matrix larger than its panel on the screen is
/// never turned into one value and one pixel per cell (a 2048^2 panel costs 36 MB and 50 ms
/// that way); the document's job does the first, the view's renderForScreen the second:
/// 1. buildFigureOutline: buildFigure, but panels of more than FigureRenderer::kRasterVectorCells
///    cells are outlines: no values, states or cellImage, only Heatmap::reducedKinds and the
///    colour range (one pass over each matrix), which is all a layout needs.
/// 2. fillPanelCells, once the layout says how many device pixels each panel's matrix covers.
template <typename T>
Figure buildFigureOutline(const Scenario& scenario, const BatchTrace<T>& trace, ViewKind view, int head);

/// Fills an outline panel of a figure built from `trace` for `pixels` device pixels: reduced to
/// those pixels (displaycells.h) if the matrix has more cells than that on a side, else every
/// cell as buildFigure makes it (reducedKinds is then cleared). Panels that are not outlines,
/// or are already reduced to `pixels`, are left alone.
template <typename T>
void fillPanelCells(Heatmap& map, const Scenario& scenario, const BatchTrace<T>& trace, QSize pixels);

/// State and exact value of cell (row, col) of panel `map` of a figure built from `trace`: from
/// the panel's own cells when it has them, else read from the trace (reduced panels).
template <typename T>
std::pair<CellState, double> panelCell(const Heatmap& map, const Scenario& scenario,
                                       const BatchTrace<T>& trace, int row, int col);

/// The trace a figure of (view, head) needs, and no more (see buildFigure).
TraceRequest figureTraceRequest(ViewKind view, int head, int batchItem);

/// A trace holding only the mask of batch item b: the mask view needs no attention at all.
template <typename T>
BatchTrace<T> maskOnlyTrace(const MaskSpec& mask, int batchItem);

extern template Figure buildFigure<float>(const Scenario&, const BatchTrace<float>&, ViewKind, int,
                                          const QString&);
extern template Figure buildFigure<double>(const Scenario&, const BatchTrace<double>&, ViewKind,
                                           int, const QString&);
extern template Figure buildFigureOutline<float>(const Scenario&, const BatchTrace<float>&, ViewKind, int);
extern template Figure buildFigureOutline<double>(const Scenario&, const BatchTrace<double>&, ViewKind, int);
extern template void fillPanelCells<float>(Heatmap&, const Scenario&, const BatchTrace<float>&, QSize);
extern template void fillPanelCells<double>(Heatmap&, const Scenario&, const BatchTrace<double>&, QSize);
extern template std::pair<CellState, double> panelCell<float>(const Heatmap&, const Scenario&,
                                                              const BatchTrace<float>&, int, int);
extern template std::pair<CellState, double> panelCell<double>(const Heatmap&, const Scenario&,
                                                               const BatchTrace<double>&, int, int);
extern template BatchTrace<float> maskOnlyTrace<float>(const MaskSpec&, int);
extern template BatchTrace<double> maskOnlyTrace<double>(const MaskSpec&, int);

} // namespace maskscope::ui
