// SPDX-License-Identifier: MIT
#pragma once
// The value written into the additive mask where a key is blocked.

#include "base/types.h"

#include <limits>
#include <string>
#include <string_view>

namespace maskscope {

/// How blocked cells are filled in the additive mask.
/// Invariant: for kind == Value, value is finite (a non-finite number is spelled NegInf).
struct Fill {
    enum class Kind {
        NegInf,   ///< -infinity: a fully blocked row becomes NaN under a plain softmax
        NegBillion, ///< -1e9, the TensorFlow tutorial's constant
        Lowest,   ///< the most negative finite number of the compute type (finfo.min)
        Value     ///< any finite number
    };
    Kind kind = Kind::NegInf;
    double value = 0.0; ///< only meaningful for Kind::Value

    /// The fill as a number of type T (Lowest depends on T; -1e9 is rounded to T).
    template <typename T>
    T as() const
    {
        switch (kind) {
        case Kind::NegInf: return -std::numeric_limits<T>::infinity();
        case Kind::NegBillion: return static_cast<T>(-1e9);
        case Kind::Lowest: return std::numeric_limits<T>::lowest();
        case Kind::Value: return static_cast<T>(value);
        }
        return T(0);
    }

    /// Canonical spelling: "neg-inf", "-1e9", "lowest" or the shortest round-trip number.
    std::string toString() const;

    /// Parses "neg-inf" (also "-inf"), "-1e9", "lowest" or a finite number.
    /// Throws InputError naming the text when it is none of these.
    static Fill parse(std::string_view text);

    friend bool operator==(const Fill&, const Fill&) = default;
};

} // namespace maskscope
