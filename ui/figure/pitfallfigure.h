// SPDX-License-Identifier: MIT
#pragma once
// The pitfall lab in figures: the same scenario written correctly ("fixed"), the before/after
// figure that puts the matrices of a mistake next to those of the fixed code, and the notes a
// figure's subtitle carries about the lab's settings. Shared by the window (tracejob.h) and the
// exports (figurejob.h), so that both show the very same figure.

#include "figure/figure.h"

#include "scenario/scenario.h"

#include <QStringList>

namespace maskscope::ui {

/// True when `config` makes a mistake that fixedConfig() undoes: a --bug, or a fill that its
/// number format cannot hold (-1e9 in float16).
bool hasFixableMistake(const ScenarioConfig& config);

/// The same scenario written correctly: no mistakes, and a fill the number format cannot hold
/// replaced by the format's lowest (finfo.min), as the fix of seed 001 advises. The number
/// format, the blocked-row policy and the mask application stay: they describe the framework
/// that computes, not a mistake in the code.
ScenarioConfig fixedConfig(const ScenarioConfig& config);

/// `s` with the mask of fixedConfig(s.config); the inputs are the same, except for a real
/// model, which runs again without the mistake (its layer's inputs depend on the layers below).
/// Throws InputError if the fixed rules do not fit (they always do when `s` is valid).
Scenario fixedScenario(const Scenario& s);

/// The inputs the fixed scenario `fixed` computes on: its own when of type T (a real model's,
/// which the mistake changed), else `mistaken`'s (the very same inputs).
template <typename T>
const AttentionInputs<T>& fixedInputs(const Scenario& fixed, const AttentionInputs<T>& mistaken)
{
    const auto* own = std::get_if<AttentionInputs<T>>(&fixed.inputs);
    return own ? *own : mistaken;
}

/// One figure of two of the same view and head: the panels of `mistaken` titled "with the
/// mistake", those of `fixed` titled "fixed" (and marked Heatmap::fixedSide). A single panel
/// becomes a pair side by side; a pipeline keeps its rows, the fixed ones below; a grid of heads
/// becomes pairs per head. Diverging panels share one range across both halves, so equal
/// colours mean equal numbers. The title and subtitle are the mistaken figure's.
Figure comparisonFigure(Figure mistaken, Figure fixed);

/// What the pitfall lab changes, for a figure's subtitle: the number format, the mistakes, the
/// mask application and the blocked-row policy where they differ from the defaults. Empty for
/// the correct forward pass.
QStringList pitfallSubtitleParts(const Scenario& s);

} // namespace maskscope::ui
