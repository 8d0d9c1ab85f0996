#pragma once
// Driving the real window in Qt Test suites: finding its controls by object name, typing into
// them as a user does, and waiting until the document has computed every change.

#include "heatmapview.h"
#include "maskdocument.h"

#include <QSpinBox>
#include <QtTest>

namespace maskscope::testing {

/// The child of `root` named `name`; stops the test run if there is none (a renamed control).
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

/// Waits until every change is computed and, unless refused, on screen in `view`.
inline void settleWindow(const ui::MaskDocument& document, const ui::HeatmapView& view, int timeoutMs = 120000)
{
    QTRY_VERIFY_WITH_TIMEOUT(document.isIdle(), timeoutMs);
    if (document.error().isEmpty() && !document.result()->longContext)
        QTRY_VERIFY_WITH_TIMEOUT(view.paintedJobId() >= document.result()->jobId, timeoutMs);
}

} // namespace maskscope::testing
