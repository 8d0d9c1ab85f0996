// SPDX-License-Identifier: MIT
#include "model/hftokenizer.h"

#include "base/types.h"
#include "base/utf8.h"
#include "io/jsonparse.h"
#include "model/bpe.h"
#include "model/pretokenizer.h"

#include <algorithm>
#include <optional>

namespace maskscope {
namespace {

constexpr std::size_t kMaxTokenizerBytes = 256u * 1024 * 1024;

struct AddedToken {
    std::string content;
    int id = 0;
};

class HuggingFaceTokenizer : public Tokenizer {
public:
    HuggingFaceTokenizer(std::vector<AddedToken> added, std::vector<NormalizerStep> normalizer,
                         std::vector<PreTokenizerStep> preTokenizer, std::unique_ptr<BpeModel> model)
        : added_(std::move(added)), normalizer_(std::move(normalizer)), preTokenizer_(std::move(preTokenizer)),
          model_(std::move(model))
    {
        // Longest first, so that the leftmost match found first is also the longest there.
        std::stable_sort(added_.begin(), added_.end(),
                         [](const AddedToken& a, const AddedToken& b) { return a.content.size() > b.content.size(); });
        for (const auto& [piece, id] : model_->vocab())
            setPiece(id, piece);
        for (const AddedToken& t : added_)
            setPiece(t.id, t.content);
        byteLevel_ = std::any_of(preTokenizer_.begin(), preTokenizer_.end(),
                                 [](const PreTokenizerStep& s) { return s.kind == PreTokenizerStep::Kind::ByteLevel; });
    }

    std::vector<int> encode(const std::string& text) const override
    {
        if (!isValidUtf8(text))
            throw InputError("text: not valid UTF-8");
        std::vector<int> ids;
        std::size_t at = 0;
        while (at < text.size()) {
            const auto [hit, token] = nextAddedToken(text, at);
            if (hit > at)
                encodeSegment(text.substr(at, hit - at), at == 0, ids);
            if (!token)
                break;
            ids.push_back(token->id);
            at = hit + token->content.size();
        }
        return ids;
    }

    std::string piece(int id) const override { return pieces_[static_cast<std::size_t>(id)]; }
    int size() const override { return static_cast<int>(pieces_.size()); }
    bool byteLevel() const override { return byteLevel_; }

private:
    void setPiece(int id, const std::string& piece)
    {
        const auto index = static_cast<std::size_t>(id);
        if (pieces_.size() <= index)
            pieces_.resize(index + 1);
        pieces_[index] = piece;
    }

    /// The leftmost (then longest) added token at or after `from`: (its position, it), or
    /// (text size, nullptr).
    std::pair<std::size_t, const AddedToken*> nextAddedToken(const std::string& text, std::size_t from) const
    {
        std::size_t best = text.size();
        const AddedToken* token = nullptr;
        for (const AddedToken& t : added_) {
            const std::size_t hit = t.content.empty() ? std::string::npos : text.find(t.content, from);
            if (hit != std::string::npos && hit < best) {
                best = hit;
                token = &t;
            }
        }
        return {best, token};
    }

    void encodeSegment(const std::string& segment, bool first, std::vector<int>& ids) const
    {
        for (const std::string& word : preTokenize(preTokenizer_, normalize(normalizer_, segment), first))
            model_->encodeWord(word, ids);
    }

    std::vector<AddedToken> added_;
    std::vector<NormalizerStep> normalizer_;
    std::vector<PreTokenizerStep> preTokenizer_;
    std::unique_ptr<BpeModel> model_;
    std::vector<std::string> pieces_;
    bool byteLevel_ = false;
};

class TokenizerJsonReader {
public:
    TokenizerJsonReader(const std::string& path, int vocab) : path_(path), vocab_(vocab) {}

    std::unique_ptr<Tokenizer> read(const JsonValue& root)
    {
        if (!root.isObject())
            fail("the file is " + std::string(jsonKindName(root.kind)) + ", not an object");
        const JsonValue* model = root.find("model");
        if (!model || !model->isObject())
            fail("no model object");
        const JsonValue* type = model->find("type");
        const std::string typeName = type && type->isString() ? type->text : std::string("?");
        if (typeName != "BPE")
            fail("model type '" + printable(typeName, 40) + "' is not supported (supported: BPE)");
        static const JsonValue null;
        const JsonValue* normalizer = root.find("normalizer");
        const JsonValue* preTokenizer = root.find("pre_tokenizer");
        auto vocab = readVocab(*model);
        const BpeOptions options = readOptions(*model, vocab);
        auto bpe = std::make_unique<BpeModel>(std::move(vocab), readMerges(*model), options);
        return std::make_unique<HuggingFaceTokenizer>(readAdded(root), readNormalizer(normalizer ? *normalizer : null, path_),
                                                      readPreTokenizer(preTokenizer ? *preTokenizer : null, path_),
                                                      std::move(bpe));
    }

private:
    [[noreturn]] void fail(const std::string& problem) const { throw InputError(path_ + ": " + problem); }

    int checkedId(const JsonValue& v, const std::string& what) const
    {
        const std::optional<std::int64_t> id = v.integer();
        if (!id || *id < 0)
            fail(what + " must have a non-negative integer id");
        if (*id >= vocab_)
            fail(what + " has id " + std::to_string(*id) + ", past the model's vocabulary of " + std::to_string(vocab_));
        return static_cast<int>(*id);
    }

    std::unordered_map<std::string, int> readVocab(const JsonValue& model) const
    {
        const JsonValue* vocab = model.find("vocab");
        if (!vocab || !vocab->isObject())
            fail("the BPE model has no vocab object");
        std::unordered_map<std::string, int> out;
        for (const auto& [piece, id] : vocab->members)
            out.emplace(piece, checkedId(id, "token '" + printable(piece, 40) + "'"));
        return out;
    }

    std::vector<std::pair<std::string, std::string>> readMerges(const JsonValue& model) const
    {
        const JsonValue* merges = model.find("merges");
        if (!merges || !merges->isArray())
            fail("the BPE model has no merges array");
        std::vector<std::pair<std::string, std::string>> out;
        for (const JsonValue& m : merges->items) {
            if (m.isString()) { // "a b"
                const std::size_t space = m.text.find(' ');
                if (space == std::string::npos || m.text.find(' ', space + 1) != std::string::npos)
                    fail("merge '" + printable(m.text, 40) + "' is not two pieces separated by one space");
                out.emplace_back(m.text.substr(0, space), m.text.substr(space + 1));
            } else if (m.isArray() && m.items.size() == 2 && m.items[0].isString() && m.items[1].isString()) {
                out.emplace_back(m.items[0].text, m.items[1].text);
            } else {
                fail("merges must be strings \"a b\" or pairs [\"a\", \"b\"]");
            }
        }
        return out;
    }

    BpeOptions readOptions(const JsonValue& model, const std::unordered_map<std::string, int>& vocab) const
    {
        for (const char* key : {"continuing_subword_prefix", "end_of_word_suffix"}) {
            const JsonValue* v = model.find(key);
            if (v && !v->isNull() && !(v->isString() && v->text.empty()))
                fail(std::string(key) + " is not supported");
        }
        const JsonValue* dropout = model.find("dropout");
        if (dropout && !dropout->isNull() && !(dropout->isNumber() && dropout->number() == 0))
            fail("BPE dropout is not supported (encoding would be random)");
        const auto flag = [&](const char* key) {
            const JsonValue* v = model.find(key);
            return v && v->isBool() && v->boolean;
        };
        BpeOptions options;
        options.byteFallback = flag("byte_fallback");
        options.ignoreMerges = flag("ignore_merges");
        options.fuseUnk = flag("fuse_unk");
        const JsonValue* unk = model.find("unk_token");
        if (unk && unk->isString()) {
            const auto it = vocab.find(unk->text);
            if (it == vocab.end())
                fail("unk_token '" + printable(unk->text, 40) + "' is not in the vocabulary");
            options.unk = it->second;
        }
        return options;
    }

    std::vector<AddedToken> readAdded(const JsonValue& root) const
    {
        std::vector<AddedToken> out;
        const JsonValue* added = root.find("added_tokens");
        if (!added || added->isNull())
            return out;
        if (!added->isArray())
            fail("added_tokens must be an array");
        for (const JsonValue& t : added->items) {
            const JsonValue* content = t.find("content");
            const JsonValue* id = t.find("id");
            if (!content || !content->isString() || !id)
                fail("added_tokens entries need a content string and an id");
            out.push_back({content->text, checkedId(*id, "added token '" + printable(content->text, 40) + "'")});
        }
        return out;
    }

    const std::string& path_;
    int vocab_;
};

} // namespace

std::unique_ptr<Tokenizer> openHuggingFaceTokenizer(const std::string& path, int vocab)
{
    return TokenizerJsonReader(path, vocab).read(readJsonFile(path, kMaxTokenizerBytes));
}

} // namespace maskscope
