//===- ExecContext.h - What compiled code reaches during a run --*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// One run of a compiled model has one execution context: the buffer pool
// that serves its allocations, the ranks it communicates with, and the
// failures its runtime calls record (a failed run-time check, a failed
// allocation, a failed collective, a failed kernel). Every function
// compiled code calls (exaforge/abi/) reaches the run through it, and the
// session reads the failures from it when the run ends. A failed
// allocation or collective also stops the run there (EarlyExit.h); the
// others let it run on to its end.
//
// Compiled code receives the context as the first argument of the model
// function and passes it first to every runtime function it calls: it is
// the `xf_exec_context` of exaforge/abi/Contract.h, defined here. Compiled
// code run outside a session (by mlir-runner, in tests) creates a standalone
// one (xf_exec_context_create), with neither pool nor ranks.
//
// The runtime keeps no per-thread "current" context: allocations too
// (xf_alloc, exaforge/abi/allocation.h) receive it as an argument, so runs
// on several threads at once, and the threads of one run's parallel loops,
// each reach their own run. Internal to the runtime.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_RUNTIME_EXECCONTEXT_H
#define EXAFORGE_RUNTIME_EXECCONTEXT_H

#include "exaforge/abi/Contract.h"

#include <cstdint>
#include <mutex>
#include <string>

namespace exaforge::runtime {
class BufferPool;
class DistContext;
class Profiler;
} // namespace exaforge::runtime

/// The context of one run (see the file comment), opaque to compiled code.
/// A failure of each kind is recorded once: the first one explains the later
/// ones.
struct xf_exec_context {
public:
  using BufferPool = exaforge::runtime::BufferPool;
  using DistContext = exaforge::runtime::DistContext;
  using Profiler = exaforge::runtime::Profiler;

  /// A context whose allocations `pool` serves (null: outside any pool) and
  /// whose collectives run through `dist` (null: a single-rank run).
  xf_exec_context(BufferPool *pool, DistContext *dist)
      : pool(pool), dist(dist) {}

  BufferPool *getPool() const { return pool; }
  DistContext *getDist() const { return dist; }
  /// The profiler recording the run, or null when it is not profiled (the
  /// one test xf_profile_begin and xf_profile_end make when off).
  Profiler *getProfiler() const { return profiler; }
  void setProfiler(Profiler *recorder) { profiler = recorder; }

  /// Records a failed run-time check (a constant string of the compiled
  /// code), a failed collective or a failed kernel, unless one of the same
  /// kind was recorded before.
  void recordCheckFailure(const char *message);
  void recordDistFailure(const std::string &message);
  void recordKernelFailure(const std::string &message);
  /// Records that an allocation of `bytes` for the ONNX node `node` ("" or
  /// null: unknown) failed while the run's other buffers held `heldBytes`,
  /// unless one failed before. Thread-safe: the threads of a parallel loop
  /// allocate at once.
  void recordOutOfMemory(uint64_t bytes, uint64_t heldBytes, const char *node);

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
  /// The message of the first failed allocation, or null. Read once the
  /// run's threads are done.
  const std::string *getOutOfMemory() const {
    return hasOutOfMemory ? &outOfMemory : nullptr;
  }

private:
  BufferPool *pool;
  DistContext *dist;
  Profiler *profiler = nullptr;
  const char *checkFailure = nullptr;
  std::string distFailure, kernelFailure;
  bool hasDistFailure = false, hasKernelFailure = false;
  /// Guards the out-of-memory record, written from any thread of the run.
  std::mutex outOfMemoryMutex;
  std::string outOfMemory;
  bool hasOutOfMemory = false;
};

namespace exaforge::runtime {

/// The runtime's name of the execution context.
using ExecContext = ::xf_exec_context;

} // namespace exaforge::runtime

#endif // EXAFORGE_RUNTIME_EXECCONTEXT_H
