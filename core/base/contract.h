// SPDX-License-Identifier: MIT
#pragma once
// Checked contracts: the documented preconditions and postconditions of the public API, tested
// where NDEBUG is not defined (Debug builds) and compiled out in Release, so a release binary
// neither pays for them nor behaves differently. A violated contract is a bug in the caller (or
// in MaskScope), never bad user input: user input is checked by validate() and reported as
// InputError in every build.
//
//   MASKSCOPE_EXPECTS(0 <= b && b < spec.batch);   // precondition, at the top of a function
//   MASKSCOPE_ENSURES(out.size() == bins());       // postcondition, before returning
//
// A failure calls contract::fail(), which hands the violation to the failure handler; the default
// handler prints "file:line: precondition failed: condition" on stderr and aborts.

namespace maskscope::contract {

/// What was violated and where. The strings are literals (static storage).
struct Violation {
    const char* kind;      ///< "precondition" or "postcondition"
    const char* condition; ///< the condition's source text
    const char* file;
    int line;
};

/// Called on a violation. It may throw (tests do, to observe the violation); if it returns,
/// the program aborts all the same.
using FailureHandler = void (*)(const Violation&);

/// Installs `handler` (nullptr restores the default) and returns the previous one. Not
/// thread-safe: install it before other threads run, as tests do in initTestCase().
FailureHandler setFailureHandler(FailureHandler handler);

/// Reports a violation to the handler; aborts if the handler returns.
[[noreturn]] void fail(const char* kind, const char* condition, const char* file, int line);

/// True iff the core library itself was compiled with contracts checked (NDEBUG not defined).
bool checkedInCore();

} // namespace maskscope::contract

#ifdef NDEBUG
// Unevaluated, so the condition costs nothing and has no side effect, yet its names stay used.
#define MASKSCOPE_CONTRACT_CHECK(kind, cond) static_cast<void>(sizeof(!(cond)))
#else
#define MASKSCOPE_CONTRACT_CHECK(kind, cond)                                                     \
    ((cond) ? static_cast<void>(0) : ::maskscope::contract::fail(kind, #cond, __FILE__, __LINE__))
#endif

/// A documented precondition of the enclosing function (checked only without NDEBUG).
#define MASKSCOPE_EXPECTS(cond) MASKSCOPE_CONTRACT_CHECK("precondition", cond)
/// A documented postcondition of the enclosing function (checked only without NDEBUG).
#define MASKSCOPE_ENSURES(cond) MASKSCOPE_CONTRACT_CHECK("postcondition", cond)
