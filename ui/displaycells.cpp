#include "displaycells.h"

#include "colormap.h"

namespace maskscope::ui {

std::vector<int> pixelBounds(int cells, int pixels)
{
    std::vector<int> bounds(static_cast<size_t>(std::max(0, pixels)) + 1);
    for (int p = 0; p <= pixels; ++p)
        bounds[static_cast<size_t>(p)] = static_cast<int>(static_cast<long long>(p) * cells / pixels);
    return bounds;
}

void writePixelRow(const Heatmap& map, const std::vector<PixelSummary>& row, QRgb* line)
{
    for (size_t x = 0; x < row.size(); ++x) {
        const auto [state, value] = row[x].result();
        line[x] = cellColor(map, state, value);
    }
}

} // namespace maskscope::ui
