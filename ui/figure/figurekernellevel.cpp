// SPDX-License-Identifier: MIT
// One x86-64 level's figure kernels (figurekernels.h), compiled once per level. The loops are
// written without branches on the data where they can be, so that each level's compiler can
// turn them into its own vector code (gathers from the colour table, blends, byte shuffles).
#include "figure/figurekernels.h"

#include <algorithm>

#ifndef MASKSCOPE_ISA_LEVEL
#error "MASKSCOPE_ISA_LEVEL names the level's -march; set by cmake/IsaKernels.cmake"
#endif

namespace maskscope::MASKSCOPE_ISA_NS {

using ui::BakeGeometry;
using ui::CellColours;
using ui::CellPixels;
using ui::CellState;
using ui::Pixel;

namespace {

// The table index of a value: Colormap::at's arithmetic (NaN and t <= 0 give the first entry,
// t >= 1 the last, else the nearest of 256), clamped first so that no lane converts an
// out-of-range double.
inline std::size_t tableIndex(double value, double lo, double span)
{
    const double t = (value - lo) / span;
    const double clamped = t > 0.0 ? (t < 1.0 ? t : 1.0) : 0.0;
    return static_cast<std::size_t>(static_cast<int>(clamped * 255.0 + 0.5));
}

void colourRow(const double* values, const CellState* states, std::size_t n, const CellColours& c, Pixel* out)
{
    // Indexed by CellState: the colour of each state other than Value.
    const Pixel offScale[5] = {0, c.blocked, c.nan, c.blocked, c.posInf};
    if (c.uniform) {
        for (std::size_t j = 0; j < n; ++j)
            out[j] = states[j] == CellState::Value ? c.uniformColour : offScale[static_cast<int>(states[j])];
        return;
    }
    for (std::size_t j = 0; j < n; ++j) {
        const Pixel scaled = c.table[tableIndex(values[j], c.lo, c.span)];
        out[j] = states[j] == CellState::Value ? scaled : offScale[static_cast<int>(states[j])];
    }
}

// The hatching along a row, from which row y reads at offset y % period: one colour per pixel,
// a diagonal line wherever (x + y) % period < lineWidth.
std::vector<Pixel> hatchPattern(const BakeGeometry& g)
{
    std::vector<Pixel> pattern(static_cast<std::size_t>(g.width) + static_cast<std::size_t>(g.period));
    for (std::size_t k = 0; k < pattern.size(); ++k)
        pattern[k] = static_cast<int>(k % static_cast<std::size_t>(g.period)) < g.lineWidth ? g.hatch : g.fill;
    return pattern;
}

// The cell each pixel shows: the one under the pixel's centre.
std::vector<int> nearestCells(int cells, int pixels)
{
    std::vector<int> index(static_cast<std::size_t>(pixels));
    for (int p = 0; p < pixels; ++p)
        index[static_cast<std::size_t>(p)] = std::min(cells - 1, static_cast<int>((p + 0.5) * cells / pixels));
    return index;
}

void bake(const CellPixels& cells, const BakeGeometry& g, int firstRow, int endRow, std::uint8_t* dst,
          std::ptrdiff_t bytesPerLine)
{
    const std::vector<Pixel> pattern = hatchPattern(g);
    const std::vector<int> columns = nearestCells(cells.width, g.width);
    const std::vector<int> rows = nearestCells(cells.height, g.height);
    for (int y = firstRow; y < endRow; ++y) {
        const Pixel* src = cells.pixels + rows[static_cast<std::size_t>(y)] * cells.stride;
        const Pixel* hatch = pattern.data() + y % g.period;
        auto* line = reinterpret_cast<Pixel*>(dst + (y - firstRow) * bytesPerLine);
        for (int x = 0; x < g.width; ++x) {
            const Pixel c = src[columns[static_cast<std::size_t>(x)]];
            const Pixel alpha = c >> 24;
            line[x] = alpha == 255 ? c : alpha == 0 ? hatch[x] : ui::blendOver(c, g.fill);
        }
    }
}

void packRgb(const Pixel* src, std::size_t n, std::uint8_t* dst)
{
    for (std::size_t x = 0; x < n; ++x) {
        dst[3 * x] = static_cast<std::uint8_t>(src[x] >> 16);
        dst[3 * x + 1] = static_cast<std::uint8_t>(src[x] >> 8);
        dst[3 * x + 2] = static_cast<std::uint8_t>(src[x]);
    }
}

} // namespace

/// This level's entry point, the only symbol its linked object exports.
const ui::FigureKernelTable& figureKernels();

const ui::FigureKernelTable& figureKernels()
{
    static const ui::FigureKernelTable table{MASKSCOPE_ISA_LEVEL, &colourRow, &bake, &packRgb};
    return table;
}

} // namespace maskscope::MASKSCOPE_ISA_NS
