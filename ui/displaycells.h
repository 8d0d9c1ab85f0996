#pragma once
// A matrix with more cells than the screen has pixels for it, reduced to those pixels. A panel
// of 2048 x 2048 cells drawn into 500 x 500 pixels needs no 2048 x 2048 image: each pixel stands
// for the block of cells under it (about 4 x 4 here), summarised so that the picture stays
// honest for teaching:
//
// - NaN if ANY cell of the block is NaN: a NaN is a bug signal and must never be averaged away.
// - Blocked (hatched) only if EVERY cell is blocked (or -inf): one allowed key, e.g. the
//   one-cell-wide diagonal of a sliding window, is never hidden under the hatching.
// - Otherwise the most extreme value of the block's numbers (largest magnitude, sign kept; +inf
//   beats every finite number). For weights (>= 0) that is the maximum: a key that takes most of
//   a row's attention stays visible however many near-zero keys share its pixel, where a mean
//   would dilute it 16-fold. For logits it keeps the outliers that dominate the softmax.
//
// Exact values are never read from these images: hovering and exports go back to the trace.

#include "figure.h"

#include <QImage>
#include <QSize>

#include <cmath>
#include <utility>
#include <vector>

namespace maskscope::ui {

/// Where the pixels of an axis of `cells` cells drawn in `pixels` (<= cells) pixels begin:
/// pixel p covers cells [bounds[p], bounds[p + 1]), bounds[p] = p * cells / pixels, so every
/// cell belongs to exactly one pixel and blocks differ in size by at most one cell.
std::vector<int> pixelBounds(int cells, int pixels);

/// The summary of the cells under one pixel (see the rules at the top of this file).
class PixelSummary {
public:
    // Branch-free: it runs once per cell of a 2048 x 2048 matrix.
    void add(CellState state, double value)
    {
        const bool number = state == CellState::Value;
        const double magnitude = number ? std::fabs(value) : -1.0;
        const bool larger = magnitude > largest_;
        extreme_ = larger ? value : extreme_;
        largest_ = larger ? magnitude : largest_;
        nan_ |= state == CellState::NaN;
        posInf_ |= state == CellState::PosInf;
    }
    /// The state the pixel is drawn in, and its value (meaningful for Value).
    std::pair<CellState, double> result() const
    {
        if (nan_)
            return {CellState::NaN, 0.0};
        if (posInf_)
            return {CellState::PosInf, 0.0};
        if (largest_ >= 0.0)
            return {CellState::Value, extreme_};
        return {CellState::Blocked, 0.0};
    }

private:
    double extreme_ = 0.0;
    double largest_ = -1.0; ///< magnitude of extreme_; < 0 while no Value cell was added
    bool nan_ = false;
    bool posInf_ = false;
};

/// The cells of `map` (its rows, cols, scale and range; values and states may be empty) reduced
/// to `pixels` through cellColor. cellOf(i, j) returns the {state, value} of cell (i, j). A side
/// with fewer cells than pixels keeps one pixel per cell (the painter scales that side up).
template <typename CellOf>
QImage reducedCellImage(const Heatmap& map, QSize pixels, CellOf cellOf);

/// Writes one row of summaries as colours through cellColor.
void writePixelRow(const Heatmap& map, const std::vector<PixelSummary>& row, QRgb* line);

template <typename CellOf>
QImage reducedCellImage(const Heatmap& map, QSize pixels, CellOf cellOf)
{
    const int width = std::min(pixels.width(), map.cols);
    const int height = std::min(pixels.height(), map.rows);
    QImage image(width, height, QImage::Format_ARGB32);
    if (image.isNull() || width <= 0 || height <= 0)
        return image;
    const std::vector<int> columns = pixelBounds(map.cols, width);
    const std::vector<int> rows = pixelBounds(map.rows, height);
    std::vector<PixelSummary> summaries(static_cast<size_t>(width));
    for (int y = 0; y < height; ++y) {
        std::fill(summaries.begin(), summaries.end(), PixelSummary());
        for (int i = rows[static_cast<size_t>(y)]; i < rows[static_cast<size_t>(y) + 1]; ++i) {
            // Pixel by pixel along the row: each pixel's cells are contiguous.
            for (int x = 0; x < width; ++x) {
                PixelSummary& summary = summaries[static_cast<size_t>(x)];
                for (int j = columns[static_cast<size_t>(x)]; j < columns[static_cast<size_t>(x) + 1]; ++j) {
                    const auto [state, value] = cellOf(i, j);
                    summary.add(state, value);
                }
            }
        }
        writePixelRow(map, summaries, reinterpret_cast<QRgb*>(image.scanLine(y)));
    }
    return image;
}

} // namespace maskscope::ui
