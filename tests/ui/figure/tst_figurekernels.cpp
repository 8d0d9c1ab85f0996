// SPDX-License-Identifier: MIT
// The figure kernels of every level this processor runs (figurekernels.h): each gives, pixel for
// pixel, what the figure's definitions say — cellColor for a cell's colour, the pixel centre's
// cell and the hatching rule for the rasteriser, the channel bytes for PNG packing — over
// sample sets that reach every state, both ends of the scales, NaN and infinite values, and
// widths that are not multiples of any vector length.
#include "base/random.h"
#include "figure/colormap.h"
#include "figure/figurekernels.h"

#include <QTest>

#include <algorithm>

#include <cmath>
#include <limits>

using namespace maskscope;
using namespace maskscope::ui;

namespace {

constexpr CellState kStates[] = {CellState::Value, CellState::Blocked, CellState::NaN, CellState::NegInf,
                                 CellState::PosInf};

// A row of `n` cells: mostly values spread over and beyond [lo, hi], with every state and the
// values that sit on the scale's edges, the table's rounding points, NaN and infinities.
Heatmap sampleRow(ColorScale scale, double lo, double hi, int n, std::uint64_t seed)
{
    Heatmap map;
    map.rows = 1;
    map.cols = n;
    map.scale = scale;
    map.lo = lo;
    map.hi = hi;
    Random random(seed);
    const double span = hi - lo;
    const double edges[] = {lo, hi, lo + span * 0.5 / 255.0, lo + span * 254.5 / 255.0,
                            std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
                            -std::numeric_limits<double>::infinity(), lo - 1.0, hi + 1.0, 0.0};
    for (int j = 0; j < n; ++j) {
        const bool edge = random.uniform01() < 0.2;
        const double value = edge ? edges[random.nextU64() % std::size(edges)]
                                  : random.uniform(lo - 0.2 * span - 0.1, hi + 0.2 * span + 0.1);
        const bool offScale = random.uniform01() < 0.3;
        map.values.push_back(value);
        map.states.push_back(offScale ? kStates[random.nextU64() % std::size(kStates)] : CellState::Value);
    }
    return map;
}

// A cells image with opaque, transparent and partly transparent pixels.
QImage sampleCells(int width, int height, std::uint64_t seed)
{
    QImage image(width, height, QImage::Format_ARGB32);
    Random random(seed);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            const auto rgb = static_cast<QRgb>(random.nextU64() & 0xffffffu);
            const double kind = random.uniform01();
            const QRgb alpha = kind < 0.5 ? 255 : kind < 0.8 ? 0 : static_cast<QRgb>(random.nextU64() % 254 + 1);
            image.setPixel(x, y, rgb | alpha << 24);
        }
    return image;
}

// The rasteriser's pixel (x, y) from its definition (figurekernels.h).
QRgb expectedBakedPixel(const QImage& cells, const BakeGeometry& g, int x, int y)
{
    const int column = std::min(cells.width() - 1, static_cast<int>((x + 0.5) * cells.width() / g.width));
    const int row = std::min(cells.height() - 1, static_cast<int>((y + 0.5) * cells.height() / g.height));
    const QRgb c = cells.pixel(column, row);
    if (qAlpha(c) == 0)
        return (x + y) % g.period < g.lineWidth ? g.hatch : g.fill;
    return overBlockedFill(c, g.fill);
}

} // namespace

class TestFigureKernels : public QObject {
    Q_OBJECT
private slots:
    void everyLevelIsHere();
    void colourRowIsCellColor_data();
    void colourRowIsCellColor();
    void blendOverMatchesItsDefinition();
    void bakeScalesAndHatches_data();
    void bakeScalesAndHatches();
    void packRgbKeepsChannels();
};

void TestFigureKernels::everyLevelIsHere()
{
    const auto tables = runnableFigureKernels();
    QVERIFY(!tables.empty());
    QVERIFY(std::find(tables.begin(), tables.end(), &activeFigureKernels()) != tables.end());
    for (const FigureKernelTable* table : tables)
        QVERIFY(table->colourRow && table->bake && table->packRgb);
}

void TestFigureKernels::colourRowIsCellColor_data()
{
    QTest::addColumn<int>("scale");
    QTest::addColumn<double>("lo");
    QTest::addColumn<double>("hi");
    QTest::newRow("weights") << int(ColorScale::Sequential) << 0.0 << 1.0;
    QTest::newRow("logits") << int(ColorScale::Diverging) << -3.5 << 3.5;
    QTest::newRow("narrow range") << int(ColorScale::Sequential) << 0.25 << 0.25000001;
    QTest::newRow("empty range") << int(ColorScale::Sequential) << 0.5 << 0.5;
    QTest::newRow("mask") << int(ColorScale::Mask) << 0.0 << 1.0;
}

void TestFigureKernels::colourRowIsCellColor()
{
    QFETCH(int, scale);
    QFETCH(double, lo);
    QFETCH(double, hi);
    for (int n : {1, 7, 64, 1031}) {
        const Heatmap map = sampleRow(static_cast<ColorScale>(scale), lo, hi, n, 17 + static_cast<std::uint64_t>(n));
        const QImage image = makeCellImage(map); // through the active level
        for (const FigureKernelTable* table : runnableFigureKernels()) {
            std::vector<Pixel> out(static_cast<size_t>(n));
            table->colourRow(map.values.data(), map.states.data(), out.size(), cellColours(map), out.data());
            for (size_t j = 0; j < out.size(); ++j) {
                const QRgb expected = cellColor(map, map.states[j], map.values[j]);
                if (out[j] != expected || image.pixel(int(j), 0) != expected)
                    QFAIL(qPrintable(QStringLiteral("level %1, n %2, cell %3: value %4, state %5")
                                         .arg(table->level).arg(n).arg(j).arg(map.values[j])
                                         .arg(int(map.states[j]))));
            }
        }
    }
}

void TestFigureKernels::blendOverMatchesItsDefinition()
{
    Random random(5);
    for (int k = 0; k < 20000; ++k) {
        const auto pixel = static_cast<QRgb>(random.nextU64());
        const QRgb under = static_cast<QRgb>(random.nextU64()) | 0xff000000u;
        const int a = qAlpha(pixel);
        const auto mix = [a](int top, int bottom) { return (top * a + bottom * (255 - a) + 127) / 255; };
        const QRgb expected = a == 255 ? pixel
                              : a == 0 ? under
                                       : qRgb(mix(qRed(pixel), qRed(under)), mix(qGreen(pixel), qGreen(under)),
                                              mix(qBlue(pixel), qBlue(under)));
        QCOMPARE(blendOver(pixel, under), expected);
    }
}

void TestFigureKernels::bakeScalesAndHatches_data()
{
    QTest::addColumn<QSize>("cells");
    QTest::addColumn<QSize>("pixels");
    QTest::addColumn<int>("period");
    QTest::addColumn<int>("lineWidth");
    QTest::newRow("enlarged") << QSize(7, 5) << QSize(93, 61) << 6 << 2;
    QTest::newRow("reduced") << QSize(300, 257) << QSize(121, 100) << 3 << 1;
    QTest::newRow("one to one") << QSize(33, 17) << QSize(33, 17) << 5 << 5;
    QTest::newRow("one cell") << QSize(1, 1) << QSize(17, 3) << 4 << 1;
    QTest::newRow("wide lines") << QSize(9, 9) << QSize(40, 40) << 3 << 4;
}

void TestFigureKernels::bakeScalesAndHatches()
{
    QFETCH(QSize, cells);
    QFETCH(QSize, pixels);
    QFETCH(int, period);
    QFETCH(int, lineWidth);
    const QImage source = sampleCells(cells.width(), cells.height(), 99);
    const BakeGeometry g{pixels.width(), pixels.height(), period, lineWidth, 0xffd4d4d4u, 0xff8e8e8eu};
    const CellPixels input{reinterpret_cast<const Pixel*>(source.constBits()), source.bytesPerLine() / 4,
                           source.width(), source.height()};
    for (const FigureKernelTable* table : runnableFigureKernels()) {
        QImage baked(pixels, QImage::Format_RGB32);
        table->bake(input, g, 0, g.height, baked.bits(), baked.bytesPerLine());
        for (int y = 0; y < g.height; ++y)
            for (int x = 0; x < g.width; ++x)
                if (baked.pixel(x, y) != expectedBakedPixel(source, g, x, y))
                    QFAIL(qPrintable(QStringLiteral("level %1, pixel (%2, %3)").arg(table->level).arg(x).arg(y)));
        // A band of rows alone (as a PNG export paints them) is those rows of the whole, and
        // nothing is written past it.
        const int first = g.height / 3, end = std::max(first, g.height - 1);
        QImage band(g.width, end - first + 1, QImage::Format_RGB32);
        band.fill(0xff123456u);
        table->bake(input, g, first, end, band.bits(), band.bytesPerLine());
        for (int y = first; y < end; ++y)
            QVERIFY(std::equal(reinterpret_cast<const QRgb*>(band.constScanLine(y - first)),
                               reinterpret_cast<const QRgb*>(band.constScanLine(y - first)) + g.width,
                               reinterpret_cast<const QRgb*>(baked.constScanLine(y))));
        QCOMPARE(band.pixel(0, end - first), 0xff123456u);
    }
}

void TestFigureKernels::packRgbKeepsChannels()
{
    Random random(3);
    std::vector<Pixel> pixels(1000);
    for (Pixel& p : pixels)
        p = static_cast<Pixel>(random.nextU64());
    for (const FigureKernelTable* table : runnableFigureKernels())
        for (size_t n : {size_t{1}, size_t{15}, size_t{16}, size_t{1000}}) {
            std::vector<std::uint8_t> bytes(3 * n + 1, 0xa5);
            table->packRgb(pixels.data(), n, bytes.data());
            for (size_t x = 0; x < n; ++x) {
                QCOMPARE(int(bytes[3 * x]), qRed(pixels[x]));
                QCOMPARE(int(bytes[3 * x + 1]), qGreen(pixels[x]));
                QCOMPARE(int(bytes[3 * x + 2]), qBlue(pixels[x]));
            }
            QCOMPARE(int(bytes[3 * n]), 0xa5); // nothing written past the row
        }
}

QTEST_GUILESS_MAIN(TestFigureKernels)
#include "tst_figurekernels.moc"
