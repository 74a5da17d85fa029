//===- EarlyExit.h - Leaving compiled code before it returns ----*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Some failures leave compiled code no way to go on: an allocation that
// the system refuses (xf_alloc must not return NULL, which compiled code
// would write through), or a collective that failed on this rank (its
// results are undefined and the other ranks are no longer in step). The
// runtime function that sees such a failure records it in the run's
// execution context (ExecContext.h) and then leaves the compiled code at
// once: it jumps (siglongjmp) back to the exit point that runWithEarlyExit
// set on the same thread, below the compiled code.
//
// The session sets that exit point where it calls the model function
// (Session.cpp); xf_parallel_for (ParallelFor.cpp) sets one on each thread
// of a parallel region around that thread's share of the loop. A jump never
// crosses threads: a worker thread that fails returns to its own exit
// point, the region joins, and the thread that called xf_parallel_for then
// leaves to its own exit point.
//
// A jump skips the frames between the exit point and the failing call
// without running anything in them. Those frames must therefore be
// compiled code (which holds nothing but its stack and the run's pool
// buffers, which the pool takes back when the run ends) or runtime frames
// that own nothing: the runtime functions call exitEarly only from frames
// without destructors, after their C++ objects are gone.
//
// Internal to the runtime library.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_RUNTIME_EARLYEXIT_H
#define EXAFORGE_RUNTIME_EARLYEXIT_H

namespace exaforge::runtime {

/// Runs `body(data)` on the calling thread with an exit point: a call of
/// exitEarly on this thread while `body` runs returns here. Returns true
/// when `body` returned, false when it left through exitEarly. Exit points
/// nest: exitEarly returns to the innermost one of its thread.
bool runWithEarlyExit(void (*body)(void *), void *data);

/// Whether the calling thread runs under an exit point (runWithEarlyExit),
/// so that exitEarly may be called. Compiled code run outside a session (by
/// mlir-runner, with a standalone context) has none.
bool canExitEarly();

/// Leaves the compiled code: jumps back to the innermost exit point of the
/// calling thread, whose runWithEarlyExit then returns false. The caller
/// has recorded why in the run's execution context. Requires
/// canExitEarly().
[[noreturn]] void exitEarly();

/// Calls the packed model function `entry` (Artifact.h) with `arguments`
/// under an exit point: returns true when it returned, false when it left
/// early.
bool callCompiledCode(void (*entry)(void **arguments), void **arguments);

} // namespace exaforge::runtime

#endif // EXAFORGE_RUNTIME_EARLYEXIT_H
