#pragma once
// Driving the real window in GUI tests: finding a control by its object name, and waiting until
// every change is computed and on screen.

#include "heatmapview.h"
#include "maskdocument.h"

#include <QtTest>

namespace maskscope::testing {

/// Generous: correctness is asserted, never speed.
inline constexpr int kWindowTimeoutMs = 120000;

/// The child of `root` named `name`; aborts the test run when there is none (a renamed control
/// must not turn assertions into no-ops).
template <typename T>
T* namedControl(const QObject* root, const QString& name)
{
    T* w = root->findChild<T*>(name);
    if (!w)
        qFatal("no control named %s", qPrintable(name));
    return w;
}

/// Waits until every change is computed and, unless refused, painted by `view`.
inline void settleWindow(const ui::MaskDocument* doc, const ui::HeatmapView* view)
{
    QTRY_VERIFY_WITH_TIMEOUT(doc->isIdle(), kWindowTimeoutMs);
    if (doc->error().isEmpty())
        QTRY_VERIFY_WITH_TIMEOUT(view->paintedJobId() >= doc->result()->jobId, kWindowTimeoutMs);
}

} // namespace maskscope::testing
