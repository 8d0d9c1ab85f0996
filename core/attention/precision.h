// SPDX-License-Identifier: MIT
#pragma once
// Number formats: rounding to float16 and bfloat16 (Eigen::half, Eigen::bfloat16), their limits
// (torch.finfo), and how a fill value looks in each format.

#include "mask/fill.h"
#include "attention/pitfalls.h"
#include "base/types.h"

#include <vector>

namespace maskscope {

/// x rounded to the format: round to nearest even, overflow to +-inf, NaN kept, exactly as
/// torch's .to(torch.float16 / torch.bfloat16) converts a float32. Identity for Native and
/// Float32.
float roundTo(NumberFormat f, float x);

/// Rounds every element in place (nothing to do unless roundsIntermediates(f)).
template <typename T>
void roundTo(NumberFormat f, T* data, Eigen::Index count);
template <typename T>
void roundTo(NumberFormat f, Matrix<T>& m);
template <typename T>
void roundTo(NumberFormat f, Vector<T>& v);

/// The same for a block of a row-major matrix (whole rows or columns of it: each row of the block
/// is contiguous, rows may be strided).
template <typename Block>
void roundBlockTo(NumberFormat f, Block&& block)
{
    if (!roundsIntermediates(f))
        return;
    for (Eigen::Index i = 0; i < block.rows(); ++i)
        roundTo(f, &block.coeffRef(i, 0), block.cols());
}

/// True iff x is exactly a value of the format (float32 for Native), infinities included.
bool representableIn(NumberFormat f, double x);

/// torch.finfo of a format.
struct FormatLimits {
    double lowest = 0;            ///< finfo.min: the most negative finite value
    double max = 0;               ///< finfo.max
    double epsilon = 0;           ///< finfo.eps: the spacing just above 1
    double smallestSubnormal = 0; ///< below half of it a value rounds to 0
    int significandBits = 0;      ///< including the implicit bit: 24, 53, 11, 8
};
FormatLimits formatLimits(DType d);

/// The type a forward pass in `format` computes in, given inputs of type `inputs`.
DType effectiveDType(NumberFormat format, DType inputs);

/// The fill as the engine uses it in `format`, in compute type T: -inf stays -inf; lowest is the
/// format's finfo.min (-65504 in float16); -1e9 and other values are converted as .to(format)
/// converts them, so -1e9 becomes -inf in float16 and -998244352 in bfloat16.
template <typename T>
T fillIn(const Fill& fill, NumberFormat format)
{
    switch (format) {
    case NumberFormat::Native: return fill.as<T>();
    case NumberFormat::Float32: return static_cast<T>(fill.as<float>());
    case NumberFormat::Float16:
    case NumberFormat::BFloat16:
        if (fill.kind == Fill::Kind::Lowest)
            return static_cast<T>(formatLimits(format == NumberFormat::Float16 ? DType::Float16
                                                                                : DType::BFloat16).lowest);
        return static_cast<T>(roundTo(format, fill.as<float>()));
    }
    return fill.as<T>();
}

/// True when PyTorch's masked_fill(mask, fill) would refuse the fill on a tensor of `format`
/// ("value cannot be converted to type at::Half without overflow"): a finite fill beyond the
/// format's finite range. -inf and lowest always fit.
bool fillOverflows(const Fill& fill, NumberFormat format);

/// True when a finite fill lies beyond the finite range of `computeType`, so converting it gives
/// +-inf; PyTorch's masked_fill refuses such a fill in every type (float32 included).
bool fillOverflowsType(const Fill& fill, DType computeType);

/// The warnings a fill deserves in `format`, computed in `computeType` (effectiveDType of the
/// format and the inputs): one beyond the type's range (FillOverflowsFormat), one that is not
/// negative and so blocks nothing (FillNotNegative).
std::vector<Warning> fillWarnings(const Fill& fill, NumberFormat format, DType computeType);

} // namespace maskscope
