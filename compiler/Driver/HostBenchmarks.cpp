//===- HostBenchmarks.cpp - Throughput measurements of this host ----------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "compiler/Driver/HostBenchmarks.h"

#include "oneapi/dnnl/dnnl.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

// The OpenMP API of libgomp, oneDNN's thread pool (declared as
// runtime/src/Session.cpp does: the compiler's omp.h needs -fopenmp).
extern "C" void omp_set_num_threads(int count);

using namespace exaforge;
using namespace exaforge::driver;

namespace {
using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// A reusable barrier for a fixed number of threads (std::barrier is
/// C++20).
class Barrier {
public:
  explicit Barrier(int count) : count(count) {}

  /// Blocks until all `count` threads have arrived.
  void arriveAndWait() {
    std::unique_lock<std::mutex> lock(mutex);
    int arrivedGeneration = generation;
    if (++arrived == count) {
      arrived = 0;
      ++generation;
      condition.notify_all();
      return;
    }
    condition.wait(lock, [&] { return generation != arrivedGeneration; });
  }

private:
  std::mutex mutex;
  std::condition_variable condition;
  const int count;
  int arrived = 0;
  int generation = 0;
};
} // namespace

mlir::FailureOr<Measurement>
exaforge::driver::measureGemmThroughput(int64_t size, int threads,
                                        double seconds, std::string &error) {
  threads = std::max(threads, 1);
  omp_set_num_threads(threads);
  std::vector<float> a(size * size, 1.0f), b(size * size, 0.5f),
      c(size * size, 0.0f);
  auto multiply = [&]() -> bool {
    return dnnl_sgemm('N', 'N', size, size, size, 1.0f, a.data(), size,
                      b.data(), size, 0.0f, c.data(), size) == dnnl_success;
  };
  // The first call creates oneDNN's threads and JIT kernels.
  if (!multiply()) {
    error = "dnnl_sgemm failed";
    return mlir::failure();
  }
  double best = 0;
  int runs = 0;
  Clock::time_point start = Clock::now();
  while (runs < 3 || secondsSince(start) < seconds) {
    Clock::time_point runStart = Clock::now();
    if (!multiply()) {
      error = "dnnl_sgemm failed";
      return mlir::failure();
    }
    double elapsed = secondsSince(runStart);
    best = runs == 0 ? elapsed : std::min(best, elapsed);
    ++runs;
  }
  Measurement result;
  result.perSecond = 2.0 * size * size * size / best;
  result.method = "dnnl_sgemm " + std::to_string(size) + "^3 on " +
                  std::to_string(threads) + " thread" +
                  (threads == 1 ? "" : "s") + ", best of " +
                  std::to_string(runs);
  return result;
}

Measurement exaforge::driver::measureTriadBandwidth(int64_t elements,
                                                    int threads,
                                                    double seconds) {
  threads = std::max(threads, 1);
  std::unique_ptr<double[]> a(new double[elements]), b(new double[elements]),
      c(new double[elements]);
  const double scalar = 3.0;
  int64_t chunk = (elements + threads - 1) / threads;
  // Each thread touches its own part first, so the pages are placed near it
  // (first touch); then all threads run the triads in lockstep, and thread 0
  // times each one between two barriers.
  Barrier sync(threads);
  double best = 0;
  int runs = 0;
  bool done = false;
  auto work = [&](int thread) {
    int64_t begin = std::min<int64_t>(elements, thread * chunk);
    int64_t end = std::min<int64_t>(elements, begin + chunk);
    for (int64_t i = begin; i < end; ++i) {
      a[i] = 0;
      b[i] = 1;
      c[i] = 2;
    }
    Clock::time_point start = Clock::now();
    while (true) {
      sync.arriveAndWait();
      Clock::time_point runStart = Clock::now();
      if (done)
        return;
      for (int64_t i = begin; i < end; ++i)
        a[i] = b[i] + scalar * c[i];
      sync.arriveAndWait();
      if (thread == 0) {
        double elapsed = secondsSince(runStart);
        best = runs == 0 ? elapsed : std::min(best, elapsed);
        ++runs;
        done = runs >= 3 && secondsSince(start) >= seconds;
      }
    }
  };
  std::vector<std::thread> pool;
  for (int thread = 1; thread < threads; ++thread)
    pool.emplace_back(work, thread);
  work(0);
  for (std::thread &thread : pool)
    thread.join();
  Measurement result;
  result.perSecond = 24.0 * elements / best;
  result.method = "triad over 3 x " + std::to_string(elements * 8 >> 20) +
                  " MiB on " + std::to_string(threads) + " threads, best of " +
                  std::to_string(runs);
  return result;
}
