//===- FuseElementwiseAroundKernels.cpp - elementwise fusion --------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `fuse-elementwise-around-kernels` (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace exaforge {
#define GEN_PASS_DEF_FUSEELEMENTWISEAROUNDKERNELS
#include "passes/Conversion/Passes.h.inc"
} // namespace exaforge

using namespace mlir;

namespace {

/// Whether `op` is a named linalg op (anything but `linalg.generic`): those
/// stay as they are so that they can become kernel calls.
bool isNamedLinalgOp(Operation *op) {
  return isa_and_nonnull<linalg::LinalgOp>(op) && !isa<linalg::GenericOp>(op);
}

/// Whether `op` is a reshape between NCHW tensors and the grouped ones of a
/// `linalg.conv_2d_ngchw_gfchw`: the collapse of its result, or an expansion
/// that it reads. `select-kernels` sees the grouped convolution as an NCHW
/// one through them, so they stay next to it (folding them into the
/// generics around would make the whole chain between two grouped
/// convolutions 5-D).
bool isGroupedConvReshape(Operation *op) {
  if (auto collapse = dyn_cast_or_null<tensor::CollapseShapeOp>(op))
    return isa_and_nonnull<linalg::Conv2DNgchwGfchwOp>(
        collapse.getSrc().getDefiningOp());
  if (auto expand = dyn_cast_or_null<tensor::ExpandShapeOp>(op))
    return llvm::any_of(expand->getUsers(), [](Operation *user) {
      return isa<linalg::Conv2DNgchwGfchwOp>(user);
    });
  return false;
}

/// Whether `operand`, the result of a `linalg.generic` whose body calls a
/// math function or divides, is broadcast by its owner, a linalg op that
/// reads some of its values more than once (its indexing map is not a
/// permutation of the loops): fused, the generic would compute each value
/// again for every read (the sigmoid of a squeeze-and-excitation scale once
/// per pixel, LayerNorm's reciprocal square root once per feature).
bool isBroadcastMathResult(OpOperand *operand) {
  auto consumer = dyn_cast<linalg::LinalgOp>(operand->getOwner());
  auto producer = operand->get().getDefiningOp<linalg::GenericOp>();
  if (!consumer || !producer ||
      consumer.getMatchingIndexingMap(operand).isPermutation())
    return false;
  WalkResult costly = producer.getRegion().walk([](Operation *op) {
    return isa<math::MathDialect>(op->getDialect()) ||
                   isa<arith::DivFOp, arith::RemFOp>(op)
               ? WalkResult::interrupt()
               : WalkResult::advance();
  });
  return costly.wasInterrupted();
}

/// Decides whether the producer of `fusedOperand` may be fused into its
/// owner (or a reshape folded into a linalg op): the producer has no other
/// user, neither side is a named linalg op, and neither is a reshape of a
/// grouped convolution's operand or result. Unless `recomputeBroadcastMath`,
/// the owner must not broadcast the values of a producer that calls math
/// functions or divides.
bool shouldFuse(OpOperand *fusedOperand, bool recomputeBroadcastMath) {
  Operation *producer = fusedOperand->get().getDefiningOp();
  Operation *consumer = fusedOperand->getOwner();
  return producer && producer->hasOneUse() && !isNamedLinalgOp(producer) &&
         !isNamedLinalgOp(consumer) && !isGroupedConvReshape(producer) &&
         !isGroupedConvReshape(consumer) &&
         (recomputeBroadcastMath || !isBroadcastMathResult(fusedOperand));
}

struct FuseElementwiseAroundKernelsPass
    : exaforge::impl::FuseElementwiseAroundKernelsBase<
          FuseElementwiseAroundKernelsPass> {
  using Base::Base;

  void runOnOperation() override {
    MLIRContext *context = &getContext();
    RewritePatternSet patterns(context);
    linalg::ControlFusionFn control = [&](OpOperand *fusedOperand) {
      return shouldFuse(fusedOperand, recomputeBroadcastMath);
    };
    linalg::populateElementwiseOpsFusionPatterns(patterns, control);
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns, control);
    tensor::populateBubbleUpExpandShapePatterns(patterns);
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, context);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, context);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, context);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, context);
    context->getLoadedDialect<linalg::LinalgDialect>()
        ->getCanonicalizationPatterns(patterns);
    linalg::populateConstantFoldLinalgOperations(patterns, control);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
