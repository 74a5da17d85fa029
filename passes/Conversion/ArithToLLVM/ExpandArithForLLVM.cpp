//===- ExpandArithForLLVM.cpp - arith ops LLVM cannot take directly -------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `expand-arith-for-llvm` (see Passes.td): upstream's arith-expand
// without its expansion of the float minimum and maximum.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/DialectConversion.h"

namespace exaforge {
#define GEN_PASS_DEF_EXPANDARITHFORLLVM
#include "passes/Conversion/Passes.h.inc"
} // namespace exaforge

using namespace mlir;

namespace {
struct ExpandArithForLLVMPass
    : exaforge::impl::ExpandArithForLLVMBase<ExpandArithForLLVMPass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    RewritePatternSet patterns(context);
    arith::populateCeilFloorDivExpandOpsPatterns(patterns);
    arith::populateExpandBFloat16Patterns(patterns);

    ConversionTarget target(*context);
    target.addLegalDialect<arith::ArithDialect, vector::VectorDialect>();
    target.addIllegalOp<arith::CeilDivSIOp, arith::CeilDivUIOp,
                        arith::FloorDivSIOp>();
    // What the bf16 patterns rewrite: conversions between bf16 and f32
    // (others, such as bf16 to f64, stay for LLVM).
    auto isBF16ToF32 = [](Type from, Type to) {
      return getElementTypeOrSelf(from).isBF16() &&
             getElementTypeOrSelf(to).isF32();
    };
    target.addDynamicallyLegalOp<arith::ExtFOp>([=](arith::ExtFOp op) {
      return !isBF16ToF32(op.getIn().getType(), op.getOut().getType());
    });
    target.addDynamicallyLegalOp<arith::TruncFOp>([=](arith::TruncFOp op) {
      return !isBF16ToF32(op.getOut().getType(), op.getIn().getType());
    });
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
