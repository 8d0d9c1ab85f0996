// SPDX-License-Identifier: MIT
#pragma once
// Driving the real window in Qt Test suites: finding its controls by object name, typing into
// them as a user does, and waiting until every change is computed and on screen.

#include "documentdriver.h"
#include "window/heatmapview.h"
#include "window/mainwindow.h"

#include <QDockWidget>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace maskscope::testing {

/// stories260K in ../shared (never copied into the repository), and its llama2.c tokenizer.
inline const QString kModelDir = QStringLiteral(MASKSCOPE_SHARED_DATA "/models/stories260K/");
inline const QString kModel = kModelDir + QStringLiteral("stories260K.bin");
inline const QString kTokenizer = kModelDir + QStringLiteral("tok512.bin");

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

/// The window a suite drives, one at a time, shown (offscreen) in the test's own settings. A test
/// class derives from it next to QObject and uses its accessors; see tst_mainwindow.cpp.
class WindowFixture {
public:
    /// Points QSettings at a temporary directory for the rest of the run, so that no test reads
    /// or writes the user's settings. Call it in initTestCase, before the first window.
    void isolateSettings() const
    {
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir_.path());
    }

    /// Opens a window (settings neither restored nor saved) on `config` at `size`, brings the
    /// dock named `dock` (if any) to the front of its tabs and waits until the first result is on
    /// screen. Returns false when the window was never shown; use it in QVERIFY.
    bool openWindow(const ScenarioConfig& config, QSize size = {1400, 900}, const QString& dock = {})
    {
        window_ = std::make_unique<ui::MainWindow>(config, ui::FigureRequest{}, ui::WindowOptions{false});
        window_->resize(size);
        window_->show();
        if (!QTest::qWaitForWindowExposed(window_.get()))
            return false;
        if (!dock.isEmpty())
            control<QDockWidget>(dock)->raise();
        settleWindow(*doc(), *view());
        return true;
    }

    void closeWindow() { window_.reset(); }

    ui::MainWindow* window() const { return window_.get(); }
    ui::MaskDocument* doc() const { return window_->document(); }
    ui::HeatmapView* view() const { return window_->heatmapView(); }

    /// The window's control named `name` (see namedControl).
    template <typename T>
    T* control(const QString& name) const
    {
        return namedControl<T>(window_.get(), name);
    }

    /// Waits until every change is computed and, unless refused, on screen (see settleWindow).
    void settle() const { settleWindow(*doc(), *view()); }

private:
    QTemporaryDir settingsDir_;
    std::unique_ptr<ui::MainWindow> window_;
};

} // namespace maskscope::testing
