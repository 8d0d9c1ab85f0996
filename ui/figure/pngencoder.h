// SPDX-License-Identifier: MIT
#pragma once
// The PNG writer of figure exports: PNG row filters and libdeflate.

#include <QByteArray>
#include <QImage>

namespace maskscope::ui {

/// The image as PNG bytes (8-bit RGB; alpha is dropped), with its dots per metre recorded (pHYs).
/// Rows that repeat the row above use PNG's Up filter, the others none (see filterRows); the
/// rows are compressed by libdeflate into one zlib stream, which falls back to stored blocks
/// where data does not compress, so a file is never much larger than its raw pixels. Decodes to
/// exactly the same pixels. Images of at least 8 MiB of rows are compressed in pieces on every
/// core (parallelzlib.h). Returns an empty array for a null image or when the compressor cannot
/// be created.
QByteArray encodePng(const QImage& image);

/// The same bytes from an image given up to the encoder: when it is the only reference to its
/// pixels (a temporary, or std::move'd), they are overwritten with the rows PNG stores instead of
/// copied into a buffer of their own, and `image` is left null.
QByteArray encodePng(QImage&& image);

/// libdeflate's compression level (1..12). The 8-head weights grid at L = 256 (1725 x 1750 px,
/// 9 MB of pixels): 489 KB in 61 ms at level 2, 364 KB in 92 ms at level 6, where the encoder it
/// replaced wrote 1.15 MB; level 2 keeps export well under the 20x-faster-than-matplotlib target
/// (docs/figures.md, "PNG size").
inline constexpr int kPngCompressionLevel = 2;

} // namespace maskscope::ui
