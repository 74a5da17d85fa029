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
// Besides its library, a target generates the code of everything else: the
// loop nests (`scf.parallel` on buffers) that the loop lowering leaves
// (`buildLoopCodegen`), and whatever that code needs lowered in the host
// code before it goes to the LLVM dialect (`buildHostLowering`).
//
// The CPU target maps the kernel ops onto the oneDNN kernels of the runtime
// (runtime/include/exaforge/abi/kernels.h) and runs the loop nests on the
// runtime's threads. The CUDA target (CudaKernelTarget.cpp) maps the
// matmuls onto the runtime's cuBLASLt kernels (the same call convention,
// KernelCalls.h), generates a GPU kernel per loop nest (gpu dialect, NVVM,
// PTX, cubin with ptxas) and launches them from the host code. cuDNN's
// convolutions (a convolution with its epilogue is cuDNN's fused
// convolution-bias-activation) and cuBLASLt's epilogues come in the same
// way: no pass of the pipeline changes.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_PASSES_CONVERSION_KERNELTARGET_KERNELTARGET_H
#define EXAFORGE_PASSES_CONVERSION_KERNELTARGET_KERNELTARGET_H

#include "mlir/IR/Operation.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Support/LLVM.h"

#include <string>

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace exaforge {

/// What a target's code generator is told by the compile (the options of
/// `exaforge compile` that concern the target).
struct KernelTargetOptions {
  /// The GPU architecture to generate code for (`sm_90`, see
  /// GpuArchitectures.h); unused by the CPU target.
  std::string gpuArch;
  /// The CUDA toolkit's directory (holding `bin/ptxas` and
  /// `nvvm/libdevice`); empty: `ptxas` from PATH, libdevice where MLIR was
  /// built to look. Unused by the CPU target.
  std::string cudaToolkitPath;
};

/// A target: its library of kernels (which kernel ops it implements, and
/// how to call it) and its code generator for the loop nests.
/// Implementations are stateless singletons.
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

  /// Whether the library's convolutions should apply a swish that follows
  /// them (`kernel.conv2d`'s `swish`). Without, `select-kernels` gives the
  /// kernel the bias, residual and ReLU before the swish and leaves the
  /// swish to the loop nests. By default, yes.
  virtual bool fusesSwish() const;

  /// Replaces `op`, a kernel op on buffers that `selectKernel` accepted
  /// before bufferization, by calls of the library, inserted through
  /// `rewriter`, which also erases `op`. `site` numbers the call in the
  /// module (libraries may key caches of prepared primitives by it).
  virtual mlir::LogicalResult
  lowerToCall(mlir::Operation *op, int64_t site,
              mlir::RewriterBase &rewriter) const = 0;

  /// Adds to `pm` (on the module) the passes that turn the loop nests left
  /// after the kernel calls (`scf.parallel` and `scf.for` on buffers, in
  /// functions whose runtime calls all take the run's context) into this
  /// target's code. Afterwards only host code remains to be lowered.
  virtual void buildLoopCodegen(mlir::OpPassManager &pm,
                                const KernelTargetOptions &options) const = 0;

  /// Adds to `pm` (on the module) the passes that lower what
  /// `buildLoopCodegen` left in the host code for the LLVM dialect, run just
  /// before the generic conversion of the host code. By default, none.
  virtual void buildHostLowering(mlir::OpPassManager &pm) const;

  /// Whether the target's kernels and library calls can read the constant
  /// globals of the host code (`memref.global`, in the library's read-only
  /// data). The CPU's can; a GPU's cannot, and the pipeline then copies
  /// each into a buffer of the run (`copy-constant-globals-to-buffers`).
  /// By default, yes.
  virtual bool canReadHostConstants() const;
};

/// Returns the kernel target called `name`, or null when there is none.
const KernelTarget *lookupKernelTarget(llvm::StringRef name);

/// Returns the kernel target called `name`; when there is none, reports
/// "unknown kernel target" at `op` (the pass's anchor) and fails.
mlir::FailureOr<const KernelTarget *>
getKernelTargetOrError(mlir::Operation *op, llvm::StringRef name);

/// Returns the CPU target: the runtime's oneDNN kernels, loop nests on the
/// runtime's threads.
const KernelTarget &getCpuKernelTarget();

/// Returns the CUDA target: loop nests as generated GPU kernels (PTX and
/// cubin), launched from the host code.
const KernelTarget &getCudaKernelTarget();

} // namespace exaforge

#endif // EXAFORGE_PASSES_CONVERSION_KERNELTARGET_KERNELTARGET_H
