#include "random.h"

namespace maskscope {

std::uint64_t Random::nextU64()
{
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

double Random::uniform01()
{
    // 24 bits so the value is exact in float too: both precisions see the same number.
    return static_cast<double>(nextU64() >> 40) * (1.0 / 16777216.0);
}

double Random::uniform(double lo, double hi)
{
    return lo + (hi - lo) * uniform01();
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
