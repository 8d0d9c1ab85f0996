// SPDX-License-Identifier: MIT
#include "model/gpt2layer.h"

#include "model/llamalayer.h" // headLogits

#include <cmath>
#include <string>

namespace maskscope {
namespace {

std::string blockName(int layer, const char* suffix)
{
    return "h." + std::to_string(layer) + "." + suffix;
}

Vector<float> vectorOf(const Checkpoint& ck, const std::string& name, std::int64_t size)
{
    const TensorView& t = ck.tensor(name, {size});
    Vector<float> v(size);
    widen(t, 0, size, v.data());
    return v;
}

Matrix<float> layerNorm(const Checkpoint& ck, const std::string& prefix, const Matrix<float>& x)
{
    const auto d = static_cast<std::int64_t>(x.cols());
    const Vector<float> weight = vectorOf(ck, prefix + ".weight", d);
    const Vector<float> bias = vectorOf(ck, prefix + ".bias", d);
    const auto eps = static_cast<float>(ck.config.normEps);
    Matrix<float> y(x.rows(), x.cols());
    for (Eigen::Index r = 0; r < x.rows(); ++r) {
        const float mean = x.row(r).mean();
        const auto centred = (x.row(r).array() - mean).matrix();
        const float variance = centred.squaredNorm() / static_cast<float>(d);
        y.row(r) = (centred / std::sqrt(variance + eps)).cwiseProduct(weight.transpose()) + bias.transpose();
    }
    return y;
}

// Conv1D: y = x·W + b with W stored (in, out), widened block by block as it is used.
struct Conv1d {
    const TensorView* weight;
    Vector<float> bias;

    Conv1d(const Checkpoint& ck, const std::string& prefix, std::int64_t in, std::int64_t out)
        : weight(&ck.tensor(prefix + ".weight", {in, out})), bias(vectorOf(ck, prefix + ".bias", out))
    {
    }
    Matrix<float> operator()(const Matrix<float>& x) const
    {
        Matrix<float> y = times(x, *weight);
        y.rowwise() += bias.transpose();
        return y;
    }
};

float geluTanh(float x)
{
    const float k = 0.7978845608028654f; // sqrt(2 / pi)
    return 0.5f * x * (1.0f + std::tanh(k * (x + 0.044715f * x * x * x)));
}

} // namespace

std::vector<Matrix<float>> gpt2Embeddings(const Checkpoint& ck, const std::vector<std::vector<int>>& ids,
                                          const std::vector<std::vector<int>>& positions)
{
    const ModelConfig& c = ck.config;
    const TensorView& tokens = ck.tensor("wte.weight", {c.vocab, c.dModel});
    const TensorView& places = ck.tensor("wpe.weight", {c.maxPositions, c.dModel});
    std::vector<Matrix<float>> result;
    Vector<float> position(c.dModel);
    for (std::size_t b = 0; b < ids.size(); ++b) {
        Matrix<float> x(static_cast<Eigen::Index>(ids[b].size()), c.dModel);
        for (Eigen::Index i = 0; i < x.rows(); ++i) {
            const auto k = static_cast<std::size_t>(i);
            widen(tokens, static_cast<std::int64_t>(ids[b][k]) * c.dModel, c.dModel, x.row(i).data());
            widen(places, static_cast<std::int64_t>(positions[b][k]) * c.dModel, c.dModel, position.data());
            x.row(i) += position.transpose();
        }
        result.push_back(std::move(x));
    }
    return result;
}

AttentionInputs<float> gpt2AttentionInputs(const Checkpoint& ck, int layer, const std::vector<Matrix<float>>& hidden,
                                           bool kvFromQuery)
{
    const ModelConfig& c = ck.config;
    const std::int64_t d = c.dModel;
    AttentionInputs<float> in;
    in.projected = true;
    in.heads = c.heads;
    in.outProjWeight = widenMatrix(ck.tensor(blockName(layer, "attn.c_proj.weight"), {d, d})).transpose();
    in.outProjBias = vectorOf(ck, blockName(layer, "attn.c_proj.bias"), d);
    const Conv1d attention(ck, blockName(layer, "attn.c_attn"), d, 3 * d);
    for (const Matrix<float>& h : hidden) {
        const Matrix<float> qkv = attention(layerNorm(ck, blockName(layer, "ln_1"), h));
        in.query.push_back(qkv.leftCols(d));
        in.key.push_back(kvFromQuery ? qkv.leftCols(d) : qkv.middleCols(d, d));
        in.value.push_back(kvFromQuery ? qkv.leftCols(d) : qkv.rightCols(d));
    }
    return in;
}

void gpt2FeedForward(const Checkpoint& ck, int layer, std::vector<Matrix<float>>& hidden)
{
    const ModelConfig& c = ck.config;
    const Conv1d expand(ck, blockName(layer, "mlp.c_fc"), c.dModel, c.ffn);
    const Conv1d contract(ck, blockName(layer, "mlp.c_proj"), c.ffn, c.dModel);
    for (Matrix<float>& h : hidden)
        h += contract(expand(layerNorm(ck, blockName(layer, "ln_2"), h)).unaryExpr(&geluTanh));
}

Vector<float> gpt2Logits(const Checkpoint& ck, const Eigen::Ref<const Matrix<float>>& row)
{
    const ModelConfig& c = ck.config;
    const Matrix<float> x = layerNorm(ck, "ln_f", Matrix<float>(row));
    return headLogits(ck.tensor("wte.weight", {c.vocab, c.dModel}), x.row(0).transpose());
}

} // namespace maskscope
