// SPDX-License-Identifier: MIT
#pragma once
// Figures of the mask drawn from its rules (the MaskSpec) rather than from an (Lq, Lk) matrix:
// any length (L = 131072 and beyond) and any region of it, in every export format, through the
// one renderer. A region small enough is built cell by cell, exactly as the normal figure (token
// labels, numbers, vector cells); a larger one is a panel whose cells the renderer asks the
// rules for at each output's own resolution (Heatmap::source), so no L x L matrix is ever made.

#include "figure/figure.h"

#include "mask/maskgrid.h"
#include "scenario/scenario.h"

#include <QImage>
#include <QString>

#include <string>

namespace maskscope::ui {

/// A part of a batch item's (Lq, Lk) matrix: query rows [rows.begin, rows.end) by keys
/// [cols.begin, cols.end), end exclusive as a Python slice.
struct CellRegion {
    IndexRange rows;
    IndexRange cols;

    friend bool operator==(const CellRegion&, const CellRegion&) = default;
};

/// The whole (queryLen, keyLen) matrix as a region.
inline CellRegion wholeMatrix(const MaskSpec& mask) { return {{0, mask.queryLen}, {0, mask.keyLen}}; }

/// Mask figures of more cells than this are drawn from the rules (the window switches to its
/// long-context view at the same size): up to it, the matrix figure is exact and cheap.
inline constexpr long long kMaxMatrixFigureCells = 4096LL * 4096LL;

/// Regions with at most this many rows and keys are built cell by cell (every cell, its value,
/// token labels); larger ones are drawn from the rules at the output's resolution.
inline constexpr int kMaxExactRegionSide = 1024;

/// Parses `--region` text "i0:i1,j0:j1" (whole numbers). Throws InputError naming the text when
/// it is not of that form. Ranges are checked against a mask by checkRegion.
CellRegion parseCellRegion(const std::string& text);

/// Throws InputError (one line, naming --region) unless the region is non-empty and inside
/// (queryLen, keyLen).
void checkRegion(const CellRegion& region, int queryLen, int keyLen);

/// True when the mask figure of `s` is too large for a matrix (kMaxMatrixFigureCells).
bool maskFigureNeedsRules(const Scenario& s);

/// The mask figure of `region` of batch item `batchItem`, titled `title` (empty: the default),
/// with the normal figure's title, subtitle (plus the region, when not the whole matrix),
/// labels, padding bands, rows-with-no-allowed-key markers and block overlay. Regions of at most
/// kMaxExactRegionSide rows and keys hold every cell, equal to the matrix figure's; larger ones
/// are drawn from the rules (Heatmap::source), in time O(rows + pixels) per output.
/// Throws InputError for a bad batch item or region.
Figure buildRulesMaskFigure(const Scenario& s, int batchItem, const CellRegion& region,
                            const QString& title = {});

/// One theme-free pixel per raster pixel, maskCoveragePixel of its counts (colormap.h): the
/// pixels of every mask drawn from its rules, in figures and in the window's long-context view.
QImage maskCoverageImage(const AllowedRaster& raster);

} // namespace maskscope::ui
