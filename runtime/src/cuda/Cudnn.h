//===- Cudnn.h - cuDNN, loaded at run time ----------------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The convolutions of CUDA artifacts run on cuDNN (libcudnn.so.9, of a
// cuDNN installation or of the runtime's folder on a GPU node), through its
// legacy API: tensor, filter, convolution and activation descriptors,
// cudnnConvolutionForward, cudnnAddTensor and cudnnActivationForward (kept
// by cuDNN 9 and marked deprecated there in favour of the graph API). Like
// cuBLASLt (CublasLt.h), it is opened with dlopen on first use and declared
// here with its C ABI, so that the runtime neither links nor needs it for
// CPU artifacts; CudaDriverAbiTest checks these declarations against cudnn.h
// where one is found.
//
// Internal to the runtime library.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_RUNTIME_CUDA_CUDNN_H
#define EXAFORGE_RUNTIME_CUDA_CUDNN_H

#include "CudaDriver.h"

#include "runtime/support/Error.h"

#include <cstddef>
#include <string>

namespace exaforge::runtime::cuda {

/// cuDNN's status (`cudnnStatus_t`); 0 is success.
using DnnStatus = int;
/// Opaque cuDNN objects (`cudnnHandle_t`, `cudnnTensorDescriptor_t`,
/// `cudnnFilterDescriptor_t`, `cudnnConvolutionDescriptor_t`,
/// `cudnnActivationDescriptor_t`).
using DnnHandle = struct DnnHandleObject *;
using TensorDesc = struct TensorDescObject *;
using FilterDesc = struct FilterDescObject *;
using ConvolutionDesc = struct ConvolutionDescObject *;
using ActivationDesc = struct ActivationDescObject *;

/// `cudnnConvolutionFwdAlgoPerf_t`: an algorithm, as
/// cudnnGetConvolutionForwardAlgorithm_v7 returns it.
struct ConvolutionAlgoPerf {
  int algo;
  DnnStatus status;
  float time;
  size_t memory;
  int determinism;
  int mathType;
  int reserved[3];
};

/// Constants of cudnn_graph.h.
inline constexpr DnnStatus kDnnSuccess = 0;
/// `CUDNN_DATA_FLOAT`.
inline constexpr int kDnnDataFloat = 0;
/// `CUDNN_TENSOR_NCHW`: the filter's layout (contiguous F x C/G x KH x KW).
inline constexpr int kDnnTensorNchw = 0;
/// `CUDNN_CROSS_CORRELATION`: ONNX's and linalg's convolution (the filter
/// is not flipped).
inline constexpr int kDnnCrossCorrelation = 1;
/// `CUDNN_DEFAULT_MATH` (f32 inputs may use TF32 tensor cores) and
/// `CUDNN_FMA_MATH` (f32 arithmetic only).
inline constexpr int kDnnDefaultMath = 0, kDnnFmaMath = 3;
/// `CUDNN_ACTIVATION_RELU`, `CUDNN_ACTIVATION_SWISH`.
inline constexpr int kDnnActivationRelu = 1, kDnnActivationSwish = 6;
/// `CUDNN_PROPAGATE_NAN`: ReLU keeps NaN, as ONNX's Relu does.
inline constexpr int kDnnPropagateNan = 1;

/// The cuDNN functions the runtime calls, with cuDNN's signatures (each
/// member is the function of the same name with `cudnn` before it).
struct DnnFunctions {
  DnnStatus (*create)(DnnHandle *handle);
  DnnStatus (*setStream)(DnnHandle handle, Stream stream);
  const char *(*getErrorString)(DnnStatus status);
  DnnStatus (*createTensorDescriptor)(TensorDesc *desc);
  DnnStatus (*setTensor4dDescriptorEx)(TensorDesc desc, int dataType, int n,
                                       int c, int h, int w, int nStride,
                                       int cStride, int hStride, int wStride);
  DnnStatus (*destroyTensorDescriptor)(TensorDesc desc);
  DnnStatus (*createFilterDescriptor)(FilterDesc *desc);
  DnnStatus (*setFilter4dDescriptor)(FilterDesc desc, int dataType, int format,
                                     int k, int c, int h, int w);
  DnnStatus (*destroyFilterDescriptor)(FilterDesc desc);
  DnnStatus (*createConvolutionDescriptor)(ConvolutionDesc *desc);
  DnnStatus (*setConvolution2dDescriptor)(ConvolutionDesc desc, int padH,
                                          int padW, int strideH, int strideW,
                                          int dilationH, int dilationW,
                                          int mode, int computeType);
  DnnStatus (*setConvolutionGroupCount)(ConvolutionDesc desc, int groups);
  DnnStatus (*setConvolutionMathType)(ConvolutionDesc desc, int mathType);
  DnnStatus (*destroyConvolutionDescriptor)(ConvolutionDesc desc);
  DnnStatus (*createActivationDescriptor)(ActivationDesc *desc);
  DnnStatus (*setActivationDescriptor)(ActivationDesc desc, int mode,
                                       int nanPropagation, double coef);
  DnnStatus (*setActivationDescriptorSwishBeta)(ActivationDesc desc,
                                                double beta);
  DnnStatus (*destroyActivationDescriptor)(ActivationDesc desc);
  DnnStatus (*getConvolutionForwardAlgorithm_v7)(
      DnnHandle handle, TensorDesc x, FilterDesc w, ConvolutionDesc conv,
      TensorDesc y, int requestedCount, int *returnedCount,
      ConvolutionAlgoPerf *results);
  DnnStatus (*getConvolutionForwardWorkspaceSize)(DnnHandle handle,
                                                  TensorDesc x, FilterDesc w,
                                                  ConvolutionDesc conv,
                                                  TensorDesc y, int algo,
                                                  size_t *bytes);
  DnnStatus (*convolutionForward)(DnnHandle handle, const void *alpha,
                                  TensorDesc xDesc, const void *x,
                                  FilterDesc wDesc, const void *w,
                                  ConvolutionDesc conv, int algo,
                                  void *workspace, size_t workspaceBytes,
                                  const void *beta, TensorDesc yDesc, void *y);
  DnnStatus (*addTensor)(DnnHandle handle, const void *alpha, TensorDesc aDesc,
                         const void *a, const void *beta, TensorDesc cDesc,
                         void *c);
  DnnStatus (*activationForward)(DnnHandle handle, ActivationDesc activation,
                                 const void *alpha, TensorDesc xDesc,
                                 const void *x, const void *beta,
                                 TensorDesc yDesc, void *y);
};

/// cuDNN of this process, loaded once. Its handles (which carry a stream,
/// so one per concurrent call) are the callers': see CudaConv.cpp.
class Cudnn {
public:
  /// Opens `libcudnn.so.9` (or the file EXAFORGE_CUDNN names) and resolves
  /// DnnFunctions. The first call does the work, later calls return its
  /// result.
  static support::Expected<const Cudnn *> get();

  const DnnFunctions &operator*() const { return functions; }
  const DnnFunctions *operator->() const { return &functions; }

  /// "CUDNN_STATUS_NAME" for `status`.
  std::string describe(DnnStatus status) const;

private:
  Cudnn() = default;
  DnnFunctions functions{};
};

} // namespace exaforge::runtime::cuda

#endif // EXAFORGE_RUNTIME_CUDA_CUDNN_H
