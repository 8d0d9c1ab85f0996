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

template void writePixelRow<std::uint32_t>(const Heatmap&, const std::vector<std::uint32_t>&, QRgb*);
template void writePixelRow<std::uint64_t>(const Heatmap&, const std::vector<std::uint64_t>&, QRgb*);

} // namespace maskscope::ui
