// SPDX-License-Identifier: MIT
#include "io/json.h"

#include "base/contract.h"
#include "base/utf8.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace maskscope {

namespace {

template <typename F>
std::string numberText(F x)
{
    if (std::isnan(x))
        return "\"nan\"";
    if (std::isinf(x))
        return x < 0 ? "\"-inf\"" : "\"inf\"";
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, x);
    return std::string(buf, res.ptr);
}

} // namespace

std::string jsonNumber(double x) { return numberText(x); }
std::string jsonNumber(float x) { return numberText(x); }

std::string jsonString(std::string_view text)
{
    std::string s = "\"";
    for (size_t i = 0; i < text.size();) {
        const char c = text[i];
        const size_t length = utf8SequenceLength(text, i);
        if (length == 0) {
            s += "\\ufffd"; // a byte that is not UTF-8: JSON text must be UTF-8 (RFC 8259)
            ++i;
            continue;
        }
        if (length > 1) {
            s.append(text.substr(i, length));
            i += length;
            continue;
        }
        switch (c) {
        case '"': s += "\\\""; break;
        case '\\': s += "\\\\"; break;
        case '\n': s += "\\n"; break;
        case '\r': s += "\\r"; break;
        case '\t': s += "\\t"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
                s += buf;
            } else {
                s += c;
            }
        }
        ++i;
    }
    return s + "\"";
}

void JsonWriter::raw(std::string_view text)
{
    out_.write(text.data(), static_cast<std::streamsize>(text.size()));
}

void JsonWriter::separate()
{
    if (afterKey_) {
        afterKey_ = false;
        return;
    }
    if (hasItems_.empty())
        return;
    if (hasItems_.back())
        raw(",");
    hasItems_.back() = true;
}

JsonWriter& JsonWriter::beginObject()
{
    separate();
    raw("{");
    hasItems_.push_back(false);
    return *this;
}

JsonWriter& JsonWriter::endObject()
{
    MASKSCOPE_EXPECTS(!hasItems_.empty() && !afterKey_);
    hasItems_.pop_back();
    raw("}");
    if (hasItems_.empty())
        raw("\n");
    return *this;
}

JsonWriter& JsonWriter::beginArray()
{
    separate();
    raw("[");
    hasItems_.push_back(false);
    return *this;
}

JsonWriter& JsonWriter::endArray()
{
    MASKSCOPE_EXPECTS(!hasItems_.empty() && !afterKey_);
    hasItems_.pop_back();
    raw("]");
    return *this;
}

JsonWriter& JsonWriter::key(std::string_view name)
{
    MASKSCOPE_EXPECTS(!hasItems_.empty() && !afterKey_);
    separate();
    raw("\n");
    raw(jsonString(name));
    raw(": ");
    afterKey_ = true;
    return *this;
}

JsonWriter& JsonWriter::value(std::string_view text)
{
    separate();
    raw(jsonString(text));
    return *this;
}

JsonWriter& JsonWriter::value(bool b)
{
    separate();
    raw(b ? "true" : "false");
    return *this;
}

JsonWriter& JsonWriter::value(int n) { return value(static_cast<long long>(n)); }

JsonWriter& JsonWriter::value(long long n)
{
    separate();
    raw(std::to_string(n));
    return *this;
}

JsonWriter& JsonWriter::value(unsigned long long n)
{
    separate();
    raw(std::to_string(n));
    return *this;
}

JsonWriter& JsonWriter::value(double x)
{
    separate();
    raw(numberText(x));
    return *this;
}

JsonWriter& JsonWriter::value(float x)
{
    separate();
    raw(numberText(x));
    return *this;
}

JsonWriter& JsonWriter::null()
{
    separate();
    raw("null");
    return *this;
}

JsonWriter& JsonWriter::strings(const std::vector<std::string>& items)
{
    beginArray();
    for (const auto& s : items)
        value(std::string_view(s));
    return endArray();
}

JsonWriter& JsonWriter::bools(const std::vector<bool>& items)
{
    beginArray();
    for (const bool b : items)
        value(b);
    return endArray();
}

} // namespace maskscope
