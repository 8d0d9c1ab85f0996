// SPDX-License-Identifier: MIT
#pragma once
// Tokenizers of real checkpoints: text to token ids, and ids back to their pieces ("▁Lily",
// "Ġcat", "<0x0A>") for the labels of the heatmaps. Each format implements this interface:
// llama2.c tokenizer.bin, SentencePiece tokenizer.model (libsentencepiece), Hugging Face
// tokenizer.json of type BPE (byte-level with a PCRE2 pre-tokenizer, or byte-fallback/metaspace).

#include <memory>
#include <string>
#include <vector>

namespace maskscope {

class Tokenizer {
public:
    virtual ~Tokenizer() = default;
    /// The ids of `text`, without BOS (the model's config decides about BOS), as the format's
    /// reference implementation encodes it (llama2.c's encode, SentencePiece, HF tokenizers).
    /// Throws InputError for text that is not valid UTF-8.
    virtual std::vector<int> encode(const std::string& text) const = 0;
    /// The piece of token `id` as the vocabulary stores it. Precondition: 0 <= id < size().
    virtual std::string piece(int id) const = 0;
    virtual int size() const = 0;
    /// True when pieces are in byte-level BPE's alphabet (GPT-2, Llama 3, Qwen2): what
    /// readablePiece needs to know.
    virtual bool byteLevel() const { return false; }
};

/// A piece shown to a reader, one spelling for every format: a word start is "▁" (SentencePiece's
/// own marker; byte-level BPE's "Ġ" becomes it too), byte-level pieces are decoded to the
/// characters they stand for ("Ã©" → "é"), a newline is "↵", a tab "⇥", and byte pieces that are
/// not a whole UTF-8 character stay "<0xNN>". Always valid UTF-8.
/// `byteLevel`: the piece is in byte-level BPE's alphabet (GPT-2, Llama 3, Qwen2).
std::string readablePiece(const std::string& piece, bool byteLevel);

/// Opens a tokenizer by its file name: *.bin (llama2.c), *.model (SentencePiece), *.json
/// (Hugging Face). `vocab` is the model's vocabulary size, checked against the tokenizer's.
/// Throws InputError "<path>: <problem>".
std::unique_ptr<Tokenizer> openTokenizer(const std::string& path, int vocab);

} // namespace maskscope
