//===- Planner.h - Choosing dp x tp x pp for a machine ----------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The planner behind `exaforge plan` and `exaforge compile --auto`: it
// enumerates the layouts D x T x P = ranks of a model on a described
// machine (with the micro-batch count and the pipeline's stage cuts),
// prices each with the cost model (CostModel.h) on the exact per-rank
// program the tensor-parallel passes produce, discards those that do not fit
// in device memory and ranks the rest by predicted step time (one forward
// pass over the batch).
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_COMPILER_PLAN_PLANNER_H
#define EXAFORGE_COMPILER_PLAN_PLANNER_H

#include "compiler/Plan/CostModel.h"
#include "compiler/Plan/MachineDescription.h"

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlir {
class ModuleOp;
} // namespace mlir

namespace exaforge::plan {

/// What to plan for.
struct PlannerOptions {
  /// Nodes the job uses (ranks = nodes x devicesPerNode).
  int64_t nodes = 1;
  /// The global batch of one step; 0 for one sample per rank. Ignored for a
  /// model without a symbolic batch (it runs its static batch).
  int64_t batch = 0;
  /// Micro-batches of every pipeline layout; 0 tries the divisors of the
  /// local batch from min(stages, local batch) up and keeps the best.
  int64_t microBatches = 0;
  /// Whether to emit a remark on each op of the model that tensor
  /// parallelism must replicate because it has no sharding rule (when some
  /// layout is tensor-parallel).
  bool reportOpsWithoutShardingRule = false;
};

/// One priced layout.
struct Layout {
  /// Data-parallel replicas, tensor-parallel ranks, pipeline stages.
  int64_t dp = 1, tp = 1, pp = 1;
  /// Micro-batches per step and samples per micro-batch.
  int64_t microBatches = 1, microBatchSize = 1;
  /// The first op of each stage (indices into getPipelinedOps of the
  /// per-rank program), as `dist-pipeline-partition` cuts them.
  llvm::SmallVector<size_t> stageStarts;
  /// Predicted seconds of one step.
  double stepSeconds = 0;
  /// The step's time split by cause, for the slowest stage: its compute, its
  /// tensor-parallel collectives and its pipeline transfers (each over all
  /// micro-batches) and the pipeline bubble. They sum to stepSeconds.
  double computeSeconds = 0, collectiveSeconds = 0, sendRecvSeconds = 0,
         bubbleSeconds = 0;
  /// Bytes one device needs (the fullest stage) and their parts.
  double memoryPerDeviceBytes = 0, weightBytesPerDevice = 0,
         activationBytesPerDevice = 0, bufferBytesPerDevice = 0;
  /// Bytes communicated per step by one replica (message sizes, each
  /// collective counted once for its group, each pipeline transfer once):
  /// the tensor-parallel collectives and the pipeline transfers.
  double tpCommBytesPerStep = 0, ppCommBytesPerStep = 0;
  /// Tensor-parallel collectives a replica runs per step, and how many of
  /// them are all-reduces (INT64_MAX when more do not fit).
  int64_t tpCollectivesPerStep = 0, tpAllReducesPerStep = 0;
  /// Where a tensor-parallel group sits.
  GroupPlacement tpGroup;
  /// Whether some pipeline transfer crosses nodes.
  bool ppCrossesNodes = false;
  /// Whether it fits in device memory.
  bool fits = false;
  /// Why it loses to the best layout (empty for the best).
  std::string whyNotBest;

  /// The total bytes communicated per step by one replica.
  double commBytesPerStep() const {
    return tpCommBytesPerStep + ppCommBytesPerStep;
  }
};

/// The planner's answer.
struct PlanResult {
  /// Ranks of the job and the global batch planned for.
  int64_t ranks = 1, batch = 1;
  /// Whether the model has a symbolic batch (else only dp = 1 is possible).
  bool symbolicBatch = true;
  /// The layouts that fit, best first; one per (dp, tp, pp), with its best
  /// micro-batch count.
  std::vector<Layout> layouts;
  /// When nothing fits: the layout needing the least memory per device.
  Layout smallest;
  /// Remarks on layouts that could not be priced (e.g. a tensor-parallel
  /// degree the passes reject).
  llvm::SmallVector<std::string> notes;
};

/// Plans `module` (an imported model, left unchanged) for `machine`. Fails
/// with a diagnostic on the module when the options do not make sense or
/// the model cannot be analysed. A model that fits nowhere is not a failure:
/// `layouts` is then empty and `smallest` says what it needs.
mlir::FailureOr<PlanResult> planModel(mlir::ModuleOp module,
                                      const MachineDescription &machine,
                                      const PlannerOptions &options);

/// Fills `layout.whyNotBest`: the factor by which it is slower than `best`
/// and the part of the step that grew most, e.g. "1.8x slower: tp 8 spans 2
/// nodes: collectives over the network take 3.1x the best's (4.2 ms vs 1.4
/// ms)".
std::string explainLoss(const Layout &layout, const Layout &best);

/// Formats `seconds` with a unit (s, ms, us).
std::string formatSeconds(double seconds);

/// Formats `bytes` with a binary unit (B, KiB, MiB, GiB, TiB).
std::string formatBytes(double bytes);

} // namespace exaforge::plan

#endif // EXAFORGE_COMPILER_PLAN_PLANNER_H
