//===- OpCost.cpp - Work and traffic of one graph op ----------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "passes/Analysis/OpCost.h"

#include "dialects/Graph/GraphOps.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace exaforge;

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

/// The size of dimension `dim` of `value`'s type, `dynamicDimSize` where it is
/// dynamic.
static double dimSize(Value value, int64_t dim, int64_t dynamicDimSize) {
  auto type = cast<ShapedType>(value.getType());
  if (dim < 0)
    dim += type.getRank();
  int64_t size = type.getDimSize(dim);
  return ShapedType::isDynamic(size) ? dynamicDimSize : size;
}

/// Arithmetic per element of the op's first operand for the ops that read
/// their input a few times (normalizations, softmax, reductions).
static constexpr double kNormalizationFlopsPerElement = 5;

/// The FLOPs of `op` (see estimateOpCost).
static double estimateFlops(Operation *op, int64_t dyn) {
  double resultElements =
      op->getNumResults() ? estimateNumElements(op->getResult(0).getType(), dyn)
                          : 0;
  auto inputElements = [&] {
    return estimateNumElements(op->getOperand(0).getType(), dyn);
  };
  return llvm::TypeSwitch<Operation *, double>(op)
      .Case([&](graph::MatMulOp matmul) {
        return 2 * resultElements * dimSize(matmul.getLhs(), -1, dyn);
      })
      .Case([&](graph::GemmOp gemm) {
        int64_t reduced = gemm.getTransA() ? 0 : 1;
        return 2 * resultElements * dimSize(gemm.getA(), reduced, dyn);
      })
      .Case([&](graph::ConvOp conv) {
        // Each output element sums C/group x kernel products.
        double window = estimateNumElements(conv.getWeight().getType(), dyn) /
                        dimSize(conv.getWeight(), 0, dyn);
        return 2 * resultElements * window;
      })
      .Case<graph::MaxPoolOp, graph::AveragePoolOp>([&](auto pool) {
        double window = 1;
        for (int64_t size : pool.getKernelShape())
          window *= size;
        return resultElements * window;
      })
      .Case<graph::SoftmaxOp, graph::LogSoftmaxOp, graph::LayerNormalizationOp,
            graph::BatchNormalizationOp>([&](Operation *) {
        return kNormalizationFlopsPerElement * inputElements();
      })
      .Case<graph::ReduceSumOp, graph::ReduceMeanOp, graph::ReduceMaxOp,
            graph::ReduceMinOp, graph::ReduceProdOp, graph::ReduceLogSumOp,
            graph::ReduceLogSumExpOp, graph::ReduceSumSquareOp,
            graph::GlobalAveragePoolOp, graph::ArgMaxOp, graph::ArgMinOp>(
          [&](Operation *) { return inputElements(); })
      .Default([&](Operation *) {
        return isa<graph::GraphDialect>(op->getDialect()) ? resultElements
                                                          : 0.0;
      });
}

/// Whether `op` costs nothing: a constant or a reinterpretation of its
/// operand's buffer.
static bool isFree(Operation *op) {
  return isa<graph::ConstantOp, graph::ReshapeOp, graph::SqueezeOp,
             graph::UnsqueezeOp, graph::FlattenOp, graph::IdentityOp,
             graph::ShapeOp, graph::SizeOp>(op);
}

OpCost exaforge::estimateOpCost(Operation *op, int64_t dynamicDimSize) {
  OpCost cost;
  if (isFree(op))
    return cost;
  cost.flops = estimateFlops(op, dynamicDimSize);
  for (Value operand : op->getOperands())
    cost.bytesRead += estimateNumBytes(operand.getType(), dynamicDimSize);
  for (Value result : op->getResults())
    cost.bytesWritten += estimateNumBytes(result.getType(), dynamicDimSize);
  return cost;
}
