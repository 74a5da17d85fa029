//===- HostBlockCacheTest.cpp - Output blocks kept for the next run -------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The cache of runtime/src/HostBlockCache.h: it hands back a kept block of
// exactly the size asked for (the newest first), frees blocks too small or
// too large to keep, and drops the oldest beyond its limits. Through the C
// API: a run whose output (2 MiB, outer-sum.onnxtext) was dropped gives the
// next run's output the same block, with the next run's values.
//
//===----------------------------------------------------------------------===//

#include "runtime/src/HostBlockCache.h"

#include "exaforge/runtime/api.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <vector>

using exaforge::runtime::HostBlockCache;

namespace {
constexpr size_t kMiB = size_t(1) << 20;

void *allocate(size_t bytes) { return std::aligned_alloc(64, bytes); }
} // namespace

TEST(HostBlockCache, HandsBackAKeptBlockOfExactlyTheSizeAskedFor) {
  HostBlockCache cache;
  void *block = allocate(2 * kMiB);
  cache.give(block, 2 * kMiB);
  EXPECT_EQ(cache.getKeptBytes(), 2 * kMiB);
  EXPECT_EQ(cache.take(2 * kMiB + 4096, 64), nullptr);
  EXPECT_EQ(cache.take(kMiB, 64), nullptr);
  EXPECT_EQ(cache.take(2 * kMiB, 64), block);
  EXPECT_EQ(cache.take(2 * kMiB, 64), nullptr);
  EXPECT_EQ(cache.getKeptBytes(), 0u);
  std::free(block);
}

TEST(HostBlockCache, FreesBlocksTooSmallOrTooLargeToKeep) {
  HostBlockCache cache;
  cache.give(allocate(64 * 1024), 64 * 1024);
  EXPECT_EQ(cache.getKeptBytes(), 0u);
  EXPECT_EQ(cache.take(64 * 1024, 64), nullptr);
  size_t tooLarge = HostBlockCache::kMaxBytes + 4096;
  cache.give(allocate(tooLarge), tooLarge);
  EXPECT_EQ(cache.getKeptBytes(), 0u);
}

TEST(HostBlockCache, DropsTheOldestBlocksBeyondItsLimits) {
  HostBlockCache cache;
  std::vector<void *> given;
  for (size_t i = 0; i <= HostBlockCache::kMaxBlocks; ++i) {
    given.push_back(allocate(kMiB));
    cache.give(given.back(), kMiB);
  }
  EXPECT_EQ(cache.getKeptBytes(), HostBlockCache::kMaxBlocks * kMiB);
  // The newest first; the first block given was dropped.
  for (size_t i = given.size() - 1; i >= 1; --i) {
    void *taken = cache.take(kMiB, 64);
    EXPECT_EQ(taken, given[i]) << "block " << i;
    std::free(taken);
  }
  EXPECT_EQ(cache.take(kMiB, 64), nullptr);

  // A block that would exceed kMaxBytes drops the oldest ones first.
  size_t large = HostBlockCache::kMaxBytes / 2 + 4096;
  void *first = allocate(large), *second = allocate(large);
  cache.give(first, large);
  cache.give(second, large);
  EXPECT_EQ(cache.getKeptBytes(), large);
  EXPECT_EQ(cache.take(large, 64), second);
  std::free(second);
}

TEST(HostBlockCache, ADroppedOutputsBlockServesTheNextRun) {
  xf_session_t *session = nullptr;
  ASSERT_EQ(
      xf_session_open(EXAFORGE_TEST_OUTER_SUM_ARTIFACT, nullptr, &session),
      nullptr);
  // y[i][j] = a[i] + b[j]: 1024 x 512 floats, 2 MiB.
  std::vector<float> a(1024), b(512);
  int64_t aShape[2] = {1024, 1}, bShape[2] = {1, 512};
  xf_buffer_t inputs[2] = {
      {a.data(), a.size() * sizeof(float), XF_DTYPE_FLOAT32, 2, aShape},
      {b.data(), b.size() * sizeof(float), XF_DTYPE_FLOAT32, 2, bShape}};
  void *previous = nullptr;
  for (int run = 0; run < 3; ++run) {
    for (size_t i = 0; i < a.size(); ++i)
      a[i] = float(run * 1000 + i);
    for (size_t j = 0; j < b.size(); ++j)
      b[j] = 0.5f * float(j);
    xf_tensor_t *output = nullptr;
    ASSERT_EQ(xf_session_run(session, inputs, 2, &output, 1), nullptr);
    const float *y = static_cast<const float *>(xf_tensor_data(output));
    for (size_t i = 0; i < a.size(); i += 97)
      for (size_t j = 0; j < b.size(); j += 31)
        ASSERT_EQ(y[i * b.size() + j], a[i] + b[j])
            << "run " << run << " at " << i << ", " << j;
    if (previous)
      EXPECT_EQ(xf_tensor_data(output), previous) << "run " << run;
    previous = xf_tensor_data(output);
    xf_tensor_free(output);
  }
  xf_session_close(session);
}
