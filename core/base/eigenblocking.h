// SPDX-License-Identifier: MIT
#pragma once
// Eigen sizes its GEMM blocks from the cache sizes it detects at run time, which changes the
// order of summation from one machine to another. Pinning them keeps results reproducible.

#include <Eigen/Core>

#include <mutex>

namespace maskscope {

/// Pins Eigen's blocking sizes, once per copy of Eigen: every kernel level (attention/kernels.h)
/// links its own private copy of Eigen's GEMM and so must call this itself.
inline void pinEigenBlocking()
{
    static std::once_flag once;
    std::call_once(once, [] { Eigen::setCpuCacheSizes(32 * 1024, 1024 * 1024, 8 * 1024 * 1024); });
}

} // namespace maskscope
