// SPDX-License-Identifier: MIT
// The window's session files, driven as a user drives them: File > Save and Open, the title and
// its modified mark, the question before a named session's changes are lost (answered here by
// clicking the message box's button), the recent list and files dropped on the window.

#include "window/sessionactions.h"

#include "document/maskdocument.h"
#include "io/npy.h"
#include "window/mainwindow.h"

#include <QAbstractButton>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QTemporaryDir>
#include <QTimer>
#include <QUrl>
#include <QTest>

#include "npywriter.h"
#include "windowdriver.h"

using namespace maskscope;
using namespace maskscope::ui;

namespace {

// Clicks `button` of the next modal message box as soon as it shows; `asked` counts the boxes.
void answerNextBox(QMessageBox::StandardButton button, int* asked)
{
    auto* poll = new QTimer;
    QObject::connect(poll, &QTimer::timeout, poll, [poll, button, asked] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        if (!box)
            return;
        ++*asked;
        box->button(button)->click();
        poll->deleteLater();
        poll->stop();
    });
    poll->start(10);
}

void writeText(const QString& path, const QByteArray& text)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text);
}

QStringList menuTexts(QMenu* menu)
{
    emit menu->aboutToShow();
    QStringList texts;
    for (QAction* a : menu->actions())
        if (!a->isSeparator())
            texts << a->text() + (a->isEnabled() ? QString() : QStringLiteral(" [disabled]"));
    return texts;
}

} // namespace

class TestSessionActions : public QObject, public testing::WindowFixture {
    Q_OBJECT
    QTemporaryDir dir_;

    SessionActions* sessions() const { return window()->sessionActions(); }
    QString path(const char* name) const { return dir_.filePath(QLatin1String(name)); }

    // Sends a drag of `file` and, if accepted, its drop; returns whether the drag was accepted.
    bool drop(const QString& file)
    {
        QMimeData data;
        data.setUrls({QUrl::fromLocalFile(file)});
        const QPoint at = window()->rect().center();
        QDragEnterEvent enter(at, Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
        enter.ignore();
        QApplication::sendEvent(window(), &enter);
        if (!enter.isAccepted())
            return false;
        QDropEvent dropped(at, Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(window(), &dropped);
        return true;
    }

private slots:
    void initTestCase() { isolateSettings(); }
    void init()
    {
        clearRecentSessions();
        QVERIFY(openWindow(testing::syntheticConfig(8, 2, 16)));
    }
    void cleanup() { closeWindow(); }

    void untitledAtStart()
    {
        QCOMPARE(window()->windowTitle(), QStringLiteral("Untitled[*] \u2014 MaskScope"));
        QVERIFY(!window()->isWindowModified());
        doc()->editConfig([](ScenarioConfig& c) { c.causal = true; });
        QVERIFY(window()->isWindowModified());
    }

    void saveThenModifiedMarkFollowsTheValues()
    {
        doc()->editConfig([](ScenarioConfig& c) { c.rules.toggled.toggle(2, 5); });
        QVERIFY(sessions()->saveTo(path("lesson.maskscope")));
        QCOMPARE(window()->windowTitle(), QStringLiteral("lesson.maskscope[*] \u2014 MaskScope"));
        QVERIFY(!window()->isWindowModified());
        doc()->editConfig([](ScenarioConfig& c) { c.seqLen = 9; });
        QVERIFY(window()->isWindowModified());
        doc()->editConfig([](ScenarioConfig& c) { c.seqLen = 8; });
        QVERIFY(!window()->isWindowModified()); // changed back: nothing to save
        doc()->setMatrix(ViewKind::Mask);
        QVERIFY(window()->isWindowModified()); // the view is part of the session
        QCOMPARE(readSessionFile(path("lesson.maskscope")).config.rules.toggled, doc()->config().rules.toggled);
    }

    void openShowsTheFile()
    {
        ScenarioConfig saved = testing::syntheticConfig(6, 2, 16, true);
        saved.rules.sink = 1;
        QCOMPARE(writeSessionFile(path("open.maskscope"), {saved, {ViewKind::Logits, Layout::AllHeads, 0, 0, false}}),
                 QString());
        QVERIFY(sessions()->openFile(path("open.maskscope")));
        QCOMPARE(doc()->config(), saved);
        QCOMPARE(doc()->view().layout, Layout::AllHeads);
        QCOMPARE(sessions()->currentFile(), path("open.maskscope"));
        QVERIFY(!window()->isWindowModified());
        settle();
    }

    void brokenOpenChangesNothing()
    {
        writeText(path("broken.maskscope"), R"({"format": "maskscope-session", "version": 7})");
        const ScenarioConfig before = doc()->config();
        QVERIFY(!sessions()->openFile(path("broken.maskscope")));
        QCOMPARE(doc()->config(), before);
        QCOMPARE(sessions()->currentFile(), QString());
        auto* box = window()->findChild<QMessageBox*>(QStringLiteral("sessionProblemBox"));
        QVERIFY(box);
        QVERIFY(box->text().startsWith(path("broken.maskscope") + QStringLiteral(": written by a newer MaskScope")));
        QVERIFY(!box->text().contains(QLatin1Char('\n')));
        box->close();
    }

    void closingANamedModifiedSessionAsks()
    {
        QVERIFY(sessions()->saveTo(path("close.maskscope")));
        doc()->editConfig([](ScenarioConfig& c) { c.causal = true; });
        int asked = 0;
        answerNextBox(QMessageBox::Cancel, &asked);
        QVERIFY(!window()->close());
        QCOMPARE(asked, 1);
        QVERIFY(window()->isVisible());
        answerNextBox(QMessageBox::Save, &asked);
        QVERIFY(window()->close());
        QCOMPARE(asked, 2);
        QVERIFY(readSessionFile(path("close.maskscope")).config.causal); // saved on the way out
    }

    void discardClosesWithoutSaving()
    {
        QVERIFY(sessions()->saveTo(path("discard.maskscope")));
        doc()->editConfig([](ScenarioConfig& c) { c.causal = true; });
        int asked = 0;
        answerNextBox(QMessageBox::Discard, &asked);
        QVERIFY(window()->close());
        QCOMPARE(asked, 1);
        QVERIFY(!readSessionFile(path("discard.maskscope")).config.causal);
    }

    void untitledOrUnmodifiedNeverAsks()
    {
        doc()->editConfig([](ScenarioConfig& c) { c.causal = true; }); // untitled, modified
        QVERIFY(sessions()->maySwitchAway());
        QVERIFY(sessions()->saveTo(path("quiet.maskscope")));
        QVERIFY(window()->close()); // named, unmodified: no box (one would block this test)
    }

    void newAsksAndGoesBackToTheDefaults()
    {
        QVERIFY(sessions()->saveTo(path("new.maskscope")));
        doc()->editConfig([](ScenarioConfig& c) { c.causal = true; });
        int asked = 0;
        answerNextBox(QMessageBox::Cancel, &asked);
        sessions()->newSession();
        QCOMPARE(asked, 1);
        QVERIFY(doc()->config().causal); // cancelled: nothing changed
        answerNextBox(QMessageBox::Discard, &asked);
        control<QAction>(QStringLiteral("newSessionAction"))->trigger();
        QCOMPARE(asked, 2);
        QCOMPARE(doc()->config(), ScenarioConfig{});
        QCOMPARE(window()->windowTitle(), QStringLiteral("Untitled[*] \u2014 MaskScope"));
        QVERIFY(!window()->isWindowModified());
        settle();
    }

    void recentListKeepsEightAndMarksMissingFiles()
    {
        for (int k = 0; k < kMaxRecentSessions + 2; ++k)
            QVERIFY(sessions()->saveTo(dir_.filePath(QStringLiteral("r%1.maskscope").arg(k))));
        QStringList recent = recentSessions();
        QCOMPARE(recent.size(), kMaxRecentSessions);
        QCOMPARE(recent.front(), dir_.filePath(QStringLiteral("r%1.maskscope").arg(kMaxRecentSessions + 1)));
        QVERIFY(QFile::remove(recent.at(1)));
        auto* menu = control<QMenu>(QStringLiteral("recentSessionsMenu"));
        const QStringList texts = menuTexts(menu);
        QCOMPARE(texts.size(), kMaxRecentSessions + 1); // and Clear list
        QCOMPARE(texts.at(0), QStringLiteral("r%1.maskscope").arg(kMaxRecentSessions + 1));
        QCOMPARE(texts.at(1), QStringLiteral("r%1.maskscope (not found) [disabled]").arg(kMaxRecentSessions));
        // Opening one from the list makes it the first.
        menu->actions().at(2)->trigger();
        QCOMPARE(sessions()->currentFile(), recent.at(2));
        QCOMPARE(recentSessions().front(), recent.at(2));
        control<QAction>(QStringLiteral("clearRecentSessionsAction"))->trigger();
        QVERIFY(recentSessions().isEmpty());
        QCOMPARE(menuTexts(menu), QStringList{QStringLiteral("Clear list [disabled]")});
    }

    void droppedSessionOpens()
    {
        ScenarioConfig saved = testing::syntheticConfig(5, 2, 16, true);
        QCOMPARE(writeSessionFile(path("dropped.maskscope"), {saved, {}}), QString());
        QVERIFY(drop(path("dropped.maskscope")));
        QCOMPARE(doc()->config(), saved);
        QCOMPARE(sessions()->currentFile(), path("dropped.maskscope"));
        settle();
    }

    void droppedNpyIsTheMaskFile()
    {
        writeNpy(path("mask.npy").toStdString(),
                 testing::boolNpy({"10000000", "11000000", "11100000", "11110000", "11111000", "11111100",
                                   "11111110", "11111111"}));
        QVERIFY(drop(path("mask.npy")));
        QCOMPARE(doc()->config().maskFile, path("mask.npy").toStdString());
        settle();
        QVERIFY2(doc()->error().isEmpty(), qPrintable(doc()->error()));
    }

    void droppedInputsFolderIsLoaded()
    {
        const QString inputs = QStringLiteral(MASKSCOPE_TEST_DATA "/parity/causal_bool");
        QVERIFY(drop(inputs));
        QCOMPARE(doc()->config().loadDir, inputs.toStdString());
        QVERIFY(!doc()->config().seqLen); // the files decide the sizes
        settle();
        QVERIFY2(doc()->error().isEmpty(), qPrintable(doc()->error()));
    }

    void otherDropsAreRefused()
    {
        writeText(path("notes.txt"), "hello");
        writeText(path("fake.maskscope.txt"), "{}");
        QDir(dir_.path()).mkpath(QStringLiteral("empty"));
        const ScenarioConfig before = doc()->config();
        QVERIFY(!drop(path("notes.txt")));
        QVERIFY(!drop(path("fake.maskscope.txt")));
        QVERIFY(!drop(path("empty")));
        QVERIFY(!drop(path("missing.maskscope")));
        QCOMPARE(doc()->config(), before);
        // A folder with a config.json is a Hugging Face model (the model group's drop), not inputs.
        QDir(dir_.path()).mkpath(QStringLiteral("hf"));
        writeText(path("hf/config.json"), "{}");
        writeText(path("hf/embedding.npy"), "");
        QMimeData model;
        model.setUrls({QUrl::fromLocalFile(path("hf"))});
        QVERIFY(!SessionActions::acceptsDrop(&model));
    }
};

QTEST_MAIN(TestSessionActions)
#include "tst_sessionactions.moc"
