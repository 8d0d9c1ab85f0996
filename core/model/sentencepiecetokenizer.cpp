// SPDX-License-Identifier: MIT
#include "model/sentencepiecetokenizer.h"

#include "base/types.h"
#include "base/utf8.h"
#include "io/readonlyfile.h"

#include <sentencepiece_processor.h>

namespace maskscope {
namespace {

constexpr std::size_t kMaxModelBytes = 256u * 1024 * 1024;

class SentencePieceTokenizer : public Tokenizer {
public:
    explicit SentencePieceTokenizer(std::string path) : path_(std::move(path)) {}

    void load(const std::string& serialized)
    {
        const auto status = processor_.LoadFromSerializedProto(serialized);
        if (!status.ok())
            throw InputError(path_ + ": not a SentencePiece model (" + oneLine(status.ToString()) + ")");
    }

    std::vector<int> encode(const std::string& text) const override
    {
        if (!isValidUtf8(text))
            throw InputError("text: not valid UTF-8");
        std::vector<int> ids;
        const auto status = processor_.Encode(text, &ids);
        if (!status.ok())
            throw InputError(path_ + ": cannot encode the text (" + oneLine(status.ToString()) + ")");
        return ids;
    }

    std::string piece(int id) const override { return processor_.IdToPiece(id); }
    int size() const override { return processor_.GetPieceSize(); }

private:
    static std::string oneLine(std::string s)
    {
        for (char& c : s)
            if (c == '\n' || c == '\r')
                c = ' ';
        return s;
    }

    std::string path_;
    sentencepiece::SentencePieceProcessor processor_;
};

} // namespace

std::unique_ptr<Tokenizer> openSentencePieceTokenizer(const std::string& path, int vocab)
{
    const ReadOnlyFile file(path, "a SentencePiece model");
    if (file.size() > kMaxModelBytes)
        throw InputError(path + ": " + std::to_string(file.size()) + " bytes is more than a tokenizer model may have");
    std::vector<std::uint8_t> bytes;
    file.readAt(0, file.size(), bytes);
    auto tokenizer = std::make_unique<SentencePieceTokenizer>(path);
    tokenizer->load(std::string(bytes.begin(), bytes.end()));
    if (tokenizer->size() > vocab)
        throw InputError(path + ": the tokenizer has " + std::to_string(tokenizer->size())
                         + " pieces, the model's vocabulary only " + std::to_string(vocab));
    return tokenizer;
}

} // namespace maskscope
