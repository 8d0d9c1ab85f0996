// SPDX-License-Identifier: MIT
#include "scenario/inputs.h"

#include <QTest>

#include <cmath>
#include <cstring>

using namespace maskscope;

namespace {

SyntheticConfig config(int lq, int lk, int e, int heads, std::uint64_t seed)
{
    SyntheticConfig c;
    c.queryLen = lq;
    c.keyLen = lk;
    c.dModel = e;
    c.heads = heads;
    c.seed = seed;
    c.selfAttention = lq == lk;
    const auto words = splitTokens("the cat sat on the mat");
    c.queryTokens = {sequenceTokens(words, lq, lq, false)};
    c.keyTokens = {sequenceTokens(words, lk, lk, false)};
    return c;
}

bool sameBits(const Matrix<float>& a, const Matrix<float>& b)
{
    return a.rows() == b.rows() && a.cols() == b.cols() &&
           std::memcmp(a.data(), b.data(), sizeof(float) * size_t(a.size())) == 0;
}

} // namespace

class TestInputs : public QObject {
    Q_OBJECT
private slots:
    void splitsOnWhitespace()
    {
        QCOMPARE(splitTokens("  a b\tc\n d "), (std::vector<std::string>{"a", "b", "c", "d"}));
        QVERIFY(splitTokens("   ").empty());
        QCOMPARE(splitTokens("我 爱 北京").size(), size_t(3));
    }
    void sequenceTokensPadAndRepeat()
    {
        const std::vector<std::string> w{"a", "b", "c"};
        QCOMPARE(sequenceTokens(w, 5, 5, false), (std::vector<std::string>{"a", "b", "c", "a", "b"}));
        QCOMPARE(sequenceTokens(w, 4, 2, false), (std::vector<std::string>{"a", "b", "<pad>", "<pad>"}));
        QCOMPARE(sequenceTokens(w, 4, 2, true), (std::vector<std::string>{"<pad>", "<pad>", "a", "b"}));
        QCOMPARE(sequenceTokens({}, 2, 2, false).front(), std::string("the")); // default sentence
    }
    void embeddingIsTokenVectorPlusSinusoid()
    {
        const int d = 16;
        std::vector<float> at0(d), at5(d), other(d);
        embedToken("cat", 0, 1, at0.data(), d);
        embedToken("cat", 5, 1, at5.data(), d);
        embedToken("dog", 0, 1, other.data(), d);
        for (int k = 0; k < d; ++k) {
            const double rate = std::pow(10000.0, -double(k - k % 2) / d);
            const double pe0 = k % 2 ? 1.0 : 0.0;
            const double pe5 = k % 2 ? std::cos(5 * rate) : std::sin(5 * rate);
            // The same word at two positions differs only by the position encoding.
            QVERIFY(std::fabs((at0[k] - pe0) - (at5[k] - pe5)) < 1e-5);
        }
        QVERIFY(std::memcmp(at0.data(), other.data(), sizeof(float) * d) != 0);
    }
    void sequenceRowsAreBitForBitTheTokensEmbeddings()
    {
        // The sequence draws each distinct word's noise once; the numbers must not change.
        const SyntheticConfig c = config(40, 40, 24, 4, 7);
        const AttentionInputs<float> in = makeSyntheticInputs(c);
        std::vector<float> row(24);
        for (int i = 0; i < 40; ++i) {
            embedToken(c.queryTokens.front()[static_cast<size_t>(i)], i, 7, row.data(), 24);
            QVERIFY(std::memcmp(row.data(), in.query.front().row(i).data(), sizeof(float) * 24) == 0);
        }
    }
    void parametersFollowPyTorchInitialisation()
    {
        const AttentionInputs<float> in = makeSyntheticInputs(config(6, 6, 32, 4, 9));
        in.validate();
        const double xavier = std::sqrt(6.0 / (32 + 96));
        QVERIFY(in.inProjWeight.cwiseAbs().maxCoeff() <= xavier);
        QVERIFY(in.inProjWeight.cwiseAbs().maxCoeff() > 0.9 * xavier);
        QVERIFY(in.outProjWeight.cwiseAbs().maxCoeff() <= 1.0 / std::sqrt(32.0));
        QVERIFY(in.inProjBias.isZero() && in.outProjBias.isZero());
        const double var = in.inProjWeight.array().square().mean();
        QVERIFY(std::fabs(var - xavier * xavier / 3) < 0.1 * xavier * xavier / 3);
    }
    void sameSeedIsBitIdenticalAndSeedsDiffer()
    {
        const auto a = makeSyntheticInputs(config(5, 5, 16, 2, 123));
        const auto b = makeSyntheticInputs(config(5, 5, 16, 2, 123));
        const auto c = makeSyntheticInputs(config(5, 5, 16, 2, 124));
        QVERIFY(sameBits(a.query[0], b.query[0]) && sameBits(a.inProjWeight, b.inProjWeight));
        QVERIFY(!sameBits(a.query[0], c.query[0]) && !sameBits(a.inProjWeight, c.inProjWeight));
    }
    void firstWeightIsTheFirstPrinciplesValue()
    {
        // Portability anchor: the parameter stream is SplitMix64 seeded by mixSeeds(seed, "PARMS"),
        // and a weight is -b + 2b * (top 24 bits / 2^24). Any change to the generator shows here.
        const auto in = makeSyntheticInputs(config(2, 2, 4, 1, 0));
        const double bound = std::sqrt(6.0 / 16.0);
        const float w = in.inProjWeight(0, 0);
        const double steps = std::round((w + bound) / (2 * bound) * 16777216.0);
        QCOMPARE(w, float(-bound + 2 * bound * (steps / 16777216.0))); // a 24-bit grid point
    }
    void crossAttentionHasItsOwnKeys()
    {
        const auto in = makeSyntheticInputs(config(3, 7, 8, 2, 1));
        QCOMPARE(in.queryLen(), 3);
        QCOMPARE(in.keyLen(), 7);
        in.validate();
    }
    void validateRejectsBadShapes()
    {
        auto in = makeSyntheticInputs(config(3, 3, 8, 2, 1));
        in.heads = 3;
        QVERIFY_THROWS_EXCEPTION(InputError, in.validate());
        in.heads = 2;
        in.outProjBias.resize(7);
        QVERIFY_THROWS_EXCEPTION(InputError, in.validate());
    }
};

QTEST_APPLESS_MAIN(TestInputs)
#include "tst_inputs.moc"
