// SPDX-License-Identifier: MIT
#pragma once
// Long context in the window: lengths whose L x L figure (and logits and weights) would not fit
// are shown as the mask alone, drawn at screen resolution from the rules (longmaskview.h).

#include "document/tracejob.h"
#include "figure/rulesfigure.h"

namespace maskscope::ui {

/// True when `config` asks for more than kMaxMatrixFigureCells cells (rulesfigure.h: 4096 x 4096,
/// the largest length the controls offer; longer sequences from the command line get the
/// long-context view). Loaded inputs (whose sizes are
/// files') never are: their matrices are already in memory.
bool needsLongContextView(const ScenarioConfig& config);

/// Bytes the view's logits and weights would need (one batch item, the view's heads).
std::size_t viewMatricesBytes(const ScenarioConfig& config, const FigureRequest& view);

/// Fills a long-context result: the mask alone (buildMaskSpec, no inputs), the selection clamped
/// to it, and the note saying what logits and weights would need. Throws InputError for bad rules.
void fillLongContextResult(TraceResult& r, const ScenarioConfig& config, const FigureRequest& view);

} // namespace maskscope::ui
