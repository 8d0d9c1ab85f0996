// SPDX-License-Identifier: MIT
// The Edit menu: Ctrl+Z and Ctrl+Shift+Z undo and redo what the real controls did, one step per
// gesture (a slider burst, a typed value, a preset, a painted stroke); a focused text field keeps
// its own Ctrl+Z; Reset to defaults is one step.

#include "document/documenthistory.h"
#include "document/historynames.h"
#include "document/presetlibrary.h"
#include "figure/language.h"
#include "window/controlpanel.h"
#include "window/editactions.h"

#include <QLineEdit>
#include <QMenuBar>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QUndoStack>
#include <QTest>

#include "windowdriver.h"

#include <QComboBox>

using namespace maskscope;
using namespace maskscope::ui;

namespace {

ScenarioConfig startConfig()
{
    return testing::syntheticConfig(8, 4, 32);
}

} // namespace

class TestEditActions : public QObject, public testing::WindowFixture {
    Q_OBJECT

    qint64 now_ = 0; // the history's clock

    EditActions* edit() const { return window()->findChild<EditActions*>(); }
    DocumentHistory* history() const { return edit()->history(); }

    // Ctrl+Z (or Ctrl+Shift+Z) as the user presses it on the focused widget: the window's
    // shortcut, unless the widget takes the key itself.
    void press(const QKeySequence& keys) const
    {
        QWidget* target = QApplication::focusWidget() ? QApplication::focusWidget() : window();
        QTest::keySequence(target, keys);
    }

    // A mouse move with the left button held, as a drag sends it.
    void dragTo(QPoint at) const
    {
        QMouseEvent move(QEvent::MouseMove, at, view()->mapToGlobal(at), Qt::NoButton, Qt::LeftButton,
                         Qt::NoModifier);
        QApplication::sendEvent(view(), &move);
    }

private slots:
    void initTestCase() { isolateSettings(); }

    void init()
    {
        QVERIFY(openWindow(startConfig(), {1300, 800}));
        window()->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(window()));
        // Bursts end only when a test moves the clock.
        now_ = 0;
        history()->setClock([this] { return now_; });
    }

    void cleanup() { closeWindow(); }

    void theEditMenuFollowsFile()
    {
        const QList<QAction*> menus = window()->menuBar()->actions();
        QVERIFY(menus.size() >= 2);
        QCOMPARE(menus.at(1)->menu()->actions().first(), edit()->undoAction());
        QVERIFY(menus.at(1)->menu()->actions().contains(edit()->redoAction()));
        QVERIFY(!edit()->undoAction()->isEnabled());
        QVERIFY(!edit()->redoAction()->isEnabled());
    }

    void sliderStepsUndoAsOneStep()
    {
        auto* slider = control<QSlider>(QStringLiteral("seqLenSlider"));
        slider->setFocus();
        for (int k = 0; k < 3; ++k) {
            QTest::keyClick(slider, Qt::Key_Right);
            settle(); // each step computed: separate turns of the event loop
        }
        QCOMPARE(doc()->config().effectiveSeqLen(), 11);
        QVERIFY(edit()->undoAction()->isEnabled());
        QVERIFY(edit()->undoAction()->text().contains(settingLabel("--seq-len")));
        press(QKeySequence::Undo);
        settle();
        QCOMPARE(doc()->config().effectiveSeqLen(), 8);
        QCOMPARE(slider->value(), 8);
        QVERIFY(!edit()->undoAction()->isEnabled());
        press(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z));
        settle();
        QCOMPARE(doc()->config().effectiveSeqLen(), 11);
        QCOMPARE(control<QSpinBox>(QStringLiteral("seqLenSpin"))->value(), 11);
    }

    void aTypedValueIsOneStep()
    {
        auto* heads = control<QSpinBox>(QStringLiteral("headsSpin"));
        testing::typeInto(heads, 2);
        settle();
        QCOMPARE(doc()->config().heads, 2);
        edit()->undoAction()->trigger(); // the menu: Ctrl+Z would go to the spin box's text
        settle();
        QCOMPARE(doc()->config().heads, 4);
        QCOMPARE(heads->value(), 4);
        edit()->redoAction()->trigger();
        settle();
        QCOMPARE(heads->value(), 2);
    }

    void aPresetIsOneStepNamedAfterIt()
    {
        const DocumentSnapshot start{doc()->config(), doc()->view()};
        const int last = window()->controlPanel()->presets().presets().size() - 1;
        QVERIFY(last >= 0);
        window()->controlPanel()->applyPreset(0);
        settle();
        const QString name = window()->controlPanel()->presets().presets().at(0).name;
        QVERIFY(edit()->undoAction()->text().contains(name));
        window()->setFocus();
        press(QKeySequence::Undo);
        settle();
        QVERIFY(doc()->config() == start.config);
        QVERIFY(doc()->view() == start.view);
        QVERIFY(!edit()->undoAction()->isEnabled());
        // The preset box names only the preset the document holds.
        auto* presets = control<QComboBox>(QStringLiteral("presetCombo"));
        QCOMPARE(presets->currentIndex(), 0);
        edit()->redoAction()->trigger();
        settle();
        QCOMPARE(presets->currentIndex(), 1);
        QCOMPARE(presets->currentText(), name);
    }

    void aPaintedStrokeIsOneStep()
    {
        doc()->setMatrix(ViewKind::Mask);
        settle();
        const int stepsBefore = history()->stack()->count();
        // A slow stroke: no burst would join its changes, only the stroke does.
        QTest::mousePress(view(), Qt::LeftButton, {}, view()->cellCenter(0, 6, 0));
        settle();
        now_ += 2 * DocumentHistory::kBurstMs;
        dragTo(view()->cellCenter(0, 6, 3));
        settle();
        now_ += 2 * DocumentHistory::kBurstMs;
        dragTo(view()->cellCenter(0, 6, 5));
        settle();
        QTest::mouseRelease(view(), Qt::LeftButton, {}, view()->cellCenter(0, 6, 5));
        QCOMPARE(doc()->config().rules.toggled.size(), size_t(6));
        QCOMPARE(history()->stack()->count(), stepsBefore + 1);
        QVERIFY(edit()->undoAction()->text().contains(settingLabel("--toggle")));
        view()->setFocus();
        press(QKeySequence::Undo);
        settle();
        QVERIFY(doc()->config().rules.toggled.empty());
        QCOMPARE(doc()->view().matrix, ViewKind::Mask); // the step before stays
    }

    void aFocusedTextFieldKeepsItsOwnUndo()
    {
        auto* words = control<QLineEdit>(QStringLiteral("tokensEdit"));
        words->setFocus();
        QTest::keyClicks(words, QStringLiteral("the cat"));
        settle();
        QCOMPARE(doc()->config().tokens, std::string("the cat"));
        QSignalSpy undone(edit()->undoAction(), &QAction::triggered);
        press(QKeySequence::Undo);
        settle();
        QVERIFY(undone.isEmpty());
        QVERIFY(words->text() != QStringLiteral("the cat")); // the field's own undo
        QCOMPARE(QString::fromStdString(doc()->config().tokens), words->text());
    }

    void resetToDefaultsIsOneStep()
    {
        doc()->editConfig([](ScenarioConfig& c) { c.causal = true; });
        doc()->setHead(2);
        settle();
        const DocumentSnapshot changed{doc()->config(), doc()->view()};
        edit()->resetAction()->trigger();
        settle();
        QVERIFY(doc()->config() == ScenarioConfig{});
        QVERIFY(doc()->view() == FigureRequest{}.fittedTo(ScenarioConfig{}.heads, 1));
        edit()->undoAction()->trigger();
        settle();
        QVERIFY(doc()->config() == changed.config);
        QVERIFY(doc()->view() == changed.view);
    }

    void stepNamesFollowTheLanguage()
    {
        doc()->editConfig([](ScenarioConfig& c) { c.causal = true; });
        settle();
        const QString english = edit()->undoAction()->text();
        QAction* undo = edit()->undoAction();
        QVERIFY(applyLanguage(LanguageChoice::Chinese));
        QTRY_VERIFY(edit()->undoAction()->text() != english);
        QCOMPARE(edit()->undoAction(), undo); // renamed in place
        QVERIFY(undo->text().contains(settingLabel("--causal"))); // in Chinese now
        QVERIFY(!undo->text().contains(QStringLiteral("Causal")));
        QVERIFY(applyLanguage(LanguageChoice::English));
        QTRY_COMPARE(undo->text(), english);
    }
};

QTEST_MAIN(TestEditActions)
#include "tst_editactions.moc"
