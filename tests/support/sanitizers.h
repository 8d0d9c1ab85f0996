// SPDX-License-Identifier: MIT
#pragma once
// What a sanitizer build (MASKSCOPE_SANITIZE) cannot test.

namespace maskscope::testing {

/// True in an AddressSanitizer build: its shadow memory reserves terabytes of address space at
/// start, so a process under an address-space limit (RLIMIT_AS, ulimit -v) cannot even start.
/// The tests of that limit run in the ordinary build.
constexpr bool addressSpaceIsReservedBySanitizer()
{
#if defined(__SANITIZE_ADDRESS__)
    return true;
#else
    return false;
#endif
}

} // namespace maskscope::testing
