// SPDX-License-Identifier: MIT
#include "memorypolicy.h"

#ifdef __GLIBC__
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#endif

namespace maskscope::app {

void keepRecomputeMemory()
{
#ifdef __GLIBC__
    // Blocks up to 32 MiB (glibc's ceiling) come from the heap, not from mmap; up to 512 MiB of
    // free heap stay mapped.
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 512 * 1024 * 1024);
#endif
}

void preferHugePages()
{
#ifdef __GLIBC__
    constexpr std::uintptr_t kHugePage = std::uintptr_t{2} << 20;
    constexpr int kHeapStep = 64 * 1024 * 1024;
    keepRecomputeMemory();
    mallopt(M_TOP_PAD, kHeapStep);
    mallopt(M_ARENA_MAX, 1); // worker threads too allocate from the advised heap
    const auto start = reinterpret_cast<std::uintptr_t>(sbrk(0));
    // More than the heap has free, so it grows now, by a step more. Volatile: a malloc and free
    // of a block nobody reads may be optimised away.
    void* volatile block = std::malloc(kHeapStep / 4);
    std::free(block);
    const auto end = reinterpret_cast<std::uintptr_t>(sbrk(0));
    const std::uintptr_t first = (start + kHugePage - 1) & ~(kHugePage - 1);
    const std::uintptr_t last = end & ~(kHugePage - 1);
#ifdef MADV_HUGEPAGE
    if (last > first) // advice only: where THP is off it changes nothing
        madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
#endif
#endif
}

} // namespace maskscope::app
