//===- InferShapes.cpp - Refine graph result types ------------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `graph-infer-shapes`: walks a function in program order, asks
// every graph op for its inferred result types and keeps every static
// dimension that either the inferred or the current type knows.
//
//===----------------------------------------------------------------------===//

#include "passes/Graph/Passes.h"

#include "dialects/Graph/GraphOps.h"

#include "mlir/IR/BuiltinTypes.h"

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

/// Returns true when every user of `value` is a graph op or a return, the
/// users that accept a refined operand type.
bool onlyGraphOrReturnUsers(Value value) {
  return llvm::all_of(value.getUsers(), [](Operation *user) {
    return isa<GraphDialect>(user->getDialect()) || isa<func::ReturnOp>(user);
  });
}

struct GraphInferShapesPass
    : exaforge::graph::impl::GraphInferShapesBase<GraphInferShapesPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    WalkResult walk = func.walk([](InferTypeOpInterface op) -> WalkResult {
      if (!isa<GraphDialect>(op->getDialect()))
        return WalkResult::advance();
      SmallVector<Type> inferred;
      if (failed(op.inferReturnTypes(op->getContext(), op->getLoc(),
                                     op->getOperands(), op->getAttrDictionary(),
                                     op->getPropertiesStorage(),
                                     op->getRegions(), inferred)))
        return WalkResult::interrupt();
      for (auto [result, type] : llvm::zip_equal(op->getResults(), inferred)) {
        auto current = cast<RankedTensorType>(result.getType());
        RankedTensorType joined =
            joinTypes(current, cast<RankedTensorType>(type));
        if (joined != current && onlyGraphOrReturnUsers(result))
          result.setType(joined);
      }
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();

    // Keep the signature in step with the returned values.
    func.walk([&](func::ReturnOp ret) {
      func.setType(FunctionType::get(func.getContext(), func.getArgumentTypes(),
                                     ret.getOperandTypes()));
    });
  }
};
} // namespace
