//===- ImportFolding.cpp - Folding ops while a model imports --------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements ImportFolder (ImportFolding.h). The folding itself is the graph
// ops' fold hooks (dialects/Graph/GraphFolds.cpp, which also see through
// partly dynamic shapes with ShapeVector.h); this file only decides which
// ops to try and swaps the folded ones for constants. The size bound keeps
// the import from materializing large splats (a ConstantOfShape of a
// weight-sized tensor stays an op).
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/ONNX/ImportFolding.h"

#include "dialects/Graph/GraphOps.h"

using namespace mlir;
using namespace exaforge;
using namespace exaforge::onnx_import;

ImportFolder::ImportFolder(OpBuilder &builder)
    : builder(builder), previousListener(builder.getListener()) {
  builder.setListener(this);
}

ImportFolder::~ImportFolder() { builder.setListener(previousListener); }

/// Whether `op` is worth folding: a graph op that is not a constant, has no
/// regions and only small static tensor results.
static bool isFoldCandidate(Operation *op) {
  if (!isa<graph::GraphDialect>(op->getDialect()) || op->getNumResults() == 0 ||
      op->getNumRegions() != 0 || op->hasTrait<OpTrait::ConstantLike>())
    return false;
  return llvm::all_of(op->getResultTypes(), [](Type type) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    return tensor && tensor.hasStaticShape() &&
           tensor.getNumElements() <= graph::kMaxFoldedElements;
  });
}

/// Whether a fold hook's result is a constant: an attribute, or a value
/// that a constant op defines (a reshape of a constant to its own type).
static bool isConstantFoldResult(OpFoldResult result) {
  if (isa<Attribute>(result))
    return true;
  Operation *producer = cast<Value>(result).getDefiningOp();
  return producer && producer->hasTrait<OpTrait::ConstantLike>();
}

/// Folds `op` into constants built with `constantBuilder` when its fold hook
/// yields a constant for every result; updates `nodeResults` and erases `op`
/// on success.
static void foldToConstants(Operation *op, OpBuilder &constantBuilder,
                            MutableArrayRef<Value> nodeResults) {
  SmallVector<OpFoldResult> folded;
  if (failed(op->fold(folded)) || folded.size() != op->getNumResults() ||
      !llvm::all_of(folded, isConstantFoldResult))
    return;
  constantBuilder.setInsertionPoint(op);
  SmallVector<Value> constants;
  SmallVector<Operation *> created;
  for (auto [result, value] : llvm::zip_equal(op->getResults(), folded)) {
    if (auto existing = dyn_cast<Value>(value)) {
      constants.push_back(existing);
      continue;
    }
    Operation *constant = op->getDialect()->materializeConstant(
        constantBuilder, cast<Attribute>(value), result.getType(),
        op->getLoc());
    if (!constant) {
      // The hook's attribute does not match the result type: keep the op.
      for (Operation *unused : created)
        unused->erase();
      return;
    }
    created.push_back(constant);
    constants.push_back(constant->getResult(0));
  }
  for (auto [result, constant] : llvm::zip_equal(op->getResults(), constants))
    for (Value &nodeResult : nodeResults)
      if (nodeResult == result)
        nodeResult = constant;
  op->replaceAllUsesWith(constants);
  op->erase();
}

void ImportFolder::foldRecordedOps(MutableArrayRef<Value> nodeResults) {
  // Stop recording: the constants created below need no folding.
  builder.setListener(previousListener);
  OpBuilder constantBuilder(builder.getContext());
  for (Operation *op : recorded)
    if (isFoldCandidate(op))
      foldToConstants(op, constantBuilder, nodeResults);
  recorded.clear();
}
