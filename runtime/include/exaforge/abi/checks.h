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
 * fails the run with the first message (xf_checks_take_failure).
 *
 * Thread-safety: the failure is recorded per thread; the compiled code
 * checks on the thread that runs the model, outside its parallel loops.
 *
 * ABI, compiled code -> runtime: `convert-asserts-to-runtime-calls` emits the
 * calls of xf_check_failed; runtime/src/Checks.cpp implements it.
 * xf_checks_take_failure is called by the runtime itself (Session.cpp).
 * Not part of the public API (exaforge/runtime/).
 *
 *===----------------------------------------------------------------------===*/

#ifndef EXAFORGE_ABI_CHECKS_H
#define EXAFORGE_ABI_CHECKS_H

#ifdef __cplusplus
extern "C" {
#endif

/** Records that a check failed with `message` ("node 'Squeeze_0': Squeeze:
 * ..."), unless a check already failed on this thread since the last
 * xf_checks_take_failure. `message` must stay valid until then (compiled
 * code passes constant strings). */
void xf_check_failed(const char *message);

/** Returns the message of the first check that failed on the calling thread
 * since the last call, or NULL, and clears it. */
const char *xf_checks_take_failure(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* EXAFORGE_ABI_CHECKS_H */
