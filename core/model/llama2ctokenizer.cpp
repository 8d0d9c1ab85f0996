// SPDX-License-Identifier: MIT
#include "model/llama2ctokenizer.h"

#include "base/types.h"
#include "io/readonlyfile.h"

#include <bit>
#include <cstdint>
#include <cstring>

namespace maskscope {
namespace {

// Reads little-endian fields from the file's bytes, failing with the file's name at the end.
class Reader {
public:
    Reader(const std::string& path, const std::vector<std::uint8_t>& bytes) : path_(path), bytes_(bytes) {}

    bool atEnd() const { return pos_ == bytes_.size(); }
    std::size_t position() const { return pos_; }
    std::uint32_t u32(const char* what)
    {
        need(4, what);
        const std::uint8_t* p = bytes_.data() + pos_;
        pos_ += 4;
        return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8)
               | (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
    }
    std::string text(std::size_t length, const char* what)
    {
        need(length, what);
        std::string s(reinterpret_cast<const char*>(bytes_.data() + pos_), length);
        pos_ += length;
        return s;
    }
    [[noreturn]] void fail(const std::string& problem) const { throw InputError(path_ + ": " + problem); }

private:
    void need(std::size_t count, const char* what) const
    {
        if (bytes_.size() - pos_ < count)
            fail(std::string("truncated at byte ") + std::to_string(pos_) + " (" + what + ")");
    }
    const std::string& path_;
    const std::vector<std::uint8_t>& bytes_;
    std::size_t pos_ = 0;
};

bool isContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// The length of the UTF-8 sequence starting at s[i], or 0 if it is not a valid one.
std::size_t utf8Length(const std::string& s, std::size_t i)
{
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size())
        return 0;
    for (std::size_t k = 1; k < n; ++k)
        if (!isContinuation(static_cast<unsigned char>(s[i + k])))
            return 0;
    return n;
}

void requireUtf8(const std::string& text)
{
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t n = utf8Length(text, i);
        if (n == 0)
            throw InputError("the text is not valid UTF-8 (byte " + std::to_string(i) + ")");
        i += n;
    }
}

std::string replaceAll(std::string s, const std::string& from, const std::string& to)
{
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
    return s;
}

// SentencePiece's remove_extra_whitespaces (only the space character, as its normaliser does).
std::string withoutExtraSpaces(const std::string& text)
{
    std::string out;
    for (const char c : text)
        if (c != ' ' || (!out.empty() && out.back() != ' '))
            out += c;
    if (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out;
}

} // namespace

Llama2cTokenizer::Llama2cTokenizer(const std::string& path, int vocab)
{
    const ReadOnlyFile file(path, "a llama2.c tokenizer");
    std::vector<std::uint8_t> bytes;
    file.readAt(0, file.size(), bytes);
    Reader in(path, bytes);
    if (bytes.empty())
        in.fail("the file is empty; expected a llama2.c tokenizer");
    const std::uint32_t maxLength = in.u32("max token length");
    if (maxLength < 1 || maxLength > (1u << 16))
        in.fail("max token length " + std::to_string(static_cast<std::int32_t>(maxLength)) + " is absurd");
    while (vocab <= 0 ? !in.atEnd() : static_cast<int>(pieces_.size()) < vocab) {
        const std::string token = "token " + std::to_string(pieces_.size());
        const float score = std::bit_cast<float>(in.u32(token.c_str()));
        const std::uint32_t length = in.u32(token.c_str());
        if (length > maxLength)
            in.fail(token + " is " + std::to_string(length) + " bytes long, more than the max token length "
                    + std::to_string(maxLength));
        pieces_.push_back(in.text(length, token.c_str()));
        scores_.push_back(score);
        ids_.emplace(pieces_.back(), static_cast<int>(pieces_.size()) - 1);
    }
    if (!in.atEnd())
        in.fail("has " + std::to_string(bytes.size() - in.position()) + " bytes after the " + std::to_string(vocab)
                + " tokens of the model's vocabulary");
    if (pieces_.size() < 259)
        in.fail("has " + std::to_string(pieces_.size()) + " tokens; llama2.c tokenizers have at least 259 "
                "(<unk>, <s>, </s> and 256 bytes)");
}

int Llama2cTokenizer::lookup(const std::string& piece) const
{
    const auto it = ids_.find(piece);
    return it == ids_.end() ? -1 : it->second;
}

std::vector<int> Llama2cTokenizer::encode(const std::string& original) const
{
    requireUtf8(original);
    const std::string text = withoutExtraSpaces(original);
    std::vector<int> tokens;
    if (text.empty())
        return tokens;
    if (const int space = lookup(" "); space >= 0)
        tokens.push_back(space); // the dummy prefix: SentencePiece's add_dummy_prefix
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t n = utf8Length(text, i);
        const std::string character = text.substr(i, n);
        if (const int id = lookup(character); id >= 0) {
            tokens.push_back(id);
        } else {
            for (const char byte : character) // byte fallback: <0x00> is id 3
                tokens.push_back(static_cast<unsigned char>(byte) + 3);
        }
        i += n;
    }
    mergeBestPairs(tokens);
    return tokens;
}

void Llama2cTokenizer::mergeBestPairs(std::vector<int>& tokens) const
{
    for (;;) {
        float bestScore = -1e10f;
        int bestId = -1;
        std::size_t bestAt = 0;
        for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
            const int id = lookup(pieces_[static_cast<std::size_t>(tokens[i])]
                                  + pieces_[static_cast<std::size_t>(tokens[i + 1])]);
            if (id >= 0 && scores_[static_cast<std::size_t>(id)] > bestScore) {
                bestScore = scores_[static_cast<std::size_t>(id)];
                bestId = id;
                bestAt = i;
            }
        }
        if (bestId < 0)
            return;
        tokens[bestAt] = bestId;
        tokens.erase(tokens.begin() + static_cast<std::ptrdiff_t>(bestAt) + 1);
    }
}

std::string Llama2cTokenizer::piece(int id) const
{
    const std::string& stored = pieces_[static_cast<std::size_t>(id)];
    if (stored == "\n<s>\n")
        return "<s>";
    if (stored == "\n</s>\n")
        return "</s>";
    return replaceAll(stored, " ", "\xE2\x96\x81"); // "▁"
}

} // namespace maskscope
