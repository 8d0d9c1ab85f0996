// SPDX-License-Identifier: MIT
#include "figure/pngencoder.h"

#include "figure/figurekernels.h"
#include "figure/largebuffer.h"
#include "figure/parallelzlib.h"

#include <QFuture>
#include <QPainter>
#include <QtConcurrent/QtConcurrentMap>
#include <QtConcurrent/QtConcurrentRun>

#include <libdeflate.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <utility>
#include <vector>

namespace maskscope::ui {

namespace {

constexpr int kBytesPerPixel = 3;
constexpr int kRowsPerTask = 32;

// PNG filter types (PNG specification, section 9): the byte that starts each stored row.
enum Filter : std::uint8_t { None = 0, Up = 2 };

std::size_t storedRowBytes(int width)
{
    return static_cast<std::size_t>(width) * kBytesPerPixel + 1;
}

/// Writes rows as PNG stores them (a filter byte, then the row), each after the row above it. A
/// row that repeats the row above is stored with the Up filter, which turns it into zeros; any
/// other row unfiltered. Figures are flat colours, hatching and text: deflate finds their repeats
/// in the raw bytes, while the predictive filters (Sub, Average, Paeth) and libpng's "smallest
/// sum" choice among them scramble those repeats and gave larger files on every figure measured
/// (docs/figures.md, "PNG size").
class RowFilter {
public:
    explicit RowFilter(int width) : width_(static_cast<std::size_t>(width)), above_(bytes()), raw_(bytes()) {}

    /// Makes `pixels` (RGB32) the row above the next one stored.
    void follow(const QRgb* pixels)
    {
        pack(pixels, above_);
        hasAbove_ = true;
    }

    /// Stores the row `pixels` (RGB32) at out[0, 3 w + 1); it becomes the row above.
    void store(const QRgb* pixels, std::uint8_t* out)
    {
        pack(pixels, raw_);
        const bool repeats = hasAbove_ && raw_ == above_;
        out[0] = repeats ? Up : None;
        if (repeats)
            std::fill(out + 1, out + 1 + bytes(), std::uint8_t{0});
        else
            std::copy(raw_.begin(), raw_.end(), out + 1);
        std::swap(above_, raw_);
        hasAbove_ = true;
    }

private:
    std::size_t bytes() const { return width_ * kBytesPerPixel; }
    void pack(const QRgb* pixels, std::vector<std::uint8_t>& to) const
    {
        activeFigureKernels().packRgb(pixels, width_, to.data());
    }

    std::size_t width_;
    std::vector<std::uint8_t> above_, raw_;
    bool hasAbove_ = false;
};

const QRgb* pixelRow(const QImage& image, int y)
{
    return reinterpret_cast<const QRgb*>(image.constScanLine(y));
}

/// Rows [first, last) of `image` as PNG stores them into `out`, which holds every row of the image.
void filterRows(const QImage& image, int first, int last, std::uint8_t* out)
{
    RowFilter filter(image.width());
    if (first > 0)
        filter.follow(pixelRow(image, first - 1));
    const std::size_t rowBytes = storedRowBytes(image.width());
    for (int y = first; y < last; ++y)
        filter.store(pixelRow(image, y), out + static_cast<std::size_t>(y) * rowBytes);
}

LargeBuffer filteredImage(const QImage& image)
{
    LargeBuffer out(storedRowBytes(image.width()) * static_cast<size_t>(image.height()));
    if (!out.data())
        return out;
    std::vector<int> starts((image.height() + kRowsPerTask - 1) / kRowsPerTask);
    std::iota(starts.begin(), starts.end(), 0);
    QtConcurrent::blockingMap(starts, [&](int task) {
        const int first = task * kRowsPerTask;
        filterRows(image, first, std::min(image.height(), first + kRowsPerTask), out.data());
    });
    return out;
}

bool has32BitPixels(const QImage& image)
{
    return image.format() == QImage::Format_RGB32 || image.format() == QImage::Format_ARGB32;
}

// --- Chunks -------------------------------------------------------------------------------------

void appendU32(QByteArray& out, quint32 v)
{
    const char bytes[4] = {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
    out.append(bytes, 4);
}

void appendChunk(QByteArray& out, const char* type, const QByteArray& data)
{
    appendU32(out, static_cast<quint32>(data.size()));
    const qsizetype start = out.size();
    out.append(type, 4);
    out.append(data);
    appendU32(out, libdeflate_crc32(0, out.constData() + start, static_cast<size_t>(out.size() - start)));
}

QByteArray header(QSize size)
{
    QByteArray ihdr;
    appendU32(ihdr, static_cast<quint32>(size.width()));
    appendU32(ihdr, static_cast<quint32>(size.height()));
    ihdr.append(char(8));    // bits per channel
    ihdr.append(char(2));    // truecolour RGB
    ihdr.append(3, char(0)); // deflate, adaptive filtering, no interlace
    return ihdr;
}

QByteArray physicalSize(int dotsPerMeterX, int dotsPerMeterY)
{
    QByteArray phys;
    appendU32(phys, static_cast<quint32>(std::max(0, dotsPerMeterX)));
    appendU32(phys, static_cast<quint32>(std::max(0, dotsPerMeterY)));
    phys.append(char(1)); // unit: metre
    return phys;
}

// The PNG of an image of `size` whose stored rows are the zlib stream `z`.
QByteArray pngOf(QSize size, int dotsPerMeterX, int dotsPerMeterY, const std::vector<std::uint8_t>& z)
{
    if (z.empty())
        return {};
    QByteArray png("\x89PNG\r\n\x1a\n", 8);
    appendChunk(png, "IHDR", header(size));
    appendChunk(png, "pHYs", physicalSize(dotsPerMeterX, dotsPerMeterY));
    appendChunk(png, "IDAT", QByteArray::fromRawData(reinterpret_cast<const char*>(z.data()),
                                                     static_cast<qsizetype>(z.size())));
    appendChunk(png, "IEND", {});
    return png;
}

// --- Painting in bands ----------------------------------------------------------------------------

// The compressions of a banded image, each reading one of the band buffers: they are waited for
// before those buffers go, whatever the way out.
class BandCompressions {
public:
    ~BandCompressions()
    {
        for (QFuture<ZlibPiece>& f : running_)
            f.waitForFinished();
    }
    std::size_t count() const { return running_.size(); }
    void start(const std::uint8_t* rows, std::size_t bytes, bool last)
    {
        running_.push_back(QtConcurrent::run(
            [=] { return compressZlibPiece(rows, bytes, last, kPngCompressionLevel); }));
    }
    void waitFor(std::size_t k) { running_[k].waitForFinished(); }
    std::vector<ZlibPiece> results()
    {
        std::vector<ZlibPiece> pieces;
        pieces.reserve(running_.size());
        for (QFuture<ZlibPiece>& f : running_)
            pieces.push_back(f.result());
        return pieces;
    }

private:
    std::vector<QFuture<ZlibPiece>> running_;
};

// One band filled while this many fewer are compressed on the other cores.
constexpr std::size_t kBandBuffers = 3;

// Rows painted above and below each band but not stored: Qt clips a line to the device before
// it rasterises it, and where the clipped end falls, coverage differs from the line painted whole.
constexpr int kBandMargin = 32;

void paintBand(QImage& band, int top, const ImagePainter& paint)
{
    QPainter painter(&band);
    painter.translate(0, kBandMargin - top);
    paint(painter);
}

} // namespace

QByteArray encodePng(const QImage& source)
{
    if (source.isNull())
        return {};
    const QImage image = has32BitPixels(source) ? source : source.convertToFormat(QImage::Format_RGB32);
    const LargeBuffer rows = filteredImage(image);
    if (!rows.data())
        return {};
    return pngOf(image.size(), image.dotsPerMeterX(), image.dotsPerMeterY(),
                 compressZlib(rows.data(), rows.size(), kPngCompressionLevel));
}

int pngBandRows(int width)
{
    return static_cast<int>(std::clamp<std::size_t>(kPngBandBytes / storedRowBytes(width), 1, 1 << 20));
}

QByteArray encodePaintedPng(QSize size, int dotsPerMeter, const ImagePainter& paint)
{
    if (size.isEmpty())
        return {};
    const int bandRows = std::min(pngBandRows(size.width()), size.height());
    QImage band = largeImage(QSize(size.width(), bandRows + 2 * kBandMargin), QImage::Format_RGB32);
    const std::size_t rowBytes = storedRowBytes(size.width());
    std::vector<LargeBuffer> buffers;
    for (std::size_t k = 0; k < kBandBuffers; ++k)
        buffers.emplace_back(rowBytes * static_cast<std::size_t>(bandRows));
    if (band.isNull() || !std::all_of(buffers.begin(), buffers.end(), [](const LargeBuffer& b) { return b.data(); }))
        return {};
    band.setDotsPerMeterX(dotsPerMeter);
    band.setDotsPerMeterY(dotsPerMeter);
    RowFilter filter(size.width());
    BandCompressions compressions;
    for (int top = 0; top < size.height(); top += bandRows) {
        const int rows = std::min(bandRows, size.height() - top);
        paintBand(band, top, paint);
        const std::size_t k = compressions.count();
        if (k >= kBandBuffers)
            compressions.waitFor(k - kBandBuffers); // its buffer is the one filled next
        std::uint8_t* out = buffers[k % kBandBuffers].data();
        for (int y = 0; y < rows; ++y)
            filter.store(pixelRow(band, kBandMargin + y), out + static_cast<std::size_t>(y) * rowBytes);
        compressions.start(out, static_cast<std::size_t>(rows) * rowBytes, top + rows == size.height());
    }
    return pngOf(size, dotsPerMeter, dotsPerMeter, joinZlibPieces(compressions.results()));
}

} // namespace maskscope::ui
