// SPDX-License-Identifier: MIT
#pragma once
// The checkpoints opened last, each with the tokenizer it was read with, kept in QSettings so
// that the "Real model" group can offer them again after a restart.

#include <QList>
#include <QString>

namespace maskscope::ui {

/// A checkpoint (a llama2.c .bin file or a Hugging Face directory) and its tokenizer, both
/// absolute paths.
struct RecentModel {
    QString model;
    QString tokenizer;

    bool operator==(const RecentModel&) const = default;
};

/// How many checkpoints the list keeps.
inline constexpr int kMaxRecentModels = 8;

/// The remembered checkpoints, most recent first, at most kMaxRecentModels, no model twice.
QList<RecentModel> recentModels();

/// Puts `opened` first (paths made absolute), dropping an older entry of the same checkpoint
/// (whatever its tokenizer) and the oldest beyond kMaxRecentModels. Writes nothing when
/// `opened` already comes first.
void rememberRecentModel(const RecentModel& opened);

/// Forgets every remembered checkpoint.
void clearRecentModels();

/// The file of `entry` that is gone (the checkpoint first), or empty when both are there.
QString missingFileOf(const RecentModel& entry);

} // namespace maskscope::ui
