// SPDX-License-Identifier: MIT
#include "document/tracejob.h"

#include "document/explanation.h"
#include "figure/figurebuilder.h"
#include "figure/figurerenderer.h"
#include "figure/pitfallfigure.h"
#include "document/longcontext.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>
#include <exception>
#include <functional>
#include <new>

namespace maskscope::ui {

namespace {

using Progress = std::function<void(int done, int total)>;

// Thrown inside a job when a newer change makes its result useless.
struct Cancelled {};

bool isStale(const TraceJob& job)
{
    return job.newestId && job.newestId->load() > job.id;
}

void throwIfStale(const TraceJob& job)
{
    if (isStale(job))
        throw Cancelled{};
}

std::shared_ptr<const Scenario> scenarioFor(const TraceJob& job)
{
    // A real model's mask is its own (causal, sliding windows): only an unchanged config reuses it.
    if (job.previous && job.config.usesModel() && job.previous->config == job.config)
        return job.previous;
    if (job.previous && sameInputs(job.previous->config, job.config)) {
        auto s = std::make_shared<Scenario>(*job.previous);
        s->config = job.config;
        applyMaskRules(job.config, s->mask);
        s->mask.validate();
        return s;
    }
    // A real model's forward stops between layers once the job is stale (cancelled or overtaken).
    return std::make_shared<const Scenario>(buildScenario(job.config, [&job] { return isStale(job); }));
}

FigureRequest clampedView(const FigureRequest& view, const Scenario& s)
{
    FigureRequest v = view.fittedTo(s.heads(), s.mask.batch);
    v.compareFixed = v.compareFixed && hasFixableMistake(s.config);
    return v;
}

bool showsOnlyTheMask(const FigureRequest& v)
{
    return v.figureView() == ViewKind::Mask;
}

// The heads whose matrices the view needs, in order.
std::vector<int> headsToCompute(const FigureRequest& v, int heads)
{
    if (!v.everyHead())
        return {v.head};
    std::vector<int> all(static_cast<size_t>(heads));
    for (int h = 0; h < heads; ++h)
        all[static_cast<size_t>(h)] = h;
    return all;
}

// What one head's compute keeps: the figure's own request for that head (figurebuilder.h).
TraceRequest headRequest(const FigureRequest& v, int head, bool first)
{
    TraceRequest r = figureTraceRequest(v.figureView(), head, v.batchItem);
    r.mask = first; // the mask is the same for every head: keep it once
    return r;
}

// The memory check of the whole view, before anything is allocated.
void checkViewFits(const Scenario& s, const FigureRequest& v)
{
    checkTraceFits(s, figureTraceRequest(v.figureView(), v.figureHead(), v.batchItem));
}

template <typename T>
AttentionEngine<T>& threadEngine()
{
    // One engine per worker thread: its scratch buffers survive from one job to the next.
    thread_local AttentionEngine<T> engine;
    return engine;
}

// Runs task(0) .. task(count - 1) on the thread pool and waits; rethrows the first failure.
void runInParallel(int count, const std::function<void(int)>& task)
{
    std::vector<int> indices(static_cast<size_t>(count));
    std::vector<std::exception_ptr> failures(indices.size());
    for (int k = 0; k < count; ++k)
        indices[static_cast<size_t>(k)] = k;
    QtConcurrent::blockingMap(indices, [&](int k) {
        try {
            task(k);
        } catch (...) {
            failures[static_cast<size_t>(k)] = std::current_exception(); // QtConcurrent would lose it
        }
    });
    for (const auto& failure : failures)
        if (failure)
            std::rethrow_exception(failure);
}

// Heads are computed a few at a time, one per core (the grid and the mean of 8 heads at L = 2048
// are most of a recompute), and taken in head order, so the mean adds them up in the engine's
// order and holds no more than one head per core at a time.
template <typename T>
BatchTrace<T> computeHeads(const Scenario& s, const AttentionInputs<T>& in, const FigureRequest& v,
                           const TraceJob& job, const Progress& progress)
{
    if (showsOnlyTheMask(v))
        return maskOnlyTrace<T>(s.mask, v.batchItem);
    const std::vector<int> heads = headsToCompute(v, in.heads);
    const bool mean = v.layout == Layout::MeanHead;
    const long long cells = static_cast<long long>(s.mask.queryLen) * s.mask.keyLen * static_cast<long long>(heads.size());
    const int cores = cells >= FigureRenderer::kParallelCells ? QThreadPool::globalInstance()->maxThreadCount() : 1;
    const int width = std::clamp(cores, 1, static_cast<int>(heads.size()));
    // Reused from one group of heads to the next: the mean's per-head matrices are then
    // allocated once, not once per head.
    std::vector<AttentionTrace<T>> scratch(static_cast<size_t>(width));
    BatchTrace<T> out;
    Matrix<T> meanSum;
    for (size_t k0 = 0; k0 < heads.size(); k0 += static_cast<size_t>(width)) {
        throwIfStale(job);
        const int group = std::min(width, static_cast<int>(heads.size() - k0));
        runInParallel(group, [&](int j) {
            const size_t k = k0 + static_cast<size_t>(j);
            threadEngine<T>().compute(in, s.mask, s.config.scoreModifiers, headRequest(v, heads[k], k == 0),
                                      scratch[static_cast<size_t>(j)]);
        });
        for (int j = 0; j < group; ++j) {
            BatchTrace<T>& computed = scratch[static_cast<size_t>(j)].batches.front();
            const size_t k = k0 + static_cast<size_t>(j);
            if (mean) {
                const Matrix<T>& w = computed.heads.front().weights;
                if (k == 0)
                    meanSum.setZero(w.rows(), w.cols());
                meanSum += w;
            }
            if (k == 0) {
                std::vector<HeadTrace<T>> kept = std::move(computed.heads);
                out = std::move(computed);
                computed.heads = std::move(kept);
                if (!mean)
                    out.heads.push_back(std::move(computed.heads.front()));
            } else if (!mean) {
                out.heads.push_back(std::move(computed.heads.front()));
            }
        }
        progress(static_cast<int>(k0) + group, static_cast<int>(heads.size()) + 1);
    }
    if (mean)
        out.meanWeights = meanSum / static_cast<T>(in.heads);
    return out;
}

// The before/after of the pitfall lab: the same view computed, here on the worker, from the
// scenario without its mistakes (on the same inputs), beside the figure already built.
template <typename T>
void addFixedSide(TraceResult& r, const AttentionInputs<T>& in, const TraceJob& job,
                  const Progress& progress)
{
    auto fixed = std::make_shared<const Scenario>(fixedScenario(*r.scenario));
    const BatchTrace<T> trace = computeHeads(*fixed, fixedInputs(*fixed, in), r.view, job, progress);
    throwIfStale(job);
    r.figure = comparisonFigure(std::move(r.figure),
                                buildFigure(*fixed, trace, r.view.figureView(), r.view.figureHead()));
    r.fixedScenario = std::move(fixed);
}

void fillResult(TraceResult& r, const TraceJob& job, const Progress& progress)
{
    if (needsLongContextView(job.config)) {
        fillLongContextResult(r, job.config, job.view);
        return;
    }
    auto scenario = scenarioFor(job);
    r.scenario = scenario;
    r.view = clampedView(job.view, *scenario);
    checkViewFits(*scenario, r.view);
    std::visit(
        [&](const auto& in) {
            auto trace = computeHeads(*scenario, in, r.view, job, progress);
            throwIfStale(job);
            // A before/after pair is built whole (comparisonFigure needs every cell).
            if (job.outlines && !r.view.compareFixed)
                r.figure = buildFigureOutline(*scenario, trace, r.view.figureView(), r.view.figureHead());
            else
                r.figure = buildFigure(*scenario, trace, r.view.figureView(), r.view.figureHead());
            r.warnings = teachingWarnings(*scenario, trace);
            r.trace = std::move(trace);
            if (r.view.compareFixed)
                addFixedSide(r, in, job, progress);
        },
        scenario->inputs);
    throwIfStale(job);
}

TraceResultPtr compute(const TraceJob& job, const Progress& progress)
{
    QElapsedTimer clock;
    clock.start();
    auto r = std::make_shared<TraceResult>();
    r->jobId = job.id;
    r->view = job.view;
    try {
        fillResult(*r, job, progress);
    } catch (const Cancelled&) {
        r->cancelled = true;
    } catch (const ComputationStopped&) {
        r->cancelled = true;
    } catch (const InputError& e) {
        r->error = QString::fromStdString(e.what());
    } catch (const std::bad_alloc&) {
        r->error = QCoreApplication::translate("TraceJob", "not enough memory for these sizes; reduce the sequence length or heads");
    } catch (const std::exception& e) {
        r->error = QString::fromStdString(e.what());
    }
    r->computeMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;
    return r;
}

} // namespace

Figure exportableFigure(const TraceResult& r)
{
    if (!hasReducedPanels(r.figure) || !r.scenario)
        return r.figure;
    Figure full = std::visit(
        [&](const auto& trace) {
            return buildFigure(*r.scenario, trace, r.view.figureView(), r.view.figureHead(), r.figure.title);
        },
        r.trace);
    full.columns = r.figure.columns;
    return full;
}

void releaseInBackground(TraceResultPtr&& result)
{
    // Every owner of a result lives on the GUI thread, so the count cannot change under us.
    if (result && result.use_count() == 1)
        QThreadPool::globalInstance()->start([last = std::move(result)] {});
    result.reset();
}

bool sameInputs(const ScenarioConfig& a, const ScenarioConfig& b)
{
    // A real model's inputs at a layer depend on the mask of every layer below: run it again
    // (its forward is cached, see model/modelscenario.h).
    return !a.usesModel() && !b.usesModel() && a.seqLen == b.seqLen && a.queryLen == b.queryLen && a.batch == b.batch &&
           a.validLens == b.validLens && a.padSide == b.padSide && a.heads == b.heads &&
           a.dModel == b.dModel && a.seed == b.seed && a.tokens == b.tokens &&
           a.loadDir == b.loadDir &&
           // float64 files are converted to float32 for every format but the native one
           (a.pitfalls.format == NumberFormat::Native) == (b.pitfalls.format == NumberFormat::Native);
}

void runTraceJob(QPromise<TraceResultPtr>& promise, const TraceJob& job)
{
    promise.setProgressRange(0, 100);
    const Progress progress = [&promise](int done, int total) {
        promise.setProgressValue(total > 0 ? done * 100 / total : 0);
    };
    promise.addResult(compute(job, progress));
}

TraceResultPtr computeTrace(const TraceJob& job)
{
    return compute(job, [](int, int) {});
}

} // namespace maskscope::ui
