// SPDX-License-Identifier: MIT
// The pitfall lab's options on the command line, run as a process: each option reaches dump and
// bench (and export, through the shared option parser), the dump explains what is on, bad values
// are one line and status 2, and a float16 fill PyTorch would refuse is warned about.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "processrun.h"

#include <cmath>

namespace {

using maskscope::testing::Run;
using maskscope::testing::runCli;
using maskscope::testing::parseJsonObject;

// Dumps a small scenario with `extra` options; fails the test on a bad status.
QJsonObject dump(const QStringList& extra)
{
    const Run r = runCli(QStringList{"dump", "--seq-len", "5", "--heads", "1", "--d-model", "8"} + extra);
    if (r.status != 0)
        qWarning("dump failed: %s", r.err.constData());
    return r.status == 0 ? parseJsonObject(r.out) : QJsonObject();
}

QJsonArray row(const QJsonObject& d, const char* matrix, int i, int b = 0)
{
    return d["batches"].toArray()[b].toObject()[matrix].toArray()[i].toArray();
}

QJsonArray headRow(const QJsonObject& d, const char* matrix, int i, int b = 0)
{
    return d["batches"].toArray()[b].toObject()["heads"].toArray()[0].toObject()[matrix].toArray()[i].toArray();
}

} // namespace

class TestCliPitfalls : public QObject {
    Q_OBJECT
private slots:
    void helpListsTheLab()
    {
        const Run help = runCli({"--help"});
        QCOMPARE(help.status, 0);
        for (const char* text : {"--bug NAME", "masked-fill-not-inplace", "qproj-for-kv", "inverted-polarity",
                                 "unmasked-padding", "causal-backwards", "--dtype F", "--blocked-rows P",
                                 "--mask-apply M"})
            QVERIFY2(help.out.contains(text), text);
    }
    void eachBugReachesTheDump()
    {
        const QJsonObject backwards = dump({"--causal", "--bug", "causal-backwards"});
        QCOMPARE(backwards["config"].toObject()["bugs"].toArray(), QJsonArray{"causal-backwards"});
        QCOMPARE(row(backwards, "allowed", 0), (QJsonArray{false, true, true, true, true}));
        QCOMPARE(backwards["batches"].toArray()[0].toObject()["blocked_row_outcomes"].toArray()[4].toString(),
                 QString("nan"));
        const QJsonObject inverted = dump({"--causal", "--bug", "inverted-polarity"});
        QCOMPARE(row(inverted, "allowed", 2), (QJsonArray{false, false, false, true, true}));
        const QJsonObject notInPlace = dump({"--causal", "--bug=masked-fill-not-inplace"});
        QCOMPARE(notInPlace["batches"].toArray()[0].toObject()["mask_applied"].toBool(), false);
        QCOMPARE(headRow(notInPlace, "masked_logits", 0), headRow(notInPlace, "logits", 0));
        QCOMPARE(headRow(notInPlace, "weights", 0), headRow(dump({}), "weights", 0));
        const QJsonObject padded = dump({"--valid-lens", "3", "--bug", "unmasked-padding"});
        QVERIFY(headRow(padded, "weights", 0)[4].toDouble() > 0);
        QCOMPARE(padded["batches"].toArray()[0].toObject()["key_is_pad"].toArray()[4].toBool(), true);
        const QJsonObject qproj = dump({"--bug", "qproj-for-kv"});
        QVERIFY(headRow(qproj, "logits", 1)[0].toDouble() != headRow(dump({}), "logits", 1)[0].toDouble());
    }
    void bugsComposeAndAreExplained()
    {
        const QJsonObject d = dump({"--causal", "--bug", "causal-backwards", "--bug", "inverted-polarity,qproj-for-kv"});
        QCOMPARE(d["config"].toObject()["bugs"].toArray(),
                 (QJsonArray{"qproj-for-kv", "inverted-polarity", "causal-backwards"}));
        QCOMPARE(row(d, "allowed", 2), (QJsonArray{true, true, true, false, false})); // two wrongs: causal
        const QJsonArray explained = d["pitfalls"].toObject()["bugs"].toArray();
        QCOMPARE(explained.size(), 3);
        const QJsonObject backwards = explained[2].toObject();
        QCOMPARE(backwards["seed"].toString(), QString("000"));
        QVERIFY(backwards["explanation"].toString().contains("prose"));
        QVERIFY(backwards["fix"].toString().contains("triu"));
        QVERIFY(!dump({}).contains("pitfalls")); // nothing to explain without the lab
    }
    void maskApplyAndBlockedRows()
    {
        const QJsonObject add = dump({"--causal", "--fill", "-5"});
        const QJsonObject replace = dump({"--causal", "--fill", "-5", "--mask-apply", "replace"});
        QCOMPARE(replace["config"].toObject()["mask_apply"].toString(), QString("replace"));
        QCOMPARE(headRow(replace, "masked_logits", 0)[3].toDouble(), -5.0);
        // Numbers are the shortest text of their float32: compare them as float32.
        QCOMPARE(float(headRow(add, "masked_logits", 0)[3].toDouble()),
                 float(headRow(add, "logits", 0)[3].toDouble()) - 5.0f);
        QVERIFY(replace["pitfalls"].toObject()["mask_apply"].toObject()["explanation"].toString().contains("masked_fill"));

        const QJsonObject zero = dump({"--valid-lens", "0", "--blocked-rows", "zero"});
        QCOMPARE(zero["config"].toObject()["blocked_rows"].toString(), QString("zero"));
        QCOMPARE(headRow(zero, "weights", 1), (QJsonArray{0, 0, 0, 0, 0}));
        QCOMPARE(zero["batches"].toArray()[0].toObject()["blocked_row_outcomes"].toArray()[1].toString(),
                 QString("zero"));
        const QJsonObject uniform = dump({"--valid-lens", "0", "--blocked-rows", "uniform"});
        QCOMPARE(headRow(uniform, "weights", 1), (QJsonArray{0.2, 0.2, 0.2, 0.2, 0.2}));
        const QJsonObject nan = dump({"--valid-lens", "0"});
        QCOMPARE(headRow(nan, "weights", 1)[0].toString(), QString("nan"));
    }
    void numberFormats()
    {
        const Run r = runCli({"dump", "--seq-len", "4", "--heads", "1", "--d-model", "4", "--causal",
                                 "--fill", "-1e9", "--dtype", "f16"});
        QCOMPARE(r.status, 0);
        // One warning line: PyTorch's masked_fill would refuse -1e9 in float16.
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY(r.err.startsWith("maskscope: warning: the fill -1e9 does not fit in float16"));
        const QJsonObject d = parseJsonObject(r.out);
        const QJsonObject config = d["config"].toObject();
        QCOMPARE(config["dtype"].toString(), QString("float16"));
        QCOMPARE(config["fill_value"].toString(), QString("-inf"));
        QCOMPARE(config["warnings"].toArray().size(), 1);
        QCOMPARE(row(d, "additive_mask", 0)[1].toString(), QString("-inf"));
        for (const QJsonValue& v : headRow(d, "weights", 2)) { // float16 values: 11 significant bits
            int exponent = 0;
            const double significand = std::ldexp(std::frexp(double(float(v.toDouble())), &exponent), 11);
            QCOMPARE(significand, std::round(significand));
        }
        const QJsonObject lowest = dump({"--fill", "lowest", "--dtype", "f16", "--valid-lens", "3"});
        QCOMPARE(lowest["config"].toObject()["fill_value"].toDouble(), -65504.0);
        QVERIFY(lowest["config"].toObject()["warnings"].toArray().isEmpty());
        const QJsonObject brain = dump({"--fill", "-1e9", "--dtype", "bf16", "--valid-lens", "3"});
        QCOMPARE(brain["config"].toObject()["dtype"].toString(), QString("bfloat16"));
        QCOMPARE(brain["config"].toObject()["fill_value"].toDouble(), -998244352.0);
        QCOMPARE(dump({"--dtype", "f32"})["config"].toObject()["dtype"].toString(), QString("float32"));
    }
    void benchAndExportTakeTheOptions()
    {
        const Run bench = runCli({"bench", "--seq-len", "16", "--repeat", "2", "--bug", "qproj-for-kv",
                                     "--dtype", "bf16", "--blocked-rows", "uniform", "--mask-apply", "replace"});
        QCOMPARE(bench.status, 0);
        const QJsonObject config = parseJsonObject(bench.out)["config"].toObject();
        QCOMPARE(config["bugs"].toArray(), QJsonArray{"qproj-for-kv"});
        QCOMPARE(config["dtype"].toString(), QString("bfloat16"));
        QCOMPARE(config["blocked_rows"].toString(), QString("uniform"));
        QTemporaryDir dir;
        const QString png = dir.filePath("f.png");
        const Run exported = runCli({"export", "--seq-len", "6", "--causal", "--bug", "causal-backwards",
                                        "--dtype", "f16", "--out", png});
        QCOMPARE(exported.status, 0);
        QVERIFY(QFile::exists(png));
    }
    void badValuesAreOneLineAndStatusTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("phrase");
        QTest::newRow("unknown bug") << QStringList{"dump", "--bug", "off-by-one"}
                                     << "--bug expects one of masked-fill-not-inplace, qproj-for-kv, inverted-polarity, "
                                        "unmasked-padding, causal-backwards, got 'off-by-one'";
        QTest::newRow("bug without value") << QStringList{"dump", "--bug"} << "--bug needs a value";
        QTest::newRow("empty bug in a list") << QStringList{"dump", "--bug", "qproj-for-kv,"} << "got ''";
        QTest::newRow("dtype f64") << QStringList{"dump", "--dtype", "f64"} << "--dtype expects one of f32, f16, bf16, got 'f64'";
        QTest::newRow("blocked rows") << QStringList{"bench", "--blocked-rows", "inf"}
                                      << "--blocked-rows expects one of nan, zero, uniform, got 'inf'";
        QTest::newRow("mask apply") << QStringList{"dump", "--mask-apply", "multiply"}
                                    << "--mask-apply expects one of add, replace, got 'multiply'";
        QTest::newRow("backwards without causal") << QStringList{"dump", "--bug", "causal-backwards"}
                                                  << "the causal-backwards mistake needs the causal rule (--causal)";
        QTest::newRow("backwards with prefix") << QStringList{"dump", "--bug", "causal-backwards", "--prefix", "2"}
                                               << "cannot be combined with a prefix-LM prefix";
    }
    void badValuesAreOneLineAndStatusTwo()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, phrase);
        const Run r = runCli(args);
        QCOMPARE(r.status, 2);
        QVERIFY(r.out.isEmpty());
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY2(QString::fromUtf8(r.err).contains(phrase), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliPitfalls)
#include "tst_cli_pitfalls.moc"
