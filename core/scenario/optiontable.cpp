// SPDX-License-Identifier: MIT
#include "scenario/optiontable.h"

#include <cstring>

namespace maskscope {

namespace {

constexpr std::size_t kHelpColumn = 25; // where every option's description starts
constexpr std::size_t kSyntaxIndent = 2;

} // namespace

SplitOptionArg splitOptionArg(const std::string& arg)
{
    const std::size_t eq = arg.find('=');
    if (arg.rfind("--", 0) != 0 || eq == std::string::npos)
        return {arg, std::nullopt};
    return {arg.substr(0, eq), arg.substr(eq + 1)};
}

void appendOptionHelp(std::string& text, const char* syntax, const char* help)
{
    const std::string indent(kHelpColumn, ' ');
    text += std::string(kSyntaxIndent, ' ') + syntax;
    if (!*help) {
        text += '\n';
        return;
    }
    const std::size_t used = kSyntaxIndent + std::strlen(syntax);
    // At least two spaces between the syntax and its description, else the description
    // starts on the next line.
    if (used + 2 <= kHelpColumn)
        text.append(kHelpColumn - used, ' ');
    else
        text += '\n' + indent;
    for (const char* line = help; *line;) {
        const char* end = std::strchr(line, '\n');
        const std::size_t length = end ? static_cast<std::size_t>(end - line) : std::strlen(line);
        if (line != help)
            text += indent;
        text.append(line, length);
        text += '\n';
        line += length + (end ? 1 : 0);
    }
}

} // namespace maskscope
