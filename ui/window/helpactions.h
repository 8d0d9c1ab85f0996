// SPDX-License-Identifier: MIT
#pragma once
// The Help menu (Manual on F1, About MaskScope, About Qt) and View → Full screen (F11) of the
// main window. The project page and issue tracker come from the AppStream metadata
// (resources/desktop/*.metainfo.xml), read by CMake: one owner for the addresses.

#include "window/retranslation.h"

#include <QObject>
#include <QPointer>

class QAction;
class QMainWindow;
class QMenu;
class QMessageBox;

namespace maskscope::ui {

class ManualDialog;

class HelpActions : public QObject {
    Q_OBJECT
public:
    /// Adds the Help menu to the end of `window`'s menu bar and Full screen to the end of `view`;
    /// owned by `window`, whose language changes it follows.
    HelpActions(QMainWindow* window, QMenu* view);

    QAction* manualAction() const { return manual_; }
    QAction* aboutAction() const { return about_; }
    QAction* fullScreenAction() const { return fullScreen_; }
    /// The manual's window once Help → Manual opened it (it stays, and keeps its page), else null.
    ManualDialog* manualDialog() const;
    /// The About box while it is open, else null.
    QMessageBox* aboutBox() const;

    /// The project's web page and issue tracker (from the AppStream metadata).
    static QString homepageUrl();
    static QString issuesUrl();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void addHelpMenu();
    void addFullScreen(QMenu* view);
    void showManual();
    void showAbout();
    void setFullScreen(bool on);

    QMainWindow* window_;
    RetranslatedTexts texts_;
    QAction* manual_ = nullptr;
    QAction* about_ = nullptr;
    QAction* fullScreen_ = nullptr;
    QPointer<ManualDialog> manualDialog_;
    QPointer<QMessageBox> aboutBox_;
    bool maximizedBeforeFullScreen_ = false;
};

} // namespace maskscope::ui
