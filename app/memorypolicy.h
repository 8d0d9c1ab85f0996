// SPDX-License-Identifier: MIT
#pragma once
// How a MaskScope process allocates: a process-wide choice, made by the entry points.

namespace maskscope::app {

/// Keeps freed large blocks (a recompute's matrices, 16 MB each at L = 2048) mapped for the next
/// recompute instead of handing them back to the system: memory mapped afresh costs a page fault
/// per 4 KB, a sixth of a recompute of the 8-head grid. Call once, at the start of a process that
/// shows the window; the price is that its memory does not shrink after a large figure.
void keepRecomputeMemory();

/// For a one-shot command (dump, export) that allocates its matrices and image once and exits:
/// blocks up to 32 MiB come from the heap, the heap grows 64 MiB at a time, and the heap is
/// advised for transparent huge pages, so first touches cost a fault per 2 MiB instead of one per
/// 4 KiB (what glibc's tunable glibc.malloc.hugetlb=1 does, which only the environment can set).
/// On the development VM a fault costs 11 µs: the 8-head grid's export took 6600 of them, 160 ms
/// in all, and takes 1600, about 95 ms, with this. Call once, first thing; the price is up to
/// 64 MiB more mapped (not touched) memory. Without THP, or off Linux and glibc, only the
/// allocation thresholds change.
void preferHugePages();

} // namespace maskscope::app
