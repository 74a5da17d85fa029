/*===- allocation.h - Buffers of compiled models ------------------*- C -*-===//
 *
 * Part of the Exaforge project.
 *
 *===----------------------------------------------------------------------===//
 *
 * The functions every heap buffer of compiled code comes from and goes back
 * to: `convert-allocs-to-runtime-calls` turns each `memref.alloc` into a
 * call of xf_alloc and each `memref.dealloc` into a call of xf_free. During
 * a session's run the buffers come from the run's buffer pool (found through
 * the execution context passed, Contract.h), which reuses freed buffers, so
 * a run holds the bytes of the buffers live at once, and the session knows
 * which results it may keep without a copy.
 *
 * Thread-safety: a run's pool may be called from every thread of the run
 * (the outlined bodies of parallel loops allocate on the OpenMP threads);
 * runs with different contexts are independent.
 *
 * ABI, compiled code -> runtime: `convert-allocs-to-runtime-calls` emits the
 * calls; runtime/src/BufferPool.cpp implements them.
 * Not part of the public API (exaforge/runtime/).
 *
 *===----------------------------------------------------------------------===*/

#ifndef EXAFORGE_ABI_ALLOCATION_H
#define EXAFORGE_ABI_ALLOCATION_H

#include "exaforge/abi/Contract.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Returns a buffer of `size` bytes aligned to `alignment` (a power of two;
 * 0 asks for the default) and to at least 64 bytes; never NULL. It comes
 * from the buffer pool of `context`'s run, or from the system for a
 * standalone context (xf_exec_context_create), which has no pool. `node` is
 * the name of the ONNX node the buffer is for (a NUL-terminated string; ""
 * or NULL when none is known). When the system refuses the memory, xf_alloc
 * does not return: it records the failure, naming `node`, in `context` and
 * leaves the compiled code back to the session, whose run then fails with
 * XF_STATUS_OUT_OF_MEMORY (runtime/src/EarlyExit.h); with a standalone
 * context, which no session runs, it prints the reason and aborts.
 * (`node` was added in artifact format 8.) */
void *xf_alloc(xf_exec_context *context, size_t size, size_t alignment,
               const char *node);

/** Gives back a buffer xf_alloc returned (NULL does nothing): to the pool it
 * came from, or to the system. */
void xf_free(xf_exec_context *context, void *ptr);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* EXAFORGE_ABI_ALLOCATION_H */
