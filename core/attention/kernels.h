// SPDX-License-Identifier: MIT
#pragma once
// The attention engine's hot code, compiled once per x86-64 level (baseline, v2, v3, v4) in
// portable builds and chosen at run time, once, by the processor (see README, "Portable build
// and run-time kernel choice"). Everything else calls it through the public API of
// attention.h and attentionrow.h, which forwards to the chosen level's KernelTable.
//
// Each level's code lives in its own namespace, maskscope::MASKSCOPE_ISA_NS, and is linked so
// that nothing but that namespace is visible outside it (cmake/IsaKernels.cmake): the Eigen
// templates it instantiates are private copies, never merged with another level's.

#include "attention/attention.h"
#include "attention/attentionrow.h"

#include <memory>
#include <vector>

// The levels a build holds, lowest first, as X(namespace, level name): in a portable build's
// dispatching sources (maskscope_isa_dispatch_source in cmake/IsaKernels.cmake) the four x86-64
// levels, else the build's own level.
#if defined(MASKSCOPE_ISA_DISPATCH)
#define MASKSCOPE_ISA_LEVELS(X)                                                                        \
    X(isa_x86_64, "x86-64") X(isa_x86_64_v2, "x86-64-v2") X(isa_x86_64_v3, "x86-64-v3")                \
    X(isa_x86_64_v4, "x86-64-v4")
#else
#define MASKSCOPE_ISA_LEVELS(X) X(MASKSCOPE_ISA_NS, MASKSCOPE_ISA_LEVEL)
#endif

namespace maskscope {

/// One level's attention engine: AttentionEngine::compute after the argument checks.
template <typename T>
class EngineKernel {
public:
    virtual ~EngineKernel() = default;
    /// Preconditions: the checks of AttentionEngine::compute passed (this one throws nothing but
    /// std::bad_alloc).
    virtual void compute(const AttentionInputs<T>& inputs, const MaskSpec& mask, const ScoreModifiers& modifiers,
                         const TraceRequest& request, AttentionTrace<T>& trace) = 0;
};

/// The entry points of one level for scalar T; same meaning as the public functions of the
/// same names.
template <typename T>
struct TypedKernels {
    std::unique_ptr<EngineKernel<T>> (*makeEngine)() = nullptr;
    void (*maskAndSoftmaxRow)(const MaskRow<T>&, const RowLab&, KeyRange, T*, T*, SoftmaxParts<T>*) = nullptr;
    RowStages<T> (*attentionRow)(const T*, const T*, const bool*, int, int, const ScoreModifiers&, double, int,
                                 const RowLab&, std::optional<double>) = nullptr;
};

/// Everything one level provides.
struct KernelTable {
    const char* level = "";  ///< the -march it was compiled for: "x86-64-v3", or "native"
    TypedKernels<float> f32;
    TypedKernels<double> f64;

    template <typename T>
    const TypedKernels<T>& of() const
    {
        if constexpr (std::is_same_v<T, float>)
            return f32;
        else
            return f64;
    }
};

/// The level in use, chosen at the first call: the highest this processor runs, or the one
/// the environment variable MASKSCOPE_ISA names ("x86-64", "x86-64-v2", "x86-64-v3",
/// "x86-64-v4") if this processor runs it. Thread-safe.
const KernelTable& activeKernels();

/// Every level this build holds that this processor runs, lowest first (tests compare them).
std::vector<const KernelTable*> runnableKernels();

} // namespace maskscope
