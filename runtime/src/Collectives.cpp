//===- Collectives.cpp - Collectives called by compiled code --------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements collectives.h on the communicator of the run on the calling
// thread (ExecContext::getDist). Strided operands are packed first, and tensors
// whose collective dimension is not the first are reordered into the
// contiguous blocks the communicator moves. Those staging copies come from
// the run's pool when its memory is the GPU's (a CUDA run, whose
// communicator is NCCL, which cannot read host memory), else from the heap.
// In a CUDA run, each collective first waits for the GPU work enqueued
// before it (CudaLaunch.h), since the host reads and writes its tensors.
//
//===----------------------------------------------------------------------===//

#include "exaforge/abi/collectives.h"
#include "BufferPool.h"
#include "DistContext.h"
#include "EarlyExit.h"
#include "ExecContext.h"
#include "Profiler.h"
#include "StridedCopy.h"
#include "cuda/CudaLaunch.h"

#include "exaforge/runtime/api.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

using namespace exaforge::runtime;

namespace {
/// Records `message` as a failure of `run` (the first one is kept).
void fail(ExecContext &run, const std::string &message) {
  run.recordDistFailure(message);
}

void fail(ExecContext &run, const exaforge::support::Error &error) {
  fail(run, error.getMessage());
}

/// The ranks of `run`, or null after recording why there are none.
DistContext *getContext(ExecContext &run, const char *operation) {
  DistContext *context = run.getDist();
  if (!context)
    fail(
        run,
        std::string(operation) +
            ": the model communicates with other ranks, but the session has no "
            "communicator");
  return context;
}

/// The group of `axes`, or null after recording the failure.
std::optional<Group> getGroup(ExecContext &run, DistContext &context,
                              int64_t axes) {
  exaforge::support::Expected<Group> group = context.getGroup(axes);
  if (!group) {
    fail(run, group.getError());
    return std::nullopt;
  }
  return *group;
}

/// A tensor as compiled code passes it: an unranked memref (collectives.h).
struct TensorView {
  char *data = nullptr;
  size_t elementSize = 0;
  std::vector<int64_t> sizes, strides;

  uint64_t getNumElements() const {
    uint64_t elements = 1;
    for (int64_t size : sizes)
      elements *= size;
    return elements;
  }
  size_t getNumBytes() const { return getNumElements() * elementSize; }
  bool isDense() const {
    return exaforge::runtime::isDense(sizes.data(), strides.data(),
                                      sizes.size());
  }
  /// The product of the sizes of the dimensions [begin, end).
  int64_t getProduct(size_t begin, size_t end) const {
    int64_t product = 1;
    for (size_t d = begin; d < end; ++d)
      product *= sizes[d];
    return product;
  }
};

/// Reads the ranked descriptor `{allocated, aligned, offset, sizes,
/// strides}` of an unranked memref.
TensorView viewOf(int64_t rank, void *descriptor, int32_t dtype) {
  auto *words = static_cast<int64_t *>(descriptor);
  TensorView view;
  view.elementSize = xf_dtype_size(static_cast<xf_dtype_t>(dtype));
  view.data = reinterpret_cast<char *>(static_cast<intptr_t>(words[1])) +
              words[2] * view.elementSize;
  view.sizes.assign(words + 3, words + 3 + rank);
  view.strides.assign(words + 3 + rank, words + 3 + 2 * rank);
  return view;
}

/// Memory for the packed and reordered blocks of one collective (see the
/// file comment), freed with the object.
class StagingBuffer {
public:
  StagingBuffer(ExecContext &run, const char *operation)
      : run(run), operation(operation),
        pool(run.getPool() && !run.getPool()->canDetach() ? run.getPool()
                                                          : nullptr) {}
  ~StagingBuffer() {
    if (pool && data)
      pool->release(data);
  }
  StagingBuffer(const StagingBuffer &) = delete;
  StagingBuffer &operator=(const StagingBuffer &) = delete;

  /// `bytes` of memory, or null after recording that there are none.
  char *allocate(size_t bytes) {
    if (!pool) {
      // At least one byte: an empty block still has an address, and null
      // means failure to the callers.
      heap.resize(std::max<size_t>(bytes, 1));
      return heap.data();
    }
    data = static_cast<char *>(pool->allocate(std::max<size_t>(bytes, 1), 64));
    if (!data)
      run.recordDistFailure(
          exaforge::support::concat(operation, ": out of memory for ", bytes,
                                    " bytes of staging for the transfer"));
    return data;
  }

private:
  ExecContext &run;
  const char *operation;
  BufferPool *pool;
  char *data = nullptr;
  std::vector<char> heap;
};

/// The bytes of `view`, dense: its own memory, or a packed copy in
/// `staging`; null after recording that there is no memory for the copy.
const char *getDenseData(const TensorView &view, StagingBuffer &staging) {
  if (view.isDense())
    return view.data;
  char *packed = staging.allocate(view.getNumBytes());
  if (packed && view.getNumElements())
    copyStrided(packed, view.data, view.elementSize, view.sizes.data(),
                view.strides.data(), view.sizes.size());
  return packed;
}

/// Checks that `result` is dense with the sizes `expected`.
bool checkResult(ExecContext &run, const TensorView &result,
                 const std::vector<int64_t> &expected, const char *operation) {
  if (result.isDense() && result.sizes == expected)
    return true;
  fail(run, exaforge::support::makeError(
                operation,
                ": the result buffer does not have the shape the op defines "
                "(a compiler bug)"));
  return false;
}

/// Copies `source` [a][b][chunk] to `target` [b][a][chunk].
void transposeBlocks(const void *source, void *target, int64_t a, int64_t b,
                     int64_t chunkBytes) {
  const char *from = static_cast<const char *>(source);
  char *to = static_cast<char *>(target);
  for (int64_t i = 0; i < a; ++i)
    for (int64_t j = 0; j < b; ++j)
      std::memcpy(to + (j * a + i) * chunkBytes,
                  from + (i * b + j) * chunkBytes, chunkBytes);
}

/// Reports a non-zero communicator result.
bool check(ExecContext &run, DistContext &context, int result,
           const char *operation) {
  if (result == 0)
    return true;
  fail(run, context.callFailed(operation));
  return false;
}

/// Records collective or transfer `operation` of `run` in its profile, from
/// construction to destruction, with the bytes of the tensor at `descriptor`
/// (of rank `rank`) when the run is profiled.
struct ProfiledCall : ProfileScope {
  ProfiledCall(ExecContext &run, const char *operation,
               ProfileCategory category, int64_t rank, void *descriptor,
               int32_t dtype)
      : ProfileScope(run.getProfiler(), operation, category,
                     run.getProfiler()
                         ? static_cast<int64_t>(
                               viewOf(rank, descriptor, dtype).getNumBytes())
                         : -1) {}
};

/// Counts one transfer of `bytes` in the run's statistics.
void count(DistContext &context, uint64_t bytes) {
  context.getStats().calls += 1;
  context.getStats().bytes += bytes;
}

/// What every collective starts from: the session's context, the group of
/// its mesh axes, and views of its operand and result.
struct CollectiveCall {
  DistContext *context;
  Group group;
  TensorView in, out;
};

/// The context, group and views of collective `operation` on `axes`, or
/// nullopt after recording why it cannot run.
std::optional<CollectiveCall> beginCollective(ExecContext &run,
                                              const char *operation,
                                              int64_t axes, int64_t inputRank,
                                              void *input, int64_t resultRank,
                                              void *result, int32_t dtype) {
  DistContext *context = getContext(run, operation);
  std::optional<Group> group =
      context ? getGroup(run, *context, axes) : std::nullopt;
  if (!group)
    return std::nullopt;
  return CollectiveCall{context, *group, viewOf(inputRank, input, dtype),
                        viewOf(resultRank, result, dtype)};
}

/// The collectives of the functions below (collectives.h); each records
/// its failure in `run` and returns.
void allReduce(xf_exec_context *run, int64_t inputRank, void *input,
               int64_t resultRank, void *result, int32_t dtype,
               int32_t reduction, int64_t axes) {
  ProfiledCall profiled(*run, "all_reduce", ProfileCategory::Collective,
                        inputRank, input, dtype);
  std::optional<CollectiveCall> call = beginCollective(
      *run, "all_reduce", axes, inputRank, input, resultRank, result, dtype);
  if (!call || !checkResult(*run, call->out, call->in.sizes, "all_reduce"))
    return;
  auto &[context, group, in, out] = *call;
  StagingBuffer staging(*run, "all_reduce");
  const char *data = getDenseData(in, staging);
  if (!data)
    return;
  std::memcpy(out.data, data, in.getNumBytes());
  if (group.size == 1)
    return;
  const xf_communicator_t &comm = context->getCommunicator();
  count(*context, out.getNumBytes());
  check(*run, *context,
        comm.all_reduce(comm.context, group.handle, out.data,
                        out.getNumElements(), static_cast<xf_dtype_t>(dtype),
                        static_cast<xf_reduction_t>(reduction)),
        "all_reduce");
}

void allGather(xf_exec_context *run, int64_t inputRank, void *input,
               int64_t resultRank, void *result, int32_t dtype, int64_t dim,
               int64_t axes) {
  ProfiledCall profiled(*run, "all_gather", ProfileCategory::Collective,
                        inputRank, input, dtype);
  std::optional<CollectiveCall> call = beginCollective(
      *run, "all_gather", axes, inputRank, input, resultRank, result, dtype);
  if (!call)
    return;
  auto &[context, group, in, out] = *call;
  std::vector<int64_t> expected = in.sizes;
  expected[dim] *= group.size;
  if (!checkResult(*run, out, expected, "all_gather"))
    return;
  StagingBuffer staging(*run, "all_gather"), gathered(*run, "all_gather");
  const char *data = getDenseData(in, staging);
  if (!data)
    return;
  size_t bytes = in.getNumBytes();
  if (group.size == 1) {
    std::memcpy(out.data, data, bytes);
    return;
  }
  const xf_communicator_t &comm = context->getCommunicator();
  count(*context, bytes);
  // The communicator concatenates whole tensors: [group][outer][chunk].
  int64_t outer = in.getProduct(0, dim);
  char *received =
      outer == 1 ? out.data : gathered.allocate(bytes * group.size);
  if (!received)
    return;
  if (!check(*run, *context,
             comm.all_gather(comm.context, group.handle, data, bytes, received),
             "all_gather"))
    return;
  if (outer != 1)
    transposeBlocks(received, out.data, group.size, outer, bytes / outer);
}

void reduceScatter(xf_exec_context *run, int64_t inputRank, void *input,
                   int64_t resultRank, void *result, int32_t dtype, int64_t dim,
                   int32_t reduction, int64_t axes) {
  ProfiledCall profiled(*run, "reduce_scatter", ProfileCategory::Collective,
                        inputRank, input, dtype);
  std::optional<CollectiveCall> call =
      beginCollective(*run, "reduce_scatter", axes, inputRank, input,
                      resultRank, result, dtype);
  if (!call)
    return;
  auto &[context, group, in, out] = *call;
  std::vector<int64_t> expected = in.sizes;
  expected[dim] /= group.size;
  if (!checkResult(*run, out, expected, "reduce_scatter"))
    return;
  StagingBuffer staging(*run, "reduce_scatter"),
      reordered(*run, "reduce_scatter");
  const char *data = getDenseData(in, staging);
  if (!data)
    return;
  if (group.size == 1) {
    std::memcpy(out.data, data, in.getNumBytes());
    return;
  }
  const xf_communicator_t &comm = context->getCommunicator();
  count(*context, in.getNumBytes());
  // The communicator scatters whole blocks: [group][outer][chunk].
  int64_t outer = in.getProduct(0, dim);
  size_t chunkBytes = out.getNumBytes() / std::max<int64_t>(outer, 1);
  if (outer != 1) {
    char *blocks = reordered.allocate(in.getNumBytes());
    if (!blocks)
      return;
    transposeBlocks(data, blocks, outer, group.size, chunkBytes);
    data = blocks;
  }
  check(*run, *context,
        comm.reduce_scatter(comm.context, group.handle, data, out.data,
                            out.getNumElements(),
                            static_cast<xf_dtype_t>(dtype),
                            static_cast<xf_reduction_t>(reduction)),
        "reduce_scatter");
}

void allToAll(xf_exec_context *run, int64_t inputRank, void *input,
              int64_t resultRank, void *result, int32_t dtype, int64_t splitDim,
              int64_t concatDim, int64_t axes) {
  ProfiledCall profiled(*run, "all_to_all", ProfileCategory::Collective,
                        inputRank, input, dtype);
  std::optional<CollectiveCall> call = beginCollective(
      *run, "all_to_all", axes, inputRank, input, resultRank, result, dtype);
  if (!call)
    return;
  auto &[context, group, in, out] = *call;
  std::vector<int64_t> expected = in.sizes;
  expected[splitDim] /= group.size;
  expected[concatDim] *= group.size;
  if (!checkResult(*run, out, expected, "all_to_all"))
    return;
  StagingBuffer staging(*run, "all_to_all"), partsStaging(*run, "all_to_all"),
      receivedStaging(*run, "all_to_all");
  const char *data = getDenseData(in, staging);
  if (!data)
    return;
  size_t bytes = in.getNumBytes();
  if (group.size == 1) {
    std::memcpy(out.data, data, bytes);
    return;
  }
  const xf_communicator_t &comm = context->getCommunicator();
  count(*context, bytes);
  // Part g of the operand, [splitOuter][splitChunk], goes to member g.
  int64_t splitOuter = in.getProduct(0, splitDim);
  char *parts = partsStaging.allocate(bytes);
  char *received = parts ? receivedStaging.allocate(bytes) : nullptr;
  if (!received)
    return;
  transposeBlocks(data, parts, splitOuter, group.size,
                  bytes / group.size / std::max<int64_t>(splitOuter, 1));
  if (!check(*run, *context,
             comm.all_to_all(comm.context, group.handle, parts,
                             bytes / group.size, received),
             "all_to_all"))
    return;
  // The part from member g, [concatOuter][concatChunk], is block g along
  // the concatenated dimension.
  int64_t concatOuter = out.getProduct(0, concatDim);
  transposeBlocks(received, out.data, group.size, concatOuter,
                  bytes / group.size / std::max<int64_t>(concatOuter, 1));
}

void broadcastTensor(xf_exec_context *run, int64_t inputRank, void *input,
                     int64_t resultRank, void *result, int32_t dtype,
                     int64_t root, int64_t axes) {
  ProfiledCall profiled(*run, "broadcast", ProfileCategory::Collective,
                        inputRank, input, dtype);
  std::optional<CollectiveCall> call = beginCollective(
      *run, "broadcast", axes, inputRank, input, resultRank, result, dtype);
  if (!call || !checkResult(*run, call->out, call->in.sizes, "broadcast"))
    return;
  auto &[context, group, in, out] = *call;
  StagingBuffer staging(*run, "broadcast");
  const char *data = getDenseData(in, staging);
  if (!data)
    return;
  std::memcpy(out.data, data, in.getNumBytes());
  if (group.size == 1)
    return;
  const xf_communicator_t &comm = context->getCommunicator();
  count(*context, out.getNumBytes());
  check(*run, *context,
        comm.broadcast(comm.context, group.handle, out.data, out.getNumBytes(),
                       static_cast<int32_t>(root)),
        "broadcast");
}

int64_t axisIndex(xf_exec_context *run, int64_t axis) {
  DistContext *context = getContext(*run, "axis_index");
  if (!context)
    return 0;
  exaforge::support::Expected<int64_t> coordinate =
      context->getCoordinate(axis);
  if (!coordinate) {
    fail(*run, coordinate.getError());
    return 0;
  }
  return *coordinate;
}

void sendTensor(xf_exec_context *run, int64_t inputRank, void *input,
                int32_t dtype, int64_t axis, int64_t coordinate) {
  ProfiledCall profiled(*run, "send", ProfileCategory::Transfer, inputRank,
                        input, dtype);
  DistContext *context = getContext(*run, "send");
  if (!context)
    return;
  exaforge::support::Expected<int32_t> peer =
      context->getPeer(axis, coordinate);
  if (!peer)
    return fail(*run, peer.getError());
  TensorView in = viewOf(inputRank, input, dtype);
  StagingBuffer staging(*run, "send");
  const char *data = getDenseData(in, staging);
  if (!data)
    return;
  const xf_communicator_t &comm = context->getCommunicator();
  count(*context, in.getNumBytes());
  check(*run, *context, comm.send(comm.context, data, in.getNumBytes(), *peer),
        "send");
}

void receiveTensor(xf_exec_context *run, int64_t resultRank, void *result,
                   int32_t dtype, int64_t axis, int64_t coordinate) {
  ProfiledCall profiled(*run, "recv", ProfileCategory::Transfer, resultRank,
                        result, dtype);
  DistContext *context = getContext(*run, "recv");
  if (!context)
    return;
  exaforge::support::Expected<int32_t> peer =
      context->getPeer(axis, coordinate);
  if (!peer)
    return fail(*run, peer.getError());
  TensorView out = viewOf(resultRank, result, dtype);
  if (!checkResult(*run, out, out.sizes, "recv"))
    return;
  const xf_communicator_t &comm = context->getCommunicator();
  check(*run, *context,
        comm.recv(comm.context, out.data, out.getNumBytes(), *peer), "recv");
}

/// Waits for the GPU work of a CUDA run before a collective touches its
/// tensors on the host (packing, reordering, MPI) or hands them to NCCL
/// after host writes; leaves the compiled code when the GPU failed. Does
/// nothing in a CPU run.
void waitForGpuWork() {
  if (!cuda::waitForRunWork())
    cuda::leaveRun();
}

/// Leaves the compiled code when a collective failed on this rank
/// (EarlyExit.h): its results are undefined, and the other ranks are no
/// longer in step with this one. Called by the functions below once the
/// collective's own frames are gone.
void leaveOnFailure(ExecContext &run) {
  if (run.getDistFailure() && canExitEarly())
    exitEarly();
}
} // namespace

// The functions compiled code calls (collectives.h).
extern "C" void xf_dist_all_reduce(xf_exec_context *run, int64_t inputRank,
                                   void *input, int64_t resultRank,
                                   void *result, int32_t dtype,
                                   int32_t reduction, int64_t axes) {
  waitForGpuWork();
  allReduce(run, inputRank, input, resultRank, result, dtype, reduction, axes);
  leaveOnFailure(*run);
}

extern "C" void xf_dist_all_gather(xf_exec_context *run, int64_t inputRank,
                                   void *input, int64_t resultRank,
                                   void *result, int32_t dtype, int64_t dim,
                                   int64_t axes) {
  waitForGpuWork();
  allGather(run, inputRank, input, resultRank, result, dtype, dim, axes);
  leaveOnFailure(*run);
}

extern "C" void xf_dist_reduce_scatter(xf_exec_context *run, int64_t inputRank,
                                       void *input, int64_t resultRank,
                                       void *result, int32_t dtype, int64_t dim,
                                       int32_t reduction, int64_t axes) {
  waitForGpuWork();
  reduceScatter(run, inputRank, input, resultRank, result, dtype, dim,
                reduction, axes);
  leaveOnFailure(*run);
}

extern "C" void xf_dist_all_to_all(xf_exec_context *run, int64_t inputRank,
                                   void *input, int64_t resultRank,
                                   void *result, int32_t dtype,
                                   int64_t splitDim, int64_t concatDim,
                                   int64_t axes) {
  waitForGpuWork();
  allToAll(run, inputRank, input, resultRank, result, dtype, splitDim,
           concatDim, axes);
  leaveOnFailure(*run);
}

extern "C" void xf_dist_broadcast(xf_exec_context *run, int64_t inputRank,
                                  void *input, int64_t resultRank, void *result,
                                  int32_t dtype, int64_t root, int64_t axes) {
  waitForGpuWork();
  broadcastTensor(run, inputRank, input, resultRank, result, dtype, root, axes);
  leaveOnFailure(*run);
}

extern "C" int64_t xf_dist_axis_index(xf_exec_context *run, int64_t axis) {
  int64_t result = axisIndex(run, axis);
  leaveOnFailure(*run);
  return result;
}

extern "C" void xf_dist_send(xf_exec_context *run, int64_t inputRank,
                             void *input, int32_t dtype, int64_t axis,
                             int64_t coordinate) {
  waitForGpuWork();
  sendTensor(run, inputRank, input, dtype, axis, coordinate);
  leaveOnFailure(*run);
}

extern "C" void xf_dist_recv(xf_exec_context *run, int64_t resultRank,
                             void *result, int32_t dtype, int64_t axis,
                             int64_t coordinate) {
  waitForGpuWork();
  receiveTensor(run, resultRank, result, dtype, axis, coordinate);
  leaveOnFailure(*run);
}

// The typed forms that compiled code calls (collectives.h).
#define XF_DIST_DEFINE_TYPED(T, DTYPE)                                         \
  extern "C" void xf_dist_all_reduce_##T(                                      \
      xf_exec_context *run, int64_t inputRank, void *input,                    \
      int64_t resultRank, void *result, int32_t reduction, int64_t axes) {     \
    xf_dist_all_reduce(run, inputRank, input, resultRank, result, DTYPE,       \
                       reduction, axes);                                       \
  }                                                                            \
  extern "C" void xf_dist_all_gather_##T(                                      \
      xf_exec_context *run, int64_t inputRank, void *input,                    \
      int64_t resultRank, void *result, int64_t dim, int64_t axes) {           \
    xf_dist_all_gather(run, inputRank, input, resultRank, result, DTYPE, dim,  \
                       axes);                                                  \
  }                                                                            \
  extern "C" void xf_dist_reduce_scatter_##T(                                  \
      xf_exec_context *run, int64_t inputRank, void *input,                    \
      int64_t resultRank, void *result, int64_t dim, int32_t reduction,        \
      int64_t axes) {                                                          \
    xf_dist_reduce_scatter(run, inputRank, input, resultRank, result, DTYPE,   \
                           dim, reduction, axes);                              \
  }                                                                            \
  extern "C" void xf_dist_all_to_all_##T(                                      \
      xf_exec_context *run, int64_t inputRank, void *input,                    \
      int64_t resultRank, void *result, int64_t splitDim, int64_t concatDim,   \
      int64_t axes) {                                                          \
    xf_dist_all_to_all(run, inputRank, input, resultRank, result, DTYPE,       \
                       splitDim, concatDim, axes);                             \
  }                                                                            \
  extern "C" void xf_dist_broadcast_##T(                                       \
      xf_exec_context *run, int64_t inputRank, void *input,                    \
      int64_t resultRank, void *result, int64_t root, int64_t axes) {          \
    xf_dist_broadcast(run, inputRank, input, resultRank, result, DTYPE, root,  \
                      axes);                                                   \
  }                                                                            \
  extern "C" void xf_dist_send_##T(xf_exec_context *run, int64_t inputRank,    \
                                   void *input, int64_t axis,                  \
                                   int64_t coordinate) {                       \
    xf_dist_send(run, inputRank, input, DTYPE, axis, coordinate);              \
  }                                                                            \
  extern "C" void xf_dist_recv_##T(xf_exec_context *run, int64_t resultRank,   \
                                   void *result, int64_t axis,                 \
                                   int64_t coordinate) {                       \
    xf_dist_recv(run, resultRank, result, DTYPE, axis, coordinate);            \
  }
XF_DIST_DEFINE_TYPED(f16, XF_DTYPE_FLOAT16)
XF_DIST_DEFINE_TYPED(bf16, XF_DTYPE_BFLOAT16)
XF_DIST_DEFINE_TYPED(f32, XF_DTYPE_FLOAT32)
XF_DIST_DEFINE_TYPED(f64, XF_DTYPE_FLOAT64)
XF_DIST_DEFINE_TYPED(i1, XF_DTYPE_BOOL)
XF_DIST_DEFINE_TYPED(i8, XF_DTYPE_INT8)
XF_DIST_DEFINE_TYPED(i16, XF_DTYPE_INT16)
XF_DIST_DEFINE_TYPED(i32, XF_DTYPE_INT32)
XF_DIST_DEFINE_TYPED(i64, XF_DTYPE_INT64)
XF_DIST_DEFINE_TYPED(ui8, XF_DTYPE_UINT8)
XF_DIST_DEFINE_TYPED(ui16, XF_DTYPE_UINT16)
XF_DIST_DEFINE_TYPED(ui32, XF_DTYPE_UINT32)
XF_DIST_DEFINE_TYPED(ui64, XF_DTYPE_UINT64)
#undef XF_DIST_DEFINE_TYPED
