//===- KernelsToCalls.cpp - kernel ops on buffers to library calls --------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `convert-kernels-to-calls` (see Passes.td): numbers the kernel
// ops of a module in program order and hands each to the target, which
// replaces it by calls of its library (KernelTarget.h).
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/KernelTarget/KernelTarget.h"
#include "passes/Conversion/Passes.h"

#include "dialects/Kernel/KernelDialect.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

namespace exaforge {
#define GEN_PASS_DEF_CONVERTKERNELSTOCALLS
#include "passes/Conversion/Passes.h.inc"
} // namespace exaforge

using namespace mlir;
using namespace exaforge;

namespace {

struct ConvertKernelsToCallsPass
    : exaforge::impl::ConvertKernelsToCallsBase<ConvertKernelsToCallsPass> {
  using Base::Base;

  void runOnOperation() override {
    FailureOr<const KernelTarget *> kernelTarget =
        getKernelTargetOrError(getOperation(), target);
    if (failed(kernelTarget))
      return signalPassFailure();
    SmallVector<Operation *> kernelOps;
    getOperation().walk([&](Operation *op) {
      if (isa<kernel::KernelDialect>(op->getDialect()))
        kernelOps.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    int64_t site = 0;
    for (Operation *op : kernelOps) {
      if (op->getNumResults() != 0) {
        op->emitOpError("must be bufferized before it becomes a call");
        return signalPassFailure();
      }
      if (failed((*kernelTarget)->lowerToCall(op, site++, rewriter)))
        return signalPassFailure();
    }
  }
};

} // namespace
