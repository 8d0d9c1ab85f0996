// SPDX-License-Identifier: MIT
#pragma once
// Where `dump --out FILE` writes: like QSaveFile (which `export` uses), a regular file is
// written whole or not at all through a temporary file beside it, symbolic links are followed
// (the link stays, its target gets the text) and an existing file keeps its mode; a FIFO, a
// terminal or another special file is written directly instead of being replaced.

#include <functional>
#include <iosfwd>
#include <string>

namespace maskscope::cli {

/// Checks, before any computation, that `path` can be written as writeOutputFile writes it: no
/// directory, an existing directory to write into (of the link's target for a symbolic link), a
/// writable file if it exists. Creates nothing that stays. Throws InputError
/// "cannot write 'PATH': reason" (the reason as strerror says it) otherwise.
void checkOutputFile(const std::string& path);

/// Writes what `write` puts into its stream to `path` (see above). If `write` throws, or a write
/// fails, a regular file is left as it was and no temporary file stays; the exception of `write`
/// is rethrown, a failed write throws std::runtime_error "cannot write 'PATH': reason".
void writeOutputFile(const std::string& path, const std::function<void(std::ostream&)>& write);

} // namespace maskscope::cli
