//===- GraphWeightOps.cpp - Model weights as symbols ----------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Verifiers of `graph.weight` and `graph.weight_ref` (see GraphWeightOps.td).
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/GraphOps.h"

using namespace mlir;
using namespace exaforge::graph;

LogicalResult WeightOp::verify() {
  auto valueType = cast<ShapedType>(getValue().getType());
  RankedTensorType type = getTensorType();
  if (valueType.getElementType() != type.getElementType() ||
      !valueType.hasRank() || valueType.getRank() != type.getRank())
    return emitOpError("value of type ")
           << valueType << " does not have the element type and rank of "
           << type;
  return success();
}

LogicalResult
WeightRefOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  auto weight =
      symbolTable.lookupNearestSymbolFrom<WeightOp>(*this, getWeightAttr());
  if (!weight)
    return emitOpError("'") << getWeight() << "' does not name a graph.weight";
  if (weight.getTensorType() != getType())
    return emitOpError("result type ")
           << getType() << " does not match the type " << weight.getTensorType()
           << " of weight '" << getWeight() << "'";
  return success();
}
