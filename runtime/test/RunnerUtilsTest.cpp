//===- RunnerUtilsTest.cpp - MLIR runner functions of the runtime ---------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// memrefCopy (runtime/src/RunnerUtils.cpp) copies between memrefs of any
// strides, as upstream's libmlir_c_runner_utils does.
//
//===----------------------------------------------------------------------===//

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace {
/// A ranked memref descriptor of rank 2, as MLIR lays it out.
struct Descriptor2D {
  float *allocated;
  float *aligned;
  int64_t offset;
  int64_t sizes[2];
  int64_t strides[2];
};
/// An unranked memref: the rank and the ranked descriptor.
struct Unranked {
  int64_t rank;
  void *descriptor;
};
} // namespace

extern "C" void memrefCopy(int64_t elementSize, Unranked *source,
                           Unranked *target);

TEST(RunnerUtils, CopiesDenseMemRefs) {
  std::vector<float> from{1, 2, 3, 4, 5, 6}, to(6, 0);
  Descriptor2D source{from.data(), from.data(), 0, {2, 3}, {3, 1}};
  Descriptor2D target{to.data(), to.data(), 0, {2, 3}, {3, 1}};
  Unranked sourceRef{2, &source}, targetRef{2, &target};
  memrefCopy(sizeof(float), &sourceRef, &targetRef);
  EXPECT_EQ(to, from);
}

TEST(RunnerUtils, CopiesStridedViewsWithOffsets) {
  // The source is the transpose of a 3x2 matrix stored after one padding
  // element; the target is the 2x3 interior of a 2x4 buffer.
  std::vector<float> from{-1, 1, 2, 3, 4, 5, 6}, to(8, 0);
  Descriptor2D source{from.data(), from.data(), 1, {2, 3}, {1, 2}};
  Descriptor2D target{to.data(), to.data(), 1, {2, 3}, {4, 1}};
  Unranked sourceRef{2, &source}, targetRef{2, &target};
  memrefCopy(sizeof(float), &sourceRef, &targetRef);
  EXPECT_EQ(to, (std::vector<float>{0, 1, 3, 5, 0, 2, 4, 6}));
}
