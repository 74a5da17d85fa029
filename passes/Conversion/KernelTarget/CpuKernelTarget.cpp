//===- CpuKernelTarget.cpp - Kernel ops as calls of oneDNN kernels --------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The CPU kernel target: f32 kernel ops become calls of the runtime's oneDNN
// kernels (runtime/include/exaforge/abi/kernels.h), with the convention of
// KernelCalls.h: buffers as fully dynamic strided memrefs (the kernels read
// sizes and strides from the descriptors), the call-site number under which
// the runtime caches the oneDNN primitive, the name of the ONNX node it
// computes (which a failure's message names) and the XF_KERNEL_* flags that
// the kernel op's attributes imply. The loop
// nests run on the runtime's threads (`run-parallel-loops-on-threads`,
// then `version-sine-cosine-loops`).
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/KernelTarget/KernelTarget.h"

#include "passes/Conversion/KernelTarget/KernelCalls.h"

#include "passes/Conversion/Passes.h"

#include "dialects/Kernel/KernelOps.h"

#include "exaforge/abi/kernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace exaforge;

namespace {

/// The runtime's oneDNN kernels.
class CpuKernelTarget final : public KernelTarget {
public:
  StringRef getName() const override { return "cpu"; }

  /// The runtime has f32 kernels only; the kernel ops' verifiers already
  /// restrict ranks and attributes to what the kernels take.
  bool selectKernel(Operation *op) const override {
    return isa<kernel::MatmulOp, kernel::Conv2DOp, kernel::MaxPool2DOp>(op) &&
           hasF32Operands(op);
  }

  /// oneDNN 2.6's swish post-op costs about 0.6 ns per value on an AVX-512
  /// core, three times the sigmoid of a compiled loop nest
  /// (efficientnet_b0: 13.6 ms a run with it, 12.7 ms without).
  bool fusesSwish() const override { return false; }

  /// oneDNN's convolutions and poolings run fastest on NHWC activations
  /// (its descriptors take the buffers' strides, so either order works).
  bool prefersChannelsLast(Operation *op) const override {
    return isa<kernel::Conv2DOp, kernel::MaxPool2DOp>(op);
  }

  LogicalResult lowerToCall(Operation *op, int64_t site,
                            RewriterBase &rewriter) const override {
    rewriter.setInsertionPoint(op);
    LogicalResult result =
        TypeSwitch<Operation *, LogicalResult>(op)
            .Case([&](kernel::MatmulOp matmul) {
              lowerMatmul(matmul, site, rewriter);
              return success();
            })
            .Case([&](kernel::Conv2DOp conv) {
              lowerConv(conv, site, rewriter);
              return success();
            })
            .Case([&](kernel::MaxPool2DOp pool) {
              lowerMaxPool(pool, site, rewriter);
              return success();
            })
            .Default([](Operation *other) {
              return other->emitOpError("has no oneDNN kernel");
            });
    if (succeeded(result))
      rewriter.eraseOp(op);
    return result;
  }

  /// The loop nests run on the runtime's threads.
  void buildLoopCodegen(OpPassManager &pm,
                        const KernelTargetOptions &) const override {
    pm.addPass(createRunParallelLoopsOnThreads());
    // Chunks of loops whose sine and cosine arguments are all small take
    // the polynomial alone (vectorized) instead of a branch to libm per
    // element.
    pm.addPass(createVersionSineCosineLoops());
    // Short channel loops vectorized by LLVM rather than unrolled.
    pm.addPass(createPreferLoopVectorization());
  }

private:
  /// xf_kernel_matmul_f32 (rank 2) or xf_kernel_batch_matmul_f32 (rank 3).
  static void lowerMatmul(kernel::MatmulOp op, int64_t site,
                          RewriterBase &rewriter) {
    lowerMatmulToCall(op, site, rewriter, "xf_kernel_matmul_f32",
                      "xf_kernel_batch_matmul_f32");
  }

  /// xf_kernel_conv2d_nchw_f32 (lowerConv2DToCall).
  static void lowerConv(kernel::Conv2DOp op, int64_t site,
                        RewriterBase &rewriter) {
    lowerConv2DToCall(op, site, rewriter, "xf_kernel_conv2d_nchw_f32");
  }

  /// xf_kernel_max_pool2d_nchw_f32.
  static void lowerMaxPool(kernel::MaxPool2DOp op, int64_t site,
                           RewriterBase &rewriter) {
    SmallVector<int64_t> args(op.getWindow());
    llvm::append_range(args, op.getStrides());
    llvm::append_range(args, op.getDilations());
    llvm::append_range(args, op.getPadding());
    createKernelCall(op, rewriter, "xf_kernel_max_pool2d_nchw_f32", site,
                     /*flags=*/0, {op.getInput(), op.getInit()}, args);
  }
};

} // namespace

const KernelTarget &exaforge::getCpuKernelTarget() {
  static const CpuKernelTarget target;
  return target;
}
