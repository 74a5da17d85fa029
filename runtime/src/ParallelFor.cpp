//===- ParallelFor.cpp - Parallel loops of compiled models ----------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements xf_parallel_for (parallel.h) on the GNU OpenMP runtime, through
// its documented entry points rather than `#pragma omp`: this file is then
// compiled the same way by GCC and Clang (Clang's -fopenmp would link LLVM's
// libomp, a second thread pool next to the one oneDNN uses).
//
// A loop body that runs out of memory leaves it (EarlyExit.h), but a jump
// must not cross threads: each thread runs its share under an exit point of
// its own and marks the loop failed when it leaves; once the region has
// joined, the calling thread leaves to its own exit point.
//
//===----------------------------------------------------------------------===//

#include "exaforge/abi/parallel.h"

#include "EarlyExit.h"

#include <algorithm>
#include <atomic>

extern "C" {
// The OpenMP API (omp.h) of libgomp.
int omp_get_max_threads(void);
int omp_get_thread_num(void);
int omp_get_num_threads(void);
int omp_in_parallel(void);
// The entry point GCC compiles `#pragma omp parallel num_threads(n)` to: runs
// fn(data) on n threads, the calling one included, and joins them.
void GOMP_parallel(void (*fn)(void *), void *data, unsigned numThreads,
                   unsigned flags);
}

namespace {

/// What each thread of the parallel region needs.
struct LoopShare {
  xf_loop_body_t body;
  void *context;
  int64_t begin;
  int64_t count;
  /// Whether the calling thread has an exit point to leave to; without one
  /// (compiled code run outside a session) the threads set none either.
  bool canExitEarly;
  /// Set by a thread whose share left the compiled code (EarlyExit.h).
  std::atomic<bool> failed{false};
};

/// One thread's iterations [first, last) of a loop.
struct ThreadShare {
  const LoopShare *loop;
  int64_t first, last;
};

/// Runs the iterations of a ThreadShare.
void runIterations(void *data) {
  const ThreadShare &share = *static_cast<const ThreadShare *>(data);
  share.loop->body(share.loop->context, share.first, share.last);
}

/// Runs this thread's contiguous share of the iterations, under an exit
/// point of this thread when the calling thread has one.
void runShare(void *data) {
  auto &loop = *static_cast<LoopShare *>(data);
  int64_t thread = omp_get_thread_num();
  int64_t threads = omp_get_num_threads();
  ThreadShare share{&loop, loop.begin + loop.count * thread / threads,
                    loop.begin + loop.count * (thread + 1) / threads};
  if (share.first >= share.last)
    return;
  if (!loop.canExitEarly)
    runIterations(&share);
  else if (!exaforge::runtime::runWithEarlyExit(runIterations, &share))
    loop.failed.store(true, std::memory_order_relaxed);
}

} // namespace

extern "C" __attribute__((visibility("default"))) void
xf_parallel_for(xf_loop_body_t body, void *context, int64_t begin, int64_t end,
                int64_t cost) {
  int64_t count = end - begin;
  if (count <= 0)
    return;
  int64_t threads = omp_in_parallel() ? 1 : omp_get_max_threads();
  threads = std::min(threads, count);
  int64_t work = std::max<int64_t>(cost, 1);
  // Total work in units of the minimum per thread, without overflowing.
  int64_t units = work >= XF_PARALLEL_MIN_COST_PER_THREAD
                      ? count * (work / XF_PARALLEL_MIN_COST_PER_THREAD)
                      : count / (XF_PARALLEL_MIN_COST_PER_THREAD / work);
  threads = std::min(threads, std::max<int64_t>(units, 1));
  if (threads <= 1) {
    body(context, begin, end);
    return;
  }
  LoopShare loop{body, context, begin, count,
                 exaforge::runtime::canExitEarly()};
  GOMP_parallel(runShare, &loop, static_cast<unsigned>(threads), 0);
  // Every thread is done (GOMP_parallel joins them): leave from this one.
  if (loop.failed.load(std::memory_order_relaxed))
    exaforge::runtime::exitEarly();
}
