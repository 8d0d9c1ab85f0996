// SPDX-License-Identifier: MIT
#pragma once
// A pretrained transformer checkpoint as MaskScope reads it: the architecture's hyper-parameters
// and its tensors, still in the file's storage type, viewed in memory-mapped files. Each format
// (llama2c.h, huggingface.h) opens its files into this one shape; the forward pass
// (forward.h) reads only this.
//
// Tensor names are Hugging Face's, whatever the file: "model.embed_tokens.weight",
// "model.layers.{i}.self_attn.q_proj.weight", … for the Llama family, "wte.weight",
// "h.{i}.attn.c_attn.weight", … for GPT-2. A llama2.c checkpoint is presented under the Llama
// names with RopeLayout::Interleaved (its q/k rows are not permuted).

#include "base/types.h"
#include "io/readonlyfile.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace maskscope {

enum class Architecture { Llama, Mistral, Qwen2, Gpt2 };

/// "llama", "mistral", "qwen2", "gpt2" (Hugging Face's model_type).
const char* architectureName(Architecture a);

/// How rotary embeddings pair the components of a head: Hugging Face rotates the halves
/// (i, i + d/2); llama2.c and Meta's original code rotate interleaved pairs (2i, 2i + 1).
/// GPT-2 has no rotary embedding (learned positions): None.
enum class RopeLayout { None, RotateHalf, Interleaved };

/// Storage types of checkpoint tensors. Computation is always float32.
enum class StorageType { F32, F16, BF16 };

/// "F32", "F16", "BF16" as safetensors spells them.
const char* storageTypeName(StorageType t);

/// Which mask a layer uses (config.json "layer_types", Mistral's sliding_window).
enum class LayerAttention { Full, Sliding };

/// The hyper-parameters of a checkpoint.
/// Invariants (validate()): layers, dModel, heads, kvHeads, headDim, ffn, vocab, maxPositions
/// >= 1; heads % kvHeads == 0; heads * headDim == dModel; layerAttention empty or of size layers.
struct ModelConfig {
    Architecture architecture = Architecture::Llama;
    int layers = 0;
    int dModel = 0;
    int heads = 0;          ///< query heads
    int kvHeads = 0;        ///< key/value heads (grouped-query attention when < heads)
    int headDim = 0;
    int ffn = 0;            ///< hidden size of the feed-forward block
    int vocab = 0;
    int maxPositions = 0;   ///< longest sequence the model's positions allow
    double ropeTheta = 10000.0;
    double normEps = 1e-5;  ///< RMSNorm (Llama family) or LayerNorm (GPT-2) epsilon
    RopeLayout rope = RopeLayout::RotateHalf;
    bool attentionBias = false;   ///< q/k/v projections have biases (Qwen2; GPT-2 always)
    bool tiedEmbeddings = false;  ///< the output head is the token embedding
    std::optional<int> slidingWindow;          ///< Mistral, or the sliding layers' window
    std::vector<LayerAttention> layerAttention; ///< per layer; empty = all Full (or all
                                                ///< Sliding when slidingWindow is set)
    std::optional<int> bosToken;  ///< prepended to every text when set
    std::optional<int> eosToken;
    StorageType storage = StorageType::F32;    ///< of the weights (the widest one found)

    /// Throws InputError naming the first violated invariant.
    void validate() const;
    /// Query heads per key/value head.
    int groupSize() const { return heads / kvHeads; }
    /// The key/value head query head `head` reads (repeat_interleave order).
    int kvHeadOf(int head) const { return head / groupSize(); }
};

/// A tensor of a checkpoint: row-major, little-endian, in mapped memory owned by the Checkpoint.
struct TensorView {
    StorageType type = StorageType::F32;
    std::vector<std::int64_t> shape;
    const std::uint8_t* data = nullptr;

    std::int64_t elements() const;
};

/// Widens `count` stored values starting at element `offset` of `t` to float32 (bit-exact:
/// F16 and BF16 are subsets of float32). Precondition: offset + count <= t.elements().
void widen(const TensorView& t, std::int64_t offset, std::int64_t count, float* out);

/// The whole tensor widened, as a matrix of its shape (rows = shape[0], cols = the product of the
/// rest; a 1-D tensor gives one column).
Matrix<float> widenMatrix(const TensorView& t);

/// x · Wᵀ for a stored weight W of shape (out, in), nn.Linear's layout. W is widened a block of
/// rows at a time into a buffer that stays in cache, with the block's pages mapped in one call,
/// so that no float32 copy of W is ever whole in memory. Precondition: W is 2-D and
/// W.shape[1] == x.cols(). The result is (x.rows(), out).
Matrix<float> timesTransposed(const Matrix<float>& x, const TensorView& w);

/// x · W for a stored weight W of shape (in, out), GPT-2's Conv1D layout, widened a block of
/// rows at a time as timesTransposed does. Precondition: W is 2-D and W.shape[0] == x.cols().
Matrix<float> times(const Matrix<float>& x, const TensorView& w);

/// An opened checkpoint. Holds its mapped files; tensors are views into them.
class Checkpoint {
public:
    ModelConfig config;
    std::string path; ///< the file or directory it was opened from

    /// The tensor called `name`. Throws InputError "<path>: missing tensor <name>".
    const TensorView& tensor(const std::string& name) const;
    /// The tensor called `name`, checked to have `shape`. Throws InputError naming the tensor,
    /// the shape found and the shape the config implies.
    const TensorView& tensor(const std::string& name, const std::vector<std::int64_t>& shape) const;
    bool has(const std::string& name) const { return tensors.count(name) != 0; }

    std::map<std::string, TensorView> tensors;
    std::vector<std::shared_ptr<const MappedFile>> files; ///< keep the views' memory alive
};

/// Opens a checkpoint: a llama2.c `.bin` file, or a Hugging Face directory (config.json with
/// model.safetensors or model.safetensors.index.json). Throws InputError with one line naming
/// the file and the problem.
Checkpoint openCheckpoint(const std::string& path);

} // namespace maskscope
