// SPDX-License-Identifier: MIT
// The exact grid counts behind the long-context raster: every rectangle's count equals a brute
// force count over the materialised allowed matrix, for random rules, grids and viewports.
#include "mask/maskgrid.h"
#include "maskreference.h"

#include <QTest>

using namespace maskscope;
using namespace maskscope::testing;

namespace {

std::vector<int> randomEdges(Random& rng, int length)
{
    std::vector<int> inner;
    for (int p = 1; p < length; ++p)
        if (chance(rng, 35))
            inner.push_back(p);
    const int begin = chance(rng, 30) ? pick(rng, 0, length - 1) : 0;
    std::vector<int> edges{begin};
    for (const int p : inner)
        if (p > begin)
            edges.push_back(p);
    const int end = chance(rng, 30) ? pick(rng, edges.back() + 1, length) : length;
    while (edges.size() > 1 && edges.back() >= end)
        edges.pop_back();
    edges.push_back(end);
    return edges;
}

std::int64_t bruteCount(const BoolMatrix& a, IndexRange rows, IndexRange cols)
{
    return a.block(rows.begin, cols.begin, rows.size(), cols.size()).count();
}

} // namespace

class TestMaskGrid : public QObject {
    Q_OBJECT
private slots:
    void gridCountsEqualBruteForce()
    {
        Random rng(31);
        for (int n = 0; n < 3000; ++n) {
            const MaskSpec s = randomMaskSpec(rng, {40, true});
            const int b = pick(rng, 0, s.batch - 1);
            const std::vector<int> rows = randomEdges(rng, s.queryLen), cols = randomEdges(rng, s.keyLen);
            const std::vector<std::int64_t> counts = countAllowedInGrid(s, b, rows, cols);
            const BoolMatrix a = allowedMatrix(s, b);
            const size_t w = cols.size() - 1;
            for (size_t y = 0; y + 1 < rows.size(); ++y)
                for (size_t x = 0; x < w; ++x)
                    if (counts[y * w + x] != bruteCount(a, {rows[y], rows[y + 1]}, {cols[x], cols[x + 1]}))
                        QFAIL(qPrintable(QString("sample %1 rect (%2, %3)").arg(n).arg(y).arg(x)));
        }
    }
    void dilatedRowsOverWideBinsAreExact()
    {
        // The Fenwick sweep of dilated rows, over bins wider and narrower than the dilation.
        Random rng(32);
        for (int n = 0; n < 600; ++n) {
            MaskSpec s;
            s.keyLen = pick(rng, 20, 120);
            s.queryLen = chance(rng, 50) ? s.keyLen : pick(rng, 20, 120);
            s.selfAttention = s.queryLen == s.keyLen;
            s.causal = chance(rng, 50);
            s.rules.causalAlign = chance(rng, 50) ? CausalAlign::BottomRight : CausalAlign::TopLeft;
            s.rules.dilation = pick(rng, 2, 9);
            s.rules.windowLeft = chance(rng, 50) ? -1 : pick(rng, 0, 80);
            s.rules.globalTokens = chance(rng, 30) ? pick(rng, 1, 4) : 0;
            const int bins = pick(rng, 1, 12);
            std::vector<int> cols;
            for (int k = 0; k <= bins; ++k)
                cols.push_back(int((long long)k * s.keyLen / bins));
            cols.erase(std::unique(cols.begin(), cols.end()), cols.end());
            const std::vector<int> rows{0, s.queryLen / 2 + 1, s.queryLen};
            const auto counts = countAllowedInGrid(s, 0, rows, cols);
            const BoolMatrix a = allowedMatrix(s, 0);
            const size_t w = cols.size() - 1;
            for (size_t y = 0; y < 2; ++y)
                for (size_t x = 0; x < w; ++x)
                    QCOMPARE(counts[y * w + x], bruteCount(a, {rows[y], rows[y + 1]}, {cols[x], cols[x + 1]}));
        }
    }
    void rasterCoversTheViewportAndCountsExactly()
    {
        Random rng(33);
        for (int n = 0; n < 1500; ++n) {
            const MaskSpec s = randomMaskSpec(rng, {40, true});
            const int r0 = pick(rng, 0, s.queryLen - 1), r1 = pick(rng, r0 + 1, s.queryLen);
            const int c0 = pick(rng, 0, s.keyLen - 1), c1 = pick(rng, c0 + 1, s.keyLen);
            const int width = pick(rng, 1, 60), height = pick(rng, 1, 60);
            const AllowedRaster r = rasterizeAllowed(s, 0, {r0, r1}, {c0, c1}, width, height);
            const BoolMatrix a = allowedMatrix(s, 0);
            QCOMPARE(r.rowEdges.front(), r0);
            QCOMPARE(r.rowEdges.back(), r1);
            QCOMPARE(r.colEdges.front(), c0);
            QCOMPARE(r.colEdges.back(), c1);
            QCOMPARE(r.gridRows(), std::min(r1 - r0, height));
            QCOMPARE(r.gridCols(), std::min(c1 - c0, width));
            for (int y = 0; y < height; ++y)
                for (int x = 0; x < width; ++x) {
                    const IndexRange rows = r.rowsOfPixel(y), cols = r.colsOfPixel(x);
                    const std::int64_t n = bruteCount(a, rows, cols);
                    QCOMPARE(r.allowedCells(x, y), n);
                    const std::int64_t area = std::int64_t(rows.size()) * cols.size();
                    QCOMPARE(r.coverage(x, y), float(double(n) / double(area)));
                    const Coverage expected = n == 0 ? Coverage::AllBlocked
                                              : n == area ? Coverage::AllAllowed : Coverage::Mixed;
                    QCOMPARE(r.state(x, y), expected);
                }
            // Pixels tile the viewport in order: each grid band is shown by at least one pixel.
            for (int y = 1; y < height; ++y)
                QVERIFY(r.gridRowOfPixel[size_t(y)] - r.gridRowOfPixel[size_t(y - 1)] <= 1);
            QCOMPARE(r.gridRowOfPixel.back(), r.gridRows() - 1);
            QCOMPARE(r.gridColOfPixel.back(), r.gridCols() - 1);
        }
    }
    void zoomedToSingleCellsShowsTheCells()
    {
        MaskSpec s;
        s.queryLen = s.keyLen = 131072;
        s.causal = true;
        const AllowedRaster r = rasterizeAllowed(s, 0, {1000, 1004}, {1001, 1005}, 400, 400);
        QCOMPARE(r.gridRows(), 4);
        QCOMPARE(r.gridCols(), 4);
        QCOMPARE(r.state(0, 0), Coverage::AllBlocked);    // cell (1000, 1001): future
        QCOMPARE(r.state(0, 399), Coverage::AllAllowed);  // cell (1003, 1001)
        QCOMPARE(r.rowsOfPixel(150), (IndexRange{1001, 1002}));
    }
    void badViewportsAreRefused()
    {
        MaskSpec s;
        QVERIFY_THROWS_EXCEPTION(InputError, rasterizeAllowed(s, 0, {0, 9}, {0, 8}, 10, 10));
        QVERIFY_THROWS_EXCEPTION(InputError, rasterizeAllowed(s, 0, {3, 3}, {0, 8}, 10, 10));
        QVERIFY_THROWS_EXCEPTION(InputError, rasterizeAllowed(s, 0, {0, 8}, {0, 8}, 0, 10));
        QVERIFY_THROWS_EXCEPTION(InputError, countAllowedInGrid(s, 0, {0, 4, 4, 8}, {0, 8}));
    }
};

QTEST_APPLESS_MAIN(TestMaskGrid)
#include "tst_maskgrid.moc"
