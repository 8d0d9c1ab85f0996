#pragma once
// The PNG writer of figure exports: PNG row filters and libdeflate.

#include <QByteArray>
#include <QImage>

namespace maskscope::ui {

/// The image as PNG bytes (8-bit RGB; alpha is dropped), with its dots per metre recorded (pHYs).
/// Rows that repeat the row above use PNG's Up filter, the others none (see filterRows); the
/// rows are compressed by libdeflate into one zlib stream, which falls back to stored blocks
/// where data does not compress, so a file is never much larger than its raw pixels. Decodes to
/// exactly the same pixels. Returns an empty array for a null image or when the compressor
/// cannot be created.
QByteArray encodePng(const QImage& image);

/// libdeflate's compression level (1..12): the 8-head weights grid at L = 256 (1725 x 1750 px)
/// becomes 364 KB at level 6 against 447 KB at level 3 for a few milliseconds more, and levels
/// from 9 on cost several times as long (README, "PNG size").
inline constexpr int kPngCompressionLevel = 6;

} // namespace maskscope::ui
