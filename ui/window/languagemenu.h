// SPDX-License-Identifier: MIT
#pragma once
// The Language menu of the window (the languages themselves: figure/language.h).

class QMenu;
class QMenuBar;

namespace maskscope::ui {

/// Adds the Language menu (System / English / 简体中文) to `bar`; picking an entry applies it
/// at once and, with `persist`, keeps it for the next start.
QMenu* addLanguageMenu(QMenuBar* bar, bool persist);

} // namespace maskscope::ui
