// SPDX-License-Identifier: MIT
#pragma once
// Words for what the pitfall lab does to the numbers: why a key is blocked under a mask mistake,
// what a row without an allowed key really returned (worked out from the row's own values, not
// assumed from the fill), how the mask step reads under masked_fill or a discarded mask, and the
// status-line warnings built from the trace's blockedRowOutcomes and maskApplied.

#include "document/rowinspector.h"
#include "scenario/scenario.h"

#include <QString>
#include <QStringList>

namespace maskscope::ui {

/// Why key `col` is blocked when a mask mistake decides it (inverted polarity, causal on the
/// wrong side); empty when no mistake is involved or the key is allowed.
QString labBlockedReason(const Scenario& scenario, const RowValues& v, int col);

/// The "+ mask" step of the explanation for cell `col`: (label, formula). Under masked_fill the
/// fill replaces a blocked logit; under the not-in-place mistake the mask never arrives.
std::pair<QString, QString> maskStep(const RowValues& v, int col);

/// A paragraph on what this row returned when no key is allowed or the mask was never applied,
/// computed from the row's values: NaN, the safe softmax's zeros, uniform weights (saying why:
/// masked_fill, or a fill that swamps the logits in this format), or, when the format still
/// resolves logit + fill, (nearly) the unmasked weights. Empty for an ordinary row.
QString blockedRowLesson(const Scenario& scenario, const RowValues& v);

/// A note on the number format when it rounds (float16, bfloat16); empty otherwise.
QString formatNote(const RowValues& v);

/// The warnings of the pitfall lab for the status line and the inspector: the mask computed but
/// never applied, each kind of row without an allowed key with what it returned (from
/// trace.blockedRowOutcomes, checked against the weights), a fill the format cannot hold.
template <typename T>
QStringList pitfallWarnings(const Scenario& scenario, const BatchTrace<T>& trace);

extern template QStringList pitfallWarnings<float>(const Scenario&, const BatchTrace<float>&);
extern template QStringList pitfallWarnings<double>(const Scenario&, const BatchTrace<double>&);

/// "3", "3–5", "0–2, 7" for sorted indices.
QString rangesText(const std::vector<int>& indices);

} // namespace maskscope::ui
