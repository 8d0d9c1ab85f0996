// SPDX-License-Identifier: MIT
#pragma once
// The figures' hot pixel loops — colour mapping, the rasteriser that scales cells to device
// pixels with hatching, and the PNG encoder's RGB packing — compiled once per x86-64 level in
// portable builds (cmake/IsaKernels.cmake) and used at the level the attention engine chose
// (attention/kernels.h), so one choice, one MASKSCOPE_ISA, governs every kernel of the program.
//
// Free of Qt: pixels are 0xAARRGGBB words, as QRgb is, and a level's copy of the loops is its
// own (see kernels.h for why the levels are linked apart).

#include "figure/cellstate.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace maskscope::ui {

/// A pixel of ARGB32 images: 0xAARRGGBB.
using Pixel = std::uint32_t;

/// `pixel` drawn over the opaque colour `under`: opaque pixels as they are, transparent ones
/// `under`, partly transparent ones blended over it with rounding. The result is opaque.
constexpr Pixel blendOver(Pixel pixel, Pixel under)
{
    const Pixel a = pixel >> 24;
    if (a == 255)
        return pixel;
    if (a == 0)
        return under | 0xff000000u;
    const auto mix = [a](Pixel shift, Pixel top, Pixel bottom) {
        return (((top >> shift & 0xffu) * a + (bottom >> shift & 0xffu) * (255 - a) + 127) / 255) << shift;
    };
    return 0xff000000u | mix(16, pixel, under) | mix(8, pixel, under) | mix(0, pixel, under);
}

/// How one matrix's cells become pixels (see cellColor in colormap.h, which these reproduce).
struct CellColours {
    const Pixel* table = nullptr; ///< the scale's 256 entries, low to high
    double lo = 0.0;              ///< the value at the table's first entry
    double span = 1.0;            ///< hi - lo; used only when `uniform` is false
    bool uniform = false;         ///< every Value cell is `uniformColour` (mask panels, span <= 0)
    Pixel uniformColour = 0;
    Pixel blocked = 0;            ///< Blocked and NegInf cells
    Pixel nan = 0;
    Pixel posInf = 0;
};

/// The device pixels a matrix's cells are scaled to, and the hatching of its blocked cells.
struct BakeGeometry {
    int width = 0;      ///< pixels across; >= 1
    int height = 0;     ///< pixels down; >= 1
    int period = 1;     ///< hatching: a diagonal line every `period` pixels; >= 1
    int lineWidth = 0;  ///< hatching lines' width in pixels, >= 0 (>= period: all hatched)
    Pixel fill = 0;     ///< the blocked grey (opaque)
    Pixel hatch = 0;    ///< the hatching lines' colour (opaque)
};

/// One image of cells, one pixel per cell: `width` x `height` pixels, `stride` pixels apart
/// from one row to the next.
struct CellPixels {
    const Pixel* pixels = nullptr;
    std::ptrdiff_t stride = 0;
    int width = 0;   ///< >= 1
    int height = 0;  ///< >= 1
};

/// Everything one level provides.
struct FigureKernelTable {
    const char* level = ""; ///< the -march it was compiled for, as KernelTable::level

    /// out[j] = the colour of cell (values[j], states[j]) for j < n, as cellColor gives it.
    void (*colourRow)(const double* values, const CellState* states, std::size_t n, const CellColours& colours,
                      Pixel* out) = nullptr;

    /// Nearest-neighbour scaling of `cells` to geometry.width x geometry.height opaque pixels,
    /// of which rows [firstRow, endRow) are written at `dst` (row firstRow; rows `bytesPerLine`
    /// apart): transparent cells become the hatched blocked grey, partly transparent ones are
    /// blended over the grey (blendOver), opaque ones are kept. 0 <= firstRow <= endRow <= height;
    /// a row is the same whatever range it is baked in.
    void (*bake)(const CellPixels& cells, const BakeGeometry& geometry, int firstRow, int endRow,
                 std::uint8_t* dst, std::ptrdiff_t bytesPerLine) = nullptr;

    /// The red, green and blue bytes of n pixels, in that order, at dst (3 n bytes).
    void (*packRgb)(const Pixel* src, std::size_t n, std::uint8_t* dst) = nullptr;
};

/// The figure kernels of the level the attention engine uses (activeKernels() in
/// attention/kernels.h). Thread-safe.
const FigureKernelTable& activeFigureKernels();

/// Every level this build holds that this processor runs, lowest first (tests compare them).
std::vector<const FigureKernelTable*> runnableFigureKernels();

} // namespace maskscope::ui
