// SPDX-License-Identifier: MIT
// openCheckpoint: which format reader a path goes to. Kept apart from the readers so that adding
// a format touches only this dispatch (openTokenizer's is in tokenizer.cpp).

#include "model/checkpoint.h"
#include "model/huggingface.h"
#include "model/llama2c.h"

#include <filesystem>
#include <system_error>

namespace maskscope {

Checkpoint openCheckpoint(const std::string& path)
{
    std::error_code error;
    if (std::filesystem::is_directory(path, error))
        return openHuggingFaceDirectory(path);
    return openLlama2c(path); // refuses FIFOs, devices and missing files itself
}

} // namespace maskscope
