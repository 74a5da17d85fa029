//===- ParallelForTest.cpp - Tests of xf_parallel_for ---------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Checks that xf_parallel_for (parallel.h), which compiled models call for
// their outlined parallel loops, runs every iteration exactly once, shares
// the work among the OpenMP thread count it is given, keeps small loops and
// nested calls on the calling thread, and does nothing for an empty range.
//
//===----------------------------------------------------------------------===//

#include "exaforge/abi/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <utility>
#include <vector>

extern "C" {
// The OpenMP API of libgomp, which the runtime runs its threads on.
void omp_set_num_threads(int count);
int omp_get_max_threads(void);
int omp_get_thread_num(void);
int omp_in_parallel(void);
}

namespace {

/// What the test bodies record of their calls.
struct Recorder {
  std::vector<std::atomic<int>> visits;
  std::mutex mutex;
  std::set<int> threads;
  std::vector<std::pair<int64_t, int64_t>> chunks;
  bool sawParallelRegion = false;

  explicit Recorder(int64_t count) : visits(count) {}

  static void body(void *context, int64_t begin, int64_t end) {
    auto &recorder = *static_cast<Recorder *>(context);
    for (int64_t i = begin; i < end; ++i)
      ++recorder.visits[i];
    std::lock_guard<std::mutex> lock(recorder.mutex);
    recorder.threads.insert(omp_get_thread_num());
    recorder.chunks.emplace_back(begin, end);
    recorder.sawParallelRegion |= omp_in_parallel() != 0;
  }

  /// Whether every iteration in [begin, end) ran once and no other.
  bool eachRanOnce(int64_t begin, int64_t end) const {
    for (int64_t i = 0; i < static_cast<int64_t>(visits.size()); ++i)
      if (visits[i] != (i >= begin && i < end ? 1 : 0))
        return false;
    return true;
  }
};

/// Sets the OpenMP thread count for one test and restores it after.
class ParallelForTest : public ::testing::Test {
protected:
  void SetUp() override { savedThreads = omp_get_max_threads(); }
  void TearDown() override { omp_set_num_threads(savedThreads); }
  int savedThreads = 1;
};

/// A cost per iteration large enough for every thread.
constexpr int64_t kLargeCost = XF_PARALLEL_MIN_COST_PER_THREAD;

TEST_F(ParallelForTest, RunsEveryIterationOnceOnEveryThread) {
  omp_set_num_threads(4);
  Recorder recorder(1000);
  xf_parallel_for(Recorder::body, &recorder, 3, 997, kLargeCost);
  EXPECT_TRUE(recorder.eachRanOnce(3, 997));
  EXPECT_EQ(recorder.threads, (std::set<int>{0, 1, 2, 3}));
  EXPECT_EQ(recorder.chunks.size(), 4u);
  EXPECT_TRUE(recorder.sawParallelRegion);
}

TEST_F(ParallelForTest, HonoursTheThreadCount) {
  omp_set_num_threads(3);
  Recorder recorder(100);
  xf_parallel_for(Recorder::body, &recorder, 0, 100, kLargeCost);
  EXPECT_TRUE(recorder.eachRanOnce(0, 100));
  EXPECT_EQ(recorder.threads.size(), 3u);
}

TEST_F(ParallelForTest, UsesNoMoreThreadsThanIterations) {
  omp_set_num_threads(4);
  Recorder recorder(2);
  xf_parallel_for(Recorder::body, &recorder, 0, 2, kLargeCost);
  EXPECT_TRUE(recorder.eachRanOnce(0, 2));
  EXPECT_EQ(recorder.chunks.size(), 2u);
}

TEST_F(ParallelForTest, RunsSmallLoopsOnTheCallingThread) {
  omp_set_num_threads(4);
  Recorder recorder(1000);
  // 1000 iterations of 8 operations: less work than one thread's minimum.
  xf_parallel_for(Recorder::body, &recorder, 0, 1000, 8);
  EXPECT_TRUE(recorder.eachRanOnce(0, 1000));
  ASSERT_EQ(recorder.chunks.size(), 1u);
  EXPECT_EQ(recorder.chunks[0].first, 0);
  EXPECT_EQ(recorder.chunks[0].second, 1000);
  EXPECT_FALSE(recorder.sawParallelRegion);
}

TEST_F(ParallelForTest, SplitsByTotalWork) {
  omp_set_num_threads(4);
  Recorder recorder(64);
  // Exactly two threads' worth of work.
  xf_parallel_for(Recorder::body, &recorder, 0, 64,
                  2 * XF_PARALLEL_MIN_COST_PER_THREAD / 64);
  EXPECT_TRUE(recorder.eachRanOnce(0, 64));
  EXPECT_EQ(recorder.chunks.size(), 2u);
}

TEST_F(ParallelForTest, RunsNestedCallsSerially) {
  omp_set_num_threads(2);
  struct Outer {
    Recorder inner{100};
    std::atomic<int> calls{0};
    static void body(void *context, int64_t, int64_t) {
      auto &outer = *static_cast<Outer *>(context);
      ++outer.calls;
      Recorder local(100);
      xf_parallel_for(Recorder::body, &local, 0, 100, kLargeCost);
      // The nested loop runs whole, in one chunk, on this thread.
      EXPECT_TRUE(local.eachRanOnce(0, 100));
      EXPECT_EQ(local.chunks.size(), 1u);
    }
  } outer;
  xf_parallel_for(Outer::body, &outer, 0, 2, kLargeCost);
  EXPECT_EQ(outer.calls, 2);
}

TEST_F(ParallelForTest, DoesNothingForAnEmptyRange) {
  Recorder recorder(10);
  xf_parallel_for(Recorder::body, &recorder, 5, 5, kLargeCost);
  xf_parallel_for(Recorder::body, &recorder, 7, 2, kLargeCost);
  EXPECT_TRUE(recorder.chunks.empty());
}

} // namespace
