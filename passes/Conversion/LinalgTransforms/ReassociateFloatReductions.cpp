//===- ReassociateFloatReductions.cpp - reorderable float reductions ------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `reassociate-float-reductions` (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/Passes.h"

namespace exaforge {
#define GEN_PASS_DEF_REASSOCIATEFLOATREDUCTIONS
#include "passes/Conversion/Passes.h.inc"
} // namespace exaforge

using namespace mlir;

namespace {
/// Whether `op` combines a value with one of `outputs` (the accumulators of
/// a reduction body).
bool isAccumulation(Operation *op, ValueRange outputs) {
  return llvm::any_of(op->getOperands(), [&](Value operand) {
    return llvm::is_contained(outputs, operand);
  });
}

struct ReassociateFloatReductionsPass
    : exaforge::impl::ReassociateFloatReductionsBase<
          ReassociateFloatReductionsPass> {
  void runOnOperation() override {
    getOperation()->walk([](linalg::GenericOp generic) {
      if (generic.getNumReductionLoops() == 0)
        return;
      Block *body = generic.getBody();
      ValueRange accumulators =
          body->getArguments().take_back(generic.getNumDpsInits());
      for (Operation &op : body->without_terminator()) {
        auto fastMath = dyn_cast<arith::ArithFastMathInterface>(op);
        if (!fastMath ||
            !isa<arith::AddFOp, arith::MulFOp, arith::MaximumFOp,
                 arith::MinimumFOp>(op) ||
            !isAccumulation(&op, accumulators))
          continue;
        op.setAttr(fastMath.getFastMathAttrName(),
                   arith::FastMathFlagsAttr::get(
                       op.getContext(), fastMath.getFastMathFlagsAttr()
                                                .getValue() |
                                            arith::FastMathFlags::reassoc));
      }
    });
  }
};
} // namespace
