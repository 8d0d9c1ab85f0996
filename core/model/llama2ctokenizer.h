// SPDX-License-Identifier: MIT
#pragma once
// llama2.c's tokenizer.bin: an int32 max token length, then per token a float32 merge score, an
// int32 byte length and the bytes. Pieces are stored with SentencePiece's "▁" already turned into
// a space, BOS as "\n<s>\n" and EOS as "\n</s>\n"; ids 3..258 are the byte pieces <0x00>..<0xFF>.

#include "base/types.h"
#include "model/tokenizer.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace maskscope {

/// A llama2.c tokenizer, encoding as llama2.c's run.c `encode` does (without BOS/EOS), after the
/// one normalisation SentencePiece applies to llama2.c's tokenizers (remove_extra_whitespaces:
/// leading and trailing spaces dropped, runs of spaces collapsed to one). run.c skips that step;
/// the models were trained on SentencePiece's ids, which this reproduces (tst_llama2ctokenizer).
class Llama2cTokenizer : public Tokenizer {
public:
    /// Reads `path`. `vocab` is the model's vocabulary size: the file must hold exactly that many
    /// tokens (vocab <= 0: as many as the file holds). Throws InputError "<path>: <problem>".
    Llama2cTokenizer(const std::string& path, int vocab);

    /// Extra spaces removed as above; then a dummy-prefix space (unless the text is empty), each
    /// UTF-8 character looked up whole or
    /// else spelled by its bytes (id byte + 3), then repeatedly the adjacent pair whose merged
    /// piece has the best score (the leftmost on ties) is merged. Throws InputError for invalid
    /// UTF-8.
    std::vector<int> encode(const std::string& text) const override;
    /// The piece in SentencePiece's spelling: a space is "▁", BOS "<s>", EOS "</s>".
    std::string piece(int id) const override;
    int size() const override { return static_cast<int>(pieces_.size()); }

private:
    int lookup(const std::string& piece) const; ///< -1 when absent
    void mergeBestPairs(std::vector<int>& tokens) const;

    std::vector<std::string> pieces_; ///< as stored
    std::vector<float> scores_;
    std::unordered_map<std::string, int> ids_; ///< stored piece -> its first id
};

} // namespace maskscope
