// SPDX-License-Identifier: MIT
#pragma once
// A portable pseudo-random generator: the same seed gives the same bits on every machine and
// compiler. (The std:: distributions are implementation-defined, so they are not used.)

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace maskscope {

/// SplitMix64 (Steele, Lea, Flood 2014): a 64-bit state advanced by a constant and mixed.
/// Every operation is integer arithmetic; the float transforms below use only exact operations.
class Random {
public:
    explicit Random(std::uint64_t seed) : state_(seed) {}

    std::uint64_t nextU64();
    /// Uniform on [0, 1) with 24 random bits: exactly representable in float and double.
    double uniform01();
    /// Uniform on [lo, hi).
    double uniform(double lo, double hi);
    /// Writes the next n values of uniform(lo, hi), each converted to float, to `out`: exactly
    /// what n calls would give, and the generator ends where they would leave it. SplitMix64's
    /// k-th output depends only on the state and k, so the loop has no chain and vectorises
    /// (a million projection weights are drawn on every change of seed in the window).
    void uniformFloats(double lo, double hi, float* out, std::size_t n);

    /// Approximately standard normal: Irwin-Hall sum of 12 uniforms minus 6 (mean 0, variance 1,
    /// support [-6, 6]). Exact in double, so bit-identical everywhere, unlike Box-Muller's log/cos.
    double normal();

private:
    std::uint64_t state_;
};

/// FNV-1a 64-bit hash of text: a stable per-token seed.
std::uint64_t hashText(std::string_view text);

/// Mixes two 64-bit values into one seed (order matters).
std::uint64_t mixSeeds(std::uint64_t a, std::uint64_t b);

} // namespace maskscope
