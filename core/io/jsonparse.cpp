// SPDX-License-Identifier: MIT
#include "io/jsonparse.h"

#include "base/types.h"
#include "base/utf8.h"
#include "io/readonlyfile.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <unordered_set>

namespace maskscope {
namespace {

class Parser {
public:
    Parser(std::string_view text, const std::string& name, int maxDepth)
        : text_(text), name_(name), maxDepth_(maxDepth)
    {
    }

    JsonValue document()
    {
        JsonValue v = value(0);
        skipSpace();
        if (pos_ != text_.size())
            fail("unexpected data after the value");
        return v;
    }

private:
    [[noreturn]] void fail(const std::string& problem) const
    {
        throw InputError(name_ + ": invalid JSON at byte " + std::to_string(pos_) + ": " + problem);
    }

    bool atEnd() const { return pos_ >= text_.size(); }
    char peek() const { return atEnd() ? '\0' : text_[pos_]; }

    void skipSpace()
    {
        while (!atEnd() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r'))
            ++pos_;
    }

    void expect(char c)
    {
        if (peek() != c || atEnd())
            fail(std::string("expected '") + c + "'");
        ++pos_;
    }

    JsonValue value(int depth)
    {
        skipSpace();
        if (atEnd())
            fail("unexpected end of text");
        switch (peek()) {
        case '{': return object(depth + 1);
        case '[': return array(depth + 1);
        case '"': {
            JsonValue v;
            v.kind = JsonValue::Kind::String;
            v.text = string();
            return v;
        }
        case 't': return literal("true", JsonValue::Kind::Bool, true);
        case 'f': return literal("false", JsonValue::Kind::Bool, false);
        case 'n': return literal("null", JsonValue::Kind::Null, false);
        default: return numberValue();
        }
    }

    JsonValue literal(std::string_view word, JsonValue::Kind kind, bool b)
    {
        if (text_.substr(pos_, word.size()) != word)
            fail("unexpected character");
        pos_ += word.size();
        JsonValue v;
        v.kind = kind;
        v.boolean = b;
        return v;
    }

    void enter(int depth) const
    {
        if (depth > maxDepth_)
            fail("nested deeper than " + std::to_string(maxDepth_) + " levels");
    }

    JsonValue object(int depth)
    {
        enter(depth);
        JsonValue v;
        v.kind = JsonValue::Kind::Object;
        ++pos_;
        skipSpace();
        if (peek() == '}' && !atEnd()) {
            ++pos_;
            return v;
        }
        std::unordered_set<std::string> keys;
        while (true) {
            skipSpace();
            if (peek() != '"' || atEnd())
                fail("expected a string key");
            const std::size_t keyStart = pos_;
            std::string key = string();
            if (!keys.insert(key).second) {
                pos_ = keyStart;
                fail("duplicate key \"" + printable(key) + "\"");
            }
            skipSpace();
            expect(':');
            JsonValue member = value(depth);
            v.members.emplace_back(std::move(key), std::move(member));
            skipSpace();
            if (peek() == ',' && !atEnd()) {
                ++pos_;
                continue;
            }
            expect('}');
            return v;
        }
    }

    JsonValue array(int depth)
    {
        enter(depth);
        JsonValue v;
        v.kind = JsonValue::Kind::Array;
        ++pos_;
        skipSpace();
        if (peek() == ']' && !atEnd()) {
            ++pos_;
            return v;
        }
        while (true) {
            v.items.push_back(value(depth));
            skipSpace();
            if (peek() == ',' && !atEnd()) {
                ++pos_;
                continue;
            }
            expect(']');
            return v;
        }
    }

    unsigned hex4()
    {
        unsigned u = 0;
        for (int k = 0; k < 4; ++k, ++pos_) {
            const char c = peek();
            if (atEnd() || !std::isxdigit(static_cast<unsigned char>(c)))
                fail("bad \\u escape");
            u = u * 16 + static_cast<unsigned>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
        }
        return u;
    }

    char32_t unicodeEscape()
    {
        const unsigned u = hex4();
        if (u >= 0xDC00 && u <= 0xDFFF)
            fail("lone low surrogate in \\u escape");
        if (u < 0xD800 || u > 0xDBFF)
            return u;
        if (text_.substr(pos_, 2) != "\\u")
            fail("high surrogate without its low surrogate");
        pos_ += 2;
        const unsigned low = hex4();
        if (low < 0xDC00 || low > 0xDFFF)
            fail("high surrogate without its low surrogate");
        return 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
    }

    void escape(std::string& out)
    {
        ++pos_; // the backslash
        const char c = peek();
        if (atEnd())
            fail("unterminated string");
        ++pos_;
        switch (c) {
        case '"': out += '"'; return;
        case '\\': out += '\\'; return;
        case '/': out += '/'; return;
        case 'b': out += '\b'; return;
        case 'f': out += '\f'; return;
        case 'n': out += '\n'; return;
        case 'r': out += '\r'; return;
        case 't': out += '\t'; return;
        case 'u': appendUtf8(out, unicodeEscape()); return;
        default: --pos_; fail("unknown escape");
        }
    }

    std::string string()
    {
        ++pos_; // the opening quote
        std::string out;
        while (true) {
            if (atEnd())
                fail("unterminated string");
            const char c = peek();
            if (c == '"') {
                ++pos_;
                return out;
            }
            if (c == '\\') {
                escape(out);
                continue;
            }
            if (static_cast<unsigned char>(c) < 0x20)
                fail("control character in a string");
            const std::size_t length = utf8SequenceLength(text_, pos_);
            if (length == 0)
                fail("invalid UTF-8 in a string");
            out.append(text_.substr(pos_, length));
            pos_ += length;
        }
    }

    bool digits()
    {
        const std::size_t start = pos_;
        while (!atEnd() && peek() >= '0' && peek() <= '9')
            ++pos_;
        return pos_ > start;
    }

    JsonValue numberValue()
    {
        const std::size_t start = pos_;
        if (peek() == '-')
            ++pos_;
        if (peek() == '0' && !atEnd())
            ++pos_;
        else if (!digits())
            fail("unexpected character");
        if (peek() == '.' && !atEnd()) {
            ++pos_;
            if (!digits())
                fail("digits expected after '.'");
        }
        if ((peek() == 'e' || peek() == 'E') && !atEnd()) {
            ++pos_;
            if (peek() == '+' || peek() == '-')
                ++pos_;
            if (!digits())
                fail("digits expected in the exponent");
        }
        JsonValue v;
        v.kind = JsonValue::Kind::Number;
        v.text = std::string(text_.substr(start, pos_ - start));
        return v;
    }

    std::string_view text_;
    const std::string& name_;
    int maxDepth_;
    std::size_t pos_ = 0;
};

bool plainInteger(const std::string& literal)
{
    return literal.find_first_of(".eE") == std::string::npos;
}

} // namespace

const JsonValue* JsonValue::find(std::string_view key) const
{
    for (const auto& [name, value] : members)
        if (name == key)
            return &value;
    return nullptr;
}

std::optional<std::int64_t> JsonValue::integer() const
{
    if (kind != Kind::Number || !plainInteger(text))
        return std::nullopt;
    std::int64_t n = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return n;
}

std::optional<std::uint64_t> JsonValue::unsignedInteger() const
{
    if (kind != Kind::Number || !plainInteger(text) || text[0] == '-')
        return std::nullopt;
    std::uint64_t n = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return n;
}

double JsonValue::number() const
{
    double x = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
    if (ec == std::errc::result_out_of_range)
        return text[0] == '-' ? -HUGE_VAL : HUGE_VAL; // tiny values are 0 already
    return x;
}

const char* jsonKindName(JsonValue::Kind kind)
{
    switch (kind) {
    case JsonValue::Kind::Null: return "null";
    case JsonValue::Kind::Bool: return "a boolean";
    case JsonValue::Kind::Number: return "a number";
    case JsonValue::Kind::String: return "a string";
    case JsonValue::Kind::Array: return "an array";
    case JsonValue::Kind::Object: return "an object";
    }
    return "null";
}

std::string printable(std::string_view text, std::size_t maxBytes)
{
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = std::max<std::size_t>(utf8SequenceLength(text, i), 1);
        if (out.size() + length > maxBytes)
            return out + "…";
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c == 0x7f || utf8SequenceLength(text, i) == 0)
            out += '?';
        else
            out.append(text.substr(i, length));
        i += length;
    }
    return out;
}

JsonValue parseJson(std::string_view text, const std::string& name, int maxDepth)
{
    return Parser(text, name, maxDepth).document();
}

JsonValue readJsonFile(const std::string& path, std::size_t maxBytes)
{
    const ReadOnlyFile file(path, "a JSON file");
    if (file.size() > maxBytes)
        throw InputError(path + ": " + std::to_string(file.size()) + " bytes is more than the "
                         + std::to_string(maxBytes) + " a JSON file of this kind may have");
    std::vector<std::uint8_t> bytes;
    file.readAt(0, file.size(), bytes);
    const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    return parseJson(text, path);
}

} // namespace maskscope
