// SPDX-License-Identifier: MIT
#pragma once
// exp() for softmax numerators, exactly 0 wherever the correctly rounded exp is 0.
//
// Why: Eigen 3.4's generic vectorised exp (SSE2/AVX builds, i.e. -DMASKSCOPE_NATIVE=OFF) clamps
// its argument to about -88.7 and returns ~2^-128 for anything below, -inf included, while the
// cells after the last full packet go through std::exp and give 0. A key blocked by -inf or -1e9
// would then keep a weight of ~1e-39 in some columns and 0 in others, where PyTorch gives 0.
// Eigen's AVX-512 float exp already flushes there, so in native builds this changes nothing.

#include <Eigen/Core>

#include <cmath>
#include <limits>

namespace maskscope {

/// Below this argument exp(x) in T is less than half the smallest subnormal, so the correctly
/// rounded result is 0: x < (min_exponent - digits - 1) * ln 2, i.e. -150 ln 2 = -103.97 in
/// float and -1075 ln 2 = -745.13 in double.
template <typename T>
inline constexpr T kExpUnderflowsBelow =
    static_cast<T>((std::numeric_limits<T>::min_exponent - std::numeric_limits<T>::digits - 1) *
                   0.69314718055994530942);

/// exp(x), but exactly 0 for x < kExpUnderflowsBelow<T> in the vectorised path as in the scalar
/// one; NaN stays NaN. Otherwise the same values as Eigen's exp (same packet and scalar code).
template <typename T>
struct UnderflowingExp {
    T operator()(const T& x) const { return x < kExpUnderflowsBelow<T> ? T(0) : std::exp(x); }

    template <typename Packet>
    Packet packetOp(const Packet& x) const
    {
        namespace ei = Eigen::internal;
        const Packet underflows = ei::pcmp_lt(x, ei::pset1<Packet>(kExpUnderflowsBelow<T>));
        return ei::pselect(underflows, ei::pzero(x), ei::pexp(x));
    }
};

/// The element-wise exp of `x` as UnderflowingExp computes it (an expression, evaluated lazily).
template <typename Derived>
auto underflowingExp(const Eigen::ArrayBase<Derived>& x)
{
    return x.unaryExpr(UnderflowingExp<typename Derived::Scalar>{});
}

} // namespace maskscope

namespace Eigen::internal {

template <typename T>
struct functor_traits<maskscope::UnderflowingExp<T>> {
    enum {
        Cost = functor_traits<scalar_exp_op<T>>::Cost + 2 * NumTraits<T>::AddCost,
        PacketAccess = functor_traits<scalar_exp_op<T>>::PacketAccess
    };
};

} // namespace Eigen::internal
