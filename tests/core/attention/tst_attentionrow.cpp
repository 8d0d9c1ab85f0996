// SPDX-License-Identifier: MIT
// attentionRow, the softmax stage of one row that the window's row inspector shows, gives the
// engine's own row bit for bit: masked logits, weights and scores, NaN positions included, for
// random sizes, masks, fills, score modifiers, the pitfall lab's options and number formats.
#include "attention/attention.h"
#include "attention/attentionrow.h"
#include "base/random.h"
#include "mask/maskspec.h"
#include "scenario/scenario.h"
#include "synthcase.h"

#include <QTest>

#include <cstring>

using namespace maskscope;

namespace {

template <typename T>
bool sameBits(const T* a, const T* b, int n)
{
    return std::memcmp(a, b, sizeof(T) * static_cast<size_t>(n)) == 0;
}

int pick(Random& r, int lo, int hi)
{
    return lo + static_cast<int>(r.uniform01() * (hi - lo + 1));
}

ScenarioConfig randomConfig(Random& r)
{
    ScenarioConfig c;
    c.seqLen = pick(r, 1, 70);
    if (r.uniform01() < 0.3)
        c.queryLen = pick(r, 1, 70);
    c.batch = pick(r, 1, 2);
    if (r.uniform01() < 0.6)
        for (int b = 0; b < *c.batch; ++b)
            c.validLens.push_back(pick(r, 1, *c.seqLen));
    c.padSide = r.uniform01() < 0.5 ? PadSide::Left : PadSide::Right;
    c.causal = r.uniform01() < 0.5;
    c.heads = pick(r, 1, 4);
    c.dModel = c.heads * pick(r, 1, 9);
    c.seed = r.nextU64();
    const Fill::Kind kinds[] = {Fill::Kind::NegInf, Fill::Kind::NegBillion, Fill::Kind::Lowest, Fill::Kind::Value};
    c.fill.kind = kinds[pick(r, 0, 3)];
    c.fill.value = -r.uniform(0.0, 50.0);
    c.scoreModifiers.alibi = r.uniform01() < 0.3;
    if (r.uniform01() < 0.3)
        c.scoreModifiers.softcap = r.uniform(0.5, 30.0);
    Pitfalls& p = c.pitfalls;
    p.maskApply = r.uniform01() < 0.5 ? MaskApply::Add : MaskApply::Replace;
    const BlockedRows policies[] = {BlockedRows::Nan, BlockedRows::Zero, BlockedRows::Uniform};
    p.blockedRows = policies[pick(r, 0, 2)];
    const NumberFormat formats[] = {NumberFormat::Native, NumberFormat::Float32, NumberFormat::Float16,
                                    NumberFormat::BFloat16};
    p.format = formats[pick(r, 0, 3)];
    p.mistakes.set(Pitfall::MaskedFillNotInplace, r.uniform01() < 0.15);
    p.mistakes.set(Pitfall::QprojForKv, r.uniform01() < 0.15);
    return c;
}

// Every row of every head of every batch item of the engine's trace against attentionRow fed
// with the engine's logits. Returns the number of rows compared; fails the test on a mismatch.
template <typename T>
int compareRows(const Scenario& s, const AttentionInputs<T>& in)
{
    AttentionEngine<T> engine;
    AttentionTrace<T> trace;
    TraceRequest request;
    request.meanWeights = false;
    request.output = false;
    engine.compute(in, s.mask, s.config.scoreModifiers, request, trace);
    const ScoreModifiers& modifiers = s.config.scoreModifiers;
    const std::vector<double> slopes = alibiSlopes(in.heads);
    const RowLab lab = RowLab::of(s.mask.pitfalls);
    int compared = 0;
    for (const BatchTrace<T>& b : trace.batches) {
        Matrix<T> additive;
        additiveMask<T>(s.mask, b.batchItem, additive);
        const BoolMatrix allowed = allowedMatrix(s.mask, b.batchItem);
        const int n = static_cast<int>(additive.cols());
        for (const HeadTrace<T>& h : b.heads)
            for (int i = 0; i < additive.rows(); ++i) {
                const RowStages<T> row =
                    attentionRow<T>(h.logits.row(i).data(), additive.row(i).data(), allowed.row(i).data(), n, i,
                                    modifiers, slopes[static_cast<size_t>(h.head)], i + alignedQueryOffset(s.mask), lab);
                if (modifiers.active() && !sameBits(row.scores.data(), h.scores.row(i).data(), n))
                    return -1;
                if (!sameBits(row.masked.data(), h.maskedLogits.row(i).data(), n) ||
                    !sameBits(row.weights.data(), h.weights.row(i).data(), n))
                    return -1;
                ++compared;
            }
    }
    return compared;
}

} // namespace

class TestAttentionRow : public QObject {
    Q_OBJECT
private slots:
    void rowEqualsTheEngineRowBitForBit()
    {
        Random random(20240611);
        int rows = 0;
        for (int k = 0; k < 120; ++k) {
            const ScenarioConfig c = randomConfig(random);
            const Scenario s = buildScenario(c);
            const auto& in = std::get<AttentionInputs<float>>(s.inputs);
            const int compared = compareRows(s, in);
            QVERIFY2(compared >= 0, qPrintable(QString("float, config %1: %2")
                                                   .arg(k)
                                                   .arg(QString::fromStdString(
                                                       [&] {
                                                           std::string line;
                                                           for (const auto& a : scenarioOptionArgs(c))
                                                               line += a + ' ';
                                                           return line;
                                                       }()))));
            rows += compared;
            if (c.pitfalls.format == NumberFormat::Native) {
                QVERIFY2(compareRows(s, testing::widened(in)) >= 0, qPrintable(QString("double, config %1").arg(k)));
            }
        }
        QVERIFY(rows > 1000);
    }

    void nanRowsStayNan()
    {
        // A causal mask with left padding leaves rows without an allowed key: NaN under -inf.
        ScenarioConfig c;
        c.seqLen = 7;
        c.causal = true;
        c.validLens = {4};
        c.padSide = PadSide::Left;
        const Scenario s = buildScenario(c);
        Matrix<float> additive;
        additiveMask<float>(s.mask, 0, additive);
        const BoolMatrix allowed = allowedMatrix(s.mask, 0);
        const std::vector<float> logits(7, 0.5f);
        const RowStages<float> row =
            attentionRow<float>(logits.data(), additive.row(0).data(), allowed.row(0).data(), 7, 0, {}, 0.0, 0, RowLab{});
        QVERIFY(!allowed.row(0).any());
        for (float w : row.weights)
            QVERIFY(std::isnan(w));
        RowLab zero;
        zero.blockedRows = BlockedRows::Zero;
        for (float w : attentionRow<float>(logits.data(), additive.row(0).data(), allowed.row(0).data(), 7, 0, {},
                                           0.0, 0, zero).weights)
            QCOMPARE(w, 0.0f);
    }
};

QTEST_APPLESS_MAIN(TestAttentionRow)
#include "tst_attentionrow.moc"
