// openCheckpoint and openTokenizer: which format reader a path goes to. Kept apart from the
// readers so that adding a format touches only this dispatch.

#include "model/checkpoint.h"
#include "model/llama2c.h"
#include "model/llama2ctokenizer.h"
#include "model/tokenizer.h"

#include <filesystem>
#include <system_error>

namespace maskscope {

Checkpoint openCheckpoint(const std::string& path)
{
    std::error_code error;
    if (std::filesystem::is_directory(path, error))
        throw InputError(path + ": Hugging Face directories are not supported yet");
    return openLlama2c(path); // refuses FIFOs, devices and missing files itself
}

std::unique_ptr<Tokenizer> openTokenizer(const std::string& path, int vocab)
{
    const std::string extension = std::filesystem::path(path).extension().string();
    if (extension == ".bin")
        return std::make_unique<Llama2cTokenizer>(path, vocab);
    if (extension == ".model" || extension == ".json")
        throw InputError(path + ": " + extension + " tokenizers are not supported yet");
    throw InputError(path + ": unknown tokenizer format; expected a .bin (llama2.c), .model "
                            "(SentencePiece) or .json (Hugging Face) file");
}

} // namespace maskscope
