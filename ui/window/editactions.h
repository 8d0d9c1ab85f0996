// SPDX-License-Identifier: MIT
#pragma once
// The Edit menu: Undo and Redo over every change of the window's document (documenthistory.h),
// and Reset to defaults. The history learns from the window only what a change alone does not
// say: a painted stroke is one gesture, and a preset's name.

#include "window/retranslation.h"

#include <QObject>

class QAction;
class QMenu;

namespace maskscope::ui {

class DocumentHistory;
class MainWindow;

class EditActions : public QObject {
    Q_OBJECT
public:
    /// Adds the Edit menu at the end of `window`'s menu bar and starts recording the changes of
    /// its document from its present state. Needs the window's controls and heatmap built.
    explicit EditActions(MainWindow* window);

    /// The history of the window's document, e.g. to clear() it when a session is opened.
    DocumentHistory* history() const { return history_; }
    QAction* undoAction() const { return undo_; }
    QAction* redoAction() const { return redo_; }
    QAction* resetAction() const { return reset_; }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void buildMenu(MainWindow* window);
    void connectWindow(MainWindow* window);
    /// Undo and Redo name the step they would take, in the language now installed.
    void updateStepActions();
    void resetToDefaults();

    DocumentHistory* history_;
    RetranslatedTexts texts_;
    QAction* undo_ = nullptr;
    QAction* redo_ = nullptr;
    QAction* reset_ = nullptr;
};

} // namespace maskscope::ui
