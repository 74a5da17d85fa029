//===- OneDnnKernelsTest.cpp - Tests of the oneDNN kernels' edge cases ----===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Calls the kernels of kernels.h directly: a failure (a oneDNN error or a
// geometry the kernel refuses) is recorded in the run's context with the
// name of the ONNX node the call computes; empty outputs compute nothing,
// and a MatMul with K = 0 writes zeros (issue 14: a batch of 0 rows made
// oneDNN divide by zero).
//
//===----------------------------------------------------------------------===//

#include "exaforge/abi/kernels.h"
#include "runtime/src/ExecContext.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using exaforge::runtime::ExecContext;

namespace {
/// A dense row-major 2-D descriptor of `rows` x `cols` over `data`.
xf_memref_f32_2d_t describe2d(std::vector<float> &data, int64_t rows,
                              int64_t cols) {
  return {data.data(), data.data(), 0, {rows, cols}, {cols, 1}};
}

/// A dense NCHW descriptor of `sizes` over `data`.
xf_memref_f32_4d_t describe4d(std::vector<float> &data,
                              const int64_t (&sizes)[4]) {
  return {data.data(),
          data.data(),
          0,
          {sizes[0], sizes[1], sizes[2], sizes[3]},
          {sizes[1] * sizes[2] * sizes[3], sizes[2] * sizes[3], sizes[3], 1}};
}
} // namespace

TEST(OneDnnKernels, AFailedMatmulNamesTheNode) {
  // A is 2x3 but B is 4x5: oneDNN refuses the descriptor.
  std::vector<float> a(6, 1.0f), b(20, 1.0f), c(10, 0.0f);
  xf_memref_f32_2d_t aDesc = describe2d(a, 2, 3), bDesc = describe2d(b, 4, 5),
                     cDesc = describe2d(c, 2, 5);
  ExecContext context(nullptr, nullptr);
  _mlir_ciface_xf_kernel_matmul_f32(&context, /*site=*/900, "MatMul_3",
                                    /*flags=*/0, &aDesc, &bDesc, &cDesc);
  ASSERT_NE(context.getKernelFailure(), nullptr);
  EXPECT_EQ(context.getKernelFailure()->rfind("node 'MatMul_3': matmul: "
                                              "oneDNN error: ",
                                              0),
            0u)
      << *context.getKernelFailure();
}

TEST(OneDnnKernels, AFailedConvolutionNamesTheNode) {
  // A 1x1x4x4 input cannot give a 1x1x8x8 output with a 2x2 window and no
  // padding: the kernel refuses the geometry before oneDNN sees it.
  std::vector<float> x(16, 1.0f), w(4, 1.0f), y(64, 0.0f), bias;
  xf_memref_f32_4d_t xDesc = describe4d(x, {1, 1, 4, 4}),
                     wDesc = describe4d(w, {1, 1, 2, 2}),
                     yDesc = describe4d(y, {1, 1, 8, 8});
  xf_memref_f32_1d_t biasDesc = {bias.data(), bias.data(), 0, {0}, {1}};
  ExecContext context(nullptr, nullptr);
  _mlir_ciface_xf_kernel_conv2d_nchw_f32(
      &context, /*site=*/901, "Conv_5", /*flags=*/0, &xDesc, &wDesc,
      &biasDesc, &yDesc, 1, 1, 1, 1, 0, 0, 0, 0);
  ASSERT_NE(context.getKernelFailure(), nullptr);
  EXPECT_EQ(context.getKernelFailure()->rfind("node 'Conv_5': conv2d_nchw: ",
                                              0),
            0u)
      << *context.getKernelFailure();
}

TEST(OneDnnKernels, AFailureWithoutANodeNamesTheKernel) {
  std::vector<float> a(6, 1.0f), b(20, 1.0f), c(10, 0.0f);
  xf_memref_f32_2d_t aDesc = describe2d(a, 2, 3), bDesc = describe2d(b, 4, 5),
                     cDesc = describe2d(c, 2, 5);
  ExecContext context(nullptr, nullptr);
  _mlir_ciface_xf_kernel_matmul_f32(&context, /*site=*/902, "", /*flags=*/0,
                                    &aDesc, &bDesc, &cDesc);
  ASSERT_NE(context.getKernelFailure(), nullptr);
  EXPECT_EQ(context.getKernelFailure()->rfind("matmul: oneDNN error: ", 0), 0u)
      << *context.getKernelFailure();
}

TEST(OneDnnKernels, EmptyOutputsComputeNothing) {
  std::vector<float> a, b(8 * 8, 1.0f), c;
  xf_memref_f32_2d_t aDesc = describe2d(a, 0, 8), bDesc = describe2d(b, 8, 8),
                     cDesc = describe2d(c, 0, 8);
  std::vector<float> x, w(4, 1.0f), y, bias;
  xf_memref_f32_4d_t xDesc = describe4d(x, {0, 1, 4, 4}),
                     wDesc = describe4d(w, {1, 1, 2, 2}),
                     yDesc = describe4d(y, {0, 1, 3, 3}),
                     pooled = describe4d(y, {0, 1, 2, 2});
  xf_memref_f32_1d_t biasDesc = {bias.data(), bias.data(), 0, {0}, {1}};
  ExecContext context(nullptr, nullptr);
  _mlir_ciface_xf_kernel_matmul_f32(&context, 903, "MatMul_0", 0, &aDesc,
                                    &bDesc, &cDesc);
  _mlir_ciface_xf_kernel_conv2d_nchw_f32(&context, 904, "Conv_0", 0, &xDesc,
                                         &wDesc, &biasDesc, &yDesc, 1, 1, 1,
                                         1, 0, 0, 0, 0);
  _mlir_ciface_xf_kernel_max_pool2d_nchw_f32(&context, 905, "MaxPool_0", 0,
                                             &xDesc, &pooled, 2, 2, 2, 2, 1,
                                             1, 0, 0, 0, 0);
  EXPECT_EQ(context.getKernelFailure(), nullptr);
}

TEST(OneDnnKernels, AnEmptySumIsZero) {
  // K = 0 into a strided (transposed) 2x3 view of a buffer holding garbage.
  std::vector<float> a, b, c(6, 42.0f);
  xf_memref_f32_2d_t aDesc = describe2d(a, 2, 0), bDesc = describe2d(b, 0, 3);
  xf_memref_f32_2d_t cDesc = {c.data(), c.data(), 0, {2, 3}, {1, 2}};
  ExecContext context(nullptr, nullptr);
  _mlir_ciface_xf_kernel_matmul_f32(&context, 906, "MatMul_1", 0, &aDesc,
                                    &bDesc, &cDesc);
  EXPECT_EQ(context.getKernelFailure(), nullptr);
  EXPECT_EQ(c, std::vector<float>(6, 0.0f));
  // Accumulating an empty sum leaves the output as it was.
  std::vector<float> d(6, 42.0f);
  cDesc = describe2d(d, 2, 3);
  _mlir_ciface_xf_kernel_matmul_f32(&context, 907, "MatMul_2",
                                    XF_KERNEL_ACCUMULATE, &aDesc, &bDesc,
                                    &cDesc);
  EXPECT_EQ(d, std::vector<float>(6, 42.0f));
}
