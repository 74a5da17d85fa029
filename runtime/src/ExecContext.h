//===- ExecContext.h - What compiled code reaches during a run --*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// One run of a compiled model has one execution context: the buffer pool
// that serves its allocations, the ranks it communicates with, and the
// failures its runtime calls record (a failed run-time check, a failed
// collective, a failed kernel). Every function compiled code calls
// (exaforge/abi/) reaches the run through it, and the session reads the
// failures from it when the run ends.
//
// The context is found through the calling thread (the one pointer the
// runtime keeps per thread): compiled code does not yet pass it as an
// argument. Compiled code run outside a session (by mlir-runner, in tests)
// finds its thread's standalone context instead, which has neither pool nor
// ranks and is never read by a session. Internal to the runtime.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_RUNTIME_EXECCONTEXT_H
#define EXAFORGE_RUNTIME_EXECCONTEXT_H

#include <string>

namespace exaforge::runtime {

class BufferPool;
class DistContext;

/// The context of one run (see the file comment). A failure of each kind is
/// recorded once: the first one explains the later ones.
class ExecContext {
public:
  /// A context whose allocations `pool` serves (null: outside any pool) and
  /// whose collectives run through `dist` (null: a single-rank run).
  ExecContext(BufferPool *pool, DistContext *dist) : pool(pool), dist(dist) {}

  BufferPool *getPool() const { return pool; }
  DistContext *getDist() const { return dist; }

  /// Records a failed run-time check (a constant string of the compiled
  /// code), a failed collective or a failed kernel, unless one of the same
  /// kind was recorded before.
  void recordCheckFailure(const char *message);
  void recordDistFailure(const std::string &message);
  void recordKernelFailure(const std::string &message);

  /// The first failure of each kind, or null.
  const char *getCheckFailure() const { return checkFailure; }
  /// Returns the first failed check and clears it.
  const char *takeCheckFailure() {
    const char *failure = checkFailure;
    checkFailure = nullptr;
    return failure;
  }
  const std::string *getDistFailure() const {
    return hasDistFailure ? &distFailure : nullptr;
  }
  const std::string *getKernelFailure() const {
    return hasKernelFailure ? &kernelFailure : nullptr;
  }

private:
  BufferPool *pool;
  DistContext *dist;
  const char *checkFailure = nullptr;
  std::string distFailure, kernelFailure;
  bool hasDistFailure = false, hasKernelFailure = false;
};

/// Makes `context` the calling thread's until the guard is destroyed.
class ScopedExecContext {
public:
  explicit ScopedExecContext(ExecContext &context);
  ~ScopedExecContext();
  ScopedExecContext(const ScopedExecContext &) = delete;
  ScopedExecContext &operator=(const ScopedExecContext &) = delete;

private:
  ExecContext *previous;
};

/// The context of the run on the calling thread, or null outside a run.
ExecContext *getCurrentExecContext();
/// The context of the run on the calling thread, or outside a run the
/// thread's standalone context (see the file comment). What the functions
/// compiled code calls record their failures in.
ExecContext &getCurrentOrStandaloneExecContext();

} // namespace exaforge::runtime

#endif // EXAFORGE_RUNTIME_EXECCONTEXT_H
