// SPDX-License-Identifier: MIT
#pragma once
// How a MaskScope process allocates: a process-wide choice, made by the entry points.

namespace maskscope::app {

/// Keeps freed large blocks (a recompute's matrices, 16 MB each at L = 2048) mapped for the next
/// recompute instead of handing them back to the system: memory mapped afresh costs a page fault
/// per 4 KB, a sixth of a recompute of the 8-head grid. Call once, at the start of a process that
/// shows the window; the price is that its memory does not shrink after a large figure.
void keepRecomputeMemory();

} // namespace maskscope::app
