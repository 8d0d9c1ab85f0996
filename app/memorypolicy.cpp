// SPDX-License-Identifier: MIT
#include "memorypolicy.h"

#ifdef __GLIBC__
#include <malloc.h>
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

} // namespace maskscope::app
