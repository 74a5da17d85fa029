//===- CudaMatmulPlanTest.cpp - Strided matmuls as column-major calls -----===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// planMatmul (runtime/src/cuda/MatmulPlan.h) on every orientation of A, B
// and C: the plan, executed by a column-major reference GEMM as cuBLASLt
// defines it, gives the row-major reference product; a view strided in
// both dimensions has no plan.
//
//===----------------------------------------------------------------------===//

#include "runtime/src/cuda/MatmulPlan.h"

#include <gtest/gtest.h>

#include <vector>

namespace {
using namespace exaforge::runtime::cuda;

/// Element (i, j) of op(X), X column-major with leading dimension `ld`.
float element(const float *x, const BlasOperand &operand, int64_t i,
              int64_t j) {
  return operand.transpose ? x[j + i * operand.ld] : x[i + j * operand.ld];
}

/// A matrix stored row-major (`rowMajor`) or column-major.
struct Stored {
  std::vector<float> data;
  MatrixView view;
};

Stored store(int64_t rows, int64_t cols, bool rowMajor, float seed) {
  Stored stored{std::vector<float>(rows * cols),
                rowMajor ? MatrixView{rows, cols, cols, 1}
                         : MatrixView{rows, cols, 1, rows}};
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      stored.data[i * stored.view.rowStride + j * stored.view.colStride] =
          seed + 0.25f * float(i) - 0.5f * float(j) + 0.125f * float(i * j);
  return stored;
}

TEST(CudaMatmulPlan, EveryOrientationGivesTheProduct) {
  const int64_t m = 3, n = 5, k = 4;
  for (int orientation = 0; orientation < 8; ++orientation) {
    Stored a = store(m, k, orientation & 1, 0.5f);
    Stored b = store(k, n, orientation & 2, -1.0f);
    Stored c = store(m, n, orientation & 4, 0.0f);
    std::optional<MatmulPlan> plan = planMatmul(a.view, b.view, c.view);
    ASSERT_TRUE(plan) << "orientation " << orientation;
    const Stored &first = plan->swapped ? b : a;
    const Stored &second = plan->swapped ? a : b;
    int64_t inner = plan->first.transpose ? plan->first.rows : plan->first.cols;
    ASSERT_EQ(inner, k);
    for (int64_t i = 0; i < plan->rows; ++i)
      for (int64_t j = 0; j < plan->cols; ++j) {
        float sum = 0;
        for (int64_t p = 0; p < k; ++p)
          sum += element(first.data.data(), plan->first, i, p) *
                 element(second.data.data(), plan->second, p, j);
        c.data[i + j * plan->ld] = sum;
      }
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        float want = 0;
        for (int64_t p = 0; p < k; ++p)
          want += a.data[i * a.view.rowStride + p * a.view.colStride] *
                  b.data[p * b.view.rowStride + j * b.view.colStride];
        EXPECT_FLOAT_EQ(c.data[i * c.view.rowStride + j * c.view.colStride],
                        want)
            << "orientation " << orientation << " at " << i << "," << j;
      }
  }
}

TEST(CudaMatmulPlan, AViewStridedInBothDimensionsHasNoPlan) {
  MatrixView a{3, 4, 8, 2}, b{4, 5, 5, 1}, c{3, 5, 5, 1};
  EXPECT_FALSE(planMatmul(a, b, c));
}

TEST(CudaMatmulPlan, SingleRowsAndColumnsTakeAnyStride) {
  // A 1 x k row and a k x 1 column: the stride of the size-1 dimension is
  // irrelevant, and leading dimensions stay valid.
  MatrixView a{1, 4, 999, 1}, b{4, 1, 1, 777}, c{1, 1, 123, 456};
  std::optional<MatmulPlan> plan = planMatmul(a, b, c);
  ASSERT_TRUE(plan);
  EXPECT_GE(plan->first.ld, plan->first.rows);
  EXPECT_GE(plan->second.ld, plan->second.rows);
  EXPECT_GE(plan->ld, plan->rows);
}
} // namespace
