// SPDX-License-Identifier: MIT
#pragma once
// A strict JSON reader (RFC 8259) for the files of real checkpoints: config.json, the safetensors
// header, model.safetensors.index.json, tokenizer.json. Untrusted input: nesting is bounded,
// strings must be valid UTF-8, duplicate keys are refused, and every error is one line naming
// the source and the byte where reading stopped.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace maskscope {

/// One parsed JSON value. Objects keep their members in file order (keys are unique).
struct JsonValue {
    enum class Kind { Null, Bool, Number, String, Array, Object };
    Kind kind = Kind::Null;
    bool boolean = false;
    std::string text; ///< String: the decoded text; Number: the literal as written
    std::vector<JsonValue> items;                           ///< Array
    std::vector<std::pair<std::string, JsonValue>> members; ///< Object

    bool isNull() const { return kind == Kind::Null; }
    bool isString() const { return kind == Kind::String; }
    bool isObject() const { return kind == Kind::Object; }
    bool isArray() const { return kind == Kind::Array; }
    bool isNumber() const { return kind == Kind::Number; }
    bool isBool() const { return kind == Kind::Bool; }
    /// The member called `key` of an object, or nullptr (also for non-objects).
    const JsonValue* find(std::string_view key) const;
    /// A number written without fraction or exponent that fits in int64, else nothing.
    std::optional<std::int64_t> integer() const;
    /// A number written without sign, fraction or exponent that fits in uint64, else nothing.
    std::optional<std::uint64_t> unsignedInteger() const;
    /// The nearest double of a number (±inf when out of range). Precondition: isNumber().
    double number() const;
};

/// "null", "true", "a number", "a string", "an array" or "an object", for messages.
const char* jsonKindName(JsonValue::Kind kind);

/// `text` fit for a one-line message: control characters become '?', and at most `maxBytes`
/// bytes are kept (cut at a character boundary, "…" appended).
std::string printable(std::string_view text, std::size_t maxBytes = 80);

/// Parses `text` as one JSON value (whitespace around it allowed, nothing else). Nesting deeper
/// than `maxDepth` arrays/objects is refused. Throws InputError
/// "<name>: invalid JSON at byte <n>: <problem>".
JsonValue parseJson(std::string_view text, const std::string& name, int maxDepth = 64);

/// Reads and parses the file `path` (a regular file of at most `maxBytes`). Throws InputError
/// "<path>: …" for a missing, special, too large or invalid file.
JsonValue readJsonFile(const std::string& path, std::size_t maxBytes);

} // namespace maskscope
