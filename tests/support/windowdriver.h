#pragma once
// Driving the real window in Qt Test suites: finding its controls by object name, typing into
// them as a user does, and waiting until every change is computed and on screen.

#include "documentdriver.h"
#include "window/heatmapview.h"

#include <QSpinBox>
#include <QtTest>

namespace maskscope::testing {

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

/// Select all, type the number, Enter.
inline void typeInto(QSpinBox* spin, int value)
{
    spin->setFocus();
    QTest::keyClick(spin, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(spin, QString::number(value));
    QTest::keyClick(spin, Qt::Key_Return);
}

/// Waits until every change is computed and, unless refused or shown by the long-context mask
/// view instead, painted by `view`.
inline void settleWindow(const ui::MaskDocument& document, const ui::HeatmapView& view,
                         int timeoutMs = kWindowTimeoutMs)
{
    QTRY_VERIFY_WITH_TIMEOUT(document.isIdle(), timeoutMs);
    if (document.error().isEmpty() && !document.result()->longContext)
        QTRY_VERIFY_WITH_TIMEOUT(view.paintedJobId() >= document.result()->jobId, timeoutMs);
}

inline void settleWindow(const ui::MaskDocument* document, const ui::HeatmapView* view)
{
    settleWindow(*document, *view);
}

} // namespace maskscope::testing
