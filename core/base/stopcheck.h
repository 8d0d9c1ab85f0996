// SPDX-License-Identifier: MIT
#pragma once
// Letting the caller of a long computation (a real model's forward, layer by layer) stop it once
// it no longer wants the result: the window drops a job the user cancelled or overtook, and the
// next one should not wait for it.

#include <exception>
#include <functional>

namespace maskscope {

/// Asked between the steps of a long computation; returning true stops it (ComputationStopped).
/// Called on the computing thread, so it must be thread-safe (an atomic load, say). Empty: never
/// stop.
using StopCheck = std::function<bool()>;

/// Thrown when a StopCheck said stop. The work done so far is dropped; caches keep only whole
/// steps.
struct ComputationStopped : std::exception {
    const char* what() const noexcept override { return "the computation was stopped"; }
};

/// Throws ComputationStopped when `stop` is set and says stop.
inline void throwIfStopped(const StopCheck& stop)
{
    if (stop && stop())
        throw ComputationStopped{};
}

} // namespace maskscope
