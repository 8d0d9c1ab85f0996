#pragma once
// A fast PNG writer for figures: exports of large figures spend most of their time here.

#include <QByteArray>
#include <QImage>

namespace maskscope::ui {

/// The image as PNG bytes (8-bit RGB; alpha is dropped), with its dots per metre recorded (pHYs).
/// Made for speed rather than the smallest file: every row uses the "Up" filter (flat cells
/// repeat from row to row) and the rows are deflated at level 1 in strips on every core, joined
/// into one zlib stream as pigz does. Decodes to exactly the same pixels.
/// Returns an empty array for a null image or if zlib fails.
QByteArray encodePng(const QImage& image);

} // namespace maskscope::ui
