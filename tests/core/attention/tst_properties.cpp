// SPDX-License-Identifier: MIT
// Property tests: invariants that must hold for every configuration, checked over many random ones.
#include "attention/attention.h"
#include "base/random.h"

#include <QTest>

#include <cmath>
#include <cstring>

using namespace maskscope;

namespace {

struct Sample {
    AttentionInputs<float> inputs;
    MaskSpec mask;
};

Sample randomSample(Random& rng)
{
    const auto pick = [&](int lo, int hi) { return lo + int(rng.nextU64() % std::uint64_t(hi - lo + 1)); };
    const int heads = pick(1, 4);
    const int e = heads * pick(1, 6);
    const int batch = pick(1, 3);
    const int lk = pick(1, 20);
    const int lq = rng.nextU64() % 3 == 0 ? pick(1, 20) : lk;
    SyntheticConfig c;
    c.batch = batch, c.queryLen = lq, c.keyLen = lk, c.dModel = e, c.heads = heads;
    c.seed = rng.nextU64();
    c.selfAttention = lq == lk;
    Sample s;
    s.mask.batch = batch, s.mask.queryLen = lq, s.mask.keyLen = lk;
    s.mask.selfAttention = c.selfAttention;
    s.mask.causal = rng.nextU64() % 2;
    s.mask.padSide = rng.nextU64() % 2 ? PadSide::Left : PadSide::Right;
    if (rng.nextU64() % 3)
        for (int b = 0; b < batch; ++b)
            s.mask.validLens.push_back(pick(0, lk));
    for (int b = 0; b < batch; ++b) {
        const int valid = s.mask.validLens.empty() ? lk : s.mask.validLens[size_t(b)];
        c.keyTokens.push_back(sequenceTokens({}, lk, valid, s.mask.padSide == PadSide::Left));
        c.queryTokens.push_back(c.selfAttention ? c.keyTokens.back() : sequenceTokens({}, lq, lq, false));
    }
    s.inputs = makeSyntheticInputs(c);
    return s;
}

constexpr int kSamples = 300;

} // namespace

class TestProperties : public QObject {
    Q_OBJECT
private slots:
    void causalAllowsExactlyTheKeysUpToTheQuery()
    {
        Random rng(1);
        for (int n = 0; n < kSamples; ++n) {
            Sample s = randomSample(rng);
            s.mask.causal = true;
            s.mask.validLens.clear();
            const BoolMatrix a = allowedMatrix(s.mask, 0);
            for (int i = 0; i < s.mask.queryLen; ++i)
                for (int j = 0; j < s.mask.keyLen; ++j)
                    QCOMPARE(a(i, j), j <= i);
        }
    }
    void paddedKeysGetExactlyZeroAndRowsSumToOne()
    {
        Random rng(2);
        AttentionEngine<float> engine;
        AttentionTrace<float> t;
        for (int n = 0; n < kSamples; ++n) {
            const Sample s = randomSample(rng);
            engine.compute(s.inputs, s.mask, TraceRequest{}, t);
            for (const auto& bt : t.batches)
                for (const auto& h : bt.heads)
                    for (int i = 0; i < s.mask.queryLen; ++i) {
                        if (bt.rowFullyBlocked[size_t(i)]) {
                            QVERIFY(h.weights.row(i).array().isNaN().all());
                            continue;
                        }
                        QVERIFY(std::fabs(h.weights.row(i).sum() - 1.0f) <= 1e-6f);
                        for (int j = 0; j < s.mask.keyLen; ++j)
                            if (!bt.allowed(i, j))
                                QCOMPARE(h.weights(i, j), 0.0f); // padded or future: exactly 0
                            else
                                QVERIFY(h.weights(i, j) >= 0.0f);
                    }
        }
    }
    void maskedLogitsAreLogitsPlusMask()
    {
        Random rng(3);
        AttentionEngine<float> engine;
        AttentionTrace<float> t;
        for (int n = 0; n < kSamples / 3; ++n) {
            const Sample s = randomSample(rng);
            engine.compute(s.inputs, s.mask, TraceRequest{}, t);
            for (const auto& bt : t.batches)
                for (const auto& h : bt.heads) {
                    const Matrix<float> sum = h.logits + bt.additiveMask;
                    QVERIFY(std::memcmp(sum.data(), h.maskedLogits.data(), sizeof(float) * size_t(sum.size())) == 0);
                }
        }
    }
    void sameSeedGivesBitIdenticalResults()
    {
        Random a(4), b(4);
        AttentionEngine<float> e1, e2;
        AttentionTrace<float> t1, t2;
        for (int n = 0; n < kSamples / 3; ++n) {
            const Sample s1 = randomSample(a), s2 = randomSample(b);
            e1.compute(s1.inputs, s1.mask, TraceRequest{}, t1);
            e2.compute(s2.inputs, s2.mask, TraceRequest{}, t2);
            for (size_t k = 0; k < t1.batches.size(); ++k) {
                const auto& o1 = t1.batches[k].output;
                const auto& o2 = t2.batches[k].output;
                QVERIFY(std::memcmp(o1.data(), o2.data(), sizeof(float) * size_t(o1.size())) == 0);
                for (size_t h = 0; h < t1.batches[k].heads.size(); ++h) {
                    const auto& w1 = t1.batches[k].heads[h].weights;
                    const auto& w2 = t2.batches[k].heads[h].weights;
                    QVERIFY(std::memcmp(w1.data(), w2.data(), sizeof(float) * size_t(w1.size())) == 0);
                }
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestProperties)
#include "tst_properties.moc"
