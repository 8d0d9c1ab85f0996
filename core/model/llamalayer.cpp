// SPDX-License-Identifier: MIT
#include "model/llamalayer.h"

#include "base/contract.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

namespace maskscope {
namespace {

std::string layerName(int layer, const char* suffix)
{
    return "model.layers." + std::to_string(layer) + "." + suffix;
}

Matrix<float> weightOf(const Checkpoint& ck, const std::string& name, std::int64_t rows, std::int64_t cols)
{
    return widenMatrix(ck.tensor(name, {rows, cols}));
}

Vector<float> vectorOf(const Checkpoint& ck, const std::string& name, std::int64_t size)
{
    const TensorView& t = ck.tensor(name, {size});
    Vector<float> v(size);
    widen(t, 0, size, v.data());
    return v;
}

// One projection of a layer (nn.Linear): its stored weight, widened block by block as it is
// used, and its bias when the architecture has them.
struct Projection {
    const TensorView* weight;
    Vector<float> bias;

    Projection(const Checkpoint& ck, int layer, const char* name, std::int64_t rows)
    {
        const std::string base = layerName(layer, name);
        weight = &ck.tensor(base + ".weight", {rows, ck.config.dModel});
        if (ck.config.attentionBias)
            bias = vectorOf(ck, base + ".bias", rows);
    }
    Matrix<float> operator()(const Matrix<float>& x) const
    {
        Matrix<float> y = timesTransposed(x, *weight);
        if (bias.size())
            y.rowwise() += bias.transpose();
        return y;
    }
};

// Every batch item's rows one under the other, so that a weight is widened once per layer,
// not once per sentence.
Matrix<float> stackedRows(const std::vector<Matrix<float>>& items)
{
    Eigen::Index rows = 0;
    for (const Matrix<float>& m : items)
        rows += m.rows();
    Matrix<float> stacked(rows, items.empty() ? 0 : items.front().cols());
    Eigen::Index at = 0;
    for (const Matrix<float>& m : items) {
        stacked.middleRows(at, m.rows()) = m;
        at += m.rows();
    }
    return stacked;
}

Matrix<float> normalizedRows(const std::vector<Matrix<float>>& hidden, const Vector<float>& norm, double eps)
{
    return rmsNorm(stackedRows(hidden), norm, static_cast<float>(eps));
}

// (L, kvHeads·d) → (L, heads·d): query head h reads key/value head h / group.
Matrix<float> repeatHeads(const Matrix<float>& kv, int group, int headDim)
{
    if (group == 1)
        return kv;
    const auto kvHeads = static_cast<int>(kv.cols()) / headDim;
    Matrix<float> out(kv.rows(), kv.cols() * group);
    for (int h = 0; h < kvHeads * group; ++h)
        out.middleCols(h * headDim, headDim) = kv.middleCols((h / group) * headDim, headDim);
    return out;
}

float silu(float x)
{
    return x / (1.0f + std::exp(-x));
}

} // namespace

Matrix<float> rmsNorm(const Matrix<float>& x, const Vector<float>& weight, float eps)
{
    MASKSCOPE_EXPECTS(weight.size() == x.cols());
    Matrix<float> y(x.rows(), x.cols());
    for (Eigen::Index r = 0; r < x.rows(); ++r) {
        const float meanSquare = x.row(r).squaredNorm() / static_cast<float>(x.cols());
        const float scale = 1.0f / std::sqrt(meanSquare + eps);
        y.row(r) = (x.row(r) * scale).cwiseProduct(weight.transpose());
    }
    return y;
}

void applyRotary(Matrix<float>& m, int headDim, const std::vector<int>& positions, RopeLayout layout, double theta)
{
    MASKSCOPE_EXPECTS(static_cast<Eigen::Index>(positions.size()) == m.rows());
    MASKSCOPE_EXPECTS(headDim % 2 == 0 && m.cols() % headDim == 0 && layout != RopeLayout::None);
    const int half = headDim / 2;
    std::vector<float> inverseFrequency(static_cast<std::size_t>(half));
    for (int j = 0; j < half; ++j)
        inverseFrequency[static_cast<std::size_t>(j)] =
            static_cast<float>(1.0 / std::pow(theta, 2.0 * j / headDim));
    const bool interleaved = layout == RopeLayout::Interleaved;
    for (Eigen::Index i = 0; i < m.rows(); ++i) {
        for (int j = 0; j < half; ++j) {
            const float angle = static_cast<float>(positions[static_cast<std::size_t>(i)])
                                * inverseFrequency[static_cast<std::size_t>(j)];
            const float c = std::cos(angle), s = std::sin(angle);
            for (Eigen::Index base = 0; base < m.cols(); base += headDim) {
                const Eigen::Index a = base + (interleaved ? 2 * j : j);
                const Eigen::Index b = interleaved ? a + 1 : a + half;
                const float x0 = m(i, a), x1 = m(i, b);
                m(i, a) = x0 * c - x1 * s;
                m(i, b) = x0 * s + x1 * c;
            }
        }
    }
}

AttentionInputs<float> llamaAttentionInputs(const Checkpoint& ck, int layer, const std::vector<Matrix<float>>& hidden,
                                            const std::vector<std::vector<int>>& positions, bool kvFromQuery)
{
    const ModelConfig& c = ck.config;
    const std::int64_t qRows = static_cast<std::int64_t>(c.heads) * c.headDim;
    const std::int64_t kvRows = static_cast<std::int64_t>(c.kvHeads) * c.headDim;
    const Vector<float> norm = vectorOf(ck, layerName(layer, "input_layernorm.weight"), c.dModel);
    AttentionInputs<float> in;
    in.projected = true;
    in.heads = c.heads;
    in.outProjWeight = weightOf(ck, layerName(layer, "self_attn.o_proj.weight"), c.dModel, qRows);
    in.outProjBias = Vector<float>::Zero(c.dModel);
    const Projection qProj(ck, layer, "self_attn.q_proj", qRows);
    const Matrix<float> x = normalizedRows(hidden, norm, c.normEps);
    const Matrix<float> qAll = qProj(x);
    const Matrix<float> kAll = kvFromQuery ? qAll : Projection(ck, layer, "self_attn.k_proj", kvRows)(x);
    const Matrix<float> vAll = kvFromQuery ? qAll : Projection(ck, layer, "self_attn.v_proj", kvRows)(x);
    const int group = kvFromQuery ? 1 : c.groupSize();
    Eigen::Index at = 0;
    for (std::size_t b = 0; b < hidden.size(); ++b) {
        const Eigen::Index rows = hidden[b].rows();
        Matrix<float> q = qAll.middleRows(at, rows);
        Matrix<float> k = kAll.middleRows(at, rows);
        applyRotary(q, c.headDim, positions[b], c.rope, c.ropeTheta);
        applyRotary(k, c.headDim, positions[b], c.rope, c.ropeTheta);
        in.query.push_back(std::move(q));
        in.key.push_back(repeatHeads(k, group, c.headDim));
        in.value.push_back(repeatHeads(vAll.middleRows(at, rows), group, c.headDim));
        at += rows;
    }
    return in;
}

void llamaFeedForward(const Checkpoint& ck, int layer, std::vector<Matrix<float>>& hidden)
{
    const ModelConfig& c = ck.config;
    const Vector<float> norm = vectorOf(ck, layerName(layer, "post_attention_layernorm.weight"), c.dModel);
    const TensorView& gateWeight = ck.tensor(layerName(layer, "mlp.gate_proj.weight"), {c.ffn, c.dModel});
    const TensorView& upWeight = ck.tensor(layerName(layer, "mlp.up_proj.weight"), {c.ffn, c.dModel});
    const TensorView& downWeight = ck.tensor(layerName(layer, "mlp.down_proj.weight"), {c.dModel, c.ffn});
    const Matrix<float> x = normalizedRows(hidden, norm, c.normEps);
    const Matrix<float> gated = timesTransposed(x, gateWeight).unaryExpr(&silu).cwiseProduct(timesTransposed(x, upWeight));
    const Matrix<float> down = timesTransposed(gated, downWeight);
    Eigen::Index at = 0;
    for (Matrix<float>& h : hidden) {
        h += down.middleRows(at, h.rows());
        at += h.rows();
    }
}

Vector<float> llamaLogits(const Checkpoint& ck, const Eigen::Ref<const Matrix<float>>& row)
{
    const ModelConfig& c = ck.config;
    const Vector<float> norm = vectorOf(ck, "model.norm.weight", c.dModel);
    const Matrix<float> x = rmsNorm(Matrix<float>(row), norm, static_cast<float>(c.normEps));
    const char* headName = c.tiedEmbeddings ? "model.embed_tokens.weight" : "lm_head.weight";
    return headLogits(ck.tensor(headName, {c.vocab, c.dModel}), x.row(0).transpose());
}

Vector<float> headLogits(const TensorView& head, const Vector<float>& x)
{
    MASKSCOPE_EXPECTS(head.shape.size() == 2 && head.shape[1] == x.size());
    return timesTransposed(x.transpose(), head).row(0).transpose();
}

} // namespace maskscope
