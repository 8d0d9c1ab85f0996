// SPDX-License-Identifier: MIT
// RowInspector recomputes one row of one head the way the engine does; the explanation and
// hover texts built from it state the real numbers.

#include "document/explanation.h"
#include "figure/numberformat.h"
#include "document/rowinspector.h"

#include "attention/precision.h"
#include "synthcase.h"

#include <QTextDocument>
#include <QTest>

#include <algorithm>
#include <cmath>

using namespace maskscope;
using namespace maskscope::ui;

namespace {

std::shared_ptr<const Scenario> scenarioOf(const ScenarioConfig& c)
{
    return std::make_shared<const Scenario>(buildScenario(c));
}

ScenarioConfig config(bool causal, std::vector<int> validLens, PadSide side = PadSide::Right)
{
    ScenarioConfig c;
    c.seqLen = 9;
    c.heads = 3;
    c.dModel = 24;
    c.causal = causal;
    c.validLens = std::move(validLens);
    c.padSide = side;
    return c;
}

AttentionTrace<float> engineTrace(const Scenario& s, int b)
{
    AttentionEngine<float> engine;
    AttentionTrace<float> trace;
    TraceRequest request;
    request.batchItem = b;
    request.output = false;
    request.meanWeights = false;
    engine.compute(std::get<AttentionInputs<float>>(s.inputs), s.mask, s.config.scoreModifiers, request, trace);
    return trace;
}

// Numbers as the explanation writes them.
QString prettyText(double v)
{
    return prettyNumber(v, 4);
}

bool close(double a, double b, double tolerance)
{
    if (std::isnan(a) || std::isnan(b))
        return std::isnan(a) && std::isnan(b);
    if (std::isinf(a) || std::isinf(b))
        return a == b;
    return std::abs(a - b) <= tolerance;
}

// The same scenario computed in float64: its float32 inputs widened exactly.
std::shared_ptr<const Scenario> widened(const Scenario& s)
{
    auto wide = std::make_shared<Scenario>(s);
    wide->inputs = testing::widened(std::get<AttentionInputs<float>>(s.inputs));
    return wide;
}

QString explanationText(const Scenario& s, const RowValues& v, int col)
{
    QTextDocument doc;
    doc.setHtml(explanationHtml(s, v, col));
    return doc.toPlainText();
}

// Equal to within `ulps` units in the last place of a format with `bits` significand bits, or
// 1e-5.
bool closeInFormat(double a, double b, int bits, double ulps)
{
    if (std::isnan(a) || std::isnan(b) || std::isinf(a) || std::isinf(b))
        return close(a, b, 0.0);
    const double scale = std::max({std::fabs(a), std::fabs(b), 1e-3});
    // The floor is the float32 tolerance above: one row's product sums in another order.
    return std::fabs(a - b) <= std::max(1e-5, ulps * scale * std::ldexp(1.0, 1 - bits));
}

} // namespace

class TestRowInspector : public QObject {
    Q_OBJECT
private slots:
    void rowsMatchTheEngine_data()
    {
        QTest::addColumn<bool>("causal");
        QTest::addColumn<int>("valid");
        QTest::addColumn<bool>("left");
        QTest::addColumn<bool>("modifiers");
        QTest::newRow("plain") << false << 9 << false << false;
        QTest::newRow("causal + right padding") << true << 6 << false << false;
        QTest::newRow("causal + left padding (NaN rows)") << true << 5 << true << false;
        QTest::newRow("ALiBi + soft-cap") << true << 7 << false << true;
    }

    void rowsMatchTheEngine()
    {
        QFETCH(bool, causal);
        QFETCH(int, valid);
        QFETCH(bool, left);
        QFETCH(bool, modifiers);
        ScenarioConfig c = config(causal, {valid}, left ? PadSide::Left : PadSide::Right);
        if (modifiers) {
            c.scoreModifiers.alibi = true;
            c.scoreModifiers.softcap = 1.5;
        }
        const auto s = scenarioOf(c);
        const AttentionTrace<float> trace = engineTrace(*s, 0);
        RowInspector inspector;
        for (int h = 0; h < 3; ++h) {
            for (int i = 0; i < 9; ++i) {
                const RowValues v = inspector.row(s, 0, h, i);
                const HeadTrace<float>& head = trace.batches[0].heads[size_t(h)];
                for (int j = 0; j < 9; ++j) {
                    QVERIFY(close(v.logits[size_t(j)], head.logits(i, j), 1e-5));
                    QVERIFY(close(v.masked[size_t(j)], head.maskedLogits(i, j), 1e-5));
                    if (modifiers)
                        QVERIFY(close(v.scores[size_t(j)], head.scores(i, j), 1e-5));
                    QVERIFY(close(v.weights[size_t(j)], head.weights(i, j), 1e-6));
                    QCOMPARE(v.allowed[size_t(j)], bool(trace.batches[0].allowed(i, j)));
                    // Scaling is the only step between score and logit.
                    QVERIFY(close(v.dots[size_t(j)] / std::sqrt(8.0), v.logits[size_t(j)], 1e-5));
                }
                QCOMPARE(v.fullyBlocked, bool(trace.batches[0].rowFullyBlocked[size_t(i)]));
            }
        }
    }

    void aRealModelsRowsMatchTheEngine()
    {
        // stories260K (../shared): the step-by-step reads q and k after the rotary embedding.
        ScenarioConfig c;
        const std::string dir = MASKSCOPE_SHARED_DATA "/models/stories260K/";
        c.modelPath = dir + "stories260K.bin";
        c.tokenizerPath = dir + "tok512.bin";
        c.texts = {"Once upon a time, there was a little girl", "Lily"};
        c.layer = 2;
        const auto s = scenarioOf(c);
        const int length = s->mask.keyLen;
        RowInspector inspector;
        for (int b = 0; b < 2; ++b) {
            const AttentionTrace<float> trace = engineTrace(*s, b);
            for (int h : {0, 5}) {
                for (int i = 0; i < length; ++i) {
                    const RowValues v = inspector.row(s, b, h, i);
                    const HeadTrace<float>& head = trace.batches[0].heads[size_t(h)];
                    for (int j = 0; j < length; ++j) {
                        QVERIFY(close(v.logits[size_t(j)], head.logits(i, j), 1e-5));
                        QVERIFY2(close(v.weights[size_t(j)], head.weights(i, j), 1e-5), qPrintable(QStringLiteral("b%1 h%2 (%3,%4): %5 vs %6").arg(b).arg(h).arg(i).arg(j).arg(v.weights[size_t(j)]).arg(head.weights(i, j))));
                    }
                }
            }
        }
    }

    void explanationWalksThroughTheSteps()
    {
        const auto s = scenarioOf(config(true, {7}));
        RowInspector inspector;
        const RowValues v = inspector.row(s, 0, 1, 4);
        QTextDocument doc;
        doc.setHtml(explanationHtml(*s, v, 2));
        const QString text = doc.toPlainText();
        for (const char* step : {"1. score", "2. scale", "3. + mask", "4. exp", "5. \u00F7 sum"})
            QVERIFY2(text.contains(QString::fromUtf8(step)), step);
        QVERIFY(text.contains(QStringLiteral("\u221A8"))); // d_k = 24 / 3
        QVERIFY(text.contains(QStringLiteral("head 1")));
        QVERIFY(text.contains(prettyText(v.weights[2])));
        QVERIFY(text.contains(prettyText(v.sum)));
    }

    void modifiersAreAStepOfTheirOwn()
    {
        ScenarioConfig c = config(true, {});
        c.scoreModifiers.alibi = true;
        const auto s = scenarioOf(c);
        RowInspector inspector;
        const RowValues v = inspector.row(s, 0, 2, 6);
        QTextDocument doc;
        doc.setHtml(explanationHtml(*s, v, 3));
        const QString text = doc.toPlainText();
        QVERIFY2(text.contains(QStringLiteral("3. modify")) && text.contains(QStringLiteral("ALiBi")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("|6 \u2212 3|")));
        QVERIFY(text.contains(QStringLiteral("6. \u00F7 sum")));
    }

    void blockedCellsSayWhy()
    {
        const auto s = scenarioOf(config(true, {7}));
        RowInspector inspector;
        const RowValues v = inspector.row(s, 0, 0, 2);
        QCOMPARE(blockedReason(*s, v, 5), QStringLiteral("a future key: causal masking"));
        QCOMPARE(blockedReason(*s, v, 8), QStringLiteral("a padding key"));
        QVERIFY(blockedReason(*s, v, 1).isEmpty());
        QTextDocument doc;
        doc.setHtml(cellSummaryHtml(*s, v, 5));
        QVERIFY(doc.toPlainText().contains(QStringLiteral("blocked")));
        QVERIFY(doc.toPlainText().contains(QStringLiteral("\u2212\u221E"))); // the mask value
    }

    void fullyBlockedRowExplainsTheNaN()
    {
        const auto s = scenarioOf(config(true, {5}, PadSide::Left));
        RowInspector inspector;
        const RowValues v = inspector.row(s, 0, 0, 1);
        QVERIFY(v.fullyBlocked);
        QVERIFY(std::isnan(v.weights[0]));
        QTextDocument doc;
        doc.setHtml(explanationHtml(*s, v, 0));
        QVERIFY(doc.toPlainText().contains(QStringLiteral("NaN")));
    }

    // The explanation works the blocked row out from its real numbers: -1e9 swamps float32
    // logits (spacing 64 near 1e9) but not float64 ones (spacing 1.2e-7).
    void finiteFillRowIsUniformOnlyWhereTheFillSwampsTheLogits()
    {
        ScenarioConfig c = config(true, {5}, PadSide::Left);
        c.fill = Fill::parse("-1e9");
        const auto single = scenarioOf(c);
        const auto wide = widened(*single);
        RowInspector inspector;
        const RowValues v32 = inspector.row(single, 0, 0, 1);
        const RowValues v64 = inspector.row(wide, 0, 0, 1);
        QVERIFY(v32.fullyBlocked && v64.fullyBlocked);
        QCOMPARE(v64.dtype, DType::Float64);
        const QString text32 = explanationText(*single, v32, 0);
        const QString text64 = explanationText(*wide, v64, 0);
        QVERIFY2(text32.contains(QStringLiteral("The softmax of equal numbers is uniform")), qPrintable(text32));
        QVERIFY2(text32.contains(QStringLiteral("spacing of float32 is 64")), qPrintable(text32));
        QVERIFY2(!text64.contains(QStringLiteral("is uniform")) && !text64.contains(QStringLiteral("spread")),
                 qPrintable(text64));
        QVERIFY2(text64.contains(QStringLiteral("keeps its unmasked weights")), qPrintable(text64));
        QVERIFY(std::fabs(v64.weights[0] - v64.weights[3]) > 1e-3); // really not uniform
        // A small finite fill is not uniform either, in float32.
        c.fill = Fill::parse("-3");
        const RowValues small = inspector.row(scenarioOf(c), 0, 0, 1);
        QVERIFY(!explanationText(*scenarioOf(c), small, 0).contains(QStringLiteral("is uniform")));
    }

    // Every setting of the pitfall lab reaches the row: the step-by-step numbers are the view's.
    void rowsFollowThePitfallLab_data()
    {
        QTest::addColumn<int>("format");
        QTest::addColumn<int>("apply");
        QTest::addColumn<int>("blocked");
        QTest::addColumn<QString>("fill");
        QTest::addColumn<QStringList>("bugs");
        QTest::newRow("float16, -1e9, qproj") << int(NumberFormat::Float16) << 0 << 0 << "-1e9" << QStringList{"qproj-for-kv"};
        QTest::newRow("bfloat16, replace -5, zeros") << int(NumberFormat::BFloat16) << 1 << 1 << "-5" << QStringList{};
        QTest::newRow("float16, lowest, uniform, not in place")
            << int(NumberFormat::Float16) << 0 << 2 << "lowest" << QStringList{"masked-fill-not-inplace"};
        QTest::newRow("float32, backwards + unmasked padding") << int(NumberFormat::Float32) << 0 << 0 << "neg-inf"
                                                               << QStringList{"causal-backwards", "unmasked-padding"};
        QTest::newRow("inverted, replace -1e9, uniform")
            << int(NumberFormat::Native) << 1 << 2 << "-1e9" << QStringList{"inverted-polarity"};
    }

    void rowsFollowThePitfallLab()
    {
        QFETCH(int, format);
        QFETCH(int, apply);
        QFETCH(int, blocked);
        QFETCH(QString, fill);
        QFETCH(QStringList, bugs);
        ScenarioConfig c = config(true, {5}, PadSide::Left);
        c.fill = Fill::parse(fill.toStdString());
        c.pitfalls.format = static_cast<NumberFormat>(format);
        c.pitfalls.maskApply = static_cast<MaskApply>(apply);
        c.pitfalls.blockedRows = static_cast<BlockedRows>(blocked);
        for (const QString& bug : bugs)
            c.pitfalls.mistakes.set(parsePitfall(bug.toStdString()));
        const auto s = scenarioOf(c);
        const AttentionTrace<float> trace = engineTrace(*s, 0);
        const int bits = formatLimits(s->dtype()).significandBits;
        RowInspector inspector;
        for (int h = 0; h < 3; ++h) {
            const HeadTrace<float>& head = trace.batches[0].heads[size_t(h)];
            for (int i = 0; i < 9; ++i) {
                const RowValues v = inspector.row(s, 0, h, i);
                QCOMPARE(v.maskApplied, trace.batches[0].maskApplied);
                for (int j = 0; j < 9; ++j) {
                    QVERIFY2(closeInFormat(v.logits[size_t(j)], head.logits(i, j), bits, 2),
                             qPrintable(QStringLiteral("logit %1 %2 %3: %4 vs %5").arg(h).arg(i).arg(j)
                                            .arg(v.logits[size_t(j)]).arg(head.logits(i, j))));
                    QVERIFY(closeInFormat(v.masked[size_t(j)], head.maskedLogits(i, j), bits, 2));
                    // Stored values are values of the format, as the engine stores them.
                    for (double x : {v.logits[size_t(j)], v.masked[size_t(j)], v.weights[size_t(j)]})
                        QVERIFY(representableIn(c.pitfalls.format, x));
                    QVERIFY2(closeInFormat(v.weights[size_t(j)], head.weights(i, j), bits, 4),
                             qPrintable(QStringLiteral("weight %1 %2 %3: %4 vs %5").arg(h).arg(i).arg(j)
                                            .arg(v.weights[size_t(j)]).arg(head.weights(i, j))));
                }
            }
        }
    }

    void meanExplanationAveragesTheHeads()
    {
        const auto s = scenarioOf(config(false, {}));
        RowInspector inspector;
        std::vector<RowValues> rows;
        double sum = 0;
        for (int h = 0; h < 3; ++h) {
            rows.push_back(inspector.row(s, 0, h, 3));
            sum += rows.back().weights[4];
        }
        QTextDocument doc;
        doc.setHtml(meanExplanationHtml(*s, rows, 4));
        QVERIFY(doc.toPlainText().contains(QStringLiteral("\u00F7 3 = ") + prettyText(sum / 3)));
    }
};

QTEST_MAIN(TestRowInspector)
#include "tst_rowinspector.moc"
