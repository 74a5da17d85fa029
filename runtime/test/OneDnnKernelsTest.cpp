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
// oneDNN divide by zero), or its bias. Matmuls with a bias and ReLU
// epilogue (a strided bias, a residual, batches) match a naive reference.
// Grouped and depthwise convolutions, with their ReLU, swish and HardSwish,
// match a naive reference; the ReLU keeps NaN and writes +0 for negative values
// and -0. Repeated calls of one site, on two threads, read and write each
// call's buffers, also through the reorders around a convolution (the
// kernels prepare oneDNN memory objects per thread and call key), and
// forgotten constant weights are packed again.
//
//===----------------------------------------------------------------------===//

#include "exaforge/abi/kernels.h"
#include "runtime/src/ExecContext.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <thread>
#include <utility>
#include <vector>

using exaforge::runtime::ExecContext;

namespace {
/// A dense row-major 2-D descriptor of `rows` x `cols` over `data`.
xf_memref_f32_2d_t describe2d(std::vector<float> &data, int64_t rows,
                              int64_t cols) {
  return {data.data(), data.data(), 0, {rows, cols}, {cols, 1}};
}

/// An empty bias descriptor (a kernel call without XF_KERNEL_BIAS).
xf_memref_f32_1d_t describeNoBias() { return {nullptr, nullptr, 0, {0}, {1}}; }

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
  xf_memref_f32_1d_t noBias = describeNoBias();
  _mlir_ciface_xf_kernel_matmul_f32(&context, /*site=*/900, "MatMul_3",
                                    /*flags=*/0, &aDesc, &bDesc, &noBias,
                                    &cDesc);
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
      &context, /*site=*/901, "Conv_5", /*flags=*/0, &xDesc, &wDesc, &biasDesc,
      &yDesc, 1, 1, 1, 1, 0, 0, 0, 0, /*groups=*/1);
  ASSERT_NE(context.getKernelFailure(), nullptr);
  EXPECT_EQ(
      context.getKernelFailure()->rfind("node 'Conv_5': conv2d_nchw: ", 0), 0u)
      << *context.getKernelFailure();
}

TEST(OneDnnKernels, AFailureWithoutANodeNamesTheKernel) {
  std::vector<float> a(6, 1.0f), b(20, 1.0f), c(10, 0.0f);
  xf_memref_f32_2d_t aDesc = describe2d(a, 2, 3), bDesc = describe2d(b, 4, 5),
                     cDesc = describe2d(c, 2, 5);
  ExecContext context(nullptr, nullptr);
  xf_memref_f32_1d_t noBias = describeNoBias();
  _mlir_ciface_xf_kernel_matmul_f32(&context, /*site=*/902, "", /*flags=*/0,
                                    &aDesc, &bDesc, &noBias, &cDesc);
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
                                    &bDesc, &biasDesc, &cDesc);
  _mlir_ciface_xf_kernel_conv2d_nchw_f32(&context, 904, "Conv_0", 0, &xDesc,
                                         &wDesc, &biasDesc, &yDesc, 1, 1, 1, 1,
                                         0, 0, 0, 0, /*groups=*/1);
  _mlir_ciface_xf_kernel_max_pool2d_nchw_f32(&context, 905, "MaxPool_0", 0,
                                             &xDesc, &pooled, 2, 2, 2, 2, 1, 1,
                                             0, 0, 0, 0);
  EXPECT_EQ(context.getKernelFailure(), nullptr);
}

TEST(OneDnnKernels, AnEmptySumIsZero) {
  // K = 0 into a strided (transposed) 2x3 view of a buffer holding garbage.
  std::vector<float> a, b, c(6, 42.0f);
  xf_memref_f32_2d_t aDesc = describe2d(a, 2, 0), bDesc = describe2d(b, 0, 3);
  xf_memref_f32_2d_t cDesc = {c.data(), c.data(), 0, {2, 3}, {1, 2}};
  xf_memref_f32_1d_t noBias = describeNoBias();
  ExecContext context(nullptr, nullptr);
  _mlir_ciface_xf_kernel_matmul_f32(&context, 906, "MatMul_1", 0, &aDesc,
                                    &bDesc, &noBias, &cDesc);
  EXPECT_EQ(context.getKernelFailure(), nullptr);
  EXPECT_EQ(c, std::vector<float>(6, 0.0f));
  // Accumulating an empty sum leaves the output as it was.
  std::vector<float> d(6, 42.0f);
  cDesc = describe2d(d, 2, 3);
  _mlir_ciface_xf_kernel_matmul_f32(&context, 907, "MatMul_2",
                                    XF_KERNEL_ACCUMULATE, &aDesc, &bDesc,
                                    &noBias, &cDesc);
  EXPECT_EQ(d, std::vector<float>(6, 42.0f));
  // With a bias and a ReLU, an empty sum is relu(bias (+ C)).
  std::vector<float> bias = {-1.0f, 2.0f, NAN}, e(6, 42.0f);
  xf_memref_f32_1d_t biasDesc = {bias.data(), bias.data(), 0, {3}, {1}};
  cDesc = describe2d(e, 2, 3);
  _mlir_ciface_xf_kernel_matmul_f32(&context, 908, "Gemm_0",
                                    XF_KERNEL_BIAS | XF_KERNEL_RELU, &aDesc,
                                    &bDesc, &biasDesc, &cDesc);
  for (int row = 0; row < 2; ++row) {
    EXPECT_EQ(e[row * 3], 0.0f);
    EXPECT_EQ(e[row * 3 + 1], 2.0f);
    EXPECT_TRUE(std::isnan(e[row * 3 + 2]));
  }
}

namespace {
/// A naive relu?(A * B + bias? (+ C)) of dense row-major matrices, with
/// ONNX's Relu (NaN stays NaN, -0 becomes +0).
std::vector<float> referenceMatmul(const std::vector<float> &a,
                                   const std::vector<float> &b,
                                   const std::vector<float> *bias,
                                   std::vector<float> c, int64_t m, int64_t n,
                                   int64_t k, int64_t flags) {
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      double sum = 0;
      for (int64_t p = 0; p < k; ++p)
        sum += double(a[i * k + p]) * b[p * n + j];
      float value = float(sum);
      if (bias)
        value += (*bias)[j];
      if (flags & XF_KERNEL_ACCUMULATE)
        value += c[i * n + j];
      if ((flags & XF_KERNEL_RELU) && !(value > 0.0f) && value == value)
        value = 0.0f;
      c[i * n + j] = value;
    }
  return c;
}
} // namespace

TEST(OneDnnKernels, MatmulBiasAndReluMatchAReference) {
  const int64_t m = 5, n = 7, k = 9;
  std::vector<float> a(m * k), b(k * n), residual(m * n);
  for (size_t i = 0; i < a.size(); ++i)
    a[i] = std::sin(0.7f * i) * 2.0f;
  for (size_t i = 0; i < b.size(); ++i)
    b[i] = std::cos(1.3f * i);
  for (size_t i = 0; i < residual.size(); ++i)
    residual[i] = 0.25f * float(i % 5) - 0.5f;
  // A NaN in A makes a NaN row, which the ReLU keeps.
  a[2 * k + 4] = NAN;
  // The bias is every other element of a buffer (a strided view).
  std::vector<float> biasStorage(2 * n);
  std::vector<float> bias(n);
  for (int64_t j = 0; j < n; ++j)
    biasStorage[2 * j] = bias[j] = 0.5f * float(j) - 1.5f;
  xf_memref_f32_1d_t biasDesc = {
      biasStorage.data(), biasStorage.data(), 0, {n}, {2}};
  for (int64_t flags :
       {int64_t(XF_KERNEL_BIAS), int64_t(XF_KERNEL_BIAS | XF_KERNEL_RELU),
        int64_t(XF_KERNEL_RELU),
        int64_t(XF_KERNEL_BIAS | XF_KERNEL_RELU | XF_KERNEL_ACCUMULATE)}) {
    std::vector<float> c = residual;
    xf_memref_f32_2d_t aDesc = describe2d(a, m, k), bDesc = describe2d(b, k, n),
                       cDesc = describe2d(c, m, n);
    ExecContext context(nullptr, nullptr);
    _mlir_ciface_xf_kernel_matmul_f32(&context, 920 + flags, "Gemm_1", flags,
                                      &aDesc, &bDesc, &biasDesc, &cDesc);
    ASSERT_EQ(context.getKernelFailure(), nullptr);
    std::vector<float> expected =
        referenceMatmul(a, b, (flags & XF_KERNEL_BIAS) ? &bias : nullptr,
                        residual, m, n, k, flags);
    for (int64_t i = 0; i < m * n; ++i) {
      if (std::isnan(expected[i])) {
        EXPECT_TRUE(std::isnan(c[i])) << "flags " << flags << " at " << i;
        continue;
      }
      EXPECT_NEAR(c[i], expected[i], 1e-5f * (1.0f + std::fabs(expected[i])))
          << "flags " << flags << " at " << i;
      if (flags & XF_KERNEL_RELU)
        EXPECT_FALSE(std::signbit(c[i])) << "flags " << flags << " at " << i;
    }
  }
}

// The kernels keep, per thread and primitive, the oneDNN memory objects
// they pass their buffers through, and point them at each call's buffers:
// calls of one site with new buffers, on this thread and on another, must
// read and write those buffers.
TEST(OneDnnKernels, RepeatedCallsUseEachCallsBuffers) {
  const int64_t m = 4, n = 6, k = 5;
  // Every call's buffers stay allocated to the end, so that each call's are
  // at new addresses.
  std::vector<std::vector<float>> kept;
  auto runOnce = [&](float seed) {
    std::vector<float> a(m * k), b(k * n), bias(n), c(m * n, 0.0f);
    for (size_t i = 0; i < a.size(); ++i)
      a[i] = std::sin(seed + 0.7f * i);
    for (size_t i = 0; i < b.size(); ++i)
      b[i] = std::cos(seed + 1.3f * i);
    for (int64_t j = 0; j < n; ++j)
      bias[j] = seed - 0.25f * float(j);
    xf_memref_f32_2d_t aDesc = describe2d(a, m, k), bDesc = describe2d(b, k, n),
                       cDesc = describe2d(c, m, n);
    xf_memref_f32_1d_t biasDesc = {bias.data(), bias.data(), 0, {n}, {1}};
    ExecContext context(nullptr, nullptr);
    _mlir_ciface_xf_kernel_matmul_f32(&context, 960, "Gemm_7", XF_KERNEL_BIAS,
                                      &aDesc, &bDesc, &biasDesc, &cDesc);
    EXPECT_EQ(context.getKernelFailure(), nullptr);
    std::vector<float> expected = referenceMatmul(
        a, b, &bias, std::vector<float>(m * n, 0.0f), m, n, k, XF_KERNEL_BIAS);
    for (int64_t i = 0; i < m * n; ++i)
      EXPECT_NEAR(c[i], expected[i], 1e-5f * (1.0f + std::fabs(expected[i])))
          << "seed " << seed << " at " << i;
    for (std::vector<float> *buffer : {&a, &b, &bias, &c})
      kept.push_back(std::move(*buffer));
  };
  runOnce(0.0f);
  runOnce(1.0f);
  std::thread other([&] {
    runOnce(2.0f);
    runOnce(3.0f);
  });
  other.join();
  runOnce(4.0f);
}

TEST(OneDnnKernels, BatchMatmulBiasIsPerColumnForEveryBatch) {
  const int64_t batch = 3, m = 2, n = 4, k = 3;
  std::vector<float> a(batch * m * k), b(batch * k * n), c(batch * m * n);
  for (size_t i = 0; i < a.size(); ++i)
    a[i] = float(i % 7) - 3.0f;
  for (size_t i = 0; i < b.size(); ++i)
    b[i] = float(i % 5) * 0.5f - 1.0f;
  std::vector<float> bias = {10.0f, -20.0f, 30.0f, -40.0f};
  xf_memref_f32_3d_t aDesc = {
      a.data(), a.data(), 0, {batch, m, k}, {m * k, k, 1}};
  xf_memref_f32_3d_t bDesc = {
      b.data(), b.data(), 0, {batch, k, n}, {k * n, n, 1}};
  xf_memref_f32_3d_t cDesc = {
      c.data(), c.data(), 0, {batch, m, n}, {m * n, n, 1}};
  xf_memref_f32_1d_t biasDesc = {bias.data(), bias.data(), 0, {n}, {1}};
  ExecContext context(nullptr, nullptr);
  _mlir_ciface_xf_kernel_batch_matmul_f32(&context, 930, "MatMul_9",
                                          XF_KERNEL_BIAS | XF_KERNEL_RELU,
                                          &aDesc, &bDesc, &biasDesc, &cDesc);
  ASSERT_EQ(context.getKernelFailure(), nullptr);
  for (int64_t i = 0; i < batch; ++i) {
    std::vector<float> ai(a.begin() + i * m * k, a.begin() + (i + 1) * m * k);
    std::vector<float> bi(b.begin() + i * k * n, b.begin() + (i + 1) * k * n);
    std::vector<float> expected = referenceMatmul(
        ai, bi, &bias, std::vector<float>(m * n), m, n, k, XF_KERNEL_RELU);
    for (int64_t j = 0; j < m * n; ++j)
      EXPECT_NEAR(c[i * m * n + j], expected[j], 1e-5f) << i << ", " << j;
  }
}

namespace {
/// The sizes and window of a grouped convolution test case.
struct GroupedCase {
  int64_t batch, channels, filters, groups, height, width, kernel, stride, pad;
};

/// A NHWC descriptor of the NCHW `sizes` over `data` (the layout the
/// compiled code passes between channels-last kernels).
xf_memref_f32_4d_t describeNhwc(std::vector<float> &data,
                                const int64_t (&sizes)[4]) {
  return {data.data(),
          data.data(),
          0,
          {sizes[0], sizes[1], sizes[2], sizes[3]},
          {sizes[1] * sizes[2] * sizes[3], 1, sizes[3] * sizes[1], sizes[1]}};
}

/// Reads element (n, c, h, w) of the 4-D view `m`.
float &at(const xf_memref_f32_4d_t &m, int64_t n, int64_t c, int64_t h,
          int64_t w) {
  return m.aligned[m.offset + n * m.strides[0] + c * m.strides[1] +
                   h * m.strides[2] + w * m.strides[3]];
}

/// Runs the kernel on the case `g` with a bias, the flags `flags`, the input
/// and the output each in NCHW or NHWC order, and compares it with a naive loop
/// nest of the definition in kernels.h (the activation of bias +
/// destination + grouped sum): exactly, but within 1e-5 (absolute and
/// relative) for swish and HardSwish, and within `tolerance` times the
/// largest expected magnitude when it is not 0. The bias is every
/// `biasStride`-th element of its buffer (a strided view when above 1), the
/// others large. `seed` varies the values; the buffers move into `keep`
/// when given (so that the next call's buffers are at other addresses).
void checkGroupedConv(const GroupedCase &g, int64_t flags, bool nhwcInput,
                      bool nhwcOutput, int64_t site, int64_t biasStride = 1,
                      int64_t seed = 0,
                      std::vector<std::vector<float>> *keep = nullptr,
                      float tolerance = 0.0f) {
  int64_t out = (g.height + 2 * g.pad - g.kernel) / g.stride + 1;
  int64_t outW = (g.width + 2 * g.pad - g.kernel) / g.stride + 1;
  int64_t perGroup = g.channels / g.groups;
  std::vector<float> x(g.batch * g.channels * g.height * g.width),
      w(g.filters * perGroup * g.kernel * g.kernel), bias(g.filters),
      y(g.batch * g.filters * out * outW);
  // Small integers: every sum is exact in f32, whatever its order.
  auto fill = [](std::vector<float> &v, int64_t seed) {
    for (size_t i = 0; i < v.size(); ++i)
      v[i] = static_cast<float>((i * 7 + seed * 3) % 11) - 5.0f;
  };
  fill(x, 1 + seed);
  fill(w, 2 + seed);
  fill(bias, 3 + seed);
  fill(y, 4 + seed);
  std::vector<float> biasStorage(g.filters * biasStride, 1000.0f);
  for (int64_t f = 0; f < g.filters; ++f)
    biasStorage[f * biasStride] = bias[f];
  int64_t xSizes[4] = {g.batch, g.channels, g.height, g.width};
  int64_t ySizes[4] = {g.batch, g.filters, out, outW};
  xf_memref_f32_4d_t xDesc =
      nhwcInput ? describeNhwc(x, {xSizes[0], xSizes[1], xSizes[2], xSizes[3]})
                : describe4d(x, {xSizes[0], xSizes[1], xSizes[2], xSizes[3]});
  xf_memref_f32_4d_t yDesc =
      nhwcOutput ? describeNhwc(y, {ySizes[0], ySizes[1], ySizes[2], ySizes[3]})
                 : describe4d(y, {ySizes[0], ySizes[1], ySizes[2], ySizes[3]});
  xf_memref_f32_4d_t wDesc =
      describe4d(w, {g.filters, perGroup, g.kernel, g.kernel});
  xf_memref_f32_1d_t biasDesc = {
      biasStorage.data(), biasStorage.data(), 0, {g.filters}, {biasStride}};

  std::vector<float> expected(y.size());
  xf_memref_f32_4d_t expectedDesc = yDesc;
  expectedDesc.allocated = expectedDesc.aligned = expected.data();
  for (int64_t n = 0; n < g.batch; ++n)
    for (int64_t f = 0; f < g.filters; ++f)
      for (int64_t oh = 0; oh < out; ++oh)
        for (int64_t ow = 0; ow < outW; ++ow) {
          int64_t group = f / (g.filters / g.groups);
          float sum = bias[f];
          if (flags & XF_KERNEL_ACCUMULATE)
            sum += at(yDesc, n, f, oh, ow);
          for (int64_t c = 0; c < perGroup; ++c)
            for (int64_t kh = 0; kh < g.kernel; ++kh)
              for (int64_t kw = 0; kw < g.kernel; ++kw) {
                int64_t h = oh * g.stride + kh - g.pad;
                int64_t iw = ow * g.stride + kw - g.pad;
                if (h < 0 || h >= g.height || iw < 0 || iw >= g.width)
                  continue;
                sum += at(xDesc, n, group * perGroup + c, h, iw) *
                       at(wDesc, f, c, kh, kw);
              }
          if (flags & XF_KERNEL_RELU)
            sum = std::max(sum, 0.0f);
          if (flags & XF_KERNEL_SWISH)
            sum = sum / (1.0f + std::exp(-sum));
          if (flags & XF_KERNEL_HARD_SWISH)
            sum = sum * std::max(0.0f, std::min(1.0f, sum / 6.0f + 0.5f));
          at(expectedDesc, n, f, oh, ow) = sum;
        }

  ExecContext context(nullptr, nullptr);
  _mlir_ciface_xf_kernel_conv2d_nchw_f32(
      &context, site, "Conv_g", flags | XF_KERNEL_BIAS, &xDesc, &wDesc,
      &biasDesc, &yDesc, g.stride, g.stride, 1, 1, g.pad, g.pad, g.pad, g.pad,
      g.groups);
  ASSERT_EQ(context.getKernelFailure(), nullptr) << *context.getKernelFailure();
  if (tolerance != 0.0f) {
    float largest = 0.0f;
    for (float value : expected)
      largest = std::max(largest, std::fabs(value));
    for (size_t i = 0; i < y.size(); ++i)
      EXPECT_NEAR(y[i], expected[i], tolerance * largest) << "at " << i;
  } else if (!(flags & (XF_KERNEL_SWISH | XF_KERNEL_HARD_SWISH))) {
    EXPECT_EQ(y, expected);
  } else {
    // oneDNN's exp and its HardSwish formula, x * relu6(x + 3) / 6, round
    // differently.
    for (size_t i = 0; i < y.size(); ++i)
      EXPECT_NEAR(y[i], expected[i], 1e-5f + 1e-5f * std::fabs(expected[i]))
          << "at " << i;
  }
  if (keep)
    for (std::vector<float> *buffer : {&x, &w, &y, &biasStorage})
      keep->push_back(std::move(*buffer));
}

/// The trace of a convolution test case: its channels, filters and groups,
/// layouts and flags.
std::string describeCase(const GroupedCase &g, bool nhwcInput, bool nhwcOutput,
                         int64_t flags) {
  return "channels " + std::to_string(g.channels) + ", filters " +
         std::to_string(g.filters) + ", groups " + std::to_string(g.groups) +
         (nhwcInput ? ", NHWC" : ", NCHW") +
         (nhwcOutput ? " into NHWC" : " into NCHW") + ", flags " +
         std::to_string(flags);
}
} // namespace

TEST(OneDnnKernels, GroupedConvolutionsMatchAReference) {
  // Depthwise (groups = channels), depthwise with a channel multiplier of
  // 2, and 4 groups of 3 input and 2 output channels; strided and padded.
  const GroupedCase cases[] = {{1, 16, 16, 16, 9, 7, 3, 1, 1},
                               {2, 8, 16, 8, 8, 8, 5, 2, 2},
                               {1, 12, 8, 4, 6, 5, 3, 2, 0}};
  int64_t site = 910;
  for (const GroupedCase &g : cases)
    for (auto [nhwcInput, nhwcOutput] :
         {std::pair{false, false}, std::pair{true, true},
          std::pair{false, true}, std::pair{true, false}})
      for (int64_t flags :
           {int64_t{0}, int64_t{XF_KERNEL_RELU | XF_KERNEL_ACCUMULATE},
            int64_t{XF_KERNEL_CONSTANT_WEIGHTS},
            int64_t{XF_KERNEL_SWISH | XF_KERNEL_ACCUMULATE},
            int64_t{XF_KERNEL_HARD_SWISH}}) {
        SCOPED_TRACE(describeCase(g, nhwcInput, nhwcOutput, flags));
        checkGroupedConv(g, flags, nhwcInput, nhwcOutput, site++);
      }
}

TEST(OneDnnKernels, AStridedConvolutionBiasMatchesAReference) {
  // The bias as every third element of a buffer, as a view of a larger
  // constant would give it.
  const GroupedCase cases[] = {{1, 4, 6, 1, 6, 6, 3, 1, 1},
                               {2, 8, 16, 8, 8, 8, 5, 2, 2}};
  int64_t site = 990;
  for (const GroupedCase &g : cases)
    for (bool nhwc : {false, true})
      for (int64_t flags : {int64_t{0}, int64_t{XF_KERNEL_RELU}}) {
        SCOPED_TRACE(describeCase(g, nhwc, nhwc, flags));
        checkGroupedConv(g, flags, nhwc, nhwc, site++, /*biasStride=*/3);
      }
}

// 3 x 3 convolutions at stride 1 of constant weights and at least 32 input
// and output channels are computed by Winograd's minimal filtering where the
// CPU has oneDNN's kernels for it (AVX-512): on oneDNN's blocked layout,
// through reorders of the caller's buffers (both ways when the call
// accumulates), and the direct kernels where they take none of the call's
// post-ops (a swish). The transforms round the sums of integers, so the
// comparison is within 1e-5 of the largest output.
TEST(OneDnnKernels, ThreeByThreeConvolutionsOfManyChannelsMatchAReference) {
  // Sizes that are not multiples of the transforms' tiles, and a case
  // without padding.
  const GroupedCase cases[] = {{2, 64, 48, 1, 10, 9, 3, 1, 1},
                               {1, 32, 64, 1, 7, 7, 3, 1, 1},
                               {1, 64, 64, 1, 9, 6, 3, 1, 0}};
  int64_t site = 1200;
  for (const GroupedCase &g : cases)
    for (bool nhwc : {true, false})
      for (int64_t flags :
           {int64_t{XF_KERNEL_CONSTANT_WEIGHTS},
            int64_t{XF_KERNEL_CONSTANT_WEIGHTS | XF_KERNEL_ACCUMULATE |
                    XF_KERNEL_RELU},
            int64_t{XF_KERNEL_CONSTANT_WEIGHTS | XF_KERNEL_SWISH}}) {
        SCOPED_TRACE(describeCase(g, nhwc, nhwc, flags));
        checkGroupedConv(g, flags, nhwc, nhwc, site++, /*biasStride=*/1,
                         /*seed=*/0, /*keep=*/nullptr, /*tolerance=*/1e-5f);
      }
}

// A convolution whose buffers are not in the layout its primitive runs on
// reorders them through the calling thread's scratch buffers, which a larger
// call grows (moves): repeated calls of one site, interleaved with a larger
// convolution, on this thread and another, must compute each call's values
// (and, in the sanitized build, touch no freed memory).
TEST(OneDnnKernels, RepeatedConvolutionsThroughReordersUseEachCallsBuffers) {
  const GroupedCase small = {1, 4, 6, 1, 6, 6, 3, 1, 1},
                    large = {2, 16, 16, 1, 24, 24, 3, 1, 1};
  auto runAll = [&](int64_t firstSeed) {
    std::vector<std::vector<float>> kept;
    for (int64_t seed = firstSeed; seed < firstSeed + 3; ++seed)
      for (auto [nhwcInput, nhwcOutput] :
           {std::pair{false, true}, std::pair{true, false}}) {
        SCOPED_TRACE("seed " + std::to_string(seed) +
                     (nhwcInput ? ", NHWC into NCHW" : ", NCHW into NHWC"));
        int64_t flags = XF_KERNEL_ACCUMULATE | XF_KERNEL_RELU;
        int64_t site = nhwcInput ? 1000 : 1002;
        checkGroupedConv(small, flags, nhwcInput, nhwcOutput, site, 1, seed,
                         &kept);
        checkGroupedConv(large, flags, nhwcInput, nhwcOutput, site + 1, 1, seed,
                         &kept);
      }
  };
  runAll(0);
  std::thread other([&] { runAll(5); });
  other.join();
  runAll(10);
}

// A thread keeps the packed copy of constant weights it last used; once the
// weights are forgotten (their session closed), other weights at the same
// address must be packed anew.
TEST(OneDnnKernels, ForgottenWeightsArePackedAgainAtTheSameAddress) {
  // N >= 2K and K >= 384: packed (into oneDNN's blocked layout on
  // AVX-512, copied transposed on AVX2).
  const int64_t m = 3, k = 384, n = 800;
  std::vector<float> a(m * k), b(k * n);
  for (size_t i = 0; i < a.size(); ++i)
    a[i] = std::sin(0.1f * i);
  xf_memref_f32_1d_t biasDesc = describeNoBias();
  for (float scale : {1.0f, -2.0f}) {
    for (size_t i = 0; i < b.size(); ++i)
      b[i] = scale * std::cos(0.7f * i);
    std::vector<float> c(m * n),
        expected = referenceMatmul(a, b, nullptr, std::vector<float>(m * n), m,
                                   n, k, XF_KERNEL_CONSTANT_WEIGHTS);
    xf_memref_f32_2d_t aDesc = describe2d(a, m, k), bDesc = describe2d(b, k, n),
                       cDesc = describe2d(c, m, n);
    ExecContext context(nullptr, nullptr);
    _mlir_ciface_xf_kernel_matmul_f32(&context, 1010, "MatMul_9",
                                      XF_KERNEL_CONSTANT_WEIGHTS, &aDesc,
                                      &bDesc, &biasDesc, &cDesc);
    ASSERT_EQ(context.getKernelFailure(), nullptr);
    for (int64_t i = 0; i < m * n; ++i)
      EXPECT_NEAR(c[i], expected[i], 1e-4f * (1.0f + std::fabs(expected[i])))
          << "scale " << scale << " at " << i;
    xf_kernels_forget_weights(b.data(), b.size() * sizeof(float));
  }
}

TEST(OneDnnKernels, AFilterThatDoesNotFitTheGroupsIsRefused) {
  // 4 input channels in 3 groups.
  std::vector<float> x(4 * 9, 1.0f), w(6, 1.0f), y(6 * 9, 0.0f), bias;
  xf_memref_f32_4d_t xDesc = describe4d(x, {1, 4, 3, 3}),
                     wDesc = describe4d(w, {6, 1, 1, 1}),
                     yDesc = describe4d(y, {1, 6, 3, 3});
  xf_memref_f32_1d_t biasDesc = {bias.data(), bias.data(), 0, {0}, {1}};
  ExecContext context(nullptr, nullptr);
  _mlir_ciface_xf_kernel_conv2d_nchw_f32(&context, 930, "Conv_7", 0, &xDesc,
                                         &wDesc, &biasDesc, &yDesc, 1, 1, 1, 1,
                                         0, 0, 0, 0, /*groups=*/3);
  ASSERT_NE(context.getKernelFailure(), nullptr);
  EXPECT_EQ(context.getKernelFailure()->rfind(
                "node 'Conv_7': conv2d_nchw: the filter (6 x 1 channels) "
                "does not fit 4 input channels in 3 groups",
                0),
            0u)
      << *context.getKernelFailure();
}

TEST(OneDnnKernels, MaxPoolingFromNchwIntoNhwcMatchesAReference) {
  // resnet50's first MaxPool as the compiled code can call it: an NCHW
  // source and an NHWC destination (the kernel reorders the source first,
  // since oneDNN's fast poolings need one layout), 3x3 window, stride 2,
  // padding 1, with negative values so that the padding cannot win.
  const int64_t xSizes[4] = {2, 5, 9, 7};
  const int64_t ySizes[4] = {2, 5, 5, 4};
  std::vector<float> x(2 * 5 * 9 * 7), y(2 * 5 * 5 * 4, 0.0f);
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = -1.0f - static_cast<float>((i * 37) % 101) / 7.0f;
  xf_memref_f32_4d_t xDesc = describe4d(x, xSizes);
  xf_memref_f32_4d_t yDesc = describeNhwc(y, ySizes);
  ExecContext context(nullptr, nullptr);
  _mlir_ciface_xf_kernel_max_pool2d_nchw_f32(&context, 911, "MaxPool_1", 0,
                                             &xDesc, &yDesc, 3, 3, 2, 2, 1, 1,
                                             1, 1, 1, 1);
  ASSERT_EQ(context.getKernelFailure(), nullptr);
  for (int64_t n = 0; n < 2; ++n)
    for (int64_t c = 0; c < 5; ++c)
      for (int64_t oh = 0; oh < 5; ++oh)
        for (int64_t ow = 0; ow < 4; ++ow) {
          float want = -INFINITY;
          for (int64_t kh = 0; kh < 3; ++kh)
            for (int64_t kw = 0; kw < 3; ++kw) {
              int64_t h = oh * 2 - 1 + kh, w = ow * 2 - 1 + kw;
              if (h >= 0 && h < 9 && w >= 0 && w < 7)
                want = std::max(want, at(xDesc, n, c, h, w));
            }
          EXPECT_EQ(at(yDesc, n, c, oh, ow), want)
              << "at " << n << "," << c << "," << oh << "," << ow;
        }
}

TEST(OneDnnKernels, AFusedReluKeepsNanAndGivesPositiveZeros) {
  // A depthwise 1x1 convolution of weight 1 copies its input; with
  // XF_KERNEL_RELU it must compute ONNX's Relu as linalg's maximumf does:
  // NaN stays NaN (oneDNN's ReLU and clip post-ops give 0), -0 and negative
  // values give +0. The destination is channels 1 and 2 of a 4-channel
  // buffer (as a Concat's operand), NCHW and NHWC: the ReLU must leave
  // channels 0 and 3 alone.
  const float kNan = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> x = {kNan, -0.0f, -3.0f, 2.0f, 5.0f, -1.0f, 0.0f, kNan};
  std::vector<float> w = {1.0f, 1.0f}, bias;
  const float expected[2][4] = {{kNan, 0.0f, 0.0f, 2.0f},
                                {5.0f, 0.0f, 0.0f, kNan}};
  int64_t site = 940;
  for (bool nhwc : {false, true}) {
    SCOPED_TRACE(nhwc ? "NHWC" : "NCHW");
    std::vector<float> buffer(16, 7.0f);
    xf_memref_f32_4d_t whole = nhwc ? describeNhwc(buffer, {1, 4, 2, 2})
                                    : describe4d(buffer, {1, 4, 2, 2});
    xf_memref_f32_4d_t yDesc = whole;
    yDesc.sizes[1] = 2;
    yDesc.offset = whole.strides[1]; // Channel 1.
    xf_memref_f32_4d_t xDesc = describe4d(x, {1, 2, 2, 2});
    xf_memref_f32_4d_t wDesc = describe4d(w, {2, 1, 1, 1});
    xf_memref_f32_1d_t biasDesc = {bias.data(), bias.data(), 0, {0}, {1}};
    ExecContext context(nullptr, nullptr);
    _mlir_ciface_xf_kernel_conv2d_nchw_f32(
        &context, site++, "Conv_r", XF_KERNEL_RELU, &xDesc, &wDesc, &biasDesc,
        &yDesc, 1, 1, 1, 1, 0, 0, 0, 0, /*groups=*/2);
    ASSERT_EQ(context.getKernelFailure(), nullptr)
        << *context.getKernelFailure();
    for (int64_t c = 0; c < 4; ++c)
      for (int64_t h = 0; h < 2; ++h)
        for (int64_t iw = 0; iw < 2; ++iw) {
          float got = at(whole, 0, c, h, iw);
          SCOPED_TRACE("at channel " + std::to_string(c) + ", " +
                       std::to_string(h) + "," + std::to_string(iw));
          if (c == 0 || c == 3) {
            EXPECT_EQ(got, 7.0f);
            continue;
          }
          float want = expected[c - 1][h * 2 + iw];
          if (std::isnan(want)) {
            EXPECT_TRUE(std::isnan(got)) << got;
          } else {
            EXPECT_EQ(got, want);
            EXPECT_FALSE(std::signbit(got)) << "a -0";
          }
        }
  }
}

TEST(OneDnnKernels, AFusedReluReachesEveryElementOfALargeOutput) {
  // The fused ReLU runs over the output in blocks that the threads share (a
  // dense output is one loop). A depthwise 1x1 convolution of weight 1
  // copies its input, 3 x 50 x 70 = 10500 values: two whole blocks of 4096
  // and a partial one, with NaN, -0 and negative values on the blocks'
  // edges. Every element must be its ReLU, in both layouts (the input in
  // the output's layout, so that element i of both is the same value).
  const float kNan = std::numeric_limits<float>::quiet_NaN();
  const int64_t channels = 3, height = 50, width = 70;
  const int64_t count = channels * height * width;
  std::vector<float> x(count);
  for (int64_t i = 0; i < count; ++i)
    x[i] = (i % 3 == 0 ? -1.0f : 1.0f) * static_cast<float>(i % 97);
  // The first and last elements of each block: a skipped one would keep
  // its negative value or its -0.
  x[0] = kNan;
  x[4095] = -2.0f;
  x[4096] = kNan;
  x[8191] = -0.0f;
  x[8192] = -7.0f;
  x[count - 1] = -3.0f;
  std::vector<float> w(channels, 1.0f), bias;
  int64_t site = 945;
  for (bool nhwc : {false, true}) {
    SCOPED_TRACE(nhwc ? "NHWC" : "NCHW");
    std::vector<float> y(count, 7.0f);
    xf_memref_f32_4d_t xDesc =
        nhwc ? describeNhwc(x, {1, channels, height, width})
             : describe4d(x, {1, channels, height, width});
    xf_memref_f32_4d_t yDesc =
        nhwc ? describeNhwc(y, {1, channels, height, width})
             : describe4d(y, {1, channels, height, width});
    xf_memref_f32_4d_t wDesc = describe4d(w, {channels, 1, 1, 1});
    xf_memref_f32_1d_t biasDesc = {bias.data(), bias.data(), 0, {0}, {1}};
    ExecContext context(nullptr, nullptr);
    _mlir_ciface_xf_kernel_conv2d_nchw_f32(
        &context, site++, "Conv_big_relu", XF_KERNEL_RELU, &xDesc, &wDesc,
        &biasDesc, &yDesc, 1, 1, 1, 1, 0, 0, 0, 0, /*groups=*/channels);
    ASSERT_EQ(context.getKernelFailure(), nullptr)
        << *context.getKernelFailure();
    int64_t wrong = 0;
    for (int64_t i = 0; i < count; ++i) {
      float want = x[i] > 0.0f || std::isnan(x[i]) ? x[i] : 0.0f;
      bool same = std::isnan(want) ? std::isnan(y[i])
                                   : y[i] == want && !std::signbit(y[i]);
      if (!same && wrong++ < 5)
        ADD_FAILURE() << "element " << i << ": " << y[i] << " for " << x[i];
    }
    EXPECT_EQ(wrong, 0);
  }
}

TEST(OneDnnKernels, ConstantWeightsMatchAReferenceInEitherLayout) {
  // A large constant weight with N >= 2K is copied transposed once
  // (oneDNN's AVX2 matmul is faster on it); the others are read as they
  // are. Both give the product, with the bias and ReLU, on every call.
  for (auto [k, n] : {std::pair<int64_t, int64_t>{384, 777}, {13, 9}}) {
    const int64_t m = 6;
    std::vector<float> a(m * k), b(k * n), bias(n);
    for (size_t i = 0; i < a.size(); ++i)
      a[i] = std::sin(0.3f * i);
    for (size_t i = 0; i < b.size(); ++i)
      b[i] = std::cos(0.9f * i);
    for (int64_t j = 0; j < n; ++j)
      bias[j] = 0.1f * float(j) - 0.4f;
    xf_memref_f32_1d_t biasDesc = {bias.data(), bias.data(), 0, {n}, {1}};
    int64_t flags =
        XF_KERNEL_CONSTANT_WEIGHTS | XF_KERNEL_BIAS | XF_KERNEL_RELU;
    std::vector<float> expected =
        referenceMatmul(a, b, &bias, std::vector<float>(m * n), m, n, k, flags);
    for (int call = 0; call < 2; ++call) {
      std::vector<float> c(m * n, 42.0f);
      xf_memref_f32_2d_t aDesc = describe2d(a, m, k),
                         bDesc = describe2d(b, k, n),
                         cDesc = describe2d(c, m, n);
      ExecContext context(nullptr, nullptr);
      _mlir_ciface_xf_kernel_matmul_f32(&context, 940 + k, "MatMul_7", flags,
                                        &aDesc, &bDesc, &biasDesc, &cDesc);
      ASSERT_EQ(context.getKernelFailure(), nullptr);
      for (int64_t i = 0; i < m * n; ++i)
        EXPECT_NEAR(c[i], expected[i], 1e-4f * (1.0f + std::fabs(expected[i])))
            << k << "x" << n << ", call " << call << " at " << i;
    }
    xf_kernels_forget_weights(b.data(), b.size() * sizeof(float));
  }
}
