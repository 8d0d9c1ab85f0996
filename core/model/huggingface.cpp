// SPDX-License-Identifier: MIT
// A Hugging Face checkpoint directory: its files, its tensor names and the shapes its config
// implies. config.json itself is read in huggingfaceconfig.cpp.
#include "model/huggingface.h"

#include "base/types.h"
#include "model/safetensors.h"

#include <filesystem>
#include <set>

namespace maskscope {
namespace {

constexpr std::size_t kMaxConfigBytes = 16u * 1024 * 1024;
constexpr std::size_t kMaxIndexBytes = 64u * 1024 * 1024;
constexpr const char* kSingleFile = "model.safetensors";
constexpr const char* kIndexFile = "model.safetensors.index.json";

using Shape = std::vector<std::int64_t>;
using Required = std::vector<std::pair<std::string, Shape>>;

void llamaLayer(const ModelConfig& c, int i, Required& out)
{
    const std::string p = "model.layers." + std::to_string(i) + ".";
    const std::int64_t d = c.dModel, q = std::int64_t{c.heads} * c.headDim, kv = std::int64_t{c.kvHeads} * c.headDim;
    out.push_back({p + "input_layernorm.weight", {d}});
    out.push_back({p + "self_attn.q_proj.weight", {q, d}});
    out.push_back({p + "self_attn.k_proj.weight", {kv, d}});
    out.push_back({p + "self_attn.v_proj.weight", {kv, d}});
    if (c.attentionBias) {
        out.push_back({p + "self_attn.q_proj.bias", {q}});
        out.push_back({p + "self_attn.k_proj.bias", {kv}});
        out.push_back({p + "self_attn.v_proj.bias", {kv}});
    }
    out.push_back({p + "self_attn.o_proj.weight", {d, q}});
    out.push_back({p + "post_attention_layernorm.weight", {d}});
    out.push_back({p + "mlp.gate_proj.weight", {c.ffn, d}});
    out.push_back({p + "mlp.up_proj.weight", {c.ffn, d}});
    out.push_back({p + "mlp.down_proj.weight", {d, c.ffn}});
}

void gpt2Layer(const ModelConfig& c, int i, Required& out)
{
    const std::string p = "h." + std::to_string(i) + ".";
    const std::int64_t d = c.dModel;
    // Conv1D stores its weight as [in, out], the transpose of nn.Linear's.
    out.push_back({p + "ln_1.weight", {d}});
    out.push_back({p + "ln_1.bias", {d}});
    out.push_back({p + "attn.c_attn.weight", {d, 3 * d}});
    out.push_back({p + "attn.c_attn.bias", {3 * d}});
    out.push_back({p + "attn.c_proj.weight", {d, d}});
    out.push_back({p + "attn.c_proj.bias", {d}});
    out.push_back({p + "ln_2.weight", {d}});
    out.push_back({p + "ln_2.bias", {d}});
    out.push_back({p + "mlp.c_fc.weight", {d, c.ffn}});
    out.push_back({p + "mlp.c_fc.bias", {c.ffn}});
    out.push_back({p + "mlp.c_proj.weight", {c.ffn, d}});
    out.push_back({p + "mlp.c_proj.bias", {d}});
}

/// Hugging Face names whatever the saving class: GPT2LMHeadModel prefixes "transformer.",
/// GPT2Model does not; LlamaModel (no head) saves without "model.".
std::map<std::string, TensorView> normalisedNames(std::map<std::string, TensorView> tensors,
                                                  Architecture architecture, const std::string& dir)
{
    std::string prefix, add;
    if (architecture == Architecture::Gpt2)
        prefix = "transformer.";
    else if (!tensors.count("model.embed_tokens.weight") && tensors.count("embed_tokens.weight"))
        add = "model.";
    std::map<std::string, TensorView> out;
    for (auto& [name, view] : tensors) {
        std::string normal = name;
        if (!prefix.empty() && normal.starts_with(prefix))
            normal.erase(0, prefix.size());
        else if (!add.empty() && normal != "lm_head.weight")
            normal.insert(0, add);
        if (!out.emplace(normal, view).second)
            throw InputError(dir + ": tensor " + printable(normal) + " is stored twice (with and without a prefix)");
    }
    return out;
}

bool isPlainFileName(const std::string& name)
{
    return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos;
}

/// Every tensor of the shards that model.safetensors.index.json's weight_map lists.
void readShards(const std::string& dir, Checkpoint& checkpoint, std::map<std::string, TensorView>& tensors)
{
    const std::string indexPath = dir + "/" + kIndexFile;
    const JsonValue index = readJsonFile(indexPath, kMaxIndexBytes);
    const JsonValue* weightMap = index.find("weight_map");
    if (!weightMap || !weightMap->isObject())
        throw InputError(indexPath + ": no weight_map object");
    std::map<std::string, SafetensorsFile> shards;
    for (const auto& [tensorName, shardName] : weightMap->members) {
        if (!shardName.isString() || !isPlainFileName(shardName.text))
            throw InputError(indexPath + ": tensor " + printable(tensorName)
                             + " must map to a file name in the same directory");
        auto shard = shards.find(shardName.text);
        if (shard == shards.end())
            shard = shards.emplace(shardName.text, openSafetensors(dir + "/" + shardName.text)).first;
        const auto view = shard->second.tensors.find(tensorName);
        if (view == shard->second.tensors.end())
            throw InputError(dir + "/" + shardName.text + ": missing tensor " + printable(tensorName) + " (listed in "
                             + kIndexFile + ")");
        tensors.emplace(tensorName, view->second);
    }
    for (auto& [name, shard] : shards)
        checkpoint.files.push_back(shard.file);
}

std::map<std::string, TensorView> readTensors(const std::string& dir, Checkpoint& checkpoint)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    std::map<std::string, TensorView> tensors;
    if (fs::exists(dir + "/" + kSingleFile, ec) || !fs::exists(dir + "/" + kIndexFile, ec)) {
        if (!fs::exists(dir + "/" + kSingleFile, ec))
            throw InputError(dir + "/" + kSingleFile + ": missing (and no " + kIndexFile + " either)");
        SafetensorsFile file = openSafetensors(dir + "/" + kSingleFile);
        checkpoint.files.push_back(file.file);
        tensors = std::move(file.tensors);
    } else {
        readShards(dir, checkpoint, tensors);
    }
    return tensors;
}

/// F32 when any required tensor is F32, else the half type found (BF16 before F16).
StorageType widestStorage(const Checkpoint& checkpoint, const Required& required)
{
    std::set<StorageType> found;
    for (const auto& [name, shape] : required)
        found.insert(checkpoint.tensor(name).type);
    for (const StorageType t : {StorageType::F32, StorageType::BF16, StorageType::F16})
        if (found.count(t))
            return t;
    return StorageType::F32;
}

} // namespace

std::vector<std::pair<std::string, std::vector<std::int64_t>>> requiredTensors(const ModelConfig& c)
{
    Required out;
    const std::int64_t d = c.dModel, vocab = c.vocab;
    if (c.architecture == Architecture::Gpt2) {
        out.push_back({"wte.weight", {vocab, d}});
        out.push_back({"wpe.weight", {c.maxPositions, d}});
        for (int i = 0; i < c.layers; ++i)
            gpt2Layer(c, i, out);
        out.push_back({"ln_f.weight", {d}});
        out.push_back({"ln_f.bias", {d}});
    } else {
        out.push_back({"model.embed_tokens.weight", {vocab, d}});
        for (int i = 0; i < c.layers; ++i)
            llamaLayer(c, i, out);
        out.push_back({"model.norm.weight", {d}});
    }
    if (!c.tiedEmbeddings)
        out.push_back({"lm_head.weight", {vocab, d}});
    return out;
}

Checkpoint openHuggingFaceDirectory(const std::string& directory)
{
    std::string dir = directory;
    while (dir.size() > 1 && dir.back() == '/')
        dir.pop_back();
    Checkpoint checkpoint;
    checkpoint.path = dir;
    const std::string configPath = dir + "/config.json";
    checkpoint.config = parseHuggingFaceConfig(readJsonFile(configPath, kMaxConfigBytes), configPath);
    checkpoint.tensors = normalisedNames(readTensors(dir, checkpoint), checkpoint.config.architecture, dir);
    // A config may claim a billion layers: the last layer is looked for before the list of
    // required tensors (a dozen per layer) is built.
    const int last = checkpoint.config.layers - 1;
    checkpoint.tensor(checkpoint.config.architecture == Architecture::Gpt2
                          ? "h." + std::to_string(last) + ".ln_1.weight"
                          : "model.layers." + std::to_string(last) + ".input_layernorm.weight");
    const Required required = requiredTensors(checkpoint.config);
    for (const auto& [name, shape] : required)
        checkpoint.tensor(name, shape);
    checkpoint.config.storage = widestStorage(checkpoint, required);
    return checkpoint;
}

} // namespace maskscope
