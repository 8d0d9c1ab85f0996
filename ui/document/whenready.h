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

/// Calls `onResult(result)` on `owner`'s thread when `future` has its result, unless `owner` is
/// destroyed first. Precondition: `future` reports exactly one result.
template <typename T, typename F>
void whenReady(QObject* owner, QFuture<T> future, F onResult)
{
    auto* watcher = new QFutureWatcher<T>(owner);
    QObject::connect(watcher, &QFutureWatcherBase::finished, owner,
                     [watcher, onResult = std::move(onResult)]() mutable {
                         watcher->disconnect(); // an emptied watcher reports "finished" again
                         const QFuture<T> done = watcher->future();
                         watcher->deleteLater();
                         if (done.resultCount() > 0)
                             onResult(done.result());
                     });
    watcher->setFuture(std::move(future));
}

} // namespace maskscope::ui
