//===- OutlineWeights.cpp - Large constants become weight symbols ---------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `graph-outline-weights`: large constants of public functions
// become `graph.weight` symbols read through `graph.weight_ref`, so that
// compiled code receives weights from the runtime instead of embedding them.
//
//===----------------------------------------------------------------------===//

#include "passes/Graph/Passes.h"

#include "dialects/Graph/GraphOps.h"
#include "dialects/Graph/ModelSignature.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/MapVector.h"

namespace exaforge::graph {
#define GEN_PASS_DEF_GRAPHOUTLINEWEIGHTS
#include "passes/Graph/Passes.h.inc"
} // namespace exaforge::graph

using namespace mlir;
using namespace exaforge::graph;

namespace {
/// Returns the weight name of a constant value: the key of a dense resource,
/// or `const_<index>` for a dense attribute.
std::string chooseWeightName(ElementsAttr value, unsigned index) {
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value))
    return resource.getRawHandle().getKey().str();
  return "const_" + std::to_string(index);
}

struct GraphOutlineWeightsPass
    : exaforge::graph::impl::GraphOutlineWeightsBase<GraphOutlineWeightsPass> {
  using Base::Base;

  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (func.isPublic() && !func.isExternal())
        outlineWeights(func);
  }

  /// Returns true when `value` is held outside the code.
  bool isWeight(ElementsAttr value) const {
    int64_t limit = maxInlineElements;
    if (maxInlineFloatElements >= 0 && isa<FloatType>(value.getElementType()))
      limit = maxInlineFloatElements;
    return isa<DenseResourceElementsAttr>(value) ||
           value.getNumElements() > limit;
  }

  /// The op of `constant`'s block that holds its first use, or `constant`
  /// when it has none. Reading a weight there rather than where the
  /// constant was keeps the constants at the start of the block together,
  /// as they were, for the folds that move constants there.
  static Operation *getFirstUser(ConstantOp constant) {
    Block *block = constant->getBlock();
    Operation *first = nullptr;
    for (Operation *user : constant->getUsers()) {
      Operation *ancestor = block->findAncestorOpInBlock(*user);
      if (!first || ancestor->isBeforeInBlock(first))
        first = ancestor;
    }
    return first ? first : constant.getOperation();
  }

  void outlineWeights(func::FuncOp func) {
    // Group equal constants, in order of first appearance.
    llvm::MapVector<Attribute, SmallVector<ConstantOp>> weights;
    func.walk([&](ConstantOp op) {
      if (isWeight(op.getValue()))
        weights[op.getValue()].push_back(op);
    });
    auto module = cast<ModuleOp>(getOperation());
    for (auto [index, entry] : llvm::enumerate(weights)) {
      auto value = cast<ElementsAttr>(entry.first);
      WeightOp weight = declareWeight(
          module, chooseWeightName(value, static_cast<unsigned>(index)),
          cast<RankedTensorType>(value.getType()), value,
          entry.second.front().getLoc());
      for (ConstantOp op : entry.second) {
        OpBuilder builder(getFirstUser(op));
        Value read = WeightRefOp::create(builder, op.getLoc(), op.getType(),
                                         weight.getSymName());
        op.replaceAllUsesWith(read);
        op.erase();
      }
    }
  }
};
} // namespace
