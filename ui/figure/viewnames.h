// SPDX-License-Identifier: MIT
#pragma once
// The one spelling of "which figure" by names: the command line (export --view/--head, bench
// --ui), the presets and the window's saved settings all read and write these, so a view is
// parsed in one place.

#include "figure/figurerequest.h"

#include <QJsonObject>

#include <optional>
#include <string>
#include <string_view>

namespace maskscope::ui {

/// "mask", "logits", "masked-logits", "weights", "pipeline" (command-line spelling).
const char* viewKindName(ViewKind view);
/// The view of a name of viewKindName; nullopt for any other text.
std::optional<ViewKind> viewKindFromName(std::string_view name);

/// "single", "all", "mean", "pipeline".
const char* layoutName(Layout layout);
/// The layout of a name of layoutName; nullopt for any other text.
std::optional<Layout> layoutFromName(std::string_view name);

/// A --head value: a head from 0 to heads - 1, "all" (kAllHeads) or "mean" (kMeanHead).
/// Throws InputError "--head expects all, mean or a head from 0 to H-1, got '...'" otherwise.
int headFromName(const std::string& text, int heads);

/// --view NAME applied to a selection: a matrix name selects that matrix (leaving a pipeline
/// layout for a single head), "pipeline" the pipeline layout. Throws InputError on other names.
void applyViewName(FigureRequest& view, const std::string& name);
/// --head TEXT applied after --view: "all" and "mean" select those layouts; a number (0 to
/// heads - 1) selects that head. In the pipeline layout, a number or "all" (every head's
/// pipeline) selects the heads and keeps the pipeline. Throws InputError as headFromName, and
/// for "mean" in the pipeline (the mean exists only for the weights).
void applyHeadName(FigureRequest& view, const std::string& text, int heads);

/// The selection as JSON by names: {"matrix": "weights", "layout": "single", "head": 0,
/// "batch_item": 0, "compare_fixed": false}.
QJsonObject viewToJson(const FigureRequest& view);
/// The selection of viewToJson's JSON (presets and saved settings). Missing keys keep their
/// defaults; matrix and layout saved as integers (the enum's value, as settings before names
/// stored them) still load. Throws InputError naming an unknown matrix or layout.
FigureRequest viewFromJson(const QJsonObject& json);

} // namespace maskscope::ui
