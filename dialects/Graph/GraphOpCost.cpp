//===- GraphOpCost.cpp - The cost of each graph op ------------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements OpCostOpInterface for the graph ops whose cost is not the
// dialect's default (one operation per result element plus the traffic), and
// that default as the dialect's fallback model of the interface.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/GraphOps.h"

using namespace mlir;
using namespace exaforge;
using namespace exaforge::graph;

//===----------------------------------------------------------------------===//
// The default: one operation per result element
//===----------------------------------------------------------------------===//

namespace {
/// The cost of a graph op that does not declare OpCostOpInterface.
struct DefaultOpCostModel
    : OpCostOpInterface::FallbackModel<DefaultOpCostModel> {
  static bool classof(Operation *op) {
    return isa<GraphDialect>(op->getDialect());
  }
  OpCost estimateCost(Operation *op, int64_t dynamicDimSize) const {
    return estimateCostPerResultElement(op, dynamicDimSize);
  }
};
} // namespace

void *GraphDialect::getRegisteredInterfaceForOp(TypeID interfaceID,
                                                OperationName) {
  static DefaultOpCostModel defaultOpCost;
  if (interfaceID == TypeID::get<OpCostOpInterface>())
    return &defaultOpCost;
  return nullptr;
}

//===----------------------------------------------------------------------===//
// Ops that cost nothing: constants and reinterpretations of a buffer
//===----------------------------------------------------------------------===//

OpCost ConstantOp::estimateCost(int64_t) { return {}; }
OpCost ReshapeOp::estimateCost(int64_t) { return {}; }
OpCost SqueezeOp::estimateCost(int64_t) { return {}; }
OpCost UnsqueezeOp::estimateCost(int64_t) { return {}; }
OpCost FlattenOp::estimateCost(int64_t) { return {}; }
OpCost IdentityOp::estimateCost(int64_t) { return {}; }
OpCost ShapeOp::estimateCost(int64_t) { return {}; }
OpCost SizeOp::estimateCost(int64_t) { return {}; }

//===----------------------------------------------------------------------===//
// Linear algebra and convolution: multiply-adds counted exactly
//===----------------------------------------------------------------------===//

OpCost MatMulOp::estimateCost(int64_t dynamicDimSize) {
  double contraction = estimateDimSize(getLhs(), -1, dynamicDimSize);
  return estimateCostPerResultElement(*this, dynamicDimSize, 2 * contraction);
}

OpCost GemmOp::estimateCost(int64_t dynamicDimSize) {
  double contraction =
      estimateDimSize(getA(), getTransA() ? 0 : 1, dynamicDimSize);
  return estimateCostPerResultElement(*this, dynamicDimSize, 2 * contraction);
}

OpCost ConvOp::estimateCost(int64_t dynamicDimSize) {
  // Each output element sums C/group x kernel products.
  double window = estimateNumElements(getWeight().getType(), dynamicDimSize) /
                  estimateDimSize(getWeight(), 0, dynamicDimSize);
  return estimateCostPerResultElement(*this, dynamicDimSize, 2 * window);
}

//===----------------------------------------------------------------------===//
// Pooling: one operation per window element
//===----------------------------------------------------------------------===//

/// The number of elements of a pooling window of shape `kernelShape`.
static double getWindowSize(ArrayRef<int64_t> kernelShape) {
  double window = 1;
  for (int64_t size : kernelShape)
    window *= size;
  return window;
}

OpCost MaxPoolOp::estimateCost(int64_t dynamicDimSize) {
  return estimateCostPerResultElement(*this, dynamicDimSize,
                                      getWindowSize(getKernelShape()));
}

OpCost AveragePoolOp::estimateCost(int64_t dynamicDimSize) {
  return estimateCostPerResultElement(*this, dynamicDimSize,
                                      getWindowSize(getKernelShape()));
}

OpCost GlobalAveragePoolOp::estimateCost(int64_t dynamicDimSize) {
  return estimateCostPerInputElement(*this, dynamicDimSize);
}

OpCost GlobalMaxPoolOp::estimateCost(int64_t dynamicDimSize) {
  return estimateCostPerInputElement(*this, dynamicDimSize);
}

//===----------------------------------------------------------------------===//
// Normalizations and softmax: a few operations per input element
//===----------------------------------------------------------------------===//

OpCost SoftmaxOp::estimateCost(int64_t dynamicDimSize) {
  return estimateCostPerInputElement(*this, dynamicDimSize,
                                     kNormalizationFlopsPerElement);
}

OpCost LogSoftmaxOp::estimateCost(int64_t dynamicDimSize) {
  return estimateCostPerInputElement(*this, dynamicDimSize,
                                     kNormalizationFlopsPerElement);
}

OpCost LayerNormalizationOp::estimateCost(int64_t dynamicDimSize) {
  return estimateCostPerInputElement(*this, dynamicDimSize,
                                     kNormalizationFlopsPerElement);
}

OpCost BatchNormalizationOp::estimateCost(int64_t dynamicDimSize) {
  return estimateCostPerInputElement(*this, dynamicDimSize,
                                     kNormalizationFlopsPerElement);
}
