// SPDX-License-Identifier: MIT
#include "document/maskdocument.h"

#include "document/whenready.h"

#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <utility>

namespace maskscope::ui {

namespace {

// A recompute that takes longer than this shows a progress bar; shorter ones would only flicker.
constexpr int kBusyDelayMs = 150;

int effectiveBatch(const ScenarioConfig& c)
{
    return c.validLens.empty() ? c.effectiveBatch() : static_cast<int>(c.validLens.size());
}

// A view that fits the config's sizes (the heads and batch of loaded files are only known to a
// job, which clamps again).
FigureRequest clampedTo(const FigureRequest& v, const ScenarioConfig& c)
{
    FigureRequest fitted = v.fittedTo(c.heads, effectiveBatch(c));
    if (!c.loadDir.empty())
        fitted.batchItem = std::max(0, v.batchItem);
    return fitted;
}

TraceResultPtr failedJob(quint64 id, const QString& why)
{
    auto r = std::make_shared<TraceResult>();
    r->jobId = id;
    r->error = why;
    return r;
}

} // namespace

MaskDocument::MaskDocument(QObject* parent)
    : QObject(parent), newestId_(std::make_shared<std::atomic<quint64>>(0))
{
    coalesce_.setSingleShot(true);
    coalesce_.setInterval(0); // every change queued before the event loop runs again is one job
    connect(&coalesce_, &QTimer::timeout, this, [this] {
        if (runningId_ == 0) {
            startJob();
            return;
        }
        // The running job sees the newer id, stops, and finishJob() starts the next one. It may
        // be one that was cancelled, after which nothing was being computed.
        if (!computing_) {
            busyDelay_.start();
            setComputing(true);
        }
    });
    busyDelay_.setSingleShot(true);
    busyDelay_.setInterval(kBusyDelayMs);
    connect(&busyDelay_, &QTimer::timeout, this, [this] { setBusy(true); });
    connect(&progressWatcher_, &QFutureWatcher<TraceResultPtr>::progressValueChanged, this,
            &MaskDocument::progressChanged);
    scheduleRecompute();
}

MaskDocument::~MaskDocument() = default;

void MaskDocument::setConfig(const ScenarioConfig& config)
{
    if (config == config_)
        return;
    config_ = config;
    const FigureRequest clamped = clampedTo(view_, config_);
    const bool viewMoved = !(clamped == view_);
    view_ = clamped;
    emit configChanged();
    if (viewMoved)
        emit viewChanged();
    scheduleRecompute();
}

void MaskDocument::editConfig(const std::function<void(ScenarioConfig&)>& change)
{
    ScenarioConfig edited = config_;
    change(edited);
    setConfig(edited);
}

void MaskDocument::setView(const FigureRequest& view)
{
    const FigureRequest clamped = clampedTo(view, config_);
    if (clamped == view_)
        return;
    view_ = clamped;
    emit viewChanged();
    scheduleRecompute();
}

void MaskDocument::setMatrix(ViewKind matrix)
{
    FigureRequest v = view_;
    v.matrix = matrix == ViewKind::Pipeline ? ViewKind::Weights : matrix;
    setView(v);
}

void MaskDocument::setLayout(Layout layout)
{
    FigureRequest v = view_;
    v.layout = layout;
    setView(v);
}

void MaskDocument::setHead(int head)
{
    FigureRequest v = view_;
    v.head = head;
    setView(v);
}

void MaskDocument::setBatchItem(int item)
{
    FigureRequest v = view_;
    v.batchItem = item;
    setView(v);
}

bool MaskDocument::isIdle() const
{
    return runningId_ == 0 && !coalesce_.isActive() &&
           (result_ || !error_.isEmpty()) && latestAnsweredId_ == newestId_->load();
}

bool MaskDocument::canCancel() const
{
    return result_ && !isIdle() && latestAnsweredId_ != newestId_->load();
}

void MaskDocument::cancel()
{
    if (!canCancel())
        return;
    coalesce_.stop();
    // The running job (if any) is now stale: it stops at its next check and finishJob() drops
    // what it returns. The result on screen answers the newest "change", the way back.
    latestAnsweredId_ = newestId_->fetch_add(1) + 1;
    progressWatcher_.setFuture(QFuture<TraceResultPtr>());
    busyDelay_.stop();
    setBusy(false);
    setComputing(false);
    const bool configMoved = !(config_ == resultConfig_);
    const bool viewMoved = !(view_ == resultView_);
    config_ = resultConfig_;
    view_ = resultView_;
    setError(QString());
    if (configMoved)
        emit configChanged();
    if (viewMoved)
        emit viewChanged();
    emit resultChanged();
    emit cancelled();
}

void MaskDocument::scheduleRecompute()
{
    newestId_->fetch_add(1);
    coalesce_.start();
}

void MaskDocument::startJob()
{
    TraceJob job;
    job.id = newestId_->load();
    job.config = config_;
    job.view = view_;
    job.previous = lastScenario_;
    job.newestId = newestId_;
    job.outlines = true; // the window renders large panels for its own pixels
    runningId_ = job.id;
    if (!busy_)
        busyDelay_.start();
    setComputing(true);
    QFuture<TraceResultPtr> future = QtConcurrent::run(jobPool_, &runTraceJob, job);
    progressWatcher_.setFuture(future);
    const quint64 id = job.id;
    whenFinished(this, future, [this, id](QFuture<TraceResultPtr> done) {
        TraceResultPtr r;
        try {
            r = done.resultCount() > 0 ? done.result() : failedJob(id, tr("the recompute stopped"));
        } catch (const std::exception& e) {
            r = failedJob(id, QString::fromLocal8Bit(e.what()));
        }
        // The futures keep their own reference to the result; let go of them now, or the result
        // (hundreds of MB for a large figure) would later be freed on the GUI thread.
        progressWatcher_.setFuture(QFuture<TraceResultPtr>());
        done = QFuture<TraceResultPtr>();
        finishJob(r);
    });
}

void MaskDocument::finishJob(const TraceResultPtr& r)
{
    runningId_ = 0;
    const bool current = r->jobId == newestId_->load();
    if (current && !r->cancelled)
        acceptResult(r);
    if (!current) {
        // Newer changes arrived while this job ran: its result is stale; compute the newest,
        // unless the user cancelled it and nothing changed since.
        if (!coalesce_.isActive() && latestAnsweredId_ != newestId_->load())
            startJob();
        return;
    }
    busyDelay_.stop();
    setBusy(false);
    setComputing(false);
}

void MaskDocument::acceptResult(const TraceResultPtr& r)
{
    latestAnsweredId_ = r->jobId;
    if (!r->error.isEmpty()) {
        // Keep the last good figure on screen; the message says why it is not updated.
        setError(r->error);
        emit resultChanged();
        return;
    }
    releaseInBackground(std::exchange(result_, r));
    // A current result was computed from the parameters as they are: none changed since its job.
    resultConfig_ = config_;
    resultView_ = view_;
    lastScenario_ = r->scenario;
    setError(QString());
    emit resultChanged();
}

void MaskDocument::setError(const QString& error)
{
    if (error == error_)
        return;
    error_ = error;
    emit errorChanged(error_);
}

void MaskDocument::setBusy(bool busy)
{
    if (busy == busy_)
        return;
    busy_ = busy;
    emit busyChanged(busy_);
}

void MaskDocument::setComputing(bool computing)
{
    if (computing == computing_)
        return;
    computing_ = computing;
    emit computingChanged(computing_);
}

} // namespace maskscope::ui
