// SPDX-License-Identifier: MIT
// The contract macros as a Release build compiles them (NDEBUG defined whatever the build type).
#ifndef NDEBUG
#define NDEBUG
#endif
#include "base/contract.h"

namespace maskscope::testing {

// Runs a violated precondition and postcondition; returns how often their conditions ran.
int conditionEvaluationsCompiledOut()
{
    int evaluations = 0;
    MASKSCOPE_EXPECTS(++evaluations < 0);
    MASKSCOPE_ENSURES(++evaluations < 0);
    return evaluations;
}

} // namespace maskscope::testing
