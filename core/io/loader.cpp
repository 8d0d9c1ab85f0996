// SPDX-License-Identifier: MIT
#include "io/loader.h"

#include "io/npy.h"

#include <climits>
#include <cstring>
#include <filesystem>
#include <optional>
#include <utility>
#include <vector>

namespace maskscope {

namespace {

/// An array together with the path it came from, so every complaint can name the file.
struct NamedArray {
    std::string path;
    NpyArray array;
};

/// One dimension of an expected shape: a known size, or only a symbol when any size will do.
struct ExpectedDim {
    std::optional<std::size_t> size;
    std::string symbol;
};

/// Sizes fixed by query.npy (and key.npy when given); everything else must agree with them.
struct ModelDims {
    NpyType type = NpyType::Float32;
    std::size_t batch = 0;
    std::size_t queryLen = 0;
    std::size_t keyLen = 0;
    std::size_t embed = 0;
    bool selfAttention = true;

    /// Where Lk was decided, for messages.
    const char* keyLenSource() const { return selfAttention ? "query.npy (self-attention)" : "key.npy"; }
};

[[noreturn]] void fail(const std::string& path, const std::string& problem)
{
    throw InputError(path + ": " + problem);
}

std::string filePath(const std::string& dir, const char* file)
{
    return (std::filesystem::path(dir) / file).string();
}

bool fileExists(const std::string& path)
{
    std::error_code ec;
    return std::filesystem::exists(path, ec);
}

NamedArray readNamed(const std::string& dir, const char* file)
{
    std::string path = filePath(dir, file);
    NpyArray array = readNpy(path);
    return NamedArray{std::move(path), std::move(array)};
}

std::optional<NamedArray> readOptional(const std::string& dir, const char* file)
{
    if (!fileExists(filePath(dir, file)))
        return std::nullopt;
    return readNamed(dir, file);
}

/// Python's tuple spelling of a list of items: (), (3,), (2, 3).
std::string tupleText(const std::vector<std::string>& items)
{
    std::string out = "(";
    for (std::size_t i = 0; i < items.size(); ++i)
        out += (i ? ", " : "") + items[i];
    return out + (items.size() == 1 ? ",)" : ")");
}

std::string shapeText(const std::vector<std::size_t>& shape)
{
    std::vector<std::string> items;
    for (std::size_t dim : shape)
        items.push_back(std::to_string(dim));
    return tupleText(items);
}

bool shapeMatches(const std::vector<std::size_t>& shape, const std::vector<ExpectedDim>& expected)
{
    if (shape.size() != expected.size())
        return false;
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (expected[i].size && *expected[i].size != shape[i])
            return false;
    }
    return true;
}

/// Throws "<path>: shape (96, 31) but expected (96, 32) = (3*E, E) with E = 32 from query.npy"
/// unless the array has the expected shape. `origin` says where the known sizes came from.
void expectShape(const NamedArray& named, const std::vector<ExpectedDim>& expected, const std::string& origin)
{
    if (shapeMatches(named.array.shape, expected))
        return;
    std::vector<std::string> sizes;
    std::vector<std::string> symbols;
    for (const ExpectedDim& dim : expected) {
        sizes.push_back(dim.size ? std::to_string(*dim.size) : dim.symbol);
        symbols.push_back(dim.symbol);
    }
    std::string problem = "shape " + shapeText(named.array.shape) + " but expected " + tupleText(sizes);
    if (sizes != symbols)
        problem += " = " + tupleText(symbols);
    if (!origin.empty())
        problem += " with " + origin;
    fail(named.path, problem);
}

/// Every size must be at least 1 (the computation has no meaning otherwise) and fit an int,
/// the index type of the rest of MaskScope.
void expectUsableSizes(const NamedArray& named)
{
    for (std::size_t dim : named.array.shape) {
        if (dim == 0)
            fail(named.path, "shape " + shapeText(named.array.shape) + " has an empty dimension; sizes must be at least 1");
        if (dim > static_cast<std::size_t>(INT_MAX))
            fail(named.path, "shape " + shapeText(named.array.shape) + " has a dimension larger than "
                                 + std::to_string(INT_MAX));
    }
}

void expectFloat(const NamedArray& named, const char* role)
{
    if (named.array.type == NpyType::Bool)
        fail(named.path, std::string("dtype bool but ") + role + " must be float32 or float64");
}

/// Activations and parameters are computed in one precision: the one query.npy has.
void expectModelType(const NamedArray& named, NpyType modelType)
{
    expectFloat(named, "activations and parameters");
    if (named.array.type != modelType)
        fail(named.path, std::string("dtype ") + npyTypeName(named.array.type) + " but query.npy is "
                             + npyTypeName(modelType) + "; activations and parameters must share one float type");
}

std::string sizeOrigin(const char* symbol, std::size_t size, const char* source)
{
    return std::string(symbol) + " = " + std::to_string(size) + " from " + source;
}

/// "B = 2 and E = 32 from query.npy"; `separator` joins them (" and " or ", ").
std::string batchAndEmbedOrigin(const ModelDims& dims, const char* separator)
{
    return "B = " + std::to_string(dims.batch) + separator + sizeOrigin("E", dims.embed, "query.npy");
}

ModelDims queryDims(const NamedArray& query)
{
    expectFloat(query, "query");
    expectShape(query, {{std::nullopt, "B"}, {std::nullopt, "Lq"}, {std::nullopt, "E"}}, "");
    expectUsableSizes(query);
    const auto& shape = query.array.shape;
    return ModelDims{query.array.type, shape[0], shape[1], shape[1], shape[2], true};
}

void checkKey(const NamedArray& key, ModelDims& dims)
{
    expectModelType(key, dims.type);
    expectShape(key, {{dims.batch, "B"}, {std::nullopt, "Lk"}, {dims.embed, "E"}},
                batchAndEmbedOrigin(dims, " and "));
    expectUsableSizes(key);
    dims.keyLen = key.array.shape[1];
    dims.selfAttention = false;
}

void checkValue(const NamedArray& value, const ModelDims& dims)
{
    expectModelType(value, dims.type);
    expectShape(value, {{dims.batch, "B"}, {dims.keyLen, "Lk"}, {dims.embed, "E"}},
                batchAndEmbedOrigin(dims, ", ") + " and " + sizeOrigin("Lk", dims.keyLen, "key.npy"));
}

void checkHeads(const NamedArray& query, const ModelDims& dims, int heads)
{
    if (dims.embed % static_cast<std::size_t>(heads) != 0)
        fail(query.path, "d_model " + std::to_string(dims.embed) + " (the last dimension) is not divisible by "
                             + std::to_string(heads) + " heads");
}

/// The parameters of nn.MultiheadAttention, each checked against E from query.npy.
struct Parameters {
    NamedArray inProjWeight;
    NamedArray inProjBias;
    NamedArray outProjWeight;
    NamedArray outProjBias;
};

Parameters readParameters(const std::string& dir, const ModelDims& dims)
{
    const std::size_t e = dims.embed;
    const std::string origin = sizeOrigin("E", e, "query.npy");
    Parameters p{readNamed(dir, "in_proj_weight.npy"), readNamed(dir, "in_proj_bias.npy"),
                 readNamed(dir, "out_proj.weight.npy"), readNamed(dir, "out_proj.bias.npy")};
    for (const NamedArray* named : {&p.inProjWeight, &p.inProjBias, &p.outProjWeight, &p.outProjBias})
        expectModelType(*named, dims.type);
    expectShape(p.inProjWeight, {{3 * e, "3*E"}, {e, "E"}}, origin);
    expectShape(p.inProjBias, {{3 * e, "3*E"}}, origin);
    expectShape(p.outProjWeight, {{e, "E"}, {e, "E"}}, origin);
    expectShape(p.outProjBias, {{e, "E"}}, origin);
    return p;
}

/// Rows x cols elements of `array` starting at element `offset`, in C order.
/// Precondition: the array's element type is T (checked by expectModelType) and holds that many.
template <typename T>
Matrix<T> matrixAt(const NpyArray& array, std::size_t offset, std::size_t rows, std::size_t cols)
{
    Matrix<T> m(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
    // Same element type and both row-major: a byte copy is exact and keeps every bit (NaN payloads too).
    std::memcpy(m.data(), array.data.data() + offset * sizeof(T), rows * cols * sizeof(T));
    return m;
}

template <typename T>
std::vector<Matrix<T>> batchMatrices(const NpyArray& array)
{
    const std::size_t batch = array.shape[0], rows = array.shape[1], cols = array.shape[2];
    std::vector<Matrix<T>> out;
    out.reserve(batch);
    for (std::size_t b = 0; b < batch; ++b)
        out.push_back(matrixAt<T>(array, b * rows * cols, rows, cols));
    return out;
}

template <typename T>
Vector<T> vectorOf(const NpyArray& array)
{
    return matrixAt<T>(array, 0, array.shape[0], 1);
}

template <typename T>
AttentionInputs<T> buildInputs(const NpyArray& query, const NpyArray& key, const NpyArray& value,
                               const Parameters& p, int heads)
{
    AttentionInputs<T> inputs;
    inputs.query = batchMatrices<T>(query);
    inputs.key = batchMatrices<T>(key);
    inputs.value = batchMatrices<T>(value);
    inputs.inProjWeight = matrixAt<T>(p.inProjWeight.array, 0, p.inProjWeight.array.shape[0],
                                      p.inProjWeight.array.shape[1]);
    inputs.inProjBias = vectorOf<T>(p.inProjBias.array);
    inputs.outProjWeight = matrixAt<T>(p.outProjWeight.array, 0, p.outProjWeight.array.shape[0],
                                       p.outProjWeight.array.shape[1]);
    inputs.outProjBias = vectorOf<T>(p.outProjBias.array);
    inputs.heads = heads;
    inputs.validate(); // our checks should make this pass; it guards the invariants in one place
    return inputs;
}

BoolMatrix boolMatrixOf(const NpyArray& array)
{
    const auto rows = static_cast<Eigen::Index>(array.shape[0]);
    const auto cols = static_cast<Eigen::Index>(array.shape[1]);
    BoolMatrix m(rows, cols);
    for (Eigen::Index i = 0; i < rows; ++i)
        for (Eigen::Index j = 0; j < cols; ++j)
            m(i, j) = array.boolAt(static_cast<std::size_t>(i * cols + j));
    return m;
}

Matrix<double> doubleMatrixOf(const NpyArray& array)
{
    const auto rows = static_cast<Eigen::Index>(array.shape[0]);
    const auto cols = static_cast<Eigen::Index>(array.shape[1]);
    Matrix<double> m(rows, cols);
    for (Eigen::Index i = 0; i < rows; ++i)
        for (Eigen::Index j = 0; j < cols; ++j)
            m(i, j) = array.at(static_cast<std::size_t>(i * cols + j)); // float32 widens exactly
    return m;
}

std::optional<LoadedAttnMask> readAttnMask(const std::string& dir, const ModelDims& dims)
{
    std::optional<NamedArray> mask = readOptional(dir, "attn_mask.npy");
    if (!mask)
        return std::nullopt;
    expectShape(*mask, {{dims.queryLen, "Lq"}, {dims.keyLen, "Lk"}},
                sizeOrigin("Lq", dims.queryLen, "query.npy") + " and "
                    + sizeOrigin("Lk", dims.keyLen, dims.keyLenSource()));
    LoadedAttnMask loaded;
    loaded.isBool = mask->array.type == NpyType::Bool;
    if (loaded.isBool)
        loaded.blocked = boolMatrixOf(mask->array);
    else
        loaded.additive = doubleMatrixOf(mask->array);
    return loaded;
}

std::optional<BoolMatrix> readKeyPaddingMask(const std::string& dir, const ModelDims& dims)
{
    std::optional<NamedArray> mask = readOptional(dir, "key_padding_mask.npy");
    if (!mask)
        return std::nullopt;
    if (mask->array.type != NpyType::Bool)
        fail(mask->path, std::string("dtype ") + npyTypeName(mask->array.type)
                             + " but key_padding_mask must be bool (true = padding); save it with mask.astype(bool)");
    expectShape(*mask, {{dims.batch, "B"}, {dims.keyLen, "Lk"}},
                sizeOrigin("B", dims.batch, "query.npy") + " and "
                    + sizeOrigin("Lk", dims.keyLen, dims.keyLenSource()));
    return boolMatrixOf(mask->array);
}

/// The activations: query.npy always; key.npy and value.npy when given.
struct Activations {
    NamedArray query;
    std::optional<NamedArray> key;
    std::optional<NamedArray> value;
};

Activations readActivations(const std::string& dir, ModelDims& dims, int heads)
{
    Activations act{readNamed(dir, "query.npy"), std::nullopt, std::nullopt};
    dims = queryDims(act.query);
    checkHeads(act.query, dims, heads);
    act.key = readOptional(dir, "key.npy");
    act.value = readOptional(dir, "value.npy");
    if (act.value && !act.key)
        fail(act.value->path, "value.npy is given without key.npy; give both, or neither for self-attention");
    if (act.key)
        checkKey(*act.key, dims);
    if (act.value)
        checkValue(*act.value, dims);
    return act;
}

} // namespace

LoadedModel loadModel(const std::string& dir, int heads)
{
    if (heads < 1)
        throw InputError("the number of heads must be at least 1, not " + std::to_string(heads));
    ModelDims dims;
    const Activations act = readActivations(dir, dims, heads);
    const Parameters params = readParameters(dir, dims);
    // Without key.npy the keys are the queries; without value.npy the values are the keys.
    const NpyArray& key = act.key ? act.key->array : act.query.array;
    const NpyArray& value = act.value ? act.value->array : key;

    LoadedModel model;
    model.attnMask = readAttnMask(dir, dims);
    model.keyPaddingMask = readKeyPaddingMask(dir, dims);
    model.selfAttention = dims.selfAttention;
    if (dims.type == NpyType::Float32)
        model.inputs = buildInputs<float>(act.query.array, key, value, params, heads);
    else
        model.inputs = buildInputs<double>(act.query.array, key, value, params, heads);
    return model;
}

DType LoadedModel::dtype() const
{
    return std::holds_alternative<AttentionInputs<float>>(inputs) ? DType::Float32 : DType::Float64;
}

int LoadedModel::batch() const
{
    return std::visit([](const auto& in) { return in.batch(); }, inputs);
}

int LoadedModel::queryLen() const
{
    return std::visit([](const auto& in) { return in.queryLen(); }, inputs);
}

int LoadedModel::keyLen() const
{
    return std::visit([](const auto& in) { return in.keyLen(); }, inputs);
}

int LoadedModel::embedDim() const
{
    return std::visit([](const auto& in) { return in.embedDim(); }, inputs);
}

} // namespace maskscope
