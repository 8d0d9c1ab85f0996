// SPDX-License-Identifier: MIT
#pragma once
// The BPE model of Hugging Face's tokenizers: a word (one pre-token) is split into characters,
// then the adjacent pair of lowest merge rank is merged, leftmost first, until no ranked pair is
// left; symbols missing from the vocabulary fall back to their bytes ("<0xNN>") or to unk.

#include <string>
#include <unordered_map>
#include <vector>

namespace maskscope {

struct BpeOptions {
    bool byteFallback = false;   ///< unknown characters become their UTF-8 bytes' "<0xNN>" tokens
    bool ignoreMerges = false;   ///< a word that is a vocabulary entry is that token (Llama 3)
    bool fuseUnk = false;        ///< consecutive unknown symbols become one unk token
    int unk = -1;                ///< id of unk_token, or -1 when there is none
};

class BpeModel {
public:
    /// `vocab`: piece → id. `merges`: pairs in rank order (first = merged first).
    BpeModel(std::unordered_map<std::string, int> vocab, const std::vector<std::pair<std::string, std::string>>& merges,
             BpeOptions options);

    /// Appends the ids of `word` (valid UTF-8) to `out`. Throws InputError "tokenizer: no token
    /// for '<symbol>' and no unk_token or byte fallback" when a symbol cannot be encoded.
    void encodeWord(const std::string& word, std::vector<int>& out) const;

    const std::unordered_map<std::string, int>& vocab() const { return vocab_; }

private:
    struct Merge {
        int rank;
        std::string result;
    };
    static std::string pairKey(const std::string& a, const std::string& b);
    void mergeSymbols(std::vector<std::string>& symbols) const;
    void appendSymbol(const std::string& symbol, std::vector<int>& out, bool& lastWasUnk) const;

    std::unordered_map<std::string, int> vocab_;
    std::unordered_map<std::string, Merge> merges_;
    BpeOptions options_;
};

} // namespace maskscope
