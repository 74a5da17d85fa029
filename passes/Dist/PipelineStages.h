//===- PipelineStages.h - Cutting a program into pipeline stages -*- C++
//-*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Where to cut a straight-line program into the stages of a pipeline: the
// values that cross each possible cut, and the cut that balances the stages.
// Used by `dist-pipeline-partition` and by the planner (which prices the same
// cuts for a described machine).
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_PASSES_DIST_PIPELINESTAGES_H
#define EXAFORGE_PASSES_DIST_PIPELINESTAGES_H

#include "mlir/IR/Value.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>

namespace mlir {
class Operation;
} // namespace mlir

namespace exaforge::dist {

/// Whether each pipeline stage makes its own copy of `op` rather than
/// receiving its results: constants and reads of weights.
bool isMaterializedPerStage(mlir::Operation *op);

/// The ops of a function body that a pipeline distributes among its stages,
/// in program order: every op except those each stage materializes for
/// itself (`isMaterializedPerStage`) and the terminator.
llvm::SmallVector<mlir::Operation *> getPipelinedOps(mlir::Operation *function);

/// For each position `k` in `[0, ops.size()]` (a cut before `ops[k]`), the
/// bytes of the values that cross it: results of `ops[0..k)` used by
/// `ops[k..)` or returned. Dynamic dimensions count as `dynamicDimSize`.
/// Position 0 and position `ops.size()` count nothing crossing them:
/// function arguments are on every rank, and the results stay on the last
/// stage.
llvm::SmallVector<double>
computeCrossingBytes(llvm::ArrayRef<mlir::Operation *> ops,
                     int64_t dynamicDimSize);

/// For each position `k` in `[0, ops.size()]`, the values that cross it (as
/// computeCrossingBytes counts them), in program order: what the stage
/// beginning at `ops[k]` receives.
llvm::SmallVector<llvm::SmallVector<mlir::Value>>
getCrossingValues(llvm::ArrayRef<mlir::Operation *> ops);

/// Cuts `opCosts.size()` ops into `stages` non-empty contiguous ranges
/// minimizing the cost of the slowest stage, a stage `[i, j)` costing
/// `sum(opCosts[i..j)) + boundaryCosts[i] + boundaryCosts[j]` (its compute,
/// the receive before it and the send after it). `boundaryCosts` has
/// `opCosts.size() + 1` entries. Returns the first op of each stage
/// (`result[0] == 0`), or failure when there are fewer ops than stages.
/// Exact (dynamic programming), O(stages x ops^2).
mlir::FailureOr<llvm::SmallVector<size_t>>
balancePipelineStages(llvm::ArrayRef<double> opCosts,
                      llvm::ArrayRef<double> boundaryCosts, int64_t stages);

/// The stage cuts of `dist-pipeline-partition`: balancePipelineStages on the
/// roofline times of `ops` on a nominal machine (FLOPs at 100 GFLOP/s, bytes
/// at 20 GB/s; a cut costs 5 us + its crossing bytes at 5 GB/s), at a batch
/// of 1. The planner calls it to price the stages the compiler makes.
mlir::FailureOr<llvm::SmallVector<size_t>>
cutPipelineStages(llvm::ArrayRef<mlir::Operation *> ops, int64_t stages);

} // namespace exaforge::dist

#endif // EXAFORGE_PASSES_DIST_PIPELINESTAGES_H
