// SPDX-License-Identifier: MIT
#pragma once
// The names of the steps of the document's history (documenthistory.h): which settings a change
// touched, found by the option table and the view's names (so a new option is covered without
// being listed here), and what the Edit menu calls them.

#include "figure/figurerequest.h"
#include "scenario/config.h"

#include <QString>

#include <string>
#include <vector>

namespace maskscope::ui {

/// Everything the window shows: the parameters and the figure selection. Plain value.
struct DocumentSnapshot {
    ScenarioConfig config;
    FigureRequest view;

    friend bool operator==(const DocumentSnapshot&, const DocumentSnapshot&) = default;
};

/// The settings that differ between `a` and `b`, in a fixed order: first the scenario options
/// whose written value differs (by option, e.g. "--seq-len"), then the view's fields by their
/// viewToJson keys (e.g. "head"). A config difference that no option writes is "settings".
/// Empty when a == b.
std::vector<std::string> changedSettings(const DocumentSnapshot& a, const DocumentSnapshot& b);

/// The user's name of one entry of changedSettings in the language now installed, e.g.
/// "Length" for "--seq-len"; an option without a name of its own is called by its spelling.
QString settingLabel(const std::string& setting);

/// The name of a step that changed `settings` (changedSettings): the first one or two labels
/// ("Length", "Length, Heads"), and "…" when there are more.
QString changeLabel(const std::vector<std::string>& settings);

} // namespace maskscope::ui
