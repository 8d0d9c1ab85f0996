// SPDX-License-Identifier: MIT
#pragma once
// Shared value types of the MaskScope core. Plain Eigen, no Qt.

#include <Eigen/Core>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace maskscope {

/// Dense row-major matrix of scalar T: row i is query i, column j is key j.
template <typename T>
using Matrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// Dense column vector of scalar T.
template <typename T>
using Vector = Eigen::Matrix<T, Eigen::Dynamic, 1>;

/// Row-major boolean matrix; in masks, true means "query i may attend to key j".
using BoolMatrix = Eigen::Array<bool, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// Floating-point precision in which a trace is computed. Float16 and BFloat16 are emulated in
/// float32 storage (see NumberFormat in pitfalls.h).
enum class DType { Float32, Float64, Float16, BFloat16 };

/// Name used in JSON and in snippets: "float32", "float64", "float16" or "bfloat16".
const char* dtypeName(DType d);

/// Error in what a user asked for (an option, a size, a file). The message is one line that
/// names the problem; front ends print it and exit with status 2.
class InputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace maskscope
