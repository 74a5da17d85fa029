//===- CollapseGenericLoops.cpp - long innermost loops of generics --------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `collapse-generic-loops` (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Linalg/Utils/Utils.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include "llvm/ADT/SmallBitVector.h"

namespace exaforge {
#define GEN_PASS_DEF_COLLAPSEGENERICLOOPS
#include "passes/Conversion/Passes.h.inc"
} // namespace exaforge

using namespace mlir;

namespace {
/// Whether `op` is a `linalg.generic` on tensors of static shapes, of
/// several loops, that reads and writes each operand at its loops' indices
/// (every indexing map a projected permutation, as upstream's collapse
/// requires, or with `allowZeros` also index 0 of a dimension, a broadcast
/// size-1 one): an elementwise computation (with broadcasts and
/// transposes) or a reduction, but not a window (pooling, convolution:
/// `d2 + d4`). A generic of dynamic shapes whose body reads its loop
/// indices (`linalg.index`: a dimension that may broadcast at run time
/// reads its operand through `tensor.extract`) is left alone: collapsed,
/// its loops recovered every index through divisions (efficientnet_b0 with
/// a symbolic batch ran 1.6 times slower).
bool isLoopGeneric(Operation *op, bool allowZeros) {
  auto generic = dyn_cast<linalg::GenericOp>(op);
  return generic && generic.hasPureTensorSemantics() &&
         (!generic.hasDynamicShape() || !generic.hasIndexSemantics()) &&
         generic.getNumLoops() > 1 &&
         llvm::all_of(generic.getIndexingMapsArray(), [&](AffineMap map) {
           return map.isProjectedPermutation(allowZeros);
         });
}

/// The loops of `op` whose index its body reads (`linalg.index`).
llvm::SmallBitVector getLoopsWithReadIndices(linalg::LinalgOp op) {
  llvm::SmallBitVector read(op.getNumLoops());
  op->walk([&](linalg::IndexOp index) { read.set(index.getDim()); });
  return read;
}

/// The groups of consecutive loops of `op`, of one iterator type each, that
/// every operand reads as consecutive dimensions in the same order (or not
/// at all), longest first from the outermost loop: each group can become one
/// loop. A loop whose index the body reads stays a loop of its own: merged,
/// its index would be recovered by a division at every element, and what
/// depends on it alone could no longer leave the inner loops (a Resize
/// computes its source rows from its output row: collapsed, a bilinear
/// upsampling of 8 x 21 x 28 x 28 to 224 x 224 ran scalar, with divisions,
/// 3.3 times slower). Empty when no group has two loops.
SmallVector<ReassociationIndices> getCollapsibleLoops(linalg::LinalgOp op) {
  if (!isLoopGeneric(op, /*allowZeros=*/false))
    return {};
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  llvm::SmallBitVector readIndices = getLoopsWithReadIndices(op);
  SmallVector<ReassociationIndices> groups;
  for (int64_t loop = 0, e = op.getNumLoops(); loop < e; ++loop) {
    if (!groups.empty() && !readIndices.test(loop) &&
        !readIndices.test(groups.back().back()) &&
        iterators[groups.back().back()] == iterators[loop]) {
      ReassociationIndices extended = groups.back();
      extended.push_back(loop);
      if (linalg::areDimSequencesPreserved(maps, {extended})) {
        groups.back() = extended;
        continue;
      }
    }
    groups.push_back({loop});
  }
  // The collapse takes only the groups of several loops (none: no collapse).
  llvm::erase_if(groups, [](const ReassociationIndices &group) {
    return group.size() < 2;
  });
  return groups;
}

struct CollapseGenericLoopsPass
    : exaforge::impl::CollapseGenericLoopsBase<CollapseGenericLoopsPass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    RewritePatternSet patterns(context);
    // First the size-1 dimensions of the generics go (a broadcast [N, C, 1, 1]
    // operand becomes [N, C]): upstream's collapse cannot collapse loops an
    // operand reads at a constant index.
    linalg::ControlDropUnitDims dropUnitDims;
    dropUnitDims.controlFn = [](Operation *op) -> SmallVector<unsigned> {
      if (!isLoopGeneric(op, /*allowZeros=*/true))
        return {};
      return llvm::to_vector(
          llvm::seq<unsigned>(0, cast<linalg::GenericOp>(op).getNumLoops()));
    };
    linalg::populateFoldUnitExtentDimsPatterns(patterns, dropUnitDims);
    linalg::populateCollapseDimensions(patterns, getCollapsibleLoops);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, context);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, context);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
