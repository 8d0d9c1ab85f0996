// SPDX-License-Identifier: MIT
#pragma once
// The compiled-in resources (resources/maskscope.qrc: icon, presets).

namespace maskscope::ui {

/// Registers the resources; idempotent. A static library's resources are only linked in when
/// something calls this (Q_INIT_RESOURCE), so every user of ":/..." paths calls it first.
void ensureResources();

} // namespace maskscope::ui
