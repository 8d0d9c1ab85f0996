// SPDX-License-Identifier: MIT
#pragma once
// How the window starts from the last session's settings without being killed by them: saved
// parameters that would not fit are refused as the command line refuses them, and a session that
// ended during a computation (a crash, the system killing it for memory) offers the defaults.

#include "figure/figurerequest.h"
#include "scenario/config.h"

#include <QObject>
#include <QString>

#include <functional>
#include <optional>

class QWidget;

namespace maskscope::ui {

class MaskDocument;

/// What the window starts with when no options are given.
struct StartState {
    ScenarioConfig config;
    std::optional<FigureRequest> view;
    QString notice; ///< why the saved parameters were not restored; empty when they were
};

/// The last session's parameters and view (MainWindow::savedConfig, savedView), unless
/// - it ended while computing (ComputingMarker) and `startFromDefaults()` answers true: the
///   defaults (`startFromDefaults` is asked only then; the marker is cleared either way), or
/// - startRefusal() refuses them: the defaults, with that refusal as the notice.
/// Without saved parameters: the defaults. Reads (and may write) QSettings.
StartState startStateFromSettings(const std::function<bool()>& startFromDefaults);

/// Why the window could not compute `config` shown as `view`: the text of the command line's
/// InputError (a bad file, sizes whose inputs or matrices would not fit in memory), or empty.
/// Builds the scenario (not the long-context mask's, which works at any length; nor a real
/// model's, whose files, texts and layer are checked without running it: checkModelConfig), so
/// call it off the hot path: once, at start.
QString startRefusal(const ScenarioConfig& config, const FigureRequest& view);

/// Asks, in a message box, whether to start from the defaults after a session that ended while
/// computing; true for yes.
bool askStartFromDefaults(QWidget* parent = nullptr);

/// Keeps a "computing" marker in QSettings while `document` computes (set and written to disk
/// before each computation, removed when it is done), so that the next start knows whether the
/// last session ended during one.
class ComputingMarker : public QObject {
    Q_OBJECT
public:
    explicit ComputingMarker(MaskDocument* document);

    /// True if a session left the marker set: it ended while computing.
    static bool isSet();
    /// Removes the marker.
    static void clear();
};

} // namespace maskscope::ui
