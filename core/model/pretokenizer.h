// SPDX-License-Identifier: MIT
#pragma once
// The text steps of a Hugging Face tokenizer.json before its model: the normalizer (Prepend,
// Replace, NFC, Sequence) and the pre-tokenizer (ByteLevel, Split by a regex through PCRE2 in UTF
// mode with Unicode properties, Metaspace, Sequence), read from their JSON.

#include "io/jsonparse.h"

#include <memory>
#include <string>
#include <vector>

namespace maskscope {

class Pcre2Regex;

/// One step of a normalizer.
struct NormalizerStep {
    enum class Kind { Prepend, Replace, Nfc };
    Kind kind = Kind::Prepend;
    std::string text;        ///< Prepend: what; Replace: the string replaced
    std::string replacement; ///< Replace: by what
};

/// One step of a pre-tokenizer.
struct PreTokenizerStep {
    enum class Kind { Split, ByteLevel, Metaspace };
    Kind kind = Kind::Split;
    std::shared_ptr<const Pcre2Regex> regex; ///< Split, and ByteLevel with use_regex
    bool removeMatches = false;  ///< Split behaviour "Removed" (else "Isolated")
    bool addPrefixSpace = false; ///< ByteLevel
    std::string replacement;     ///< Metaspace: "▁"
    enum class Prepend { Always, First, Never } prepend = Prepend::Always; ///< Metaspace
    bool splitOnReplacement = true; ///< Metaspace
};

/// The normalizer of `json` (tokenizer.json's "normalizer": null, or a supported type).
/// Throws InputError "<name>: normalizer type 'X' is not supported (…)".
std::vector<NormalizerStep> readNormalizer(const JsonValue& json, const std::string& name);

/// The pre-tokenizer of `json` ("pre_tokenizer"). Throws InputError naming the unsupported type,
/// split behaviour or the regex that PCRE2 refuses.
std::vector<PreTokenizerStep> readPreTokenizer(const JsonValue& json, const std::string& name);

/// `text` normalized. Throws InputError when NFC would have to change the text (see .cpp).
std::string normalize(const std::vector<NormalizerStep>& steps, std::string text);

/// The words of `text` after the pre-tokenizer. `firstSegment`: the text starts the input (not
/// after an added token), for Metaspace's prepend_scheme "first".
std::vector<std::string> preTokenize(const std::vector<PreTokenizerStep>& steps, const std::string& text,
                                     bool firstSegment);

/// GPT-2's byte-to-unicode table: the character byte `b` stands for in byte-level BPE pieces.
const std::string& byteLevelCharacter(unsigned char b);

} // namespace maskscope
