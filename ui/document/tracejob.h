// SPDX-License-Identifier: MIT
#pragma once
// One recompute of what the window shows, run on a worker thread: the inputs are copied in, a
// value comes out. Nothing here touches a widget or the document.

#include "figure/figure.h"
#include "scenario/scenario.h"
#include "figure/figurerequest.h"

#include <QPromise>
#include <QString>

#include <atomic>
#include <memory>
#include <variant>

namespace maskscope::ui {

/// What a job computed for the selected batch item, and the figure built from it.
struct TraceResult {
    quint64 jobId = 0;
    bool cancelled = false;  ///< a newer change arrived before the job finished
    QString error;           ///< non-empty: the parameters were refused (one line, for the user)
    std::shared_ptr<const Scenario> scenario;
    /// With view.compareFixed: the scenario without its mistakes, whose panels the figure shows
    /// as the "fixed" half (Heatmap::fixedSide); else null.
    std::shared_ptr<const Scenario> fixedScenario;
    FigureRequest view;          ///< the selection, clamped to the scenario's sizes
    /// The selected batch item: mask and flags always; the heads' matrices the view shows
    /// (one head, or all for the grid); meanWeights for the mean layout.
    std::variant<BatchTrace<float>, BatchTrace<double>> trace;
    /// The figure of `view`; with TraceJob::outlines its large panels are outlines that the
    /// view showing it fills for its own pixels from `trace` (screenfigure.h).
    Figure figure;
    QStringList warnings;    ///< what the mask did that a learner should notice (teachingWarnings)
    double computeMs = 0.0;  ///< time spent in the job, building the scenario included
    /// Long context (see longcontext.h): the sizes are too large for a figure of L x L cells, so
    /// no trace or figure was made; scenario holds the mask (no inputs) and the long-context view
    /// draws it at screen resolution. longContextNote says what logits and weights would need.
    bool longContext = false;
    QString longContextNote;

    bool ok() const { return !cancelled && error.isEmpty(); }
};

using TraceResultPtr = std::shared_ptr<const TraceResult>;

/// The inputs of one job, copied so that later edits in the window cannot reach it.
struct TraceJob {
    quint64 id = 0;
    ScenarioConfig config;
    FigureRequest view;
    /// The scenario of an earlier job; reused when only the mask rules or score modifiers
    /// differ (causal, fill, window, ...), so that changing them does not regenerate the inputs.
    std::shared_ptr<const Scenario> previous;
    /// The id of the newest change; the job stops early once it is larger than `id`.
    std::shared_ptr<const std::atomic<quint64>> newestId;
    /// Build panels of large matrices as outlines (buildFigureOutline) instead of cell by cell:
    /// for a figure that a view renders for its pixels (renderForScreen), never for exports.
    /// A before/after figure (view.compareFixed) is always built whole.
    bool outlines = false;
};

/// Runs the job: builds (or reuses) the scenario, computes what `job.view` shows, head by head
/// so that progress can be reported and a newer change can cancel it, and builds the figure.
/// Never throws; refused parameters come back as TraceResult::error.
void runTraceJob(QPromise<TraceResultPtr>& promise, const TraceJob& job);

/// The same work without a promise, for callers that want it synchronously (tests, export).
TraceResultPtr computeTrace(const TraceJob& job);

/// r.figure with every cell, for exports and the clipboard: r.figure itself, or, if it has
/// reduced panels, the same figure built again from r.trace at full resolution.
Figure exportableFigure(const TraceResult& r);


/// Drops `result`; if it was the last owner, the memory (hundreds of MB for large figures) is
/// freed on a worker thread rather than on the caller's (the GUI's).
void releaseInBackground(TraceResultPtr&& result);

/// True when `a` and `b` give the same inputs: they differ at most in the mask rules and
/// score modifiers (causal, fill, rules, mask file, ALiBi, soft-cap, block size). Never with a
/// real model, whose inputs at a layer depend on the mask of the layers below.
bool sameInputs(const ScenarioConfig& a, const ScenarioConfig& b);

} // namespace maskscope::ui
