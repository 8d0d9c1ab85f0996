// SPDX-License-Identifier: MIT
#pragma once
// The manual page and the bash completion script, generated from the option tables so that
// they never disagree with `maskscope --help` (the build writes both and installs them).

#include <string>
#include <vector>

namespace maskscope::cli {

/// maskscope(1) in man(7) roff: name, synopsis, description, every option grouped as the help
/// groups them (with the commands that take it), exit status and examples. Text outside ASCII
/// is written as groff's \[uXXXX] escapes, so the page needs no input encoding.
std::string manPage();

/// The command lines of the page's EXAMPLES section (each runs as written, given the files).
const std::vector<std::string>& manPageExamples();

/// A bash completion script for maskscope: subcommands, each command's options, and file or
/// directory names after the options that take them (FILE, PATH, DIR in their syntax). Plain
/// bash: it does not need the bash-completion package's helpers.
std::string bashCompletion();

} // namespace maskscope::cli
