/*===- kernels.h - Kernels that compiled models call -------------*- C -*-===//
 *
 * Part of the Exaforge project.
 *
 *===----------------------------------------------------------------------===//
 *
 * The kernel entry points that `convert-kernels-to-calls` emits calls
 * to (MLIR C interface: every buffer is a pointer to a strided memref
 * descriptor of its rank). Each kernel keeps the semantics of the linalg op
 * it replaces, and `flags` (XF_KERNEL_*) says whether the result is
 * accumulated into the output buffer (linalg semantics) or overwrites it
 * (the compiler removed a zero fill of the output), and whether the weight
 * operand is a model weight, constant for the life of the session, which the
 * kernel may pre-pack once into oneDNN's preferred layout. `site` numbers the
 * call in the compiled model; together with the flags, sizes and strides it
 * keys the cache of oneDNN primitives, which are created on first use and
 * reused by every later run (of any session) in the process.
 *
 * Each kernel takes, first, the execution context of the run (Contract.h),
 * in which it records a failure (a oneDNN error) instead of aborting, and
 * after `site` the name of the ONNX node the call computes (a constant
 * string of the compiled code, "" when unknown), which the failure's
 * message names.
 *
 * Thread-safety: the kernels may be called from several threads at once.
 *
 * ABI, compiled code -> runtime: `convert-linalg-to-kernel-calls` emits the
 * calls of the `xf_kernel_*` functions; runtime/src/OneDnnKernels.cpp
 * implements them. xf_kernels_forget_weights is called by the runtime itself
 * (runtime/src/Artifact.cpp).
 * Not part of the public API (exaforge/runtime/).
 *
 *===----------------------------------------------------------------------===*/

#ifndef EXAFORGE_ABI_KERNELS_H
#define EXAFORGE_ABI_KERNELS_H

#include "exaforge/abi/Contract.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A strided memref descriptor of f32 elements and rank `R`, as MLIR lays it
 * out: `{allocated, aligned, offset, sizes[R], strides[R]}`. */
#define XF_DEFINE_MEMREF_F32(R)                                                \
  typedef struct {                                                             \
    float *allocated;                                                          \
    float *aligned;                                                            \
    int64_t offset;                                                            \
    int64_t sizes[R];                                                          \
    int64_t strides[R];                                                        \
  } xf_memref_f32_##R##d_t;
XF_DEFINE_MEMREF_F32(1)
XF_DEFINE_MEMREF_F32(2)
XF_DEFINE_MEMREF_F32(3)
XF_DEFINE_MEMREF_F32(4)
#undef XF_DEFINE_MEMREF_F32

/** The same descriptor for 16-bit floats (bf16 or f16), whose elements are
 * passed as their bits. */
#define XF_DEFINE_MEMREF_HALF(R)                                               \
  typedef struct {                                                             \
    uint16_t *allocated;                                                       \
    uint16_t *aligned;                                                         \
    int64_t offset;                                                            \
    int64_t sizes[R];                                                          \
    int64_t strides[R];                                                        \
  } xf_memref_half_##R##d_t;
XF_DEFINE_MEMREF_HALF(2)
XF_DEFINE_MEMREF_HALF(3)
#undef XF_DEFINE_MEMREF_HALF

/** Flags of a kernel call (a bit set). */
enum {
  /** Add the result to the output (else overwrite it). */
  XF_KERNEL_ACCUMULATE = 1,
  /** The weight operand (B of a matmul, W of a convolution) is a model
   * weight: its memory holds the same values for as long as the session
   * that owns it is open, so a packed copy may be cached under its address
   * (see xf_kernels_forget_weights). */
  XF_KERNEL_CONSTANT_WEIGHTS = 2,
  /** Add the bias operand (one value per output channel of a convolution,
   * per column of a matmul) to the result (else the bias operand is
   * ignored). */
  XF_KERNEL_BIAS = 4,
  /** Replace the result, after the bias and the accumulation, by max(0, .)
   * as ONNX's Relu and linalg's maximumf compute it: NaN stays NaN, -0
   * becomes +0 (convolutions and matmuls). */
  XF_KERNEL_RELU = 8,
  /** Replace the result, after the bias and the accumulation, by
   * x * sigmoid(x) (a SiLU; convolutions). */
  XF_KERNEL_SWISH = 16,
  /** Replace the result, after the bias and the accumulation, by
   * x * max(0, min(1, x / 6 + 1 / 2)) (HardSwish; convolutions). */
  XF_KERNEL_HARD_SWISH = 32,
};

/** C[M,N] = relu?(A[M,K] * B[K,N] + bias?[N] + (C[M,N] if accumulating))
 * (linalg.matmul, with the bias add and ReLU after it; transposed operands
 * come as strided views). The bias, of N values, is read with
 * XF_KERNEL_BIAS (else it may be empty); the ReLU is applied with
 * XF_KERNEL_RELU. */
void _mlir_ciface_xf_kernel_matmul_f32(xf_exec_context *context, int64_t site,
                                       const char *node, int64_t flags,
                                       xf_memref_f32_2d_t *a,
                                       xf_memref_f32_2d_t *b,
                                       xf_memref_f32_1d_t *bias,
                                       xf_memref_f32_2d_t *c);

/** C[b,M,N] = relu?(A[b,M,K] * B[b,K,N] + bias?[N] + (C[b,M,N] if
 * accumulating)) (linalg.batch_matmul). */
void _mlir_ciface_xf_kernel_batch_matmul_f32(
    xf_exec_context *context, int64_t site, const char *node, int64_t flags,
    xf_memref_f32_3d_t *a, xf_memref_f32_3d_t *b, xf_memref_f32_1d_t *bias,
    xf_memref_f32_3d_t *c);

/** Y[n,f,oh,ow] = act(bias?[f] + (Y[n,f,oh,ow] if accumulating) +
 * sum_{c<C/G,kh,kw} P[n,g*C/G+c,oh*sh+kh*dh,ow*sw+kw*dw] * W[f,c,kh,kw]),
 * where G = `groups` divides the input channels C and the output channels F
 * (W is F x C/G x KH x KW; 1 for an ungrouped convolution, C for a
 * depthwise one), g = f / (F/G) is the group of output channel f, and P is
 * X with `pad_top`/`pad_left` zero rows/columns before it and
 * `pad_bottom`/`pad_right` after it (linalg.conv_2d_nchw_fchw or
 * conv_2d_ngchw_gfchw of a zero `tensor.pad`, with an elementwise bias,
 * residual add and activation after it; see XF_KERNEL_BIAS, and
 * XF_KERNEL_RELU, XF_KERNEL_SWISH or XF_KERNEL_HARD_SWISH for `act`, the
 * identity without one).
 * Rows and columns of P that no window reaches are ignored. The sums may be
 * computed by Winograd's minimal filtering (3 x 3 windows at stride 1 of
 * XF_KERNEL_CONSTANT_WEIGHTS, where the CPU has the kernels), which rounds
 * differently from a direct sum: by up to 3e-6 of the largest output
 * (measured on 64 to 512 channels). */
void _mlir_ciface_xf_kernel_conv2d_nchw_f32(
    xf_exec_context *context, int64_t site, const char *node, int64_t flags,
    xf_memref_f32_4d_t *x, xf_memref_f32_4d_t *w, xf_memref_f32_1d_t *bias,
    xf_memref_f32_4d_t *y, int64_t stride_h, int64_t stride_w,
    int64_t dilation_h, int64_t dilation_w, int64_t pad_top, int64_t pad_left,
    int64_t pad_bottom, int64_t pad_right, int64_t groups);

/** Y[n,c,oh,ow] = max_{kh,kw} P[n,c,oh*sh+kh*dh,ow*sw+kw*dw] over a
 * `kernel_h` x `kernel_w` window, where P is X with `pad_top`/`pad_left`
 * rows/columns of -infinity before it and `pad_bottom`/`pad_right` after it
 * (linalg.pooling_nchw_max of a -infinity `tensor.pad` into an output filled
 * with -infinity; `flags` is 0). Rows and columns of P that no window reaches
 * are ignored. */
void _mlir_ciface_xf_kernel_max_pool2d_nchw_f32(
    xf_exec_context *context, int64_t site, const char *node, int64_t flags,
    xf_memref_f32_4d_t *x, xf_memref_f32_4d_t *y, int64_t kernel_h,
    int64_t kernel_w, int64_t stride_h, int64_t stride_w, int64_t dilation_h,
    int64_t dilation_w, int64_t pad_top, int64_t pad_left, int64_t pad_bottom,
    int64_t pad_right);

/** The matmuls of CUDA artifacts (`--target cuda`): the arguments and
 * semantics of xf_kernel_matmul_f32 and xf_kernel_batch_matmul_f32, on GPU
 * memory, computed by cuBLASLt on the run's stream
 * (runtime/src/cuda/CudaMatmul.cpp). */
void _mlir_ciface_xf_cuda_matmul_f32(xf_exec_context *context, int64_t site,
                                     const char *node, int64_t flags,
                                     xf_memref_f32_2d_t *a,
                                     xf_memref_f32_2d_t *b,
                                     xf_memref_f32_1d_t *bias,
                                     xf_memref_f32_2d_t *c);
void _mlir_ciface_xf_cuda_batch_matmul_f32(
    xf_exec_context *context, int64_t site, const char *node, int64_t flags,
    xf_memref_f32_3d_t *a, xf_memref_f32_3d_t *b, xf_memref_f32_1d_t *bias,
    xf_memref_f32_3d_t *c);

/** The same with A and B in bf16 (`_bf16`) or f16 (`_f16`) and C in f32:
 * the products are accumulated in f32 (`exaforge compile --precision bf16`,
 * passes/Conversion: reduce-matmul-precision). */
void _mlir_ciface_xf_cuda_matmul_bf16(xf_exec_context *context, int64_t site,
                                      const char *node, int64_t flags,
                                      xf_memref_half_2d_t *a,
                                      xf_memref_half_2d_t *b,
                                      xf_memref_f32_1d_t *bias,
                                      xf_memref_f32_2d_t *c);
void _mlir_ciface_xf_cuda_batch_matmul_bf16(
    xf_exec_context *context, int64_t site, const char *node, int64_t flags,
    xf_memref_half_3d_t *a, xf_memref_half_3d_t *b, xf_memref_f32_1d_t *bias,
    xf_memref_f32_3d_t *c);
void _mlir_ciface_xf_cuda_matmul_f16(xf_exec_context *context, int64_t site,
                                     const char *node, int64_t flags,
                                     xf_memref_half_2d_t *a,
                                     xf_memref_half_2d_t *b,
                                     xf_memref_f32_1d_t *bias,
                                     xf_memref_f32_2d_t *c);
void _mlir_ciface_xf_cuda_batch_matmul_f16(
    xf_exec_context *context, int64_t site, const char *node, int64_t flags,
    xf_memref_half_3d_t *a, xf_memref_half_3d_t *b, xf_memref_f32_1d_t *bias,
    xf_memref_f32_3d_t *c);

/** The convolutions of CUDA artifacts: the arguments and semantics of
 * xf_kernel_conv2d_nchw_f32, on GPU memory, computed by cuDNN on the run's
 * stream (runtime/src/cuda/CudaConv.cpp). cuDNN pads both sides of a
 * dimension alike: the CUDA target calls it only where `pad_top` (`pad_left`)
 * before and after gives Y's height (width), which holds when `pad_bottom`
 * equals `pad_top` or differs only by rows no window reaches; and never with
 * XF_KERNEL_HARD_SWISH, which cuDNN has no activation for. */
void _mlir_ciface_xf_cuda_conv2d_nchw_f32(
    xf_exec_context *context, int64_t site, const char *node, int64_t flags,
    xf_memref_f32_4d_t *x, xf_memref_f32_4d_t *w, xf_memref_f32_1d_t *bias,
    xf_memref_f32_4d_t *y, int64_t stride_h, int64_t stride_w,
    int64_t dilation_h, int64_t dilation_w, int64_t pad_top, int64_t pad_left,
    int64_t pad_bottom, int64_t pad_right, int64_t groups);

/** Waits for the GPU work of the run on the calling thread: the kernels and
 * library calls of a CUDA run are enqueued on its stream without waiting,
 * and compiled code calls this before its host code reads or writes tensor
 * memory (passes/Conversion: synchronize-gpu-before-host-access). Called
 * without the execution context; a GPU failure found here ends the run
 * (runtime/src/cuda/CudaLaunch.cpp). */
void xf_cuda_synchronize(void);

/** Copies `bytes` from address `source` to address `target` (GPU buffers,
 * or a constant of model.so as the source) on the stream of the run on the
 * calling thread, after the work enqueued before it (cuMemcpyAsync): the
 * copies between contiguous buffers of a CUDA artifact
 * (passes/Conversion: convert-copies-to-cuda-copies). Called without the
 * execution context. */
void xf_cuda_copy(int64_t target, int64_t source, int64_t bytes);

/** Drops every packed weight copied from memory in [begin, begin + size):
 * the runtime calls it before it unmaps a session's weights, so that a later
 * mapping at the same address never meets a stale copy. */
void xf_kernels_forget_weights(const void *begin, size_t size);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* EXAFORGE_ABI_KERNELS_H */
