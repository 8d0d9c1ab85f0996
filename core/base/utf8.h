// SPDX-License-Identifier: MIT
#pragma once
// UTF-8 as RFC 3629 defines it: the one validator every reader of untrusted text uses (JSON
// files, tokenizer input) so that "valid UTF-8" means the same everywhere.

#include <cstddef>
#include <string>
#include <string_view>

namespace maskscope {

/// Length of the well-formed UTF-8 sequence at text[i] (1 to 4), or 0 when the bytes there are
/// not one: a stray continuation byte, an overlong form, a surrogate, a code point past
/// U+10FFFF or a truncated sequence (table 3-7 of the Unicode standard). 0 when i >= size.
std::size_t utf8SequenceLength(std::string_view text, std::size_t i);

/// Whether the whole of `text` is well-formed UTF-8.
bool isValidUtf8(std::string_view text);

/// Appends the UTF-8 encoding of `codePoint`. Precondition: a Unicode scalar value (at most
/// U+10FFFF, not a surrogate).
void appendUtf8(std::string& out, char32_t codePoint);

/// The code point of the well-formed sequence of `length` bytes at text[i] (see
/// utf8SequenceLength).
char32_t decodeUtf8(std::string_view text, std::size_t i, std::size_t length);

} // namespace maskscope
