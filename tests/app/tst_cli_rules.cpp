// SPDX-License-Identifier: MIT
// The mask-rule, score-modifier, convention and long-context options of the command line, run
// as a process: each option reaches the dump, bad values are one line and status 2.
#include "io/npy.h"
#include "scenario/scenario.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "npywriter.h"
#include "processrun.h"

using namespace maskscope;

namespace {

using maskscope::testing::Run;
using maskscope::testing::parseJsonObject;
using maskscope::testing::runMaskscope;

// Row i of batch item b's allowed matrix as "1100..".
QString allowedRow(const QJsonObject& dump, int b, int i)
{
    QString text;
    const QJsonArray row = dump["batches"].toArray()[b].toObject()["allowed"].toArray()[i].toArray();
    for (const QJsonValue& v : row)
        text += v.toBool() ? '1' : '0';
    return text;
}

void writeBoolNpy(const QString& path, const std::vector<std::string>& rows)
{
    writeNpy(path.toStdString(), testing::boolNpy(rows));
}

const QStringList kSmall{"--heads", "2", "--d-model", "8"};

} // namespace

class TestCliRules : public QObject {
    Q_OBJECT
private:
    QTemporaryDir dir_;

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        writeBoolNpy(dir_.filePath("diag.npy"), {"1000", "0100", "1110", "1111"});
        writeBoolNpy(dir_.filePath("wide.npy"), {"11111", "11111", "11111", "11111"});
        writeNpy(dir_.filePath("float.npy").toStdString(), testing::floatNpy({4, 4}, std::vector<float>(16, 0.0f)));
    }
    void helpNamesEveryRuleOption()
    {
        const Run help = runMaskscope({"--help"});
        QCOMPARE(help.status, 0);
        for (const char* option : {"--causal-align", "--window", "--dilation", "--prefix", "--segments", "--chunk",
                                   "--global", "--toggle", "--mask-file", "True = ALLOWED", "--alibi", "--softcap",
                                   "--block", "--convention", "--mask-only"})
            QVERIFY2(help.out.contains(option), option);
    }
    void eachRuleReachesTheDump_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("configKey");
        QTest::addColumn<QString>("configValue");
        QTest::addColumn<int>("row");
        QTest::addColumn<QString>("allowed");
        QTest::newRow("causal-align") << QStringList{"--seq-len", "6", "--query-len", "3", "--causal", "--causal-align", "bottom-right"}
                                      << "causal_align" << "bottom-right" << 0 << "111100";
        QTest::newRow("window") << QStringList{"--seq-len", "6", "--window", "1,1"} << "window" << "[1,1]" << 3 << "001110";
        QTest::newRow("window unbounded left") << QStringList{"--seq-len", "6", "--window", "-1,0"} << "window" << "[-1,0]" << 3 << "111100";
        QTest::newRow("dilation") << QStringList{"--seq-len", "7", "--causal", "--dilation", "2"} << "dilation" << "2" << 6 << "1010101";
        QTest::newRow("prefix") << QStringList{"--seq-len", "6", "--prefix", "3"} << "causal" << "true" << 0 << "111000";
        QTest::newRow("segments") << QStringList{"--seq-len", "6", "--segments", "2,4"} << "segments" << "[2,4]" << 2 << "001111";
        QTest::newRow("segments causal") << QStringList{"--seq-len", "6", "--segments", "2,4", "--causal"} << "segments" << "[2,4]" << 3 << "001100";
        QTest::newRow("chunk") << QStringList{"--seq-len", "6", "--chunk", "4", "--causal"} << "chunk" << "4" << 5 << "000011";
        QTest::newRow("global") << QStringList{"--seq-len", "6", "--causal", "--window", "0,0", "--global", "1"} << "global" << "1" << 3 << "100100";
        QTest::newRow("global query") << QStringList{"--seq-len", "6", "--causal", "--global", "1"} << "global" << "1" << 0 << "111111";
        QTest::newRow("toggle") << QStringList{"--seq-len", "4", "--causal", "--toggle", "0:3,1:0"} << "toggled" << "[[0,3],[1,0]]" << 1 << "0100";
        QTest::newRow("mask-file") << QStringList{"--seq-len", "4", "--mask-file", "@diag.npy"} << "mask_file" << "@diag.npy" << 2 << "1110";
        QTest::newRow("alibi") << QStringList{"--seq-len", "4", "--alibi"} << "alibi_slopes" << "[0.0625,0.00390625]" << 0 << "1111";
        QTest::newRow("softcap") << QStringList{"--seq-len", "4", "--softcap", "2.5"} << "softcap" << "2.5" << 0 << "1111";
        QTest::newRow("block") << QStringList{"--seq-len", "4", "--block", "16"} << "block" << "16" << 0 << "1111";
    }
    void eachRuleReachesTheDump()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, configKey);
        QFETCH(QString, configValue);
        QFETCH(int, row);
        QFETCH(QString, allowed);
        for (QString& a : args)
            if (a.startsWith('@'))
                a = dir_.filePath(a.mid(1));
        configValue.replace("@", dir_.path() + "/");
        const Run r = runMaskscope(QStringList{"dump"} + args + kSmall);
        QVERIFY2(r.status == 0, r.err.constData());
        const QJsonObject dump = parseJsonObject(r.out);
        const QJsonValue v = dump["config"].toObject()[configKey];
        const QString text = v.isArray() ? QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact))
                           : v.isString() ? v.toString()
                           : v.isBool() ? QString(v.toBool() ? "true" : "false")
                                        : QString::number(v.toDouble());
        QCOMPARE(text, configValue);
        QCOMPARE(allowedRow(dump, 0, row), allowed);
    }
    void scoreModifiersAddTheScoresMatrix()
    {
        const Run plain = runMaskscope(QStringList{"dump", "--seq-len", "4"} + kSmall);
        const QJsonObject h0 = parseJsonObject(plain.out)["batches"].toArray()[0].toObject()["heads"].toArray()[0].toObject();
        QVERIFY(!h0.contains("scores"));
        const Run capped = runMaskscope(QStringList{"dump", "--seq-len", "4", "--softcap", "0.5"} + kSmall);
        const QJsonObject h = parseJsonObject(capped.out)["batches"].toArray()[0].toObject()["heads"].toArray()[0].toObject();
        for (const QJsonValue& rowValue : h["scores"].toArray())
            for (const QJsonValue& v : rowValue.toArray())
                QVERIFY(std::fabs(v.toDouble()) <= 0.5);
        QCOMPARE(h["logits"].toArray()[0].toArray()[1].toDouble(),
                 h0["logits"].toArray()[0].toArray()[1].toDouble()); // logits stay raw
    }
    void dumpReportsBlockSparsity()
    {
        const Run r = runMaskscope(QStringList{"dump", "--seq-len", "64", "--causal", "--block", "16"} + kSmall);
        QCOMPARE(r.status, 0);
        const QJsonObject bs = parseJsonObject(r.out)["batches"].toArray()[0].toObject()["block_sparsity"].toObject();
        QCOMPARE(bs["block"].toInt(), 16);
        QCOMPARE(bs["tiles"].toInt(), 16);
        QCOMPARE(bs["empty"].toInt(), 6);
        QCOMPARE(bs["partial"].toInt(), 4);
        QCOMPARE(bs["full"].toInt(), 6);
        QCOMPARE(bs["skipped_tile_fraction"].toDouble(), 6.0 / 16.0);
        QCOMPARE(bs["allowed_cells"].toInt(), 64 * 65 / 2);
    }
    void dumpWritesEveryConvention_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("polarity");
        QTest::addColumn<QString>("tensor");
        QTest::newRow("torch-mha") << "torch-mha" << "True = blocked" << "attn_mask";
        QTest::newRow("torch-sdpa") << "torch-sdpa" << "True = attend" << "attn_mask";
        QTest::newRow("flex") << "flex" << "True = attend" << "mask";
        QTest::newRow("hf") << "hf" << "True = attend" << "attention_mask";
        QTest::newRow("tf") << "tf" << "True = blocked" << "mask";
        QTest::newRow("keras") << "keras" << "True = attend" << "attention_mask";
    }
    void dumpWritesEveryConvention()
    {
        QFETCH(QString, name);
        QFETCH(QString, polarity);
        QFETCH(QString, tensor);
        const Run r = runMaskscope(QStringList{"dump", "--seq-len", "5", "--causal", "--valid-lens", "5,3",
                                            "--convention", name} + kSmall);
        QVERIFY2(r.status == 0, r.err.constData());
        const QJsonObject c = parseJsonObject(r.out)["convention"].toObject();
        QCOMPARE(c["name"].toString(), name);
        QCOMPARE(c["polarity"].toString(), polarity);
        QCOMPARE(c["tensors"].toArray()[0].toObject()["name"].toString(), tensor);
        QVERIFY(c["snippet"].toString().contains("def allowed(b, q, kv):"));
        QVERIFY(!c["notes"].toArray().isEmpty());
        QCOMPARE(c["if_polarity_flipped"].toObject()["allowed"].toArray().size(), 2);
    }
    void maskOnlyBenchWorksAtLongContext()
    {
        const Run r = runMaskscope({"bench", "--mask-only", "--seq-len", "131072", "--causal", "--window", "1023,0",
                                 "--repeat", "1"});
        QVERIFY2(r.status == 0, r.err.constData());
        const QJsonObject o = parseJsonObject(r.out);
        QCOMPARE(o["block_sparsity"].toObject()["tiles"].toDouble(), 1024.0 * 1024.0);
        // Partial tiles: the 1024 on the diagonal, and the band 8 tiles below it, where row
        // 128t + 127 loses the last key (i - 1023 > 128(t - 7) - 1): 1024 - 8 of them.
        QCOMPARE(o["block_sparsity"].toObject()["partial"].toInt(), 1024 + 1016);
        QVERIFY(o["peak_rss_mib"].toDouble() < 200);
        qInfo("L = 131072: block sparsity %.1f ms, full raster %.1f ms, zoom %.1f ms, peak %.1f MiB",
              o["block_sparsity_ms"].toDouble(), o["raster_full_view_ms"].toDouble(),
              o["raster_zoom_ms"].toDouble(), o["peak_rss_mib"].toDouble());
        // The full trace stays refused, and the message points at the mask-only path.
        const Run dump = runMaskscope({"dump", "--seq-len", "131072"});
        QCOMPARE(dump.status, 2);
        QVERIFY(dump.err.contains("bench --mask-only"));
    }
    void badRuleInputIsOneLineAndStatusTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("phrase");
        QTest::newRow("align") << QStringList{"dump", "--causal-align", "middle"} << "--causal-align expects top-left or bottom-right";
        QTest::newRow("window one side") << QStringList{"dump", "--window", "4"} << "--window expects LEFT,RIGHT";
        QTest::newRow("window negative") << QStringList{"dump", "--window", "-2,0"} << "--window must be between -1";
        QTest::newRow("dilation") << QStringList{"dump", "--dilation", "0"} << "--dilation must be between 1";
        QTest::newRow("chunk") << QStringList{"dump", "--chunk", "0"} << "--chunk must be between 1";
        QTest::newRow("prefix too long") << QStringList{"dump", "--seq-len", "8", "--prefix", "9"} << "prefix 9 is outside 0..8";
        QTest::newRow("segments sum") << QStringList{"dump", "--seq-len", "8", "--segments", "3,3"} << "segment lengths sum to 6 but the key length is 8";
        QTest::newRow("segment zero") << QStringList{"dump", "--segments", "8,0"} << "--segments must be between 1";
        QTest::newRow("global") << QStringList{"dump", "--seq-len", "8", "--global", "9"} << "global tokens 9 is outside 0..8";
        QTest::newRow("toggle syntax") << QStringList{"dump", "--toggle", "3"} << "--toggle expects cells as i:j";
        QTest::newRow("toggle outside") << QStringList{"dump", "--seq-len", "4", "--toggle", "4:0"} << "toggled cell 4:0 is outside the (4, 4) mask";
        QTest::newRow("toggle twice") << QStringList{"dump", "--toggle", "1:1,1:1"} << "--toggle lists the cell 1:1 twice";
        QTest::newRow("mask-file shape") << QStringList{"dump", "--seq-len", "4", "--mask-file", "@wide.npy"} << "has shape (4, 5) but attention is (4, 4)";
        QTest::newRow("mask-file dtype") << QStringList{"dump", "--seq-len", "4", "--mask-file", "@float.npy"} << "holds float32; it needs a bool (Lq, Lk) array";
        QTest::newRow("mask-file missing") << QStringList{"dump", "--mask-file", "/nonexistent/m.npy"} << "/nonexistent/m.npy";
        QTest::newRow("softcap") << QStringList{"dump", "--softcap", "0"} << "--softcap expects a number above 0";
        QTest::newRow("softcap text") << QStringList{"dump", "--softcap", "inf"} << "--softcap expects a number above 0";
        QTest::newRow("block") << QStringList{"dump", "--block", "8"} << "--block must be between 16 and 128";
        QTest::newRow("convention") << QStringList{"dump", "--convention", "jax"} << "--convention expects one of torch-mha";
        QTest::newRow("convention for bench") << QStringList{"bench", "--convention", "hf"} << "unknown option '--convention' for 'bench'";
        QTest::newRow("mask-only for dump") << QStringList{"dump", "--mask-only"} << "unknown option '--mask-only' for 'dump'";
        QTest::newRow("mask-only bad rule") << QStringList{"bench", "--mask-only", "--seq-len", "8", "--segments", "4"} << "segment lengths sum to 4";
    }
    void badRuleInputIsOneLineAndStatusTwo()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, phrase);
        for (QString& a : args)
            if (a.startsWith('@'))
                a = dir_.filePath(a.mid(1));
        const Run r = runMaskscope(args);
        QCOMPARE(r.status, 2);
        QVERIFY(r.out.isEmpty());
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY2(QString::fromUtf8(r.err).contains(phrase), r.err.constData());
        if (args.front() == "dump") {
            const QString out = dir_.filePath("never.json");
            QCOMPARE(runMaskscope(args + QStringList{"--out", out}).status, 2);
            QVERIFY(!QFile::exists(out));
        }
    }
    void optionsRoundTripThroughTheConfig()
    {
        const std::vector<std::string> args{
            "--seq-len", "12", "--query-len", "6", "--valid-lens", "12,9", "--pad-side", "left", "--causal",
            "--heads", "2", "--d-model", "8", "--seed", "7", "--fill", "-1e9", "--causal-align", "bottom-right",
            "--window", "3,-1", "--dilation", "2", "--prefix", "2", "--segments", "5,7", "--chunk", "4",
            "--global", "1", "--toggle", "0:1,5:11", "--mask-file", "m.npy", "--alibi", "--softcap", "30.5",
            "--block", "64"};
        std::vector<std::string> rest;
        const ScenarioConfig c = parseScenarioOptions(args, rest);
        QVERIFY(rest.empty());
        const std::vector<std::string> again = scenarioOptionArgs(c);
        std::vector<std::string> rest2;
        QVERIFY(parseScenarioOptions(again, rest2) == c);
        QVERIFY(rest2.empty());
        QVERIFY(scenarioOptionArgs(ScenarioConfig{}).empty());
    }
};

QTEST_GUILESS_MAIN(TestCliRules)
#include "tst_cli_rules.moc"
