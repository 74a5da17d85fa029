//===- FakeCudnn.cpp - cuDNN's convolution on the host, for tests ---------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// libexaforge_fake_cudnn.so exports the cuDNN functions the runtime opens
// (runtime/src/cuda/Cudnn.h) and computes them on the host, as cuDNN
// documents them:
//
//   cudnnConvolutionForward  y = alpha * conv(x, w) + beta * y (y unread
//                            when beta is 0), x and y NCHW tensors of any
//                            strides, w a contiguous K x C/G x R x S filter,
//                            cross-correlation with the same padding on
//                            both sides, strides, dilations and G groups
//                            (output channel k reads the input channels of
//                            group k / (K / G))
//   cudnnAddTensor           c = alpha * a + beta * c, a broadcast along its
//                            dimensions of size 1 (a 1 x C x 1 x 1 bias)
//   cudnnActivationForward   y = alpha * act(x) + beta * y: ReLU (NaN kept
//                            with CUDNN_PROPAGATE_NAN) or swish
//                            (x * sigmoid(beta_swish * x))
//
// With the fake driver (FakeCudaDriver.cpp, whose "GPU memory" is host
// memory), a CUDA artifact's convolutions thus compute real values on a
// machine without a GPU:
//
//   EXAFORGE_CUDA_DRIVER=.../libexaforge_fake_cuda.so \
//   EXAFORGE_CUDNN=.../libexaforge_fake_cudnn.so exaforge run m.xf
//
// which checks how the runtime describes its buffers and epilogues to cuDNN,
// not cuDNN itself. Its one algorithm needs a workspace (kWorkspaceBytes),
// which cudnnConvolutionForward requires, and a stream set on the handle.
// Each call is logged to stderr as `fake-cudnn: ...`; with FAKE_CUDNN_FAIL=1
// cudnnConvolutionForward fails with CUDNN_STATUS_EXECUTION_FAILED.
//
//===----------------------------------------------------------------------===//

#include "FakeStreamWork.h"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {
using Status = int;
constexpr Status kSuccess = 0, kBadParam = 2000, kNotSupported = 3000,
                 kExecutionFailed = 5000;
/// The one algorithm (CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_PRECOMP_GEMM) and
/// the workspace it asks for.
constexpr int kAlgo = 1;
constexpr size_t kWorkspaceBytes = 4096;

/// A handle: the stream its calls run on.
struct Handle {
  void *stream = nullptr;
};

/// A 4-D tensor descriptor: sizes and strides, in elements.
struct Tensor {
  int n = 0, c = 0, h = 0, w = 0;
  int strides[4] = {};
  bool set = false;
  /// The offset of element (n, c, h, w).
  int64_t at(int in, int ic, int ih, int iw) const {
    return int64_t(in) * strides[0] + int64_t(ic) * strides[1] +
           int64_t(ih) * strides[2] + int64_t(iw) * strides[3];
  }
};

/// A filter descriptor (CUDNN_TENSOR_NCHW: contiguous k x c x h x w).
struct Filter {
  int k = 0, c = 0, h = 0, w = 0;
  bool set = false;
};

/// A convolution descriptor.
struct Convolution {
  int padH = 0, padW = 0, strideH = 1, strideW = 1, dilationH = 1,
      dilationW = 1, groups = 1, mathType = 0;
  bool set = false;
};

/// An activation descriptor.
struct Activation {
  int mode = -1, nanPropagation = 0;
  double swishBeta = 1.0;
};

/// The output size of a convolution in one dimension, or -1 when the
/// window does not fit.
int outputSize(int size, int pad, int kernel, int dilation, int stride) {
  int padded = size + 2 * pad - ((kernel - 1) * dilation + 1);
  return padded < 0 || stride < 1 ? -1 : padded / stride + 1;
}

/// Whether x, w and y are set and agree with `conv` as cuDNN requires.
bool consistent(const Tensor &x, const Filter &w, const Convolution &conv,
                const Tensor &y) {
  return x.set && w.set && conv.set && y.set && conv.groups >= 1 &&
         w.k % conv.groups == 0 && x.c == w.c * conv.groups && y.n == x.n &&
         y.c == w.k &&
         y.h == outputSize(x.h, conv.padH, w.h, conv.dilationH, conv.strideH) &&
         y.w == outputSize(x.w, conv.padW, w.w, conv.dilationW, conv.strideW);
}

const char *mathName(int mathType) {
  return mathType == 3 ? "FMA" : mathType == 0 ? "DEFAULT" : "TENSOR_OP";
}
} // namespace

extern "C" {

Status cudnnCreate(void **handle) {
  *handle = new Handle;
  return kSuccess;
}

Status cudnnSetStream(void *handle, void *stream) {
  static_cast<Handle *>(handle)->stream = stream;
  return kSuccess;
}

const char *cudnnGetErrorString(Status status) {
  switch (status) {
  case kSuccess:
    return "CUDNN_STATUS_SUCCESS";
  case kBadParam:
    return "CUDNN_STATUS_BAD_PARAM";
  case kNotSupported:
    return "CUDNN_STATUS_NOT_SUPPORTED";
  case kExecutionFailed:
    return "CUDNN_STATUS_EXECUTION_FAILED";
  default:
    return "CUDNN_STATUS_INTERNAL_ERROR";
  }
}

Status cudnnCreateTensorDescriptor(void **desc) {
  *desc = new Tensor;
  return kSuccess;
}

Status cudnnSetTensor4dDescriptorEx(void *desc, int dataType, int n, int c,
                                    int h, int w, int nStride, int cStride,
                                    int hStride, int wStride) {
  // CUDNN_DATA_FLOAT, positive sizes and strides.
  if (dataType != 0 || n < 1 || c < 1 || h < 1 || w < 1 || nStride < 1 ||
      cStride < 1 || hStride < 1 || wStride < 1)
    return kBadParam;
  *static_cast<Tensor *>(desc) =
      Tensor{n, c, h, w, {nStride, cStride, hStride, wStride}, true};
  return kSuccess;
}

Status cudnnDestroyTensorDescriptor(void *desc) {
  delete static_cast<Tensor *>(desc);
  return kSuccess;
}

Status cudnnCreateFilterDescriptor(void **desc) {
  *desc = new Filter;
  return kSuccess;
}

Status cudnnSetFilter4dDescriptor(void *desc, int dataType, int format, int k,
                                  int c, int h, int w) {
  // CUDNN_DATA_FLOAT, CUDNN_TENSOR_NCHW.
  if (dataType != 0 || format != 0 || k < 1 || c < 1 || h < 1 || w < 1)
    return kBadParam;
  *static_cast<Filter *>(desc) = Filter{k, c, h, w, true};
  return kSuccess;
}

Status cudnnDestroyFilterDescriptor(void *desc) {
  delete static_cast<Filter *>(desc);
  return kSuccess;
}

Status cudnnCreateConvolutionDescriptor(void **desc) {
  *desc = new Convolution;
  return kSuccess;
}

Status cudnnSetConvolution2dDescriptor(void *desc, int padH, int padW,
                                       int strideH, int strideW, int dilationH,
                                       int dilationW, int mode,
                                       int computeType) {
  // CUDNN_CROSS_CORRELATION in CUDNN_DATA_FLOAT.
  if (padH < 0 || padW < 0 || strideH < 1 || strideW < 1 || dilationH < 1 ||
      dilationW < 1 || mode != 1 || computeType != 0)
    return kBadParam;
  auto &conv = *static_cast<Convolution *>(desc);
  conv.padH = padH;
  conv.padW = padW;
  conv.strideH = strideH;
  conv.strideW = strideW;
  conv.dilationH = dilationH;
  conv.dilationW = dilationW;
  conv.set = true;
  return kSuccess;
}

Status cudnnSetConvolutionGroupCount(void *desc, int groups) {
  if (groups < 1)
    return kBadParam;
  static_cast<Convolution *>(desc)->groups = groups;
  return kSuccess;
}

Status cudnnSetConvolutionMathType(void *desc, int mathType) {
  if (mathType < 0 || mathType > 3)
    return kBadParam;
  static_cast<Convolution *>(desc)->mathType = mathType;
  return kSuccess;
}

Status cudnnDestroyConvolutionDescriptor(void *desc) {
  delete static_cast<Convolution *>(desc);
  return kSuccess;
}

Status cudnnCreateActivationDescriptor(void **desc) {
  *desc = new Activation;
  return kSuccess;
}

Status cudnnSetActivationDescriptor(void *desc, int mode, int nanPropagation,
                                    double) {
  // CUDNN_ACTIVATION_RELU or CUDNN_ACTIVATION_SWISH.
  if (mode != 1 && mode != 6)
    return kNotSupported;
  auto &activation = *static_cast<Activation *>(desc);
  activation.mode = mode;
  activation.nanPropagation = nanPropagation;
  return kSuccess;
}

Status cudnnSetActivationDescriptorSwishBeta(void *desc, double beta) {
  static_cast<Activation *>(desc)->swishBeta = beta;
  return kSuccess;
}

Status cudnnDestroyActivationDescriptor(void *desc) {
  delete static_cast<Activation *>(desc);
  return kSuccess;
}

/// The algorithm's result, laid out as cudnnConvolutionFwdAlgoPerf_t.
struct AlgoPerf {
  int algo;
  Status status;
  float time;
  size_t memory;
  int determinism, mathType, reserved[3];
};

Status cudnnGetConvolutionForwardAlgorithm_v7(void *, void *xDesc, void *wDesc,
                                              void *convDesc, void *yDesc,
                                              int requested, int *returned,
                                              AlgoPerf *results) {
  const auto &x = *static_cast<Tensor *>(xDesc);
  const auto &w = *static_cast<Filter *>(wDesc);
  const auto &conv = *static_cast<Convolution *>(convDesc);
  const auto &y = *static_cast<Tensor *>(yDesc);
  std::fprintf(stderr, "fake-cudnn: algorithm query\n");
  if (requested < 1 || !consistent(x, w, conv, y))
    return kBadParam;
  results[0] =
      AlgoPerf{kAlgo, kSuccess, 0.0f, kWorkspaceBytes, 1, conv.mathType, {}};
  *returned = 1;
  return kSuccess;
}

Status cudnnGetConvolutionForwardWorkspaceSize(void *, void *, void *, void *,
                                               void *, int algo,
                                               size_t *bytes) {
  if (algo != kAlgo)
    return kNotSupported;
  *bytes = kWorkspaceBytes;
  return kSuccess;
}

Status cudnnConvolutionForward(void *handlePointer, const void *alphaPointer,
                               void *xDesc, const void *xPointer, void *wDesc,
                               const void *wPointer, void *convDesc, int algo,
                               void *workspace, size_t workspaceBytes,
                               const void *betaPointer, void *yDesc,
                               void *yPointer) {
  FakeStreamWork work;
  const auto &handle = *static_cast<Handle *>(handlePointer);
  const auto &x = *static_cast<Tensor *>(xDesc);
  const auto &w = *static_cast<Filter *>(wDesc);
  const auto &conv = *static_cast<Convolution *>(convDesc);
  const auto &y = *static_cast<Tensor *>(yDesc);
  float alpha = *static_cast<const float *>(alphaPointer);
  float beta = *static_cast<const float *>(betaPointer);
  std::fprintf(stderr,
               "fake-cudnn: conv x %dx%dx%dx%d strides %d,%d,%d,%d, w "
               "%dx%dx%dx%d, y %dx%dx%dx%d strides %d,%d,%d,%d, pad %d,%d "
               "stride %d,%d dilation %d,%d groups %d, alpha %g beta %g, "
               "math %s\n",
               x.n, x.c, x.h, x.w, x.strides[0], x.strides[1], x.strides[2],
               x.strides[3], w.k, w.c, w.h, w.w, y.n, y.c, y.h, y.w,
               y.strides[0], y.strides[1], y.strides[2], y.strides[3],
               conv.padH, conv.padW, conv.strideH, conv.strideW, conv.dilationH,
               conv.dilationW, conv.groups, alpha, beta,
               mathName(conv.mathType));
  const char *fail = std::getenv("FAKE_CUDNN_FAIL");
  if (fail && std::strcmp(fail, "1") == 0)
    return kExecutionFailed;
  if (!handle.stream || algo != kAlgo || !workspace ||
      workspaceBytes < kWorkspaceBytes || !consistent(x, w, conv, y))
    return kBadParam;
  // The workspace is the algorithm's: scribbled over, as a GPU's may be.
  std::memset(workspace, 0xff, kWorkspaceBytes);
  const auto *xData = static_cast<const float *>(xPointer);
  const auto *wData = static_cast<const float *>(wPointer);
  auto *yData = static_cast<float *>(yPointer);
  int perGroup = w.k / conv.groups;
  for (int n = 0; n < y.n; ++n)
    for (int k = 0; k < y.c; ++k)
      for (int oh = 0; oh < y.h; ++oh)
        for (int ow = 0; ow < y.w; ++ow) {
          int group = k / perGroup;
          double sum = 0;
          for (int c = 0; c < w.c; ++c)
            for (int r = 0; r < w.h; ++r)
              for (int s = 0; s < w.w; ++s) {
                int ih = oh * conv.strideH - conv.padH + r * conv.dilationH;
                int iw = ow * conv.strideW - conv.padW + s * conv.dilationW;
                if (ih < 0 || ih >= x.h || iw < 0 || iw >= x.w)
                  continue;
                sum += double(xData[x.at(n, group * w.c + c, ih, iw)]) *
                       wData[((int64_t(k) * w.c + c) * w.h + r) * w.w + s];
              }
          float &out = yData[y.at(n, k, oh, ow)];
          // beta = 0 leaves y unread, even where it holds NaN.
          double result = alpha * sum;
          if (beta != 0.0f)
            result += double(beta) * out;
          out = static_cast<float>(result);
        }
  return kSuccess;
}

Status cudnnAddTensor(void *, const void *alphaPointer, void *aDesc,
                      const void *aPointer, const void *betaPointer,
                      void *cDesc, void *cPointer) {
  FakeStreamWork work;
  const auto &a = *static_cast<Tensor *>(aDesc);
  const auto &c = *static_cast<Tensor *>(cDesc);
  float alpha = *static_cast<const float *>(alphaPointer);
  float beta = *static_cast<const float *>(betaPointer);
  std::fprintf(stderr, "fake-cudnn: add %dx%dx%dx%d to %dx%dx%dx%d\n", a.n, a.c,
               a.h, a.w, c.n, c.c, c.h, c.w);
  auto fits = [](int from, int to) { return from == to || from == 1; };
  if (!a.set || !c.set || !fits(a.n, c.n) || !fits(a.c, c.c) ||
      !fits(a.h, c.h) || !fits(a.w, c.w))
    return kBadParam;
  const auto *aData = static_cast<const float *>(aPointer);
  auto *cData = static_cast<float *>(cPointer);
  for (int n = 0; n < c.n; ++n)
    for (int k = 0; k < c.c; ++k)
      for (int h = 0; h < c.h; ++h)
        for (int w = 0; w < c.w; ++w) {
          float value = aData[a.at(a.n == 1 ? 0 : n, a.c == 1 ? 0 : k,
                                   a.h == 1 ? 0 : h, a.w == 1 ? 0 : w)];
          float &out = cData[c.at(n, k, h, w)];
          out = beta != 0.0f ? alpha * value + beta * out : alpha * value;
        }
  return kSuccess;
}

Status cudnnActivationForward(void *, void *activationDesc,
                              const void *alphaPointer, void *xDesc,
                              const void *xPointer, const void *betaPointer,
                              void *yDesc, void *yPointer) {
  FakeStreamWork work;
  const auto &activation = *static_cast<Activation *>(activationDesc);
  const auto &x = *static_cast<Tensor *>(xDesc);
  const auto &y = *static_cast<Tensor *>(yDesc);
  float alpha = *static_cast<const float *>(alphaPointer);
  float beta = *static_cast<const float *>(betaPointer);
  std::fprintf(stderr, "fake-cudnn: activation %s on %dx%dx%dx%d\n",
               activation.mode == 1 ? "relu" : "swish", y.n, y.c, y.h, y.w);
  if (activation.mode < 0 || !x.set || !y.set || x.n != y.n || x.c != y.c ||
      x.h != y.h || x.w != y.w)
    return kBadParam;
  const auto *xData = static_cast<const float *>(xPointer);
  auto *yData = static_cast<float *>(yPointer);
  for (int n = 0; n < y.n; ++n)
    for (int k = 0; k < y.c; ++k)
      for (int h = 0; h < y.h; ++h)
        for (int w = 0; w < y.w; ++w) {
          float in = xData[x.at(n, k, h, w)];
          float result;
          if (activation.mode == 1)
            result = std::isnan(in) ? (activation.nanPropagation ? in : 0.0f)
                     : in > 0.0f    ? in
                                    : 0.0f;
          else
            result = static_cast<float>(
                in / (1.0 + std::exp(-activation.swishBeta * in)));
          float &out = yData[y.at(n, k, h, w)];
          out = beta != 0.0f ? alpha * result + beta * out : alpha * result;
        }
  return kSuccess;
}

} // extern "C"
