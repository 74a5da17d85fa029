//===- CostModel.h - Time and memory of a layout on a machine ---*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The machine-dependent half of the planner: turns the work of an op
// (estimateOpCost) into seconds with a roofline, prices collectives and
// pipeline transfers with an alpha-beta model of ring and tree algorithms
// (hierarchical when a group spans nodes), and gives the pipeline bubble.
// Every formula is written out in docs/design/cost-model.md.
//
// Ranks are placed on nodes in order: rank r runs on node
// r / devicesPerNode. The mesh of a layout is dp x pp x tp, row-major, so
// the ranks of a tensor-parallel group are consecutive and the stages of a
// pipeline are tp ranks apart.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_COMPILER_PLAN_COSTMODEL_H
#define EXAFORGE_COMPILER_PLAN_COSTMODEL_H

#include "compiler/Plan/MachineDescription.h"
#include "passes/Analysis/OpCost.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>

namespace exaforge::plan {

//===----------------------------------------------------------------------===//
// Computation
//===----------------------------------------------------------------------===//

/// The arithmetic throughput (FLOP/s) the cost model assumes for work on
/// elements of type `elementType` (MLIR spelling, e.g. "f32", "bf16"): the
/// device's peak for that type times its matmul efficiency. Types without a
/// peak of their own (integers, i1) use the "f32" peak; a device without an
/// "f32" peak uses its smallest listed peak. 0 when no peak is listed.
double getAchievableFlops(const MachineDescription &machine,
                          llvm::StringRef elementType);

/// The roofline time of `cost` on one device: the larger of its compute
/// time, `flops / getAchievableFlops(elementType)`, and its memory time,
/// `(bytesRead + bytesWritten) / memoryBandwidth`.
double estimateComputeSeconds(const OpCost &cost, llvm::StringRef elementType,
                              const MachineDescription &machine);

//===----------------------------------------------------------------------===//
// Communication
//===----------------------------------------------------------------------===//

/// The collectives the cost model prices. `bytes` is the size of the
/// full (unsharded) tensor: the operand of an all-reduce, reduce-scatter or
/// broadcast, the result of an all-gather.
enum class CollectiveKind { AllReduce, AllGather, ReduceScatter, Broadcast };

/// Returns the spelling of `kind` ("all-reduce", ...).
llvm::StringRef stringifyCollectiveKind(CollectiveKind kind);

/// Where the ranks of one communication group sit.
struct GroupPlacement {
  /// Ranks in the group.
  int64_t size = 1;
  /// Nodes the group spans.
  int64_t nodes = 1;
  /// The most ranks of the group on one node.
  int64_t ranksPerNode = 1;
  /// Groups of the same kind whose ranks share a node and communicate at the
  /// same time (they share the node's network injection bandwidth).
  int64_t concurrentGroupsPerNode = 1;
};

/// The placement of the groups `{first + k * stride : k < size}` of a layout
/// over `totalRanks` ranks (every group of the layout has the same shape;
/// the one of rank 0 is measured).
GroupPlacement placeGroup(int64_t stride, int64_t size, int64_t totalRanks,
                          const MachineDescription &machine);

/// The algorithm an estimate assumes.
enum class CollectiveAlgorithm { None, Ring, Tree, Hierarchical };

/// Returns the spelling of `algorithm` ("ring", "tree", "hierarchical").
llvm::StringRef stringifyCollectiveAlgorithm(CollectiveAlgorithm algorithm);

/// The predicted time of one collective.
struct CollectiveEstimate {
  /// Seconds, the same on every rank of the group.
  double seconds = 0;
  /// The cheaper of ring and tree (flat groups), or hierarchical.
  CollectiveAlgorithm algorithm = CollectiveAlgorithm::None;
};

/// A flat ring over `ranks` ranks joined by links of latency `alpha` seconds
/// and bandwidth `bandwidth` bytes/s (see docs/design/cost-model.md).
double estimateRingSeconds(CollectiveKind kind, double bytes, int64_t ranks,
                           double alpha, double bandwidth);

/// A flat tree (double binary tree for all-reduce, recursive doubling or
/// halving for all-gather and reduce-scatter, binomial tree for broadcast).
double estimateTreeSeconds(CollectiveKind kind, double bytes, int64_t ranks,
                           double alpha, double bandwidth);

/// One collective of `bytes` over a group placed as `group`: inside one node
/// the cheaper of ring and tree over the intra-node link; across nodes with
/// one rank per node the same over the network; otherwise hierarchical
/// (intra-node reduce-scatter, inter-node all-reduce of a 1/ranksPerNode
/// share, intra-node all-gather, and the analogues for the other kinds). The
/// network bandwidth of a node is shared by every rank of it that sends at
/// once.
CollectiveEstimate estimateCollective(CollectiveKind kind, double bytes,
                                      const GroupPlacement &group,
                                      const MachineDescription &machine);

/// One pipeline transfer of `bytes` from each of `pairs` ranks to its peer
/// in the next stage: `latency + bytes / bandwidth` over the intra-node link,
/// or over the network when `crossesNodes`, where the `pairs` transfers
/// leaving one node share its injection bandwidth.
double estimateSendRecvSeconds(double bytes, bool crossesNodes, int64_t pairs,
                               const MachineDescription &machine);

//===----------------------------------------------------------------------===//
// Pipeline
//===----------------------------------------------------------------------===//

/// The share of a pipelined step that each stage idles (the bubble) with
/// `stages` stages and `microBatches` micro-batches:
/// `(stages - 1) / (microBatches + stages - 1)`.
double getPipelineBubbleFraction(int64_t stages, int64_t microBatches);

/// The time of one step of a pipeline over `microBatches` micro-batches,
/// stage `s` working `stageSeconds[s]` per micro-batch (compute and
/// collectives) and the blocking transfer from stage `s` to `s + 1` taking
/// `transferSeconds[s]`: the first micro-batch flows through every stage and
/// transfer, then one leaves every period of the busiest stage,
/// `fill + (microBatches - 1) x max_s(transfer[s-1] + stage[s] +
/// transfer[s])`. With equal stages and free transfers this is the GPipe
/// step `(microBatches + stages - 1) x stage`.
double estimatePipelineStepSeconds(llvm::ArrayRef<double> stageSeconds,
                                   llvm::ArrayRef<double> transferSeconds,
                                   int64_t microBatches);

} // namespace exaforge::plan

#endif // EXAFORGE_COMPILER_PLAN_COSTMODEL_H
