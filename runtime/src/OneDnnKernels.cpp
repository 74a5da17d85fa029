//===- kernels_onednn.cpp - oneDNN kernels for compiled models ------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements kernels.h on oneDNN 2.x primitives. Primitives are created with
// the exact sizes and strides of the call (user memory is wrapped, never
// copied) and an accumulating `sum` post-op, cached under the call site,
// sizes and strides, and executed on a per-call stream. oneDNN runs on the
// OpenMP threads of the process. oneDNN reports failures by throwing
// dnnl::error: this file is compiled with exceptions, and every entry point
// catches them and records the first message for xf_kernels_take_error.
//
//===----------------------------------------------------------------------===//

#include "exaforge/runtime/kernels.h"

#include <dnnl.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace {
/// The first kernel failure on this thread since the last
/// xf_kernels_take_error, and the message last handed out.
thread_local std::string pendingError, takenError;

/// Runs `body`, recording a oneDNN failure of kernel `name` instead of
/// letting the exception leave the kernel.
template <typename Body> void guarded(const char *name, Body &&body) {
  try {
    body();
  } catch (const dnnl::error &e) {
    if (pendingError.empty())
      pendingError = std::string(name) + ": oneDNN error: " + e.what();
  } catch (const std::exception &e) {
    if (pendingError.empty())
      pendingError = std::string(name) + ": " + e.what();
  }
}

/// The CPU engine shared by every kernel.
dnnl::engine &getEngine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

/// Primitive attributes that accumulate into the destination, as linalg
/// semantics require.
dnnl::primitive_attr getAccumulateAttr() {
  dnnl::post_ops ops;
  ops.append_sum(1.0f);
  dnnl::primitive_attr attr;
  attr.set_post_ops(ops);
  return attr;
}

/// Describes an f32 buffer of rank `rank` with explicit strides.
dnnl::memory::desc describe(const int64_t *sizes, const int64_t *strides,
                            int rank) {
  return dnnl::memory::desc(dnnl::memory::dims(sizes, sizes + rank),
                            dnnl::memory::data_type::f32,
                            dnnl::memory::dims(strides, strides + rank));
}

/// A cache of primitives keyed by call site, sizes, strides and parameters.
class PrimitiveCache {
public:
  /// Returns the primitive cached under `key`, creating it with `create`.
  template <typename Create>
  std::shared_ptr<dnnl::primitive> getOrCreate(const std::vector<int64_t> &key,
                                               Create &&create) {
    std::lock_guard<std::mutex> lock(mutex);
    std::shared_ptr<dnnl::primitive> &entry = primitives[key];
    if (!entry)
      entry = std::make_shared<dnnl::primitive>(create());
    return entry;
  }

private:
  std::mutex mutex;
  std::map<std::vector<int64_t>, std::shared_ptr<dnnl::primitive>> primitives;
};

PrimitiveCache &getCache() {
  static PrimitiveCache cache;
  return cache;
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

/// Runs a matmul (rank 2, or 3 with a batch dimension) of descriptors.
template <typename MemRef>
void runMatmul(int kind, int64_t site, MemRef *a, MemRef *b, MemRef *c,
               int rank) {
  std::vector<int64_t> key = {kind, site};
  appendLayout(key, a, rank);
  appendLayout(key, b, rank);
  appendLayout(key, c, rank);
  dnnl::memory::desc aDesc = describe(a->sizes, a->strides, rank);
  dnnl::memory::desc bDesc = describe(b->sizes, b->strides, rank);
  dnnl::memory::desc cDesc = describe(c->sizes, c->strides, rank);
  std::shared_ptr<dnnl::primitive> primitive = getCache().getOrCreate(key, [&] {
    dnnl::matmul::desc desc(aDesc, bDesc, cDesc);
    return dnnl::matmul(
        dnnl::matmul::primitive_desc(desc, getAccumulateAttr(), getEngine()));
  });
  dnnl::engine &engine = getEngine();
  dnnl::stream stream(engine);
  primitive->execute(
      stream, {{DNNL_ARG_SRC, dnnl::memory(aDesc, engine, getData(a))},
               {DNNL_ARG_WEIGHTS, dnnl::memory(bDesc, engine, getData(b))},
               {DNNL_ARG_DST, dnnl::memory(cDesc, engine, getData(c))}});
  stream.wait();
}
} // namespace

extern "C" void _mlir_ciface_xf_kernel_matmul_f32(int64_t site,
                                                  xf_memref_f32_2d_t *a,
                                                  xf_memref_f32_2d_t *b,
                                                  xf_memref_f32_2d_t *c) {
  guarded("matmul", [&] { runMatmul(/*kind=*/0, site, a, b, c, 2); });
}

extern "C" void _mlir_ciface_xf_kernel_batch_matmul_f32(int64_t site,
                                                        xf_memref_f32_3d_t *a,
                                                        xf_memref_f32_3d_t *b,
                                                        xf_memref_f32_3d_t *c) {
  guarded("batch_matmul", [&] { runMatmul(/*kind=*/1, site, a, b, c, 3); });
}

namespace {
/// Runs a 2-D NCHW convolution of descriptors (see kernels.h).
void runConv2d(int64_t site, xf_memref_f32_4d_t *x, xf_memref_f32_4d_t *w,
               xf_memref_f32_4d_t *y, int64_t strideH, int64_t strideW,
               int64_t dilationH, int64_t dilationW) {
  // linalg ignores trailing input rows/columns that no window reaches;
  // oneDNN wants the input to match the output exactly, so crop the view.
  int64_t xSizes[4] = {x->sizes[0], x->sizes[1], x->sizes[2], x->sizes[3]};
  int64_t strides[2] = {strideH, strideW},
          dilations[2] = {dilationH, dilationW};
  for (int i = 0; i < 2; ++i) {
    int64_t window = (w->sizes[2 + i] - 1) * dilations[i] + 1;
    xSizes[2 + i] = (y->sizes[2 + i] - 1) * strides[i] + window;
  }
  std::vector<int64_t> key = {2, site, strideH, strideW, dilationH, dilationW};
  key.insert(key.end(), xSizes, xSizes + 4);
  key.insert(key.end(), x->strides, x->strides + 4);
  appendLayout(key, w, 4);
  appendLayout(key, y, 4);
  dnnl::memory::desc xDesc = describe(xSizes, x->strides, 4);
  dnnl::memory::desc wDesc = describe(w->sizes, w->strides, 4);
  dnnl::memory::desc yDesc = describe(y->sizes, y->strides, 4);
  std::shared_ptr<dnnl::primitive> primitive = getCache().getOrCreate(key, [&] {
    // oneDNN counts dilation from 0 (no gap), linalg from 1.
    dnnl::convolution_forward::desc desc(
        dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct,
        xDesc, wDesc, yDesc, {strideH, strideW}, {dilationH - 1, dilationW - 1},
        {0, 0}, {0, 0});
    return dnnl::convolution_forward(dnnl::convolution_forward::primitive_desc(
        desc, getAccumulateAttr(), getEngine()));
  });
  dnnl::engine &engine = getEngine();
  dnnl::stream stream(engine);
  primitive->execute(
      stream, {{DNNL_ARG_SRC, dnnl::memory(xDesc, engine, getData(x))},
               {DNNL_ARG_WEIGHTS, dnnl::memory(wDesc, engine, getData(w))},
               {DNNL_ARG_DST, dnnl::memory(yDesc, engine, getData(y))}});
  stream.wait();
}
} // namespace

extern "C" void _mlir_ciface_xf_kernel_conv2d_nchw_f32(
    int64_t site, xf_memref_f32_4d_t *x, xf_memref_f32_4d_t *w,
    xf_memref_f32_4d_t *y, int64_t strideH, int64_t strideW, int64_t dilationH,
    int64_t dilationW) {
  guarded("conv2d_nchw", [&] {
    runConv2d(site, x, w, y, strideH, strideW, dilationH, dilationW);
  });
}

extern "C" const char *xf_kernels_take_error(void) {
  if (pendingError.empty())
    return nullptr;
  takenError = std::move(pendingError);
  pendingError.clear();
  return takenError.c_str();
}
