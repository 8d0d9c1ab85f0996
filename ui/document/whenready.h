// SPDX-License-Identifier: MIT
#pragma once
// Delivering a worker's result to a QObject on its own thread, through a QFutureWatcher owned
// by that object, instead of QFuture::then(context, ...): in Qt 6.4 a context continuation whose
// context is destroyed first (a view closed while its job runs, the application exiting) asserts
// in Debug builds and crashed under load in Release. A watcher dies with its owner, and the
// callback then simply never runs.

#include <QFuture>
#include <QFutureWatcher>
#include <QObject>

#include <utility>

namespace maskscope::ui {

/// Calls `onFinished(future)` on `owner`'s thread once `future` has finished (with a result, an
/// exception or none), unless `owner` is destroyed first. The watcher lets go of the future before
/// the call, so the callback holds the last reference to the result if it drops its copy.
template <typename T, typename F>
void whenFinished(QObject* owner, QFuture<T> future, F onFinished)
{
    auto* watcher = new QFutureWatcher<T>(owner);
    QObject::connect(watcher, &QFutureWatcherBase::finished, owner,
                     [watcher, onFinished = std::move(onFinished)]() mutable {
                         watcher->disconnect(); // an emptied watcher reports "finished" again
                         QFuture<T> done = watcher->future();
                         watcher->setFuture(QFuture<T>());
                         watcher->deleteLater();
                         onFinished(std::move(done));
                     });
    watcher->setFuture(std::move(future));
}

/// Calls `onResult(result)` on `owner`'s thread when `future` has its result, unless `owner` is
/// destroyed first. Precondition: `future` reports exactly one result.
template <typename T, typename F>
void whenReady(QObject* owner, QFuture<T> future, F onResult)
{
    whenFinished(owner, std::move(future), [onResult = std::move(onResult)](QFuture<T> done) mutable {
        if (done.resultCount() > 0)
            onResult(done.result());
    });
}

} // namespace maskscope::ui
