// SPDX-License-Identifier: MIT
#pragma once
// Position arithmetic the mask rules share (private to core/mask): floor division of possibly
// negative aligned positions, and the centre of a 2-D neighbourhood.

#include "mask/maskspec.h"

#include <algorithm>

namespace maskscope::positions {

/// floor(a / b) for b > 0, also for negative a (i' < 0 with bottom-right alignment).
inline long long floorDiv(long long a, long long b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/// a - floorDiv(a, b) * b, in [0, b).
inline long long floorMod(long long a, long long b)
{
    return a - floorDiv(a, b) * b;
}

/// The kernel centre (row, column) of grid position p: p's own cell clamped so that the
/// KH x KW kernel stays inside the grid (NATTEN's rule). Precondition: 0 <= p < H * W.
struct GridCell {
    long long y;
    long long x;
};
inline GridCell neighborhoodCentre(const Neighborhood& n, long long p)
{
    const long long y = p / n.width, x = p % n.width;
    return {std::clamp<long long>(y, n.kernelHeight / 2, n.height - 1 - n.kernelHeight / 2),
            std::clamp<long long>(x, n.kernelWidth / 2, n.width - 1 - n.kernelWidth / 2)};
}

} // namespace maskscope::positions
