// SPDX-License-Identifier: MIT
// DocumentHistory: every change of the document is a step that undoes and redoes exactly; a turn
// of the event loop, a group and a burst of one setting are one step; cancel leaves no step back
// to the cancelled change; clear() starts afresh.

#include "document/documenthistory.h"
#include "document/historynames.h"
#include "document/maskdocument.h"

#include <QSignalSpy>
#include <QUndoStack>
#include <QTest>

#include <functional>

#include "documentdriver.h"
#include "poolhold.h"

using namespace maskscope;
using namespace maskscope::ui;

namespace {

constexpr int kTimeoutMs = 60000; // generous: the machine may be busy; nothing here is timed

using Change = std::function<void(MaskDocument&)>;

ScenarioConfig smallConfig(int seqLen = 8)
{
    return testing::syntheticConfig(seqLen, 4, 32);
}

DocumentSnapshot stateOf(const MaskDocument& doc)
{
    return {doc.config(), doc.view()};
}

// Lets the event loop run once: what follows is another user action.
void nextTurn()
{
    QCoreApplication::processEvents();
}

void editSeqLen(MaskDocument& doc, int length)
{
    doc.editConfig([length](ScenarioConfig& c) { c.seqLen = length; });
}

} // namespace

Q_DECLARE_METATYPE(Change)

class TestDocumentHistory : public QObject {
    Q_OBJECT

    // A document with `start` and a history on a clock the test moves (`now_`).
    struct Fixture {
        explicit Fixture(qint64& now, const ScenarioConfig& start = smallConfig())
            : history(startedAt(doc, start))
        {
            history.setClock([&now] { return now; });
        }
        ~Fixture() { QTRY_VERIFY_WITH_TIMEOUT(doc.isIdle(), kTimeoutMs); }

        static MaskDocument* startedAt(MaskDocument& doc, const ScenarioConfig& start)
        {
            doc.setConfig(start);
            return &doc;
        }

        MaskDocument doc;
        DocumentHistory history; // from the start state on
    };

    qint64 now_ = 0;

    void later(qint64 ms = DocumentHistory::kBurstMs + 1)
    {
        now_ += ms;
        nextTurn();
    }

private slots:
    void init() { now_ = 1'000'000; }

    void everyKindOfChangeUndoesAndRedoesExactly_data()
    {
        QTest::addColumn<Change>("change");
        QTest::addColumn<QString>("name");
        QTest::newRow("option") << Change([](MaskDocument& d) { editSeqLen(d, 5); }) << settingLabel("--seq-len");
        QTest::newRow("flag") << Change([](MaskDocument& d) { d.editConfig([](ScenarioConfig& c) { c.causal = true; }); })
                              << settingLabel("--causal");
        QTest::newRow("pitfall") << Change([](MaskDocument& d) {
            d.editConfig([](ScenarioConfig& c) { c.pitfalls.mistakes.set(Pitfall::InvertedPolarity); });
        }) << settingLabel("--bug");
        QTest::newRow("painted cell") << Change([](MaskDocument& d) {
            d.editConfig([](ScenarioConfig& c) { c.rules.toggled.toggle(2, 1); });
        }) << settingLabel("--toggle");
        QTest::newRow("head") << Change([](MaskDocument& d) { d.setHead(2); }) << settingLabel("head");
        QTest::newRow("matrix") << Change([](MaskDocument& d) { d.setMatrix(ViewKind::Mask); })
                                << settingLabel("matrix");
        QTest::newRow("config and view") << Change([](MaskDocument& d) {
            d.setHead(3);
            d.editConfig([](ScenarioConfig& c) { c.heads = 2; }); // clamps the head to 1
        }) << settingLabel("--heads") + QStringLiteral(", ") + settingLabel("head");
    }

    void everyKindOfChangeUndoesAndRedoesExactly()
    {
        QFETCH(Change, change);
        QFETCH(QString, name);
        Fixture f(now_);
        const DocumentSnapshot before = stateOf(f.doc);
        QVERIFY(!f.history.canUndo());
        change(f.doc);
        const DocumentSnapshot after = stateOf(f.doc);
        QVERIFY(!(after == before));
        QVERIFY(f.history.canUndo());
        QCOMPARE(f.history.undoText(), name);

        later();
        f.history.undo();
        QVERIFY(stateOf(f.doc) == before);
        QVERIFY(!f.history.canUndo());
        QCOMPARE(f.history.redoText(), name);
        f.history.redo();
        QVERIFY(stateOf(f.doc) == after);
        QCOMPARE(f.history.stack()->count(), 1);
    }

    void undoesStepByStepBackToTheStart()
    {
        Fixture f(now_);
        std::vector<DocumentSnapshot> states{stateOf(f.doc)};
        const std::vector<Change> changes{
            [](MaskDocument& d) { editSeqLen(d, 5); },
            [](MaskDocument& d) { d.setHead(1); },
            [](MaskDocument& d) { d.editConfig([](ScenarioConfig& c) { c.causal = true; }); },
        };
        for (const Change& change : changes) {
            change(f.doc);
            states.push_back(stateOf(f.doc));
            later();
        }
        QCOMPARE(f.history.stack()->count(), 3);
        for (int k = 2; k >= 0; --k) {
            f.history.undo();
            QVERIFY(stateOf(f.doc) == states[size_t(k)]);
            later();
        }
        QVERIFY(!f.history.canUndo());
        f.history.undo(); // nothing left: nothing happens
        QVERIFY(stateOf(f.doc) == states.front());
        for (int k = 1; k <= 3; ++k) {
            f.history.redo();
            QVERIFY(stateOf(f.doc) == states[size_t(k)]);
        }
        QVERIFY(!f.history.canRedo());
    }

    void aNewChangeDropsTheStepsToRedo()
    {
        Fixture f(now_);
        editSeqLen(f.doc, 5);
        later();
        editSeqLen(f.doc, 6);
        later();
        f.history.undo();
        QVERIFY(f.history.canRedo());
        later();
        f.doc.setHead(1);
        QVERIFY(!f.history.canRedo());
        QCOMPARE(f.history.stack()->count(), 2);
        f.history.undo();
        f.history.undo();
        QCOMPARE(f.doc.config().effectiveSeqLen(), 8);
    }

    void aBurstOfOneSettingIsOneStep()
    {
        Fixture f(now_);
        for (int length = 9; length <= 14; ++length) {
            editSeqLen(f.doc, length);
            later(DocumentHistory::kBurstMs / 2); // a slider dragged, one value per event
        }
        QCOMPARE(f.history.stack()->count(), 1);
        later();
        editSeqLen(f.doc, 15); // after a pause: a step of its own
        QCOMPARE(f.history.stack()->count(), 2);
        f.history.undo();
        QCOMPARE(f.doc.config().effectiveSeqLen(), 14);
        f.history.undo();
        QCOMPARE(f.doc.config().effectiveSeqLen(), 8);
    }

    void anotherSettingEndsTheBurst()
    {
        Fixture f(now_);
        editSeqLen(f.doc, 9);
        later(10);
        f.doc.editConfig([](ScenarioConfig& c) { c.causal = true; });
        later(10);
        editSeqLen(f.doc, 10);
        QCOMPARE(f.history.stack()->count(), 3);
    }

    void aBurstBackToItsStartLeavesNoStep()
    {
        Fixture f(now_);
        f.doc.editConfig([](ScenarioConfig& c) { c.causal = true; });
        later();
        editSeqLen(f.doc, 9);
        later(10);
        editSeqLen(f.doc, 8);
        QCOMPARE(f.history.stack()->count(), 1);
        QCOMPARE(f.history.undoText(), settingLabel("--causal"));
    }

    void changesOfOneTurnAreOneStep()
    {
        Fixture f(now_);
        f.doc.setConfig(smallConfig(12)); // as a preset does: the parameters, then the view
        f.doc.setMatrix(ViewKind::Mask);
        QCOMPARE(f.history.stack()->count(), 1);
        f.history.nameCurrentStep([] { return QStringLiteral("Preset ‘x’"); });
        QCOMPARE(f.history.undoText(), QStringLiteral("Preset ‘x’"));
        later();
        f.history.nameCurrentStep([] { return QStringLiteral("late"); }); // the turn is over
        QCOMPARE(f.history.undoText(), QStringLiteral("Preset ‘x’"));
        f.history.undo();
        QVERIFY(f.doc.config() == smallConfig());
        QCOMPARE(f.doc.view().matrix, FigureRequest{}.matrix);
    }

    void aGroupIsOneStepOfItsOwn()
    {
        Fixture f(now_);
        f.doc.editConfig([](ScenarioConfig& c) { c.rules.toggled.toggle(0, 1); });
        later(10);
        const DocumentSnapshot beforeStroke = stateOf(f.doc);
        f.history.beginGroup(); // a stroke over three cells, one mouse event each
        for (int j = 2; j < 5; ++j) {
            f.doc.editConfig([j](ScenarioConfig& c) { c.rules.toggled.toggle(0, j); });
            later(10);
        }
        f.history.endGroup();
        const DocumentSnapshot afterStroke = stateOf(f.doc);
        f.doc.editConfig([](ScenarioConfig& c) { c.rules.toggled.toggle(3, 1); });
        QCOMPARE(f.history.stack()->count(), 3); // the cell before, the stroke, the cell after
        QCOMPARE(f.history.undoText(), settingLabel("--toggle"));
        later();
        f.history.undo();
        QVERIFY(stateOf(f.doc) == afterStroke);
        f.history.undo();
        QVERIFY(stateOf(f.doc) == beforeStroke);
        f.history.redo();
        QVERIFY(stateOf(f.doc) == afterStroke);
    }

    void cancelLeavesNoStepBackToTheCancelledChange()
    {
        Fixture f(now_);
        QTRY_VERIFY_WITH_TIMEOUT(f.doc.isIdle(), kTimeoutMs);
        f.doc.editConfig([](ScenarioConfig& c) { c.causal = true; });
        QTRY_VERIFY_WITH_TIMEOUT(f.doc.isIdle(), kTimeoutMs);
        later();
        const DocumentSnapshot shown = stateOf(f.doc);
        testing::ThreadPoolHold pool;
        editSeqLen(f.doc, 16);
        later();
        f.doc.setHead(2);
        QTRY_VERIFY_WITH_TIMEOUT(!f.doc.isIdle() && f.doc.canCancel(), kTimeoutMs);
        later();
        QCOMPARE(f.history.stack()->count(), 3);
        f.doc.cancel();
        QVERIFY(stateOf(f.doc) == shown);
        QCOMPARE(f.history.stack()->count(), 1); // causal; the cancelled length and head are gone
        QVERIFY(!f.history.canRedo());
        QCOMPARE(f.history.undoText(), settingLabel("--causal"));
        pool.release();
        later();
        f.history.undo();
        QVERIFY(!f.doc.config().causal);
    }

    void cancelInsideABurstEndsTheBurstThere()
    {
        Fixture f(now_);
        QTRY_VERIFY_WITH_TIMEOUT(f.doc.isIdle(), kTimeoutMs);
        editSeqLen(f.doc, 9);
        QTRY_VERIFY_WITH_TIMEOUT(f.doc.isIdle(), kTimeoutMs); // 9 is on screen, mid-burst
        later(10);
        testing::ThreadPoolHold pool;
        editSeqLen(f.doc, 10);
        later(10);
        f.doc.setHead(1); // another setting: the cancel takes both back, a step of its own
        QCOMPARE(f.history.stack()->count(), 2);
        later();
        f.doc.cancel();
        QCOMPARE(f.doc.config().effectiveSeqLen(), 9);
        QCOMPARE(f.history.stack()->count(), 1);
        QVERIFY(!f.history.canRedo());
        pool.release();
        f.history.undo();
        QCOMPARE(f.doc.config().effectiveSeqLen(), 8);
    }

    void cancelOfAChangeInTheSameTurnLeavesNoStep()
    {
        Fixture f(now_);
        QTRY_VERIFY_WITH_TIMEOUT(f.doc.isIdle(), kTimeoutMs);
        f.doc.editConfig([](ScenarioConfig& c) { c.causal = true; });
        QTRY_VERIFY_WITH_TIMEOUT(f.doc.isIdle(), kTimeoutMs); // causal is on screen
        later();
        editSeqLen(f.doc, 16);
        f.doc.cancel(); // before the job even started
        QCOMPARE(f.history.stack()->count(), 1);
        QCOMPARE(f.history.undoText(), settingLabel("--causal"));
    }

    void clearForgetsEveryStep()
    {
        Fixture f(now_);
        editSeqLen(f.doc, 5);
        later();
        editSeqLen(f.doc, 6);
        later();
        f.history.undo();
        f.history.clear();
        QVERIFY(!f.history.canUndo());
        QVERIFY(!f.history.canRedo());
        QVERIFY(f.history.isClean());
        editSeqLen(f.doc, 7);
        later();
        f.history.undo();
        QCOMPARE(f.doc.config().effectiveSeqLen(), 5); // the state clear() left is the start
    }

    void cleanFollowsTheSavedState()
    {
        Fixture f(now_);
        editSeqLen(f.doc, 5);
        later(10);
        f.history.setClean();
        QVERIFY(f.history.isClean());
        editSeqLen(f.doc, 6); // within the burst, yet the saved state stays a step of its own
        QVERIFY(!f.history.isClean());
        QCOMPARE(f.history.stack()->count(), 2);
        f.history.undo();
        QVERIFY(f.history.isClean());
        QCOMPARE(f.doc.config().effectiveSeqLen(), 5);
    }

    void namesTheSettingsItChanged()
    {
        const DocumentSnapshot a{smallConfig(), {}};
        DocumentSnapshot b = a;
        b.config.causal = true;
        b.config.heads = 2;
        b.view.head = 1;
        const std::vector<std::string> changed = changedSettings(a, b);
        QCOMPARE(changed, (std::vector<std::string>{"--causal", "--heads", "head"}));
        QVERIFY(changeLabel(changed).startsWith(settingLabel("--causal")));
        QVERIFY(changeLabel(changed).contains(settingLabel("--heads")));
        QVERIFY(changeLabel(changed).endsWith(QChar(0x2026))); // and more
        QVERIFY(changedSettings(a, a).empty());
        QCOMPARE(settingLabel("--no-such-option"), QStringLiteral("--no-such-option"));
    }
};

QTEST_MAIN(TestDocumentHistory)
#include "tst_documenthistory.moc"
