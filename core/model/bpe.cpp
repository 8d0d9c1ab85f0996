// SPDX-License-Identifier: MIT
#include "model/bpe.h"

#include "base/types.h"
#include "base/utf8.h"
#include "io/jsonparse.h"

#include <cstdio>
#include <limits>

namespace maskscope {

BpeModel::BpeModel(std::unordered_map<std::string, int> vocab,
                   const std::vector<std::pair<std::string, std::string>>& merges, BpeOptions options)
    : vocab_(std::move(vocab)), options_(options)
{
    for (std::size_t rank = 0; rank < merges.size(); ++rank) {
        const auto& [a, b] = merges[rank];
        merges_.emplace(pairKey(a, b), Merge{static_cast<int>(rank), a + b}); // the first rank wins
    }
}

std::string BpeModel::pairKey(const std::string& a, const std::string& b)
{
    return std::to_string(a.size()) + ":" + a + b; // unambiguous whatever the pieces contain
}

void BpeModel::mergeSymbols(std::vector<std::string>& symbols) const
{
    // Like tokenizers, characters missing from the vocabulary never merge (they are already
    // unk or bytes there).
    std::vector<bool> known(symbols.size());
    for (std::size_t i = 0; i < symbols.size(); ++i)
        known[i] = vocab_.count(symbols[i]) != 0;
    while (symbols.size() > 1) {
        int bestRank = std::numeric_limits<int>::max();
        std::size_t best = 0;
        const Merge* bestMerge = nullptr;
        for (std::size_t i = 0; i + 1 < symbols.size(); ++i) {
            if (!known[i] || !known[i + 1])
                continue;
            const auto it = merges_.find(pairKey(symbols[i], symbols[i + 1]));
            if (it != merges_.end() && it->second.rank < bestRank) {
                bestRank = it->second.rank;
                best = i;
                bestMerge = &it->second;
            }
        }
        if (!bestMerge)
            return;
        symbols[best] = bestMerge->result;
        symbols.erase(symbols.begin() + static_cast<std::ptrdiff_t>(best) + 1);
        known.erase(known.begin() + static_cast<std::ptrdiff_t>(best) + 1);
        known[best] = vocab_.count(symbols[best]) != 0;
    }
}

void BpeModel::appendSymbol(const std::string& symbol, std::vector<int>& out, bool& lastWasUnk) const
{
    const auto it = vocab_.find(symbol);
    if (it != vocab_.end()) {
        out.push_back(it->second);
        lastWasUnk = false;
        return;
    }
    if (options_.byteFallback) {
        std::vector<int> bytes;
        for (const char c : symbol) {
            char name[8];
            std::snprintf(name, sizeof name, "<0x%02X>", static_cast<unsigned char>(c));
            const auto byte = vocab_.find(name);
            if (byte == vocab_.end())
                break;
            bytes.push_back(byte->second);
        }
        if (bytes.size() == symbol.size()) {
            out.insert(out.end(), bytes.begin(), bytes.end());
            lastWasUnk = false;
            return;
        }
    }
    if (options_.unk < 0)
        throw InputError("tokenizer: no token for '" + printable(symbol) + "' and no unk_token or byte fallback");
    if (!(options_.fuseUnk && lastWasUnk))
        out.push_back(options_.unk);
    lastWasUnk = true;
}

void BpeModel::encodeWord(const std::string& word, std::vector<int>& out) const
{
    if (word.empty())
        return;
    if (options_.ignoreMerges) {
        const auto whole = vocab_.find(word);
        if (whole != vocab_.end()) {
            out.push_back(whole->second);
            return;
        }
    }
    std::vector<std::string> symbols;
    for (std::size_t i = 0; i < word.size();) {
        const std::size_t length = std::max<std::size_t>(utf8SequenceLength(word, i), 1);
        symbols.push_back(word.substr(i, length));
        i += length;
    }
    mergeSymbols(symbols);
    bool lastWasUnk = false;
    for (const std::string& s : symbols)
        appendSymbol(s, out, lastWasUnk);
}

} // namespace maskscope
