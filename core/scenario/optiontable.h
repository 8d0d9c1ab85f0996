// SPDX-License-Identifier: MIT
#pragma once
// A table of command-line options: one entry per option holds everything about it - its
// spelling, its help text and group, the subcommands that take it, how its value is read into
// a target struct and how the struct is written back as options. The parser, the help and the
// writer all derive from the entries, so an option is spelled exactly once.
//
// The scenario's table is scenario/options.h; the subcommands' own options (dump, bench,
// export) are tables of the same kind in app/, whose targets are their own settings.

#include "base/types.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace maskscope {

/// Who accepts an option: the window and each subcommand. Bit flags, combined with |.
enum OptionCommand : unsigned {
    ForWindow = 1u << 0,
    ForDump = 1u << 1,
    ForBench = 1u << 2,
    ForExport = 1u << 3,
};
constexpr unsigned kEveryCommand = ForWindow | ForDump | ForBench | ForExport;

/// A part of the help under which options are listed.
struct OptionGroup {
    const char* heading;   ///< the line before the group's first option, e.g. "Block sparsity:"; "" = none
    const char* note = ""; ///< text after the group's last option, each line ending in '\n'; "" = none
};

/// Whether an option stands alone (--causal) or takes a value (--seq-len 8, --seq-len=8).
enum class OptionArity { Flag, Value };

/// Where an entry's writer puts its option: appends the entry's name, and its value if any.
class OptionArgs {
public:
    OptionArgs(const char* name, std::vector<std::string>& args) : name_(name), args_(args) {}
    /// Appends the option alone (a flag).
    void flag() { args_.push_back(name_); }
    /// Appends the option and `text`; may be called again for a repeatable option.
    void value(const std::string& text)
    {
        args_.push_back(name_);
        args_.push_back(text);
    }

private:
    const char* name_;
    std::vector<std::string>& args_;
};

/// One option of a table whose values land in a `Target`.
template <typename Target>
struct Option {
    const char* name;         ///< what the user types, e.g. "--seq-len"
    const char* syntax;       ///< help's left column, e.g. "--seq-len N"; nullptr = the option is
                              ///< described on another entry's line (e.g. "--width W --height H")
    const char* help;         ///< help's right column; further lines after '\n' are indented to it
    const OptionGroup* group; ///< where help lists it; entries of one group stand together
    unsigned commands;        ///< the OptionCommand bits of who accepts it
    OptionArity arity;
    /// Sets `target` from `value` (empty for a flag). Throws InputError naming `option` for a
    /// value it cannot take.
    void (*parse)(Target& target, const std::string& value, const std::string& option);
    /// Appends the option to `out` (out.flag() or out.value(...)) when `target` differs from
    /// its default, else nothing. nullptr: the option is never written back.
    void (*write)(const Target& target, OptionArgs& out) = nullptr;
};

/// What help, the manual page and the shell completion say of one option, whatever the type of
/// the table it belongs to.
struct OptionSummary {
    const char* name;
    const char* syntax; ///< nullptr: described on another entry's line
    const char* help;
    const OptionGroup* group;
    unsigned commands;
    OptionArity arity;
};

/// An argument split at its first '=' when it starts with "--": "--seq-len=8" gives
/// {"--seq-len", "8"}; anything else is {arg, nullopt}.
struct SplitOptionArg {
    std::string name;
    std::optional<std::string> value;
};
SplitOptionArg splitOptionArg(const std::string& arg);

/// Appends one help line pair: two spaces, `syntax` padded to the help column, then `help`,
/// whose further lines are indented to that column. An empty `help` ends the line after `syntax`.
void appendOptionHelp(std::string& text, const char* syntax, const char* help);

/// The options of one target struct, in the order help lists them and the writer writes them.
template <typename Target>
class OptionTable {
public:
    explicit OptionTable(std::vector<Option<Target>> options) : options_(std::move(options)) {}

    const std::vector<Option<Target>>& options() const { return options_; }

    /// Every entry's summary, in table order.
    std::vector<OptionSummary> summaries() const
    {
        std::vector<OptionSummary> out;
        for (const Option<Target>& o : options_)
            out.push_back({o.name, o.syntax, o.help, o.group, o.commands, o.arity});
        return out;
    }

    /// The option called `name` that one of the `commands` bits accepts, or nullptr.
    const Option<Target>* find(std::string_view name, unsigned commands) const
    {
        for (const Option<Target>& option : options_)
            if (name == option.name && (option.commands & commands) != 0)
                return &option;
        return nullptr;
    }

    /// Applies, in order, every option in `args` that `command` accepts to `target`; every other
    /// argument (also a flag given "=value") goes to `unknown`, which may throw. A value follows
    /// its option as the next argument or after '='. Throws InputError "<option> needs a value"
    /// when it is missing, and the entries' errors.
    void parse(const std::vector<std::string>& args, unsigned command, Target& target,
               const std::function<void(const std::string& arg)>& unknown) const
    {
        for (std::size_t k = 0; k < args.size(); ++k) {
            const SplitOptionArg arg = splitOptionArg(args[k]);
            const Option<Target>* option = find(arg.name, command);
            const bool flag = option && option->arity == OptionArity::Flag;
            if (!option || (flag && arg.value)) {
                unknown(args[k]);
            } else if (flag) {
                option->parse(target, std::string(), arg.name);
            } else {
                if (!arg.value && k + 1 >= args.size())
                    throw InputError(arg.name + " needs a value");
                option->parse(target, arg.value ? *arg.value : args[++k], arg.name);
            }
        }
    }

    /// The options that parse() turns back into `target`, only those that differ from the
    /// defaults, in table order.
    std::vector<std::string> write(const Target& target) const
    {
        std::vector<std::string> args;
        for (const Option<Target>& option : options_) {
            if (!option.write)
                continue;
            OptionArgs out(option.name, args);
            option.write(target, out);
        }
        return args;
    }

    /// The help of the options one of the `commands` bits accepts: each group's heading, its
    /// options one per line (see appendOptionHelp) and its note.
    std::string help(unsigned commands) const
    {
        std::string text;
        const OptionGroup* group = nullptr;
        for (const Option<Target>& option : options_) {
            if ((option.commands & commands) == 0 || !option.syntax)
                continue;
            if (option.group != group) {
                if (group)
                    text += group->note;
                group = option.group;
                text += group->heading;
                if (*group->heading)
                    text += '\n';
            }
            appendOptionHelp(text, option.syntax, option.help);
        }
        if (group)
            text += group->note;
        return text;
    }

private:
    std::vector<Option<Target>> options_;
};

} // namespace maskscope
