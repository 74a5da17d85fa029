//===- OneDnnKernels.cpp - oneDNN kernels for compiled models -------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements kernels.h on oneDNN 2.x primitives. Primitives are created with
// the exact sizes and strides of the call (activations are wrapped, not
// copied, except around a convolution whose buffers oneDNN runs fast only
// in its blocked layouts: NCHW, or two layouts), with a `sum` post-op when
// the call accumulates (and for convolutions a bias, the zero padding of the
// input and a SiLU or HardSwish post-op as the call's flags ask; a ReLU runs
// after the primitive, as oneDNN's drops NaN; Winograd's algorithm for the
// 3 x 3 convolutions it runs faster, usesWinograd), and cached under the call
// site, flags, sizes and strides. Each thread prepares, at its first call
// with a key, what the call derives from it (PreparedCall: the primitive,
// memory objects pointed at each later call's buffers, the reorders around
// it), and passes the arguments to oneDNN's C API: a call on a small tensor
// allocates nothing and describes no buffer.
// Constant weights let oneDNN choose their layout: they are reordered once
// into it and the packed copy is cached under the call site and the
// weight's address until the session that maps it closes. oneDNN runs on the
// OpenMP threads of the process. oneDNN reports failures by throwing
// dnnl::error: this file is compiled with exceptions, and every entry point
// catches them and records the first message in the run's context
// (ExecContext.h).
//
//===----------------------------------------------------------------------===//

#include "ExecContext.h"
#include "OnnxRelu.h"
#include "Status.h"
#include "exaforge/abi/kernels.h"
#include "exaforge/abi/parallel.h"

#include <dnnl.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <climits>
#include <cstdlib>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

using exaforge::runtime::computeRelu;

namespace {
/// Runs `body`, recording a oneDNN failure of kernel `name`, called for
/// the ONNX node `node` ("" or null when unknown), in `run` instead of
/// letting the exception leave the kernel: "node 'MatMul_3': matmul:
/// oneDNN error: ...". The message is built only on failure.
template <typename Body>
void guarded(xf_exec_context *run, const char *node, const char *name,
             Body &&body) {
  auto kernel = [&] {
    return exaforge::runtime::formatNodePrefix(node) + std::string(name) + ": ";
  };
  try {
    body();
  } catch (const dnnl::error &e) {
    run->recordKernelFailure(kernel() + "oneDNN error: " + e.what());
  } catch (const std::exception &e) {
    run->recordKernelFailure(kernel() + e.what());
  }
}

/// The CPU engine shared by every kernel.
dnnl::engine &getEngine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

/// The calling thread's stream on the engine, created once rather than at
/// every kernel call (a call on a small tensor takes a few microseconds).
dnnl::stream &getStream() {
  thread_local dnnl::stream stream(getEngine());
  return stream;
}

/// The arguments of one primitive execution, passed to oneDNN's C API
/// without the heap allocations of the C++ API's std::unordered_map. The
/// memories must outlive the execution.
class ExecArgs {
public:
  ExecArgs(std::initializer_list<std::pair<int, const dnnl::memory *>> list) {
    for (const auto &[arg, memory] : list)
      add(arg, *memory);
  }

  void add(int arg, const dnnl::memory &memory) {
    if (count == kMaxArgs)
      throw std::logic_error("too many oneDNN execution arguments");
    args[count++] = {arg, memory.get()};
  }

  /// Executes `primitive` on the calling thread's stream and waits for it.
  void execute(const dnnl::primitive &primitive) const {
    dnnl::stream &stream = getStream();
    dnnl::error::wrap_c_api(
        dnnl_primitive_execute(primitive.get(), stream.get(), count, args),
        "could not execute a primitive");
    stream.wait();
  }

private:
  static constexpr int kMaxArgs = 6;
  dnnl_exec_arg_t args[kMaxArgs];
  int count = 0;
};

/// Primitive attributes of a call with `flags`: a `sum` post-op when the
/// result accumulates into the destination, as linalg semantics require.
/// The scratchpad is the caller's (one per execution): a cached primitive
/// runs concurrently in several threads (parallel runs of a session), and
/// oneDNN's library-managed scratchpad is not safe for that.
dnnl::primitive_attr getAttr(int64_t flags) {
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  if (flags & XF_KERNEL_ACCUMULATE) {
    dnnl::post_ops ops;
    ops.append_sum(1.0f);
    attr.set_post_ops(ops);
  }
  return attr;
}

/// Describes an f32 buffer of rank `rank` with explicit strides (through
/// the C API, which takes the arrays as they are, where the C++ API wants
/// them copied into vectors).
dnnl::memory::desc describe(const int64_t *sizes, const int64_t *strides,
                            int rank) {
  dnnl_memory_desc_t desc;
  dnnl::error::wrap_c_api(
      dnnl_memory_desc_init_by_strides(&desc, rank, sizes, dnnl_f32, strides),
      "could not describe a buffer");
  return dnnl::memory::desc(desc);
}

/// The calling thread's cache key buffer, holding `head`: reused from call
/// to call, so that building a key allocates nothing.
std::vector<int64_t> &startKey(std::initializer_list<int64_t> head) {
  thread_local std::vector<int64_t> key;
  key.assign(head);
  return key;
}

/// The order of a buffer's dimensions in memory, outermost first: the
/// dimensions sorted by decreasing stride (ties keep their order).
std::array<int, 4> getDimensionOrder(const int64_t *strides, int rank) {
  std::array<int, 4> order = {0, 1, 2, 3};
  // An insertion sort: stable, and four elements at most.
  for (int i = 1; i < rank; ++i)
    for (int j = i; j > 0 && strides[order[j]] > strides[order[j - 1]]; --j)
      std::swap(order[j], order[j - 1]);
  return order;
}

/// Whether two buffers of rank `rank` (at most 4) lay out their dimensions
/// in the same order.
bool haveSameDimensionOrder(const int64_t *stridesA, const int64_t *stridesB,
                            int rank) {
  return getDimensionOrder(stridesA, rank) == getDimensionOrder(stridesB, rank);
}

/// Writes into `strides` the dense strides of a buffer of `sizes` whose
/// dimensions are laid out in the order of a buffer with `orderStrides`.
void getDenseStridesInOrderOf(const int64_t *sizes, const int64_t *orderStrides,
                              int rank, int64_t *strides) {
  std::array<int, 4> order = getDimensionOrder(orderStrides, rank);
  int64_t stride = 1;
  for (int i = rank - 1; i >= 0; --i) {
    strides[order[i]] = stride;
    stride *= std::max<int64_t>(sizes[order[i]], 1);
  }
}

/// A primitive shared by every thread that calls with its cache key: the
/// scratchpad each execution needs and the weights layout it was created for
/// (oneDNN's choice when the weights are pre-packed); for convolutions and
/// poolings also the source and destination layouts it runs on when they
/// differ from the caller's.
struct CachedPrimitive {
  dnnl::primitive primitive;
  dnnl::memory::desc scratchpadDesc;
  dnnl::memory::desc weightsDesc;
  dnnl::memory::desc srcDesc = {};
  dnnl::memory::desc dstDesc = {};
};

/// Memory that one thread's kernel calls use during a call only, kept
/// between calls (a kernel runs to completion before the next starts on the
/// same thread) and grown to the largest size asked for.
class ScratchBuffer {
public:
  ~ScratchBuffer() { std::free(data); }

  /// Returns at least `bytes` bytes, 64-byte aligned.
  void *get(size_t bytes) {
    bytes = std::max<size_t>(bytes, 64);
    if (bytes > capacity) {
      std::free(data);
      capacity = (bytes + 63) / 64 * 64;
      data = std::aligned_alloc(64, capacity);
      if (!data) {
        capacity = 0;
        throw std::bad_alloc();
      }
    }
    return data;
  }

private:
  void *data = nullptr;
  size_t capacity = 0;
};

/// What a call uses one of its thread's scratch buffers for: all three live
/// during the same call.
enum class Scratch { Scratchpad, Source, Destination, Count };

/// The calling thread's scratch buffer for `use`, of at least `bytes` bytes.
void *getScratch(Scratch use, size_t bytes) {
  thread_local ScratchBuffer buffers[static_cast<int>(Scratch::Count)];
  return buffers[static_cast<int>(use)].get(bytes);
}

/// Primitives keyed by call site, flags, sizes, strides and parameters,
/// never dropped; packed weights keyed by call site and the address of the
/// model weight they were copied from, with an epoch that advances whenever
/// weights are forgotten (a session closed: a later one may map other
/// weights at the same address).
class KernelCache {
public:
  /// Returns the primitive cached under `key`, creating it with `create`.
  template <typename Create>
  std::shared_ptr<CachedPrimitive>
  getOrCreatePrimitive(const std::vector<int64_t> &key, Create &&create) {
    std::lock_guard<std::mutex> lock(mutex);
    std::shared_ptr<CachedPrimitive> &entry = primitives[key];
    if (!entry)
      entry = std::make_shared<CachedPrimitive>(create());
    return entry;
  }

  /// Returns the weights at `source` (laid out as `sourceDesc`) reordered
  /// into `packedDesc`, packing them on first use. The memory stays the
  /// cache's until forgetWeights drops it (a copy per packed layout: calls
  /// of one site with other shapes may want another).
  dnnl_memory_t getPackedWeights(int64_t site, const void *source,
                                 const dnnl::memory::desc &sourceDesc,
                                 const dnnl::memory::desc &packedDesc) {
    std::lock_guard<std::mutex> lock(mutex);
    std::vector<dnnl::memory> &copies =
        packedWeights[{reinterpret_cast<uintptr_t>(source), site}];
    for (const dnnl::memory &copy : copies)
      if (copy.get_desc() == packedDesc)
        return copy.get();
    dnnl::engine &engine = getEngine();
    dnnl::memory from(sourceDesc, engine, const_cast<void *>(source));
    dnnl::memory to(packedDesc, engine);
    dnnl::stream stream(engine);
    dnnl::reorder(from, to).execute(stream, from, to);
    stream.wait();
    copies.push_back(to);
    return to.get();
  }

  /// Drops the packed weights copied from [begin, end) and advances the
  /// weights epoch.
  void forgetWeights(uintptr_t begin, uintptr_t end) {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = packedWeights.lower_bound({begin, INT64_MIN});
    while (it != packedWeights.end() && it->first.first < end)
      it = packedWeights.erase(it);
    weightsEpoch.fetch_add(1, std::memory_order_release);
  }

  /// The number of forgetWeights calls so far: a packed copy obtained
  /// before the current epoch may belong to forgotten weights.
  uint64_t getWeightsEpoch() const {
    return weightsEpoch.load(std::memory_order_acquire);
  }

private:
  std::mutex mutex;
  std::map<std::vector<int64_t>, std::shared_ptr<CachedPrimitive>> primitives;
  std::map<std::pair<uintptr_t, int64_t>, std::vector<dnnl::memory>>
      packedWeights;
  std::atomic<uint64_t> weightsEpoch{0};
};

KernelCache &getCache() {
  static KernelCache cache;
  return cache;
}

/// What a kernel call derives from its cache key, prepared at a thread's
/// first call with that key and reused by its later ones: the shared
/// primitive, the memory objects it runs on (pointed at each call's buffers
/// with set_data_handle), the reorders around a primitive that runs on
/// other layouts than the caller's buffers, and the packed weights last
/// used. A call on a small tensor spent more time describing its buffers,
/// creating memories and reorders, and looking the primitive up under the
/// cache's lock than in oneDNN's kernel (benchmarks/README.md).
struct PreparedCall {
  std::shared_ptr<CachedPrimitive> cached;
  /// The caller's buffers (bias: null when the call has none).
  dnnl::memory src, weights, bias, dst;
  /// The caller's weights layout, which packed weights are copied from.
  dnnl::memory::desc userWeightsDesc;
  /// The scratchpad of one execution, in a thread scratch buffer.
  dnnl::memory scratchpad;
  /// The primitive's own source and destination, when it runs on other
  /// layouts than the caller's (in thread scratch buffers), and the
  /// reorders between them and the caller's buffers.
  dnnl::memory internalSrc, internalDst;
  std::optional<dnnl::reorder> reorderSrc, reorderDstIn, reorderDstOut;
  /// For packed weights: the model weight and the epoch `weights` (a weak
  /// handle of the cache's copy) was obtained in.
  bool packsWeights = false;
  const void *weightsSource = nullptr;
  uint64_t weightsEpoch = 0;
};

/// Hashes a cache key.
struct KeyHash {
  size_t operator()(const std::vector<int64_t> &key) const {
    uint64_t hash = 14695981039346656037ull;
    for (int64_t value : key)
      hash = (hash ^ static_cast<uint64_t>(value)) * 1099511628211ull;
    return hash;
  }
};

/// The calling thread's prepared call for `key`, prepared by
/// `prepare(PreparedCall &)` the first time (which must set `cached`).
template <typename Prepare>
PreparedCall &getPreparedCall(const std::vector<int64_t> &key,
                              Prepare &&prepare) {
  thread_local std::unordered_map<std::vector<int64_t>, PreparedCall, KeyHash>
      calls;
  auto it = calls.find(key);
  if (it != calls.end())
    return it->second;
  PreparedCall call;
  prepare(call);
  return calls.emplace(key, std::move(call)).first->second;
}

/// A memory of `desc` whose buffer each call sets.
dnnl::memory makeUnboundMemory(const dnnl::memory::desc &desc) {
  return dnnl::memory(desc, getEngine(), DNNL_MEMORY_NONE);
}

/// Prepares the memories of `call` that every kernel has: source, weights
/// (none for poolings: an empty `weightsDesc`), bias (when `biasDesc` is
/// not empty), destination and scratchpad; and, when the primitive runs on
/// another source or destination layout, the reorders into and out of it
/// (the destination's first when the call accumulates: a `sum` post-op adds
/// to what the destination holds).
void prepareMemories(PreparedCall &call, const dnnl::memory::desc &srcDesc,
                     const dnnl::memory::desc &weightsDesc,
                     const dnnl::memory::desc &biasDesc,
                     const dnnl::memory::desc &dstDesc, int64_t flags) {
  const CachedPrimitive &cached = *call.cached;
  call.src = makeUnboundMemory(srcDesc);
  call.dst = makeUnboundMemory(dstDesc);
  call.userWeightsDesc = weightsDesc;
  call.packsWeights = weightsDesc != cached.weightsDesc;
  if (!weightsDesc.is_zero() && !call.packsWeights)
    call.weights = makeUnboundMemory(weightsDesc);
  if (!biasDesc.is_zero())
    call.bias = makeUnboundMemory(biasDesc);
  call.scratchpad = makeUnboundMemory(cached.scratchpadDesc);
  if (!cached.srcDesc.is_zero() && cached.srcDesc != srcDesc) {
    call.internalSrc = makeUnboundMemory(cached.srcDesc);
    call.reorderSrc.emplace(call.src, call.internalSrc);
  }
  if (!cached.dstDesc.is_zero() && cached.dstDesc != dstDesc) {
    call.internalDst = makeUnboundMemory(cached.dstDesc);
    if (flags & XF_KERNEL_ACCUMULATE)
      call.reorderDstIn.emplace(call.dst, call.internalDst);
    call.reorderDstOut.emplace(call.internalDst, call.dst);
  }
}

/// Runs `reorder` from `from` into `to` on the calling thread's stream.
void runReorder(const dnnl::reorder &reorder, const dnnl::memory &from,
                const dnnl::memory &to) {
  ExecArgs{{DNNL_ARG_FROM, &from}, {DNNL_ARG_TO, &to}}.execute(reorder);
}

/// Points the scratchpad of `call` at the calling thread's scratch buffer.
const dnnl::memory &bindScratchpad(PreparedCall &call) {
  call.scratchpad.set_data_handle(
      getScratch(Scratch::Scratchpad, call.cached->scratchpadDesc.get_size()));
  return call.scratchpad;
}

/// Returns the memory the primitive of `call` reads its weights from: the
/// model's buffer at `data`, or its packed copy (cached under `site` and
/// `data`) when the primitive wants another layout.
const dnnl::memory &bindWeights(PreparedCall &call, int64_t site, float *data) {
  if (!call.packsWeights) {
    call.weights.set_data_handle(data);
    return call.weights;
  }
  KernelCache &cache = getCache();
  uint64_t epoch = cache.getWeightsEpoch();
  if (!call.weights || call.weightsSource != data ||
      call.weightsEpoch != epoch) {
    // A weak handle: the cache owns the copy, so that closing the session
    // frees it (a thread's prepared calls may never run again), and drops
    // it only in forgetWeights, which advances the epoch.
    call.weights =
        dnnl::memory(cache.getPackedWeights(site, data, call.userWeightsDesc,
                                            call.cached->weightsDesc),
                     /*weak=*/true);
    call.weightsSource = data;
    call.weightsEpoch = epoch;
  }
  return call.weights;
}

/// Executes the primitive of `call` on the caller's source and destination
/// (already bound), through its own layouts when they differ: the source
/// reordered into a scratch buffer first, the result reordered back.
/// `args` holds every other argument.
void executeThroughLayouts(PreparedCall &call, ExecArgs args) {
  const dnnl::memory *src = &call.src, *dst = &call.dst;
  if (call.reorderSrc) {
    call.internalSrc.set_data_handle(
        getScratch(Scratch::Source, call.cached->srcDesc.get_size()));
    runReorder(*call.reorderSrc, call.src, call.internalSrc);
    src = &call.internalSrc;
  }
  if (call.reorderDstOut) {
    call.internalDst.set_data_handle(
        getScratch(Scratch::Destination, call.cached->dstDesc.get_size()));
    if (call.reorderDstIn)
      runReorder(*call.reorderDstIn, call.dst, call.internalDst);
    dst = &call.internalDst;
  }
  args.add(DNNL_ARG_SRC, *src);
  args.add(DNNL_ARG_DST, *dst);
  args.execute(call.cached->primitive);
  if (call.reorderDstOut)
    runReorder(*call.reorderDstOut, call.internalDst, call.dst);
}

/// Executes the primitive of `call` (a matmul or a convolution) on this
/// call's buffers: source, weights (through their packed copy when the
/// primitive wants one), bias (null: none) and destination.
void executeWithWeights(PreparedCall &call, int64_t site, float *src,
                        float *weights, float *bias, float *dst) {
  call.src.set_data_handle(src);
  call.dst.set_data_handle(dst);
  ExecArgs args = {{DNNL_ARG_WEIGHTS, &bindWeights(call, site, weights)},
                   {DNNL_ARG_SCRATCHPAD, &bindScratchpad(call)}};
  if (bias) {
    call.bias.set_data_handle(bias);
    args.add(DNNL_ARG_BIAS, call.bias);
  }
  executeThroughLayouts(call, args);
}

/// Appends the sizes and strides of a descriptor to a cache key.
template <typename MemRef>
void appendLayout(std::vector<int64_t> &key, const MemRef *memref, int rank) {
  key.insert(key.end(), memref->sizes, memref->sizes + rank);
  key.insert(key.end(), memref->strides, memref->strides + rank);
}

/// Returns the first element of a descriptor's view.
template <typename MemRef> float *getData(const MemRef *memref) {
  return memref->aligned + memref->offset;
}

/// Whether a descriptor of rank `rank` has no element. oneDNN refuses (or
/// divides by) empty shapes, so the kernels handle them first: a batch of
/// 0 rows computes nothing, as in onnxruntime.
template <typename MemRef> bool isEmpty(const MemRef *memref, int rank) {
  return std::any_of(memref->sizes, memref->sizes + rank,
                     [](int64_t size) { return size == 0; });
}

/// A strided 4-D view as nested loops in memory order: its dimensions from
/// the largest stride to the smallest, with dimensions that follow each
/// other contiguously merged into one (a dense view in any dimension order
/// becomes a single loop).
struct MemoryOrderLoops {
  int rank = 0;
  int64_t sizes[4];
  int64_t strides[4];
};

/// The memory-order loops of `memref`'s view.
MemoryOrderLoops getMemoryOrderLoops(const xf_memref_f32_4d_t *memref) {
  std::array<int, 4> order = getDimensionOrder(memref->strides, 4);
  MemoryOrderLoops loops;
  for (int d : order) {
    int64_t size = memref->sizes[d], stride = memref->strides[d];
    if (size == 1)
      continue;
    if (loops.rank > 0 && loops.strides[loops.rank - 1] == stride * size) {
      loops.sizes[loops.rank - 1] *= size;
      loops.strides[loops.rank - 1] = stride;
      continue;
    }
    loops.sizes[loops.rank] = size;
    loops.strides[loops.rank] = stride;
    ++loops.rank;
  }
  if (loops.rank == 0) { // A single element.
    loops.sizes[0] = 1;
    loops.strides[0] = 1;
    loops.rank = 1;
  }
  return loops;
}

/// The most elements of one innermost loop that applyRelu hands to a
/// thread at a time: a dense view is a single loop, which would otherwise
/// run on one thread.
constexpr int64_t kReluBlockLength = 4096;

/// The blocks of a view that applyRelu's threads share: every loop of
/// `loops` but the innermost, times the innermost one cut into
/// `blocksPerRow` blocks of at most kReluBlockLength elements, over `data`.
struct ReluBlocks {
  float *data;
  MemoryOrderLoops loops;
  int64_t blocksPerRow;
};

/// Applies computeRelu (OnnxRelu.h) to the blocks [begin, end) of a
/// ReluBlocks.
void applyReluToBlocks(void *context, int64_t begin, int64_t end) {
  const ReluBlocks &blocks = *static_cast<const ReluBlocks *>(context);
  const MemoryOrderLoops &loops = blocks.loops;
  int inner = loops.rank - 1;
  int64_t length = loops.sizes[inner], step = loops.strides[inner];
  for (int64_t block = begin; block < end; ++block) {
    int64_t row = block / blocks.blocksPerRow;
    int64_t first = (block % blocks.blocksPerRow) * kReluBlockLength;
    int64_t last = std::min(first + kReluBlockLength, length);
    int64_t offset = 0, rest = row;
    for (int d = inner - 1; d >= 0; --d) {
      offset += (rest % loops.sizes[d]) * loops.strides[d];
      rest /= loops.sizes[d];
    }
    float *start = blocks.data + offset;
    if (step == 1) {
      for (int64_t i = first; i < last; ++i)
        start[i] = computeRelu(start[i]);
    } else {
      for (int64_t i = first; i < last; ++i)
        start[i * step] = computeRelu(start[i * step]);
    }
  }
}

/// Replaces every element of `memref`'s view by its ReLU (computeRelu), in
/// memory order, on the OpenMP threads. oneDNN's ReLU and clip post-ops
/// turn NaN into 0 (their maximum returns the other operand of a NaN), so a
/// convolution with XF_KERNEL_RELU applies this after its primitive.
void applyRelu(const xf_memref_f32_4d_t *memref) {
  ReluBlocks blocks{getData(memref), getMemoryOrderLoops(memref), 0};
  int64_t length = blocks.loops.sizes[blocks.loops.rank - 1];
  blocks.blocksPerRow = (length + kReluBlockLength - 1) / kReluBlockLength;
  int64_t rows = 1;
  for (int d = 0; d + 1 < blocks.loops.rank; ++d)
    rows *= blocks.loops.sizes[d];
  xf_parallel_for(applyReluToBlocks, &blocks, 0, rows * blocks.blocksPerRow,
                  /*cost=*/std::min(length, kReluBlockLength));
}

/// The `rank`-D view `memref` (rank at most 4) as a 4-D one with leading
/// dimensions of size 1.
template <typename MemRef>
xf_memref_f32_4d_t asFourDimensional(const MemRef *memref, int rank) {
  xf_memref_f32_4d_t view;
  view.allocated = memref->allocated;
  view.aligned = memref->aligned;
  view.offset = memref->offset;
  for (int d = 0; d < 4; ++d) {
    int source = d - (4 - rank);
    view.sizes[d] = source < 0 ? 1 : memref->sizes[source];
    view.strides[d] = source < 0 ? 1 : memref->strides[source];
  }
  return view;
}

/// The values of `bias` (a 1-D view) as dense memory: its own when its
/// elements are adjacent, else a copy in `storage`. oneDNN's matmul and
/// convolution read their bias as dense whatever strides it is described
/// with (oneDNN 2.6), so a strided view must be copied.
float *getDenseBias(const xf_memref_f32_1d_t *bias,
                    std::vector<float> &storage) {
  float *data = getData(bias);
  if (bias->strides[0] == 1 || bias->sizes[0] <= 1)
    return data;
  storage.resize(bias->sizes[0]);
  for (int64_t i = 0; i < bias->sizes[0]; ++i)
    storage[i] = data[i * bias->strides[0]];
  return storage.data();
}

/// The result of a matmul whose sum is empty (K = 0), on the `rank`-D view
/// `c`: each element becomes relu?(bias?[last index] + (itself when
/// accumulating)) as `flags` say, 0 without any of them.
template <typename MemRef>
void computeEmptyProduct(MemRef *c, const xf_memref_f32_1d_t *bias,
                         int64_t flags, int rank) {
  int64_t index[4] = {0, 0, 0, 0};
  if (isEmpty(c, rank))
    return;
  while (true) {
    int64_t offset = 0;
    for (int d = 0; d < rank; ++d)
      offset += index[d] * c->strides[d];
    float &element = getData(c)[offset];
    float value = (flags & XF_KERNEL_ACCUMULATE) ? element : 0.0f;
    if (flags & XF_KERNEL_BIAS)
      value += getData(bias)[index[rank - 1] * bias->strides[0]];
    element = (flags & XF_KERNEL_RELU) ? computeRelu(value) : value;
    int d = rank - 1;
    while (d >= 0 && ++index[d] == c->sizes[d])
      index[d--] = 0;
    if (d < 0)
      return;
  }
}

/// The weights descriptor a primitive is created with: the user's layout,
/// or `any` (oneDNN's choice) when the weights may be pre-packed.
dnnl::memory::desc getWeightsQuery(const dnnl::memory::desc &userDesc,
                                   int64_t flags) {
  if (!(flags & XF_KERNEL_CONSTANT_WEIGHTS))
    return userDesc;
  return dnnl::memory::desc(userDesc.dims(), dnnl::memory::data_type::f32,
                            dnnl::memory::format_tag::any);
}

/// Returns `desc`'s sizes with the layout left to oneDNN.
dnnl::memory::desc anyLayout(const dnnl::memory::desc &desc) {
  return dnnl::memory::desc(desc.dims(), dnnl::memory::data_type::f32,
                            dnnl::memory::format_tag::any);
}

/// Whether oneDNN runs `pd` with one of its optimized implementations,
/// rather than its reference code or an im2col+gemm convolution.
bool isFastImplementation(const dnnl::primitive_desc_base &pd) {
  std::string name = pd.impl_info_str();
  return name.find("ref") == std::string::npos &&
         name.find("gemm") == std::string::npos;
}

/// Whether `desc` is one of oneDNN's blocked layouts (inner blocks), into
/// which its AVX-512 matmul (`brg`) packs weights it is given as `any`.
bool isBlockedLayout(const dnnl::memory::desc &desc) {
  return desc.data.format_kind == dnnl_blocked &&
         desc.data.format_desc.blocking.inner_nblks > 0;
}

/// Whether a matmul whose primitive keeps its weights in a plain layout
/// runs faster on a transposed copy of the constant weights `userDesc`.
/// oneDNN's AVX2 matmul (`gemm:jit`) keeps the weights in the layout it is
/// given, and runs up to twice as fast on some large K x N weights when
/// they are stored transposed (N rows of K). Measured on 2 AVX2 cores
/// (medians, M x K x N: row-major / transposed, ms): 128 x 768 x 3072
/// (BERT's first feed-forward layer) 6.5 / 3.4, 197 x 768 x 3072 (ViT's)
/// 10.2 / 5.7, 32 x 512 x 2048 0.78 / 0.43, 64 x 384 x 1536 0.57 / 0.44;
/// but 32 x 256 x 1000 0.096 / 0.120, 8 x 768 x 768 0.084 / 0.104 and
/// 8 x 2048 x 1000 0.25 / 0.83, and 64 x 768 x 50257 (GPT-2's head, whose
/// weight is the transposed embedding) 59 / 77 (benchmarks/README.md). So a
/// constant row-major weight of rank 2 (`rowMajor`: its rows are dense)
/// with N >= 2K and K >= 384 is copied transposed once (the cached packed
/// copy of bindWeights). oneDNN's AVX-512 matmul packs the weights into its
/// blocked layout instead, which is faster than either (64 x 768 x 3072 on
/// 2 AVX-512 cores: 1.39 ms blocked, 1.60 row-major, 1.68 transposed).
bool prefersTransposedCopy(const dnnl::memory::desc &userDesc, bool rowMajor,
                           int64_t flags) {
  dnnl::memory::dims dims = userDesc.dims();
  return (flags & XF_KERNEL_CONSTANT_WEIGHTS) && rowMajor && dims.size() == 2 &&
         dims[0] >= 384 && dims[1] >= 2 * dims[0];
}

/// Runs a matmul (rank 2, or 3 with a batch dimension) of descriptors, with
/// the bias and ReLU of `flags`.
template <typename MemRef>
void runMatmul(int kind, int64_t site, int64_t flags, MemRef *a, MemRef *b,
               const xf_memref_f32_1d_t *bias, MemRef *c, int rank) {
  // An empty product computes nothing.
  if (isEmpty(c, rank))
    return;
  // With C non-empty, an empty A or B means K = 0: an empty sum.
  if (isEmpty(a, rank) || isEmpty(b, rank)) {
    computeEmptyProduct(c, bias, flags, rank);
    return;
  }
  bool hasBias = flags & XF_KERNEL_BIAS;
  std::vector<int64_t> &key = startKey({kind, site, flags});
  appendLayout(key, a, rank);
  appendLayout(key, b, rank);
  appendLayout(key, c, rank);
  if (hasBias)
    key.push_back(bias->sizes[0]);
  std::vector<float> denseBias;
  float *biasData = hasBias ? getDenseBias(bias, denseBias) : nullptr;
  PreparedCall &call = getPreparedCall(key, [&](PreparedCall &call) {
    dnnl::memory::desc aDesc = describe(a->sizes, a->strides, rank);
    dnnl::memory::desc bDesc = describe(b->sizes, b->strides, rank);
    dnnl::memory::desc cDesc = describe(c->sizes, c->strides, rank);
    // The bias, one value per column, is a dense [1, (1,) N] operand of
    // oneDNN's matmul, broadcast over the rows (and the batch).
    dnnl::memory::desc biasDesc;
    if (hasBias) {
      int64_t biasSizes[3] = {1, 1, 1}, biasStrides[3] = {1, 1, 1};
      biasSizes[rank - 1] = bias->sizes[0];
      for (int d = 0; d + 1 < rank; ++d)
        biasStrides[d] = bias->sizes[0];
      biasDesc = describe(biasSizes, biasStrides, rank);
    }
    call.cached = getCache().getOrCreatePrimitive(key, [&] {
      auto createPd = [&](const dnnl::memory::desc &weightsQuery) {
        dnnl::matmul::desc desc(aDesc, weightsQuery, biasDesc, cDesc);
        return dnnl::matmul::primitive_desc(desc, getAttr(flags), getEngine());
      };
      // Constant weights in oneDNN's chosen layout (getWeightsQuery); where
      // it keeps them plain, transposed if that runs faster.
      dnnl::matmul::primitive_desc pd = createPd(getWeightsQuery(bDesc, flags));
      if (!isBlockedLayout(pd.weights_desc()) &&
          prefersTransposedCopy(bDesc, b->strides[rank - 1] == 1, flags))
        pd = createPd(dnnl::memory::desc(bDesc.dims(),
                                         dnnl::memory::data_type::f32,
                                         dnnl::memory::format_tag::ba));
      return CachedPrimitive{dnnl::matmul(pd), pd.scratchpad_desc(),
                             pd.weights_desc()};
    });
    prepareMemories(call, aDesc, bDesc, biasDesc, cDesc, flags);
  });
  executeWithWeights(call, site, getData(a), getData(b), biasData, getData(c));
  // oneDNN's ReLU post-op turns NaN into 0 (see applyRelu).
  if (flags & XF_KERNEL_RELU) {
    xf_memref_f32_4d_t view = asFourDimensional(c, rank);
    applyRelu(&view);
  }
}
} // namespace

extern "C" void _mlir_ciface_xf_kernel_matmul_f32(
    xf_exec_context *run, int64_t site, const char *node, int64_t flags,
    xf_memref_f32_2d_t *a, xf_memref_f32_2d_t *b, xf_memref_f32_1d_t *bias,
    xf_memref_f32_2d_t *c) {
  guarded(run, node, "matmul",
          [&] { runMatmul(/*kind=*/0, site, flags, a, b, bias, c, 2); });
}

extern "C" void _mlir_ciface_xf_kernel_batch_matmul_f32(
    xf_exec_context *run, int64_t site, const char *node, int64_t flags,
    xf_memref_f32_3d_t *a, xf_memref_f32_3d_t *b, xf_memref_f32_1d_t *bias,
    xf_memref_f32_3d_t *c) {
  guarded(run, node, "batch_matmul",
          [&] { runMatmul(/*kind=*/1, site, flags, a, b, bias, c, 3); });
}

namespace {
/// Primitive attributes of a convolution call with `flags`: getAttr's, plus
/// the activation after the accumulation that XF_KERNEL_SWISH or
/// XF_KERNEL_HARD_SWISH asks for (XF_KERNEL_RELU is applyRelu's, after the
/// primitive).
dnnl::primitive_attr getConvAttr(int64_t flags) {
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  dnnl::post_ops ops;
  if (flags & XF_KERNEL_ACCUMULATE)
    ops.append_sum(1.0f);
  // x * sigmoid(alpha x) with alpha = 1.
  if (flags & XF_KERNEL_SWISH)
    ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_swish, 1.0f, 0.0f);
  // x * relu6(x + 3) / 6 (oneDNN 2.x takes no parameters).
  if (flags & XF_KERNEL_HARD_SWISH)
    ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_hardswish, 0.0f, 0.0f);
  attr.set_post_ops(ops);
  return attr;
}

/// The geometry of a 2-D convolution or pooling call: strides, dilations
/// (linalg's, counted from 1), the padding before and after each spatial
/// dimension and, for a convolution, the number of groups.
struct WindowGeometry {
  int64_t strides[2], dilations[2], padBegin[2], padEnd[2];
  int64_t groups = 1;
};

/// Describes the filter `w` (F x C/G x KH x KW) of a convolution with
/// `groups` = G groups: as it is for G = 1, else as oneDNN's grouped
/// weights, G x F/G x C/G x KH x KW (goihw order with the buffer's
/// strides). Throws std::invalid_argument when G does not divide the
/// output channels F or the input channels `inputChannels`, or when they
/// disagree with the filter.
dnnl::memory::desc describeFilter(const xf_memref_f32_4d_t *w,
                                  int64_t inputChannels, int64_t groups) {
  if (groups < 1 || w->sizes[0] % groups != 0 ||
      inputChannels != w->sizes[1] * groups)
    throw std::invalid_argument(
        "the filter (" + std::to_string(w->sizes[0]) + " x " +
        std::to_string(w->sizes[1]) + " channels) does not fit " +
        std::to_string(inputChannels) + " input channels in " +
        std::to_string(groups) + " groups");
  if (groups == 1)
    return describe(w->sizes, w->strides, 4);
  int64_t sizes[5] = {groups, w->sizes[0] / groups, w->sizes[1], w->sizes[2],
                      w->sizes[3]};
  int64_t strides[5] = {sizes[1] * w->strides[0], w->strides[0], w->strides[1],
                        w->strides[2], w->strides[3]};
  return describe(sizes, strides, 5);
}

/// Fits the padded input of a window op to its output `y` for windows of
/// `kernel` elements: linalg ignores trailing input rows/columns that no
/// window reaches, while oneDNN wants (padded input - window) / stride + 1,
/// rounded down, to be the output size, so the end padding shrinks (into
/// `padEnd`), or the view of the input is cropped (into `xSizes`) by whole
/// strides only: fewer than `stride` unreached rows stay, so that a dense
/// input stays dense (oneDNN's fast kernels want dense channels-last
/// buffers: a stride-2 1x1 convolution of 56 rows into 28 reaches 55).
void fitInputToOutput(const xf_memref_f32_4d_t *x, const xf_memref_f32_4d_t *y,
                      const int64_t kernel[2], const WindowGeometry &geometry,
                      int64_t xSizes[4], int64_t padEnd[2]) {
  std::copy(x->sizes, x->sizes + 4, xSizes);
  for (int i = 0; i < 2; ++i) {
    int64_t window = (kernel[i] - 1) * geometry.dilations[i] + 1;
    int64_t needed = (y->sizes[2 + i] - 1) * geometry.strides[i] + window;
    padEnd[i] = needed - xSizes[2 + i] - geometry.padBegin[i];
    if (padEnd[i] > geometry.padEnd[i])
      throw std::invalid_argument("the padded input is smaller than the "
                                  "output and the windows need");
    if (padEnd[i] < 0) {
      int64_t unreached = -padEnd[i];
      xSizes[2 + i] -= unreached - unreached % geometry.strides[i];
      padEnd[i] = 0;
    }
  }
}

/// The fewest input and output channels of a convolution that
/// usesWinograd hands to oneDNN's Winograd kernels.
constexpr int64_t kWinogradMinChannels = 32;

/// Whether a convolution of `x` by `w` is computed by Winograd's minimal
/// filtering (oneDNN's F(2x2,3x3) and F(4x4,3x3) kernels, AVX-512 only)
/// rather than directly: 3 x 3 windows at stride 1, without dilation or
/// groups, on constant weights (transformed once, into a copy 1.8 to 4
/// times their size) and at least kWinogradMinChannels input and output
/// channels. These kernels run on oneDNN's blocked layout, so the
/// activations are reordered into it and back; with those reorders, on 2
/// AVX-512 cores, they take 0.46 to 0.72 of the direct kernel's time on
/// ResNet-50's 3 x 3 layers at batch 1, 0.47 to 0.57 at batch 8, but 4.3
/// times as long on 3 input channels (benchmarks/README.md). Their
/// results differ from the direct sums by rounding, by up to 3e-6 of the
/// largest output (64 to 512 channels). oneDNN's own choice
/// (convolution_auto) never takes them on these cores.
bool usesWinograd(const xf_memref_f32_4d_t *x, const xf_memref_f32_4d_t *w,
                  const WindowGeometry &geometry, int64_t flags) {
  return (flags & XF_KERNEL_CONSTANT_WEIGHTS) && geometry.groups == 1 &&
         w->sizes[2] == 3 && w->sizes[3] == 3 &&
         x->sizes[1] >= kWinogradMinChannels &&
         w->sizes[0] >= kWinogradMinChannels && geometry.strides[0] == 1 &&
         geometry.strides[1] == 1 && geometry.dilations[0] == 1 &&
         geometry.dilations[1] == 1;
}

/// Runs a 2-D NCHW convolution of descriptors (see kernels.h), grouped
/// when `geometry.groups` > 1.
void runConv2d(int64_t site, int64_t flags, xf_memref_f32_4d_t *x,
               xf_memref_f32_4d_t *w, xf_memref_f32_1d_t *bias,
               xf_memref_f32_4d_t *y, WindowGeometry geometry) {
  if (isEmpty(y, 4))
    return; // e.g. a batch of 0 images.
  int64_t xSizes[4], padEnd[2];
  fitInputToOutput(x, y, &w->sizes[2], geometry, xSizes, padEnd);
  bool hasBias = flags & XF_KERNEL_BIAS;
  std::vector<int64_t> &key = startKey(
      {2, site, flags, geometry.strides[0], geometry.strides[1],
       geometry.dilations[0], geometry.dilations[1], geometry.padBegin[0],
       geometry.padBegin[1], padEnd[0], padEnd[1], geometry.groups});
  key.insert(key.end(), xSizes, xSizes + 4);
  key.insert(key.end(), x->strides, x->strides + 4);
  appendLayout(key, w, 4);
  appendLayout(key, y, 4);
  if (hasBias)
    appendLayout(key, bias, 1);
  std::vector<float> denseBias;
  float *biasData = hasBias ? getDenseBias(bias, denseBias) : nullptr;
  PreparedCall &call = getPreparedCall(key, [&](PreparedCall &call) {
    dnnl::memory::desc xDesc = describe(xSizes, x->strides, 4);
    dnnl::memory::desc wDesc = describeFilter(w, x->sizes[1], geometry.groups);
    dnnl::memory::desc yDesc = describe(y->sizes, y->strides, 4);
    int64_t biasStride = 1;
    dnnl::memory::desc biasDesc =
        hasBias ? describe(bias->sizes, &biasStride, 1) : dnnl::memory::desc();
    call.cached = getCache().getOrCreatePrimitive(key, [&] {
      auto createPd = [&](const dnnl::memory::desc &src,
                          const dnnl::memory::desc &dst,
                          dnnl::algorithm algorithm =
                              dnnl::algorithm::convolution_direct) {
        // oneDNN counts dilation from 0 (no gap), linalg from 1.
        dnnl::convolution_forward::desc desc(
            dnnl::prop_kind::forward_inference, algorithm, src,
            getWeightsQuery(wDesc, flags), biasDesc, dst,
            {geometry.strides[0], geometry.strides[1]},
            {geometry.dilations[0] - 1, geometry.dilations[1] - 1},
            {geometry.padBegin[0], geometry.padBegin[1]},
            {padEnd[0], padEnd[1]});
        return dnnl::convolution_forward::primitive_desc(
            desc, getConvAttr(flags), getEngine());
      };
      // oneDNN's fast convolutions (jit, brgconv) run on dense NHWC or on
      // its blocked layouts: on NCHW buffers, or buffers of two layouts,
      // it falls back to im2col+gemm or its reference code, several times
      // slower than reordering the activations. So, unless Winograd's
      // kernels take the call (usesWinograd, on oneDNN's blocked layouts),
      // the first of these that a fast implementation runs is taken: the
      // buffers' own layouts (channels-last buffers between kernels,
      // use-channels-last-kernel-buffers); with buffers of two layouts,
      // the output's or the input's layout for both (one reorder, of the
      // other buffer); else oneDNN's choice (two reorders).
      std::vector<std::pair<dnnl::memory::desc, dnnl::memory::desc>>
          candidates = {{xDesc, yDesc}};
      if (!haveSameDimensionOrder(x->strides, y->strides, 4)) {
        int64_t yStridesLikeX[4], xStridesLikeY[4];
        getDenseStridesInOrderOf(y->sizes, x->strides, 4, yStridesLikeX);
        getDenseStridesInOrderOf(xSizes, y->strides, 4, xStridesLikeY);
        candidates.push_back({xDesc, describe(y->sizes, yStridesLikeX, 4)});
        candidates.push_back({describe(xSizes, xStridesLikeY, 4), yDesc});
      }
      std::optional<dnnl::convolution_forward::primitive_desc> chosen;
      if (usesWinograd(x, w, geometry, flags)) {
        try {
          dnnl::convolution_forward::primitive_desc pd =
              createPd(anyLayout(xDesc), anyLayout(yDesc),
                       dnnl::algorithm::convolution_winograd);
          if (isFastImplementation(pd))
            chosen = pd;
        } catch (const dnnl::error &) {
          // No Winograd kernel on this CPU (AVX2), or not with these
          // post-ops or paddings: the direct kernels below.
        }
      }
      for (const auto &[src, dst] : candidates) {
        if (chosen)
          break;
        dnnl::convolution_forward::primitive_desc pd = createPd(src, dst);
        if (isFastImplementation(pd))
          chosen = pd;
      }
      dnnl::convolution_forward::primitive_desc pd =
          chosen ? *chosen : createPd(anyLayout(xDesc), anyLayout(yDesc));
      return CachedPrimitive{dnnl::convolution_forward(pd),
                             pd.scratchpad_desc(), pd.weights_desc(),
                             pd.src_desc(), pd.dst_desc()};
    });
    prepareMemories(call, xDesc, wDesc, biasDesc, yDesc, flags);
  });
  executeWithWeights(call, site, getData(x), getData(w), biasData, getData(y));
  if (flags & XF_KERNEL_RELU)
    applyRelu(y);
}
} // namespace

extern "C" void _mlir_ciface_xf_kernel_conv2d_nchw_f32(
    xf_exec_context *run, int64_t site, const char *node, int64_t flags,
    xf_memref_f32_4d_t *x, xf_memref_f32_4d_t *w, xf_memref_f32_1d_t *bias,
    xf_memref_f32_4d_t *y, int64_t strideH, int64_t strideW, int64_t dilationH,
    int64_t dilationW, int64_t padTop, int64_t padLeft, int64_t padBottom,
    int64_t padRight, int64_t groups) {
  guarded(run, node, "conv2d_nchw", [&] {
    WindowGeometry geometry = {{strideH, strideW},
                               {dilationH, dilationW},
                               {padTop, padLeft},
                               {padBottom, padRight},
                               groups};
    runConv2d(site, flags, x, w, bias, y, geometry);
  });
}

namespace {
/// Runs a 2-D NCHW max pooling of descriptors (see kernels.h).
void runMaxPool2d(int64_t site, int64_t flags, xf_memref_f32_4d_t *x,
                  xf_memref_f32_4d_t *y, const int64_t kernel[2],
                  WindowGeometry geometry) {
  if (isEmpty(y, 4))
    return; // e.g. a batch of 0 images.
  int64_t xSizes[4], padEnd[2];
  fitInputToOutput(x, y, kernel, geometry, xSizes, padEnd);
  std::vector<int64_t> &key = startKey(
      {3, site, flags, kernel[0], kernel[1], geometry.strides[0],
       geometry.strides[1], geometry.dilations[0], geometry.dilations[1],
       geometry.padBegin[0], geometry.padBegin[1], padEnd[0], padEnd[1]});
  key.insert(key.end(), xSizes, xSizes + 4);
  key.insert(key.end(), x->strides, x->strides + 4);
  appendLayout(key, y, 4);
  PreparedCall &call = getPreparedCall(key, [&](PreparedCall &call) {
    dnnl::memory::desc xDesc = describe(xSizes, x->strides, 4);
    dnnl::memory::desc yDesc = describe(y->sizes, y->strides, 4);
    // oneDNN's fast poolings (jit) need the source and the destination in
    // one layout; given NCHW in and NHWC out it runs its reference code (62
    // ms for resnet50's first MaxPool instead of well under 1). Such a
    // source is reordered into the destination's dimension order first.
    int64_t poolStrides[4];
    getDenseStridesInOrderOf(xSizes, y->strides, 4, poolStrides);
    dnnl::memory::desc poolDesc = describe(xSizes, poolStrides, 4);
    if (haveSameDimensionOrder(x->strides, y->strides, 4))
      poolDesc = xDesc;
    call.cached = getCache().getOrCreatePrimitive(key, [&] {
      // oneDNN counts dilation from 0 (no gap), linalg from 1; it skips
      // the padding of a max pooling, as -infinity would.
      dnnl::pooling_v2_forward::desc desc(
          dnnl::prop_kind::forward_inference, dnnl::algorithm::pooling_max,
          poolDesc, yDesc, {geometry.strides[0], geometry.strides[1]},
          {kernel[0], kernel[1]},
          {geometry.dilations[0] - 1, geometry.dilations[1] - 1},
          {geometry.padBegin[0], geometry.padBegin[1]}, {padEnd[0], padEnd[1]});
      dnnl::pooling_v2_forward::primitive_desc pd(desc, getAttr(0),
                                                  getEngine());
      return CachedPrimitive{dnnl::pooling_v2_forward(pd), pd.scratchpad_desc(),
                             dnnl::memory::desc(), poolDesc, yDesc};
    });
    prepareMemories(call, xDesc, dnnl::memory::desc(), dnnl::memory::desc(),
                    yDesc, flags);
  });
  call.src.set_data_handle(getData(x));
  call.dst.set_data_handle(getData(y));
  executeThroughLayouts(call, {{DNNL_ARG_SCRATCHPAD, &bindScratchpad(call)}});
}
} // namespace

extern "C" void _mlir_ciface_xf_kernel_max_pool2d_nchw_f32(
    xf_exec_context *run, int64_t site, const char *node, int64_t flags,
    xf_memref_f32_4d_t *x, xf_memref_f32_4d_t *y, int64_t kernelH,
    int64_t kernelW, int64_t strideH, int64_t strideW, int64_t dilationH,
    int64_t dilationW, int64_t padTop, int64_t padLeft, int64_t padBottom,
    int64_t padRight) {
  guarded(run, node, "max_pool2d_nchw", [&] {
    int64_t kernel[2] = {kernelH, kernelW};
    WindowGeometry geometry = {{strideH, strideW},
                               {dilationH, dilationW},
                               {padTop, padLeft},
                               {padBottom, padRight}};
    runMaxPool2d(site, flags, x, y, kernel, geometry);
  });
}

extern "C" void xf_kernels_forget_weights(const void *begin, size_t size) {
  auto start = reinterpret_cast<uintptr_t>(begin);
  getCache().forgetWeights(start, start + size);
}
