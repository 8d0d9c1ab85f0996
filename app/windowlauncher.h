// SPDX-License-Identifier: MIT
#pragma once
// The window runs in its own program, maskscope-window, the only one that links Qt Widgets:
// `maskscope` starts the commands (dump, bench, export) without loading Widgets, which cost an
// export about 5 % of its time, and hands the window over to that program.

namespace maskscope::app {

/// Replaces this process with maskscope-window, passing it argv[1...] unchanged (argv must end
/// with a null pointer, as main's does). Looks beside this executable first (a build tree), then
/// where `cmake --install` puts it (MASKSCOPE_WINDOW_FROM_BINDIR, relative to the binary's
/// directory). Returns only if it cannot start it, after saying why on standard error: 1.
int startWindowProgram(char** argv);

} // namespace maskscope::app
