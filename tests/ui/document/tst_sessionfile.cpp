// SPDX-License-Identifier: MIT
// Session files (.maskscope): what is written reads back as the same parameters and view, paths
// travel with the lesson folder, and every broken file is refused with one line naming it.

#include "document/sessionfile.h"

#include "figure/viewnames.h"
#include "inputerror.h"
#include "scenario/options.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace maskscope;
using namespace maskscope::ui;

namespace {

ScenarioConfig configOf(const std::vector<std::string>& args)
{
    std::vector<std::string> rest;
    ScenarioConfig config = parseScenarioOptions(args, rest);
    if (!rest.empty())
        throw std::logic_error("test options unknown: " + rest.front());
    return config;
}

// A session file's text with `options` and `view` changed in the JSON of a valid one.
QByteArray edited(const std::function<void(QJsonObject&)>& change)
{
    QJsonObject top = QJsonDocument::fromJson(sessionJson(Session{configOf({"--causal"}), {}})).object();
    change(top);
    return QJsonDocument(top).toJson();
}

const QString kPath = QStringLiteral("/lessons/one/masks.maskscope");

} // namespace

class TestSessionFile : public QObject {
    Q_OBJECT
private slots:
    void roundTrip_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QString>("view");
        QTest::newRow("defaults") << QStringList{} << QString();
        QTest::newRow("causal padded") << QStringList{"--seq-len", "12", "--causal", "--batch", "2", "--valid-lens", "12,7",
                                                      "--pad-side", "left"}
                                       << R"({"matrix": "masked-logits", "layout": "all", "batch_item": 1})";
        QTest::newRow("toggled cells") << QStringList{"--seq-len", "8", "--causal", "--toggle", "3:5,0:7,6:1"}
                                       << R"({"matrix": "mask", "layout": "single", "head": 2})";
        QTest::newRow("window and sinks") << QStringList{"--seq-len", "32", "--window", "4,0", "--sink", "2"}
                                          << R"({"layout": "pipeline", "head": -1})";
        QTest::newRow("pitfall lab") << QStringList{"--causal", "--bug", "inverted-polarity", "--dtype", "f16",
                                                    "--blocked-rows", "zero", "--mask-apply", "replace"}
                                     << R"({"compare_fixed": true})";
        QTest::newRow("rules and modifiers") << QStringList{"--seq-len", "20", "--heads", "8", "--kv-heads", "2",
                                                            "--segments", "5,15", "--prefix", "3", "--alibi",
                                                            "--softcap", "30", "--sink-logit", "-1.5", "--fill", "lowest"}
                                             << R"({"layout": "mean"})";
        QTest::newRow("cross attention") << QStringList{"--seq-len", "9", "--query-len", "4", "--tokens", "a b c d",
                                                        "--seed", "7", "--d-model", "32"}
                                         << QString();
        QTest::newRow("model") << QStringList{"--model", "/models/stories260K.bin", "--tokenizer", "/models/tok512.bin",
                                              "--text", "Once upon a time", "--text", "A cat", "--layer", "3"}
                               << R"({"matrix": "logits"})";
    }

    void roundTrip()
    {
        QFETCH(QStringList, options);
        QFETCH(QString, view);
        std::vector<std::string> args;
        for (const QString& o : options)
            args.push_back(o.toStdString());
        Session session{configOf(args), {}};
        if (!view.isEmpty())
            session.view = viewFromJson(QJsonDocument::fromJson(view.toUtf8()).object());
        const QByteArray text = sessionJson(session);
        QCOMPARE(parseSessionJson(text, kPath), session);
        QVERIFY(text.endsWith("}\n"));
        QVERIFY(text.indexOf("\"format\"") < text.indexOf("\"version\""));
        QVERIFY(text.indexOf("\"version\"") < text.indexOf("\"options\""));
        QVERIFY(text.indexOf("\"options\"") < text.indexOf("\"view\""));
        QCOMPARE(sessionJson(parseSessionJson(text, kPath)), text); // stable: writing again changes nothing
    }

    void fileRoundTrip()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("lesson.maskscope"));
        const Session session{configOf({"--seq-len", "6", "--toggle", "1:2"}), {ViewKind::Mask, Layout::AllHeads, 0, 0, false}};
        QCOMPARE(writeSessionFile(path, session), QString());
        QCOMPARE(readSessionFile(path), session);
    }

    void relativePathsResolveAgainstTheSessionsFolder()
    {
        const QByteArray text = edited([](QJsonObject& top) {
            top[QStringLiteral("options")] = QJsonArray{"--model", "models/stories260K.bin", "--tokenizer", "../tok512.bin",
                                                        "--load", "inputs", "--mask-file", "/abs/mask.npy"};
        });
        const Session session = parseSessionJson(text, kPath);
        QCOMPARE(session.config.modelPath, std::string("/lessons/one/models/stories260K.bin"));
        QCOMPARE(session.config.tokenizerPath, std::string("/lessons/tok512.bin"));
        QCOMPARE(session.config.loadDir, std::string("/lessons/one/inputs"));
        QCOMPARE(session.config.maskFile, std::string("/abs/mask.npy"));
    }

    void writtenPathsAreAbsolute()
    {
        Session session;
        session.config.maskFile = "mask.npy";
        const Session back = parseSessionJson(sessionJson(session), kPath);
        QCOMPARE(back.config.maskFile, QDir::current().absoluteFilePath(QStringLiteral("mask.npy")).toStdString());
    }

    void brokenFiles_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("phrase");
        QTest::newRow("empty") << QByteArray() << "not JSON";
        QTest::newRow("truncated") << sessionJson({}).chopped(4) << "not JSON (";
        QTest::newRow("garbage") << QByteArray("hello") << "at offset";
        QTest::newRow("list") << QByteArray("[1, 2]") << "not a MaskScope session";
        QTest::newRow("other format") << edited([](QJsonObject& t) { t["format"] = "kitty-session"; })
                                      << "not a MaskScope session";
        QTest::newRow("no version") << edited([](QJsonObject& t) { t.remove("version"); }) << "not a format number";
        QTest::newRow("version text") << edited([](QJsonObject& t) { t["version"] = "1"; }) << "not a format number";
        QTest::newRow("newer") << edited([](QJsonObject& t) { t["version"] = 2; })
                               << "written by a newer MaskScope (format 2); this one reads format 1";
        QTest::newRow("bad option") << edited([](QJsonObject& t) { t["options"] = QJsonArray{"--seq-len", "0"}; })
                                    << "--seq-len must be between 1 and";
        QTest::newRow("unknown option") << edited([](QJsonObject& t) { t["options"] = QJsonArray{"--out", "x"}; })
                                        << "unknown option '--out'";
        QTest::newRow("missing value") << edited([](QJsonObject& t) { t["options"] = QJsonArray{"--heads"}; })
                                       << "--heads needs a value";
        QTest::newRow("options not a list") << edited([](QJsonObject& t) { t["options"] = "--causal"; })
                                            << "not a list of command-line arguments";
        QTest::newRow("option not text") << edited([](QJsonObject& t) { t["options"] = QJsonArray{"--seq-len", 8}; })
                                         << "not a list of command-line arguments";
        QTest::newRow("unknown view key") << edited([](QJsonObject& t) {
            QJsonObject v = t["view"].toObject();
            v["zoom"] = 2;
            t["view"] = v;
        }) << "unknown key 'zoom' in the view";
        QTest::newRow("unknown matrix") << edited([](QJsonObject& t) { t["view"] = QJsonObject{{"matrix", "colours"}}; })
                                        << "colours";
        QTest::newRow("view not an object") << edited([](QJsonObject& t) { t["view"] = 3; }) << "\"view\" is not an object";
        QTest::newRow("unknown top-level key") << edited([](QJsonObject& t) { t["zoom"] = 1; }) << "unknown key 'zoom'";
    }

    void brokenFiles()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, phrase);
        EXPECT_INPUT_ERROR([&] { parseSessionJson(text, kPath); }, kPath.toStdString(), phrase);
    }

    void unreadableFiles()
    {
        QTemporaryDir dir;
        const QString missing = dir.filePath(QStringLiteral("gone.maskscope"));
        EXPECT_INPUT_ERROR([&] { readSessionFile(missing); }, missing.toStdString(), "cannot read");
        EXPECT_INPUT_ERROR([&] { readSessionFile(dir.path()); }, dir.path().toStdString(), "cannot read");
    }

    void failedWriteLeavesTheFileAsItWas()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("no/such/folder/lesson.maskscope"));
        const QString error = writeSessionFile(path, {});
        QVERIFY(error.startsWith(path + QStringLiteral(": cannot write")));
        QVERIFY(!error.contains(QLatin1Char('\n')));
        QVERIFY(!QFile::exists(path));
    }
};

QTEST_GUILESS_MAIN(TestSessionFile)
#include "tst_sessionfile.moc"
