// SPDX-License-Identifier: MIT
#include "figure/pngencoder.h"

#include "figure/figurekernels.h"
#include "figure/largebuffer.h"
#include "figure/parallelzlib.h"

#include <QtConcurrent/QtConcurrentMap>

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

void packRow(const QImage& image, int y, std::uint8_t* dst)
{
    activeFigureKernels().packRgb(reinterpret_cast<const QRgb*>(image.constScanLine(y)),
                                  static_cast<size_t>(image.width()), dst);
}

/// Rows [first, last) of `image` as PNG stores them (a filter byte, then the row) into `out`,
/// which holds every row of the image. A row that repeats the row above is stored with the Up
/// filter, which turns it into zeros; any other row unfiltered. Figures are flat colours, hatching
/// and text: deflate finds their repeats in the raw bytes, while the predictive filters (Sub,
/// Average, Paeth) and libpng's "smallest sum" choice among them scramble those repeats and gave
/// larger files on every figure measured (docs/figures.md, "PNG size").
void filterRows(const QImage& image, int first, int last, std::uint8_t* out)
{
    const size_t n = static_cast<size_t>(image.width()) * kBytesPerPixel;
    std::vector<std::uint8_t> above(n, 0), raw(n);
    if (first > 0)
        packRow(image, first - 1, above.data());
    for (int y = first; y < last; ++y) {
        packRow(image, y, raw.data());
        std::uint8_t* row = out + static_cast<size_t>(y) * (n + 1);
        const bool repeats = y > 0 && std::equal(raw.begin(), raw.end(), above.begin());
        row[0] = repeats ? Up : None;
        if (repeats)
            std::fill(row + 1, row + 1 + n, std::uint8_t{0});
        else
            std::copy(raw.begin(), raw.end(), row + 1);
        std::swap(above, raw);
    }
}

LargeBuffer filteredImage(const QImage& image)
{
    const size_t rowBytes = static_cast<size_t>(image.width()) * kBytesPerPixel + 1;
    LargeBuffer out(rowBytes * static_cast<size_t>(image.height()));
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

std::size_t filteredSize(const QImage& image)
{
    return (static_cast<size_t>(image.width()) * kBytesPerPixel + 1) * static_cast<size_t>(image.height());
}

bool has32BitPixels(const QImage& image)
{
    return image.format() == QImage::Format_RGB32 || image.format() == QImage::Format_ARGB32;
}

// The rows as PNG stores them written over the image's own pixels, one after the other: stored
// row y (3 w + 1 bytes) ends before pixel row y + 1 (4 w bytes) begins, so every row is read
// before it is overwritten. An export touches no memory for them: 9 MB for the 8-head grid,
// which a one-shot process would touch for the first time.
const std::uint8_t* filterInPlace(QImage& image)
{
    std::uint8_t* out = image.bits(); // detached: the image's own buffer
    filterRows(image, 0, image.height(), out);
    return out;
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

QByteArray header(const QImage& image)
{
    QByteArray ihdr;
    appendU32(ihdr, static_cast<quint32>(image.width()));
    appendU32(ihdr, static_cast<quint32>(image.height()));
    ihdr.append(char(8));    // bits per channel
    ihdr.append(char(2));    // truecolour RGB
    ihdr.append(3, char(0)); // deflate, adaptive filtering, no interlace
    return ihdr;
}

QByteArray physicalSize(const QImage& image)
{
    QByteArray phys;
    appendU32(phys, static_cast<quint32>(std::max(0, image.dotsPerMeterX())));
    appendU32(phys, static_cast<quint32>(std::max(0, image.dotsPerMeterY())));
    phys.append(char(1)); // unit: metre
    return phys;
}

QByteArray pngOf(const QImage& image, const std::uint8_t* rows)
{
    if (!rows)
        return {};
    const std::vector<std::uint8_t> z = compressZlib(rows, filteredSize(image), kPngCompressionLevel);
    if (z.empty())
        return {};
    QByteArray png("\x89PNG\r\n\x1a\n", 8);
    appendChunk(png, "IHDR", header(image));
    appendChunk(png, "pHYs", physicalSize(image));
    appendChunk(png, "IDAT", QByteArray::fromRawData(reinterpret_cast<const char*>(z.data()),
                                                     static_cast<qsizetype>(z.size())));
    appendChunk(png, "IEND", {});
    return png;
}

} // namespace

QByteArray encodePng(const QImage& source)
{
    if (source.isNull())
        return {};
    const QImage image = has32BitPixels(source) ? source : source.convertToFormat(QImage::Format_RGB32);
    const LargeBuffer rows = filteredImage(image);
    return pngOf(image, rows.data());
}

QByteArray encodePng(QImage&& source)
{
    if (source.isNull() || !has32BitPixels(source) || !source.isDetached())
        return encodePng(std::as_const(source));
    QImage image = std::move(source);
    const std::uint8_t* rows = filterInPlace(image);
    return pngOf(image, rows);
}

} // namespace maskscope::ui
