//===- CostModel.cpp - Time and memory of a layout on a machine -----------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The formulas of docs/design/cost-model.md, one function each.
//
//===----------------------------------------------------------------------===//

#include "compiler/Plan/CostModel.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

using namespace exaforge;
using namespace exaforge::plan;

//===----------------------------------------------------------------------===//
// Computation
//===----------------------------------------------------------------------===//

double plan::getAchievableFlops(const MachineDescription &machine,
                                llvm::StringRef elementType) {
  const llvm::StringMap<double> &peaks = machine.device.peakFlopsPerSecond;
  double peak = 0;
  if (auto it = peaks.find(elementType); it != peaks.end())
    peak = it->second;
  else if (auto f32 = peaks.find("f32"); f32 != peaks.end())
    peak = f32->second;
  else
    for (const auto &entry : peaks)
      if (entry.second > 0 && (peak == 0 || entry.second < peak))
        peak = entry.second;
  return peak * machine.device.matmulEfficiency;
}

double plan::estimateComputeSeconds(const OpCost &cost,
                                    llvm::StringRef elementType,
                                    const MachineDescription &machine) {
  double seconds = 0;
  if (cost.flops > 0) {
    double flops = getAchievableFlops(machine, elementType);
    seconds = flops > 0 ? cost.flops / flops
                        : std::numeric_limits<double>::infinity();
  }
  double bytes = cost.bytesRead + cost.bytesWritten;
  if (bytes > 0 && machine.device.memoryBandwidth > 0)
    seconds = std::max(seconds, bytes / machine.device.memoryBandwidth);
  return seconds;
}

//===----------------------------------------------------------------------===//
// Communication
//===----------------------------------------------------------------------===//

llvm::StringRef plan::stringifyCollectiveKind(CollectiveKind kind) {
  switch (kind) {
  case CollectiveKind::AllReduce:
    return "all-reduce";
  case CollectiveKind::AllGather:
    return "all-gather";
  case CollectiveKind::ReduceScatter:
    return "reduce-scatter";
  case CollectiveKind::Broadcast:
    return "broadcast";
  }
  return "collective";
}

llvm::StringRef
plan::stringifyCollectiveAlgorithm(CollectiveAlgorithm algorithm) {
  switch (algorithm) {
  case CollectiveAlgorithm::None:
    return "none";
  case CollectiveAlgorithm::Ring:
    return "ring";
  case CollectiveAlgorithm::Tree:
    return "tree";
  case CollectiveAlgorithm::Hierarchical:
    return "hierarchical";
  }
  return "none";
}

GroupPlacement plan::placeGroup(int64_t stride, int64_t size,
                                int64_t totalRanks,
                                const MachineDescription &machine) {
  int64_t perNode = std::max<int64_t>(1, machine.devicesPerNode);
  std::map<int64_t, int64_t> ranksOnNode;
  for (int64_t k = 0; k < size; ++k)
    ++ranksOnNode[(k * stride) / perNode];
  GroupPlacement group;
  group.size = size;
  group.nodes = static_cast<int64_t>(ranksOnNode.size());
  group.ranksPerNode = 1;
  for (const auto &entry : ranksOnNode)
    group.ranksPerNode = std::max(group.ranksPerNode, entry.second);
  int64_t usedOnNode = std::min(perNode, std::max<int64_t>(1, totalRanks));
  group.concurrentGroupsPerNode =
      std::max<int64_t>(1, usedOnNode / group.ranksPerNode);
  return group;
}

/// ceil(log2(ranks)) for ranks >= 1.
static double ceilLog2(int64_t ranks) {
  return ranks <= 1 ? 0 : std::ceil(std::log2(static_cast<double>(ranks)));
}

double plan::estimateRingSeconds(CollectiveKind kind, double bytes,
                                 int64_t ranks, double alpha,
                                 double bandwidth) {
  if (ranks <= 1)
    return 0;
  double p = static_cast<double>(ranks);
  double share = (p - 1) / p * bytes / bandwidth;
  switch (kind) {
  case CollectiveKind::AllReduce:
    return 2 * (p - 1) * alpha + 2 * share;
  case CollectiveKind::AllGather:
  case CollectiveKind::ReduceScatter:
    return (p - 1) * alpha + share;
  case CollectiveKind::Broadcast:
    return (p - 1) * alpha + bytes / bandwidth;
  }
  return 0;
}

double plan::estimateTreeSeconds(CollectiveKind kind, double bytes,
                                 int64_t ranks, double alpha,
                                 double bandwidth) {
  if (ranks <= 1)
    return 0;
  double p = static_cast<double>(ranks);
  double steps = ceilLog2(ranks);
  switch (kind) {
  case CollectiveKind::AllReduce:
    return 2 * steps * alpha + 2 * bytes / bandwidth;
  case CollectiveKind::AllGather:
  case CollectiveKind::ReduceScatter:
    return steps * alpha + (p - 1) / p * bytes / bandwidth;
  case CollectiveKind::Broadcast:
    return steps * alpha + bytes / bandwidth;
  }
  return 0;
}

/// The cheaper of ring and tree for a flat group.
static CollectiveEstimate estimateFlat(CollectiveKind kind, double bytes,
                                       int64_t ranks, double alpha,
                                       double bandwidth) {
  if (ranks <= 1 || bytes <= 0)
    return {};
  double ring = estimateRingSeconds(kind, bytes, ranks, alpha, bandwidth);
  double tree = estimateTreeSeconds(kind, bytes, ranks, alpha, bandwidth);
  if (tree < ring)
    return {tree, CollectiveAlgorithm::Tree};
  return {ring, CollectiveAlgorithm::Ring};
}

CollectiveEstimate plan::estimateCollective(CollectiveKind kind, double bytes,
                                            const GroupPlacement &group,
                                            const MachineDescription &machine) {
  if (group.size <= 1 || bytes <= 0)
    return {};
  const LinkDescription &intra = machine.intraNode;
  const LinkDescription &inter = machine.interNode;
  if (group.nodes <= 1)
    return estimateFlat(kind, bytes, group.size, intra.latency,
                        intra.bandwidth);
  // Every rank of the node that takes part in a group's network phase sends
  // at once: the node's injection bandwidth is split among them.
  int64_t g = group.ranksPerNode, q = group.nodes;
  double streamBandwidth =
      inter.bandwidth / static_cast<double>(g * group.concurrentGroupsPerNode);
  if (g <= 1)
    return estimateFlat(kind, bytes, q, inter.latency, streamBandwidth);

  auto intraPhase = [&](CollectiveKind phase, double phaseBytes) {
    return estimateFlat(phase, phaseBytes, g, intra.latency, intra.bandwidth)
        .seconds;
  };
  auto interPhase = [&](CollectiveKind phase, double phaseBytes,
                        double bandwidth) {
    return estimateFlat(phase, phaseBytes, q, inter.latency, bandwidth).seconds;
  };
  double share = bytes / static_cast<double>(g);
  double seconds = 0;
  switch (kind) {
  case CollectiveKind::AllReduce:
    seconds = intraPhase(CollectiveKind::ReduceScatter, bytes) +
              interPhase(CollectiveKind::AllReduce, share, streamBandwidth) +
              intraPhase(CollectiveKind::AllGather, bytes);
    break;
  case CollectiveKind::AllGather:
    seconds = interPhase(CollectiveKind::AllGather, share, streamBandwidth) +
              intraPhase(CollectiveKind::AllGather, bytes);
    break;
  case CollectiveKind::ReduceScatter:
    seconds = intraPhase(CollectiveKind::ReduceScatter, bytes) +
              interPhase(CollectiveKind::ReduceScatter, share, streamBandwidth);
    break;
  case CollectiveKind::Broadcast:
    // One rank per node receives over the network, then broadcasts inside.
    seconds = interPhase(CollectiveKind::Broadcast, bytes,
                         inter.bandwidth / static_cast<double>(
                                               group.concurrentGroupsPerNode)) +
              intraPhase(CollectiveKind::Broadcast, bytes);
    break;
  }
  return {seconds, CollectiveAlgorithm::Hierarchical};
}

double plan::estimateSendRecvSeconds(double bytes, bool crossesNodes,
                                     int64_t pairs,
                                     const MachineDescription &machine) {
  if (bytes <= 0)
    return 0;
  if (!crossesNodes)
    return machine.intraNode.latency + bytes / machine.intraNode.bandwidth;
  double bandwidth = machine.interNode.bandwidth /
                     static_cast<double>(std::max<int64_t>(1, pairs));
  return machine.interNode.latency + bytes / bandwidth;
}

//===----------------------------------------------------------------------===//
// Pipeline
//===----------------------------------------------------------------------===//

double plan::getPipelineBubbleFraction(int64_t stages, int64_t microBatches) {
  if (stages <= 1)
    return 0;
  return static_cast<double>(stages - 1) /
         static_cast<double>(microBatches + stages - 1);
}

double plan::estimatePipelineStepSeconds(llvm::ArrayRef<double> stageSeconds,
                                         llvm::ArrayRef<double> transferSeconds,
                                         int64_t microBatches) {
  double fill = 0, period = 0;
  for (auto [s, work] : llvm::enumerate(stageSeconds)) {
    double before = s > 0 ? transferSeconds[s - 1] : 0;
    double after = s < transferSeconds.size() ? transferSeconds[s] : 0;
    fill += work + after;
    period = std::max(period, before + work + after);
  }
  return fill +
         static_cast<double>(std::max<int64_t>(microBatches, 1) - 1) * period;
}
