// SPDX-License-Identifier: MIT
// Block sparsity against a brute-force count over the materialised allowed matrix.
#include "mask/blocksparsity.h"
#include "maskreference.h"

#include <QTest>

using namespace maskscope;
using namespace maskscope::testing;

namespace {

struct Brute {
    std::int64_t full = 0, partial = 0, empty = 0, computed = 0, allowed = 0;
    std::vector<TileClass> classes;
};

Brute bruteForce(const BoolMatrix& a, int block)
{
    Brute r;
    for (int i0 = 0; i0 < a.rows(); i0 += block)
        for (int j0 = 0; j0 < a.cols(); j0 += block) {
            const int h = std::min<int>(block, int(a.rows()) - i0), w = std::min<int>(block, int(a.cols()) - j0);
            const std::int64_t n = a.block(i0, j0, h, w).count();
            r.allowed += n;
            if (n == 0) {
                ++r.empty;
                r.classes.push_back(TileClass::Empty);
                continue;
            }
            r.computed += std::int64_t(h) * w;
            const bool full = n == std::int64_t(h) * w;
            ++(full ? r.full : r.partial);
            r.classes.push_back(full ? TileClass::Full : TileClass::Partial);
        }
    return r;
}

} // namespace

class TestBlockSparsity : public QObject {
    Q_OBJECT
private slots:
    void countsEqualBruteForce()
    {
        Random rng(41);
        for (int n = 0; n < 3000; ++n) {
            const MaskSpec s = randomMaskSpec(rng, {70, true});
            const int block = chance(rng, 20) ? 16 : pick(rng, 1, 9);
            const int b = pick(rng, 0, s.batch - 1);
            const BlockSparsity bs = blockSparsity(s, b, block);
            const Brute expected = bruteForce(allowedMatrix(s, b), block);
            QCOMPARE(bs.fullTiles, expected.full);
            QCOMPARE(bs.partialTiles, expected.partial);
            QCOMPARE(bs.emptyTiles, expected.empty);
            QCOMPARE(bs.computedCells, expected.computed);
            QCOMPARE(bs.allowedCells, expected.allowed);
            QCOMPARE(bs.tiles(), bs.fullTiles + bs.partialTiles + bs.emptyTiles);
            QCOMPARE(bs.denseCells, std::int64_t(s.queryLen) * s.keyLen);
            const std::vector<TileClass> classes =
                classifyTiles(s, b, block, {0, bs.tileRows}, {0, bs.tileCols});
            QVERIFY(classes == expected.classes);
        }
    }
    void causalFiguresMatchTheTriangle()
    {
        // L = 1024, B = 128: 8 x 8 tiles, 8 diagonal tiles partial, 28 full, 28 empty.
        MaskSpec s;
        s.queryLen = s.keyLen = 1024;
        s.causal = true;
        const BlockSparsity bs = blockSparsity(s, 0, 128);
        QCOMPARE(bs.partialTiles, std::int64_t(8));
        QCOMPARE(bs.fullTiles, std::int64_t(28));
        QCOMPARE(bs.emptyTiles, std::int64_t(28));
        QCOMPARE(bs.skippedTileFraction(), 28.0 / 64.0);
        QCOMPARE(bs.flopsSavedFraction(), 28.0 / 64.0);
        QCOMPARE(bs.allowedCells, std::int64_t(1024) * 1025 / 2);
        QCOMPARE(bs.denseFlops(64, 8), 4.0 * 64 * 8 * 1024 * 1024);
        QCOMPARE(bs.blockSparseFlops(64, 8), 4.0 * 64 * 8 * 36 * 128 * 128);
    }
    void aSubRangeOfTilesIsClassifiedAlone()
    {
        MaskSpec s;
        s.queryLen = s.keyLen = 1000;
        s.causal = true;
        s.rules.windowLeft = 100;
        const auto all = classifyTiles(s, 0, 16, {0, 63}, {0, 63});
        const auto part = classifyTiles(s, 0, 16, {10, 20}, {5, 15});
        for (int y = 0; y < 10; ++y)
            for (int x = 0; x < 10; ++x)
                QCOMPARE(part[size_t(y * 10 + x)], all[size_t((y + 10) * 63 + x + 5)]);
    }
    void badBlockIsRefused()
    {
        MaskSpec s;
        QVERIFY_THROWS_EXCEPTION(InputError, blockSparsity(s, 0, 0));
        QVERIFY_THROWS_EXCEPTION(InputError, classifyTiles(s, 0, 4, {0, 3}, {0, 2}));
    }
};

QTEST_APPLESS_MAIN(TestBlockSparsity)
#include "tst_blocksparsity.moc"
