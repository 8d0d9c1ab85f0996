// SPDX-License-Identifier: MIT
#include "figure/parallelzlib.h"

#include <QtConcurrent/QtConcurrentMap>

#include <libdeflate.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <memory>
#include <numeric>

namespace maskscope::ui {

namespace detail {

namespace {

// --- Reading a deflate stream (RFC 1951): bits come least significant first -------------------

class BitReader {
public:
    BitReader(const std::uint8_t* data, std::size_t size) : begin_(data), next_(data), end_(data + size) {}

    /// The next `count` (<= 32) bits without consuming them; zeros past the end.
    std::uint32_t peek(int count)
    {
        if (count_ < count)
            refill();
        return static_cast<std::uint32_t>(buffer_ & ((std::uint64_t{1} << count) - 1));
    }
    /// Consumes `count` bits, which peek has made available.
    void drop(int count)
    {
        buffer_ >>= count;
        count_ -= count;
    }
    std::uint32_t take(int count)
    {
        const std::uint32_t value = peek(count);
        drop(count);
        return value;
    }
    /// Continues at bit `position` from the start.
    void seek(std::size_t position)
    {
        const std::size_t byte = position / 8;
        const std::size_t size = static_cast<std::size_t>(end_ - begin_);
        next_ = begin_ + std::min(byte, size);
        zerosAfterEnd_ = byte > size ? byte - size : 0;
        buffer_ = 0;
        count_ = 0;
        take(static_cast<int>(position % 8));
    }
    std::size_t position() const
    {
        return (static_cast<std::size_t>(next_ - begin_) + zerosAfterEnd_) * 8 - static_cast<std::size_t>(count_);
    }
    bool overrun() const { return position() > static_cast<std::size_t>(end_ - begin_) * 8; }

private:
    // Fills the buffer to at least 56 bits: eight bytes at once where there are eight (as
    // libdeflate's own decompressor does), else byte by byte with zeros after the end.
    void refill()
    {
        if (end_ - next_ >= 8) {
            std::uint64_t word;
            std::memcpy(&word, next_, 8);
            if constexpr (std::endian::native == std::endian::big)
                word = __builtin_bswap64(word);
            buffer_ |= word << count_;
            next_ += (63 - count_) / 8;
            count_ |= 56;
            return;
        }
        while (count_ <= 56) {
            if (next_ < end_)
                buffer_ |= std::uint64_t{*next_++} << count_;
            else
                ++zerosAfterEnd_;
            count_ += 8;
        }
    }

    const std::uint8_t* begin_;
    const std::uint8_t* next_;
    const std::uint8_t* end_;
    std::size_t zerosAfterEnd_ = 0;
    std::uint64_t buffer_ = 0;
    int count_ = 0; // valid bits in buffer_
};

constexpr int kMaxCodeBits = 15;

// A canonical Huffman code: a table for codes up to kTableBits long, read straight off the next
// bits, and the counts and sorted symbols that decode longer ones (as zlib's puff.c does).
class HuffmanCode {
public:
    /// False for an over-subscribed code (lengths no prefix code has).
    bool build(const std::uint8_t* lengths, int symbols)
    {
        count_.fill(0);
        for (int s = 0; s < symbols; ++s)
            ++count_[lengths[s]];
        count_[0] = 0;
        int left = 1;
        for (int len = 1; len <= kMaxCodeBits; ++len) {
            left = left * 2 - count_[len];
            if (left < 0)
                return false;
        }
        std::array<int, kMaxCodeBits + 2> offset{};
        for (int len = 1; len <= kMaxCodeBits; ++len)
            offset[len + 1] = offset[len] + count_[len];
        sorted_.assign(static_cast<std::size_t>(offset[kMaxCodeBits + 1]), 0);
        for (int s = 0; s < symbols; ++s)
            if (lengths[s])
                sorted_[static_cast<std::size_t>(offset[lengths[s]]++)] = static_cast<std::uint16_t>(s);
        fillTable();
        return true;
    }

    /// The next symbol, or -1 for bits that are no code.
    int decode(BitReader& in) const
    {
        const std::uint32_t bits = in.peek(kMaxCodeBits);
        if (const std::uint16_t entry = table_[bits & (kTableSize - 1)]) {
            in.drop(entry & 15);
            return entry >> 4;
        }
        int code = 0, first = 0, index = 0;
        for (int len = 1; len <= kMaxCodeBits; ++len) {
            code |= static_cast<int>(bits >> (len - 1) & 1u);
            const int count = count_[len];
            if (code - count < first) {
                in.drop(len);
                return sorted_[static_cast<std::size_t>(index + code - first)];
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        return -1;
    }

private:
    static constexpr int kTableBits = 10;
    static constexpr std::uint32_t kTableSize = 1u << kTableBits;

    // Entries are symbol << 4 | length; 0 marks a longer code. Codes are assigned in the order
    // of sorted_ (RFC 1951, 3.2.2) and stored bit-reversed, as they arrive.
    void fillTable()
    {
        table_.fill(0);
        std::uint32_t code = 0;
        std::size_t next = 0;
        for (int len = 1; len <= kTableBits; ++len) {
            for (int k = 0; k < count_[len]; ++k, ++code) {
                std::uint32_t reversed = 0;
                for (int b = 0; b < len; ++b)
                    reversed |= (code >> b & 1u) << (len - 1 - b);
                const auto entry = static_cast<std::uint16_t>(sorted_[next++] << 4 | len);
                for (std::uint32_t i = reversed; i < kTableSize; i += 1u << len)
                    table_[i] = entry;
            }
            code <<= 1;
        }
    }

    std::array<int, kMaxCodeBits + 1> count_{};
    std::vector<std::uint16_t> sorted_;
    std::array<std::uint16_t, kTableSize> table_{};
};

constexpr std::array<std::uint8_t, 29> kLengthExtraBits = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                                           2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
constexpr std::array<std::uint8_t, 30> kDistanceExtraBits = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                                             6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
constexpr int kEndOfBlock = 256;

// The codes of a block compressed with fixed Huffman codes (BTYPE 01).
bool buildFixedCodes(HuffmanCode& literals, HuffmanCode& distances)
{
    std::array<std::uint8_t, 288> lengths{};
    std::fill(lengths.begin(), lengths.begin() + 144, 8);
    std::fill(lengths.begin() + 144, lengths.begin() + 256, 9);
    std::fill(lengths.begin() + 256, lengths.begin() + 280, 7);
    std::fill(lengths.begin() + 280, lengths.end(), 8);
    std::array<std::uint8_t, 30> distanceLengths{};
    distanceLengths.fill(5);
    return literals.build(lengths.data(), 288) && distances.build(distanceLengths.data(), 30);
}

// The code-length codes and the code lengths they spell (BTYPE 10, RFC 1951 3.2.7).
bool readDynamicCodes(BitReader& in, HuffmanCode& literals, HuffmanCode& distances)
{
    static constexpr std::array<std::uint8_t, 19> kOrder = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5,
                                                            11, 4, 12, 3, 13, 2, 14, 1, 15};
    const int literalCount = static_cast<int>(in.take(5)) + 257;
    const int distanceCount = static_cast<int>(in.take(5)) + 1;
    const int lengthCodes = static_cast<int>(in.take(4)) + 4;
    if (literalCount > 286 || distanceCount > 30)
        return false;
    std::array<std::uint8_t, 19> codeLengths{};
    for (int k = 0; k < lengthCodes; ++k)
        codeLengths[kOrder[static_cast<std::size_t>(k)]] = static_cast<std::uint8_t>(in.take(3));
    HuffmanCode lengthCode;
    if (!lengthCode.build(codeLengths.data(), 19))
        return false;
    std::array<std::uint8_t, 286 + 30> lengths{};
    const int total = literalCount + distanceCount;
    for (int k = 0; k < total;) {
        const int symbol = lengthCode.decode(in);
        if (symbol < 0 || in.overrun())
            return false;
        if (symbol < 16) {
            lengths[static_cast<std::size_t>(k++)] = static_cast<std::uint8_t>(symbol);
            continue;
        }
        if (symbol == 16 && k == 0)
            return false;
        const std::uint8_t repeated = symbol == 16 ? lengths[static_cast<std::size_t>(k - 1)] : 0;
        const int times = symbol == 16 ? 3 + static_cast<int>(in.take(2))
                          : symbol == 17 ? 3 + static_cast<int>(in.take(3))
                                         : 11 + static_cast<int>(in.take(7));
        if (k + times > total)
            return false;
        std::fill_n(lengths.begin() + k, times, repeated);
        k += times;
    }
    return lengths[kEndOfBlock] != 0 && literals.build(lengths.data(), literalCount) &&
           distances.build(lengths.data() + literalCount, distanceCount);
}

// Reads the codes of one compressed block up to its end-of-block code.
bool skipCompressedData(BitReader& in, const HuffmanCode& literals, const HuffmanCode& distances)
{
    for (;;) {
        const int symbol = literals.decode(in);
        if (symbol < 0 || symbol > 285 || in.overrun())
            return false;
        if (symbol == kEndOfBlock)
            return true;
        if (symbol < kEndOfBlock)
            continue;
        in.take(kLengthExtraBits[static_cast<std::size_t>(symbol - 257)]);
        const int distance = distances.decode(in);
        if (distance < 0 || distance > 29)
            return false;
        in.take(kDistanceExtraBits[static_cast<std::size_t>(distance)]);
    }
}

bool skipStoredBlock(BitReader& in)
{
    in.seek((in.position() + 7) / 8 * 8);
    const std::uint32_t length = in.take(16);
    const std::uint32_t complement = in.take(16);
    if ((length ^ 0xffffu) != complement)
        return false;
    in.seek(in.position() + std::size_t{length} * 8);
    return true;
}

} // namespace

std::optional<DeflateEnd> deflateBlocksEnd(const std::uint8_t* stream, std::size_t size)
{
    BitReader in(stream, size);
    HuffmanCode literals, distances;
    for (;;) {
        const std::size_t header = in.position();
        const bool final = in.take(1) != 0;
        const std::uint32_t type = in.take(2);
        bool ok = false;
        if (type == 0)
            ok = skipStoredBlock(in);
        else if (type == 1)
            ok = buildFixedCodes(literals, distances) && skipCompressedData(in, literals, distances);
        else if (type == 2)
            ok = readDynamicCodes(in, literals, distances) && skipCompressedData(in, literals, distances);
        if (!ok || in.overrun())
            return std::nullopt;
        if (final)
            return DeflateEnd{header, in.position()};
    }
}

void appendJoinable(std::vector<std::uint8_t>& out, const std::vector<std::uint8_t>& piece, const DeflateEnd& end)
{
    const std::size_t whole = end.endBit / 8;
    const int spare = static_cast<int>(end.endBit % 8);
    const std::size_t start = out.size();
    out.insert(out.end(), piece.begin(), piece.begin() + static_cast<std::ptrdiff_t>(whole));
    // The last byte keeps the stream's bits; the stored block's three header bits (not final,
    // type 00) and the padding to the byte boundary are zeros.
    out.push_back(spare ? static_cast<std::uint8_t>(piece[whole] & ((1u << spare) - 1)) : 0);
    if (spare + 3 > 8)
        out.push_back(0);
    out[start + end.finalHeaderBit / 8] &= static_cast<std::uint8_t>(~(1u << (end.finalHeaderBit % 8)));
    const std::uint8_t emptyLength[4] = {0x00, 0x00, 0xff, 0xff}; // LEN 0 and its complement
    out.insert(out.end(), emptyLength, emptyLength + 4);
}

std::uint32_t combineAdler32(std::uint32_t first, std::uint32_t second, std::size_t secondLength)
{
    constexpr std::uint64_t kBase = 65521;
    const std::uint64_t rem = secondLength % kBase;
    std::uint64_t sum1 = first & 0xffffu;
    std::uint64_t sum2 = rem * sum1 % kBase;
    sum1 += (second & 0xffffu) + kBase - 1;
    sum2 += (first >> 16) + (second >> 16) + kBase - rem;
    sum1 %= kBase;
    sum2 %= kBase;
    return static_cast<std::uint32_t>(sum1 | sum2 << 16);
}

} // namespace detail

namespace {

struct CompressorDeleter {
    void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
};
using Compressor = std::unique_ptr<libdeflate_compressor, CompressorDeleter>;

// The bytes libdeflate writes for data[0, size) at `level`, as a zlib stream or a raw deflate
// one; empty if the compressor cannot be created. Its output buffer is as large as the bound,
// but only the bytes written are ever touched.
std::vector<std::uint8_t> compressed(const std::uint8_t* data, std::size_t size, int level, bool zlib)
{
    const Compressor compressor(libdeflate_alloc_compressor(level));
    if (!compressor)
        return {};
    const std::size_t bound = zlib ? libdeflate_zlib_compress_bound(compressor.get(), size)
                                   : libdeflate_deflate_compress_bound(compressor.get(), size);
    const std::unique_ptr<std::uint8_t[]> buffer(new std::uint8_t[bound]);
    const std::size_t written = zlib ? libdeflate_zlib_compress(compressor.get(), data, size, buffer.get(), bound)
                                     : libdeflate_deflate_compress(compressor.get(), data, size, buffer.get(), bound);
    return std::vector<std::uint8_t>(buffer.get(), buffer.get() + written);
}

void appendBigEndian(std::vector<std::uint8_t>& out, std::uint32_t value)
{
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<std::uint8_t>(value >> shift));
}

} // namespace

ZlibPiece compressZlibPiece(const std::uint8_t* data, std::size_t size, bool last, int level)
{
    ZlibPiece piece;
    piece.size = size;
    piece.last = last;
    piece.deflated = compressed(data, size, level, false);
    if (piece.deflated.empty())
        return piece;
    piece.adler = libdeflate_adler32(1, data, size);
    if (!last) {
        piece.end = detail::deflateBlocksEnd(piece.deflated.data(), piece.deflated.size());
        if (!piece.end)
            return piece;
    }
    piece.ok = true;
    return piece;
}

std::vector<std::uint8_t> joinZlibPieces(const std::vector<ZlibPiece>& pieces)
{
    const bool joinable = !pieces.empty() && pieces.back().last &&
                          std::all_of(pieces.begin(), pieces.end(), [](const ZlibPiece& p) { return p.ok; });
    if (!joinable)
        return {};
    std::vector<std::uint8_t> out = {0x78, 0x5e}; // deflate, 32 KiB window, "fast" level; % 31 == 0
    std::uint32_t adler = 1;
    for (const ZlibPiece& piece : pieces) {
        if (piece.last)
            out.insert(out.end(), piece.deflated.begin(), piece.deflated.end());
        else
            detail::appendJoinable(out, piece.deflated, *piece.end);
        adler = detail::combineAdler32(adler, piece.adler, piece.size);
    }
    appendBigEndian(out, adler);
    return out;
}

std::vector<std::uint8_t> compressZlib(const std::uint8_t* data, std::size_t size, int level)
{
    if (size < 2 * kZlibPieceBytes)
        return compressed(data, size, level, true);
    // The pieces depend on the size alone: the same bytes on any number of cores.
    const std::size_t count = size / kZlibPieceBytes;
    std::vector<std::size_t> indices(count);
    std::iota(indices.begin(), indices.end(), std::size_t{0});
    const auto pieces = QtConcurrent::blockingMapped<std::vector<ZlibPiece>>(indices, [&](std::size_t k) {
        const std::size_t begin = size * k / count, end = size * (k + 1) / count;
        return compressZlibPiece(data + begin, end - begin, k + 1 == count, level);
    });
    std::vector<std::uint8_t> out = joinZlibPieces(pieces);
    return out.empty() ? compressed(data, size, level, true) : out; // never seen: libdeflate's streams are well formed
}

} // namespace maskscope::ui
