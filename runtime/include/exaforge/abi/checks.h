/*===- checks.h - Run-time checks of compiled models --------------*- C -*-===//
 *
 * Part of the Exaforge project.
 *
 *===----------------------------------------------------------------------===//
 *
 * The function `convert-asserts-to-runtime-calls` emits calls to: compiled
 * code checks values known only at run time (a Squeeze axis whose dimension
 * is not 1, Split sizes that do not add up to the axis) and reports a failed
 * check here instead of aborting. The code then runs on to the end of the
 * model (it stays inside its buffers whatever the values), and the runtime
 * fails the run with the first message.
 *
 * Thread-safety: the failure is recorded in the execution context passed
 * (Contract.h); the compiled code checks on the thread that runs the model,
 * outside its parallel loops.
 *
 * ABI, compiled code -> runtime: `convert-asserts-to-runtime-calls` emits the
 * calls of xf_check_failed; runtime/src/Checks.cpp implements it and
 * xf_checks_take_failure, which tests that run compiled code call.
 * Not part of the public API (exaforge/runtime/).
 *
 *===----------------------------------------------------------------------===*/

#ifndef EXAFORGE_ABI_CHECKS_H
#define EXAFORGE_ABI_CHECKS_H

#include "exaforge/abi/Contract.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Records that a check failed with `message` ("node 'Squeeze_0': Squeeze:
 * ..."), unless a check already failed in the same run. `message` must stay
 * valid until the run ends (compiled code passes constant strings). */
void xf_check_failed(xf_exec_context *context, const char *message);

/** Returns the first failed check recorded in `context` since the last
 * call, or NULL, and clears it. Sessions read the failures of their runs
 * themselves; this is for compiled code run outside a session (by
 * mlir-runner, in tests), whose checks go to a standalone context
 * (xf_exec_context_create). */
const char *xf_checks_take_failure(xf_exec_context *context);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* EXAFORGE_ABI_CHECKS_H */
