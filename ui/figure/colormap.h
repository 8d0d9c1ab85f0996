// SPDX-License-Identifier: MIT
#pragma once
// Colours of the figures: perceptually uniform colormaps as 256-entry lookup tables, the
// off-scale colours (blocked, NaN, padding) and the light and dark theme palettes.

#include "figure/figure.h"
#include "figure/figurekernels.h"

#include <QColor>
#include <QImage>
#include <QRgb>

#include <array>

namespace maskscope::ui {

/// A colormap as a 256-entry lookup table, indexed by a position in [0, 1].
class Colormap {
public:
    explicit constexpr Colormap(const std::array<QRgb, 256>& table) : table_(table) {}

    /// matplotlib's viridis (the real 256-entry table): weights on [0, 1].
    static const Colormap& viridis();
    /// matplotlib's RdBu_r (ColorBrewer, blue = negative, near-white = 0, red = positive): logits.
    static const Colormap& diverging();

    /// The colour at position t; t is clamped to [0, 1] (a NaN t gives the first entry).
    QRgb at(double t) const;
    QRgb entry(int index) const { return table_[static_cast<size_t>(index)]; }

    /// The table as a 1-pixel-thick image, low values at the bottom (vertical) or left.
    QImage ramp(Qt::Orientation orientation) const;

private:
    const std::array<QRgb, 256>& table_;
};

/// Colour of an allowed cell in the mask view.
inline constexpr QRgb kAllowedColor = 0xff21918c; // viridis' middle teal: "open"
/// NaN cells: a colour that is on no scale, so a NaN can never pass for a number.
inline constexpr QRgb kNaNColor = 0xffff00ff;
/// Blocked cells in a cell image are transparent; the renderer paints them in the theme's
/// blocked grey with hatching, so the colour never depends on the theme stored in the image.
inline constexpr QRgb kBlockedPixel = 0x00000000;
/// A mask pixel over cells of which some, not all, are allowed is kAllowedColor at least this
/// opaque over the blocked grey, so that a lone allowed cell never disappears into it.
inline constexpr int kMixedMaskMinAlpha = 96;

/// Theme colours of everything around and over the cells.
struct Palette {
    QColor background;
    QColor text;
    QColor mutedText;     ///< subtitles, padded-position labels
    QColor frame;         ///< matrix outline, colour-bar outline, ticks
    QColor blockedFill;   ///< neutral grey under the hatching
    QColor blockedHatch;
    QColor padding;       ///< band marking padded rows and columns
    QColor alert;         ///< marker of rows with no allowed key
};

Palette paletteFor(Theme theme);

/// Colour of one cell (states Blocked and NegInf give kBlockedPixel).
QRgb cellColor(const Heatmap& map, CellState state, double value);

/// What the figure kernels' colourRow needs to colour `map`'s cells as cellColor does.
CellColours cellColours(const Heatmap& map);

/// One ARGB32 pixel per cell, row = query, column = key, through cellColor (computed by the
/// processor's level of the figure kernels).
QImage makeCellImage(const Heatmap& map);

/// The theme-free pixel of a mask pixel over `cells` cells of which `allowed` are allowed:
/// kBlockedPixel (hatched by the renderer) only when none is, kAllowedColor when all are, else
/// kAllowedColor with an alpha from kMixedMaskMinAlpha to 254 growing with the allowed fraction.
/// Preconditions: 0 <= allowed <= cells, cells >= 1.
QRgb maskCoveragePixel(long long allowed, long long cells);

/// A cell-image pixel as drawn over `under` (the blocked grey): opaque pixels as they are,
/// transparent ones `under`, partly transparent ones (mixed mask pixels) blended over it.
QRgb overBlockedFill(QRgb pixel, QRgb under);

/// True if text on this background reads better in white than in black.
bool prefersLightText(QRgb background);

} // namespace maskscope::ui
