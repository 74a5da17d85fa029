//===- ExpandShapesToReshapes.cpp - expand_shape to tensor.reshape --------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `expand-shapes-to-reshapes` (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/Passes.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"

namespace exaforge {
#define GEN_PASS_DEF_EXPANDSHAPESTORESHAPES
#include "passes/Conversion/Passes.h.inc"
} // namespace exaforge

using namespace mlir;

namespace {

/// Whether a reassociation group of `expand` holds more than one dynamic
/// result size (what MLIR 22's expand-strided-metadata cannot lower).
bool splitsIntoSeveralDynamicSizes(tensor::ExpandShapeOp expand) {
  ArrayRef<int64_t> shape = expand.getResultType().getShape();
  for (const ReassociationIndices &group : expand.getReassociationIndices()) {
    if (llvm::count_if(group, [&](int64_t dim) {
          return ShapedType::isDynamic(shape[dim]);
        }) > 1)
      return true;
  }
  return false;
}

struct ExpandShapesToReshapesPass
    : exaforge::impl::ExpandShapesToReshapesBase<ExpandShapesToReshapesPass> {
  void runOnOperation() override {
    SmallVector<tensor::ExpandShapeOp> expands;
    getOperation().walk([&](tensor::ExpandShapeOp expand) {
      if (splitsIntoSeveralDynamicSizes(expand))
        expands.push_back(expand);
    });
    for (tensor::ExpandShapeOp expand : expands) {
      OpBuilder builder(expand);
      Location loc = expand.getLoc();
      SmallVector<Value> sizes;
      for (OpFoldResult size : expand.getMixedOutputShape())
        sizes.push_back(getValueOrCreateConstantIndexOp(builder, loc, size));
      Value shape = tensor::FromElementsOp::create(builder, loc, sizes);
      Value reshape = tensor::ReshapeOp::create(
          builder, loc, expand.getResultType(), expand.getSrc(), shape);
      expand.replaceAllUsesWith(reshape);
      expand.erase();
    }
  }
};

} // namespace
