// SPDX-License-Identifier: MIT
#pragma once
// Undo and redo over every change of a MaskDocument. The history watches the document's
// configChanged and viewChanged and keeps each change as a step {state before, state after}, so
// a control only changes the document and is covered without knowing about undo.
//
// What makes one step: every change before the event loop runs again (a preset sets the
// parameters and then the view); every change between beginGroup() and endGroup() (a painted
// stroke, from press to release); and a burst of changes of the same single setting, each within
// kBurstMs of the one before (a dragged slider, a held arrow key).

#include "document/historynames.h"

#include <QObject>
#include <QTimer>

#include <functional>
#include <string>
#include <vector>

class QUndoStack;

namespace maskscope::ui {

class MaskDocument;
class SnapshotCommand;

class DocumentHistory : public QObject {
    Q_OBJECT
public:
    /// Milliseconds on a clock that never goes back; replaced by tests to make bursts exact.
    using Clock = std::function<qint64()>;
    /// A step's name in the language installed when it is asked for.
    using Name = std::function<QString()>;

    /// Changes of the same single setting closer together than this are one step.
    static constexpr qint64 kBurstMs = 1000;

    /// Records the changes of `document` from now on; its present state is where undo stops.
    /// `document` must outlive the history (e.g. be its parent or its parent's).
    explicit DocumentHistory(MaskDocument* document, QObject* parent = nullptr);
    ~DocumentHistory() override;

    /// The steps, for actions and views that follow them (canUndoChanged, cleanChanged...).
    /// Undo, redo and clear only through this class (it keeps track of where the document is);
    /// the commands' texts are in the language of their time, undoText()/redoText() follow it.
    QUndoStack* stack() const { return stack_; }
    bool canUndo() const;
    bool canRedo() const;
    /// The name of the step undo() goes back over (e.g. "Length"), or empty when there is none.
    QString undoText() const;
    /// The name of the step redo() applies again, or empty when there is none.
    QString redoText() const;
    /// Puts the document back to its state before the latest step; nothing when !canUndo().
    void undo();
    /// Applies the step undo() took back again; nothing when !canRedo(). A new change drops
    /// every step that could be redone.
    void redo();

    /// Every change until the matching endGroup() is one step (groups nest; the outermost
    /// counts), named after what it changed. It never joins the step before or after it.
    void beginGroup();
    void endGroup();
    /// Names the step made by the changes since the event loop last ran, or by the open group,
    /// e.g. "Preset ‘Why NaN?’". Nothing when there is no such step (nothing changed).
    void nameCurrentStep(const Name& name);

    /// Forgets every step: the document's present state is where undo stops, e.g. after
    /// opening a session. The history is then clean.
    void clear();
    /// Marks the present state as saved: isClean() until the next step, undo or redo away from it.
    void setClean();
    bool isClean() const;

    void setClock(Clock clock) { clock_ = std::move(clock); }

signals:
    /// canUndo, canRedo, undoText or redoText may have changed.
    void stepsChanged();

private:
    friend class SnapshotCommand;

    DocumentSnapshot current() const;
    void record();
    bool joinsTopStep(const std::vector<std::string>& settings, qint64 now) const;
    /// Sets the document to `state` without recording it (undo and redo of a step).
    void apply(const DocumentSnapshot& state);
    void dropCancelledSteps();
    SnapshotCommand* step(int index) const;
    /// Keeps the first `index` steps only, without touching the document.
    void truncate(int index);
    void endMerging();
    /// The trail starts again at the present state.
    void restartTrail();

    /// A state the document was in, and how many steps the stack held then (the last of them
    /// ending there).
    struct Waypoint {
        DocumentSnapshot state;
        int steps;
    };

    MaskDocument* document_;
    QUndoStack* stack_;
    Clock clock_;
    DocumentSnapshot last_;   // the document's state after the latest recorded change
    QTimer turnEnd_;          // fires once the event loop runs again: the end of a "turn"
    bool turnOpen_ = false;   // a change was recorded in this turn: the next one joins it
    bool burstOpen_ = false;  // the top step is a burst the next change of its setting may join
    qint64 lastChangeMs_ = 0;
    int groupDepth_ = 0;
    bool groupHasStep_ = false;
    bool applying_ = false;   // undo or redo is setting the document: not a change to record
    bool silent_ = false;     // steps are dropped: their undo must not touch the document
    // Every state since the one of the result on screen: where cancel() may go back to. Cut at
    // the next change once a result of the present state is in (settled_), so it stays short.
    std::vector<Waypoint> trail_;
    bool settled_ = false;
};

} // namespace maskscope::ui
