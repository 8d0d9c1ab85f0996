// SPDX-License-Identifier: MIT
#pragma once
// `maskscope [options]`: the window, started from the command line.

namespace maskscope::ui {

/// Parses the scenario options (Qt's own single-dash options go to QApplication), creates the
/// application and the main window, and runs the event loop. Command-line options set the
/// starting state; without any, the last session's parameters are restored.
/// Returns the exit status: 2 for a bad option, 1 when there is no display, else the loop's.
int runWindowApp(int argc, char** argv, const char* version);

} // namespace maskscope::ui
