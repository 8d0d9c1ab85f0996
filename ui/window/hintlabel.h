// SPDX-License-Identifier: MIT
#pragma once
// Quiet explanatory text under a control: a word-wrapped label in a colour between the window
// text and the background.

#include <QColor>
#include <QString>

class QLabel;

namespace maskscope::ui {

/// Text between the window text and the background: quieter than a label, still easy to read,
/// in light and dark themes alike.
QColor hintColor();

/// A word-wrapped label in hintColor().
QLabel* hintLabel(const QString& text = {});

} // namespace maskscope::ui
