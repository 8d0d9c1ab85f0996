// SPDX-License-Identifier: MIT
#include "document/documenthistory.h"

#include "document/maskdocument.h"

#include <QUndoStack>

#include <chrono>

namespace maskscope::ui {

namespace {

qint64 steadyMilliseconds()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

} // namespace

/// One step: the document's state before and after it. Pushed after the change is made, so its
/// first redo() (QUndoStack::push) does nothing.
class SnapshotCommand : public QUndoCommand {
public:
    SnapshotCommand(DocumentHistory* history, const DocumentSnapshot& before, const DocumentSnapshot& after,
                    bool joinsPrevious)
        : history_(history), before_(before), after_(after), joinsPrevious_(joinsPrevious)
    {
        settings_ = changedSettings(before_, after_);
        setText(name());
    }

    // Every step has the same id: whether two join is decided by the history (joinsPrevious).
    int id() const override { return 1; }

    bool mergeWith(const QUndoCommand* other) override
    {
        const auto* next = static_cast<const SnapshotCommand*>(other);
        if (!next->joinsPrevious_)
            return false;
        extendTo(next->after_);
        setObsolete(before_ == after_); // QUndoStack drops a step that changes nothing
        return true;
    }

    void undo() override { history_->apply(before_); }

    void redo() override
    {
        if (pushed_)
            history_->apply(after_);
        pushed_ = true;
    }

    const DocumentSnapshot& before() const { return before_; }
    const DocumentSnapshot& after() const { return after_; }
    const std::vector<std::string>& settings() const { return settings_; }

    /// The step now ends at `state`.
    void extendTo(const DocumentSnapshot& state)
    {
        after_ = state;
        settings_ = changedSettings(before_, after_);
        setText(name());
    }

    void setName(const DocumentHistory::Name& name)
    {
        name_ = name;
        setText(this->name());
    }

    QString name() const { return name_ ? name_() : changeLabel(settings_); }

private:
    DocumentHistory* history_;
    DocumentSnapshot before_;
    DocumentSnapshot after_;
    std::vector<std::string> settings_;
    DocumentHistory::Name name_;
    bool joinsPrevious_;
    bool pushed_ = false;
};

DocumentHistory::DocumentHistory(MaskDocument* document, QObject* parent)
    : QObject(parent), document_(document), stack_(new QUndoStack(this)), clock_(steadyMilliseconds),
      last_(current())
{
    turnEnd_.setSingleShot(true);
    turnEnd_.setInterval(0);
    connect(&turnEnd_, &QTimer::timeout, this, [this] { turnOpen_ = false; });
    connect(document_, &MaskDocument::configChanged, this, &DocumentHistory::record);
    connect(document_, &MaskDocument::viewChanged, this, &DocumentHistory::record);
    connect(document_, &MaskDocument::cancelled, this, &DocumentHistory::dropCancelledSteps);
    // A result of the present state: no cancel goes back beyond it (see trail_).
    connect(document_, &MaskDocument::resultChanged, this, [this] {
        settled_ = settled_ || (document_->isIdle() && document_->error().isEmpty());
    });
    restartTrail();
    connect(stack_, &QUndoStack::indexChanged, this, &DocumentHistory::stepsChanged);
}

DocumentHistory::~DocumentHistory() = default;

bool DocumentHistory::canUndo() const { return stack_->canUndo(); }

bool DocumentHistory::canRedo() const { return stack_->canRedo(); }

QString DocumentHistory::undoText() const
{
    return canUndo() ? step(stack_->index() - 1)->name() : QString();
}

QString DocumentHistory::redoText() const
{
    return canRedo() ? step(stack_->index())->name() : QString();
}

void DocumentHistory::undo()
{
    stack_->undo();
    restartTrail();
}

void DocumentHistory::redo()
{
    stack_->redo();
    restartTrail();
}

void DocumentHistory::beginGroup()
{
    if (groupDepth_++ == 0)
        groupHasStep_ = false;
}

void DocumentHistory::endGroup()
{
    if (groupDepth_ == 0 || --groupDepth_ > 0)
        return;
    endMerging();
}

void DocumentHistory::nameCurrentStep(const Name& name)
{
    const bool open = groupDepth_ > 0 ? groupHasStep_ : turnOpen_;
    if (!open || !canUndo() || canRedo())
        return;
    step(stack_->index() - 1)->setName(name);
    burstOpen_ = false; // a named step is one action, not the start of a burst
    emit stepsChanged();
}

void DocumentHistory::clear()
{
    stack_->clear();
    last_ = current();
    endMerging();
    restartTrail();
    emit stepsChanged();
}

void DocumentHistory::setClean()
{
    stack_->setClean();
}

bool DocumentHistory::isClean() const
{
    return stack_->isClean();
}

DocumentSnapshot DocumentHistory::current() const
{
    return {document_->config(), document_->view()};
}

void DocumentHistory::record()
{
    if (applying_)
        return;
    const DocumentSnapshot now = current();
    if (now == last_)
        return; // e.g. the viewChanged of a view that configChanged already recorded
    const qint64 time = clock_();
    const bool single = changedSettings(last_, now).size() == 1;
    const int count = stack_->count();
    stack_->push(new SnapshotCommand(this, last_, now, joinsTopStep(changedSettings(last_, now), time)));
    const bool madeStep = stack_->count() > count;
    last_ = now;
    lastChangeMs_ = time;
    if (settled_)
        trail_.erase(trail_.begin(), trail_.end() - 1);
    settled_ = false;
    trail_.push_back({now, stack_->index()});
    turnOpen_ = true;
    turnEnd_.start();
    if (groupDepth_ > 0)
        groupHasStep_ = true;
    else if (madeStep)
        burstOpen_ = single;
    emit stepsChanged();
}

bool DocumentHistory::joinsTopStep(const std::vector<std::string>& settings, qint64 now) const
{
    if (!canUndo() || canRedo())
        return false;
    if (groupDepth_ > 0)
        return groupHasStep_;
    if (turnOpen_)
        return true;
    // Only a burst of one setting joins: a change of another setting is a step of its own.
    return burstOpen_ && settings.size() == 1 && step(stack_->index() - 1)->settings() == settings &&
           now - lastChangeMs_ <= kBurstMs;
}

void DocumentHistory::apply(const DocumentSnapshot& state)
{
    if (silent_)
        return;
    applying_ = true;
    document_->setConfig(state.config);
    document_->setView(state.view);
    applying_ = false;
    last_ = current();
    endMerging();
}

// cancel() took the document back to the state of its last result, which it passed through
// on the way here (trail_): the steps made since are dropped, and the step it was reached in
// ends there, so that no step leads back to a change the user gave up.
void DocumentHistory::dropCancelledSteps()
{
    if (trail_.empty() || !(trail_.back().state == last_) || canRedo())
        return;
    for (auto it = trail_.rbegin() + 1; it != trail_.rend(); ++it) {
        if (!(it->state == last_))
            continue;
        const int steps = it->steps;
        if (steps > stack_->count())
            return; // that step was undone by its own burst: nothing leads back
        truncate(steps);
        if (steps > 0 && step(steps - 1)->before() == last_)
            truncate(steps - 1);
        else if (steps > 0)
            step(steps - 1)->extendTo(last_);
        emit stepsChanged();
        return;
    }
}

SnapshotCommand* DocumentHistory::step(int index) const
{
    // Every command of the stack is one of ours; the stack hands them out as const only.
    return const_cast<SnapshotCommand*>(static_cast<const SnapshotCommand*>(stack_->command(index)));
}

void DocumentHistory::truncate(int index)
{
    silent_ = true;
    stack_->setIndex(index);
    silent_ = false;
    // Pushing drops every step above the index; an obsolete command is then deleted, not kept.
    auto* drop = new SnapshotCommand(this, last_, last_, false);
    drop->setObsolete(true);
    stack_->push(drop);
    endMerging();
    restartTrail();
    emit stepsChanged();
}

void DocumentHistory::restartTrail()
{
    trail_ = {{last_, stack_->index()}};
    settled_ = false;
}

void DocumentHistory::endMerging()
{
    turnOpen_ = false;
    burstOpen_ = false;
    groupHasStep_ = false;
}

} // namespace maskscope::ui
