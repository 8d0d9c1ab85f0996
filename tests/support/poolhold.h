// SPDX-License-Identifier: MIT
#pragma once
// Holding every thread of a thread pool (the global one unless given), so that a job queued
// meanwhile (a document's recompute) waits, deterministically, until the test lets go: "cancel
// while it runs" without timing anything.

#include <QSemaphore>
#include <QThreadPool>

namespace maskscope::testing {

class ThreadPoolHold {
public:
    /// Returns once every thread of `pool` is held.
    explicit ThreadPoolHold(QThreadPool* pool = QThreadPool::globalInstance())
        : pool_(pool), threads_(pool->maxThreadCount())
    {
        for (int k = 0; k < threads_; ++k)
            pool_->start([this] {
                started_.release();
                gate_.acquire();
            });
        started_.acquire(threads_);
    }

    ThreadPoolHold(const ThreadPoolHold&) = delete;
    ThreadPoolHold& operator=(const ThreadPoolHold&) = delete;

    ~ThreadPoolHold()
    {
        release();
        pool_->waitForDone(); // our tasks must not outlive the semaphores
    }

    /// Lets the pool run what was queued meanwhile.
    void release()
    {
        if (!released_)
            gate_.release(threads_);
        released_ = true;
    }

private:
    QThreadPool* pool_;
    int threads_;
    QSemaphore started_;
    QSemaphore gate_;
    bool released_ = false;
};

} // namespace maskscope::testing
