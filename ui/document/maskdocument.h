// SPDX-License-Identifier: MIT
#pragma once
// The document of the window: the parameters a user sets, what the views show, and the latest
// computed trace. Views only read it and listen to its signals; controls change it through its
// setters. Every change recomputes off the GUI thread (see tracejob.h).

#include "document/tracejob.h"
#include "figure/figurerequest.h"

#include <QFutureWatcher>
#include <QObject>
#include <QThreadPool>
#include <QTimer>

#include <atomic>
#include <functional>
#include <memory>

namespace maskscope::ui {

class MaskDocument : public QObject {
    Q_OBJECT
public:
    explicit MaskDocument(QObject* parent = nullptr);
    ~MaskDocument() override;

    const ScenarioConfig& config() const { return config_; }
    /// Replaces every parameter; recomputes if anything changed.
    void setConfig(const ScenarioConfig& config);
    /// Changes some parameters in place, e.g. `edit([](ScenarioConfig& c) { c.causal = true; })`.
    void editConfig(const std::function<void(ScenarioConfig&)>& change);

    const FigureRequest& view() const { return view_; }
    void setView(const FigureRequest& view);
    void setMatrix(ViewKind matrix);
    void setLayout(Layout layout);
    void setHead(int head);
    void setBatchItem(int item);

    /// The pool recomputes run in: the global pool unless set. A test gives the document a pool
    /// of its own to hold, so that a job waits deterministically while the window's other
    /// work (figure rendering) goes on. Call while isIdle(); `pool` must outlive every job started
    /// in it.
    void setJobPool(QThreadPool* pool) { jobPool_ = pool; }

    /// Computes again with unchanged parameters.
    void recompute() { scheduleRecompute(); }

    /// The latest result that matches the current parameters and view (null before the first).
    /// It stays in place while a newer one is computed, so views never flash empty.
    TraceResultPtr result() const { return result_; }
    /// Why the current parameters cannot be computed; empty when they can.
    QString error() const { return error_; }
    /// True while a recompute has been running for longer than a glance (busyChanged).
    bool isBusy() const { return busy_; }
    /// True when no change is waiting or being computed: result() is up to date.
    bool isIdle() const;
    /// Id of the newest change; a result with this id reflects every change made so far.
    quint64 newestChangeId() const { return newestId_->load(); }

    /// True when cancel() has something to do: a change waits or is being computed, and there
    /// is a result on screen to go back to.
    bool canCancel() const;
    /// Stops waiting for the change being computed: the parameters and view go back to those of
    /// result() (whose figure stays on screen) and error() is cleared. The running job sees that
    /// it is stale at its next check and stops; whatever it returns is dropped. Emits
    /// configChanged and viewChanged (when they moved), then cancelled(). Does nothing unless
    /// canCancel().
    void cancel();

signals:
    void configChanged();
    void viewChanged();
    /// A new result is in result(), or error() changed.
    void resultChanged();
    void errorChanged(const QString& error);
    /// A long recompute started (true) or ended (false).
    void busyChanged(bool busy);
    /// Progress of the running recompute, 0..100.
    void progressChanged(int percent);
    /// A computation is about to start (true; emitted before it allocates anything), or every
    /// change so far has been computed (false). Alternates, starting with true.
    void computingChanged(bool computing);
    /// cancel() went back to the parameters of result().
    void cancelled();

private:
    void scheduleRecompute();
    void startJob();
    void finishJob(const TraceResultPtr& r);
    void acceptResult(const TraceResultPtr& r);
    void setError(const QString& error);
    void setBusy(bool busy);
    void setComputing(bool computing);

    ScenarioConfig config_;
    FigureRequest view_;
    TraceResultPtr result_;
    QString error_;
    // The parameters and view result_ was computed from: what cancel() goes back to.
    ScenarioConfig resultConfig_;
    FigureRequest resultView_;
    std::shared_ptr<const Scenario> lastScenario_; // reused when only causal or fill change
    // Read by running jobs (to stop early) while the GUI thread raises it: hence shared, atomic.
    std::shared_ptr<std::atomic<quint64>> newestId_;
    quint64 runningId_ = 0; // 0 = no job running
    quint64 latestAnsweredId_ = 0; // id of the last result or error taken in
    QTimer coalesce_;       // gathers a burst of changes into one recompute
    QTimer busyDelay_;      // shows "busy" only for recomputes long enough to notice
    QFutureWatcher<TraceResultPtr> progressWatcher_;
    bool busy_ = false;
    bool computing_ = false;
    QThreadPool* jobPool_ = QThreadPool::globalInstance();
};

} // namespace maskscope::ui
