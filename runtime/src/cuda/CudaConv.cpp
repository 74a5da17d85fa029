//===- CudaConv.cpp - The convolutions of CUDA artifacts, on cuDNN --------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// `xf_cuda_conv2d_nchw_f32`: the kernel the CUDA target calls for the
// convolutions cuDNN computes, with the arguments of its CPU counterpart in
// exaforge/abi/kernels.h. Y = act(conv(X, W) + bias + Y if accumulating) is
// up to three cuDNN calls on the run's stream:
//
//   cudnnConvolutionForward   Y = conv(X, W) + beta * Y, beta = 1 when
//                             accumulating (a residual), else 0 (Y unread)
//   cudnnAddTensor            Y += bias, a 1 x F x 1 x 1 tensor
//   cudnnActivationForward    Y = relu(Y) or swish(Y), in place
//
// then a wait for them, as a generated kernel's launch does. X and Y are
// described with their strides (cudnnSetTensor4dDescriptorEx), so NCHW,
// NHWC and strided views all pass as they are; the filter must be
// contiguous F x C/G x KH x KW (cuDNN's filter descriptors have no
// strides). Groups are cuDNN's group count. cuDNN pads both sides of a
// dimension alike: the compiler calls this kernel only where padding by
// `pad_top` and `pad_left` on both sides gives Y's size, and this is
// checked here. Computed in f32 (CUDNN_FMA_MATH), or with TF32 tensor cores
// allowed under `--precision tf32` (CUDNN_DEFAULT_MATH). A failure stops the
// run with the ONNX node's name and cuDNN's reason.
//
// The descriptors and the algorithm (cudnnGetConvolutionForwardAlgorithm_v7's
// first) are made once per shape (ConvCache). A cuDNN handle holds a stream,
// so each call takes a handle of its own from a pool (HandlePool), with the
// workspace that handle's calls share, grown as an algorithm needs.
//
//===----------------------------------------------------------------------===//

#include "CudaDevice.h"
#include "CudaLaunch.h"
#include "Cudnn.h"

#include "exaforge/abi/kernels.h"
#include "runtime/src/Status.h"

#include <array>
#include <climits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

using namespace exaforge::support;

namespace exaforge::runtime::cuda {
namespace {

/// One NCHW tensor of a convolution: its first element, sizes and strides
/// (in elements).
struct ConvTensor {
  float *data;
  std::array<int64_t, 4> sizes, strides;
};

/// The tensor of a 4-D descriptor.
ConvTensor tensorOf(const xf_memref_f32_4d_t &memref) {
  return ConvTensor{
      memref.aligned + memref.offset,
      {memref.sizes[0], memref.sizes[1], memref.sizes[2], memref.sizes[3]},
      {memref.strides[0], memref.strides[1], memref.strides[2],
       memref.strides[3]}};
}

/// What a convolution call computes, besides its buffers' addresses.
struct ConvParams {
  int64_t flags;
  int64_t strideH, strideW, dilationH, dilationW, padTop, padLeft, padBottom,
      padRight, groups;
};

/// The activation cuDNN applies after the bias: none, ReLU or swish.
enum class Activation { None, Relu, Swish };

Activation activationOf(int64_t flags) {
  if (flags & XF_KERNEL_RELU)
    return Activation::Relu;
  if (flags & XF_KERNEL_SWISH)
    return Activation::Swish;
  return Activation::None;
}

/// The cuDNN objects of one convolution shape: descriptors of X, W, Y, the
/// bias (when added) and the activation (when applied), the convolution's,
/// the algorithm and the workspace it needs. Destroys them with itself.
struct PreparedConv {
  const DnnFunctions *dnn;
  TensorDesc x = nullptr, y = nullptr, bias = nullptr;
  FilterDesc w = nullptr;
  ConvolutionDesc conv = nullptr;
  ActivationDesc activation = nullptr;
  int algo = 0;
  size_t workspaceBytes = 0;
  explicit PreparedConv(const DnnFunctions &dnn) : dnn(&dnn) {}
  PreparedConv(const PreparedConv &) = delete;
  PreparedConv &operator=(const PreparedConv &) = delete;
  ~PreparedConv() {
    for (TensorDesc desc : {x, y, bias})
      if (desc)
        dnn->destroyTensorDescriptor(desc);
    if (w)
      dnn->destroyFilterDescriptor(w);
    if (conv)
      dnn->destroyConvolutionDescriptor(conv);
    if (activation)
      dnn->destroyActivationDescriptor(activation);
  }
};

/// What a PreparedConv depends on: the sizes and strides of X, W and Y,
/// the bias's stride (-1 without a bias), the activation, the
/// convolution's parameters and whether TF32 is allowed.
using ConvKey = std::array<int64_t, 34>;

/// The prepared convolutions of this process, by shape. Entries are never
/// removed (a model has a few dozen shapes).
struct ConvCache {
  std::mutex mutex;
  std::map<ConvKey, std::unique_ptr<PreparedConv>> entries;
};

ConvCache &getConvCache() {
  static ConvCache cache;
  return cache;
}

/// A cuDNN handle and the workspace of its calls.
struct PooledHandle {
  DnnHandle handle = nullptr;
  std::optional<ManagedBuffer> workspace;
  size_t workspaceBytes = 0;
};

/// The cuDNN handles of this process that no run uses now. A run takes one
/// at its first convolution (or creates one when none is free) and gives it
/// back when its work is done, so that concurrent runs, each on its own
/// stream, never share a handle (which holds its stream) or a workspace.
/// Handles live as long as the process.
struct HandlePool {
  std::mutex mutex;
  std::vector<std::unique_ptr<PooledHandle>> free;
};

/// The pool of this process. It is never destroyed: its handles live as
/// long as the process (destroying them at exit would call cuDNN after the
/// driver may have shut down), and stay reachable for leak checkers.
HandlePool &getHandlePool() {
  static HandlePool *pool = new HandlePool;
  return *pool;
}

/// A handle taken from the pool for the convolutions of one run, given
/// back with itself (when the run's work is done).
class HandleLease : public RunResource {
public:
  HandleLease() = default;
  HandleLease(const HandleLease &) = delete;
  HandleLease &operator=(const HandleLease &) = delete;
  ~HandleLease() override {
    if (!handle)
      return;
    HandlePool &pool = getHandlePool();
    std::lock_guard<std::mutex> lock(pool.mutex);
    pool.free.push_back(std::move(handle));
  }

  /// Takes a free handle, or creates one; returns cuDNN's status.
  DnnStatus take(const Cudnn &cudnn) {
    {
      HandlePool &pool = getHandlePool();
      std::lock_guard<std::mutex> lock(pool.mutex);
      if (!pool.free.empty()) {
        handle = std::move(pool.free.back());
        pool.free.pop_back();
        return kDnnSuccess;
      }
    }
    auto made = std::make_unique<PooledHandle>();
    if (DnnStatus status = cudnn->create(&made->handle))
      return status;
    handle = std::move(made);
    return kDnnSuccess;
  }

  PooledHandle *operator->() const { return handle.get(); }

  /// Grows the handle's workspace to `bytes` on `device`. The workspace it
  /// replaces is kept until the lease ends: earlier calls of the run may
  /// still be using it.
  Error growWorkspace(const CudaDevice &device, size_t bytes) {
    Expected<ManagedBuffer> workspace = ManagedBuffer::allocate(device, bytes);
    if (!workspace)
      return workspace.getError();
    if (handle->workspace)
      replaced.push_back(std::move(*handle->workspace));
    handle->workspace.emplace(std::move(*workspace));
    handle->workspaceBytes = bytes;
    return Error::success();
  }

private:
  std::unique_ptr<PooledHandle> handle;
  std::vector<ManagedBuffer> replaced;
};

/// The cuDNN handle of the calling thread's run: taken at its first
/// convolution, held until the run's work is done. Null after `status`
/// says why none could be made.
HandleLease *getRunHandle(const Cudnn &cudnn, DnnStatus &status) {
  static const char key = 0;
  if (RunResource *held = findRunResource(&key))
    return static_cast<HandleLease *>(held);
  auto lease = std::make_unique<HandleLease>();
  if ((status = lease->take(cudnn)))
    return nullptr;
  return static_cast<HandleLease *>(&holdForRun(&key, std::move(lease)));
}

/// "2x3x8x8" for `sizes`.
std::string shapeText(const std::array<int64_t, 4> &sizes) {
  return concat(sizes[0], "x", sizes[1], "x", sizes[2], "x", sizes[3]);
}

/// The key of a convolution of `x`, `w` into `y` with `params`.
ConvKey makeKey(const ConvTensor &x, const ConvTensor &w, const ConvTensor &y,
                int64_t biasStride, const ConvParams &params, bool tf32) {
  ConvKey key{};
  size_t next = 0;
  for (const ConvTensor *tensor : {&x, &w, &y})
    for (int i = 0; i < 4; ++i) {
      key[next++] = tensor->sizes[i];
      key[next++] = tensor->strides[i];
    }
  for (int64_t value :
       {biasStride, static_cast<int64_t>(activationOf(params.flags)),
        params.strideH, params.strideW, params.dilationH, params.dilationW,
        params.padTop, params.padLeft, params.groups,
        static_cast<int64_t>(tf32)})
    key[next++] = value;
  return key;
}

/// Describes `tensor` (sizes and strides) in `desc`, created here.
DnnStatus describeTensor(const DnnFunctions &dnn, TensorDesc &desc,
                         const std::array<int64_t, 4> &sizes,
                         const std::array<int64_t, 4> &strides) {
  if (DnnStatus status = dnn.createTensorDescriptor(&desc))
    return status;
  auto i = [](int64_t value) { return static_cast<int>(value); };
  return dnn.setTensor4dDescriptorEx(
      desc, kDnnDataFloat, i(sizes[0]), i(sizes[1]), i(sizes[2]), i(sizes[3]),
      i(strides[0]), i(strides[1]), i(strides[2]), i(strides[3]));
}

/// Makes the descriptors, algorithm and workspace size of a convolution
/// into `prepared`, querying the algorithm with `handle`; `found` says
/// whether cuDNN had an algorithm. Returns cuDNN's status.
DnnStatus prepareConv(const Cudnn &cudnn, DnnHandle handle, const ConvTensor &x,
                      const ConvTensor &w, const ConvTensor &y,
                      int64_t biasStride, const ConvParams &params, bool tf32,
                      PreparedConv &prepared, bool &found) {
  const DnnFunctions &dnn = *cudnn;
  auto i = [](int64_t value) { return static_cast<int>(value); };
  DnnStatus status = describeTensor(dnn, prepared.x, x.sizes, x.strides);
  if (!status)
    status = describeTensor(dnn, prepared.y, y.sizes, y.strides);
  if (!status)
    status = dnn.createFilterDescriptor(&prepared.w);
  if (!status)
    status = dnn.setFilter4dDescriptor(
        prepared.w, kDnnDataFloat, kDnnTensorNchw, i(w.sizes[0]), i(w.sizes[1]),
        i(w.sizes[2]), i(w.sizes[3]));
  if (!status)
    status = dnn.createConvolutionDescriptor(&prepared.conv);
  if (!status)
    status = dnn.setConvolution2dDescriptor(
        prepared.conv, i(params.padTop), i(params.padLeft), i(params.strideH),
        i(params.strideW), i(params.dilationH), i(params.dilationW),
        kDnnCrossCorrelation, kDnnDataFloat);
  if (!status)
    status = dnn.setConvolutionGroupCount(prepared.conv, i(params.groups));
  if (!status)
    status = dnn.setConvolutionMathType(prepared.conv,
                                        tf32 ? kDnnDefaultMath : kDnnFmaMath);
  if (!status && biasStride >= 0)
    status = describeTensor(dnn, prepared.bias, {1, y.sizes[1], 1, 1},
                            {y.sizes[1] * biasStride, biasStride, 1, 1});
  Activation activation = activationOf(params.flags);
  if (!status && activation != Activation::None)
    status = dnn.createActivationDescriptor(&prepared.activation);
  if (!status && activation == Activation::Relu)
    status = dnn.setActivationDescriptor(
        prepared.activation, kDnnActivationRelu, kDnnPropagateNan, 0.0);
  if (!status && activation == Activation::Swish)
    status = dnn.setActivationDescriptor(
        prepared.activation, kDnnActivationSwish, kDnnPropagateNan, 0.0);
  // x * sigmoid(beta * x): a SiLU for beta = 1.
  if (!status && activation == Activation::Swish)
    status = dnn.setActivationDescriptorSwishBeta(prepared.activation, 1.0);

  constexpr int kRequested = 8;
  ConvolutionAlgoPerf results[kRequested] = {};
  int count = 0;
  if (!status)
    status = dnn.getConvolutionForwardAlgorithm_v7(
        handle, prepared.x, prepared.w, prepared.conv, prepared.y, kRequested,
        &count, results);
  found = false;
  if (status)
    return status;
  // The heuristic's order: the first algorithm that can run this shape.
  for (int k = 0; k < count && k < kRequested; ++k)
    if (results[k].status == kDnnSuccess) {
      prepared.algo = results[k].algo;
      found = true;
      break;
    }
  if (!found)
    return status;
  return dnn.getConvolutionForwardWorkspaceSize(
      handle, prepared.x, prepared.w, prepared.conv, prepared.y, prepared.algo,
      &prepared.workspaceBytes);
}

/// Y = act(conv(X, W) + bias + Y if accumulating) on cuDNN; false after
/// recordRunFailure.
bool runConv(const char *node, const ConvTensor &x, const ConvTensor &w,
             const xf_memref_f32_1d_t &bias, const ConvTensor &y,
             const ConvParams &params) {
  const CudaDevice *device = getRunDevice();
  if (!device)
    return recordRunFailure("a cuDNN convolution was called outside a run");
  const std::array<int64_t, 4> &ys = y.sizes, &ws = w.sizes, &xs = x.sizes;
  if (ys[0] == 0 || ys[1] == 0 || ys[2] == 0 || ys[3] == 0)
    return true;
  std::string what =
      concat("cuDNN convolution (", shapeText(xs), " * ", shapeText(ws), " -> ",
             shapeText(ys), ", groups ", params.groups, ")");
  auto fail = [&](const std::string &reason) {
    return recordRunFailure(concat(formatNodePrefix(node), what, " ", reason));
  };
  // cuDNN's legacy descriptors take `int` sizes and strides.
  for (const ConvTensor *tensor : {&x, &w, &y})
    for (int i = 0; i < 4; ++i)
      if (tensor->sizes[i] > INT_MAX || tensor->strides[i] > INT_MAX ||
          tensor->strides[i] < 0)
        return fail("cannot be described to cuDNN: a size or stride "
                    "exceeds 2^31 - 1 elements");
  // The filter descriptor has no strides: contiguous F x C/G x KH x KW.
  int64_t expected = 1;
  for (int i = 3; i >= 0; --i) {
    if (ws[i] != 1 && w.strides[i] != expected)
      return fail(concat("has a filter with strides ", shapeText(w.strides),
                         ", which cuDNN cannot take (it needs a contiguous "
                         "filter; a compiler bug)"));
    expected *= ws[i];
  }
  // Padding by pad_top and pad_left on both sides must give Y's size.
  auto outputSize = [](int64_t size, int64_t pad, int64_t kernel,
                       int64_t dilation, int64_t stride) {
    int64_t padded = size + 2 * pad - ((kernel - 1) * dilation + 1);
    return padded < 0 ? 0 : padded / stride + 1;
  };
  if (outputSize(xs[2], params.padTop, ws[2], params.dilationH,
                 params.strideH) != ys[2] ||
      outputSize(xs[3], params.padLeft, ws[3], params.dilationW,
                 params.strideW) != ys[3])
    return fail(concat("has padding ", params.padTop, ",", params.padLeft, ",",
                       params.padBottom, ",", params.padRight,
                       " that cuDNN cannot compute (it pads both sides alike; "
                       "a compiler bug)"));
  bool hasBias = params.flags & XF_KERNEL_BIAS;
  if (hasBias && bias.sizes[0] != ys[1])
    return fail(concat("has ", bias.sizes[0], " biases for ", ys[1],
                       " channels (a compiler bug)"));
  int64_t biasStride = hasBias ? bias.strides[0] : -1;

  Expected<const Cudnn *> loaded = Cudnn::get();
  if (!loaded)
    return recordRunFailure(formatNodePrefix(node) + loaded.getMessage());
  const Cudnn &cudnn = **loaded;
  DnnStatus handleStatus = kDnnSuccess;
  HandleLease *lease = getRunHandle(cudnn, handleStatus);
  if (!lease)
    return recordRunFailure(
        concat(formatNodePrefix(node),
               "cannot create a cuDNN handle: ", cudnn.describe(handleStatus)));
  HandleLease &handle = *lease;

  // The prepared convolution of this shape: from the cache, or made and
  // kept when it succeeds.
  bool tf32 = runAllowsTf32();
  ConvKey key = makeKey(x, w, y, biasStride, params, tf32);
  const PreparedConv *prepared = nullptr;
  {
    ConvCache &cache = getConvCache();
    std::lock_guard<std::mutex> lock(cache.mutex);
    auto it = cache.entries.find(key);
    if (it != cache.entries.end()) {
      prepared = it->second.get();
    } else {
      auto made = std::make_unique<PreparedConv>(*cudnn);
      bool found = false;
      if (DnnStatus status =
              prepareConv(cudnn, handle->handle, x, w, y, biasStride, params,
                          tf32, *made, found))
        return fail(concat("cannot be prepared: ", cudnn.describe(status)));
      if (!found)
        return fail("has no cuDNN algorithm");
      prepared = (cache.entries[key] = std::move(made)).get();
    }
  }

  // The handle's workspace, grown to what the algorithm needs.
  if (handle->workspaceBytes < prepared->workspaceBytes)
    if (Error error = handle.growWorkspace(*device, prepared->workspaceBytes))
      return fail(concat("cannot get its workspace of ",
                         prepared->workspaceBytes,
                         " bytes: ", error.getMessage()));
  void *workspace = handle->workspace ? handle->workspace->getData() : nullptr;

  const DnnFunctions &dnn = *cudnn;
  float one = 1.0f, zero = 0.0f;
  float beta = (params.flags & XF_KERNEL_ACCUMULATE) ? 1.0f : 0.0f;
  DnnStatus status = dnn.setStream(handle->handle, getRunStream());
  if (!status)
    status = dnn.convolutionForward(
        handle->handle, &one, prepared->x, x.data, prepared->w, w.data,
        prepared->conv, prepared->algo, workspace, prepared->workspaceBytes,
        &beta, prepared->y, y.data);
  if (!status && prepared->bias)
    status =
        dnn.addTensor(handle->handle, &one, prepared->bias,
                      bias.aligned + bias.offset, &one, prepared->y, y.data);
  if (!status && prepared->activation)
    status =
        dnn.activationForward(handle->handle, prepared->activation, &one,
                              prepared->y, y.data, &zero, prepared->y, y.data);
  if (status)
    return fail(concat("failed: ", cudnn.describe(status)));
  return noteEnqueued(StreamWork::Convolution, node);
}
} // namespace
} // namespace exaforge::runtime::cuda

using namespace exaforge::runtime::cuda;

/// Y = act(conv(X, W) + bias + Y if accumulating) on cuDNN. Owns nothing
/// when it leaves the compiled code (leaveRun): runConv has returned.
extern "C" void _mlir_ciface_xf_cuda_conv2d_nchw_f32(
    xf_exec_context * /*context*/, int64_t /*site*/, const char *node,
    int64_t flags, xf_memref_f32_4d_t *x, xf_memref_f32_4d_t *w,
    xf_memref_f32_1d_t *bias, xf_memref_f32_4d_t *y, int64_t stride_h,
    int64_t stride_w, int64_t dilation_h, int64_t dilation_w, int64_t pad_top,
    int64_t pad_left, int64_t pad_bottom, int64_t pad_right, int64_t groups) {
  ConvParams params{flags,   stride_h, stride_w,   dilation_h, dilation_w,
                    pad_top, pad_left, pad_bottom, pad_right,  groups};
  if (!runConv(node, tensorOf(*x), tensorOf(*w), *bias, tensorOf(*y), params))
    leaveRun();
}
