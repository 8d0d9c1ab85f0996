#include "maskspec.h"

#include <algorithm>
#include <limits>

namespace maskscope {

namespace {

std::string shapeText(Eigen::Index rows, Eigen::Index cols)
{
    return "(" + std::to_string(rows) + ", " + std::to_string(cols) + ")";
}

bool paddedPosition(int position, int length, int valid, PadSide side)
{
    return side == PadSide::Right ? position >= valid : position < length - valid;
}

// The synthetic rules (causal, valid lengths) allow one contiguous run of keys per query row:
// [first, last], empty when last < first. Blocked cells outside it get spec.fill.
struct KeyRun {
    int first = 0;
    int last = -1;
};

KeyRun syntheticRun(const MaskSpec& spec, int b, int i)
{
    KeyRun run{0, spec.keyLen - 1};
    if (!spec.validLens.empty()) {
        const int valid = spec.validLens[static_cast<size_t>(b)];
        if (spec.padSide == PadSide::Right)
            run.last = valid - 1;
        else
            run.first = spec.keyLen - valid;
    }
    if (spec.causal)
        run.last = std::min(run.last, i);
    return run;
}

bool loadedBlocks(const MaskSpec& spec, int b, int i, int j)
{
    if (spec.keyPaddingMask && (*spec.keyPaddingMask)(b, j))
        return true;
    if (!spec.attnMask)
        return false;
    if (spec.attnMask->isBool)
        return spec.attnMask->blocked(i, j);
    return spec.attnMask->additive(i, j) <= kFloatMaskBlockThreshold;
}

} // namespace

const char* padSideName(PadSide side)
{
    return side == PadSide::Right ? "right" : "left";
}

void MaskSpec::validate() const
{
    if (queryLen < 1 || keyLen < 1 || batch < 1)
        throw InputError("sizes must be at least 1 (query length " + std::to_string(queryLen) +
                         ", key length " + std::to_string(keyLen) + ", batch " +
                         std::to_string(batch) + ")");
    if (selfAttention && queryLen != keyLen)
        throw InputError("self-attention needs query length == key length (" +
                         std::to_string(queryLen) + " vs " + std::to_string(keyLen) + ")");
    if (!validLens.empty() && static_cast<int>(validLens.size()) != batch)
        throw InputError(std::to_string(validLens.size()) + " valid lengths given for batch size " +
                         std::to_string(batch));
    for (const int v : validLens)
        if (v < 0 || v > keyLen)
            throw InputError("valid length " + std::to_string(v) + " is outside 0.." +
                             std::to_string(keyLen));
    if (attnMask) {
        const auto rows = attnMask->isBool ? attnMask->blocked.rows() : attnMask->additive.rows();
        const auto cols = attnMask->isBool ? attnMask->blocked.cols() : attnMask->additive.cols();
        if (rows != queryLen || cols != keyLen)
            throw InputError("attn_mask has shape " + shapeText(rows, cols) + " but attention is " +
                             shapeText(queryLen, keyLen));
    }
    if (keyPaddingMask && (keyPaddingMask->rows() != batch || keyPaddingMask->cols() != keyLen))
        throw InputError("key_padding_mask has shape " +
                         shapeText(keyPaddingMask->rows(), keyPaddingMask->cols()) +
                         " but expected (batch, key length) = " + shapeText(batch, keyLen));
}

bool MaskSpec::keyIsPad(int b, int j) const
{
    if (keyPaddingMask && (*keyPaddingMask)(b, j))
        return true;
    return !validLens.empty() &&
           paddedPosition(j, keyLen, validLens[static_cast<size_t>(b)], padSide);
}

bool MaskSpec::queryIsPad(int b, int i) const
{
    return selfAttention && keyIsPad(b, i);
}

std::vector<bool> MaskSpec::queryPadFlags(int b) const
{
    std::vector<bool> flags(static_cast<size_t>(queryLen));
    for (int i = 0; i < queryLen; ++i)
        flags[static_cast<size_t>(i)] = queryIsPad(b, i);
    return flags;
}

std::vector<bool> MaskSpec::keyPadFlags(int b) const
{
    std::vector<bool> flags(static_cast<size_t>(keyLen));
    for (int j = 0; j < keyLen; ++j)
        flags[static_cast<size_t>(j)] = keyIsPad(b, j);
    return flags;
}

BoolMatrix allowedMatrix(const MaskSpec& spec, int b)
{
    BoolMatrix allowed = BoolMatrix::Constant(spec.queryLen, spec.keyLen, false);
    const bool loaded = spec.attnMask || spec.keyPaddingMask;
    for (int i = 0; i < spec.queryLen; ++i) {
        const KeyRun run = syntheticRun(spec, b, i);
        for (int j = run.first; j <= run.last; ++j)
            allowed(i, j) = !loaded || !loadedBlocks(spec, b, i, j);
    }
    return allowed;
}

template <typename T>
void additiveMask(const MaskSpec& spec, int b, Matrix<T>& out)
{
    constexpr T negInf = -std::numeric_limits<T>::infinity();
    out.resize(spec.queryLen, spec.keyLen);
    if (!spec.attnMask)
        out.setZero();
    else if (spec.attnMask->isBool)
        out = spec.attnMask->blocked.select(Matrix<T>::Constant(spec.queryLen, spec.keyLen, negInf),
                                            Matrix<T>::Zero(spec.queryLen, spec.keyLen));
    else
        out = spec.attnMask->additive.template cast<T>();
    // As nn.MultiheadAttention: padded keys are set to -inf (masked_fill), not added to.
    if (spec.keyPaddingMask)
        for (int j = 0; j < spec.keyLen; ++j)
            if ((*spec.keyPaddingMask)(b, j))
                out.col(j).setConstant(negInf);
    const T fill = spec.fill.as<T>();
    for (int i = 0; i < spec.queryLen; ++i) {
        const KeyRun run = syntheticRun(spec, b, i);
        const int before = std::max(0, std::min(run.first, spec.keyLen));
        const int after = std::max(run.last + 1, before);
        out.row(i).head(before).setConstant(fill);
        out.row(i).tail(spec.keyLen - after).setConstant(fill);
    }
}

template void additiveMask<float>(const MaskSpec&, int, Matrix<float>&);
template void additiveMask<double>(const MaskSpec&, int, Matrix<double>&);

std::vector<bool> fullyBlockedRows(const BoolMatrix& allowed)
{
    std::vector<bool> rows(static_cast<size_t>(allowed.rows()));
    for (Eigen::Index i = 0; i < allowed.rows(); ++i)
        rows[static_cast<size_t>(i)] = !allowed.row(i).any();
    return rows;
}

} // namespace maskscope
