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
//===----------------------------------------------------------------------===//

#include "exaforge/abi/parallel.h"

#include <algorithm>

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
};

/// Runs this thread's contiguous share of the iterations.
void runShare(void *data) {
  const LoopShare &loop = *static_cast<const LoopShare *>(data);
  int64_t thread = omp_get_thread_num();
  int64_t threads = omp_get_num_threads();
  int64_t first = loop.begin + loop.count * thread / threads;
  int64_t last = loop.begin + loop.count * (thread + 1) / threads;
  if (first < last)
    loop.body(loop.context, first, last);
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
  LoopShare loop{body, context, begin, count};
  GOMP_parallel(runShare, &loop, static_cast<unsigned>(threads), 0);
}
