// SPDX-License-Identifier: MIT
#include "model/checkpoint.h"

#include "base/contract.h"
#include "io/readonlyfile.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <numeric>

namespace maskscope {
namespace {

std::string shapeText(const std::vector<std::int64_t>& shape)
{
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i)
        s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

void require(bool ok, const std::string& what)
{
    if (!ok)
        throw InputError("model config: " + what);
}

std::int64_t storedBytes(StorageType type)
{
    return type == StorageType::F32 ? 4 : 2;
}

std::uint16_t loadU16(const std::uint8_t* p)
{
    return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}

// A bfloat16 is the top half of a float32. Element-sized memcpy is how C++ reads the mapped bytes
// without aliasing or alignment trouble; the compiler turns the loop into vector loads, shifts and
// stores (buffer-sized memcpy calls cost a quarter of a BF16 model's widening).
void widenBf16(const std::uint8_t* p, std::int64_t count, float* out)
{
    if constexpr (std::endian::native == std::endian::little) {
        for (std::int64_t i = 0; i < count; ++i) {
            std::uint16_t half;
            std::memcpy(&half, p + i * 2, 2);
            const std::uint32_t word = static_cast<std::uint32_t>(half) << 16;
            std::memcpy(out + i, &word, 4);
        }
    } else {
        for (std::int64_t i = 0; i < count; ++i, p += 2)
            out[i] = std::bit_cast<float>(static_cast<std::uint32_t>(loadU16(p)) << 16);
    }
}

float halfToFloat(std::uint16_t h)
{
    const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
    std::uint32_t exponent = (h >> 10) & 0x1fu;
    std::uint32_t mantissa = h & 0x3ffu;
    std::uint32_t bits = 0;
    if (exponent == 0x1f) {
        bits = sign | 0x7f800000u | (mantissa << 13); // inf or NaN
    } else if (exponent != 0) {
        bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
    } else if (mantissa != 0) { // subnormal: normalise
        exponent = 113;
        while ((mantissa & 0x400u) == 0) {
            mantissa <<= 1;
            --exponent;
        }
        bits = sign | (exponent << 23) | ((mantissa & 0x3ffu) << 13);
    } else {
        bits = sign;
    }
    return std::bit_cast<float>(bits);
}

} // namespace

const char* architectureName(Architecture a)
{
    switch (a) {
    case Architecture::Llama: return "llama";
    case Architecture::Mistral: return "mistral";
    case Architecture::Qwen2: return "qwen2";
    case Architecture::Gpt2: return "gpt2";
    }
    return "llama";
}

const char* storageTypeName(StorageType t)
{
    switch (t) {
    case StorageType::F32: return "F32";
    case StorageType::F16: return "F16";
    case StorageType::BF16: return "BF16";
    }
    return "F32";
}

void ModelConfig::validate() const
{
    require(layers >= 1, "layers must be at least 1, got " + std::to_string(layers));
    require(dModel >= 1, "hidden size must be at least 1, got " + std::to_string(dModel));
    require(heads >= 1, "attention heads must be at least 1, got " + std::to_string(heads));
    require(kvHeads >= 1 && heads % kvHeads == 0,
            std::to_string(heads) + " query heads cannot share " + std::to_string(kvHeads) + " key/value heads");
    require(headDim >= 1 && static_cast<std::int64_t>(heads) * headDim == dModel,
            std::to_string(heads) + " heads of dimension " + std::to_string(headDim)
                + " do not make the hidden size " + std::to_string(dModel));
    require(rope == RopeLayout::None || headDim % 2 == 0,
            "rotary embeddings need an even head dimension, got " + std::to_string(headDim));
    require(ffn >= 1, "feed-forward size must be at least 1, got " + std::to_string(ffn));
    require(vocab >= 1, "vocabulary size must be at least 1, got " + std::to_string(vocab));
    require(maxPositions >= 1, "maximum positions must be at least 1, got " + std::to_string(maxPositions));
    require(layerAttention.empty() || static_cast<int>(layerAttention.size()) == layers,
            "layer_types lists " + std::to_string(layerAttention.size()) + " layers, the model has "
                + std::to_string(layers));
    require(!slidingWindow || *slidingWindow >= 1, "sliding window must be at least 1");
}

std::int64_t TensorView::elements() const
{
    return std::accumulate(shape.begin(), shape.end(), std::int64_t{1}, std::multiplies<>());
}

void widen(const TensorView& t, std::int64_t offset, std::int64_t count, float* out)
{
    MASKSCOPE_EXPECTS(offset >= 0 && count >= 0 && offset + count <= t.elements());
    switch (t.type) {
    case StorageType::F32: {
        const std::uint8_t* p = t.data + offset * 4;
        if constexpr (std::endian::native == std::endian::little) {
            std::memcpy(out, p, static_cast<std::size_t>(count) * 4);
        } else {
            for (std::int64_t i = 0; i < count; ++i, p += 4)
                out[i] = std::bit_cast<float>(static_cast<std::uint32_t>(
                    p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<std::uint32_t>(p[3]) << 24)));
        }
        return;
    }
    case StorageType::F16: {
        const std::uint8_t* p = t.data + offset * 2;
        for (std::int64_t i = 0; i < count; ++i, p += 2)
            out[i] = halfToFloat(loadU16(p));
        return;
    }
    case StorageType::BF16:
        widenBf16(t.data + offset * 2, count, out);
        return;
    }
}

Matrix<float> widenMatrix(const TensorView& t)
{
    const std::int64_t rows = t.shape.empty() ? 1 : t.shape[0];
    const std::int64_t cols = rows == 0 ? 0 : t.elements() / rows;
    Matrix<float> m(rows, cols);
    populatePages(t.data, static_cast<std::size_t>(t.elements() * storedBytes(t.type)));
    widen(t, 0, t.elements(), m.data());
    return m;
}

namespace {

// About 2 MiB of float32 per block: small enough to stay in cache while it is multiplied, large
// enough that the product of a block is an efficient matrix product.
std::int64_t rowsPerBlock(std::int64_t cols)
{
    constexpr std::int64_t kBlockFloats = std::int64_t{1} << 19;
    return std::max<std::int64_t>(1, kBlockFloats / std::max<std::int64_t>(1, cols));
}

// Calls use(first, rows, block) for consecutive blocks of W's rows, each widened into `block`.
template <typename Use>
void forEachWidenedBlock(const TensorView& w, Use use)
{
    MASKSCOPE_EXPECTS(w.shape.size() == 2);
    const std::int64_t rows = w.shape[0], cols = w.shape[1];
    const std::int64_t step = rowsPerBlock(cols);
    Matrix<float> block(std::min(step, rows), cols);
    for (std::int64_t first = 0; first < rows; first += step) {
        const std::int64_t count = std::min(step, rows - first);
        const std::int64_t bytes = storedBytes(w.type);
        populatePages(w.data + first * cols * bytes, static_cast<std::size_t>(count * cols * bytes));
        widen(w, first * cols, count * cols, block.data());
        use(first, count, block.topRows(count));
    }
}

} // namespace

Matrix<float> timesTransposed(const Matrix<float>& x, const TensorView& w)
{
    MASKSCOPE_EXPECTS(w.shape.size() == 2 && w.shape[1] == x.cols());
    Matrix<float> y(x.rows(), w.shape[0]);
    forEachWidenedBlock(w, [&](std::int64_t first, std::int64_t count, const auto& block) {
        y.middleCols(first, count).noalias() = x * block.transpose();
    });
    return y;
}

Matrix<float> times(const Matrix<float>& x, const TensorView& w)
{
    MASKSCOPE_EXPECTS(w.shape.size() == 2 && w.shape[0] == x.cols());
    Matrix<float> y = Matrix<float>::Zero(x.rows(), w.shape[1]);
    forEachWidenedBlock(w, [&](std::int64_t first, std::int64_t count, const auto& block) {
        y.noalias() += x.middleCols(first, count) * block;
    });
    return y;
}

const TensorView& Checkpoint::tensor(const std::string& name) const
{
    const auto it = tensors.find(name);
    if (it == tensors.end())
        throw InputError(path + ": missing tensor " + name);
    return it->second;
}

const TensorView& Checkpoint::tensor(const std::string& name, const std::vector<std::int64_t>& shape) const
{
    const TensorView& t = tensor(name);
    if (t.shape != shape)
        throw InputError(path + ": tensor " + name + " has shape " + shapeText(t.shape)
                         + ", the config implies " + shapeText(shape));
    return t;
}

} // namespace maskscope
