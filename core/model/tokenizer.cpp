// SPDX-License-Identifier: MIT
#include "model/tokenizer.h"

#include "base/types.h"
#include "model/hftokenizer.h"
#include "model/llama2ctokenizer.h"
#include "model/sentencepiecetokenizer.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>

namespace maskscope {
namespace {

void appendUtf8(std::string& out, std::uint32_t cp)
{
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Decodes the UTF-8 sequence at s[i] (strictly: no overlong forms, surrogates or values past
// U+10FFFF); its length, or 0 when the bytes there are not a valid character.
std::size_t decodeUtf8(const std::string& s, std::size_t i, std::uint32_t& cp)
{
    const auto byte = [&](std::size_t k) { return static_cast<std::uint32_t>(static_cast<unsigned char>(s[k])); };
    const std::uint32_t c = byte(i);
    const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size())
        return 0;
    cp = n == 1 ? c : c & (0x7Fu >> n);
    for (std::size_t k = 1; k < n; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    static constexpr std::array<std::uint32_t, 5> kSmallest = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kSmallest[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

// GPT-2's bytes_to_unicode, inverted: the byte each character of the byte-level alphabet stands
// for, or -1 for characters outside it.
int byteOfByteLevelChar(std::uint32_t cp)
{
    const auto printable = [](std::uint32_t b) {
        return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    };
    if (cp < 256 && printable(cp))
        return static_cast<int>(cp);
    std::uint32_t next = 256;
    for (std::uint32_t b = 0; b < 256; ++b)
        if (!printable(b) && next++ == cp)
            return static_cast<int>(b);
    return -1;
}

std::string byteName(unsigned char b)
{
    char name[8];
    std::snprintf(name, sizeof name, "<0x%02X>", b);
    return name;
}

// A byte piece "<0xNN>" as its byte, or -1.
int bytePiece(const std::string& piece)
{
    unsigned value = 0;
    char tail = 0;
    if (piece.size() == 6 && std::sscanf(piece.c_str(), "<0x%2X%c", &value, &tail) == 2 && tail == '>')
        return static_cast<int>(value);
    return -1;
}

// The bytes a piece stands for.
std::string bytesOf(const std::string& piece, bool byteLevel)
{
    if (const int b = bytePiece(piece); b >= 0)
        return std::string(1, static_cast<char>(b));
    if (!byteLevel)
        return piece;
    std::string bytes;
    for (std::size_t i = 0; i < piece.size();) {
        std::uint32_t cp = 0;
        const std::size_t n = decodeUtf8(piece, i, cp);
        const int b = n ? byteOfByteLevelChar(cp) : -1;
        if (b >= 0)
            bytes += static_cast<char>(b);
        else
            bytes.append(piece, i, n ? n : 1); // not in the alphabet: kept as it is
        i += n ? n : 1;
    }
    return bytes;
}

} // namespace

std::string readablePiece(const std::string& piece, bool byteLevel)
{
    const std::string bytes = bytesOf(piece, byteLevel);
    std::string out;
    for (std::size_t i = 0; i < bytes.size();) {
        std::uint32_t cp = 0;
        const std::size_t n = decodeUtf8(bytes, i, cp);
        if (n == 0) {
            out += byteName(static_cast<unsigned char>(bytes[i]));
            ++i;
            continue;
        }
        if (cp == ' ')
            out += "\xE2\x96\x81"; // ▁
        else if (cp == '\n')
            out += "\xE2\x86\xB5"; // ↵
        else if (cp == '\t')
            out += "\xE2\x87\xA5"; // ⇥
        else if (cp < 0x20 || cp == 0x7F)
            out += byteName(static_cast<unsigned char>(cp)); // other control characters
        else
            appendUtf8(out, cp);
        i += n;
    }
    return out;
}

std::unique_ptr<Tokenizer> openTokenizer(const std::string& path, int vocab)
{
    const std::string extension = std::filesystem::path(path).extension().string();
    if (extension == ".bin")
        return std::make_unique<Llama2cTokenizer>(path, vocab);
    if (extension == ".model")
        return openSentencePieceTokenizer(path, vocab);
    if (extension == ".json")
        return openHuggingFaceTokenizer(path, vocab);
    throw InputError(path + ": unknown tokenizer format; expected a .bin (llama2.c), .model "
                            "(SentencePiece) or .json (Hugging Face) file");
}

} // namespace maskscope
