// SPDX-License-Identifier: MIT
#include "base/random.h"

namespace maskscope {

namespace {

constexpr std::uint64_t kGamma = 0x9E3779B97F4A7C15ull;

std::uint64_t mix(std::uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// 24 bits so the value is exact in float too: both precisions see the same number.
double toUnit(std::uint64_t bits)
{
    return static_cast<double>(bits >> 40) * (1.0 / 16777216.0);
}

} // namespace

std::uint64_t Random::nextU64()
{
    return mix(state_ += kGamma);
}

double Random::uniform01()
{
    return toUnit(nextU64());
}

double Random::uniform(double lo, double hi)
{
    return lo + (hi - lo) * uniform01();
}

void Random::uniformFloats(double lo, double hi, float* out, std::size_t n)
{
    const std::uint64_t start = state_;
    for (std::size_t k = 0; k < n; ++k)
        out[k] = static_cast<float>(lo + (hi - lo) * toUnit(mix(start + (k + 1) * kGamma)));
    state_ = start + n * kGamma;
}

double Random::normal()
{
    double sum = 0.0;
    for (int i = 0; i < 12; ++i)
        sum += uniform01();
    return sum - 6.0;
}

std::uint64_t hashText(std::string_view text)
{
    std::uint64_t h = 0xCBF29CE484222325ull;
    for (const char c : text) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001B3ull;
    }
    return h;
}

std::uint64_t mixSeeds(std::uint64_t a, std::uint64_t b)
{
    Random r(a ^ (b * 0x9E3779B97F4A7C15ull));
    return r.nextU64();
}

} // namespace maskscope
