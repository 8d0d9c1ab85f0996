// SPDX-License-Identifier: MIT
#include "figure/displaycells.h"

#include "figure/colormap.h"

namespace maskscope::ui {

std::vector<int> pixelBounds(int cells, int pixels)
{
    std::vector<int> bounds(static_cast<size_t>(std::max(0, pixels)) + 1);
    for (int p = 0; p <= pixels; ++p)
        bounds[static_cast<size_t>(p)] = static_cast<int>(static_cast<long long>(p) * cells / pixels);
    return bounds;
}

template <typename Word>
void writePixelRow(const Heatmap& map, const std::vector<Word>& keys, QRgb* line)
{
    for (size_t x = 0; x < keys.size(); ++x) {
        const auto [state, value] = CellKey<Word>::decode(keys[x]);
        line[x] = cellColor(map, state, value);
    }
}

namespace {

using Key = CellKey<std::uint64_t>;

// The key of one cell from its state and value: the same order as rowCellKeys gives.
std::uint64_t keyOf(CellState state, double value)
{
    switch (state) {
    case CellState::Blocked:
    case CellState::NegInf: return Key::kBlocked;
    case CellState::NaN: return Key::kNaN;
    case CellState::PosInf: return Key::kPosInf;
    case CellState::Value: break;
    }
    const std::uint64_t bits = std::bit_cast<std::uint64_t>(value);
    const std::uint64_t magnitude = bits & (~std::uint64_t(0) >> 1);
    return ((magnitude << 1) | (bits >> 63)) + 1;
}

// Calls use(y, x, cellIndex) for every cell, grouped by the pixel (x, y) it falls in.
template <typename Use>
void forEachPixelCell(const Heatmap& map, int width, int height, Use use)
{
    const std::vector<int> columns = pixelBounds(map.cols, width);
    const std::vector<int> rows = pixelBounds(map.rows, height);
    for (int y = 0; y < height; ++y)
        for (int i = rows[static_cast<size_t>(y)]; i < rows[static_cast<size_t>(y) + 1]; ++i)
            for (int x = 0; x < width; ++x)
                for (int j = columns[static_cast<size_t>(x)]; j < columns[static_cast<size_t>(x) + 1]; ++j)
                    use(y, x, static_cast<size_t>(i) * static_cast<size_t>(map.cols) + static_cast<size_t>(j));
}

QImage maskCoverageOfCells(const Heatmap& map, int width, int height)
{
    QImage image(width, height, QImage::Format_ARGB32);
    std::vector<long long> allowed(static_cast<size_t>(width) * static_cast<size_t>(height), 0);
    forEachPixelCell(map, width, height, [&](int y, int x, size_t k) {
        allowed[static_cast<size_t>(y) * static_cast<size_t>(width) + static_cast<size_t>(x)] +=
            map.states[k] == CellState::Value;
    });
    const std::vector<int> columns = pixelBounds(map.cols, width);
    const std::vector<int> rows = pixelBounds(map.rows, height);
    for (int y = 0; y < height; ++y) {
        auto* line = reinterpret_cast<QRgb*>(image.scanLine(y));
        const long long h = rows[static_cast<size_t>(y) + 1] - rows[static_cast<size_t>(y)];
        for (int x = 0; x < width; ++x)
            line[x] = maskCoveragePixel(allowed[static_cast<size_t>(y) * static_cast<size_t>(width) + static_cast<size_t>(x)],
                                        h * (columns[static_cast<size_t>(x) + 1] - columns[static_cast<size_t>(x)]));
    }
    return image;
}

} // namespace

QImage reducedCellImage(const Heatmap& map, QSize pixels)
{
    const size_t cells = static_cast<size_t>(std::max(0, map.rows)) * static_cast<size_t>(std::max(0, map.cols));
    const int width = std::min(pixels.width(), map.cols);
    const int height = std::min(pixels.height(), map.rows);
    if (cells == 0 || map.states.size() != cells || map.values.size() != cells || width <= 0 || height <= 0)
        return {};
    if (map.scale == ColorScale::Mask)
        return maskCoverageOfCells(map, width, height);
    QImage image(width, height, QImage::Format_ARGB32);
    std::vector<std::uint64_t> keys(static_cast<size_t>(width) * static_cast<size_t>(height), Key::kBlocked);
    forEachPixelCell(map, width, height, [&](int y, int x, size_t k) {
        auto& key = keys[static_cast<size_t>(y) * static_cast<size_t>(width) + static_cast<size_t>(x)];
        key = std::max(key, keyOf(map.states[k], map.values[k]));
    });
    std::vector<std::uint64_t> row(static_cast<size_t>(width));
    for (int y = 0; y < height; ++y) {
        std::copy_n(keys.begin() + static_cast<std::ptrdiff_t>(y) * width, width, row.begin());
        writePixelRow(map, row, reinterpret_cast<QRgb*>(image.scanLine(y)));
    }
    return image;
}

template void writePixelRow<std::uint32_t>(const Heatmap&, const std::vector<std::uint32_t>&, QRgb*);
template void writePixelRow<std::uint64_t>(const Heatmap&, const std::vector<std::uint64_t>&, QRgb*);

} // namespace maskscope::ui
