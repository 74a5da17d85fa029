//===- OpCost.h - Work and traffic of one graph op --------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Estimates what one op of the graph dialect costs: its arithmetic (FLOPs)
// and the bytes it reads and writes. Machine-independent; a cost model turns
// these into time for a described machine (a roofline), and the pipeline
// pass balances stages with them.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_PASSES_ANALYSIS_OPCOST_H
#define EXAFORGE_PASSES_ANALYSIS_OPCOST_H

#include <cstdint>

namespace mlir {
class Operation;
class Type;
} // namespace mlir

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

/// Estimates `op`'s cost, each dynamic dimension of its types counted as
/// `dynamicDimSize` (the batch, for the models Exaforge imports).
///
/// MatMul, Gemm and Conv count their multiply-adds exactly; pooling counts
/// one operation per window element; reductions, normalizations and softmax
/// a few per input element; other computing ops one per result element.
/// Constants and ops that only reinterpret a buffer (Reshape, Squeeze,
/// Unsqueeze, Flatten, Identity, Shape, Size) cost nothing; ops outside the
/// graph dialect count only their traffic.
OpCost estimateOpCost(mlir::Operation *op, int64_t dynamicDimSize = 1);

} // namespace exaforge

#endif // EXAFORGE_PASSES_ANALYSIS_OPCOST_H
