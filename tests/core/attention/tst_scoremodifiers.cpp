// SPDX-License-Identifier: MIT
// ALiBi slopes against the paper, soft-capping bounds, and the engine's scores stage.
#include "attention/attention.h"
#include "maskreference.h"
#include "reference.h"
#include "synthcase.h"

#include <QTest>

#include <cmath>
#include <cstring>

using namespace maskscope;
using namespace maskscope::testing;

namespace {

AttentionInputs<float> inputsFor(const MaskSpec& s, int heads, int dModel, std::uint64_t seed)
{
    SyntheticConfig c;
    c.batch = s.batch, c.queryLen = s.queryLen, c.keyLen = s.keyLen, c.heads = heads, c.dModel = dModel;
    c.seed = seed;
    c.selfAttention = s.selfAttention;
    for (int b = 0; b < s.batch; ++b) {
        c.keyTokens.push_back(sequenceTokens({}, s.keyLen, s.keyLen, false));
        c.queryTokens.push_back(sequenceTokens({}, s.queryLen, s.queryLen, false));
    }
    return makeSyntheticInputs(c);
}

std::vector<long double> softmaxOf(const std::vector<long double>& row)
{
    return softmax(row);
}

} // namespace

class TestScoreModifiers : public QObject {
    Q_OBJECT
private slots:
    void slopesForEightHeadsAreThePapers()
    {
        // Press et al. 2022, section 3: "for 8 heads, the slopes are 1/2^1, 1/2^2, ..., 1/2^8".
        const std::vector<double> s = alibiSlopes(8);
        QCOMPARE(s.size(), size_t(8));
        for (int k = 0; k < 8; ++k)
            QCOMPARE(s[size_t(k)], 1.0 / double(2 << k));
    }
    void slopesForTwelveHeadsInterpolate()
    {
        // The authors' get_slopes(12): get_slopes(8) + get_slopes(16)[0::2][:4], as printed by
        // their Python code.
        const double expected[] = {0.5, 0.25, 0.125, 0.0625, 0.03125, 0.015625, 0.0078125,
                                   0.00390625, 0.7071067811865476, 0.35355339059327373,
                                   0.17677669529663687, 0.08838834764831843};
        const std::vector<double> s = alibiSlopes(12);
        QCOMPARE(s.size(), size_t(12));
        for (size_t k = 0; k < 12; ++k)
            QVERIFY2(std::fabs(s[k] - expected[k]) <= 1e-15 * expected[k], qPrintable(QString::number(k)));
    }
    void slopesForOtherCounts()
    {
        QCOMPARE(alibiSlopes(1), std::vector<double>{1.0 / 256});
        QCOMPARE(alibiSlopes(3), (std::vector<double>{1.0 / 16, 1.0 / 256, 0.25}));
        const std::vector<double> s16 = alibiSlopes(16);
        for (int k = 1; k <= 16; ++k)
            QVERIFY(std::fabs(s16[size_t(k - 1)] - std::pow(2.0, -k / 2.0)) < 1e-15);
        for (const int h : {5, 6, 7, 20, 24, 40})
            QCOMPARE(alibiSlopes(h).size(), size_t(h));
    }
    void softcapStaysWithinTheCapAndIsNearIdentityForSmallScores()
    {
        Random rng(51);
        ScoreModifiers m;
        m.softcap = 50.0;
        Matrix<float> logits(16, 16), scores;
        for (int k = 0; k < logits.size(); ++k)
            logits.data()[k] = float(rng.uniform(-1e4, 1e4));
        logits(0, 0) = 0.01f;
        applyScoreModifiers(m, 0.0, 0, logits, scores);
        for (int k = 0; k < scores.size(); ++k) {
            QVERIFY(std::fabs(scores.data()[k]) <= 50.0f);
            QVERIFY(std::signbit(scores.data()[k]) == std::signbit(logits.data()[k]));
        }
        QVERIFY(std::fabs(scores(0, 0) - 0.01f) < 1e-7f);
        // Monotonic: capping never reorders two scores.
        for (int k = 1; k < scores.size(); ++k)
            if (logits.data()[k] > logits.data()[k - 1])
                QVERIFY(scores.data()[k] >= scores.data()[k - 1]);
        ScoreModifiers bad;
        bad.softcap = 0.0;
        QVERIFY_THROWS_EXCEPTION(InputError, bad.validate());
        bad.softcap = std::nan("");
        QVERIFY_THROWS_EXCEPTION(InputError, bad.validate());
    }
    void alibiBiasIsMinusSlopeTimesDistance()
    {
        QCOMPARE(alibiBias(0.5, 7, 3), -2.0);
        QCOMPARE(alibiBias(0.5, 3, 7), -2.0);  // symmetric where the mask is not causal
        QCOMPARE(alibiBias(0.25, 4, 4), 0.0);
    }
    void engineKeepsLogitsRawAndMasksTheScores()
    {
        Random rng(52);
        for (int n = 0; n < 60; ++n) {
            MaskSpec s = randomMaskSpec(rng, {12, false});
            const int heads = pick(rng, 1, 6);
            const AttentionInputs<float> in = inputsFor(s, heads, heads * 4, rng.nextU64());
            ScoreModifiers m;
            m.alibi = chance(rng, 70);
            if (!m.alibi || chance(rng, 50))
                m.softcap = rng.uniform(0.5, 5.0);
            AttentionEngine<float> plain, modified;
            AttentionTrace<float> p, t;
            plain.compute(in, s, TraceRequest{}, p);
            modified.compute(in, s, m, TraceRequest{}, t);
            const std::vector<double> slopes = alibiSlopes(heads);
            const long long shift = alignedQueryOffset(s);
            for (size_t b = 0; b < t.batches.size(); ++b)
                for (size_t h = 0; h < t.batches[b].heads.size(); ++h) {
                    const HeadTrace<float>& mh = t.batches[b].heads[h];
                    const HeadTrace<float>& ph = p.batches[b].heads[h];
                    QVERIFY(ph.scores.size() == 0); // no modifier, no scores matrix
                    QVERIFY(std::memcmp(mh.logits.data(), ph.logits.data(), sizeof(float) * size_t(mh.logits.size())) == 0);
                    const Matrix<float> masked = mh.scores + t.batches[b].additiveMask;
                    QVERIFY(std::memcmp(masked.data(), mh.maskedLogits.data(), sizeof(float) * size_t(masked.size())) == 0);
                    for (int i = 0; i < s.queryLen; ++i) {
                        std::vector<long double> row;
                        for (int j = 0; j < s.keyLen; ++j) {
                            long double v = mh.logits(i, j);
                            if (m.alibi)
                                v += alibiBias(slopes[h], i + shift, j);
                            if (m.softcap)
                                v = *m.softcap * std::tanh(v / *m.softcap);
                            QVERIFY(std::fabs(double(v - mh.scores(i, j))) <= 1e-5 * (1 + std::fabs(double(v))));
                            row.push_back(v + (long double)t.batches[b].additiveMask(i, j));
                        }
                        if (t.batches[b].rowFullyBlocked[size_t(i)])
                            continue;
                        const std::vector<long double> w = softmaxOf(row);
                        for (int j = 0; j < s.keyLen; ++j)
                            QVERIFY(std::fabs(double(w[size_t(j)] - mh.weights(i, j))) < 2e-6);
                    }
                }
        }
    }
    void causalAlibiGivesHuggingFaceBloomWeights()
    {
        // BLOOM adds +slope * j; under a causal mask that differs from -slope * (i - j) by a
        // constant per row, so the softmax weights agree.
        MaskSpec s;
        s.queryLen = s.keyLen = 10;
        s.causal = true;
        const AttentionInputs<float> in = inputsFor(s, 4, 16, 7);
        ScoreModifiers m;
        m.alibi = true;
        AttentionEngine<float> engine;
        AttentionTrace<float> t;
        engine.compute(in, s, m, TraceRequest{}, t);
        const std::vector<double> slopes = alibiSlopes(4);
        for (size_t h = 0; h < 4; ++h) {
            const HeadTrace<float>& ht = t.batches[0].heads[h];
            for (int i = 0; i < 10; ++i) {
                std::vector<long double> row;
                for (int j = 0; j < 10; ++j)
                    row.push_back(j <= i ? (long double)ht.logits(i, j) + slopes[h] * j
                                         : -std::numeric_limits<long double>::infinity());
                const std::vector<long double> w = softmaxOf(row);
                for (int j = 0; j < 10; ++j)
                    QVERIFY(std::fabs(double(w[size_t(j)] - ht.weights(i, j))) < 1e-6);
            }
        }
    }
    void scoresCanBeDroppedFromTheRequest()
    {
        MaskSpec s;
        const AttentionInputs<float> in = inputsFor(s, 2, 8, 3);
        ScoreModifiers m;
        m.softcap = 1.0;
        TraceRequest r;
        r.scores = false;
        AttentionEngine<float> engine;
        AttentionTrace<float> t, full;
        engine.compute(in, s, m, r, t);
        engine.compute(in, s, m, TraceRequest{}, full);
        QCOMPARE(t.batches[0].heads[0].scores.size(), Eigen::Index(0));
        QVERIFY(t.batches[0].heads[0].maskedLogits == full.batches[0].heads[0].maskedLogits);
        QVERIFY(t.batches[0].heads[0].maskedLogits.cwiseAbs().maxCoeff() <= 1.0f);
        TraceRequest onlyWeights;
        onlyWeights.logits = onlyWeights.scores = onlyWeights.maskedLogits = false;
        engine.compute(in, s, m, onlyWeights, t);
        QVERIFY(t.batches[0].heads[1].weights == full.batches[0].heads[1].weights);
        QVERIFY(traceBytes(1, 2, 8, 8, 8, TraceRequest{}, 4, true) >
                traceBytes(1, 2, 8, 8, 8, TraceRequest{}, 4, false));
    }
    void sinkLogitWeightsFollowTheFormula()
    {
        // weights = exp(s_j - m) / (sum_k exp(s_k - m) + exp(X - m)), m = max(X, max_k s_k),
        // from the engine's own masked logits; rows without an allowed key (-inf) come out 0.
        Random rng(53);
        for (int n = 0; n < 80; ++n) {
            MaskSpec s = randomMaskSpec(rng, {12, false});
            const int heads = pick(rng, 1, 4);
            const AttentionInputs<double> in = widened(inputsFor(s, heads, heads * 4, rng.nextU64()));
            ScoreModifiers m;
            for (int k = chance(rng, 50) ? 1 : heads; k > 0; --k)
                m.sinkLogits.push_back(rng.uniform(-4, 4));
            m.alibi = chance(rng, 30);
            AttentionEngine<double> engine;
            AttentionTrace<double> t;
            engine.compute(in, s, m, TraceRequest{}, t);
            for (const BatchTrace<double>& bt : t.batches)
                for (const HeadTrace<double>& h : bt.heads) {
                    const long double x = m.sinkLogits.size() == 1 ? m.sinkLogits[0] : m.sinkLogits[size_t(h.head)];
                    for (int i = 0; i < s.queryLen; ++i) {
                        long double top = x, sum = 0;
                        for (int j = 0; j < s.keyLen; ++j)
                            top = std::max<long double>(top, h.maskedLogits(i, j));
                        for (int j = 0; j < s.keyLen; ++j)
                            sum += std::exp((long double)h.maskedLogits(i, j) - top);
                        const long double denominator = sum + std::exp(x - top);
                        double total = 0;
                        for (int j = 0; j < s.keyLen; ++j) {
                            const long double w = std::exp((long double)h.maskedLogits(i, j) - top) / denominator;
                            QVERIFY(!std::isnan(h.weights(i, j)));
                            QVERIFY(std::fabs(double(w) - h.weights(i, j)) < 1e-12);
                            total += h.weights(i, j);
                        }
                        QVERIFY(total <= 1.0);
                        if (bt.rowFullyBlocked[size_t(i)] && s.fill.kind == Fill::Kind::NegInf)
                            QCOMPARE(total, 0.0);
                    }
                }
        }
    }
    void sinkLogitTurnsRowsWithoutKeysIntoZeros()
    {
        MaskSpec s;
        s.keyLen = s.queryLen = 6, s.causal = true, s.validLens = {2}, s.padSide = PadSide::Left;
        const AttentionInputs<float> in = inputsFor(s, 2, 8, 9);
        ScoreModifiers m;
        m.sinkLogits = {0.5};
        AttentionEngine<float> engine;
        AttentionTrace<float> plain, sunk;
        engine.compute(in, s, TraceRequest{}, plain);
        engine.compute(in, s, m, TraceRequest{}, sunk);
        const BatchTrace<float>& p = plain.batches[0];
        const BatchTrace<float>& k = sunk.batches[0];
        QVERIFY(p.rowFullyBlocked[0] && !p.rowFullyBlocked[5]);
        QCOMPARE(p.blockedRowOutcomes[0], BlockedRowOutcome::Nan);
        QCOMPARE(k.blockedRowOutcomes[0], BlockedRowOutcome::Zero);
        QVERIFY(std::isnan(p.heads[0].weights(0, 0)));
        QCOMPARE(k.heads[0].weights.row(0).cwiseAbs().maxCoeff(), 0.0f);
        QVERIFY(k.heads[1].weights.row(5).sum() < 1.0f);
        QVERIFY(k.heads[1].weights.row(5).sum() > 0.0f);
    }
    void sinkLogitsNeedOneOrOnePerHead()
    {
        ScoreModifiers m;
        m.sinkLogits = {1, 2, 3};
        QVERIFY_THROWS_EXCEPTION(InputError, m.validate(2));
        m.validate(3);
        QCOMPARE(*m.sinkLogit(2), 3.0);
        m.sinkLogits = {1.5};
        QCOMPARE(*m.sinkLogit(5), 1.5);
        m.sinkLogits = {std::nan("")};
        QVERIFY_THROWS_EXCEPTION(InputError, m.validate());
    }
};

QTEST_APPLESS_MAIN(TestScoreModifiers)
#include "tst_scoremodifiers.moc"
