// SPDX-License-Identifier: MIT
#pragma once
// How much more memory this process may allocate: the least of the machine's available memory,
// its cgroup's memory.max (containers, CI) and its address-space limit (ulimit -v), each less
// what is already in use. Sizes that would not fit are refused before anything is allocated.

#include <cstddef>
#include <optional>
#include <string>

namespace maskscope {

/// What this process may still allocate, and which limit says so.
struct MemoryBudget {
    std::size_t bytes = 0;   ///< meaningful only when `known`
    bool known = false;      ///< false when no limit could be read (nothing is refused then)
    std::string limit;       ///< the binding limit, e.g. "the cgroup's memory.max" (for messages)
};

/// Bytes left under the cgroup memory limits of a process whose /proc/<pid>/cgroup reads
/// `procCgroup`, with the cgroup file systems mounted at `root` (normally /sys/fs/cgroup): the
/// least of memory.max - memory.current over its cgroup and every parent up to `root` (cgroup v2,
/// line "0::/path"; "max" is no limit), or of memory.limit_in_bytes - memory.usage_in_bytes under
/// root/memory (cgroup v1, a line "N:...memory...:/path"). Missing files are skipped (a cgroup
/// namespace shows only part of the tree). nullopt if no limit applies.
std::optional<std::size_t> cgroupBytesLeft(const std::string& procCgroup, const std::string& root);

/// Bytes left under RLIMIT_AS given this process's virtual size; nullopt if unlimited.
std::optional<std::size_t> addressSpaceBytesLeft();

/// The least of: available memory of the machine (MemAvailable, or physical memory when unknown),
/// cgroupBytesLeft of this process, addressSpaceBytesLeft.
MemoryBudget memoryBudget();

} // namespace maskscope
