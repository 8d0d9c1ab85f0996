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

// x · Wᵀ (+ b): nn.Linear.
Matrix<float> linear(const Matrix<float>& x, const Matrix<float>& weight, const Vector<float>* bias = nullptr)
{
    Matrix<float> y = x * weight.transpose();
    if (bias)
        y.rowwise() += bias->transpose();
    return y;
}

// One projection of a layer, widened once for the whole batch, with its bias when the
// architecture has them.
struct Projection {
    Matrix<float> weight;
    Vector<float> bias;

    Projection(const Checkpoint& ck, int layer, const char* name, std::int64_t rows)
    {
        const std::string base = layerName(layer, name);
        weight = weightOf(ck, base + ".weight", rows, ck.config.dModel);
        if (ck.config.attentionBias)
            bias = vectorOf(ck, base + ".bias", rows);
    }
    Matrix<float> operator()(const Matrix<float>& x) const { return linear(x, weight, bias.size() ? &bias : nullptr); }
};

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
    const std::optional<Projection> kProj = kvFromQuery ? std::nullopt
                                                        : std::optional(Projection(ck, layer, "self_attn.k_proj", kvRows));
    const std::optional<Projection> vProj = kvFromQuery ? std::nullopt
                                                        : std::optional(Projection(ck, layer, "self_attn.v_proj", kvRows));
    for (std::size_t b = 0; b < hidden.size(); ++b) {
        const Matrix<float> x = rmsNorm(hidden[b], norm, static_cast<float>(c.normEps));
        Matrix<float> q = qProj(x);
        Matrix<float> k = kvFromQuery ? q : (*kProj)(x);
        Matrix<float> v = kvFromQuery ? q : (*vProj)(x);
        applyRotary(q, c.headDim, positions[b], c.rope, c.ropeTheta);
        applyRotary(k, c.headDim, positions[b], c.rope, c.ropeTheta);
        const int group = kvFromQuery ? 1 : c.groupSize();
        in.query.push_back(std::move(q));
        in.key.push_back(repeatHeads(k, group, c.headDim));
        in.value.push_back(repeatHeads(v, group, c.headDim));
    }
    return in;
}

void llamaFeedForward(const Checkpoint& ck, int layer, std::vector<Matrix<float>>& hidden)
{
    const ModelConfig& c = ck.config;
    const Vector<float> norm = vectorOf(ck, layerName(layer, "post_attention_layernorm.weight"), c.dModel);
    const Matrix<float> gateWeight = weightOf(ck, layerName(layer, "mlp.gate_proj.weight"), c.ffn, c.dModel);
    const Matrix<float> upWeight = weightOf(ck, layerName(layer, "mlp.up_proj.weight"), c.ffn, c.dModel);
    const Matrix<float> downWeight = weightOf(ck, layerName(layer, "mlp.down_proj.weight"), c.dModel, c.ffn);
    for (Matrix<float>& h : hidden) {
        const Matrix<float> x = rmsNorm(h, norm, static_cast<float>(c.normEps));
        const Matrix<float> gated = linear(x, gateWeight).unaryExpr(&silu).cwiseProduct(linear(x, upWeight));
        h += linear(gated, downWeight);
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
    constexpr std::int64_t kBlock = 1024;
    const std::int64_t vocab = head.shape[0], d = head.shape[1];
    Vector<float> logits(vocab);
    Matrix<float> block(std::min(kBlock, vocab), d);
    for (std::int64_t first = 0; first < vocab; first += kBlock) {
        const std::int64_t rows = std::min(kBlock, vocab - first);
        widen(head, first * d, rows * d, block.data());
        logits.segment(first, rows) = block.topRows(rows) * x;
    }
    return logits;
}

} // namespace maskscope
