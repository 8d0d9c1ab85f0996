// SPDX-License-Identifier: MIT
#pragma once
// Hugging Face tokenizer.json files whose model is BPE: byte-level (GPT-2, Llama 3, Qwen2: a
// ByteLevel pre-tokenizer, its regex through PCRE2) or Llama-2 style (a "▁" metaspace from the
// normalizer or a Metaspace pre-tokenizer, byte fallback to "<0xNN>"). Added tokens are matched
// in the raw text first, as tokenizers does.

#include "model/tokenizer.h"

#include <memory>
#include <string>

namespace maskscope {

/// Opens tokenizer.json at `path`. `vocab` is the model's vocabulary size: no token id may reach
/// it. Throws InputError "<path>: …" for a missing or invalid file, a model type other than BPE
/// ("model type 'WordPiece' is not supported (supported: BPE)"), an unsupported normalizer or
/// pre-tokenizer (named), or ids past `vocab`.
std::unique_ptr<Tokenizer> openHuggingFaceTokenizer(const std::string& path, int vocab);


} // namespace maskscope
