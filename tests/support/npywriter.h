// SPDX-License-Identifier: MIT
#pragma once
// Building .npy arrays in tests: by element, from float values, or a bool mask drawn as rows of
// '0' and '1'. Write them with writeNpy (core io/npy.h).

#include "io/npy.h"

#include <cstddef>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

namespace maskscope::testing {

/// An array of `type` and `shape` whose element i (C order) is value(i), stored as the type
/// stores it (float32 rounds; bool is true for any nonzero value).
inline NpyArray npyArray(NpyType type, std::vector<std::size_t> shape,
                         const std::function<double(std::size_t)>& value)
{
    NpyArray a;
    a.type = type;
    a.shape = std::move(shape);
    const std::size_t size = npyElementSize(type);
    a.data.resize(a.elementCount() * size);
    for (std::size_t i = 0; i < a.elementCount(); ++i) {
        std::uint8_t* at = a.data.data() + i * size;
        const double v = value(i);
        if (type == NpyType::Float32) {
            const float f = static_cast<float>(v);
            std::memcpy(at, &f, sizeof f);
        } else if (type == NpyType::Float64) {
            std::memcpy(at, &v, sizeof v);
        } else {
            *at = v != 0.0 ? 1 : 0;
        }
    }
    return a;
}

/// A float32 array of `shape` holding `values` in C order. Precondition: the sizes agree.
inline NpyArray floatNpy(std::vector<std::size_t> shape, const std::vector<float>& values)
{
    return npyArray(NpyType::Float32, std::move(shape), [&values](std::size_t i) { return values.at(i); });
}

/// A bool matrix, one string of '0' (false) and '1' (true) per row; e.g. {"10", "11"}.
/// Precondition: at least one row, all of the same length.
inline NpyArray boolNpy(const std::vector<std::string>& rows)
{
    return npyArray(NpyType::Bool, {rows.size(), rows.front().size()}, [&rows](std::size_t i) {
        const std::size_t cols = rows.front().size();
        return rows[i / cols][i % cols] == '1' ? 1.0 : 0.0;
    });
}

} // namespace maskscope::testing
