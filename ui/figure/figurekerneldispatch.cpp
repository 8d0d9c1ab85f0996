// SPDX-License-Identifier: MIT
// The figure kernels (figurekernels.h) of the level the attention engine chose.
#include "figure/figurekernels.h"

#include "attention/kernels.h"

#include <cstring>

#define MASKSCOPE_DECLARE_LEVEL(ns, name)                                                              \
    namespace maskscope::ns {                                                                          \
    const ui::FigureKernelTable& figureKernels();                                                      \
    }
MASKSCOPE_ISA_LEVELS(MASKSCOPE_DECLARE_LEVEL)
#undef MASKSCOPE_DECLARE_LEVEL

namespace maskscope::ui {

namespace {

#define MASKSCOPE_LEVEL_ENTRY(ns, name) &ns::figureKernels,
constexpr const FigureKernelTable& (*kLevels[])() = {MASKSCOPE_ISA_LEVELS(MASKSCOPE_LEVEL_ENTRY)};
#undef MASKSCOPE_LEVEL_ENTRY

// The figure kernels compiled for the same level as `engine`. Both lists are built from the
// same levels, so one always matches; the first level stands in should that ever break.
const FigureKernelTable& matching(const KernelTable& engine)
{
    for (const auto table : kLevels)
        if (std::strcmp(table().level, engine.level) == 0)
            return table();
    return kLevels[0]();
}

} // namespace

const FigureKernelTable& activeFigureKernels()
{
    static const FigureKernelTable& chosen = matching(activeKernels());
    return chosen;
}

std::vector<const FigureKernelTable*> runnableFigureKernels()
{
    std::vector<const FigureKernelTable*> tables;
    for (const KernelTable* engine : runnableKernels())
        tables.push_back(&matching(*engine));
    return tables;
}

} // namespace maskscope::ui
