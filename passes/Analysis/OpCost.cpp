//===- OpCost.cpp - Work and traffic of one op ----------------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "passes/Analysis/OpCost.h"

using namespace mlir;
using namespace exaforge;

OpCost exaforge::estimateOpCost(Operation *op, int64_t dynamicDimSize) {
  if (auto costOp = dyn_cast<graph::OpCostOpInterface>(op))
    return costOp.estimateCost(dynamicDimSize);
  return estimateTraffic(op, dynamicDimSize);
}
