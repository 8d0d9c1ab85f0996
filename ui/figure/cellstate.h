// SPDX-License-Identifier: MIT
#pragma once
// The state of one cell of a figure's matrix; free of Qt so that the figure kernels
// (figurekernels.h), compiled once per processor level, can read it.

#include <cstdint>

namespace maskscope::ui {

/// How a cell is drawn. Blocked and NaN cells are off the colour scale and drawn so that they
/// cannot be mistaken for a small value.
enum class CellState : std::uint8_t {
    Value,    ///< a finite number, coloured by the scale
    Blocked,  ///< the mask blocks this key for this query (hatched, neutral grey)
    NaN,      ///< not a number (e.g. a fully blocked row under -inf): drawn distinctly
    NegInf,   ///< -inf in a matrix of numbers (masked logits): drawn as blocked
    PosInf,
};

} // namespace maskscope::ui
