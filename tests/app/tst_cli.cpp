// SPDX-License-Identifier: MIT
// The maskscope command line, run as a process: output, errors and exit statuses.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "processrun.h"

namespace {

using maskscope::testing::Run;
using maskscope::testing::runCli;
using maskscope::testing::parseJsonObject;

} // namespace

class TestCli : public QObject {
    Q_OBJECT
private slots:
    void helpAndVersion()
    {
        const Run help = runCli({"--help"});
        QCOMPARE(help.status, 0);
        for (const char* option : {"--seq-len", "--valid-lens", "--causal", "--fill", "--load", "dump", "bench"})
            QVERIFY2(help.out.contains(option), option);
        const Run version = runCli({"--version"});
        QCOMPARE(version.status, 0);
        QVERIFY(version.out.startsWith("maskscope "));
    }
    void dumpHasEveryMatrix()
    {
        const Run r = runCli({"dump", "--seq-len", "5", "--causal", "--valid-lens", "5,3", "--heads", "2",
                                 "--d-model", "8", "--tokens", "我 爱 北京 天安门"});
        QCOMPARE(r.status, 0);
        QVERIFY(r.err.isEmpty());
        const QJsonObject o = parseJsonObject(r.out);
        const QJsonObject config = o["config"].toObject();
        QCOMPARE(config["seq_len"].toInt(), 5);
        QCOMPARE(config["causal"].toBool(), true);
        QCOMPARE(config["fill"].toString(), QString("neg-inf"));
        QCOMPARE(o["tokens_q"].toArray()[1].toString(), QString("爱"));
        const QJsonArray batches = o["batches"].toArray();
        QCOMPARE(batches.size(), 2);
        const QJsonObject b1 = batches[1].toObject();
        QCOMPARE(b1["tokens_k"].toArray()[4].toString(), QString("<pad>"));
        QCOMPARE(b1["allowed"].toArray()[4].toArray()[1].toBool(), true);
        QCOMPARE(b1["allowed"].toArray()[1].toArray()[2].toBool(), false);
        QCOMPARE(b1["additive_mask"].toArray()[0].toArray()[1].toString(), QString("-inf"));
        QCOMPARE(b1["query_is_pad"].toArray()[3].toBool(), true);
        const QJsonArray heads = b1["heads"].toArray();
        QCOMPARE(heads.size(), 2);
        const QJsonObject h = heads[0].toObject();
        QCOMPARE(h["masked_logits"].toArray()[0].toArray()[3].toString(), QString("-inf"));
        QCOMPARE(h["weights"].toArray()[4].toArray()[3].toDouble(), 0.0); // padded key
        QCOMPARE(h["weights"].toArray()[0].toArray()[0].toDouble(), 1.0);
        QCOMPARE(b1["mean_weights"].toArray().size(), 5);
        QCOMPARE(b1["output"].toArray()[0].toArray().size(), 8);
    }
    void fullyBlockedRowsAreNanStrings()
    {
        const Run r = runCli({"dump", "--seq-len", "3", "--valid-lens", "0", "--heads", "1", "--d-model", "4"});
        QCOMPARE(r.status, 0);
        const QJsonObject b = parseJsonObject(r.out)["batches"].toArray()[0].toObject();
        QCOMPARE(b["heads"].toArray()[0].toObject()["weights"].toArray()[0].toArray()[0].toString(), QString("nan"));
        QCOMPARE(b["row_fully_blocked"].toArray()[2].toBool(), true);
    }
    void dumpWritesTheOutFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("trace.json");
        const Run r = runCli({"dump", "--seq-len", "4", "--out", path});
        QCOMPARE(r.status, 0);
        QVERIFY(r.out.isEmpty());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(parseJsonObject(f.readAll())["config"].toObject()["seq_len"].toInt(), 4);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1); // no temporary left behind
    }
    void badInputIsOneLineAndStatusTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("phrase");
        QTest::newRow("unknown option") << QStringList{"dump", "--frobnicate"} << "unknown option '--frobnicate'";
        QTest::newRow("not a number") << QStringList{"dump", "--seq-len", "ten"} << "--seq-len expects a whole number";
        QTest::newRow("zero") << QStringList{"dump", "--seq-len", "0"} << "--seq-len must be between 1";
        QTest::newRow("negative") << QStringList{"dump", "--heads", "-2"} << "--heads must be between 1";
        QTest::newRow("missing value") << QStringList{"dump", "--seq-len"} << "--seq-len needs a value";
        QTest::newRow("valid length too long") << QStringList{"dump", "--seq-len", "4", "--valid-lens", "5"} << "valid length 5 is outside 0..4";
        QTest::newRow("valid lens vs batch") << QStringList{"dump", "--batch", "2", "--valid-lens", "3"} << "--valid-lens has 1 lengths but --batch is 2";
        QTest::newRow("heads do not divide") << QStringList{"dump", "--d-model", "10", "--heads", "3"} << "d_model 10 is not divisible by 3 heads";
        QTest::newRow("bad fill") << QStringList{"dump", "--fill", "zero"} << "fill 'zero'";
        QTest::newRow("bad pad side") << QStringList{"dump", "--pad-side", "middle"} << "--pad-side expects right or left";
        QTest::newRow("too large") << QStringList{"dump", "--seq-len", "1000000", "--heads", "8"} << "GiB";
        QTest::newRow("missing load dir") << QStringList{"dump", "--load", "/nonexistent/dir"} << "/nonexistent/dir/query.npy";
        QTest::newRow("bad repeat") << QStringList{"bench", "--repeat", "0"} << "--repeat expects";
        QTest::newRow("out for bench") << QStringList{"bench", "--out", "x"} << "unknown option '--out' for 'bench'";
    }
    void badInputIsOneLineAndStatusTwo()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, phrase);
        QTemporaryDir dir;
        const QString out = dir.filePath("never.json");
        const Run r = runCli(args + QStringList{});
        QCOMPARE(r.status, 2);
        QVERIFY(r.out.isEmpty());
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY2(QString::fromUtf8(r.err).contains(phrase), r.err.constData());
        const Run withOut = runCli(args + QStringList{"--out", out});
        QCOMPARE(withOut.status, 2);
        QVERIFY(!QFile::exists(out));
    }
    void unwritableOutIsAnErrorAndKeepsNothing()
    {
        const Run r = runCli({"dump", "--out", "/nonexistent/dir/trace.json"});
        QCOMPARE(r.status, 2);
        QVERIFY(r.err.contains("cannot write '/nonexistent/dir/trace.json'"));
    }
    void loadedFilesFixTheShapes()
    {
        const QString dir = QStringLiteral(MASKSCOPE_TEST_DATA "/parity/cross_kpm");
        const Run ok = runCli({"dump", "--load", dir, "--heads", "4"});
        QCOMPARE(ok.status, 0);
        const QJsonObject config = parseJsonObject(ok.out)["config"].toObject();
        QCOMPARE(config["query_len"].toInt(), 5);
        QCOMPARE(config["seq_len"].toInt(), 9);
        QCOMPARE(config["key_padding_mask"].toBool(), true);
        const Run clash = runCli({"dump", "--load", dir, "--heads", "4", "--seq-len", "7"});
        QCOMPARE(clash.status, 2);
        QVERIFY(clash.err.contains("--seq-len 7 contradicts the key length 9"));
    }
    void benchReportsTimings()
    {
        const Run r = runCli({"bench", "--seq-len", "32", "--repeat", "3", "--causal"});
        QCOMPARE(r.status, 0);
        const QJsonObject o = parseJsonObject(r.out);
        QVERIFY(o["median_ms"].toDouble() > 0);
        QVERIFY(o["min_ms"].toDouble() <= o["median_ms"].toDouble());
        QCOMPARE(o["repeat"].toInt(), 3);
        QCOMPARE(o["config"].toObject()["seq_len"].toInt(), 32);
    }
    void sameSeedSameDump()
    {
        const QStringList args{"dump", "--seq-len", "6", "--seed", "77", "--causal"};
        QCOMPARE(runCli(args).out, runCli(args).out);
        QVERIFY(runCli(args).out != runCli({"dump", "--seq-len", "6", "--seed", "78", "--causal"}).out);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
