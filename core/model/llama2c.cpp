// SPDX-License-Identifier: MIT
#include "model/llama2c.h"

#include "base/contract.h"

#include <cstdint>
#include <cstring>
#include <limits>

namespace maskscope {
namespace {

constexpr std::size_t kHeaderBytes = 7 * 4;
// Far beyond any llama2.c model, small enough that products of them cannot overflow int64.
constexpr std::int32_t kLargestDimension = 1 << 18;

struct Header {
    std::int32_t dim, hidden, layers, heads, kvHeads, vocab, seqLen;
};

std::int32_t loadI32(const std::uint8_t* p)
{
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8)
                                     | (static_cast<std::uint32_t>(p[2]) << 16)
                                     | (static_cast<std::uint32_t>(p[3]) << 24));
}

[[noreturn]] void fail(const std::string& path, const std::string& problem)
{
    throw InputError(path + ": " + problem);
}

Header readHeader(const MappedFile& file)
{
    if (file.size() == 0)
        fail(file.path(), "the file is empty; expected a llama2.c checkpoint");
    if (file.size() < kHeaderBytes)
        fail(file.path(), "too short for a llama2.c checkpoint header (" + std::to_string(file.size())
                              + " bytes, the header alone has 28)");
    const std::uint8_t* p = file.data();
    return Header{loadI32(p), loadI32(p + 4), loadI32(p + 8), loadI32(p + 12), loadI32(p + 16),
                  loadI32(p + 20), loadI32(p + 24)};
}

void checkRange(const std::string& path, const char* name, std::int32_t value)
{
    if (value < 1 || value > kLargestDimension)
        fail(path, std::string("header field ") + name + " is " + std::to_string(value)
                       + ", expected 1.." + std::to_string(kLargestDimension));
}

void checkHeader(const std::string& path, const Header& h)
{
    checkRange(path, "dim", h.dim);
    checkRange(path, "hidden_dim", h.hidden);
    checkRange(path, "n_layers", h.layers);
    checkRange(path, "n_heads", h.heads);
    checkRange(path, "n_kv_heads", h.kvHeads);
    if (h.vocab == std::numeric_limits<std::int32_t>::min())
        fail(path, "header field vocab_size is " + std::to_string(h.vocab));
    checkRange(path, "vocab_size", h.vocab < 0 ? -h.vocab : h.vocab);
    checkRange(path, "seq_len", h.seqLen);
    if (h.dim % h.heads != 0)
        fail(path, "dim " + std::to_string(h.dim) + " is not divisible by n_heads " + std::to_string(h.heads));
    if (h.kvHeads > h.heads || h.heads % h.kvHeads != 0)
        fail(path, std::to_string(h.heads) + " query heads cannot share " + std::to_string(h.kvHeads)
                       + " key/value heads");
    if ((h.dim / h.heads) % 2 != 0)
        fail(path, "head dimension " + std::to_string(h.dim / h.heads) + " is odd; rotary embeddings need it even");
}

ModelConfig configOf(const Header& h)
{
    ModelConfig c;
    c.architecture = Architecture::Llama;
    c.layers = h.layers;
    c.dModel = h.dim;
    c.heads = h.heads;
    c.kvHeads = h.kvHeads;
    c.headDim = h.dim / h.heads;
    c.ffn = h.hidden;
    c.vocab = h.vocab < 0 ? -h.vocab : h.vocab;
    c.maxPositions = h.seqLen;
    c.ropeTheta = 10000.0;
    c.normEps = 1e-5;
    c.rope = RopeLayout::Interleaved;
    c.attentionBias = false;
    c.tiedEmbeddings = h.vocab > 0;
    c.bosToken = 1;
    c.eosToken = 2;
    c.storage = StorageType::F32;
    return c;
}

// Lays the tensors out in file order, each a view at the running offset (in float32 elements).
class Layout {
public:
    Layout(Checkpoint& checkpoint, const std::uint8_t* base) : checkpoint_(checkpoint), base_(base) {}

    void add(const std::string& name, std::vector<std::int64_t> shape)
    {
        TensorView t;
        t.type = StorageType::F32;
        t.shape = std::move(shape);
        t.data = base_ + offset_ * 4;
        offset_ += t.elements();
        checkpoint_.tensors[name] = std::move(t);
    }
    /// One tensor per layer, stored one after the other.
    void addPerLayer(int layers, const std::string& suffix, const std::vector<std::int64_t>& shape)
    {
        for (int i = 0; i < layers; ++i)
            add("model.layers." + std::to_string(i) + "." + suffix, shape);
    }
    void skip(std::int64_t elements) { offset_ += elements; }
    std::int64_t elements() const { return offset_; }

private:
    Checkpoint& checkpoint_;
    const std::uint8_t* base_;
    std::int64_t offset_ = 0;
};

// Every tensor after the header, in llama2.c's order (run.c memory_map_weights).
std::int64_t layOut(Checkpoint& ck, const Header& h, const std::uint8_t* base)
{
    const ModelConfig& c = ck.config;
    const std::int64_t d = c.dModel, kv = static_cast<std::int64_t>(c.kvHeads) * c.headDim, f = c.ffn;
    Layout l(ck, base);
    l.add("model.embed_tokens.weight", {c.vocab, d});
    l.addPerLayer(c.layers, "input_layernorm.weight", {d});
    l.addPerLayer(c.layers, "self_attn.q_proj.weight", {d, d});
    l.addPerLayer(c.layers, "self_attn.k_proj.weight", {kv, d});
    l.addPerLayer(c.layers, "self_attn.v_proj.weight", {kv, d});
    l.addPerLayer(c.layers, "self_attn.o_proj.weight", {d, d});
    l.addPerLayer(c.layers, "post_attention_layernorm.weight", {d});
    l.addPerLayer(c.layers, "mlp.gate_proj.weight", {f, d});  // w1
    l.addPerLayer(c.layers, "mlp.down_proj.weight", {d, f});  // w2
    l.addPerLayer(c.layers, "mlp.up_proj.weight", {f, d});    // w3
    l.add("model.norm.weight", {d});
    l.skip(static_cast<std::int64_t>(h.seqLen) * (c.headDim / 2) * 2); // freq_cis_real, freq_cis_imag
    if (!c.tiedEmbeddings)
        l.add("lm_head.weight", {c.vocab, d});
    return l.elements();
}

// The bytes the header implies, computed before any view is made. Cannot overflow int64: each
// factor is at most 2^18, so every term stays below 2^58.
std::int64_t expectedBytes(const Header& h)
{
    const std::int64_t d = h.dim, f = h.hidden, n = h.layers, v = h.vocab < 0 ? -h.vocab : h.vocab;
    const std::int64_t kv = static_cast<std::int64_t>(h.kvHeads) * (d / h.heads);
    const std::int64_t perLayer = 2 * d + d * d + 2 * kv * d + d * d + 3 * f * d;
    const std::int64_t elements = v * d + n * perLayer + d + static_cast<std::int64_t>(h.seqLen) * (d / h.heads)
                                  + (h.vocab < 0 ? v * d : 0);
    return static_cast<std::int64_t>(kHeaderBytes) + 4 * elements;
}

} // namespace

Checkpoint openLlama2c(const std::string& path)
{
    auto file = std::make_shared<MappedFile>(path, "a llama2.c checkpoint");
    const Header h = readHeader(*file);
    checkHeader(path, h);
    const std::int64_t expected = expectedBytes(h);
    const auto actual = static_cast<std::int64_t>(file->size());
    if (actual != expected)
        fail(path, std::string(actual < expected ? "truncated" : "longer than its header says") + ": "
                       + std::to_string(actual) + " bytes, the header implies " + std::to_string(expected));
    Checkpoint ck;
    ck.path = path;
    ck.config = configOf(h);
    try {
        ck.config.validate();
    } catch (const InputError& e) {
        fail(path, e.what());
    }
    const std::int64_t laidOut = layOut(ck, h, file->data() + kHeaderBytes);
    MASKSCOPE_ENSURES(static_cast<std::int64_t>(kHeaderBytes) + 4 * laidOut == expected);
    ck.files.push_back(std::move(file));
    return ck;
}

} // namespace maskscope
