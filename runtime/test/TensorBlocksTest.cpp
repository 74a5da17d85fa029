//===- TensorBlocksTest.cpp - The parts of split tensors ------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Tests the geometry the MPI run scatters inputs and gathers outputs with
// (runtime/mpi/TensorBlocks.h): uneven parts, dimensions split over several
// mesh axes, and box copies between tensors.
//
//===----------------------------------------------------------------------===//

#include "runtime/mpi/TensorBlocks.h"

#include <gtest/gtest.h>

#include <numeric>

using namespace exaforge::runtime::mpi;

namespace {

TEST(TensorBlocksTest, UnevenPartsPutTheRemainderFirst) {
  // 5 rows over 4 ranks: 2, 1, 1, 1.
  std::vector<int64_t> offsets, sizes;
  for (int64_t i = 0; i < 4; ++i) {
    offsets.push_back(getPartOffset(5, 4, i));
    sizes.push_back(getPartSize(5, 4, i));
  }
  EXPECT_EQ(offsets, (std::vector<int64_t>{0, 2, 3, 4}));
  EXPECT_EQ(sizes, (std::vector<int64_t>{2, 1, 1, 1}));
}

TEST(TensorBlocksTest, PartsFollowTheMeshOrderOfTheirAxes) {
  // Mesh dp=2 x tp=3; a dimension split over both has 6 parts, numbered
  // row-major by (dp, tp); one split over tp alone has 3.
  std::vector<int64_t> mesh{2, 3};
  uint64_t both = 0b11, tpOnly = 0b10;
  EXPECT_EQ(getNumParts(both, mesh), 6);
  EXPECT_EQ(getNumParts(tpOnly, mesh), 3);
  EXPECT_EQ(getPartIndex(both, mesh, {1, 2}), 5);
  EXPECT_EQ(getPartIndex(both, mesh, {1, 0}), 3);
  EXPECT_EQ(getPartIndex(tpOnly, mesh, {1, 2}), 2);
  EXPECT_EQ(getPartIndex(0, mesh, {1, 2}), 0);
}

TEST(TensorBlocksTest, BlockOfATensorSplitOnTwoDimensions) {
  // A 7x8 tensor: rows over dp (2 parts), columns over tp (3 parts) -- but
  // 8 columns do not divide by 3: 3, 3, 2.
  std::vector<int64_t> mesh{2, 3};
  Block block = getBlock({7, 8}, {0b01, 0b10}, mesh, {1, 2});
  EXPECT_EQ(block.offsets, (std::vector<int64_t>{4, 6}));
  EXPECT_EQ(block.sizes, (std::vector<int64_t>{3, 2}));
  Block replicated = getBlock({7, 8}, {}, mesh, {1, 2});
  EXPECT_EQ(replicated.offsets, (std::vector<int64_t>{0, 0}));
  EXPECT_EQ(replicated.sizes, (std::vector<int64_t>{7, 8}));
}

TEST(TensorBlocksTest, CopyBoxExtractsAndInsertsBlocks) {
  std::vector<int32_t> whole(4 * 5);
  std::iota(whole.begin(), whole.end(), 0);
  // Extract rows 1..2, columns 2..4.
  std::vector<int32_t> block(2 * 3, -1);
  copyBox(whole.data(), {4, 5}, {1, 2}, block.data(), {2, 3}, {0, 0}, {2, 3},
          sizeof(int32_t));
  EXPECT_EQ(block, (std::vector<int32_t>{7, 8, 9, 12, 13, 14}));
  // Put it back into an empty tensor at the same place.
  std::vector<int32_t> rebuilt(4 * 5, 0);
  copyBox(block.data(), {2, 3}, {0, 0}, rebuilt.data(), {4, 5}, {1, 2}, {2, 3},
          sizeof(int32_t));
  for (int64_t row = 0; row < 4; ++row)
    for (int64_t column = 0; column < 5; ++column) {
      bool inside = row >= 1 && row <= 2 && column >= 2;
      EXPECT_EQ(rebuilt[row * 5 + column], inside ? whole[row * 5 + column] : 0)
          << row << "," << column;
    }
}

TEST(TensorBlocksTest, CopyBoxHandlesScalarsAndEmptyBoxes) {
  float scalar = 3.5f, target = 0.0f;
  copyBox(&scalar, {}, {}, &target, {}, {}, {}, sizeof(float));
  EXPECT_EQ(target, 3.5f);
  std::vector<float> untouched(6, 1.0f);
  copyBox(&scalar, {0, 3}, {0, 0}, untouched.data(), {2, 3}, {0, 0}, {0, 3},
          sizeof(float));
  EXPECT_EQ(untouched, std::vector<float>(6, 1.0f));
}

} // namespace
