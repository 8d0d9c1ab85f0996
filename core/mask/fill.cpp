// SPDX-License-Identifier: MIT
#include "mask/fill.h"

#include <charconv>
#include <cmath>

namespace maskscope {

std::string Fill::toString() const
{
    switch (kind) {
    case Kind::NegInf: return "neg-inf";
    case Kind::NegBillion: return "-1e9";
    case Kind::Lowest: return "lowest";
    case Kind::Value: break;
    }
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, value);
    return std::string(buf, res.ptr);
}

Fill Fill::parse(std::string_view text)
{
    if (text == "neg-inf" || text == "-inf")
        return {Kind::NegInf, 0.0};
    if (text == "-1e9")
        return {Kind::NegBillion, 0.0};
    if (text == "lowest")
        return {Kind::Lowest, 0.0};
    double v = 0.0;
    const auto* end = text.data() + text.size();
    const auto res = std::from_chars(text.data(), end, v);
    if (text.empty() || res.ec != std::errc() || res.ptr != end)
        throw InputError("fill '" + std::string(text) +
                         "' is not neg-inf, -1e9, lowest or a number");
    if (!std::isfinite(v))
        throw InputError("fill '" + std::string(text) + "' must be finite (use neg-inf for -inf)");
    return {Kind::Value, v};
}

} // namespace maskscope
