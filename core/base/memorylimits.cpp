// SPDX-License-Identifier: MIT
#include "base/memorylimits.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

namespace maskscope {

namespace {

std::optional<std::string> firstWord(const std::string& path)
{
    std::ifstream f(path);
    std::string word;
    if (!(f >> word))
        return std::nullopt;
    return word;
}

std::optional<std::size_t> numberIn(const std::string& path)
{
    const std::optional<std::string> word = firstWord(path);
    if (!word || word->empty() || word->find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt; // missing, or "max"
    try {
        return static_cast<std::size_t>(std::stoull(*word));
    } catch (const std::out_of_range&) {
        return std::nullopt;
    }
}

// v1 spells "no limit" as the largest page-aligned long (9223372036854771712).
constexpr std::size_t kNoLimit = std::size_t(1) << 62;

// The least of limit - usage over `dir` and its parents down to the mount point `root`.
std::optional<std::size_t> leastLeft(const std::string& root, std::string path, const char* limitFile,
                                     const char* usageFile)
{
    std::optional<std::size_t> least;
    while (true) {
        const std::string dir = root + (path == "/" ? std::string() : path) + "/";
        const std::optional<std::size_t> limit = numberIn(dir + limitFile);
        if (limit && *limit < kNoLimit) {
            const std::size_t used = numberIn(dir + usageFile).value_or(0);
            const std::size_t left = used < *limit ? *limit - used : 0;
            least = std::min(least.value_or(left), left);
        }
        if (path == "/" || path.empty())
            return least;
        const std::size_t slash = path.rfind('/');
        path = slash == 0 ? std::string("/") : path.substr(0, slash);
    }
}

std::optional<std::size_t> leastOf(std::optional<std::size_t> a, std::optional<std::size_t> b)
{
    if (a && b)
        return std::min(*a, *b);
    return a ? a : b;
}

bool namesMemoryController(const std::string& controllers)
{
    std::stringstream list(controllers);
    std::string c;
    while (std::getline(list, c, ','))
        if (c == "memory")
            return true;
    return false;
}

std::optional<std::size_t> availableMemoryBytes()
{
    std::ifstream meminfo("/proc/meminfo");
    std::string key;
    std::size_t kib = 0;
    std::string unit;
    while (meminfo >> key >> kib >> unit)
        if (key == "MemAvailable:")
            return kib * 1024;
    const long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGE_SIZE);
    if (pages > 0 && pageSize > 0)
        return static_cast<std::size_t>(pages) * static_cast<std::size_t>(pageSize);
    return std::nullopt;
}

std::string readWhole(const std::string& path)
{
    std::ifstream f(path);
    std::stringstream text;
    text << f.rdbuf();
    return text.str();
}

} // namespace

std::optional<std::size_t> cgroupBytesLeft(const std::string& procCgroup, const std::string& root)
{
    std::optional<std::size_t> least;
    std::stringstream lines(procCgroup);
    std::string line;
    while (std::getline(lines, line)) {
        const std::size_t first = line.find(':'), second = line.find(':', first + 1);
        if (first == std::string::npos || second == std::string::npos)
            continue;
        const std::string controllers = line.substr(first + 1, second - first - 1);
        const std::string path = line.substr(second + 1);
        if (path.empty() || path.front() != '/')
            continue;
        if (line.compare(0, first, "0") == 0 && controllers.empty())
            least = leastOf(least, leastLeft(root, path, "memory.max", "memory.current"));
        else if (namesMemoryController(controllers))
            least = leastOf(least, leastLeft(root + "/memory", path, "memory.limit_in_bytes",
                                             "memory.usage_in_bytes"));
    }
    return least;
}

std::optional<std::size_t> addressSpaceBytesLeft()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_AS, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
        return std::nullopt;
    std::ifstream statm("/proc/self/statm");
    std::size_t pages = 0;
    statm >> pages;
    const std::size_t used = pages * static_cast<std::size_t>(sysconf(_SC_PAGE_SIZE));
    return used < limit.rlim_cur ? static_cast<std::size_t>(limit.rlim_cur) - used : 0;
}

MemoryBudget memoryBudget()
{
    MemoryBudget budget;
    const auto consider = [&budget](std::optional<std::size_t> bytes, const char* limit) {
        if (bytes && (!budget.known || *bytes < budget.bytes))
            budget = {*bytes, true, limit};
    };
    consider(availableMemoryBytes(), "the memory this machine has available");
    consider(cgroupBytesLeft(readWhole("/proc/self/cgroup"), "/sys/fs/cgroup"), "the cgroup's memory limit (memory.max)");
    consider(addressSpaceBytesLeft(), "the address-space limit (ulimit -v)");
    return budget;
}

} // namespace maskscope
