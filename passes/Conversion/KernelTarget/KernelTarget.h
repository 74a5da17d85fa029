//===- KernelTarget.h - A target's library of kernels -----------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Declares `KernelTarget`, the one place where a target says which kernel
// ops its library implements and how a kernel op on buffers becomes a call
// of that library. The passes around it are target-independent:
//  - `select-kernels` turns linalg ops on tensors (with the padding and the
//    epilogue they absorb) into kernel ops, and keeps those that the target
//    accepts (`selectKernel`);
//  - one-shot bufferization bufferizes the kernel ops;
//  - `convert-kernels-to-calls` asks the target to lower each kernel op on
//    buffers to calls (`lowerToCall`).
//
// The CPU target maps the kernel ops onto the oneDNN kernels of the runtime
// (runtime/include/exaforge/abi/kernels.h). A CUDA target would add one
// class next to it that accepts the kernel ops cuBLASLt and cuDNN implement
// (a matmul with a bias and ReLU epilogue is a cuBLASLt matmul with
// `CUBLASLT_EPILOGUE_RELU_BIAS`; a convolution with its epilogue is
// cuDNN's fused convolution-bias-activation) and lowers them to calls of
// runtime wrappers around those libraries, registers it in
// `lookupKernelTarget`, and selects it with the passes' `target` option: no
// pass of the pipeline changes.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_PASSES_CONVERSION_KERNELTARGET_KERNELTARGET_H
#define EXAFORGE_PASSES_CONVERSION_KERNELTARGET_KERNELTARGET_H

#include "mlir/IR/Operation.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Support/LLVM.h"

namespace exaforge {

/// A target's library of kernels: which kernel ops it implements, and how
/// to call it. Implementations are stateless singletons.
class KernelTarget {
public:
  virtual ~KernelTarget();

  /// The name that selects the target in the passes' `target` option.
  virtual llvm::StringRef getName() const = 0;

  /// Whether the library implements `op`, a kernel op on tensors, with its
  /// operand types, epilogue and attributes as they are. `select-kernels`
  /// keeps only the kernel ops that the target accepts and leaves the other
  /// linalg ops to the loop lowering.
  virtual bool selectKernel(mlir::Operation *op) const = 0;

  /// Whether the library prefers the activations of `op`, a kernel op it
  /// accepted, in channels-last (NHWC) memory order. `select-kernels` then
  /// sets the op's `channels_last`, and `use-channels-last-kernel-buffers`
  /// lays out the buffers that only such ops use that way. By default, no.
  virtual bool prefersChannelsLast(mlir::Operation *op) const;

  /// Replaces `op`, a kernel op on buffers that `selectKernel` accepted
  /// before bufferization, by calls of the library, inserted through
  /// `rewriter`, which also erases `op`. `site` numbers the call in the
  /// module (libraries may key caches of prepared primitives by it).
  virtual mlir::LogicalResult lowerToCall(mlir::Operation *op, int64_t site,
                                          mlir::RewriterBase &rewriter) const = 0;
};

/// Returns the kernel target called `name`, or null when there is none.
const KernelTarget *lookupKernelTarget(llvm::StringRef name);

/// Returns the kernel target called `name`; when there is none, reports
/// "unknown kernel target" at `op` (the pass's anchor) and fails.
mlir::FailureOr<const KernelTarget *>
getKernelTargetOrError(mlir::Operation *op, llvm::StringRef name);

/// Returns the CPU target: the runtime's oneDNN kernels.
const KernelTarget &getCpuKernelTarget();

} // namespace exaforge

#endif // EXAFORGE_PASSES_CONVERSION_KERNELTARGET_KERNELTARGET_H
