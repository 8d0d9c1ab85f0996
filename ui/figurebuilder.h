#pragma once
// Turns a core trace into a Figure: which panels, their values, cell states, scales and labels.

#include "figure.h"

#include "attention.h"
#include "scenario.h"

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

/// The trace a figure of (view, head) needs, and no more (see buildFigure).
TraceRequest figureTraceRequest(ViewKind view, int head, int batchItem);

/// A trace holding only the mask of batch item b: the mask view needs no attention at all.
template <typename T>
BatchTrace<T> maskOnlyTrace(const MaskSpec& mask, int batchItem);

/// "mask", "logits", "masked-logits", "weights", "pipeline" (command-line spelling).
const char* viewKindName(ViewKind view);

extern template Figure buildFigure<float>(const Scenario&, const BatchTrace<float>&, ViewKind, int,
                                          const QString&);
extern template Figure buildFigure<double>(const Scenario&, const BatchTrace<double>&, ViewKind,
                                           int, const QString&);
extern template BatchTrace<float> maskOnlyTrace<float>(const MaskSpec&, int);
extern template BatchTrace<double> maskOnlyTrace<double>(const MaskSpec&, int);

} // namespace maskscope::ui
