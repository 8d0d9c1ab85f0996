// SPDX-License-Identifier: MIT
// --session and --save-session through the real binary: a saved session gives back the same
// dump byte for byte, options after --session override it, and a broken session or an
// unwritable --save-session writes nothing.

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "processrun.h"

using maskscope::testing::Run;
using maskscope::testing::parseJsonObject;
using maskscope::testing::runCli;

namespace {

QByteArray contentsOf(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void writeText(const QString& path, const QByteArray& text)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text);
}

} // namespace

class TestCliSession : public QObject {
    Q_OBJECT
private:
    QTemporaryDir dir_;

private slots:
    void savedSessionGivesTheSameDump_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::newRow("causal") << QStringList{"--seq-len", "12", "--causal"};
        QTest::newRow("toggled cell") << QStringList{"--seq-len", "8", "--causal", "--toggle", "2:5,7:0"};
        QTest::newRow("pitfall lab") << QStringList{"--seq-len", "6", "--causal", "--batch", "2", "--valid-lens", "6,3",
                                                    "--bug", "inverted-polarity", "--dtype", "f16", "--blocked-rows", "zero"};
        QTest::newRow("window and sinks") << QStringList{"--seq-len", "16", "--window", "3,0", "--sink", "2", "--heads", "2",
                                                         "--d-model", "8"};
    }
    void savedSessionGivesTheSameDump()
    {
        QFETCH(QStringList, options);
        const QString session = dir_.filePath(QStringLiteral("%1.maskscope").arg(QTest::currentDataTag()).replace(' ', '-'));
        const Run saving = runCli(QStringList{"dump"} + options + QStringList{"--save-session", session});
        QCOMPARE(saving.status, 0);
        QVERIFY(contentsOf(session).startsWith("{\n    \"format\": \"maskscope-session\""));
        const Run reading = runCli({"dump", "--session", session});
        QCOMPARE(reading.status, 0);
        QVERIFY(!saving.out.isEmpty());
        QCOMPARE(reading.out, saving.out);
        QCOMPARE(reading.out, runCli(QStringList{"dump"} + options).out); // --save-session changes nothing
    }

    void optionsAfterTheSessionOverrideIt()
    {
        const QString session = dir_.filePath(QStringLiteral("override.maskscope"));
        QCOMPARE(runCli({"dump", "--seq-len", "12", "--causal", "--heads", "2", "--save-session", session}).status, 0);
        const QJsonObject after = parseJsonObject(runCli({"dump", "--session", session, "--seq-len", "5"}).out);
        QCOMPARE(after["config"].toObject()["seq_len"].toInt(), 5);
        QCOMPARE(after["config"].toObject()["heads"].toInt(), 2);   // the session's
        QCOMPARE(after["config"].toObject()["causal"].toBool(), true);
        const QJsonObject before = parseJsonObject(runCli({"dump", "--seq-len", "5", "--session", session}).out);
        QCOMPARE(before["config"].toObject()["seq_len"].toInt(), 12); // the session comes later and wins
    }

    void savedSessionIsTheEffectiveOne()
    {
        const QString first = dir_.filePath(QStringLiteral("first.maskscope"));
        const QString second = dir_.filePath(QStringLiteral("second.maskscope"));
        QCOMPARE(runCli({"dump", "--seq-len", "9", "--save-session", first}).status, 0);
        QCOMPARE(runCli({"dump", "--session", first, "--causal", "--save-session", second}).status, 0);
        const QJsonObject saved = QJsonDocument::fromJson(contentsOf(second)).object();
        QCOMPARE(saved["options"].toArray(), (QJsonArray{"--seq-len", "9", "--causal"}));
    }

    void exportTakesTheSessionsView()
    {
        const QString session = dir_.filePath(QStringLiteral("view.maskscope"));
        writeText(session, R"({"format": "maskscope-session", "version": 1, "options": ["--seq-len", "6"],
                              "view": {"matrix": "mask", "layout": "all"}})");
        const QString saved = dir_.filePath(QStringLiteral("export-saved.maskscope"));
        const QString png = dir_.filePath(QStringLiteral("view.png"));
        QCOMPARE(runCli({"export", "--session", session, "--out", png, "--save-session", saved}).status, 0);
        QVERIFY(QFile::exists(png));
        QJsonObject view = QJsonDocument::fromJson(contentsOf(saved)).object()["view"].toObject();
        QCOMPARE(view["matrix"].toString(), QStringLiteral("mask"));
        QCOMPARE(view["layout"].toString(), QStringLiteral("all"));
        // Export's own --view and --head say more than the session.
        QCOMPARE(runCli({"export", "--session", session, "--view", "logits", "--head", "1", "--out", png,
                         "--save-session", saved}).status, 0);
        view = QJsonDocument::fromJson(contentsOf(saved)).object()["view"].toObject();
        QCOMPARE(view["matrix"].toString(), QStringLiteral("logits"));
        QCOMPARE(view["layout"].toString(), QStringLiteral("single"));
        QCOMPARE(view["head"].toInt(), 1);
    }

    void relativePathsResolveAgainstTheSessionsFolder()
    {
        QDir(dir_.path()).mkpath(QStringLiteral("lesson"));
        const QString loaded = QStringLiteral(MASKSCOPE_TEST_DATA "/parity/causal_bool");
        const QString relative = QDir(dir_.filePath(QStringLiteral("lesson"))).relativeFilePath(loaded);
        const QString session = dir_.filePath(QStringLiteral("lesson/relative.maskscope"));
        writeText(session, QJsonDocument(QJsonObject{{"format", "maskscope-session"}, {"version", 1},
                                                     {"options", QJsonArray{"--load", relative}}})
                               .toJson());
        const Run r = runCli({"dump", "--session", session});
        QCOMPARE(r.status, 0);
        QCOMPARE(r.out, runCli({"dump", "--load", loaded}).out);
    }

    void brokenSessionIsOneLineAndNoOutput_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("phrase");
        QTest::newRow("not JSON") << QByteArray("{\"format\": ") << "not JSON";
        QTest::newRow("newer") << QByteArray(R"({"format": "maskscope-session", "version": 2})")
                               << "written by a newer MaskScope (format 2); this one reads format 1";
        QTest::newRow("bad option") << QByteArray(R"({"format": "maskscope-session", "version": 1, "options": ["--heads", "x"]})")
                                    << "--heads";
    }
    void brokenSessionIsOneLineAndNoOutput()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, phrase);
        const QString session = dir_.filePath(QStringLiteral("broken.maskscope"));
        writeText(session, text);
        for (const QString command : {"dump", "export", "bench"}) {
            const QString out = dir_.filePath(QStringLiteral("never.") + (command == "export" ? "png" : "json"));
            const QString saved = dir_.filePath(QStringLiteral("never.maskscope"));
            QStringList args{command, "--session", session, "--save-session", saved};
            if (command != "bench")
                args << "--out" << out;
            const Run r = runCli(args);
            QCOMPARE(r.status, 2);
            QCOMPARE(r.err.count('\n'), 1);
            QVERIFY2(r.err.startsWith(("maskscope: " + session + ": ").toUtf8()), r.err.constData());
            QVERIFY2(QString::fromUtf8(r.err).contains(phrase), r.err.constData());
            QVERIFY(r.out.isEmpty());
            QVERIFY(!QFile::exists(out));
            QVERIFY(!QFile::exists(saved));
        }
        QCOMPARE(runCli({"dump", "--session"}).status, 2);
    }

    // The window reads its session (a file name ending in .maskscope, or --session FILE with any
    // name) before it looks for a display: a broken one is the same one-line error, and a good
    // one gets as far as the display, which these runs do not have.
    void windowReadsSessionBeforeTheDisplay()
    {
        QProcessEnvironment noDisplay = QProcessEnvironment::systemEnvironment();
        for (const char* name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
            noDisplay.remove(QString::fromLatin1(name));
        const QString broken = dir_.filePath(QStringLiteral("broken-window.txt"));
        writeText(broken, R"({"format": "maskscope-session", "version": 2})");
        for (const QStringList& args : {QStringList{"--session", broken}, QStringList{"--session=" + broken},
                                        QStringList{"--seq-len", "8", "--session", broken}}) {
            const Run r = maskscope::testing::runMaskscope(args, noDisplay);
            QCOMPARE(r.status, 2);
            QCOMPARE(r.err.count('\n'), 1);
            QVERIFY2(r.err.startsWith(("maskscope: " + broken + ": ").toUtf8()), r.err.constData());
        }
        const Run missing = maskscope::testing::runMaskscope({"--session"}, noDisplay);
        QCOMPARE(missing.status, 2);
        QVERIFY2(missing.err.contains("--session needs a value"), missing.err.constData());
        const QString good = dir_.filePath(QStringLiteral("good-window.txt"));
        const QString saved = dir_.filePath(QStringLiteral("good.maskscope"));
        QCOMPARE(runCli({"dump", "--seq-len", "5", "--out", dir_.filePath("good.json"), "--save-session", saved}).status, 0);
        QVERIFY(QFile::copy(saved, good));
        const Run opened = maskscope::testing::runMaskscope({"--session", good}, noDisplay);
        QCOMPARE(opened.status, 1);
        QVERIFY2(opened.err.contains("no display"), opened.err.constData());
        // With a display, the window opens on it. Qt itself takes `--session ID` for session
        // management; the window must take its file out first (it crashed when Qt had it).
        QProcessEnvironment offscreen = noDisplay;
        offscreen.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        offscreen.insert(QStringLiteral("HOME"), dir_.path()); // no saved window state
        for (const QStringList& args : {QStringList{"--session", good}, QStringList{"--session=" + good, "--heads", "2"}}) {
            QProcess window;
            window.setProcessEnvironment(offscreen);
            window.start(QStringLiteral(MASKSCOPE_BINARY), args);
            QVERIFY(window.waitForStarted());
            const bool ended = window.waitForFinished(4000); // still showing the window: not ended
            QVERIFY2(!ended, window.readAllStandardError().constData());
            window.kill();
            window.waitForFinished();
        }
    }

    void unwritableSaveSessionFailsAndWritesNothing()
    {
        const QString out = dir_.filePath(QStringLiteral("not-written.json"));
        const QString nowhere = dir_.filePath(QStringLiteral("no/such/folder/s.maskscope"));
        const Run r = runCli({"dump", "--out", out, "--save-session", nowhere});
        QCOMPARE(r.status, 1);
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY2(r.err.contains("cannot write '" + nowhere.toUtf8() + "'"), r.err.constData());
        QVERIFY(!QFile::exists(nowhere));
        QVERIFY(!QFile::exists(out)); // the subcommand did not run
        // A folder in the way stays a folder, with nothing written beside it.
        QDir(dir_.path()).mkpath(QStringLiteral("taken.maskscope"));
        const QString taken = dir_.filePath(QStringLiteral("taken.maskscope"));
        const QStringList before = QDir(dir_.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
        QCOMPARE(runCli({"dump", "--save-session", taken}).status, 1);
        QVERIFY(QFileInfo(taken).isDir());
        QCOMPARE(QDir(dir_.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), before);
    }

    void helpAndManualNameTheOptions()
    {
        for (const QStringList& args : {QStringList{"--help"}, QStringList{"dump", "--help"}, QStringList{"export", "--help"},
                                        QStringList{"bench", "--help"}, QStringList{"--man-page"},
                                        QStringList{"--bash-completion"}}) {
            const Run r = runCli(args);
            QCOMPARE(r.status, 0);
            const QByteArray text = QByteArray(r.out).replace("\\-", "-"); // the manual page escapes hyphens
            QVERIFY2(text.contains("--session") && text.contains("--save-session"), qPrintable(args.join(' ')));
        }
    }
};

QTEST_GUILESS_MAIN(TestCliSession)
#include "tst_cli_session.moc"
