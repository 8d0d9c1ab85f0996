// SPDX-License-Identifier: MIT
#pragma once
// The PNG writer of figure exports: PNG row filters and libdeflate.

#include <QByteArray>
#include <QImage>

#include <cstddef>
#include <functional>

class QPainter;

namespace maskscope::ui {

/// The image as PNG bytes (8-bit RGB; alpha is dropped), with its dots per metre recorded (pHYs).
/// Rows that repeat the row above use PNG's Up filter, the others none (see filterRows); the
/// rows are compressed by libdeflate into one zlib stream, which falls back to stored blocks
/// where data does not compress, so a file is never much larger than its raw pixels. Decodes to
/// exactly the same pixels. Images of at least 8 MiB of rows are compressed in pieces on every
/// core (parallelzlib.h). Returns an empty array for a null image or when the compressor cannot
/// be created.
QByteArray encodePng(const QImage& image);

/// Paints a whole image through `painter`, in the image's own pixel coordinates: the painter may
/// stand for a band of rows of it (translated up), so it must paint every pixel, the same way
/// whatever the band, and leave nothing to the pixels' previous contents.
using ImagePainter = std::function<void(QPainter& painter)>;

/// The PNG of an image of `size` that `paint` draws, with `dotsPerMeter` recorded: the bytes
/// encodePng would write for the image painted whole, up to the pieces of the zlib stream and
/// anti-aliased edges across a band's edge (at most a level in 255 apart: Qt clips what it paints
/// to the device). The image is painted a band of pngBandRows(width) rows at a time into one
/// reused band, and each band's rows deflated on the global thread pool while the next is painted,
/// so that the whole image is never in memory: the 8-head grid's export touches 23 MB instead of
/// 39 (docs/figures.md, "Speed against PyTorch + matplotlib"). The bands, and so the bytes, depend
/// on the size alone. Empty for an empty size or when the memory cannot be had.
QByteArray encodePaintedPng(QSize size, int dotsPerMeter, const ImagePainter& paint);

/// Rows of an image `width` pixels wide that encodePaintedPng paints at a time: about
/// kPngBandBytes of rows as PNG stores them, at least one.
int pngBandRows(int width);

inline constexpr std::size_t kPngBandBytes = std::size_t{1} << 20;

/// libdeflate's compression level (1..12). The 8-head weights grid at L = 256 (1725 x 1750 px,
/// 9 MB of pixels): 489 KB in 61 ms at level 2, 364 KB in 92 ms at level 6, where the encoder it
/// replaced wrote 1.15 MB; level 2 keeps export well under the 20x-faster-than-matplotlib target
/// (docs/figures.md, "PNG size").
inline constexpr int kPngCompressionLevel = 2;

} // namespace maskscope::ui
