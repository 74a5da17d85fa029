//===- KernelCalls.h - Calls of a runtime's kernel functions ----*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// What the kernel targets share to lower a kernel op on buffers to a call
// of a runtime kernel (runtime/include/exaforge/abi/kernels.h): the call's
// convention (the run's context, the call site, the ONNX node's name, the
// XF_KERNEL_* flags, then fully dynamic strided memrefs and i64 values),
// and the lowerings of a matmul and of a convolution, which the CPU target
// (oneDNN) and the CUDA target (cuBLASLt, cuDNN) call under different names
// with the same arguments.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_PASSES_CONVERSION_KERNELTARGET_KERNELCALLS_H
#define EXAFORGE_PASSES_CONVERSION_KERNELTARGET_KERNELCALLS_H

#include "mlir/IR/Operation.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Support/LLVM.h"

namespace exaforge {

namespace kernel {
class Conv2DOp;
class MatmulOp;
} // namespace kernel

/// Inserts, at `rewriter`'s insertion point, a call of the runtime kernel
/// `name` with `site`, the node name of `op`, `flags`, the buffers `buffers`
/// cast to fully dynamic strided memrefs (so one declaration serves every
/// shape and layout) and then `extraArgs` (i64 values). Declares `name`
/// in the module, with its C interface, on first use.
void createKernelCall(mlir::Operation *op, mlir::RewriterBase &rewriter,
                      llvm::StringRef name, int64_t site, int64_t flags,
                      llvm::ArrayRef<mlir::Value> buffers,
                      llvm::ArrayRef<int64_t> extraArgs);

/// Whether every operand of `op` has f32 elements.
bool hasF32Operands(mlir::Operation *op);

/// Lowers `op` (on buffers) to a call of `matmulName` (rank 2) or
/// `batchMatmulName` (rank 3) with the arguments of xf_kernel_matmul_f32:
/// A and B (transposed operands as transposed views), the bias (an empty
/// buffer without one) and C, and the XF_KERNEL_* flags of its attributes.
/// Does not erase `op`.
void lowerMatmulToCall(kernel::MatmulOp op, int64_t site,
                       mlir::RewriterBase &rewriter, llvm::StringRef matmulName,
                       llvm::StringRef batchMatmulName);

/// Lowers `op` (on buffers) to a call of `name` with the arguments of
/// xf_kernel_conv2d_nchw_f32: the input, filter, bias (an empty buffer
/// without one) and output, the XF_KERNEL_* flags of its attributes, then
/// the strides, dilations, padding and number of groups. Does not erase
/// `op`.
void lowerConv2DToCall(kernel::Conv2DOp op, int64_t site,
                       mlir::RewriterBase &rewriter, llvm::StringRef name);

} // namespace exaforge

#endif // EXAFORGE_PASSES_CONVERSION_KERNELTARGET_KERNELCALLS_H
