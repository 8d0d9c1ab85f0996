// SPDX-License-Identifier: MIT
// Chooses the kernel level (kernels.h) once, from what the processor runs and MASKSCOPE_ISA.
#include "attention/kernels.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

#define MASKSCOPE_DECLARE_LEVEL(ns, name)                                                              \
    namespace maskscope::ns {                                                                          \
    const KernelTable& kernelTable();                                                                  \
    }
MASKSCOPE_ISA_LEVELS(MASKSCOPE_DECLARE_LEVEL)
#undef MASKSCOPE_DECLARE_LEVEL

namespace maskscope {

namespace {

struct Level {
    const char* name;
    const KernelTable& (*table)();
};

#define MASKSCOPE_LEVEL_ENTRY(ns, name) Level{name, &ns::kernelTable},
constexpr Level kLevels[] = {MASKSCOPE_ISA_LEVELS(MASKSCOPE_LEVEL_ENTRY)};
#undef MASKSCOPE_LEVEL_ENTRY

// Whether this processor (and its operating system, which must save the wider registers) runs
// code compiled with -march=<name>. A build without dispatch holds one level, its own.
bool runs(const char* name)
{
#if defined(MASKSCOPE_ISA_DISPATCH)
    __builtin_cpu_init();
    if (std::strcmp(name, "x86-64-v4") == 0)
        return __builtin_cpu_supports("x86-64-v4");
    if (std::strcmp(name, "x86-64-v3") == 0)
        return __builtin_cpu_supports("x86-64-v3");
    if (std::strcmp(name, "x86-64-v2") == 0)
        return __builtin_cpu_supports("x86-64-v2");
#endif
    (void)name;
    return true;
}

const KernelTable& chooseLevel()
{
    const Level* best = &kLevels[0];
    for (const Level& level : kLevels)
        if (runs(level.name))
            best = &level;
    const char* wanted = std::getenv("MASKSCOPE_ISA");
    if (!wanted || !*wanted)
        return best->table();
    for (const Level& level : kLevels)
        if (std::strcmp(level.name, wanted) == 0 && runs(level.name))
            return level.table();
    // A diagnostic, not an error: the program goes on at the best level.
    std::fprintf(stderr, "maskscope: MASKSCOPE_ISA=%s is not a level this build and processor run; using %s\n",
                 wanted, best->name);
    return best->table();
}

} // namespace

const KernelTable& activeKernels()
{
    static const KernelTable& chosen = chooseLevel();
    return chosen;
}

std::vector<const KernelTable*> runnableKernels()
{
    std::vector<const KernelTable*> tables;
    for (const Level& level : kLevels)
        if (runs(level.name))
            tables.push_back(&level.table());
    return tables;
}

std::string kernelLevel()
{
    return activeKernels().level;
}

} // namespace maskscope
