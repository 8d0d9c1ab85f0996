// SPDX-License-Identifier: MIT
#pragma once
// SentencePiece tokenizer.model files, encoded by Debian's libsentencepiece itself (the reference
// implementation, not a re-implementation).

#include "model/tokenizer.h"

#include <memory>
#include <string>

namespace maskscope {

/// Opens the SentencePiece model `path` (a serialized ModelProto). `vocab` is the model's
/// vocabulary size: the tokenizer may not have more pieces. Throws InputError "<path>: …" for a
/// missing, special, oversized or corrupt file and for a vocabulary larger than `vocab`.
std::unique_ptr<Tokenizer> openSentencePieceTokenizer(const std::string& path, int vocab);

} // namespace maskscope
