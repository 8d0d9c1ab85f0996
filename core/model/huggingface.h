// SPDX-License-Identifier: MIT
#pragma once
// Hugging Face checkpoint directories: config.json with model.safetensors, or with shards listed
// in model.safetensors.index.json. Architectures llama, mistral, qwen2 (the Llama family:
// rotate-half rotary embeddings) and gpt2 (learned positions, Conv1D weights stored [in, out]).

#include "io/jsonparse.h"
#include "model/checkpoint.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace maskscope {

/// The model config of a parsed config.json (`name` is the file, for messages). Reads
/// model_type and the architecture's own keys with Hugging Face's defaults. Throws InputError
/// "<name>: architecture 'bert' is not supported (supported: llama, mistral, qwen2, gpt2)", or
/// naming the key that is missing or wrong; the result is validate()d. `storage` is left F32.
ModelConfig parseHuggingFaceConfig(const JsonValue& config, const std::string& name);

/// Every tensor the forward pass of `config` reads, under the Hugging Face names checkpoint.h
/// documents, with the shape the config implies (GPT-2's Conv1D weights as stored: [in, out]).
std::vector<std::pair<std::string, std::vector<std::int64_t>>> requiredTensors(const ModelConfig& config);

/// Opens the Hugging Face checkpoint in directory `dir`: parses config.json, maps
/// model.safetensors (or every shard of model.safetensors.index.json), normalises names (GPT-2's
/// optional "transformer." prefix, a bare Llama-family model without "model."), checks that every
/// required tensor is present with its shape, and sets config.storage to the widest dtype found.
/// Throws InputError with one line naming the file and the problem.
Checkpoint openHuggingFaceDirectory(const std::string& dir);

} // namespace maskscope
