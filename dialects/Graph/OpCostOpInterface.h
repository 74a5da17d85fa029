//===- OpCostOpInterface.h - The work and traffic of an op ------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Declares the cost of one op (OpCost), the interface through which an op
// states it (OpCostOpInterface, generated from OpCostOpInterface.td) and the
// helpers its implementations share.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_DIALECTS_GRAPH_OPCOSTOPINTERFACE_H
#define EXAFORGE_DIALECTS_GRAPH_OPCOSTOPINTERFACE_H

#include "mlir/IR/OpDefinition.h"

namespace exaforge {

/// The work of one op on one rank.
struct OpCost {
  /// Floating-point (or integer) operations; a multiply-add counts as 2.
  double flops = 0;
  /// Bytes of the operands the op reads (weights included).
  double bytesRead = 0;
  /// Bytes of the results it writes.
  double bytesWritten = 0;

  /// Adds `other`'s work and traffic to this one.
  OpCost &operator+=(const OpCost &other) {
    flops += other.flops;
    bytesRead += other.bytesRead;
    bytesWritten += other.bytesWritten;
    return *this;
  }
};

/// The number of elements of `type` (a ranked tensor or memref), each dynamic
/// dimension counted as `dynamicDimSize`; 0 for other types.
double estimateNumElements(mlir::Type type, int64_t dynamicDimSize);

/// The bytes of `type`'s elements (an i1 takes one byte), dynamic dimensions
/// counted as `dynamicDimSize`; 0 for non-shaped types.
double estimateNumBytes(mlir::Type type, int64_t dynamicDimSize);

/// The size of dimension `dim` of `value`'s shaped type (negative: from the
/// back), `dynamicDimSize` where it is dynamic.
double estimateDimSize(mlir::Value value, int64_t dim, int64_t dynamicDimSize);

/// The traffic of `op` without work: the bytes of its operands and results.
OpCost estimateTraffic(mlir::Operation *op, int64_t dynamicDimSize);

/// The traffic of `op` plus `flopsPerResultElement` operations per element of
/// its first result (elementwise ops: 1).
OpCost estimateCostPerResultElement(mlir::Operation *op,
                                    int64_t dynamicDimSize,
                                    double flopsPerResultElement = 1);

/// The traffic of `op` plus `flopsPerInputElement` operations per element of
/// its first operand (reductions: 1; normalizations and softmax, which read
/// their input a few times: kNormalizationFlopsPerElement).
OpCost estimateCostPerInputElement(mlir::Operation *op, int64_t dynamicDimSize,
                                   double flopsPerInputElement = 1);

/// Operations per input element of the normalizations and softmax.
inline constexpr double kNormalizationFlopsPerElement = 5;

} // namespace exaforge

#include "dialects/Graph/OpCostOpInterface.h.inc"

#endif // EXAFORGE_DIALECTS_GRAPH_OPCOSTOPINTERFACE_H
