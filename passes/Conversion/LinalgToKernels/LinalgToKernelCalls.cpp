//===- LinalgToKernelCalls.cpp - linalg ops to runtime kernel calls -------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `convert-linalg-to-kernel-calls`: f32 contractions and 2-D
// convolutions on buffers become calls to the runtime's oneDNN kernels.
// Operands are cast to fully dynamic strided memrefs, so one declaration per
// kernel serves every shape and layout; the kernels read sizes and strides
// from the descriptors.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/SymbolTable.h"

namespace exaforge {
#define GEN_PASS_DEF_CONVERTLINALGTOKERNELCALLS
#include "passes/Conversion/Passes.h.inc"
} // namespace exaforge

using namespace mlir;

namespace {
/// Returns the fully dynamic strided memref type of `type`'s rank and
/// element type.
MemRefType getDynamicStridedType(MemRefType type) {
  int64_t rank = type.getRank();
  SmallVector<int64_t> dynamic(rank, ShapedType::kDynamic);
  auto layout =
      StridedLayoutAttr::get(type.getContext(), ShapedType::kDynamic, dynamic);
  return MemRefType::get(dynamic, type.getElementType(), layout);
}

/// Returns true when every operand of `op` is an f32 memref.
bool hasF32MemRefOperands(Operation *op) {
  return llvm::all_of(op->getOperandTypes(), [](Type type) {
    auto memref = dyn_cast<MemRefType>(type);
    return memref && memref.getElementType().isF32();
  });
}

/// Rewrites the supported linalg ops of one module into kernel calls.
class KernelCallRewriter {
public:
  explicit KernelCallRewriter(ModuleOp module) : module(module) {}

  /// Replaces `op` by a call of `kernel` with the call-site number, the
  /// memref operands of `op`, then `extraArgs` (i64 values).
  void replaceWithCall(Operation *op, StringRef kernel,
                       ArrayRef<int64_t> extraArgs) {
    OpBuilder builder(op);
    Location loc = op->getLoc();
    SmallVector<Value> args = {arith::ConstantOp::create(
        builder, loc, builder.getI64IntegerAttr(nextSite++))};
    for (Value operand : op->getOperands()) {
      auto type = getDynamicStridedType(cast<MemRefType>(operand.getType()));
      args.push_back(memref::CastOp::create(builder, loc, type, operand));
    }
    for (int64_t value : extraArgs)
      args.push_back(arith::ConstantOp::create(
          builder, loc, builder.getI64IntegerAttr(value)));
    func::FuncOp callee = getOrDeclare(kernel, TypeRange(ValueRange(args)));
    func::CallOp::create(builder, loc, callee, args);
    op->erase();
  }

private:
  /// Returns the declaration of `kernel`, creating it with C-interface
  /// wrapping on first use.
  func::FuncOp getOrDeclare(StringRef kernel, TypeRange argTypes) {
    if (auto existing = module.lookupSymbol<func::FuncOp>(kernel))
      return existing;
    OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
    auto decl =
        func::FuncOp::create(builder, module.getLoc(), kernel,
                             builder.getFunctionType(argTypes, /*results=*/{}));
    decl.setPrivate();
    decl->setAttr("llvm.emit_c_interface", builder.getUnitAttr());
    return decl;
  }

  ModuleOp module;
  int64_t nextSite = 0;
};

struct ConvertLinalgToKernelCallsPass
    : exaforge::impl::ConvertLinalgToKernelCallsBase<
          ConvertLinalgToKernelCallsPass> {
  void runOnOperation() override {
    KernelCallRewriter rewriter(getOperation());
    SmallVector<Operation *> candidates;
    getOperation().walk([&](Operation *op) {
      if (isa<linalg::MatmulOp, linalg::BatchMatmulOp,
              linalg::Conv2DNchwFchwOp>(op) &&
          hasF32MemRefOperands(op))
        candidates.push_back(op);
    });
    for (Operation *op : candidates) {
      if (auto matmul = dyn_cast<linalg::MatmulOp>(op)) {
        if (!matmul.hasUserDefinedMaps())
          rewriter.replaceWithCall(op, "xf_kernel_matmul_f32", {});
      } else if (auto batch = dyn_cast<linalg::BatchMatmulOp>(op)) {
        if (!batch.hasUserDefinedMaps())
          rewriter.replaceWithCall(op, "xf_kernel_batch_matmul_f32", {});
      } else if (auto conv = dyn_cast<linalg::Conv2DNchwFchwOp>(op)) {
        SmallVector<int64_t> args(conv.getStrides().getValues<int64_t>());
        llvm::append_range(args, conv.getDilations().getValues<int64_t>());
        rewriter.replaceWithCall(op, "xf_kernel_conv2d_nchw_f32", args);
      }
    }
  }
};
} // namespace
