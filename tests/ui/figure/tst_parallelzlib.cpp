// SPDX-License-Identifier: MIT
// The PNG encoder's zlib streams compressed in pieces (parallelzlib.h), and its rows filtered
// over the pixels of an image given up to it (pngencoder.h). Every stream is checked
// by a decoder other than the encoder's: zlib's (qUncompress), which also checks the Adler-32.
// The block walk is checked against libdeflate's own streams of every kind (stored, fixed,
// dynamic blocks) and against streams that are cut short or corrupt.
#include "figure/parallelzlib.h"
#include "figure/pngencoder.h"

#include "pixeldifference.h"

#include <QImage>
#include <QPainter>
#include <QTest>
#include <QThreadPool>

#include <libdeflate.h>

#include <algorithm>
#include <random>

using namespace maskscope::ui;
using Bytes = std::vector<std::uint8_t>;

namespace {

// Deterministic data that compresses about as a figure's rows do: runs, repeats and noise.
Bytes figureLikeData(std::size_t size, unsigned seed)
{
    std::mt19937 rng(seed);
    Bytes data(size);
    for (std::size_t i = 0; i < size;) {
        const std::size_t run = std::min<std::size_t>(size - i, 1 + rng() % 600);
        const unsigned kind = rng() % 3;
        for (std::size_t k = 0; k < run; ++k, ++i)
            data[i] = kind == 0   ? 0xff
                      : kind == 1 ? static_cast<std::uint8_t>(i % 7 * 31)
                                  : static_cast<std::uint8_t>(rng());
    }
    return data;
}

Bytes randomBytes(std::size_t size, unsigned seed)
{
    std::mt19937 rng(seed);
    Bytes data(size);
    for (auto& b : data)
        b = static_cast<std::uint8_t>(rng());
    return data;
}

Bytes rawDeflate(const Bytes& data, int level)
{
    libdeflate_compressor* c = libdeflate_alloc_compressor(level);
    Bytes out(libdeflate_deflate_compress_bound(c, data.size()));
    out.resize(libdeflate_deflate_compress(c, data.data(), data.size(), out.data(), out.size()));
    libdeflate_free_compressor(c);
    return out;
}

// zlib's decoding of a zlib stream, or an empty array if zlib rejects it (bad data or checksum).
QByteArray inflateWithZlib(const Bytes& stream, std::size_t expectedSize)
{
    QByteArray framed(4, '\0'); // qUncompress wants the expected size first, big-endian
    for (int k = 0; k < 4; ++k)
        framed[k] = static_cast<char>(expectedSize >> (24 - 8 * k));
    framed.append(reinterpret_cast<const char*>(stream.data()), static_cast<qsizetype>(stream.size()));
    return qUncompress(framed);
}

bool sameBytes(const QByteArray& a, const Bytes& b)
{
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(a.constData());
    return static_cast<std::size_t>(a.size()) == b.size() && std::equal(b.begin(), b.end(), bytes);
}

std::uint32_t adlerOf(const std::uint8_t* data, std::size_t size)
{
    return libdeflate_adler32(1, data, size);
}

// 2400 x 1600 pixels, 11.5 MB of PNG rows (two pieces): flat colours and anti-aliased edges.
const QSize kLargeSize(2400, 1600);

// Flat colours, antialiased curves and text, as a figure has; every pixel painted.
void paintFigureLike(QPainter& p)
{
    p.fillRect(QRect(QPoint(0, 0), kLargeSize), Qt::white);
    for (int k = 0; k < 60; ++k)
        p.fillRect(QRect(k * 40, (k * 97) % 1500, 37, 90), QColor::fromHsv(k * 6 % 360, 200, 220));
    p.setRenderHint(QPainter::Antialiasing);
    p.drawEllipse(QRect(300, 200, 1700, 1100));
    QFont font;
    font.setPixelSize(23);
    p.setFont(font);
    for (int y = 7; y < kLargeSize.height(); y += 97)
        p.drawText(QPointF(40.5, y + 0.25), QStringLiteral("head %1 · query 0.%2 √d").arg(y).arg(y % 7));
}

QImage largeImage()
{
    QImage image(kLargeSize, QImage::Format_RGB32);
    QPainter p(&image);
    paintFigureLike(p);
    return image;
}

} // namespace

class TestParallelZlib : public QObject {
    Q_OBJECT
private slots:
    void walkFindsTheEndOfEveryKindOfStream_data()
    {
        QTest::addColumn<int>("level");
        QTest::addColumn<int>("kind"); // 0 figure-like, 1 random (stored blocks), 2 tiny (fixed codes)
        QTest::addColumn<int>("size");
        for (int level : {1, 2, 6, 12}) {
            QTest::addRow("figure-like, level %d", level) << level << 0 << 700'000;
            QTest::addRow("random, level %d", level) << level << 1 << 200'000;
            QTest::addRow("tiny, level %d", level) << level << 2 << 40;
        }
    }

    void walkFindsTheEndOfEveryKindOfStream()
    {
        QFETCH(int, level);
        QFETCH(int, kind);
        QFETCH(int, size);
        const Bytes data = kind == 1 ? randomBytes(std::size_t(size), 7) : figureLikeData(std::size_t(size), 7);
        const Bytes stream = rawDeflate(data, level);
        const auto end = detail::deflateBlocksEnd(stream.data(), stream.size());
        QVERIFY(end);
        // The stream ends in its last byte, and the last block's header says "final".
        QVERIFY(end->endBit > (stream.size() - 1) * 8 && end->endBit <= stream.size() * 8);
        QVERIFY(end->finalHeaderBit < end->endBit);
        QCOMPARE(stream[end->finalHeaderBit / 8] >> (end->finalHeaderBit % 8) & 1, 1);
    }

    void walkRejectsBrokenStreams()
    {
        const Bytes stream = rawDeflate(figureLikeData(300'000, 3), 2);
        QVERIFY(!detail::deflateBlocksEnd(stream.data(), 0));
        QVERIFY(!detail::deflateBlocksEnd(stream.data(), stream.size() / 2));
        QVERIFY(!detail::deflateBlocksEnd(stream.data(), stream.size() - 2));
        const Bytes reserved = {0x07, 0x00}; // final block of type 11
        QVERIFY(!detail::deflateBlocksEnd(reserved.data(), reserved.size()));
        const Bytes badStored = {0x01, 0x05, 0x00, 0x00, 0x00, 'a', 'b', 'c', 'd', 'e'}; // NLEN != ~LEN
        QVERIFY(!detail::deflateBlocksEnd(badStored.data(), badStored.size()));
        const Bytes goodStored = {0x01, 0x05, 0x00, 0xfa, 0xff, 'a', 'b', 'c', 'd', 'e'};
        const auto end = detail::deflateBlocksEnd(goodStored.data(), goodStored.size());
        QVERIFY(end);
        QCOMPARE(end->endBit, goodStored.size() * 8);
        QCOMPARE(end->finalHeaderBit, std::size_t{0});
    }

    // Two streams joined by hand decode to both inputs, whatever bit the first one ends on.
    void joinedStreamsDecodeWhereverTheFirstEnds()
    {
        std::vector<bool> endingSeen(8, false);
        for (unsigned n = 0; n < 48; ++n) {
            const Bytes first = figureLikeData(5'000 + 977 * n, n), second = figureLikeData(3'000 + 31 * n, 100 + n);
            const Bytes a = rawDeflate(first, 1 + int(n % 6)), b = rawDeflate(second, 2);
            const auto end = detail::deflateBlocksEnd(a.data(), a.size());
            QVERIFY(end);
            endingSeen[end->endBit % 8] = true;
            Bytes joined = {0x78, 0x5e};
            detail::appendJoinable(joined, a, *end);
            joined.insert(joined.end(), b.begin(), b.end());
            const std::uint32_t adler = detail::combineAdler32(adlerOf(first.data(), first.size()),
                                                               adlerOf(second.data(), second.size()), second.size());
            for (int shift = 24; shift >= 0; shift -= 8)
                joined.push_back(static_cast<std::uint8_t>(adler >> shift));
            Bytes both = first;
            both.insert(both.end(), second.begin(), second.end());
            QVERIFY2(sameBytes(inflateWithZlib(joined, both.size()), both), qPrintable(QString::number(n)));
        }
        for (int spare = 0; spare < 8; ++spare)
            QVERIFY2(endingSeen[std::size_t(spare)], qPrintable(QString("no stream ended on bit %1").arg(spare)));
    }

    void adlerCombinesAsOneRun()
    {
        const Bytes data = randomBytes(200'000, 11);
        for (std::size_t cut : {std::size_t{0}, std::size_t{1}, std::size_t{65520}, std::size_t{65521},
                                std::size_t{131'043}, std::size_t{199'999}, std::size_t{200'000}}) {
            const std::uint32_t combined = detail::combineAdler32(adlerOf(data.data(), cut),
                                                                  adlerOf(data.data() + cut, data.size() - cut),
                                                                  data.size() - cut);
            QCOMPARE(combined, adlerOf(data.data(), data.size()));
        }
    }

    void streamsOfAnySizeDecode_data()
    {
        QTest::addColumn<qlonglong>("size");
        QTest::addRow("empty") << 0LL;
        QTest::addRow("one byte") << 1LL;
        QTest::addRow("just one piece") << qlonglong(2 * kZlibPieceBytes - 1);
        QTest::addRow("two pieces") << qlonglong(2 * kZlibPieceBytes);
        QTest::addRow("three pieces and an odd byte") << qlonglong(3 * kZlibPieceBytes + 4 * kZlibPieceBytes / 3 + 1);
    }

    void streamsOfAnySizeDecode()
    {
        QFETCH(qlonglong, size);
        const Bytes data = figureLikeData(std::size_t(size), 5);
        const Bytes z = compressZlib(data.data(), data.size(), 2);
        QVERIFY(!z.empty());
        QVERIFY(sameBytes(inflateWithZlib(z, data.size()), data));
        const Bytes noise = randomBytes(std::size_t(size), 9); // stored blocks, joined alike
        const Bytes stored = compressZlib(noise.data(), noise.size(), 2);
        QVERIFY(sameBytes(inflateWithZlib(stored, noise.size()), noise));
        QVERIFY(stored.size() <= noise.size() + noise.size() / 1000 + 64); // never much larger than raw
    }

    // The pieces depend on the size alone: the bytes are the same on one core or many.
    void bytesDoNotDependOnTheCores()
    {
        const Bytes data = figureLikeData(3 * kZlibPieceBytes, 21);
        QThreadPool* pool = QThreadPool::globalInstance();
        const int cores = pool->maxThreadCount();
        pool->setMaxThreadCount(1);
        const Bytes one = compressZlib(data.data(), data.size(), 2);
        pool->setMaxThreadCount(4);
        const Bytes four = compressZlib(data.data(), data.size(), 2);
        pool->setMaxThreadCount(cores);
        QVERIFY(one == four);
        QVERIFY(one == compressZlib(data.data(), data.size(), 2));
    }

    // A PNG large enough to be compressed in pieces decodes to its pixels.
    void largePngsDecodeToTheirPixels()
    {
        const QImage image = largeImage();
        const QByteArray png = encodePng(image);
        QVERIFY(!png.isEmpty());
        const QImage decoded = QImage::fromData(png, "PNG").convertToFormat(QImage::Format_RGB32);
        QCOMPARE(decoded.size(), image.size());
        QVERIFY(decoded == image);
    }

    // Painted and compressed a band at a time, an image decodes to the pixels it has painted
    // whole (but for anti-aliased edges, a level apart), in the same bytes on one core or many.
    // The pixels a band held before are painted over, so they never show.
    void paintedPngsDecodeToTheImagePaintedWhole()
    {
        const QImage whole = largeImage();
        QVERIFY(whole.height() > 3 * pngBandRows(whole.width())); // every band buffer is reused
        QThreadPool* pool = QThreadPool::globalInstance();
        const int cores = pool->maxThreadCount();
        pool->setMaxThreadCount(1);
        const QByteArray one = encodePaintedPng(whole.size(), 5906, paintFigureLike);
        pool->setMaxThreadCount(4);
        const QByteArray four = encodePaintedPng(whole.size(), 5906, paintFigureLike);
        pool->setMaxThreadCount(cores);
        QVERIFY(!one.isEmpty());
        QVERIFY(one == four);
        const QImage decoded = QImage::fromData(one, "PNG");
        QCOMPARE(decoded.dotsPerMeterX(), 5906);
        QCOMPARE(decoded.size(), whole.size());
        QVERIFY(maskscope::testing::pixelDifference(decoded, whole).most <= 1); // see tst_figureexport
        QVERIFY(one.size() <= encodePng(whole).size() * 101 / 100); // pieces cost little
    }

    void smallAndEmptyPaintedPngs()
    {
        const auto dot = [](QPainter& p) {
            p.fillRect(QRect(0, 0, 5, 3), QColor(1, 2, 3));
            p.fillRect(QRect(4, 2, 1, 1), QColor(200, 100, 0));
        };
        const QByteArray png = encodePaintedPng(QSize(5, 3), 3780, dot);
        QImage small(5, 3, QImage::Format_RGB32); // rows shorter than a filter byte's worth
        small.fill(qRgb(1, 2, 3));
        small.setPixel(4, 2, qRgb(200, 100, 0));
        QVERIFY(QImage::fromData(png, "PNG").convertToFormat(QImage::Format_RGB32) == small);
        QVERIFY(encodePaintedPng(QSize(0, 3), 3780, dot).isEmpty());
        QCOMPARE(pngBandRows(1), int(kPngBandBytes / 4)); // a pixel and a filter byte a row
        QCOMPARE(pngBandRows(1'000'000), 1);
    }
};

QTEST_MAIN(TestParallelZlib)
#include "tst_parallelzlib.moc"
