//===- InferShapes.cpp - Refine graph result types ------------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `graph-infer-shapes`: walks each function in program order, asks
// every graph op for its inferred result types and keeps every static
// dimension that either the inferred or the current type knows.
//
//===----------------------------------------------------------------------===//

#include "passes/Graph/Passes.h"

#include "dialects/Graph/GraphOps.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/SymbolTable.h"

namespace exaforge::graph {
#define GEN_PASS_DEF_GRAPHINFERSHAPES
#include "passes/Graph/Passes.h.inc"
} // namespace exaforge::graph

using namespace mlir;
using namespace exaforge::graph;

namespace {
/// Joins two compatible tensor types: each dimension is static when either
/// type knows it.
RankedTensorType joinTypes(RankedTensorType current,
                           RankedTensorType inferred) {
  SmallVector<int64_t> shape(current.getShape());
  for (auto [dim, known] : llvm::zip_equal(shape, inferred.getShape()))
    if (ShapedType::isDynamic(dim))
      dim = known;
  return current.clone(shape);
}

/// Returns true when every user of `value` accepts a refined operand type:
/// graph ops, and returns when `refinableReturns` is set.
bool usersAcceptRefinement(Value value, bool refinableReturns) {
  return llvm::all_of(value.getUsers(), [&](Operation *user) {
    return isa<GraphDialect>(user->getDialect()) ||
           (refinableReturns && isa<func::ReturnOp>(user));
  });
}

/// Refines the graph op results of `func`; its signature follows the
/// returned values when `refineSignature` is set.
LogicalResult inferShapes(func::FuncOp func, bool refineSignature) {
  WalkResult walk = func.walk([&](InferTypeOpInterface op) -> WalkResult {
    if (!isa<GraphDialect>(op->getDialect()))
      return WalkResult::advance();
    SmallVector<Type> inferred;
    if (failed(op.inferReturnTypes(op->getContext(), op->getLoc(),
                                   op->getOperands(), op->getAttrDictionary(),
                                   op->getPropertiesStorage(), op->getRegions(),
                                   inferred)))
      return WalkResult::interrupt();
    for (auto [result, type] : llvm::zip_equal(op->getResults(), inferred)) {
      auto current = cast<RankedTensorType>(result.getType());
      RankedTensorType joined =
          joinTypes(current, cast<RankedTensorType>(type));
      if (joined != current && usersAcceptRefinement(result, refineSignature))
        result.setType(joined);
    }
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return failure();
  if (refineSignature)
    func.walk([&](func::ReturnOp ret) {
      func.setType(FunctionType::get(func.getContext(), func.getArgumentTypes(),
                                     ret.getOperandTypes()));
    });
  return success();
}

struct GraphInferShapesPass
    : exaforge::graph::impl::GraphInferShapesBase<GraphInferShapesPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      bool refineSignature = SymbolTable::symbolKnownUseEmpty(func, module);
      if (failed(inferShapes(func, refineSignature)))
        return signalPassFailure();
    }
  }
};
} // namespace
