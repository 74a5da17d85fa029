//===- OpCostOpInterface.cpp - The work and traffic of an op --------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The helpers the implementations of OpCostOpInterface share, and the
// interface's generated definitions.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/OpCostOpInterface.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace exaforge;

#include "dialects/Graph/OpCostOpInterface.cpp.inc"

double exaforge::estimateNumElements(Type type, int64_t dynamicDimSize) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !shaped.hasRank())
    return 0;
  double elements = 1;
  for (int64_t size : shaped.getShape())
    elements *= ShapedType::isDynamic(size) ? dynamicDimSize : size;
  return elements;
}

double exaforge::estimateNumBytes(Type type, int64_t dynamicDimSize) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !shaped.hasRank())
    return 0;
  unsigned bits = shaped.getElementType().getIntOrFloatBitWidth();
  return estimateNumElements(type, dynamicDimSize) * ((bits + 7) / 8);
}

double exaforge::estimateDimSize(Value value, int64_t dim,
                                 int64_t dynamicDimSize) {
  auto type = cast<ShapedType>(value.getType());
  if (dim < 0)
    dim += type.getRank();
  int64_t size = type.getDimSize(dim);
  return ShapedType::isDynamic(size) ? dynamicDimSize : size;
}

OpCost exaforge::estimateTraffic(Operation *op, int64_t dynamicDimSize) {
  OpCost cost;
  for (Value operand : op->getOperands())
    cost.bytesRead += estimateNumBytes(operand.getType(), dynamicDimSize);
  for (Value result : op->getResults())
    cost.bytesWritten += estimateNumBytes(result.getType(), dynamicDimSize);
  return cost;
}

OpCost exaforge::estimateCostPerResultElement(Operation *op,
                                              int64_t dynamicDimSize,
                                              double flopsPerResultElement) {
  OpCost cost = estimateTraffic(op, dynamicDimSize);
  if (op->getNumResults())
    cost.flops = flopsPerResultElement *
                 estimateNumElements(op->getResult(0).getType(), dynamicDimSize);
  return cost;
}

OpCost exaforge::estimateCostPerInputElement(Operation *op,
                                             int64_t dynamicDimSize,
                                             double flopsPerInputElement) {
  OpCost cost = estimateTraffic(op, dynamicDimSize);
  cost.flops = flopsPerInputElement *
               estimateNumElements(op->getOperand(0).getType(), dynamicDimSize);
  return cost;
}
