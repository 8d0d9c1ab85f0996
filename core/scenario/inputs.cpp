// SPDX-License-Identifier: MIT
#include "scenario/inputs.h"

#include "base/contract.h"
#include "base/random.h"

#include <cmath>
#include <sstream>
#include <unordered_map>

namespace maskscope {

namespace {

std::string shapeText(Eigen::Index rows, Eigen::Index cols)
{
    return "(" + std::to_string(rows) + ", " + std::to_string(cols) + ")";
}

template <typename T>
void requireShape(const Matrix<T>& m, Eigen::Index rows, Eigen::Index cols, const std::string& what)
{
    if (m.rows() != rows || m.cols() != cols)
        throw InputError(what + " has shape " + shapeText(m.rows(), m.cols()) + " but expected " +
                         shapeText(rows, cols));
}

constexpr std::uint64_t kParameterStream = 0x5041524D53ull; // "PARMS": weights apart from tokens

// Row by row, as uniform(-bound, bound) one cell at a time would fill it (Matrix is row-major).
void fillUniform(Matrix<float>& m, Random& rng, double bound)
{
    rng.uniformFloats(-bound, bound, m.data(), static_cast<std::size_t>(m.size()));
}

// The wavelength factor of dimension d of the position encoding (dims 2k and 2k+1 share one).
double positionRate(int d, int dModel)
{
    return std::pow(10000.0, -static_cast<double>(d - d % 2) / dModel);
}

// Sinusoidal position encoding: even dims sin, odd dims cos, wavelengths 2*pi..10000*2*pi.
double positionEncoding(int position, int d, double rate)
{
    const double angle = position * rate;
    return d % 2 == 0 ? std::sin(angle) : std::cos(angle);
}

// The position-free part of a token's embedding: a function of (text, seed) alone.
std::vector<double> tokenNoise(const std::string& text, std::uint64_t seed, int dModel)
{
    Random rng(mixSeeds(hashText(text), seed));
    std::vector<double> noise(static_cast<size_t>(dModel));
    for (double& n : noise)
        n = rng.normal();
    return noise;
}

// The same numbers as embedToken row by row, but each distinct word's noise is drawn once and
// each dimension's rate computed once: a long sequence repeats a few words (and "<pad>")
// thousands of times, and the live window rebuilds the inputs on every change of seed or length.
bool everyListHas(const std::vector<std::vector<std::string>>& lists, int length)
{
    for (const auto& list : lists)
        if (list.size() != static_cast<std::size_t>(length))
            return false;
    return true;
}

Matrix<float> embedSequence(const std::vector<std::string>& tokens, std::uint64_t seed, int dModel)
{
    Matrix<float> x(static_cast<Eigen::Index>(tokens.size()), dModel);
    std::vector<double> rates(static_cast<size_t>(dModel));
    for (int d = 0; d < dModel; ++d)
        rates[static_cast<size_t>(d)] = positionRate(d, dModel);
    std::unordered_map<std::string, std::vector<double>> noiseOf;
    for (size_t i = 0; i < tokens.size(); ++i) {
        auto found = noiseOf.find(tokens[i]);
        if (found == noiseOf.end())
            found = noiseOf.emplace(tokens[i], tokenNoise(tokens[i], seed, dModel)).first;
        const std::vector<double>& noise = found->second;
        float* out = x.row(static_cast<Eigen::Index>(i)).data();
        for (int d = 0; d < dModel; ++d) {
            const auto k = static_cast<size_t>(d);
            out[d] = static_cast<float>(noise[k] + positionEncoding(static_cast<int>(i), d, rates[k]));
        }
    }
    return x;
}

} // namespace

template <typename T>
void AttentionInputs<T>::validate() const
{
    if (heads < 1)
        throw InputError("heads must be at least 1 (got " + std::to_string(heads) + ")");
    const int e = embedDim();
    if (e < 1)
        throw InputError("d_model must be at least 1");
    if (e % heads != 0)
        throw InputError("d_model " + std::to_string(e) + " is not divisible by " +
                         std::to_string(heads) + " heads");
    if (query.empty())
        throw InputError("batch size must be at least 1");
    if (key.size() != query.size() || value.size() != query.size())
        throw InputError("query, key and value have different batch sizes");
    const int lq = queryLen();
    const int lk = keyLen();
    for (size_t b = 0; b < query.size(); ++b) {
        requireShape(query[b], lq, e, "query[" + std::to_string(b) + "]");
        requireShape(key[b], lk, e, "key[" + std::to_string(b) + "]");
        requireShape(value[b], lk, e, "value[" + std::to_string(b) + "]");
    }
    if (!projected) {
        requireShape(inProjWeight, 3 * e, e, "in_proj_weight");
        requireShape(Matrix<T>(inProjBias.transpose()), 1, 3 * e, "in_proj_bias");
    }
    requireShape(outProjWeight, e, e, "out_proj.weight");
    requireShape(Matrix<T>(outProjBias.transpose()), 1, e, "out_proj.bias");
    if (lq < 1 || lk < 1)
        throw InputError("sequence lengths must be at least 1");
}

template struct AttentionInputs<float>;
template struct AttentionInputs<double>;

std::vector<std::string> splitTokens(const std::string& text)
{
    std::istringstream in(text);
    std::vector<std::string> words;
    for (std::string w; in >> w;)
        words.push_back(w);
    return words;
}

const char* defaultSentence()
{
    return "the cat sat on the mat because it was tired";
}

std::vector<std::string> sequenceTokens(const std::vector<std::string>& words, int length,
                                        int valid, bool padLeft)
{
    if (valid < 0 || valid > length)
        throw InputError("valid length " + std::to_string(valid) + " is outside 0.." +
                         std::to_string(length));
    const std::vector<std::string> source = words.empty() ? splitTokens(defaultSentence()) : words;
    std::vector<std::string> tokens(static_cast<size_t>(length), "<pad>");
    const int firstWord = padLeft ? length - valid : 0;
    for (int k = 0; k < valid; ++k)
        tokens[static_cast<size_t>(firstWord + k)] = source[static_cast<size_t>(k) % source.size()];
    return tokens;
}

void embedToken(const std::string& text, int position, std::uint64_t seed, float* out, int dModel)
{
    const std::vector<double> noise = tokenNoise(text, seed, dModel);
    for (int d = 0; d < dModel; ++d)
        out[d] = static_cast<float>(noise[static_cast<size_t>(d)] +
                                    positionEncoding(position, d, positionRate(d, dModel)));
}

AttentionInputs<float> makeSyntheticInputs(const SyntheticConfig& c)
{
    MASKSCOPE_EXPECTS(c.batch >= 1 && c.queryLen >= 1 && c.keyLen >= 1 && c.heads >= 1);
    MASKSCOPE_EXPECTS(c.dModel >= 1 && c.dModel % c.heads == 0);
    MASKSCOPE_EXPECTS(c.queryTokens.size() == static_cast<std::size_t>(c.batch));
    MASKSCOPE_EXPECTS(everyListHas(c.queryTokens, c.queryLen));
    MASKSCOPE_EXPECTS(c.selfAttention || c.keyTokens.size() == static_cast<std::size_t>(c.batch));
    MASKSCOPE_EXPECTS(c.selfAttention || everyListHas(c.keyTokens, c.keyLen));
    AttentionInputs<float> in;
    in.heads = c.heads;
    for (int b = 0; b < c.batch; ++b) {
        in.query.push_back(embedSequence(c.queryTokens[static_cast<size_t>(b)], c.seed, c.dModel));
        in.key.push_back(c.selfAttention
                             ? in.query.back()
                             : embedSequence(c.keyTokens[static_cast<size_t>(b)], c.seed, c.dModel));
        in.value.push_back(in.key.back());
    }
    Random rng(mixSeeds(c.seed, kParameterStream));
    const int e = c.dModel;
    in.inProjWeight.resize(3 * e, e);
    fillUniform(in.inProjWeight, rng, std::sqrt(6.0 / (e + 3.0 * e))); // xavier_uniform_
    in.inProjBias = Vector<float>::Zero(3 * e);
    in.outProjWeight.resize(e, e);
    fillUniform(in.outProjWeight, rng, 1.0 / std::sqrt(static_cast<double>(e))); // nn.Linear
    in.outProjBias = Vector<float>::Zero(e);
    return in;
}

} // namespace maskscope
