// SPDX-License-Identifier: MIT
#pragma once
// A ScenarioConfig written as JSON: the form of the presets (resources/presets/*.json).

#include "scenario/scenario.h"

#include <QJsonObject>

namespace maskscope::ui {

/// Reads a config whose keys are the command-line options without "--" and with "_" for "-"
/// (seq_len, valid_lens, pad_side, causal, ...): true switches a flag on, a list is written
/// comma-separated, numbers and texts as given. Every rule and range of the command line
/// applies, since the options go through parseScenarioOptions().
/// Throws InputError naming the key whose value is not of the right kind or range.
ScenarioConfig configFromJson(const QJsonObject& json);

} // namespace maskscope::ui
