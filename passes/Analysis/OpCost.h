//===- OpCost.h - Work and traffic of one op --------------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Estimates what one op costs: its arithmetic (FLOPs) and the bytes it reads
// and writes. Machine-independent; a cost model turns these into time for a
// described machine (a roofline), and the pipeline pass balances stages with
// them. Each graph op states its own cost (OpCostOpInterface).
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_PASSES_ANALYSIS_OPCOST_H
#define EXAFORGE_PASSES_ANALYSIS_OPCOST_H

#include "dialects/Graph/OpCostOpInterface.h"

namespace exaforge {

/// Estimates `op`'s cost, each dynamic dimension of its types counted as
/// `dynamicDimSize` (the batch, for the models Exaforge imports): the cost an
/// op implementing OpCostOpInterface states (every graph op does), only the
/// traffic of other ops.
///
/// For the graph ops: MatMul, Gemm and Conv count their multiply-adds
/// exactly; pooling counts one operation per window element; reductions,
/// normalizations and softmax a few per input element; other computing ops
/// one per result element. Constants and ops that only reinterpret a buffer
/// (Reshape, Squeeze, Unsqueeze, Flatten, Identity, Shape, Size) cost
/// nothing.
OpCost estimateOpCost(mlir::Operation *op, int64_t dynamicDimSize = 1);

} // namespace exaforge

#endif // EXAFORGE_PASSES_ANALYSIS_OPCOST_H
