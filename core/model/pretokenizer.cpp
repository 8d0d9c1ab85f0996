// SPDX-License-Identifier: MIT
#include "model/pretokenizer.h"

#include "base/types.h"
#include "base/utf8.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <array>

namespace maskscope {

/// A compiled PCRE2 pattern (UTF, UCP) that finds the matches of a valid UTF-8 text.
class Pcre2Regex {
public:
    Pcre2Regex(const std::string& pattern, bool literal, const std::string& name)
    {
        int error = 0;
        PCRE2_SIZE offset = 0;
        const std::uint32_t options = PCRE2_UTF | (literal ? PCRE2_LITERAL : PCRE2_UCP); // LITERAL refuses UCP
        code_ = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), options, &error,
                              &offset, nullptr);
        if (!code_) {
            PCRE2_UCHAR message[256];
            pcre2_get_error_message(error, message, sizeof message);
            throw InputError(name + ": pre-tokenizer regex: " + reinterpret_cast<const char*>(message) + " at offset "
                             + std::to_string(offset));
        }
        context_ = pcre2_match_context_create(nullptr);
        pcre2_set_match_limit(context_, 10'000'000); // a hostile pattern fails instead of hanging
    }
    ~Pcre2Regex()
    {
        pcre2_match_context_free(context_);
        pcre2_code_free(code_);
    }
    Pcre2Regex(const Pcre2Regex&) = delete;
    Pcre2Regex& operator=(const Pcre2Regex&) = delete;

    /// The [begin, end) byte ranges of the non-empty matches of `text`, left to right.
    std::vector<std::pair<std::size_t, std::size_t>> matches(const std::string& text) const
    {
        std::vector<std::pair<std::size_t, std::size_t>> out;
        pcre2_match_data* data = pcre2_match_data_create_from_pattern(code_, nullptr);
        std::size_t at = 0;
        while (at <= text.size()) {
            const int rc = pcre2_match(code_, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), at,
                                       PCRE2_NO_UTF_CHECK, data, context_);
            if (rc == PCRE2_ERROR_NOMATCH)
                break;
            if (rc < 0) {
                pcre2_match_data_free(data);
                throw InputError("tokenizer: the pre-tokenizer regex failed on this text (PCRE2 error "
                                 + std::to_string(rc) + ")");
            }
            const PCRE2_SIZE* v = pcre2_get_ovector_pointer(data);
            if (v[1] > v[0]) {
                out.emplace_back(v[0], v[1]);
                at = v[1];
            } else { // an empty match: step over one character
                at = v[0] + std::max<std::size_t>(utf8SequenceLength(text, v[0]), 1);
            }
        }
        pcre2_match_data_free(data);
        return out;
    }

private:
    pcre2_code* code_ = nullptr;
    pcre2_match_context* context_ = nullptr;
};

namespace {

// tokenizers' ByteLevel pattern (GPT-2's).
const char* kGpt2Pattern = R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

[[noreturn]] void unsupported(const std::string& name, const std::string& what, const std::string& type,
                              const char* supported)
{
    throw InputError(name + ": " + what + " '" + printable(type, 40) + "' is not supported (supported: " + supported + ")");
}

std::string typeOf(const JsonValue& json, const std::string& name, const char* what)
{
    const JsonValue* type = json.find("type");
    if (!type || !type->isString())
        throw InputError(name + ": " + what + " without a type");
    return type->text;
}

std::string stringMember(const JsonValue& json, const char* key, const std::string& name)
{
    const JsonValue* v = json.find(key);
    if (!v || !v->isString())
        throw InputError(name + ": " + key + " must be a string");
    return v->text;
}

bool boolMember(const JsonValue& json, const char* key, bool fallback)
{
    const JsonValue* v = json.find(key);
    return v && v->isBool() ? v->boolean : fallback;
}

void addNormalizer(const JsonValue& json, const std::string& name, std::vector<NormalizerStep>& out)
{
    const std::string type = typeOf(json, name, "normalizer");
    if (type == "Sequence") {
        const JsonValue* list = json.find("normalizers");
        if (!list || !list->isArray())
            throw InputError(name + ": a Sequence normalizer needs a normalizers array");
        for (const JsonValue& item : list->items)
            addNormalizer(item, name, out);
    } else if (type == "Prepend") {
        out.push_back({NormalizerStep::Kind::Prepend, stringMember(json, "prepend", name), {}});
    } else if (type == "Replace") {
        const JsonValue* pattern = json.find("pattern");
        const JsonValue* literal = pattern ? pattern->find("String") : nullptr;
        if (!literal || !literal->isString() || literal->text.empty())
            throw InputError(name + ": only Replace normalizers of a non-empty String pattern are supported");
        out.push_back({NormalizerStep::Kind::Replace, literal->text, stringMember(json, "content", name)});
    } else if (type == "NFC") {
        out.push_back({NormalizerStep::Kind::Nfc, {}, {}});
    } else {
        unsupported(name, "normalizer type", type, "Sequence, Prepend, Replace, NFC");
    }
}

std::shared_ptr<const Pcre2Regex> splitPattern(const JsonValue& json, const std::string& name)
{
    const JsonValue* pattern = json.find("pattern");
    const JsonValue* regex = pattern ? pattern->find("Regex") : nullptr;
    const JsonValue* literal = pattern ? pattern->find("String") : nullptr;
    if (regex && regex->isString())
        return std::make_shared<const Pcre2Regex>(regex->text, false, name);
    if (literal && literal->isString() && !literal->text.empty())
        return std::make_shared<const Pcre2Regex>(literal->text, true, name);
    throw InputError(name + ": a Split pre-tokenizer needs a Regex or String pattern");
}

PreTokenizerStep metaspace(const JsonValue& json, const std::string& name)
{
    PreTokenizerStep step;
    step.kind = PreTokenizerStep::Kind::Metaspace;
    step.replacement = stringMember(json, "replacement", name);
    step.splitOnReplacement = boolMember(json, "split", true);
    const JsonValue* scheme = json.find("prepend_scheme");
    if (scheme && scheme->isString()) {
        if (scheme->text == "always")
            step.prepend = PreTokenizerStep::Prepend::Always;
        else if (scheme->text == "first")
            step.prepend = PreTokenizerStep::Prepend::First;
        else if (scheme->text == "never")
            step.prepend = PreTokenizerStep::Prepend::Never;
        else
            unsupported(name, "Metaspace prepend_scheme", scheme->text, "always, first, never");
    } else { // before prepend_scheme: add_prefix_space
        step.prepend = boolMember(json, "add_prefix_space", true) ? PreTokenizerStep::Prepend::Always
                                                                  : PreTokenizerStep::Prepend::Never;
    }
    return step;
}

void addPreTokenizer(const JsonValue& json, const std::string& name, std::vector<PreTokenizerStep>& out)
{
    const std::string type = typeOf(json, name, "pre_tokenizer");
    if (type == "Sequence") {
        const JsonValue* list = json.find("pretokenizers");
        if (!list || !list->isArray())
            throw InputError(name + ": a Sequence pre_tokenizer needs a pretokenizers array");
        for (const JsonValue& item : list->items)
            addPreTokenizer(item, name, out);
    } else if (type == "ByteLevel") {
        PreTokenizerStep step;
        step.kind = PreTokenizerStep::Kind::ByteLevel;
        step.addPrefixSpace = boolMember(json, "add_prefix_space", true);
        if (boolMember(json, "use_regex", true))
            step.regex = std::make_shared<const Pcre2Regex>(kGpt2Pattern, false, name);
        out.push_back(step);
    } else if (type == "Split") {
        PreTokenizerStep step;
        const std::string behavior = stringMember(json, "behavior", name);
        if (behavior != "Isolated" && behavior != "Removed")
            unsupported(name, "Split behavior", behavior, "Isolated, Removed");
        step.regex = splitPattern(json, name);
        step.removeMatches = behavior == "Removed";
        if (boolMember(json, "invert", false))
            throw InputError(name + ": inverted Split pre-tokenizers are not supported");
        out.push_back(step);
    } else if (type == "Metaspace") {
        out.push_back(metaspace(json, name));
    } else {
        unsupported(name, "pre_tokenizer type", type, "ByteLevel, Split, Metaspace, Sequence");
    }
}

std::string replaceAll(std::string text, const std::string& from, const std::string& to)
{
    std::string out;
    std::size_t at = 0;
    for (std::size_t hit; (hit = text.find(from, at)) != std::string::npos; at = hit + from.size())
        out.append(text, at, hit - at).append(to);
    return out.append(text, at, std::string::npos);
}

/// The pieces of `text` around and at the matches of `regex` (Isolated), or only around them.
void splitByRegex(const Pcre2Regex& regex, bool removeMatches, const std::string& text, std::vector<std::string>& out)
{
    std::size_t at = 0;
    for (const auto& [begin, end] : regex.matches(text)) {
        if (begin > at)
            out.push_back(text.substr(at, begin - at));
        if (!removeMatches)
            out.push_back(text.substr(begin, end - begin));
        at = end;
    }
    if (at < text.size())
        out.push_back(text.substr(at));
}

std::string byteLevelMapped(const std::string& piece)
{
    std::string out;
    for (const char c : piece)
        out += byteLevelCharacter(static_cast<unsigned char>(c));
    return out;
}

void metaspacePiece(const PreTokenizerStep& step, std::string piece, bool first, std::vector<std::string>& out)
{
    piece = replaceAll(std::move(piece), " ", step.replacement);
    const bool prepend = step.prepend == PreTokenizerStep::Prepend::Always
        || (step.prepend == PreTokenizerStep::Prepend::First && first);
    if (prepend && !piece.starts_with(step.replacement))
        piece.insert(0, step.replacement);
    if (!step.splitOnReplacement) {
        out.push_back(piece);
        return;
    }
    // MergedWithNext: every replacement starts a new word.
    std::size_t start = 0;
    for (std::size_t hit = piece.find(step.replacement, 1); hit != std::string::npos;
         hit = piece.find(step.replacement, hit + step.replacement.size())) {
        if (hit > start)
            out.push_back(piece.substr(start, hit - start));
        start = hit;
    }
    out.push_back(piece.substr(start));
}

void applyStep(const PreTokenizerStep& step, std::vector<std::string>& pieces, bool firstSegment)
{
    std::vector<std::string> out;
    for (std::size_t i = 0; i < pieces.size(); ++i) {
        std::string& piece = pieces[i];
        switch (step.kind) {
        case PreTokenizerStep::Kind::Split:
            splitByRegex(*step.regex, step.removeMatches, piece, out);
            break;
        case PreTokenizerStep::Kind::ByteLevel: {
            if (step.addPrefixSpace && !piece.starts_with(' '))
                piece = " " + piece; // not insert(0, …): GCC 12 warns falsely (-Wrestrict)
            std::vector<std::string> split;
            if (step.regex)
                splitByRegex(*step.regex, false, piece, split);
            else
                split.push_back(piece);
            for (const std::string& s : split)
                out.push_back(byteLevelMapped(s));
            break;
        }
        case PreTokenizerStep::Kind::Metaspace:
            metaspacePiece(step, piece, firstSegment && i == 0, out);
            break;
        }
    }
    pieces = std::move(out);
}

} // namespace

const std::string& byteLevelCharacter(unsigned char b)
{
    static const std::array<std::string, 256> table = [] {
        std::array<std::string, 256> t;
        char32_t next = 256;
        for (int i = 0; i < 256; ++i) {
            const bool printable = (i >= 33 && i <= 126) || (i >= 161 && i <= 172) || (i >= 174 && i <= 255);
            appendUtf8(t[static_cast<std::size_t>(i)], printable ? static_cast<char32_t>(i) : next++);
        }
        return t;
    }();
    return table[b];
}

std::vector<NormalizerStep> readNormalizer(const JsonValue& json, const std::string& name)
{
    std::vector<NormalizerStep> steps;
    if (!json.isNull())
        addNormalizer(json, name, steps);
    return steps;
}

std::vector<PreTokenizerStep> readPreTokenizer(const JsonValue& json, const std::string& name)
{
    std::vector<PreTokenizerStep> steps;
    if (!json.isNull())
        addPreTokenizer(json, name, steps);
    return steps;
}

std::string normalize(const std::vector<NormalizerStep>& steps, std::string text)
{
    for (const NormalizerStep& step : steps) {
        switch (step.kind) {
        case NormalizerStep::Kind::Prepend:
            if (!text.empty()) // as tokenizers: an empty text stays empty
                text.insert(0, step.text);
            break;
        case NormalizerStep::Kind::Replace:
            text = replaceAll(std::move(text), step.text, step.replacement);
            break;
        case NormalizerStep::Kind::Nfc:
            // Below U+0300 (the first combining mark) every character is its own NFC form and
            // nothing composes; beyond it MaskScope has no normalization tables.
            for (std::size_t i = 0; i < text.size();) {
                const std::size_t length = utf8SequenceLength(text, i);
                if (decodeUtf8(text, i, length) >= 0x300)
                    throw InputError("text: this tokenizer normalizes to NFC, which MaskScope applies only to "
                                     "text below U+0300 (Latin script without combining marks)");
                i += length;
            }
            break;
        }
    }
    return text;
}

std::vector<std::string> preTokenize(const std::vector<PreTokenizerStep>& steps, const std::string& text,
                                     bool firstSegment)
{
    std::vector<std::string> pieces{text};
    for (const PreTokenizerStep& step : steps)
        applyStep(step, pieces, firstSegment);
    return pieces;
}

} // namespace maskscope
