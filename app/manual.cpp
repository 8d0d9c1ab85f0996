// SPDX-License-Identifier: MIT
#include "manual.h"

#include "cli.h"

#include "base/utf8.h"

#include <cstdio>
#include <set>
#include <string_view>
#include <vector>

namespace maskscope::cli {
namespace {

// man(7) text: backslashes and hyphens escaped, a leading control character neutralised, and
// anything beyond ASCII as a \[uXXXX] escape.
std::string roff(std::string_view text)
{
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        const char c = text[i];
        if (static_cast<unsigned char>(c) >= 0x80) {
            const std::size_t length = utf8SequenceLength(text, i);
            char escape[16];
            std::snprintf(escape, sizeof escape, "\\[u%04X]",
                          length ? static_cast<unsigned>(decodeUtf8(text, i, length)) : 0xFFFDu);
            out += escape;
            i += length ? length : 1;
            continue;
        }
        if ((c == '.' || c == '\'') && (out.empty() || out.back() == '\n'))
            out += "\\&";
        out += c == '\\' ? "\\e" : c == '-' ? "\\-" : std::string(1, c);
        ++i;
    }
    return out;
}

// The help's lines, which break where the terminal's columns end, as one paragraph.
std::string joinedLines(std::string_view text)
{
    std::string out;
    bool space = false;
    for (const char c : text) {
        if (c == '\n' || c == ' ') {
            space = !out.empty();
            continue;
        }
        if (space)
            out += ' ';
        space = false;
        out += c;
    }
    return out;
}

std::string commandNames(unsigned commands)
{
    const std::pair<unsigned, const char*> names[] = {
        {ForWindow, "the window"}, {ForDump, "dump"}, {ForBench, "bench"}, {ForExport, "export"}};
    std::string out;
    for (const auto& [bit, name] : names)
        if (commands & bit)
            out += (out.empty() ? "" : ", ") + std::string(name);
    return out;
}

// ".B --name" and the value's placeholder in italics.
std::string optionTag(std::string_view syntax)
{
    const std::size_t space = syntax.find(' ');
    std::string tag = ".BI \"" + roff(syntax.substr(0, space)) + "\"";
    if (space != std::string_view::npos)
        tag += " \" " + roff(syntax.substr(space + 1)) + "\"";
    return tag + "\n";
}

std::string optionsSection()
{
    std::string text = ".SH OPTIONS\n";
    const OptionGroup* group = nullptr;
    for (const OptionSummary& option : everyOption()) {
        if (!option.syntax)
            continue;
        if (option.group != group) {
            if (group && *group->note)
                text += ".PP\n" + roff(joinedLines(group->note)) + "\n";
            group = option.group;
            std::string_view heading = group->heading;
            if (!heading.empty() && heading.back() == ':')
                heading.remove_suffix(1);
            text += ".SS \"" + roff(heading.empty() ? std::string_view("General") : heading) + "\"\n";
        }
        text += ".TP\n" + optionTag(option.syntax) + roff(joinedLines(option.help));
        if (option.commands != kEveryCommand)
            text += " (" + commandNames(option.commands) + ")";
        text += "\n";
    }
    if (group && *group->note)
        text += ".PP\n" + roff(joinedLines(group->note)) + "\n";
    return text;
}

const char* const kDescription[] = {
    "MaskScope makes attention masking in transformers visible: for every head, the mask, the raw "
    "logits Q\xc2\xb7K\xe1\xb5\x80/\xe2\x88\x9a" "d_k, the masked logits and the softmax weights, computed as "
    "PyTorch's nn.MultiheadAttention computes them, on synthetic inputs or on a real checkpoint "
    "(llama2.c or a Hugging Face directory) run on your own sentences.",
    "Without a subcommand, maskscope opens its window. dump writes every matrix as JSON; bench "
    "times a full recompute (or, with --mask-only, the mask alone at any length); export writes "
    "one figure as PNG, SVG or PDF without a display. Every command takes the options that "
    "describe the scenario; an option is written --name value or --name=value.",
};

} // namespace

const std::vector<std::string>& manPageExamples()
{
    static const std::vector<std::string> examples{
        "maskscope dump --seq-len 4 --causal",
        "maskscope dump --seq-len 6 --batch 2 --valid-lens 6,3 --convention hf",
        "maskscope export --seq-len 16 --causal --view pipeline --out pipeline.pdf",
        "maskscope bench --mask-only --seq-len 131072 --causal --window 4096,0 --repeat 1",
    };
    return examples;
}

namespace {

std::string quoted(const std::string& word)
{
    return "'" + word + "'";
}

// The value an option's syntax names after its spelling ("FILE" in "--out FILE").
std::string_view placeholder(const OptionSummary& option)
{
    if (!option.syntax)
        return {};
    const std::string_view syntax = option.syntax;
    const std::size_t space = syntax.find(' ');
    return space == std::string_view::npos ? std::string_view() : syntax.substr(space + 1);
}

std::string wordsOf(unsigned command)
{
    std::set<std::string> words;
    for (const OptionSummary& option : everyOption())
        if (option.commands & command)
            words.insert(option.name);
    std::string out = command == ForWindow ? "dump bench export --help --version --man-page --bash-completion" : "--help";
    for (const std::string& w : words)
        out += " " + w;
    return out;
}

// "--a|--b" of the value options whose placeholder names files (or directories).
std::string casePattern(bool directories)
{
    std::set<std::string> names;
    for (const OptionSummary& option : everyOption()) {
        const std::string_view value = placeholder(option);
        const bool isDirectory = value.find("DIR") != std::string_view::npos;
        const bool isFile = value.find("FILE") != std::string_view::npos || value.find("PATH") != std::string_view::npos;
        if (option.arity == OptionArity::Value && (directories ? isDirectory : isFile && !isDirectory))
            names.insert(option.name);
    }
    std::string out;
    for (const std::string& n : names)
        out += (out.empty() ? "" : "|") + n;
    return out;
}

std::string valueOptions()
{
    std::set<std::string> names;
    for (const OptionSummary& option : everyOption())
        if (option.arity == OptionArity::Value)
            names.insert(option.name);
    std::string out;
    for (const std::string& n : names)
        out += (out.empty() ? "" : "|") + n;
    return out;
}

} // namespace

std::string manPage()
{
    std::string page = ".\\\" Written by `maskscope --man-page` from its option tables: edit those, not this.\n"
                       ".TH MASKSCOPE 1 \"\" \"MaskScope " MASKSCOPE_VERSION "\" \"User Commands\"\n"
                       ".SH NAME\nmaskscope \\- see attention masks at work\n"
                       ".SH SYNOPSIS\n.nf\n";
    std::string usage = usageLines();
    for (std::size_t start = 0; start < usage.size();) {
        const std::size_t end = usage.find('\n', start);
        std::string_view line = std::string_view(usage).substr(start, end - start);
        line.remove_prefix(std::min(line.find_first_not_of(' '), line.size()));
        page += roff(line) + "\n";
        start = end == std::string::npos ? usage.size() : end + 1;
    }
    page += ".fi\n.SH DESCRIPTION\n";
    for (const char* paragraph : kDescription)
        page += (paragraph == kDescription[0] ? "" : ".PP\n") + roff(paragraph) + "\n";
    page += optionsSection();
    page += ".SH \"EXIT STATUS\"\n0 success; 1 a failure at run time (an I/O error, memory); 2 bad input, "
            "with one line on standard error that says what is wrong.\n";
    page += ".SH EXAMPLES\n.nf\n";
    for (const std::string& example : manPageExamples())
        page += roff(example) + "\n";
    page += ".fi\n";
    page += ".SH \"SEE ALSO\"\nThe user guide and reference: README.md and docs/ of the MaskScope sources, and the window's Help menu (F1).\n";
    return page;
}

std::string bashCompletion()
{
    std::string script =
        "# bash completion for maskscope: written by `maskscope --bash-completion` from its option tables.\n"
        "_maskscope()\n{\n"
        "    local cur=${COMP_WORDS[COMP_CWORD]} prev= command= word\n"
        "    (( COMP_CWORD > 0 )) && prev=${COMP_WORDS[COMP_CWORD-1]}\n"
        "    for word in \"${COMP_WORDS[@]:1:COMP_CWORD-1}\"; do\n"
        "        case $word in dump|bench|export) command=$word; break ;; esac\n"
        "    done\n"
        "    case $prev in\n";
    script += "        " + casePattern(false) + ")\n"
              "            compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n";
    script += "        " + casePattern(true) + ")\n"
              "            compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- \"$cur\")); return ;;\n";
    script += "        " + valueOptions() + ")\n            COMPREPLY=(); return ;;\n    esac\n";
    script += "    case $command in\n";
    script += "        dump) word=" + quoted(wordsOf(ForDump)) + " ;;\n";
    script += "        bench) word=" + quoted(wordsOf(ForBench)) + " ;;\n";
    script += "        export) word=" + quoted(wordsOf(ForExport)) + " ;;\n";
    script += "        *) word=" + quoted(wordsOf(ForWindow)) + " ;;\n    esac\n";
    script += "    COMPREPLY=($(compgen -W \"$word\" -- \"$cur\"))\n}\n"
              "complete -F _maskscope maskscope\n";
    return script;
}

} // namespace maskscope::cli
