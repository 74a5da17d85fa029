//===- ExecContextTest.cpp - Failures recorded in a run's context ---------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The functions compiled code calls record their failures in the execution
// context they receive (runtime/src/ExecContext.h): the first of each kind
// is kept, and the kinds do not mix. Allocations come from the buffer pool
// of the context they receive, whatever the thread.
//
//===----------------------------------------------------------------------===//

#include "runtime/src/BufferPool.h"
#include "runtime/src/ExecContext.h"

#include "exaforge/abi/allocation.h"
#include "exaforge/abi/checks.h"
#include "exaforge/abi/collectives.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <thread>
#include <vector>

using exaforge::runtime::BufferPool;
using exaforge::runtime::ExecContext;

namespace {
/// Whether `ptr` is aligned to `alignment` bytes.
bool isAligned(void *ptr, uintptr_t alignment) {
  return reinterpret_cast<uintptr_t>(ptr) % alignment == 0;
}
} // namespace

TEST(ExecContext, AllocationsComeFromTheContextsPool) {
  BufferPool pool, otherPool;
  ExecContext run(&pool, nullptr), otherRun(&otherPool, nullptr);
  pool.beginRun();
  void *buffer = xf_alloc(&run, 100, 0, "");
  ASSERT_NE(buffer, nullptr);
  EXPECT_TRUE(isAligned(buffer, 64));
  EXPECT_TRUE(pool.owns(buffer));
  EXPECT_FALSE(otherPool.owns(buffer));
  void *wide = xf_alloc(&run, 100, 4096, "");
  ASSERT_NE(wide, nullptr);
  EXPECT_TRUE(isAligned(wide, 4096));
  // A freed buffer goes back to its pool and serves the next request.
  xf_free(&run, buffer);
  EXPECT_FALSE(pool.owns(buffer));
  EXPECT_EQ(xf_alloc(&run, 90, 0, ""), buffer);
  xf_free(&run, wide);
  xf_free(&run, nullptr);
  pool.endRun();
  EXPECT_EQ(pool.getPeakLiveBytes(), 128u + 128u);
}

TEST(ExecContext, StandaloneContextsAllocateOutsideAnyPool) {
  xf_exec_context *context = xf_exec_context_create();
  void *buffer = xf_alloc(context, 1 << 20, 0, "");
  ASSERT_NE(buffer, nullptr);
  EXPECT_TRUE(isAligned(buffer, 64));
  static_cast<char *>(buffer)[(1 << 20) - 1] = 1;
  xf_free(context, buffer);
  xf_exec_context_destroy(context);
}

TEST(ExecContext, ThreadsOfOneRunShareItsPool) {
  // The outlined bodies of a run's parallel loops allocate from the run's
  // pool on every thread at once.
  BufferPool pool;
  ExecContext run(&pool, nullptr);
  pool.beginRun();
  std::vector<std::thread> threads;
  std::vector<std::string> failures(4);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        size_t size = 64 * (1 + (t + i) % 5);
        auto *bytes = static_cast<unsigned char *>(xf_alloc(&run, size, 0, ""));
        if (!bytes || !pool.owns(bytes)) {
          failures[t] = "not a buffer of the pool";
          return;
        }
        for (size_t b = 0; b < size; ++b)
          bytes[b] = static_cast<unsigned char>(t);
        for (size_t b = 0; b < size; ++b)
          if (bytes[b] != t) {
            failures[t] = "a buffer was handed to two threads";
            return;
          }
        xf_free(&run, bytes);
      }
    });
  for (std::thread &thread : threads)
    thread.join();
  for (const std::string &failure : failures)
    EXPECT_EQ(failure, "");
  pool.endRun();
  EXPECT_LE(pool.getPeakLiveBytes(), 4u * 5u * 64u);
}

TEST(ExecContext, KeepsTheFirstFailureOfEachKind) {
  ExecContext context(nullptr, nullptr);
  EXPECT_EQ(context.getDistFailure(), nullptr);
  EXPECT_EQ(context.getKernelFailure(), nullptr);
  context.recordKernelFailure("kernel 1");
  context.recordKernelFailure("kernel 2");
  context.recordDistFailure("dist 1");
  context.recordDistFailure("dist 2");
  ASSERT_NE(context.getKernelFailure(), nullptr);
  EXPECT_EQ(*context.getKernelFailure(), "kernel 1");
  ASSERT_NE(context.getDistFailure(), nullptr);
  EXPECT_EQ(*context.getDistFailure(), "dist 1");
  EXPECT_EQ(context.getCheckFailure(), nullptr);
}

TEST(ExecContext, CollectivesWithoutRanksFailTheRun) {
  ExecContext context(nullptr, nullptr);
  EXPECT_EQ(xf_dist_axis_index(&context, 0), 0);
  ASSERT_NE(context.getDistFailure(), nullptr);
  EXPECT_EQ(*context.getDistFailure(),
            "axis_index: the model communicates with other ranks, but the "
            "session has no communicator");
  EXPECT_EQ(context.getCheckFailure(), nullptr);
}

TEST(ExecContext, StandaloneContextsAreSeparate) {
  xf_exec_context *first = xf_exec_context_create();
  xf_exec_context *second = xf_exec_context_create();
  ASSERT_NE(first, nullptr);
  ASSERT_NE(first, second);
  EXPECT_EQ(first->getPool(), nullptr);
  EXPECT_EQ(first->getDist(), nullptr);
  xf_check_failed(first, "first");
  EXPECT_EQ(xf_checks_take_failure(second), nullptr);
  EXPECT_STREQ(xf_checks_take_failure(first), "first");
  xf_exec_context_destroy(first);
  xf_exec_context_destroy(second);
}
