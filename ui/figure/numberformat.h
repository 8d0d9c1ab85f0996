// SPDX-License-Identifier: MIT
#pragma once
// Numbers as a figure writes them: short, with a real minus sign and the infinity sign.

#include <QString>

namespace maskscope::ui {

/// At most `decimals` decimals, trailing zeros dropped ("0.25", "−1.3", "1", "0"); magnitudes from
/// 1e5 up in short scientific form ("−1e9", "−3.4e38"); "−∞", "∞", "NaN".
QString prettyNumber(double value, int decimals);

} // namespace maskscope::ui
