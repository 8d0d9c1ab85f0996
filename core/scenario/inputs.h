// SPDX-License-Identifier: MIT
#pragma once
// The inputs of one nn.MultiheadAttention forward: activations and parameters.

#include "base/types.h"

#include <cstdint>
#include <string>
#include <vector>

namespace maskscope {

/// Activations and parameters in the layout of PyTorch nn.MultiheadAttention(E, H, batch_first=True).
///
/// Invariants (checked by validate()): query.size() == key.size() == value.size() == B >= 1;
/// every query[b] is (Lq, E), key[b] and value[b] are (Lk, E); inProjWeight (3E, E);
/// inProjBias (3E); outProjWeight (E, E); outProjBias (E); heads >= 1 and E % heads == 0.
///
/// Projected inputs (`projected`, a real model's layer, see model/forward.h): query, key and value
/// already hold every head's projections side by side, head h in columns [h·d_k, (h+1)·d_k) —
/// Q and K after the rotary embedding, K and V already repeated for grouped-query attention — so
/// the engine skips the in-projection; inProjWeight and inProjBias are ignored (leave them
/// empty). E is then H·d_k, taken from outProjWeight (E, E), which still projects the
/// concatenated head outputs with outProjBias (E). Under the lab mistake "K and V through
/// q_proj" the producer of projected inputs decides what K and V are (the engine cannot
/// re-project them).
template <typename T>
struct AttentionInputs {
    using Scalar = T;
    std::vector<Matrix<T>> query; ///< per batch item, (Lq, E)
    std::vector<Matrix<T>> key;   ///< per batch item, (Lk, E)
    std::vector<Matrix<T>> value; ///< per batch item, (Lk, E)
    Matrix<T> inProjWeight;       ///< (3E, E): rows [0,E) project Q, [E,2E) K, [2E,3E) V
    Vector<T> inProjBias;         ///< (3E)
    Matrix<T> outProjWeight;      ///< (E, E)
    Vector<T> outProjBias;        ///< (E)
    int heads = 1;
    bool projected = false;       ///< query/key/value are per-head projections (see above)

    int batch() const { return static_cast<int>(query.size()); }
    int queryLen() const { return query.empty() ? 0 : static_cast<int>(query[0].rows()); }
    int keyLen() const { return key.empty() ? 0 : static_cast<int>(key[0].rows()); }
    int embedDim() const { return static_cast<int>(projected ? outProjWeight.cols() : inProjWeight.cols()); }
    int headDim() const { return embedDim() / heads; }

    /// Throws InputError naming the first violated invariant.
    void validate() const;
};

/// Splits text on whitespace. An empty or blank text gives no tokens.
std::vector<std::string> splitTokens(const std::string& text);

/// The token labels of a sequence of `length` positions whose first (pad side right) or last
/// (pad side left) `valid` positions hold words; the others are "<pad>". Words are taken from
/// `words` in order and repeat from the start when the text is shorter than the sequence
/// (an empty word list is read as the default sentence).
std::vector<std::string> sequenceTokens(const std::vector<std::string>& words, int length,
                                        int valid, bool padLeft);

/// The short sentence used when no --tokens text is given.
const char* defaultSentence();

/// Settings of the synthetic (nothing loaded) inputs.
struct SyntheticConfig {
    int batch = 1;
    int queryLen = 8;
    int keyLen = 8;
    int dModel = 64;
    int heads = 4;
    std::uint64_t seed = 0;
    bool selfAttention = true; ///< key and value are the query's tokens
    /// Per batch item, the labels of the query and key positions (as sequenceTokens gives them).
    std::vector<std::vector<std::string>> queryTokens;
    std::vector<std::vector<std::string>> keyTokens;
};

/// Embedding of one token: a deterministic function of (text, seed), about unit variance per
/// component, plus the sinusoidal position encoding of `position` (Vaswani et al. 2017).
/// "<pad>" embeds like any other word. The row is written into `out` (size dModel).
void embedToken(const std::string& text, int position, std::uint64_t seed, float* out, int dModel);

/// Builds float32 inputs deterministically from the config: embeddings as above; parameters
/// initialised as nn.MultiheadAttention does — xavier-uniform in_proj_weight, zero in_proj_bias,
/// out_proj.weight from nn.Linear's default (uniform in +-1/sqrt(E)), zero out_proj.bias.
/// Identical bits on every machine and compiler for the same config.
/// Precondition: sizes >= 1, dModel % heads == 0, token lists of matching lengths.
AttentionInputs<float> makeSyntheticInputs(const SyntheticConfig& config);

} // namespace maskscope
