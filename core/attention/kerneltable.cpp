// SPDX-License-Identifier: MIT
// The entry point of one x86-64 level's kernels (kernels.h), compiled once per level.
#include "attention/kernelengine.h"

#ifndef MASKSCOPE_ISA_LEVEL
#error "MASKSCOPE_ISA_LEVEL names the level's -march; set by cmake/IsaKernels.cmake"
#endif

namespace maskscope::MASKSCOPE_ISA_NS {

namespace {

template <typename T>
std::unique_ptr<EngineKernel<T>> makeEngine()
{
    return std::make_unique<Engine<T>>();
}

template <typename T>
TypedKernels<T> typedKernels()
{
    return TypedKernels<T>{&makeEngine<T>, &maskAndSoftmax<T>, &rowStages<T>};
}

} // namespace

const KernelTable& kernelTable()
{
    static const KernelTable table{MASKSCOPE_ISA_LEVEL, typedKernels<float>(), typedKernels<double>()};
    return table;
}

} // namespace maskscope::MASKSCOPE_ISA_NS
