//===- OutOfMemoryTest.cpp - Runs that cannot get their memory ------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// An allocation the system refuses never returns NULL into compiled code:
// it stops the run (runtime/src/EarlyExit.h). Checks that a session's run
// of outer-sum.onnxtext whose result needs 256 TiB fails with
// XF_STATUS_OUT_OF_MEMORY and its message, and that the same session then
// runs correctly; that a failure on a worker thread of xf_parallel_for is
// carried to the calling thread once every thread is done; and that compiled
// code run outside a session (no exit point) ends with the reason.
//
//===----------------------------------------------------------------------===//

#include "runtime/src/BufferPool.h"
#include "runtime/src/EarlyExit.h"
#include "runtime/src/ExecContext.h"

#include "exaforge/abi/allocation.h"
#include "exaforge/abi/parallel.h"
#include "exaforge/runtime/api.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

extern "C" {
// The OpenMP API of libgomp, which the runtime runs its threads on.
void omp_set_num_threads(int count);
int omp_get_max_threads(void);
int omp_get_thread_num(void);
}

using exaforge::runtime::BufferPool;
using exaforge::runtime::ExecContext;

namespace {
/// More bytes than a 47-bit user address space holds (256 TiB): refused on
/// every machine, whatever its overcommit policy.
constexpr int64_t kSide = int64_t(1) << 23;
constexpr uint64_t kHugeBytes = uint64_t(kSide) * kSide * sizeof(float);

/// The status message of a failed allocation of `bytes` for `node` while
/// `held` bytes were live (ExecContext::recordOutOfMemory).
std::string expectedMessage(const std::string &node, const std::string &bytes,
                            const std::string &gib,
                            const std::string &heldMib) {
  return "node '" + node +
         "': out of memory: the compiled model could not allocate a buffer "
         "of " +
         bytes + " bytes (" + gib + " GiB) while holding " + heldMib +
         " MiB in others; the run was stopped there";
}

/// Runs outer-sum.onnxtext on `a` (N x 1) and `b` (1 x M).
xf_status_t *runOuterSum(xf_session_t *session, std::vector<float> &a,
                         std::vector<float> &b, xf_tensor_t **output) {
  int64_t aShape[2] = {static_cast<int64_t>(a.size()), 1};
  int64_t bShape[2] = {1, static_cast<int64_t>(b.size())};
  xf_buffer_t inputs[2] = {
      {a.data(), a.size() * sizeof(float), XF_DTYPE_FLOAT32, 2, aShape},
      {b.data(), b.size() * sizeof(float), XF_DTYPE_FLOAT32, 2, bShape}};
  return xf_session_run(session, inputs, 2, output, 1);
}

TEST(OutOfMemory, ARunThatCannotAllocateFailsAndTheSessionRunsAgain) {
  xf_session_t *session = nullptr;
  ASSERT_EQ(
      xf_session_open(EXAFORGE_TEST_OUTER_SUM_ARTIFACT, nullptr, &session),
      nullptr);
  std::vector<float> hugeA(kSide, 1.0f), hugeB(kSide, 2.0f);
  xf_tensor_t *output = nullptr;
  xf_status_t *status = runOuterSum(session, hugeA, hugeB, &output);
  ASSERT_NE(status, nullptr) << "a 256 TiB result was allocated";
  EXPECT_EQ(xf_status_code(status), XF_STATUS_OUT_OF_MEMORY);
  EXPECT_EQ(
      xf_status_message(status),
      expectedMessage("Add_0", std::to_string(kHugeBytes), "262144.0", "0.0"));
  EXPECT_EQ(output, nullptr);
  xf_status_free(status);

  // The session is usable: a small run gives the right values, and the
  // pool holds none of the stopped run's memory.
  std::vector<float> a{1, 2}, b{10, 20, 30};
  ASSERT_EQ(runOuterSum(session, a, b, &output), nullptr);
  ASSERT_EQ(xf_tensor_rank(output), 2);
  EXPECT_EQ(xf_tensor_shape(output)[0], 2);
  EXPECT_EQ(xf_tensor_shape(output)[1], 3);
  const auto *values = static_cast<const float *>(xf_tensor_data(output));
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      EXPECT_EQ(values[i * 3 + j], a[i] + b[j]) << i << ", " << j;
  xf_tensor_free(output);
  xf_memory_stats_t stats;
  xf_session_memory_stats(session, &stats);
  EXPECT_LT(stats.reserved_bytes, 1u << 20);
  xf_session_close(session);
}

/// Sets the OpenMP thread count for one test and restores it after.
class OutOfMemoryInParallelLoop : public ::testing::Test {
protected:
  void SetUp() override { savedThreads = omp_get_max_threads(); }
  void TearDown() override { omp_set_num_threads(savedThreads); }
  int savedThreads = 1;
};

/// A loop whose thread 1 asks for an impossible buffer.
struct FailingLoop {
  ExecContext *run;
  std::atomic<int64_t> iterationsDone{0};
  std::atomic<bool> failingThreadReturned{false};

  static void body(void *context, int64_t begin, int64_t end) {
    auto &loop = *static_cast<FailingLoop *>(context);
    if (omp_get_thread_num() == 1) {
      xf_alloc(loop.run, kHugeBytes, 0, "Loop_0");
      loop.failingThreadReturned = true; // never: xf_alloc does not return
    }
    loop.iterationsDone += end - begin;
  }

  /// Runs the loop of 4 shares of 100 iterations on 4 threads.
  static void runLoop(void *context) {
    xf_parallel_for(body, context, 0, 400, XF_PARALLEL_MIN_COST_PER_THREAD);
  }
};

TEST_F(OutOfMemoryInParallelLoop, AWorkerThreadsFailureLeavesFromTheCaller) {
  omp_set_num_threads(4);
  BufferPool pool;
  ExecContext run(&pool, nullptr);
  pool.beginRun();
  // 3 MiB live in another buffer, named in the message.
  ASSERT_NE(xf_alloc(&run, 3 << 20, 0, "Other_0"), nullptr);
  FailingLoop loop;
  loop.run = &run;
  EXPECT_FALSE(
      exaforge::runtime::runWithEarlyExit(FailingLoop::runLoop, &loop));
  // The other three threads finished their shares before the caller left.
  EXPECT_EQ(loop.iterationsDone, 300);
  EXPECT_FALSE(loop.failingThreadReturned);
  ASSERT_NE(run.getOutOfMemory(), nullptr);
  EXPECT_EQ(
      *run.getOutOfMemory(),
      expectedMessage("Loop_0", std::to_string(kHugeBytes), "262144.0", "3.0"));
  EXPECT_FALSE(exaforge::runtime::canExitEarly());
  pool.endRun();
}

TEST_F(OutOfMemoryInParallelLoop, ALoopThatSucceedsReturnsNormally) {
  omp_set_num_threads(4);
  BufferPool pool;
  ExecContext run(&pool, nullptr);
  auto body = [](void *context, int64_t begin, int64_t end) {
    auto &count = *static_cast<std::atomic<int64_t> *>(context);
    count += end - begin;
  };
  std::atomic<int64_t> count{0};
  struct Call {
    xf_loop_body_t body;
    std::atomic<int64_t> *count;
  } call{body, &count};
  EXPECT_TRUE(exaforge::runtime::runWithEarlyExit(
      [](void *data) {
        auto &call = *static_cast<Call *>(data);
        xf_parallel_for(call.body, call.count, 0, 400,
                        XF_PARALLEL_MIN_COST_PER_THREAD);
      },
      &call));
  EXPECT_EQ(count, 400);
  EXPECT_EQ(run.getOutOfMemory(), nullptr);
}

TEST(OutOfMemory, ATensorThatCannotBeAllocatedIsOutOfMemory) {
  // The tensors the multi-rank transport allocates for the inputs and the
  // gathered outputs (runtime/mpi/MpiSession.cpp) come from here.
  int64_t shape[2] = {kSide, kSide};
  xf_tensor_t *tensor = nullptr;
  xf_status_t *status = xf_tensor_create(XF_DTYPE_FLOAT32, 2, shape, &tensor);
  ASSERT_NE(status, nullptr) << "a 256 TiB tensor was allocated";
  EXPECT_EQ(xf_status_code(status), XF_STATUS_OUT_OF_MEMORY);
  EXPECT_EQ(std::string(xf_status_message(status)),
            "xf_tensor_create: out of memory for " +
                std::to_string(kHugeBytes) + " bytes");
  EXPECT_EQ(tensor, nullptr);
  xf_status_free(status);
}

TEST(OutOfMemoryDeathTest, CompiledCodeOutsideASessionEndsWithTheReason) {
  // A standalone context (compiled code run by mlir-runner) has no exit
  // point: xf_alloc cannot return NULL, so the process ends with the reason
  // (without a node name when the code knows none).
  EXPECT_DEATH(
      {
        xf_exec_context *context = xf_exec_context_create();
        xf_alloc(context, kHugeBytes, 0, nullptr);
      },
      "exaforge runtime: out of memory: the compiled model could not "
      "allocate a buffer of [0-9]+ bytes");
}
} // namespace
