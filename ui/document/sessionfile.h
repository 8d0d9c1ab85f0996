// SPDX-License-Identifier: MIT
#pragma once
// A session file (.maskscope): the parameters and the view of the window, so that a lesson's
// setup can be saved, sent and opened again. JSON, Qt Core only:
//   {"format": "maskscope-session", "version": 1,
//    "options": [the command-line options of scenarioOptionArgs], "view": viewToJson(...)}
// The options are the command line's own spelling (scenario/options.h) and the view the one of
// the saved settings (figure/viewnames.h), so a session says exactly what they say.

#include "figure/figurerequest.h"
#include "scenario/config.h"

#include <QByteArray>
#include <QString>

namespace maskscope::ui {

/// Everything a session file holds.
struct Session {
    ScenarioConfig config;
    FigureRequest view;

    friend bool operator==(const Session&, const Session&) = default;
};

/// The format version this build writes and reads.
inline constexpr int kSessionFormatVersion = 1;

/// The suffix of session files, without the dot.
inline constexpr const char* kSessionSuffix = "maskscope";

/// The text of a session file: the keys in the order above, indented, ending in a newline.
/// Relative paths (model, tokenizer, --load folder, --mask-file) are written absolute, against
/// the current directory.
QByteArray sessionJson(const Session& session);

/// The session of `json`, a file's text, read as if from `path`: relative paths in it resolve
/// against `path`'s folder. All or nothing: throws InputError "<path>: <problem>" (one line) for
/// text that is not JSON, not a MaskScope session, of a newer format, with an option the option
/// parser refuses, or with an unknown key.
Session parseSessionJson(const QByteArray& json, const QString& path);

/// The session in the file at `path` (see parseSessionJson); throws InputError
/// "<path>: cannot read: <reason>" when it cannot be read.
Session readSessionFile(const QString& path);

/// Writes `session` to `path` whole or not at all (through a temporary file beside it).
/// Returns an empty string on success, else one line naming the file and the reason.
QString writeSessionFile(const QString& path, const Session& session);

} // namespace maskscope::ui
