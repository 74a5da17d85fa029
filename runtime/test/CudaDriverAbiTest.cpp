//===- CudaDriverAbiTest.cpp - The runtime's CUDA driver declarations -----===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// runtime/src/cuda/CudaDriver.h, CublasLt.h, Cudnn.h and Nccl.h declare the
// driver, cuBLASLt, cuDNN and NCCL functions the runtime opens with dlopen
// instead of including cuda.h, cublasLt.h, cudnn.h and nccl.h, so that the
// runtime builds without the toolkit. cuDNN and NCCL are checked where their
// headers are found too (they are installed apart from the toolkit).
// Built only where CMake found a CUDA toolkit, this test checks those
// declarations against the toolkit's headers: every
// function has the same parameters (opaque handles as opaque pointers,
// enums as integers of the same size), every symbol name is the one cuda.h
// binds the function to (cuMemFree is cuMemFree_v2), and every constant has
// cuda.h's value. A mismatch fails the build of this test. The NCCL checks
// are skipped when the toolkit has no nccl.h (NCCL is often a module of its
// own on supercomputers).
//
//===----------------------------------------------------------------------===//

#include "runtime/src/cuda/CublasLt.h"
#include "runtime/src/cuda/CudaDriver.h"
#include "runtime/src/cuda/Cudnn.h"
#include "runtime/src/cuda/MatmulPlan.h"
#include "runtime/src/cuda/Nccl.h"

#include <cublasLt.h>
#include <cuda.h>
#if __has_include(<cudnn.h>)
#include <cudnn.h>
#define XF_HAVE_CUDNN_H 1
#endif
#include <gtest/gtest.h>
#if __has_include(<nccl.h>)
#include <nccl.h>
#define XF_HAVE_NCCL_H 1
#endif

#include <string>
#include <type_traits>

namespace {
namespace xfcuda = exaforge::runtime::cuda;

/// Whether a parameter of type A (the runtime's) passes like one of type B
/// (cuda.h's) in the C ABI.
template <typename A, typename B> struct Compatible {
  static constexpr bool get() {
    if constexpr (std::is_same_v<A, B>)
      return true;
    else if constexpr (std::is_class_v<A> && std::is_class_v<B>)
      // A structure passed by value (ncclUniqueId): same bytes, same
      // alignment.
      return sizeof(A) == sizeof(B) && alignof(A) == alignof(B);
    else if constexpr ((std::is_integral_v<A> || std::is_enum_v<A>)&&(
                           std::is_integral_v<B> || std::is_enum_v<B>))
      return sizeof(A) == sizeof(B);
    else if constexpr (std::is_pointer_v<A> && std::is_pointer_v<B>) {
      using PointeeA = std::remove_pointer_t<A>;
      using PointeeB = std::remove_pointer_t<B>;
      if constexpr (std::is_const_v<PointeeA> != std::is_const_v<PointeeB>)
        return false;
      else if constexpr (std::is_class_v<PointeeA> && std::is_class_v<PointeeB>)
        return true; // opaque handles: CUctx_st * and ContextObject *
      else
        return Compatible<std::remove_cv_t<PointeeA>,
                          std::remove_cv_t<PointeeB>>::get();
    } else
      return false;
  }
};

/// Whether function pointer types F (the runtime's) and G (cuda.h's) have
/// compatible results and parameters.
template <typename F, typename G> struct SameSignature : std::false_type {};
template <typename R1, typename... A1, typename R2, typename... A2>
struct SameSignature<R1 (*)(A1...), R2 (*)(A2...)> {
  static constexpr bool get() {
    if constexpr (sizeof...(A1) != sizeof...(A2))
      return false;
    else
      return Compatible<R1, R2>::get() && (Compatible<A1, A2>::get() && ...);
  }
  static constexpr bool value = get();
};

#define XF_STRINGIFY(name) #name
/// The symbol cuda.h binds `name` to (its macros add version suffixes).
#define XF_SYMBOL_OF(name) XF_STRINGIFY(name)
/// Checks member `member` of DriverFunctions against cuda.h's `function`.
#define XF_CHECK_FUNCTION(member, function)                                    \
  static_assert(SameSignature<decltype(xfcuda::DriverFunctions::member),       \
                              decltype(&function)>::value,                     \
                "DriverFunctions::" #member " does not match " #function)

XF_CHECK_FUNCTION(init, cuInit);
XF_CHECK_FUNCTION(driverGetVersion, cuDriverGetVersion);
XF_CHECK_FUNCTION(getErrorName, cuGetErrorName);
XF_CHECK_FUNCTION(getErrorString, cuGetErrorString);
XF_CHECK_FUNCTION(deviceGetCount, cuDeviceGetCount);
XF_CHECK_FUNCTION(deviceGet, cuDeviceGet);
XF_CHECK_FUNCTION(deviceGetName, cuDeviceGetName);
XF_CHECK_FUNCTION(deviceGetAttribute, cuDeviceGetAttribute);
XF_CHECK_FUNCTION(devicePrimaryCtxRetain, cuDevicePrimaryCtxRetain);
XF_CHECK_FUNCTION(ctxSetCurrent, cuCtxSetCurrent);
XF_CHECK_FUNCTION(moduleLoadData, cuModuleLoadData);
XF_CHECK_FUNCTION(moduleUnload, cuModuleUnload);
XF_CHECK_FUNCTION(moduleGetFunction, cuModuleGetFunction);
XF_CHECK_FUNCTION(launchKernel, cuLaunchKernel);
XF_CHECK_FUNCTION(streamCreate, cuStreamCreate);
XF_CHECK_FUNCTION(streamSynchronize, cuStreamSynchronize);
XF_CHECK_FUNCTION(streamDestroy, cuStreamDestroy);
XF_CHECK_FUNCTION(memAllocManaged, cuMemAllocManaged);
XF_CHECK_FUNCTION(memFree, cuMemFree);
XF_CHECK_FUNCTION(memcpy, cuMemcpy);
XF_CHECK_FUNCTION(memcpyAsync, cuMemcpyAsync);

static_assert(sizeof(xfcuda::DevicePointer) == sizeof(CUdeviceptr));
static_assert(sizeof(xfcuda::Device) == sizeof(CUdevice));
static_assert(xfcuda::kSuccess == CUDA_SUCCESS);
static_assert(xfcuda::kErrorOutOfMemory == CUDA_ERROR_OUT_OF_MEMORY);
static_assert(xfcuda::kErrorStubLibrary == CUDA_ERROR_STUB_LIBRARY);
static_assert(xfcuda::kErrorNoDevice == CUDA_ERROR_NO_DEVICE);
static_assert(xfcuda::kErrorNoBinaryForGpu == CUDA_ERROR_NO_BINARY_FOR_GPU);
static_assert(xfcuda::kErrorUnsupportedPtxVersion ==
              CUDA_ERROR_UNSUPPORTED_PTX_VERSION);
static_assert(xfcuda::kAttributeComputeCapabilityMajor ==
              CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
static_assert(xfcuda::kAttributeComputeCapabilityMinor ==
              CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
static_assert(xfcuda::kAttributeManagedMemory ==
              CU_DEVICE_ATTRIBUTE_MANAGED_MEMORY);
static_assert(xfcuda::kMemAttachGlobal == CU_MEM_ATTACH_GLOBAL);
static_assert(xfcuda::kStreamNonBlocking == CU_STREAM_NON_BLOCKING);

/// Checks member `member` of BlasFunctions against cublasLt.h's `function`.
#define XF_CHECK_BLAS_FUNCTION(member, function)                               \
  static_assert(SameSignature<decltype(xfcuda::BlasFunctions::member),         \
                              decltype(&function)>::value,                     \
                "BlasFunctions::" #member " does not match " #function)

XF_CHECK_BLAS_FUNCTION(create, cublasLtCreate);
XF_CHECK_BLAS_FUNCTION(matmulDescCreate, cublasLtMatmulDescCreate);
XF_CHECK_BLAS_FUNCTION(matmulDescDestroy, cublasLtMatmulDescDestroy);
XF_CHECK_BLAS_FUNCTION(matmulDescSetAttribute, cublasLtMatmulDescSetAttribute);
XF_CHECK_BLAS_FUNCTION(matrixLayoutCreate, cublasLtMatrixLayoutCreate);
XF_CHECK_BLAS_FUNCTION(matrixLayoutDestroy, cublasLtMatrixLayoutDestroy);
XF_CHECK_BLAS_FUNCTION(matrixLayoutSetAttribute,
                       cublasLtMatrixLayoutSetAttribute);
XF_CHECK_BLAS_FUNCTION(matmulPreferenceCreate, cublasLtMatmulPreferenceCreate);
XF_CHECK_BLAS_FUNCTION(matmulPreferenceDestroy,
                       cublasLtMatmulPreferenceDestroy);
XF_CHECK_BLAS_FUNCTION(matmulPreferenceSetAttribute,
                       cublasLtMatmulPreferenceSetAttribute);
XF_CHECK_BLAS_FUNCTION(matmul, cublasLtMatmul);
XF_CHECK_BLAS_FUNCTION(getStatusName, cublasLtGetStatusName);
// The heuristic's results are an array the runtime allocates: same layout.
static_assert(sizeof(xfcuda::MatmulHeuristicResult) ==
              sizeof(cublasLtMatmulHeuristicResult_t));
static_assert(offsetof(xfcuda::MatmulHeuristicResult, workspaceSize) ==
              offsetof(cublasLtMatmulHeuristicResult_t, workspaceSize));
static_assert(offsetof(xfcuda::MatmulHeuristicResult, state) ==
              offsetof(cublasLtMatmulHeuristicResult_t, state));
static_assert(sizeof(xfcuda::MatmulAlgo) == sizeof(cublasLtMatmulAlgo_t));
static_assert(
    SameSignature<
        decltype(xfcuda::BlasFunctions::matmulAlgoGetHeuristic),
        xfcuda::BlasStatus (*)(cublasLtHandle_t, cublasLtMatmulDesc_t,
                               cublasLtMatrixLayout_t, cublasLtMatrixLayout_t,
                               cublasLtMatrixLayout_t, cublasLtMatrixLayout_t,
                               cublasLtMatmulPreference_t, int,
                               xfcuda::MatmulHeuristicResult *, int *)>::value);
static_assert(xfcuda::kBlasSuccess == CUBLAS_STATUS_SUCCESS);
static_assert(xfcuda::kDataTypeF32 == CUDA_R_32F &&
              xfcuda::kDataTypeF16 == CUDA_R_16F &&
              xfcuda::kDataTypeBF16 == CUDA_R_16BF);
static_assert(xfcuda::kComputeF32 == CUBLAS_COMPUTE_32F &&
              xfcuda::kComputeF32FastTf32 == CUBLAS_COMPUTE_32F_FAST_TF32);
static_assert(xfcuda::kOpNone == CUBLAS_OP_N &&
              xfcuda::kOpTranspose == CUBLAS_OP_T);
static_assert(xfcuda::kMatmulDescTransA == CUBLASLT_MATMUL_DESC_TRANSA &&
              xfcuda::kMatmulDescTransB == CUBLASLT_MATMUL_DESC_TRANSB);
static_assert(xfcuda::kMatmulDescEpilogue == CUBLASLT_MATMUL_DESC_EPILOGUE &&
              xfcuda::kMatmulDescBiasPointer ==
                  CUBLASLT_MATMUL_DESC_BIAS_POINTER);
static_assert(xfcuda::kEpilogueDefault == CUBLASLT_EPILOGUE_DEFAULT &&
              xfcuda::kEpilogueRelu == CUBLASLT_EPILOGUE_RELU &&
              xfcuda::kEpilogueBias == CUBLASLT_EPILOGUE_BIAS &&
              (xfcuda::kEpilogueRelu | xfcuda::kEpilogueBias) ==
                  CUBLASLT_EPILOGUE_RELU_BIAS);
static_assert(xfcuda::kLayoutBatchCount == CUBLASLT_MATRIX_LAYOUT_BATCH_COUNT);
static_assert(xfcuda::kLayoutStridedBatchOffset ==
              CUBLASLT_MATRIX_LAYOUT_STRIDED_BATCH_OFFSET);
static_assert(xfcuda::kPreferenceMaxWorkspaceBytes ==
              CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES);

#ifdef XF_HAVE_CUDNN_H
/// Checks member `member` of DnnFunctions against cudnn.h's `cudnn<Member>`.
#define XF_CHECK_DNN_FUNCTION(member, function)                                \
  static_assert(SameSignature<decltype(xfcuda::DnnFunctions::member),          \
                              decltype(&function)>::value,                     \
                "DnnFunctions::" #member " does not match " #function)

XF_CHECK_DNN_FUNCTION(create, cudnnCreate);
XF_CHECK_DNN_FUNCTION(setStream, cudnnSetStream);
XF_CHECK_DNN_FUNCTION(getErrorString, cudnnGetErrorString);
XF_CHECK_DNN_FUNCTION(createTensorDescriptor, cudnnCreateTensorDescriptor);
XF_CHECK_DNN_FUNCTION(setTensor4dDescriptorEx, cudnnSetTensor4dDescriptorEx);
XF_CHECK_DNN_FUNCTION(destroyTensorDescriptor, cudnnDestroyTensorDescriptor);
XF_CHECK_DNN_FUNCTION(createFilterDescriptor, cudnnCreateFilterDescriptor);
XF_CHECK_DNN_FUNCTION(setFilter4dDescriptor, cudnnSetFilter4dDescriptor);
XF_CHECK_DNN_FUNCTION(destroyFilterDescriptor, cudnnDestroyFilterDescriptor);
XF_CHECK_DNN_FUNCTION(createConvolutionDescriptor,
                      cudnnCreateConvolutionDescriptor);
XF_CHECK_DNN_FUNCTION(setConvolution2dDescriptor,
                      cudnnSetConvolution2dDescriptor);
XF_CHECK_DNN_FUNCTION(setConvolutionGroupCount, cudnnSetConvolutionGroupCount);
XF_CHECK_DNN_FUNCTION(setConvolutionMathType, cudnnSetConvolutionMathType);
XF_CHECK_DNN_FUNCTION(destroyConvolutionDescriptor,
                      cudnnDestroyConvolutionDescriptor);
XF_CHECK_DNN_FUNCTION(createActivationDescriptor,
                      cudnnCreateActivationDescriptor);
XF_CHECK_DNN_FUNCTION(setActivationDescriptor, cudnnSetActivationDescriptor);
XF_CHECK_DNN_FUNCTION(setActivationDescriptorSwishBeta,
                      cudnnSetActivationDescriptorSwishBeta);
XF_CHECK_DNN_FUNCTION(destroyActivationDescriptor,
                      cudnnDestroyActivationDescriptor);
XF_CHECK_DNN_FUNCTION(getConvolutionForwardWorkspaceSize,
                      cudnnGetConvolutionForwardWorkspaceSize);
XF_CHECK_DNN_FUNCTION(convolutionForward, cudnnConvolutionForward);
XF_CHECK_DNN_FUNCTION(addTensor, cudnnAddTensor);
XF_CHECK_DNN_FUNCTION(activationForward, cudnnActivationForward);
// The algorithms' results are an array the runtime allocates: same layout.
static_assert(
    SameSignature<
        decltype(xfcuda::DnnFunctions::getConvolutionForwardAlgorithm_v7),
        xfcuda::DnnStatus (*)(
            cudnnHandle_t, cudnnTensorDescriptor_t, cudnnFilterDescriptor_t,
            cudnnConvolutionDescriptor_t, cudnnTensorDescriptor_t, int, int *,
            xfcuda::ConvolutionAlgoPerf *)>::value &&
    SameSignature<decltype(&cudnnGetConvolutionForwardAlgorithm_v7),
                  cudnnStatus_t (*)(cudnnHandle_t, cudnnTensorDescriptor_t,
                                    cudnnFilterDescriptor_t,
                                    cudnnConvolutionDescriptor_t,
                                    cudnnTensorDescriptor_t, int, int *,
                                    cudnnConvolutionFwdAlgoPerf_t *)>::value);
static_assert(sizeof(xfcuda::ConvolutionAlgoPerf) ==
              sizeof(cudnnConvolutionFwdAlgoPerf_t));
static_assert(offsetof(xfcuda::ConvolutionAlgoPerf, status) ==
              offsetof(cudnnConvolutionFwdAlgoPerf_t, status));
static_assert(offsetof(xfcuda::ConvolutionAlgoPerf, memory) ==
              offsetof(cudnnConvolutionFwdAlgoPerf_t, memory));
static_assert(sizeof(cudnnConvolutionFwdAlgo_t) == sizeof(int) &&
              sizeof(cudnnStatus_t) == sizeof(xfcuda::DnnStatus));
static_assert(xfcuda::kDnnSuccess == CUDNN_STATUS_SUCCESS);
static_assert(xfcuda::kDnnDataFloat == CUDNN_DATA_FLOAT);
static_assert(xfcuda::kDnnTensorNchw == CUDNN_TENSOR_NCHW);
static_assert(xfcuda::kDnnCrossCorrelation == CUDNN_CROSS_CORRELATION);
static_assert(xfcuda::kDnnDefaultMath == CUDNN_DEFAULT_MATH &&
              xfcuda::kDnnFmaMath == CUDNN_FMA_MATH);
static_assert(xfcuda::kDnnActivationRelu == CUDNN_ACTIVATION_RELU &&
              xfcuda::kDnnActivationSwish == CUDNN_ACTIVATION_SWISH);
static_assert(xfcuda::kDnnPropagateNan == CUDNN_PROPAGATE_NAN);
// The runtime opens cuDNN 9's library.
static_assert(CUDNN_MAJOR == 9);
#endif

#ifdef XF_HAVE_NCCL_H
/// Checks member `member` of NcclFunctions against nccl.h's `function`.
#define XF_CHECK_NCCL_FUNCTION(member, function)                               \
  static_assert(SameSignature<decltype(xfcuda::NcclFunctions::member),         \
                              decltype(&function)>::value,                     \
                "NcclFunctions::" #member " does not match " #function)

XF_CHECK_NCCL_FUNCTION(getVersion, ncclGetVersion);
XF_CHECK_NCCL_FUNCTION(getUniqueId, ncclGetUniqueId);
XF_CHECK_NCCL_FUNCTION(commInitRank, ncclCommInitRank);
XF_CHECK_NCCL_FUNCTION(commDestroy, ncclCommDestroy);
XF_CHECK_NCCL_FUNCTION(getErrorString, ncclGetErrorString);
XF_CHECK_NCCL_FUNCTION(getLastError, ncclGetLastError);
XF_CHECK_NCCL_FUNCTION(allReduce, ncclAllReduce);
XF_CHECK_NCCL_FUNCTION(allGather, ncclAllGather);
XF_CHECK_NCCL_FUNCTION(reduceScatter, ncclReduceScatter);
XF_CHECK_NCCL_FUNCTION(broadcast, ncclBroadcast);
XF_CHECK_NCCL_FUNCTION(send, ncclSend);
XF_CHECK_NCCL_FUNCTION(recv, ncclRecv);
XF_CHECK_NCCL_FUNCTION(groupStart, ncclGroupStart);
XF_CHECK_NCCL_FUNCTION(groupEnd, ncclGroupEnd);
static_assert(sizeof(xfcuda::NcclUniqueId) == NCCL_UNIQUE_ID_BYTES);
static_assert(xfcuda::kNcclSuccess == ncclSuccess);
static_assert(xfcuda::kNcclInt8 == ncclInt8 &&
              xfcuda::kNcclUint8 == ncclUint8 &&
              xfcuda::kNcclInt32 == ncclInt32 &&
              xfcuda::kNcclUint32 == ncclUint32 &&
              xfcuda::kNcclInt64 == ncclInt64 &&
              xfcuda::kNcclUint64 == ncclUint64 &&
              xfcuda::kNcclFloat16 == ncclFloat16 &&
              xfcuda::kNcclFloat32 == ncclFloat32 &&
              xfcuda::kNcclFloat64 == ncclFloat64 &&
              xfcuda::kNcclBfloat16 == ncclBfloat16);
static_assert(xfcuda::kNcclSum == ncclSum && xfcuda::kNcclProd == ncclProd &&
              xfcuda::kNcclMax == ncclMax && xfcuda::kNcclMin == ncclMin);
#endif

// The versioned symbols the runtime resolves are the ones cuda.h calls.
TEST(CudaDriverAbi, VersionedSymbolNamesAreThoseOfCudaH) {
  EXPECT_EQ(std::string(XF_SYMBOL_OF(cuStreamDestroy)), "cuStreamDestroy_v2");
  EXPECT_EQ(std::string(XF_SYMBOL_OF(cuMemFree)), "cuMemFree_v2");
  for (const char *unversioned :
       {XF_SYMBOL_OF(cuInit), XF_SYMBOL_OF(cuMemAllocManaged),
        XF_SYMBOL_OF(cuLaunchKernel), XF_SYMBOL_OF(cuModuleLoadData),
        XF_SYMBOL_OF(cuModuleGetFunction), XF_SYMBOL_OF(cuStreamCreate),
        XF_SYMBOL_OF(cuDevicePrimaryCtxRetain), XF_SYMBOL_OF(cuCtxSetCurrent),
        XF_SYMBOL_OF(cuDeviceGet), XF_SYMBOL_OF(cuDeviceGetCount)})
    EXPECT_EQ(std::string(unversioned).find("_v"), std::string::npos)
        << unversioned;
}

// Every code the runtime names has cuda.h's name for it.
TEST(CudaDriverAbi, ResultNamesAreThoseOfCudaH) {
  EXPECT_EQ(xfcuda::getResultName(CUDA_ERROR_NO_BINARY_FOR_GPU),
            "CUDA_ERROR_NO_BINARY_FOR_GPU");
  EXPECT_EQ(xfcuda::getResultName(CUDA_ERROR_STUB_LIBRARY),
            "CUDA_ERROR_STUB_LIBRARY");
  EXPECT_EQ(xfcuda::getResultName(CUDA_ERROR_OUT_OF_MEMORY),
            "CUDA_ERROR_OUT_OF_MEMORY");
  EXPECT_EQ(xfcuda::getResultName(CUDA_ERROR_ILLEGAL_ADDRESS),
            "CUDA error 700");
}
} // namespace
