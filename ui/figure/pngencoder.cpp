#include "figure/pngencoder.h"

#include <QThread>
#include <QtConcurrent/QtConcurrentMap>

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

// Why not zlib's deflate: a figure of a few megapixels spends most of its export time in it,
// even at level 1. Figures are flat colour areas that repeat across and down, so a deflate that
// only looks for two kinds of repeats — the pixel to the left and the pixel above — with the
// fixed Huffman code of RFC 1951 is several times faster, at a somewhat larger file. zlib is
// used for the checksums only.

namespace maskscope::ui {

namespace {

constexpr int kRowsPerStripMin = 64;
constexpr int kBytesPerPixel = 3;
constexpr int kMinMatch = 3;
constexpr int kMaxMatch = 258;
constexpr int kMaxDistance = 32768;

// --- Bits, least significant first, as deflate packs them ----------------------------------

class BitWriter {
public:
    explicit BitWriter(std::vector<std::uint8_t>& out) : out_(out) {}

    /// Appends the low `count` bits of `bits` (count <= 32).
    void put(std::uint32_t bits, int count)
    {
        acc_ |= static_cast<std::uint64_t>(bits) << used_;
        used_ += count;
        if (used_ >= 32) {
            const std::uint32_t word = static_cast<std::uint32_t>(acc_);
            const std::uint8_t bytes[4] = {std::uint8_t(word), std::uint8_t(word >> 8),
                                           std::uint8_t(word >> 16), std::uint8_t(word >> 24)};
            out_.insert(out_.end(), bytes, bytes + 4);
            acc_ >>= 32;
            used_ -= 32;
        }
    }

    /// Pads with zero bits to the next byte boundary and flushes.
    void alignToByte()
    {
        while (used_ > 0) {
            out_.push_back(static_cast<std::uint8_t>(acc_));
            acc_ >>= 8;
            used_ = std::max(0, used_ - 8);
        }
        acc_ = 0;
    }

private:
    std::vector<std::uint8_t>& out_;
    std::uint64_t acc_ = 0;
    int used_ = 0;
};

// --- The fixed Huffman code (RFC 1951, 3.2.6) -------------------------------------------------

/// A code ready to put(): bits already reversed into deflate's order, extra bits appended.
struct Code {
    std::uint32_t bits = 0;
    int count = 0;
};

std::uint32_t reversed(std::uint32_t code, int length)
{
    std::uint32_t r = 0;
    for (int k = 0; k < length; ++k)
        r |= ((code >> k) & 1u) << (length - 1 - k);
    return r;
}

Code fixedSymbol(int symbol)
{
    if (symbol < 144)
        return {reversed(0x30 + symbol, 8), 8};
    if (symbol < 256)
        return {reversed(0x190 + (symbol - 144), 9), 9};
    if (symbol < 280)
        return {reversed(symbol - 256, 7), 7};
    return {reversed(0xC0 + (symbol - 280), 8), 8};
}

struct FixedTables {
    std::array<Code, 256> literal;
    std::array<Code, kMaxMatch + 1> length; // symbol and extra bits of each match length
    Code endOfBlock;

    FixedTables()
    {
        for (int v = 0; v < 256; ++v)
            literal[static_cast<size_t>(v)] = fixedSymbol(v);
        static const int base[] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
                                   35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
        static const int extra[] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
                                    3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
        for (int len = kMinMatch; len <= kMaxMatch; ++len) {
            int k = 28;
            while (base[k] > len)
                --k;
            const Code sym = fixedSymbol(257 + k);
            length[static_cast<size_t>(len)] = {sym.bits | static_cast<std::uint32_t>(len - base[k]) << sym.count,
                                                sym.count + extra[k]};
        }
        endOfBlock = fixedSymbol(256);
    }
};

const FixedTables& fixedTables()
{
    static const FixedTables tables;
    return tables;
}

/// Distance code and extra bits of one distance (1..32768), fixed 5-bit distance codes.
Code distanceCode(int distance)
{
    int code = 0, base = 1, extra = 0;
    while (true) {
        const int size = 1 << extra;
        if (distance < base + size)
            break;
        base += size;
        ++code;
        if (code >= 4 && code % 2 == 0)
            ++extra;
    }
    return {reversed(static_cast<std::uint32_t>(code), 5) | static_cast<std::uint32_t>(distance - base) << 5,
            5 + extra};
}

// --- Rows and strips --------------------------------------------------------------------------

/// One row as PNG stores it: filter byte 0 ("none"), then R, G, B of every pixel.
void packRow(const QImage& image, int y, std::vector<std::uint8_t>& row)
{
    const auto* src = reinterpret_cast<const QRgb*>(image.constScanLine(y));
    std::uint8_t* dst = row.data() + 1;
    row[0] = 0;
    const int width = image.width();
    for (int x = 0; x < width; ++x) {
        dst[3 * x] = static_cast<std::uint8_t>(qRed(src[x]));
        dst[3 * x + 1] = static_cast<std::uint8_t>(qGreen(src[x]));
        dst[3 * x + 2] = static_cast<std::uint8_t>(qBlue(src[x]));
    }
}

/// How many bytes from `a` equal those from `b`, at most `limit`.
int matchLength(const std::uint8_t* a, const std::uint8_t* b, int limit)
{
    int n = 0;
    while (n + 8 <= limit) {
        std::uint64_t x, y;
        std::memcpy(&x, a + n, 8);
        std::memcpy(&y, b + n, 8);
        if (const std::uint64_t diff = x ^ y)
            return n + __builtin_ctzll(diff) / 8; // little-endian: the first differing byte
        n += 8;
    }
    while (n < limit && a[n] == b[n])
        ++n;
    return n;
}

/// Rows [first, last) deflated as one fixed-Huffman block, ending on a byte boundary.
struct Strip {
    int first = 0;
    int last = 0;
    bool final = false;
    std::vector<std::uint8_t> deflated;
    uLong adler = 1;  // adler32 of this strip's uncompressed rows
    size_t rawBytes = 0;
};

// Greedy: at each byte, the longer of the repeat of the pixel to the left and the repeat of
// the row above, if at least 3 bytes long; else the byte itself.
void deflateRow(const std::vector<std::uint8_t>& row, const std::vector<std::uint8_t>* above,
                const Code& left, const Code& up, BitWriter& out)
{
    const FixedTables& t = fixedTables();
    const int n = static_cast<int>(row.size());
    const std::uint8_t* cur = row.data();
    for (int i = 0; i < n;) {
        const int limit = std::min(kMaxMatch, n - i);
        const int vertical = above ? matchLength(cur + i, above->data() + i, limit) : 0;
        const int horizontal = i > kBytesPerPixel ? matchLength(cur + i, cur + i - kBytesPerPixel, limit) : 0;
        const int length = std::max(vertical, horizontal);
        if (length >= kMinMatch) {
            const Code& len = t.length[static_cast<size_t>(length)];
            const Code& dist = vertical >= horizontal ? up : left;
            out.put(len.bits, len.count);
            out.put(dist.bits, dist.count);
            i += length;
        } else {
            const Code& lit = t.literal[cur[i]];
            out.put(lit.bits, lit.count);
            ++i;
        }
    }
}

void deflateStrip(const QImage& image, Strip& s)
{
    const size_t rowBytes = 1 + kBytesPerPixel * static_cast<size_t>(image.width());
    // A repeat of the row above is a back-reference one row long; deflate reaches 32 KiB back.
    const bool verticalRepeats = rowBytes <= static_cast<size_t>(kMaxDistance);
    const Code left = distanceCode(kBytesPerPixel);
    const Code up = verticalRepeats ? distanceCode(static_cast<int>(rowBytes)) : Code{};
    std::vector<std::uint8_t> row(rowBytes), above(rowBytes);
    s.deflated.reserve(rowBytes * static_cast<size_t>(s.last - s.first) / 4 + 64);
    BitWriter out(s.deflated);
    out.put(s.final ? 1u : 0u, 1); // BFINAL
    out.put(1u, 2);                // BTYPE 01: fixed Huffman codes
    const bool hasAbove = verticalRepeats && s.first > 0;
    if (hasAbove)
        packRow(image, s.first - 1, above);
    for (int y = s.first; y < s.last; ++y) {
        packRow(image, y, row);
        s.adler = adler32_z(s.adler, row.data(), row.size());
        s.rawBytes += row.size();
        deflateRow(row, (y > s.first || hasAbove) && verticalRepeats ? &above : nullptr, left, up, out);
        std::swap(row, above);
    }
    const Code& eob = fixedTables().endOfBlock;
    out.put(eob.bits, eob.count);
    if (!s.final) {
        // An empty stored block (as zlib's Z_SYNC_FLUSH) ends the strip on a byte boundary, so
        // the next strip's block can follow it directly in the same stream.
        out.put(0u, 3);
        out.alignToByte();
        const std::uint8_t marker[4] = {0x00, 0x00, 0xff, 0xff};
        s.deflated.insert(s.deflated.end(), marker, marker + 4);
    }
    out.alignToByte();
}

std::vector<Strip> splitRows(int height)
{
    // Two strips per core keep every core busy when one of them is slowed by other work.
    const int cores = std::max(1, QThread::idealThreadCount());
    const int count = std::clamp(height / kRowsPerStripMin, 1, 2 * cores);
    std::vector<Strip> strips(static_cast<size_t>(count));
    for (int k = 0; k < count; ++k) {
        strips[static_cast<size_t>(k)].first = static_cast<int>(static_cast<long long>(height) * k / count);
        strips[static_cast<size_t>(k)].last = static_cast<int>(static_cast<long long>(height) * (k + 1) / count);
    }
    strips.back().final = true;
    return strips;
}

// --- Chunks -------------------------------------------------------------------------------------

void appendU32(QByteArray& out, quint32 v)
{
    const char bytes[4] = {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
    out.append(bytes, 4);
}

// Appends a chunk whose data is already at the end of `out`, after its length and type.
void appendChunk(QByteArray& out, const char* type, const QByteArray& data)
{
    appendU32(out, static_cast<quint32>(data.size()));
    const qsizetype start = out.size();
    out.append(type, 4);
    out.append(data);
    const uLong crc = crc32_z(0L, reinterpret_cast<const Bytef*>(out.constData() + start),
                              static_cast<size_t>(out.size() - start));
    appendU32(out, static_cast<quint32>(crc));
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

QByteArray zlibStream(const std::vector<Strip>& strips)
{
    size_t size = 6;
    for (const Strip& s : strips)
        size += s.deflated.size();
    QByteArray z;
    z.reserve(static_cast<qsizetype>(size));
    z.append(char(0x78)).append(char(0x01)); // deflate, 32 KiB window, fastest
    uLong adler = 1;
    for (const Strip& s : strips) {
        z.append(reinterpret_cast<const char*>(s.deflated.data()), static_cast<qsizetype>(s.deflated.size()));
        adler = adler32_combine(adler, s.adler, static_cast<z_off_t>(s.rawBytes));
    }
    appendU32(z, static_cast<quint32>(adler));
    return z;
}

} // namespace

QByteArray encodePng(const QImage& source)
{
    if (source.isNull())
        return {};
    const QImage image = source.format() == QImage::Format_RGB32 || source.format() == QImage::Format_ARGB32
                             ? source
                             : source.convertToFormat(QImage::Format_RGB32);
    std::vector<Strip> strips = splitRows(image.height());
    QtConcurrent::blockingMap(strips, [&image](Strip& s) { deflateStrip(image, s); });
    QByteArray png("\x89PNG\r\n\x1a\n", 8);
    appendChunk(png, "IHDR", header(image));
    appendChunk(png, "pHYs", physicalSize(image));
    appendChunk(png, "IDAT", zlibStream(strips));
    appendChunk(png, "IEND", {});
    return png;
}

} // namespace maskscope::ui
