// SPDX-License-Identifier: MIT
#include "base/random.h"

#include <QTest>

#include <cmath>
#include <set>

using namespace maskscope;

class TestRandom : public QObject {
    Q_OBJECT
private slots:
    void splitMix64MatchesPublishedSequence()
    {
        // Reference values of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
        Random r(0);
        QCOMPARE(r.nextU64(), 0xE220A8397B1DCDAFull);
        QCOMPARE(r.nextU64(), 0x6E789E6AA1B965F4ull);
        QCOMPARE(r.nextU64(), 0x06C45D188009454Full);
    }
    void uniformIsIn01AndUses24Bits()
    {
        Random r(7);
        for (int i = 0; i < 10000; ++i) {
            const double u = r.uniform01();
            QVERIFY(u >= 0.0 && u < 1.0);
            QCOMPARE(double(float(u)), u); // exact in float
            QCOMPARE(std::ldexp(u, 24), std::floor(std::ldexp(u, 24)));
        }
    }
    void uniformFloatsAreTheSuccessiveUniforms()
    {
        Random one(42), block(42);
        std::vector<float> drawn(1001);
        block.uniformFloats(-0.3, 0.7, drawn.data(), drawn.size());
        for (float v : drawn)
            QCOMPARE(v, static_cast<float>(one.uniform(-0.3, 0.7)));
        QCOMPARE(block.nextU64(), one.nextU64()); // and the stream goes on from the same place
    }
    void uniformRangeHasTheRightMoments()
    {
        Random r(3);
        double sum = 0, sq = 0;
        const int n = 200000;
        for (int i = 0; i < n; ++i) {
            const double u = r.uniform(-2.0, 2.0);
            QVERIFY(u >= -2.0 && u < 2.0);
            sum += u, sq += u * u;
        }
        QVERIFY(std::fabs(sum / n) < 0.02);
        QVERIFY(std::fabs(sq / n - 4.0 / 3.0) < 0.02); // variance of U(-a, a) is a^2/3
    }
    void normalHasUnitVariance()
    {
        Random r(11);
        double sum = 0, sq = 0;
        const int n = 200000;
        for (int i = 0; i < n; ++i) {
            const double x = r.normal();
            QVERIFY(x >= -6.0 && x <= 6.0);
            sum += x, sq += x * x;
        }
        QVERIFY(std::fabs(sum / n) < 0.01);
        QVERIFY(std::fabs(sq / n - 1.0) < 0.02);
    }
    void sameSeedSameStreamDifferentSeedDifferentStream()
    {
        Random a(42), b(42), c(43);
        bool differs = false;
        for (int i = 0; i < 100; ++i) {
            const auto x = a.nextU64();
            QCOMPARE(x, b.nextU64());
            differs |= x != c.nextU64();
        }
        QVERIFY(differs);
    }
    void fnv1aMatchesPublishedValues()
    {
        QCOMPARE(hashText(""), 0xCBF29CE484222325ull);
        QCOMPARE(hashText("a"), 0xAF63DC4C8601EC8Cull);
        QCOMPARE(hashText("foobar"), 0x85944171F73967E8ull);
    }
    void mixSeedsDependsOnOrder()
    {
        std::set<std::uint64_t> seen{mixSeeds(1, 2), mixSeeds(2, 1), mixSeeds(1, 3), mixSeeds(0, 0)};
        QCOMPARE(seen.size(), size_t(4));
    }
};

QTEST_APPLESS_MAIN(TestRandom)
#include "tst_random.moc"
