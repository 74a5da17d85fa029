//===- CublasLt.h - cuBLASLt, loaded at run time ----------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The matmuls of CUDA artifacts run on cuBLASLt (libcublasLt.so.13 of the
// CUDA toolkit, or of the runtime's folder on a GPU node). Like the driver
// (CudaDriver.h), it is opened with dlopen on first use and declared here
// with its C ABI, so that the runtime neither links nor needs it for CPU
// artifacts; CudaDriverAbiTest checks these declarations against
// cublasLt.h where a toolkit is found.
//
// Internal to the runtime library.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_RUNTIME_CUDA_CUBLASLT_H
#define EXAFORGE_RUNTIME_CUDA_CUBLASLT_H

#include "CudaDriver.h"

#include "runtime/support/Error.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace exaforge::runtime::cuda {

/// cuBLAS's status (`cublasStatus_t`); 0 is success.
using BlasStatus = int;
/// Opaque cuBLASLt objects (`cublasLtHandle_t`, `cublasLtMatmulDesc_t`,
/// `cublasLtMatrixLayout_t`, `cublasLtMatmulPreference_t`).
using BlasHandle = struct BlasHandleObject *;
using MatmulDesc = struct MatmulDescObject *;
using MatrixLayout = struct MatrixLayoutObject *;
using MatmulPreference = struct MatmulPreferenceObject *;

/// `cublasLtMatmulAlgo_t`: an algorithm, as the heuristic returns it.
struct MatmulAlgo {
  uint64_t data[8];
};

/// `cublasLtMatmulHeuristicResult_t`.
struct MatmulHeuristicResult {
  MatmulAlgo algo;
  size_t workspaceSize;
  BlasStatus state;
  float wavesCount;
  int reserved[4];
};

/// Constants of cublasLt.h, cublas_api.h and library_types.h.
inline constexpr BlasStatus kBlasSuccess = 0;
/// `CUDA_R_32F`, `CUDA_R_16F`, `CUDA_R_16BF`.
inline constexpr int kDataTypeF32 = 0, kDataTypeF16 = 2, kDataTypeBF16 = 14;
/// `CUBLAS_COMPUTE_32F`, `CUBLAS_COMPUTE_32F_FAST_TF32`.
inline constexpr int kComputeF32 = 68, kComputeF32FastTf32 = 77;
/// `CUBLAS_OP_N`, `CUBLAS_OP_T`.
inline constexpr int kOpNone = 0, kOpTranspose = 1;
/// `CUBLASLT_MATMUL_DESC_TRANSA`, `CUBLASLT_MATMUL_DESC_TRANSB`.
inline constexpr int kMatmulDescTransA = 3, kMatmulDescTransB = 4;
/// `CUBLASLT_MATMUL_DESC_EPILOGUE`, `CUBLASLT_MATMUL_DESC_BIAS_POINTER`.
inline constexpr int kMatmulDescEpilogue = 7, kMatmulDescBiasPointer = 8;
/// `CUBLASLT_EPILOGUE_DEFAULT`, `CUBLASLT_EPILOGUE_RELU`,
/// `CUBLASLT_EPILOGUE_BIAS` (`RELU_BIAS` is `RELU | BIAS`).
inline constexpr uint32_t kEpilogueDefault = 1, kEpilogueRelu = 2,
                          kEpilogueBias = 4;
/// `CUBLASLT_MATRIX_LAYOUT_BATCH_COUNT`,
/// `CUBLASLT_MATRIX_LAYOUT_STRIDED_BATCH_OFFSET`.
inline constexpr int kLayoutBatchCount = 5, kLayoutStridedBatchOffset = 6;
/// `CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES`.
inline constexpr int kPreferenceMaxWorkspaceBytes = 1;

/// The cuBLASLt functions the runtime calls, with cuBLASLt's signatures.
struct BlasFunctions {
  BlasStatus (*create)(BlasHandle *handle);
  BlasStatus (*matmulDescCreate)(MatmulDesc *desc, int computeType,
                                 int scaleType);
  BlasStatus (*matmulDescDestroy)(MatmulDesc desc);
  BlasStatus (*matmulDescSetAttribute)(MatmulDesc desc, int attribute,
                                       const void *value, size_t bytes);
  BlasStatus (*matrixLayoutCreate)(MatrixLayout *layout, int type,
                                   uint64_t rows, uint64_t cols, int64_t ld);
  BlasStatus (*matrixLayoutDestroy)(MatrixLayout layout);
  BlasStatus (*matrixLayoutSetAttribute)(MatrixLayout layout, int attribute,
                                         const void *value, size_t bytes);
  BlasStatus (*matmulPreferenceCreate)(MatmulPreference *preference);
  BlasStatus (*matmulPreferenceDestroy)(MatmulPreference preference);
  BlasStatus (*matmulPreferenceSetAttribute)(MatmulPreference preference,
                                             int attribute, const void *value,
                                             size_t bytes);
  BlasStatus (*matmulAlgoGetHeuristic)(
      BlasHandle handle, MatmulDesc desc, MatrixLayout a, MatrixLayout b,
      MatrixLayout c, MatrixLayout d, MatmulPreference preference,
      int requestedCount, MatmulHeuristicResult results[], int *returnedCount);
  BlasStatus (*matmul)(BlasHandle handle, MatmulDesc desc, const void *alpha,
                       const void *a, MatrixLayout aLayout, const void *b,
                       MatrixLayout bLayout, const void *beta, const void *c,
                       MatrixLayout cLayout, void *d, MatrixLayout dLayout,
                       const MatmulAlgo *algo, void *workspace,
                       size_t workspaceBytes, Stream stream);
  const char *(*getStatusName)(BlasStatus status);
};

/// cuBLASLt of this process, loaded once, with one handle.
class CublasLt {
public:
  /// Opens `libcublasLt.so.13` (or the file EXAFORGE_CUBLASLT names),
  /// resolves BlasFunctions and creates a handle; the device's context must
  /// be current. The first call does the work, later calls return its
  /// result.
  static support::Expected<const CublasLt *> get();

  const BlasFunctions &operator*() const { return functions; }
  const BlasFunctions *operator->() const { return &functions; }
  BlasHandle getHandle() const { return handle; }

  /// "CUBLAS_STATUS_NAME" for `status`.
  std::string describe(BlasStatus status) const;

private:
  CublasLt() = default;
  BlasFunctions functions{};
  BlasHandle handle = nullptr;
};

} // namespace exaforge::runtime::cuda

#endif // EXAFORGE_RUNTIME_CUDA_CUBLASLT_H
