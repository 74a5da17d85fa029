/*===- profile.h - Profile regions of compiled models -------------*- C -*-===//
 *
 * Part of the Exaforge project.
 *
 *===----------------------------------------------------------------------===//
 *
 * The functions `insert-profile-regions` emits calls to: every library
 * kernel call and every outermost compiled loop nest of a model is enclosed
 * in xf_profile_begin / xf_profile_end, with the number of its region.
 * Region `i` is described by entry `i` of the artifact's nodes.json (its
 * ONNX node's name and op type, and whether it is a kernel call or a loop
 * nest; Contract.h).
 *
 * The calls are always compiled in. When the run is not profiled (the
 * session's profiling is off, or the code runs outside a session) each call
 * is one test of a null pointer: about 2 x 700 calls for a GPT-2 run.
 * When it is, the runtime's Profiler (runtime/src/Profiler.h) records the
 * region as a trace event (docs/profiling.md).
 *
 * Thread-safety: the calls may come from several threads at once (runs of
 * one session on several threads); a region ends on the thread it began on.
 *
 * ABI, compiled code -> runtime: runtime/src/Profiler.cpp implements them.
 * Not part of the public API (exaforge/runtime/).
 *
 *===----------------------------------------------------------------------===*/

#ifndef EXAFORGE_ABI_PROFILE_H
#define EXAFORGE_ABI_PROFILE_H

#include "exaforge/abi/Contract.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Opens region `region` (an index into nodes.json) of the run of
 * `context`: the time it starts. Does nothing unless the run is profiled. */
void xf_profile_begin(xf_exec_context *context, int64_t region);

/** Closes region `region`, which the calling thread opened last: the
 * profiler records it with its duration. Does nothing unless the run is
 * profiled. */
void xf_profile_end(xf_exec_context *context, int64_t region);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* EXAFORGE_ABI_PROFILE_H */
