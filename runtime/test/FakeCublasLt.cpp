//===- FakeCublasLt.cpp - cuBLASLt's matmul on the host, for tests --------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// libexaforge_fake_cublaslt.so exports the cuBLASLt functions the runtime
// opens (runtime/src/cuda/CublasLt.h) and computes cublasLtMatmul on the
// host, as cuBLASLt documents it: column-major matrices of `rows` x `cols`
// with leading dimension `ld`, D = alpha * op(A) * op(B) + beta * C, with
// strided batches; A and B of f32, f16 or bf16, C and D of f32; the
// epilogues BIAS (a packed vector of one value per row of D, the same for
// every batch), RELU and RELU_BIAS (max(x, 0), computed as fmaxf: a NaN
// becomes 0, which is what a GPU's max instruction gives; cuBLASLt does
// not document it). With the
// fake driver (FakeCudaDriver.cpp, whose "GPU
// memory" is host memory), a CUDA artifact's matmuls thus compute real
// values on a machine without a GPU:
//
//   EXAFORGE_CUDA_DRIVER=.../libexaforge_fake_cuda.so \
//   EXAFORGE_CUBLASLT=.../libexaforge_fake_cublaslt.so exaforge run m.xf
//
// which checks how the runtime lays out its strided row-major views for a
// column-major library (MatmulPlan.h), not cuBLASLt itself. Each matmul and
// each heuristic query is logged to stderr as `fake-cublaslt: ...`.
//
//===----------------------------------------------------------------------===//

#include "FakeStreamWork.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace {
using Status = int;
constexpr Status kSuccess = 0, kInvalidValue = 7;

/// The data types of matrices the fake reads: CUDA_R_32F, CUDA_R_16F,
/// CUDA_R_16BF.
constexpr int kF32 = 0, kF16 = 2, kBF16 = 14;

/// A matrix layout: cublasLtMatrixLayoutCreate's arguments and the batch
/// attributes.
struct Layout {
  int type;
  uint64_t rows, cols;
  int64_t ld;
  int32_t batch = 1;
  int64_t batchStride = 0;
};

/// A matmul descriptor: the compute type, the operations on A and B, and
/// the epilogue with its bias.
struct Desc {
  int computeType;
  int32_t transA = 0, transB = 0;
  /// CUBLASLT_EPILOGUE_DEFAULT (1), RELU (2), BIAS (4) or RELU_BIAS (6).
  uint32_t epilogue = 1;
  const float *bias = nullptr;
};

int handleObject, preferenceObject;

/// The workspace the last preference allowed (the runtime uses one
/// preference at a time).
uint64_t maxWorkspaceBytes = 0;

/// The value of the IEEE half-precision number with bits `bits`.
float halfToFloat(uint16_t bits) {
  int exponent = (bits >> 10) & 0x1f;
  int mantissa = bits & 0x3ff;
  float value = exponent == 0 ? std::ldexp(float(mantissa), -24)
                : exponent == 31
                    ? (mantissa ? NAN : INFINITY)
                    : std::ldexp(float(mantissa | 0x400), exponent - 25);
  return (bits & 0x8000) ? -value : value;
}

/// Element `index` of a matrix of `type` at `data`.
float load(const void *data, int type, int64_t index) {
  if (type == kF32)
    return static_cast<const float *>(data)[index];
  uint16_t bits = static_cast<const uint16_t *>(data)[index];
  if (type == kF16)
    return halfToFloat(bits);
  uint32_t word = uint32_t(bits) << 16; // bf16: the upper half of an f32
  float value;
  std::memcpy(&value, &word, sizeof(value));
  return value;
}

/// The bytes of one element of `type`.
int64_t elementBytes(int type) { return type == kF32 ? 4 : 2; }

/// Element (i, j) of op(X), X column-major of `type` with `ld`.
float at(const void *x, int type, int64_t ld, bool transposed, uint64_t i,
         uint64_t j) {
  return load(x, type, transposed ? j + i * ld : i + j * ld);
}
} // namespace

extern "C" {

Status cublasLtCreate(void **handle) {
  *handle = &handleObject;
  return kSuccess;
}

const char *cublasLtGetStatusName(Status status) {
  return status == kSuccess ? "CUBLAS_STATUS_SUCCESS"
                            : "CUBLAS_STATUS_INVALID_VALUE";
}

Status cublasLtMatmulDescCreate(void **desc, int computeType, int scaleType) {
  // CUBLAS_COMPUTE_32F or _32F_FAST_TF32 (computed in f32 all the same),
  // with CUDA_R_32F scaling.
  if ((computeType != 68 && computeType != 77) || scaleType != 0)
    return kInvalidValue;
  *desc = new Desc{computeType};
  return kSuccess;
}

Status cublasLtMatmulDescDestroy(void *desc) {
  delete static_cast<Desc *>(desc);
  return kSuccess;
}

Status cublasLtMatmulDescSetAttribute(void *descPointer, int attribute,
                                      const void *value, size_t bytes) {
  Desc &desc = *static_cast<Desc *>(descPointer);
  // CUBLASLT_MATMUL_DESC_TRANSA and _TRANSB.
  if ((attribute == 3 || attribute == 4) && bytes == sizeof(int32_t)) {
    std::memcpy(attribute == 3 ? &desc.transA : &desc.transB, value, bytes);
    return kSuccess;
  }
  // CUBLASLT_MATMUL_DESC_EPILOGUE: the four the runtime may ask for.
  if (attribute == 7 && bytes == sizeof(uint32_t)) {
    uint32_t epilogue;
    std::memcpy(&epilogue, value, bytes);
    if (epilogue != 1 && epilogue != 2 && epilogue != 4 && epilogue != 6)
      return kInvalidValue;
    desc.epilogue = epilogue;
    return kSuccess;
  }
  // CUBLASLT_MATMUL_DESC_BIAS_POINTER.
  if (attribute == 8 && bytes == sizeof(void *)) {
    std::memcpy(&desc.bias, value, bytes);
    return kSuccess;
  }
  return kInvalidValue;
}

Status cublasLtMatrixLayoutCreate(void **layout, int type, uint64_t rows,
                                  uint64_t cols, int64_t ld) {
  // CUDA_R_32F, _16F or _16BF, and a leading dimension that holds a column.
  if ((type != kF32 && type != kF16 && type != kBF16) ||
      (cols > 1 && ld < static_cast<int64_t>(rows)) || ld < 1)
    return kInvalidValue;
  *layout = new Layout{type, rows, cols, ld};
  return kSuccess;
}

Status cublasLtMatrixLayoutDestroy(void *layout) {
  delete static_cast<Layout *>(layout);
  return kSuccess;
}

Status cublasLtMatrixLayoutSetAttribute(void *layout, int attribute,
                                        const void *value, size_t bytes) {
  auto *matrix = static_cast<Layout *>(layout);
  if (attribute == 5 && bytes == sizeof(int32_t))
    std::memcpy(&matrix->batch, value, bytes);
  else if (attribute == 6 && bytes == sizeof(int64_t))
    std::memcpy(&matrix->batchStride, value, bytes);
  else
    return kInvalidValue;
  return kSuccess;
}

Status cublasLtMatmulPreferenceCreate(void **preference) {
  *preference = &preferenceObject;
  return kSuccess;
}

Status cublasLtMatmulPreferenceDestroy(void *) { return kSuccess; }

Status cublasLtMatmulPreferenceSetAttribute(void *, int attribute,
                                            const void *value, size_t bytes) {
  // CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES.
  if (attribute != 1 || bytes != sizeof(uint64_t))
    return kInvalidValue;
  std::memcpy(&maxWorkspaceBytes, value, bytes);
  return kSuccess;
}

Status cublasLtMatmulAlgoGetHeuristic(void *, void *, void *, void *, void *,
                                      void *, void *, int requested,
                                      void *results, int *returned) {
  if (requested < 1)
    return kInvalidValue;
  std::fprintf(stderr, "fake-cublaslt: heuristic, max workspace %llu\n",
               static_cast<unsigned long long>(maxWorkspaceBytes));
  // One algorithm, which uses up to 1 MiB of workspace when it may (its
  // size follows the 64-byte algorithm in the result; the other fields are
  // zero).
  std::memset(results, 0, 96);
  size_t workspace = std::min<uint64_t>(maxWorkspaceBytes, 1 << 20);
  std::memcpy(static_cast<char *>(results) + 64, &workspace, sizeof(workspace));
  *returned = 1;
  return kSuccess;
}

Status cublasLtMatmul(void *, void *descPointer, const void *alphaPointer,
                      const void *aPointer, void *aLayout, const void *bPointer,
                      void *bLayout, const void *betaPointer,
                      const void *cPointer, void *cLayout, void *dPointer,
                      void *dLayout, const void *, void *workspace,
                      size_t workspaceBytes, void *) {
  FakeStreamWork work;
  const Desc &desc = *static_cast<Desc *>(descPointer);
  const Layout &la = *static_cast<Layout *>(aLayout);
  const Layout &lb = *static_cast<Layout *>(bLayout);
  const Layout &lc = *static_cast<Layout *>(cLayout);
  const Layout &ld = *static_cast<Layout *>(dLayout);
  uint64_t m = desc.transA ? la.cols : la.rows;
  uint64_t k = desc.transA ? la.rows : la.cols;
  uint64_t kb = desc.transB ? lb.cols : lb.rows;
  uint64_t n = desc.transB ? lb.rows : lb.cols;
  const char *epilogue = desc.epilogue == 2   ? ", epilogue RELU"
                         : desc.epilogue == 4 ? ", epilogue BIAS"
                         : desc.epilogue == 6 ? ", epilogue RELU_BIAS"
                                              : "";
  std::fprintf(stderr,
               "fake-cublaslt: matmul %llux%llux%llu batch %d, A %s ld %lld, "
               "B %s ld %lld, D ld %lld, compute %s%s%s, workspace %zu\n",
               (unsigned long long)m, (unsigned long long)n,
               (unsigned long long)k, ld.batch, desc.transA ? "T" : "N",
               (long long)la.ld, desc.transB ? "T" : "N", (long long)lb.ld,
               (long long)ld.ld,
               desc.computeType == 77 ? "32F_FAST_TF32" : "32F",
               la.type == kBF16  ? ", A and B 16BF"
               : la.type == kF16 ? ", A and B 16F"
                                 : "",
               epilogue, workspaceBytes);
  // The workspace the heuristic's algorithm asked for must be memory the
  // call may write.
  if (workspaceBytes && !workspace)
    return kInvalidValue;
  if (workspaceBytes)
    std::memset(workspace, 0, workspaceBytes);
  // A and B of one type (f32, f16 or bf16); C and D f32, as the runtime
  // calls it.
  if (k != kb || lc.rows != m || lc.cols != n || ld.rows != m || ld.cols != n ||
      la.batch != ld.batch || lb.batch != ld.batch || la.type != lb.type ||
      lc.type != kF32 || ld.type != kF32)
    return kInvalidValue;
  bool addBias = desc.epilogue & 4, relu = desc.epilogue & 2;
  if (addBias && !desc.bias)
    return kInvalidValue;
  float alpha = *static_cast<const float *>(alphaPointer);
  float beta = *static_cast<const float *>(betaPointer);
  for (int32_t batch = 0; batch < ld.batch; ++batch) {
    const char *a = static_cast<const char *>(aPointer) +
                    batch * la.batchStride * elementBytes(la.type);
    const char *b = static_cast<const char *>(bPointer) +
                    batch * lb.batchStride * elementBytes(lb.type);
    const float *c =
        static_cast<const float *>(cPointer) + batch * lc.batchStride;
    float *d = static_cast<float *>(dPointer) + batch * ld.batchStride;
    for (uint64_t i = 0; i < m; ++i)
      for (uint64_t j = 0; j < n; ++j) {
        double sum = 0;
        for (uint64_t p = 0; p < k; ++p)
          sum += double(at(a, la.type, la.ld, desc.transA, i, p)) *
                 at(b, lb.type, lb.ld, desc.transB, p, j);
        // beta = 0 ignores C, even where it holds NaN (as cuBLASLt does).
        double result = alpha * sum;
        if (beta != 0.0f)
          result += beta * c[i + j * lc.ld];
        float value = static_cast<float>(result);
        if (addBias)
          value += desc.bias[i];
        if (relu)
          value = std::fmax(value, 0.0f);
        d[i + j * ld.ld] = value;
      }
  }
  return kSuccess;
}

} // extern "C"
