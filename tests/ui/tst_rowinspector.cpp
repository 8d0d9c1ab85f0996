// RowInspector recomputes one row of one head the way the engine does; the explanation and
// hover texts built from it state the real numbers.

#include "explanation.h"
#include "numberformat.h"
#include "rowinspector.h"

#include <QTextDocument>
#include <QtTest>

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
