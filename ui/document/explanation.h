// SPDX-License-Identifier: MIT
#pragma once
// Words for the numbers: the hover read-out of a cell, the step-by-step explanation of one
// weight, and the warnings that teach what a mask just did.

#include "document/rowinspector.h"
#include "scenario/scenario.h"

#include <QString>
#include <QStringList>

#include <variant>

namespace maskscope::ui {

/// Why key `col` is blocked for row `v.row` ("a future key (causal)", "a padding key", ...),
/// or an empty string when it is allowed.
QString blockedReason(const Scenario& scenario, const RowValues& v, int col);

/// A few lines of rich text: query and key tokens, allowed or not, logit, mask value, masked
/// logit and weight of cell (v.row, col).
QString cellSummaryHtml(const Scenario& scenario, const RowValues& v, int col);

/// The hover read-out of a cell of the mean over `heads` heads: tokens, mask, the mean weight.
/// `anyHead` is the row of any head (its tokens and mask are those of every head).
QString meanCellSummaryHtml(const Scenario& scenario, const RowValues& anyHead, int col,
                            double meanWeight, int heads);

/// The step-by-step computation of the weight at (v.row, col): score q.k, scaling by 1/sqrt(d_k),
/// + mask, exp(x - max), / row sum, with the row's actual values in a table.
QString explanationHtml(const Scenario& scenario, const RowValues& v, int col);

/// The mean over heads of one weight, head by head. `rows` holds the same row of every head.
QString meanExplanationHtml(const Scenario& scenario, const std::vector<RowValues>& rows, int col);

/// Warnings that teach, about the batch item of `trace`: rows with no allowed key (NaN or
/// uniform weights, depending on the fill), padded query rows, a fill too weak to block.
template <typename T>
QStringList teachingWarnings(const Scenario& scenario, const BatchTrace<T>& trace);

} // namespace maskscope::ui
