// SPDX-License-Identifier: MIT
#include "attention/precision.h"

#include "io/json.h"

#include <cfloat>
#include <cmath>
#include <limits>

namespace maskscope {

namespace {

float toHalfAndBack(float x)
{
    return static_cast<float>(Eigen::half(x));
}

float toBFloat16AndBack(float x)
{
    return static_cast<float>(Eigen::bfloat16(x));
}

std::string numberText(float x)
{
    if (std::isinf(x))
        return x < 0 ? "-inf" : "inf";
    return jsonNumber(x);
}

DType formatDType(NumberFormat f)
{
    return f == NumberFormat::Float16 ? DType::Float16 : DType::BFloat16;
}

} // namespace

float roundTo(NumberFormat f, float x)
{
    switch (f) {
    case NumberFormat::Float16: return toHalfAndBack(x);
    case NumberFormat::BFloat16: return toBFloat16AndBack(x);
    case NumberFormat::Native:
    case NumberFormat::Float32: break;
    }
    return x;
}

template <typename T>
void roundTo(NumberFormat f, T* data, Eigen::Index count)
{
    if (f == NumberFormat::Float16)
        for (Eigen::Index k = 0; k < count; ++k)
            data[k] = static_cast<T>(toHalfAndBack(static_cast<float>(data[k])));
    else if (f == NumberFormat::BFloat16)
        for (Eigen::Index k = 0; k < count; ++k)
            data[k] = static_cast<T>(toBFloat16AndBack(static_cast<float>(data[k])));
}

template <typename T>
void roundTo(NumberFormat f, Matrix<T>& m)
{
    roundTo(f, m.data(), m.size());
}

template <typename T>
void roundTo(NumberFormat f, Vector<T>& v)
{
    roundTo(f, v.data(), v.size());
}

template void roundTo<float>(NumberFormat, float*, Eigen::Index);
template void roundTo<double>(NumberFormat, double*, Eigen::Index);
template void roundTo<float>(NumberFormat, Matrix<float>&);
template void roundTo<double>(NumberFormat, Matrix<double>&);
template void roundTo<float>(NumberFormat, Vector<float>&);
template void roundTo<double>(NumberFormat, Vector<double>&);

bool representableIn(NumberFormat f, double x)
{
    if (std::isnan(x))
        return true;
    const float single = static_cast<float>(x);
    if (static_cast<double>(single) != x)
        return false;
    return roundTo(f, single) == single;
}

FormatLimits formatLimits(DType d)
{
    switch (d) {
    case DType::Float32:
        return {-double(FLT_MAX), double(FLT_MAX), double(FLT_EPSILON), double(FLT_TRUE_MIN), 24};
    case DType::Float64: return {-DBL_MAX, DBL_MAX, DBL_EPSILON, DBL_TRUE_MIN, 53};
    case DType::Float16: return {-65504.0, 65504.0, std::ldexp(1.0, -10), std::ldexp(1.0, -24), 11};
    case DType::BFloat16: {
        const double max = double(static_cast<float>(Eigen::NumTraits<Eigen::bfloat16>::highest()));
        return {-max, max, std::ldexp(1.0, -7), std::ldexp(1.0, -133), 8};
    }
    }
    return {};
}

DType effectiveDType(NumberFormat format, DType inputs)
{
    switch (format) {
    case NumberFormat::Native: return inputs;
    case NumberFormat::Float32: return DType::Float32;
    case NumberFormat::Float16:
    case NumberFormat::BFloat16: return formatDType(format);
    }
    return inputs;
}

bool fillOverflows(const Fill& fill, NumberFormat format)
{
    if (!roundsIntermediates(format) || fill.kind == Fill::Kind::NegInf || fill.kind == Fill::Kind::Lowest)
        return false;
    // PyTorch checks the value itself against the finite range (c10::overflows), before rounding:
    // -65510 is refused in float16 although it would round to -65504.
    const double value = fill.kind == Fill::Kind::NegBillion ? -1e9 : fill.value;
    return std::fabs(value) > formatLimits(formatDType(format)).max;
}

bool fillOverflowsType(const Fill& fill, DType computeType)
{
    if (fill.kind == Fill::Kind::NegInf || fill.kind == Fill::Kind::Lowest)
        return false;
    const double value = fill.kind == Fill::Kind::NegBillion ? -1e9 : fill.value;
    return std::fabs(value) > formatLimits(computeType).max;
}

std::vector<Warning> fillWarnings(const Fill& fill, NumberFormat format, DType computeType)
{
    std::vector<Warning> warnings;
    // Only float32 and the emulated formats can overflow: a float64 holds every finite fill, and
    // every overflowing fill becomes the same +-inf in float32 as in the emulated formats.
    if (fillOverflows(fill, format) || fillOverflowsType(fill, computeType))
        warnings.push_back({PitfallWarning::FillOverflowsFormat,
                            {fill.toString(), dtypeName(computeType), numberText(fillIn<float>(fill, format))}});
    if (fill.kind == Fill::Kind::Value && fill.value >= 0)
        warnings.push_back({PitfallWarning::FillNotNegative, {fill.toString()}});
    return warnings;
}

} // namespace maskscope
