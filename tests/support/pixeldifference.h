// SPDX-License-Identifier: MIT
#pragma once
// How far apart two renderings of one picture are: painted a band of rows at a time, anti-aliased
// edges may come out a level in 255 away from the picture painted whole (encodePaintedPng).

#include <QImage>

#include <algorithm>
#include <cstdlib>

namespace maskscope::testing {

struct PixelDifference {
    long long pixels = 0; ///< how many pixels differ
    int most = 0;         ///< by how much at most in any channel (0..255)
};

/// The difference of two images of one size (any formats; compared as RGB).
inline PixelDifference pixelDifference(const QImage& a, const QImage& b)
{
    PixelDifference d;
    for (int y = 0; y < a.height(); ++y)
        for (int x = 0; x < a.width(); ++x) {
            const QRgb p = a.pixel(x, y), q = b.pixel(x, y);
            if ((p & 0xffffffu) == (q & 0xffffffu))
                continue;
            ++d.pixels;
            d.most = std::max({d.most, std::abs(qRed(p) - qRed(q)), std::abs(qGreen(p) - qGreen(q)),
                               std::abs(qBlue(p) - qBlue(q))});
        }
    return d;
}

} // namespace maskscope::testing
