// SPDX-License-Identifier: MIT
#pragma once
// One zlib stream (RFC 1950) compressed by libdeflate on several cores. libdeflate compresses a
// whole buffer at once and ends it with a final block; the pieces of a large buffer are
// compressed apart and joined as pigz joins its pieces: the final-block bit of each but the last
// is cleared and an empty stored block brings the stream to a byte boundary, where the next
// piece begins. Finding that bit takes a walk through the piece's blocks (deflateBlocksEnd),
// which reads the compressed piece once, about a tenth of the work of compressing it.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace maskscope::ui {

namespace detail {

/// Where a raw deflate stream (RFC 1951) ends, in bits from its start, and where its final
/// block's header begins. Reads block headers and Huffman codes, not what they decode to.
struct DeflateEnd {
    std::size_t finalHeaderBit = 0; ///< the BFINAL bit of the last block
    std::size_t endBit = 0;         ///< just past its end-of-block code (or stored bytes)
};

/// The end of the deflate stream at stream[0, size), or nothing if it is not a well-formed
/// stream ending within `size` bytes (then the caller compresses without joining).
std::optional<DeflateEnd> deflateBlocksEnd(const std::uint8_t* stream, std::size_t size);

/// Appends to `out` the complete deflate stream `piece` (whose end is `end`) made non-final,
/// followed by an empty stored block that ends on a byte boundary, so that another deflate
/// stream can follow it byte for byte.
void appendJoinable(std::vector<std::uint8_t>& out, const std::vector<std::uint8_t>& piece, const DeflateEnd& end);

/// The Adler-32 of A followed by B, from adler32(A), adler32(B) and B's length (zlib's
/// adler32_combine).
std::uint32_t combineAdler32(std::uint32_t first, std::uint32_t second, std::size_t secondLength);

} // namespace detail

/// The bytes of one zlib stream that decompresses to data[0, size), compressed at libdeflate's
/// `level` (1..12). Buffers of at least 2 * kZlibPieceBytes are cut into pieces of about
/// kZlibPieceBytes, compressed on the global thread pool: the pieces depend on the size alone,
/// so the bytes are the same on every machine whatever its number of cores. Returns an empty
/// vector if the compressor cannot be created (out of memory).
std::vector<std::uint8_t> compressZlib(const std::uint8_t* data, std::size_t size, int level);

/// Below twice this many bytes a buffer is one piece.
inline constexpr std::size_t kZlibPieceBytes = std::size_t{4} << 20;

/// One piece of a zlib stream, compressed apart from the others by compressZlibPiece and joined
/// to them, in order, by joinZlibPieces. It no longer refers to the bytes it was made from.
struct ZlibPiece {
    std::vector<std::uint8_t> deflated;     ///< a raw deflate stream of the piece's bytes
    std::optional<detail::DeflateEnd> end; ///< where that stream ends; for all but the last piece
    std::uint32_t adler = 1;                ///< the Adler-32 of the piece's bytes
    std::size_t size = 0;                   ///< how many bytes it decompresses to
    bool last = false;
    bool ok = false; ///< false if the compressor could not be created (out of memory)
};

/// data[0, size) compressed at `level` as the piece of a stream that ends with it (`last`) or
/// not. Thread-safe: pieces of one stream may be compressed at the same time.
ZlibPiece compressZlibPiece(const std::uint8_t* data, std::size_t size, bool last, int level);

/// The zlib stream of `pieces` one after the other; empty if any of them is not ok or the last
/// piece is not marked last.
std::vector<std::uint8_t> joinZlibPieces(const std::vector<ZlibPiece>& pieces);

} // namespace maskscope::ui
