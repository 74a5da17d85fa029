/*===- parallel.h - Parallel loops of compiled models -------------*- C -*-===//
 *
 * Part of the Exaforge project.
 *
 *===----------------------------------------------------------------------===//
 *
 * The function `run-parallel-loops-on-threads` emits calls to: it runs the
 * iterations of an outlined loop on the OpenMP threads of the process (the
 * GNU OpenMP runtime, the same threads oneDNN's kernels run on), so a model
 * uses one thread pool whose size the session sets (`--threads`).
 *
 * Unlike the other runtime functions, xf_parallel_for takes no execution
 * context (Contract.h): it needs nothing of the run, and an outlined loop
 * body that calls the runtime receives the context among its values.
 *
 * ABI, compiled code -> runtime: `run-parallel-loops-on-threads` emits the
 * calls of xf_parallel_for; runtime/src/ParallelFor.cpp implements it.
 * Not part of the public API (exaforge/runtime/).
 *
 *===----------------------------------------------------------------------===*/

#ifndef EXAFORGE_ABI_PARALLEL_H
#define EXAFORGE_ABI_PARALLEL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** An outlined loop: runs the iterations [begin, end) with the values the
 * loop uses, which `context` points to. */
typedef void (*xf_loop_body_t)(void *context, int64_t begin, int64_t end);

/** Runs `body` over the iterations [begin, end), split into contiguous
 * chunks, one per thread. `cost` estimates the work of one iteration (in
 * operations): the number of threads is the smallest of the OpenMP thread
 * count (omp_get_max_threads), the iteration count and the total work
 * divided by XF_PARALLEL_MIN_COST_PER_THREAD, so a small loop runs on the
 * calling thread without a fork. Called from inside a parallel region it
 * runs serially. Returns once every iteration has run; when the body left
 * the compiled code on some thread (an allocation the system refused,
 * runtime/src/EarlyExit.h), the other threads finish their shares and the
 * calling thread then leaves the compiled code too. */
void xf_parallel_for(xf_loop_body_t body, void *context, int64_t begin,
                     int64_t end, int64_t cost);

/** The least work (`cost` times iterations) worth one more thread: a fork
 * and join of the thread pool costs a few microseconds, about this many
 * simple operations. */
#define XF_PARALLEL_MIN_COST_PER_THREAD 32768

#ifdef __cplusplus
}
#endif

#endif /* EXAFORGE_ABI_PARALLEL_H */
