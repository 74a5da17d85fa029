//===- CudaMatmul.cpp - The matmul kernels of CUDA artifacts, on cuBLASLt -===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// `xf_cuda_matmul_f32` and `xf_cuda_batch_matmul_f32`: the kernels the CUDA
// target calls for linalg.matmul and linalg.batch_matmul, with the
// arguments of their CPU counterparts in exaforge/abi/kernels.h, and their
// `_bf16` and `_f16` forms, whose A and B are 16-bit floats
// (`--precision bf16|f16`). Each call runs one cuBLASLt matmul
// (strided-batched for the batched one) on the run's stream, in f32 (or
// TF32 with `--precision tf32`, or on the 16-bit operands) with f32
// accumulation into an f32 C, laid out by planMatmul, then
// waits for it, as a generated kernel's launch does. A failure stops the
// run with the ONNX node's name and cuBLASLt's reason.
//
// The descriptors and the heuristic's algorithm are made once per shape
// (MatmulCache). The heuristic may choose algorithms that use up to
// kWorkspaceBytes of workspace (NVIDIA recommends 32 MiB on Hopper); a call
// whose algorithm uses one takes a workspace from a pool for its duration
// (WorkspacePool), so concurrent runs never share one.
//
// The bias and ReLU of XF_KERNEL_BIAS and XF_KERNEL_RELU are cuBLASLt's
// epilogue (CUBLASLT_EPILOGUE_BIAS, _RELU, _RELU_BIAS) when the call
// computes C^T (a row-major C: cuBLASLt's bias is one value per row of its
// D, which is then per column of C) and the bias is packed. Otherwise, and
// for an empty sum (K = 0), the runtime applies them on the host after the
// call: the buffers are managed memory and the stream is idle between
// kernels (docs/design/cuda-target.md).
//
//===----------------------------------------------------------------------===//

#include "CublasLt.h"
#include "CudaLaunch.h"
#include "MatmulPlan.h"

#include "exaforge/abi/kernels.h"
#include "runtime/src/OnnxRelu.h"
#include "runtime/src/Status.h"

#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

using namespace exaforge::support;

namespace exaforge::runtime::cuda {
namespace {

/// One matrix of a (batched) matmul: its elements and view, and, batched,
/// the distance between consecutive matrices (in elements).
struct MatmulOperand {
  void *data;
  MatrixView view;
  int64_t batchStride;
};

/// The element type of A and B (C is f32): a cuBLAS data type (`CUDA_R_*`).
struct OperandType {
  int blasType;
  const char *name;
};
constexpr OperandType kF32Operands{kDataTypeF32, "f32"},
    kBF16Operands{kDataTypeBF16, "bf16"}, kF16Operands{kDataTypeF16, "f16"};

/// The cuBLASLt objects of one matmul shape: its descriptor (with its
/// epilogue), the layouts of its two operands and of C (which is also D),
/// and the heuristic's algorithm. Destroys them with itself.
struct PreparedMatmul {
  const BlasFunctions *blas;
  MatmulDesc desc = nullptr;
  MatrixLayout layouts[3] = {};
  MatmulAlgo algo{};
  /// The workspace the algorithm uses, at most kWorkspaceBytes.
  size_t workspaceBytes = 0;
  /// Held while a call sets the descriptor's bias pointer and enqueues its
  /// matmul: cuBLASLt reads the descriptor when the call is made, and
  /// concurrent runs share the descriptor.
  mutable std::mutex callMutex;
  explicit PreparedMatmul(const BlasFunctions &blas) : blas(&blas) {}
  PreparedMatmul(const PreparedMatmul &) = delete;
  PreparedMatmul &operator=(const PreparedMatmul &) = delete;
  ~PreparedMatmul() {
    for (MatrixLayout layout : layouts)
      if (layout)
        blas->matrixLayoutDestroy(layout);
    if (desc)
      blas->matmulDescDestroy(desc);
  }
};

/// What a PreparedMatmul depends on: the plan, the batch and its strides,
/// whether TF32 is allowed, the operands' type, the epilogue and whether
/// the bias is 16-byte aligned (the heuristic chooses by its alignment).
using MatmulKey =
    std::tuple<int64_t, int64_t, int64_t, bool, int64_t, int64_t, int64_t, bool,
               int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
               bool, int, uint32_t, bool>;

/// The prepared matmuls of this process, by shape: the descriptors and the
/// heuristic's choice are made once per shape, not at every call. Entries
/// are never removed (a model has a few dozen shapes).
struct MatmulCache {
  std::mutex mutex;
  std::map<MatmulKey, std::unique_ptr<PreparedMatmul>> entries;
};

/// The cache of this process.
MatmulCache &getMatmulCache() {
  static MatmulCache cache;
  return cache;
}

/// The most workspace a matmul's algorithm may use.
constexpr uint64_t kWorkspaceBytes = uint64_t(32) << 20;

/// The matmul workspaces of this process that no run uses now: the first
/// matmul of a run whose algorithm needs one takes it (or allocates one),
/// and the run gives it back when its work is done, so that concurrent
/// runs, each on its own stream, never share one.
struct WorkspacePool {
  std::mutex mutex;
  std::vector<ManagedBuffer> free;
};

/// The pool of this process. Like cuDNN's handles (CudaConv.cpp), it is
/// never destroyed: freeing GPU memory at exit could call the driver after
/// it shut down.
WorkspacePool &getWorkspacePool() {
  static WorkspacePool *pool = new WorkspacePool;
  return *pool;
}

/// A workspace of kWorkspaceBytes taken from the pool for the matmuls of
/// one run, given back with itself (when the run's work is done).
class WorkspaceLease : public RunResource {
public:
  WorkspaceLease() = default;
  WorkspaceLease(const WorkspaceLease &) = delete;
  WorkspaceLease &operator=(const WorkspaceLease &) = delete;
  ~WorkspaceLease() override {
    if (!buffer)
      return;
    WorkspacePool &pool = getWorkspacePool();
    std::lock_guard<std::mutex> lock(pool.mutex);
    pool.free.push_back(std::move(*buffer));
  }

  /// Takes a free workspace, or allocates one on `device`.
  Error take(const CudaDevice &device) {
    {
      WorkspacePool &pool = getWorkspacePool();
      std::lock_guard<std::mutex> lock(pool.mutex);
      if (!pool.free.empty()) {
        buffer.emplace(std::move(pool.free.back()));
        pool.free.pop_back();
        return Error::success();
      }
    }
    Expected<ManagedBuffer> allocated =
        ManagedBuffer::allocate(device, kWorkspaceBytes);
    if (!allocated)
      return allocated.getError();
    buffer.emplace(std::move(*allocated));
    return Error::success();
  }

  void *getData() const { return buffer ? buffer->getData() : nullptr; }

private:
  std::optional<ManagedBuffer> buffer;
};

/// The matmul workspace of the calling thread's run: taken at its first
/// matmul that needs one, held until the run's work is done.
Expected<const WorkspaceLease *> getRunWorkspace(const CudaDevice &device) {
  static const char key = 0;
  if (RunResource *held = findRunResource(&key))
    return static_cast<const WorkspaceLease *>(held);
  auto lease = std::make_unique<WorkspaceLease>();
  if (Error error = lease->take(device))
    return error;
  return static_cast<const WorkspaceLease *>(
      &holdForRun(&key, std::move(lease)));
}

/// Creates the layout of `operand` (rows x cols, ld, elements of cuBLAS
/// type `type`) for `batch` matrices `batchStride` elements apart.
BlasStatus createLayout(const BlasFunctions &blas, MatrixLayout &layout,
                        int type, const BlasOperand &operand, int64_t batch,
                        int64_t batchStride) {
  BlasStatus status = blas.matrixLayoutCreate(&layout, type, operand.rows,
                                              operand.cols, operand.ld);
  if (status || batch == 1)
    return status;
  int32_t count = static_cast<int32_t>(batch);
  status = blas.matrixLayoutSetAttribute(layout, kLayoutBatchCount, &count,
                                         sizeof(count));
  if (status)
    return status;
  return blas.matrixLayoutSetAttribute(layout, kLayoutStridedBatchOffset,
                                       &batchStride, sizeof(batchStride));
}

/// Makes the descriptor, layouts and algorithm of `plan` for `batch`
/// matrices of `operandType` with `epilogue` (and `bias`, whose address the
/// heuristic considers) into `prepared`; `found` says whether the
/// heuristic had an algorithm. Returns cuBLASLt's status.
BlasStatus prepareMatmul(const CublasLt &cublasLt, const MatmulPlan &plan,
                         int64_t batch, int64_t firstBatchStride,
                         int64_t secondBatchStride, int64_t outBatchStride,
                         bool tf32, int operandType, uint32_t epilogue,
                         const float *bias, PreparedMatmul &prepared,
                         bool &found) {
  const BlasFunctions &blas = *cublasLt;
  int transposeFirst = plan.first.transpose ? kOpTranspose : kOpNone;
  int transposeSecond = plan.second.transpose ? kOpTranspose : kOpNone;
  BlasOperand out{plan.rows, plan.cols, plan.ld, false};
  BlasStatus status = blas.matmulDescCreate(
      &prepared.desc, tf32 ? kComputeF32FastTf32 : kComputeF32, kDataTypeF32);
  if (!status)
    status = blas.matmulDescSetAttribute(prepared.desc, kMatmulDescTransA,
                                         &transposeFirst, sizeof(int));
  if (!status)
    status = blas.matmulDescSetAttribute(prepared.desc, kMatmulDescTransB,
                                         &transposeSecond, sizeof(int));
  if (!status && epilogue != kEpilogueDefault)
    status = blas.matmulDescSetAttribute(prepared.desc, kMatmulDescEpilogue,
                                         &epilogue, sizeof(epilogue));
  if (!status && (epilogue & kEpilogueBias))
    status = blas.matmulDescSetAttribute(prepared.desc, kMatmulDescBiasPointer,
                                         &bias, sizeof(bias));
  if (!status)
    status = createLayout(blas, prepared.layouts[0], operandType, plan.first,
                          batch, firstBatchStride);
  if (!status)
    status = createLayout(blas, prepared.layouts[1], operandType, plan.second,
                          batch, secondBatchStride);
  if (!status)
    status = createLayout(blas, prepared.layouts[2], kDataTypeF32, out, batch,
                          outBatchStride);
  MatmulPreference preference = nullptr;
  uint64_t workspaceBytes = kWorkspaceBytes;
  if (!status)
    status = blas.matmulPreferenceCreate(&preference);
  if (!status)
    status = blas.matmulPreferenceSetAttribute(
        preference, kPreferenceMaxWorkspaceBytes, &workspaceBytes,
        sizeof(workspaceBytes));
  MatmulHeuristicResult heuristic{};
  int count = 0;
  if (!status)
    status = blas.matmulAlgoGetHeuristic(
        cublasLt.getHandle(), prepared.desc, prepared.layouts[0],
        prepared.layouts[1], prepared.layouts[2], prepared.layouts[2],
        preference, 1, &heuristic, &count);
  if (preference)
    blas.matmulPreferenceDestroy(preference);
  found = !status && count > 0;
  prepared.algo = heuristic.algo;
  prepared.workspaceBytes = heuristic.workspaceSize;
  return status;
}

/// The prepared matmul of `plan` for `batch` matrices of `operandType` with
/// these batch strides and `epilogue` (and the run's TF32 setting, for f32
/// operands): from the cache, or made and kept when it succeeds. Null on
/// failure, with cuBLASLt's `status`, or with `found` false when the
/// heuristic had no algorithm.
const PreparedMatmul *getPreparedMatmul(const CublasLt &cublasLt,
                                        const MatmulPlan &plan, int64_t batch,
                                        int64_t firstBatchStride,
                                        int64_t secondBatchStride,
                                        int64_t outBatchStride, int operandType,
                                        uint32_t epilogue, const float *bias,
                                        BlasStatus &status, bool &found) {
  bool tf32 = operandType == kDataTypeF32 && runAllowsTf32();
  bool biasAligned = reinterpret_cast<uintptr_t>(bias) % 16 == 0;
  MatmulKey key{plan.first.rows,  plan.first.cols,
                plan.first.ld,    plan.first.transpose,
                plan.second.rows, plan.second.cols,
                plan.second.ld,   plan.second.transpose,
                plan.rows,        plan.cols,
                plan.ld,          batch,
                firstBatchStride, secondBatchStride,
                outBatchStride,   tf32,
                operandType,      epilogue,
                biasAligned};
  MatmulCache &cache = getMatmulCache();
  std::lock_guard<std::mutex> lock(cache.mutex);
  auto it = cache.entries.find(key);
  if (it != cache.entries.end()) {
    found = true;
    return it->second.get();
  }
  auto made = std::make_unique<PreparedMatmul>(*cublasLt);
  status = prepareMatmul(cublasLt, plan, batch, firstBatchStride,
                         secondBatchStride, outBatchStride, tf32, operandType,
                         epilogue, bias, *made, found);
  if (status || !found)
    return nullptr;
  return (cache.entries[key] = std::move(made)).get();
}

/// The bias of a matmul call: its N values, `stride` elements apart (null
/// without XF_KERNEL_BIAS).
struct MatmulBias {
  const float *data;
  int64_t stride;
};

/// The bias of `memref` when `flags` ask for one.
MatmulBias biasOf(const xf_memref_f32_1d_t &memref, int64_t flags) {
  if (!(flags & XF_KERNEL_BIAS))
    return MatmulBias{nullptr, 0};
  return MatmulBias{memref.aligned + memref.offset, memref.strides[0]};
}

/// Applies to every element of C, on the host, what cuBLASLt did not: each
/// element becomes relu?(bias?[column] + (itself, or 0 for `fromZero`)) as
/// `flags` say. C is managed memory, and the stream is idle.
void finishOnHost(const MatmulOperand &c, int64_t batch, MatmulBias bias,
                  int64_t flags, bool fromZero) {
  for (int64_t i = 0; i < batch; ++i)
    for (int64_t row = 0; row < c.view.rows; ++row)
      for (int64_t col = 0; col < c.view.cols; ++col) {
        float &element = static_cast<float *>(
            c.data)[i * c.batchStride + row * c.view.rowStride +
                    col * c.view.colStride];
        float value = fromZero ? 0.0f : element;
        if (bias.data)
          value += bias.data[col * bias.stride];
        element = (flags & XF_KERNEL_RELU) ? computeRelu(value) : value;
      }
}

/// C = relu?(A * B + bias? (+ C when accumulating)) for `batch` matrices,
/// A and B of `type`, C of f32; false after recordRunFailure.
bool runMatmul(const char *node, int64_t flags, int64_t batch, OperandType type,
               const MatmulOperand &a, const MatmulOperand &b, MatmulBias bias,
               const MatmulOperand &c) {
  const CudaDevice *device = getRunDevice();
  if (!device)
    return recordRunFailure("a cuBLASLt matmul was called outside a run");
  int64_t m = c.view.rows, n = c.view.cols, k = a.view.cols;
  if (batch == 0 || m == 0 || n == 0)
    return true;
  bool accumulate = flags & XF_KERNEL_ACCUMULATE;
  bool relu = flags & XF_KERNEL_RELU;
  if (k == 0) {
    // An empty sum: C stays (or becomes 0), then the bias and ReLU, on the
    // host once the GPU's work on C is done.
    if (!accumulate || bias.data || relu) {
      if (!waitForRunWork())
        return false;
      finishOnHost(c, batch, bias, flags, /*fromZero=*/!accumulate);
    }
    return true;
  }
  Expected<const CublasLt *> loaded = CublasLt::get();
  if (!loaded)
    return recordRunFailure(formatNodePrefix(node) + loaded.getMessage());
  const CublasLt &cublasLt = **loaded;
  std::optional<MatmulPlan> plan = planMatmul(a.view, b.view, c.view);
  if (!plan)
    return recordRunFailure(concat(
        formatNodePrefix(node),
        "a matmul operand is strided in both dimensions "
        "(strides ",
        a.view.rowStride, "x", a.view.colStride, ", ", b.view.rowStride, "x",
        b.view.colStride, ", ", c.view.rowStride, "x", c.view.colStride,
        "), which cuBLASLt cannot take (a compiler bug)"));
  const MatmulOperand &first = plan->swapped ? b : a;
  const MatmulOperand &second = plan->swapped ? a : b;

  // cuBLASLt adds a packed bias per row of its D, which is per column of C
  // when it computes C^T.
  bool fused = plan->swapped && (!bias.data || bias.stride == 1 || n == 1);
  uint32_t epilogue = kEpilogueDefault;
  if (fused && (bias.data || relu))
    epilogue = (bias.data ? kEpilogueBias : 0) | (relu ? kEpilogueRelu : 0);
  BlasStatus status = kBlasSuccess;
  bool found = false;
  const PreparedMatmul *prepared = getPreparedMatmul(
      cublasLt, *plan, batch, first.batchStride, second.batchStride,
      c.batchStride, type.blasType, epilogue, bias.data, status, found);
  if (!status && !found)
    return recordRunFailure(
        concat(formatNodePrefix(node), "cuBLASLt has no algorithm for a ", m,
               "x", n, "x", k, " ", type.name, " matmul (batch ", batch, ")"));
  const WorkspaceLease *workspace = nullptr;
  if (!status && prepared->workspaceBytes) {
    Expected<const WorkspaceLease *> held = getRunWorkspace(*device);
    if (!held)
      return recordRunFailure(
          concat(formatNodePrefix(node),
                 "cannot get the cuBLASLt workspace: ", held.getMessage()));
    workspace = *held;
  }
  float alpha = 1.0f, beta = accumulate ? 1.0f : 0.0f;
  if (!status) {
    std::lock_guard<std::mutex> lock(prepared->callMutex);
    if (epilogue & kEpilogueBias)
      status = cublasLt->matmulDescSetAttribute(prepared->desc,
                                                kMatmulDescBiasPointer,
                                                &bias.data, sizeof(bias.data));
    if (!status)
      status = cublasLt->matmul(
          cublasLt.getHandle(), prepared->desc, &alpha, first.data,
          prepared->layouts[0], second.data, prepared->layouts[1], &beta,
          c.data, prepared->layouts[2], c.data, prepared->layouts[2],
          &prepared->algo, workspace ? workspace->getData() : nullptr,
          prepared->workspaceBytes, getRunStream());
  }
  if (status)
    return recordRunFailure(concat(formatNodePrefix(node), "cuBLASLt matmul (",
                                   m, "x", n, "x", k, ", batch ", batch,
                                   ") failed: ", cublasLt.describe(status)));
  if (!noteEnqueued(StreamWork::Matmul, node))
    return false;
  if (!fused && (bias.data || relu)) {
    if (!waitForRunWork())
      return false;
    finishOnHost(c, batch, bias, flags, /*fromZero=*/false);
  }
  return true;
}

/// The operand of a 2-D descriptor (of f32 or 16-bit floats).
template <typename Memref> MatmulOperand operandOf2d(const Memref &memref) {
  return MatmulOperand{memref.aligned + memref.offset,
                       MatrixView{memref.sizes[0], memref.sizes[1],
                                  memref.strides[0], memref.strides[1]},
                       0};
}

/// The operand of a 3-D descriptor (batch first).
template <typename Memref> MatmulOperand operandOf3d(const Memref &memref) {
  return MatmulOperand{memref.aligned + memref.offset,
                       MatrixView{memref.sizes[1], memref.sizes[2],
                                  memref.strides[1], memref.strides[2]},
                       memref.strides[0]};
}
} // namespace
} // namespace exaforge::runtime::cuda

using namespace exaforge::runtime::cuda;

// Both own nothing when they leave the compiled code (leaveRun): runMatmul
// has returned.

/// C[M,N] = relu?(A[M,K] * B[K,N] + bias?[N] (+ C)) on cuBLASLt.
extern "C" void _mlir_ciface_xf_cuda_matmul_f32(
    xf_exec_context * /*context*/, int64_t /*site*/, const char *node,
    int64_t flags, xf_memref_f32_2d_t *a, xf_memref_f32_2d_t *b,
    xf_memref_f32_1d_t *bias, xf_memref_f32_2d_t *c) {
  if (!runMatmul(node, flags, 1, kF32Operands, operandOf2d(*a), operandOf2d(*b),
                 biasOf(*bias, flags), operandOf2d(*c)))
    leaveRun();
}

/// C[b,M,N] = relu?(A[b,M,K] * B[b,K,N] + bias?[N] (+ C)) on cuBLASLt,
/// strided-batched.
extern "C" void _mlir_ciface_xf_cuda_batch_matmul_f32(
    xf_exec_context * /*context*/, int64_t /*site*/, const char *node,
    int64_t flags, xf_memref_f32_3d_t *a, xf_memref_f32_3d_t *b,
    xf_memref_f32_1d_t *bias, xf_memref_f32_3d_t *c) {
  if (!runMatmul(node, flags, c->sizes[0], kF32Operands, operandOf3d(*a),
                 operandOf3d(*b), biasOf(*bias, flags), operandOf3d(*c)))
    leaveRun();
}

// The same with 16-bit operands and an f32 C (kernels.h).
extern "C" void _mlir_ciface_xf_cuda_matmul_bf16(
    xf_exec_context *, int64_t, const char *node, int64_t flags,
    xf_memref_half_2d_t *a, xf_memref_half_2d_t *b, xf_memref_f32_1d_t *bias,
    xf_memref_f32_2d_t *c) {
  if (!runMatmul(node, flags, 1, kBF16Operands, operandOf2d(*a),
                 operandOf2d(*b), biasOf(*bias, flags), operandOf2d(*c)))
    leaveRun();
}

extern "C" void _mlir_ciface_xf_cuda_batch_matmul_bf16(
    xf_exec_context *, int64_t, const char *node, int64_t flags,
    xf_memref_half_3d_t *a, xf_memref_half_3d_t *b, xf_memref_f32_1d_t *bias,
    xf_memref_f32_3d_t *c) {
  if (!runMatmul(node, flags, c->sizes[0], kBF16Operands, operandOf3d(*a),
                 operandOf3d(*b), biasOf(*bias, flags), operandOf3d(*c)))
    leaveRun();
}

extern "C" void _mlir_ciface_xf_cuda_matmul_f16(xf_exec_context *, int64_t,
                                                const char *node, int64_t flags,
                                                xf_memref_half_2d_t *a,
                                                xf_memref_half_2d_t *b,
                                                xf_memref_f32_1d_t *bias,
                                                xf_memref_f32_2d_t *c) {
  if (!runMatmul(node, flags, 1, kF16Operands, operandOf2d(*a), operandOf2d(*b),
                 biasOf(*bias, flags), operandOf2d(*c)))
    leaveRun();
}

extern "C" void _mlir_ciface_xf_cuda_batch_matmul_f16(
    xf_exec_context *, int64_t, const char *node, int64_t flags,
    xf_memref_half_3d_t *a, xf_memref_half_3d_t *b, xf_memref_f32_1d_t *bias,
    xf_memref_f32_3d_t *c) {
  if (!runMatmul(node, flags, c->sizes[0], kF16Operands, operandOf3d(*a),
                 operandOf3d(*b), biasOf(*bias, flags), operandOf3d(*c)))
    leaveRun();
}
