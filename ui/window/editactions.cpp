// SPDX-License-Identifier: MIT
#include "window/editactions.h"

#include "document/documenthistory.h"
#include "document/maskdocument.h"
#include "window/controlpanel.h"
#include "window/mainwindow.h"
#include "window/maskcellpainter.h"

#include <QEvent>
#include <QMenuBar>

namespace maskscope::ui {

EditActions::EditActions(MainWindow* window)
    : QObject(window), history_(new DocumentHistory(window->document(), this))
{
    setObjectName(QStringLiteral("editActions"));
    buildMenu(window);
    connectWindow(window);
    // The window hears of a new language; the step names follow it.
    window->installEventFilter(this);
    connect(history_, &DocumentHistory::stepsChanged, this, &EditActions::updateStepActions);
    updateStepActions();
}

bool EditActions::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::LanguageChange) {
        texts_.retranslate();
        updateStepActions();
    }
    return QObject::eventFilter(watched, event);
}

void EditActions::buildMenu(MainWindow* window)
{
    QMenu* edit = texts_.bind(window->menuBar()->addMenu(QString()), &QMenu::setTitle, [] { return tr("&Edit"); });
    // Own actions rather than QUndoStack::createUndoAction: its "Undo" prefix is fixed when it is
    // made, and a language switch must rename the actions in place.
    undo_ = edit->addAction(QString(), history_, &DocumentHistory::undo);
    undo_->setObjectName(QStringLiteral("undoAction"));
    undo_->setShortcuts(QKeySequence::Undo);
    redo_ = edit->addAction(QString(), history_, &DocumentHistory::redo);
    redo_->setObjectName(QStringLiteral("redoAction"));
    redo_->setShortcuts(QKeySequence::Redo);
    edit->addSeparator();
    reset_ = texts_.bind(edit->addAction(QString(), this, &EditActions::resetToDefaults), &QAction::setText,
                         [] { return tr("Reset to &defaults"); });
    reset_->setObjectName(QStringLiteral("resetAction"));
}

void EditActions::connectWindow(MainWindow* window)
{
    MaskCellPainter* painter = window->maskCellPainter();
    connect(painter, &MaskCellPainter::strokeStarted, history_, &DocumentHistory::beginGroup);
    connect(painter, &MaskCellPainter::strokeFinished, history_, &DocumentHistory::endGroup);
    connect(window->controlPanel(), &ControlPanel::presetApplied, history_, [this](const QString& name) {
        history_->nameCurrentStep([name] { return tr("Preset \u2018%1\u2019").arg(name); });
    });
}

void EditActions::updateStepActions()
{
    const QString undoStep = history_->undoText(), redoStep = history_->redoText();
    undo_->setText(undoStep.isEmpty() ? tr("&Undo") : tr("&Undo %1").arg(undoStep));
    redo_->setText(redoStep.isEmpty() ? tr("&Redo") : tr("&Redo %1").arg(redoStep));
    undo_->setEnabled(history_->canUndo());
    redo_->setEnabled(history_->canRedo());
}

void EditActions::resetToDefaults()
{
    auto* window = static_cast<MainWindow*>(parent());
    // Both setters before the event loop runs again: one step, named below.
    window->document()->setConfig(ScenarioConfig{});
    window->document()->setView(FigureRequest{});
    history_->nameCurrentStep([] { return tr("Reset to defaults"); });
}

} // namespace maskscope::ui
