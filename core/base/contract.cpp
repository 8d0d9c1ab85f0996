// SPDX-License-Identifier: MIT
#include "base/contract.h"

#include <cstdio>
#include <cstdlib>

namespace maskscope::contract {

namespace {

void printAndAbort(const Violation& v)
{
    std::fprintf(stderr, "%s:%d: %s failed: %s\n", v.file, v.line, v.kind, v.condition);
    std::fflush(stderr);
    std::abort();
}

FailureHandler currentHandler = printAndAbort;

} // namespace

FailureHandler setFailureHandler(FailureHandler handler)
{
    const FailureHandler previous = currentHandler;
    currentHandler = handler ? handler : printAndAbort;
    return previous;
}

void fail(const char* kind, const char* condition, const char* file, int line)
{
    currentHandler(Violation{kind, condition, file, line});
    std::abort(); // a handler that returns must not let the violating code go on
}

bool checkedInCore()
{
#ifdef NDEBUG
    return false;
#else
    return true;
#endif
}

} // namespace maskscope::contract
