//===- CostModelTest.cpp - The cost model's formulas ----------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Each expected value is the formula of docs/design/cost-model.md worked out
// by hand for round figures, not a call of the function under test.
//
//===----------------------------------------------------------------------===//

#include "compiler/Plan/CostModel.h"
#include "test/lib/Plan/TestMachines.h"

#include <gtest/gtest.h>

using namespace exaforge;
using namespace exaforge::plan;

namespace {

/// test-gpu4: 4 devices per node; intra-node 100 GB/s, 2 us; network
/// 25 GB/s per node, 5 us; 20 TFLOP/s f32 and 300 bf16 at efficiency 0.5;
/// 1.6 TB/s memory.
MachineDescription gpu4() { return *getTestMachine("test-gpu4"); }

/// Relative comparison: the formulas are exact up to rounding.
void expectClose(double actual, double expected) {
  EXPECT_NEAR(actual, expected, 1e-9 * expected + 1e-15)
      << "actual " << actual << ", expected " << expected;
}

TEST(CostModel, RooflineTakesTheSlowerOfComputeAndMemory) {
  MachineDescription machine = gpu4();
  // 1e12 FLOPs at 0.5 x 20 TFLOP/s = 0.1 s; 1.6e9 bytes at 1.6 TB/s = 1 ms.
  expectClose(estimateComputeSeconds({1e12, 1e9, 0.6e9}, "f32", machine), 0.1);
  // bf16 has its own peak: 1e12 / (0.5 x 300e12).
  expectClose(estimateComputeSeconds({1e12, 0, 0}, "bf16", machine),
              1e12 / 150e12);
  // Memory-bound: 1e6 FLOPs, 16e9 bytes = 10 ms.
  expectClose(estimateComputeSeconds({1e6, 8e9, 8e9}, "f32", machine), 0.01);
  // Integers compute at the f32 peak.
  expectClose(getAchievableFlops(machine, "i64"), 10e12);
}

TEST(CostModel, RingAndTree) {
  // p = 4, n = 1 MB, alpha = 1 us, 1 GB/s.
  double n = 1e6, alpha = 1e-6, bw = 1e9;
  expectClose(estimateRingSeconds(CollectiveKind::AllReduce, n, 4, alpha, bw),
              2 * 3 * alpha + 2 * 0.75 * n / bw);
  expectClose(estimateTreeSeconds(CollectiveKind::AllReduce, n, 4, alpha, bw),
              2 * 2 * alpha + 2 * n / bw);
  expectClose(estimateRingSeconds(CollectiveKind::AllGather, n, 4, alpha, bw),
              3 * alpha + 0.75 * n / bw);
  expectClose(
      estimateRingSeconds(CollectiveKind::ReduceScatter, n, 4, alpha, bw),
      3 * alpha + 0.75 * n / bw);
  expectClose(estimateTreeSeconds(CollectiveKind::AllGather, n, 4, alpha, bw),
              2 * alpha + 0.75 * n / bw);
  expectClose(estimateRingSeconds(CollectiveKind::Broadcast, n, 4, alpha, bw),
              3 * alpha + n / bw);
  expectClose(estimateTreeSeconds(CollectiveKind::Broadcast, n, 5, alpha, bw),
              3 * alpha + n / bw);
  // One rank: nothing to do.
  EXPECT_EQ(estimateRingSeconds(CollectiveKind::AllReduce, n, 1, alpha, bw), 0);
}

TEST(CostModel, PlacementOfGroups) {
  MachineDescription machine = gpu4();
  // tp 4 (consecutive ranks) on 8 ranks: inside one node.
  GroupPlacement tp4 = placeGroup(1, 4, 8, machine);
  EXPECT_EQ(tp4.nodes, 1);
  EXPECT_EQ(tp4.ranksPerNode, 4);
  // tp 8: two nodes of 4.
  GroupPlacement tp8 = placeGroup(1, 8, 8, machine);
  EXPECT_EQ(tp8.nodes, 2);
  EXPECT_EQ(tp8.ranksPerNode, 4);
  EXPECT_EQ(tp8.concurrentGroupsPerNode, 1);
  // Stride 4 (a pipeline of tp-4 stages, or dp over tp 4): one rank per node,
  // and the 4 groups of a node share its network.
  GroupPlacement strided = placeGroup(4, 2, 8, machine);
  EXPECT_EQ(strided.nodes, 2);
  EXPECT_EQ(strided.ranksPerNode, 1);
  EXPECT_EQ(strided.concurrentGroupsPerNode, 4);
}

TEST(CostModel, FlatCollectivesTakeTheCheaperAlgorithm) {
  MachineDescription machine = gpu4();
  GroupPlacement tp4 = placeGroup(1, 4, 4, machine);
  // 64 MB: bandwidth-bound, the ring moves 2(p-1)/p n instead of 2n.
  CollectiveEstimate large =
      estimateCollective(CollectiveKind::AllReduce, 64e6, tp4, machine);
  EXPECT_EQ(large.algorithm, CollectiveAlgorithm::Ring);
  expectClose(large.seconds, 6 * 2e-6 + 1.5 * 64e6 / 100e9);
  // 8 bytes: latency-bound, the tree takes 2 log2(4) steps instead of 6.
  CollectiveEstimate small =
      estimateCollective(CollectiveKind::AllReduce, 8, tp4, machine);
  EXPECT_EQ(small.algorithm, CollectiveAlgorithm::Tree);
  expectClose(small.seconds, 4 * 2e-6 + 2 * 8 / 100e9);
}

TEST(CostModel, HierarchicalAllReduceAcrossNodes) {
  MachineDescription machine = gpu4();
  GroupPlacement tp8 = placeGroup(1, 8, 8, machine);
  double n = 64e6;
  // Intra-node reduce-scatter over 4 (tree: 2 steps of 2 us + 3/4 n / 100
  // GB/s), the network all-reduce of n/4 between 2 nodes by the 4 ranks of
  // a node at once (ring: 2 x 5 us + 2 x 1/2 x n/4 / (25 GB/s / 4)), the
  // intra-node all-gather (as the reduce-scatter).
  double intra = 2 * 2e-6 + 0.75 * n / 100e9;
  double inter = 2 * 5e-6 + 2 * 0.5 * (n / 4) / (25e9 / 4);
  CollectiveEstimate estimate =
      estimateCollective(CollectiveKind::AllReduce, n, tp8, machine);
  EXPECT_EQ(estimate.algorithm, CollectiveAlgorithm::Hierarchical);
  expectClose(estimate.seconds, intra + inter + intra);
  // The same group inside a node of 8 would be a flat ring: far cheaper.
  MachineDescription eight = machine;
  eight.devicesPerNode = 8;
  CollectiveEstimate inside = estimateCollective(
      CollectiveKind::AllReduce, n, placeGroup(1, 8, 8, eight), eight);
  expectClose(inside.seconds, 14 * 2e-6 + 2 * 7.0 / 8 * n / 100e9);
  EXPECT_GT(estimate.seconds, 3 * inside.seconds);
}

TEST(CostModel, OneRankPerNodeUsesTheNetworkShared) {
  MachineDescription machine = gpu4();
  // Ranks 0 and 4: two nodes, four such groups per node.
  GroupPlacement strided = placeGroup(4, 2, 8, machine);
  double n = 1e6;
  CollectiveEstimate estimate =
      estimateCollective(CollectiveKind::AllGather, n, strided, machine);
  // Ring and tree coincide for 2 ranks; the tree is kept only when cheaper.
  EXPECT_EQ(estimate.algorithm, CollectiveAlgorithm::Ring);
  expectClose(estimate.seconds, 5e-6 + 0.5 * n / (25e9 / 4));
}

TEST(CostModel, SendRecv) {
  MachineDescription machine = gpu4();
  expectClose(estimateSendRecvSeconds(1e6, false, 4, machine),
              2e-6 + 1e6 / 100e9);
  // Four transfers leave the node at once: a quarter of its bandwidth each.
  expectClose(estimateSendRecvSeconds(1e6, true, 4, machine),
              5e-6 + 1e6 / (25e9 / 4));
  EXPECT_EQ(estimateSendRecvSeconds(0, true, 4, machine), 0);
}

TEST(CostModel, PipelineStep) {
  expectClose(getPipelineBubbleFraction(4, 4), 3.0 / 7.0);
  EXPECT_EQ(getPipelineBubbleFraction(1, 8), 0);
  // Equal stages, free transfers: GPipe's (M + P - 1) x stage.
  expectClose(estimatePipelineStepSeconds({0.5, 0.5, 0.5, 0.5}, {0, 0, 0}, 4),
              7 * 0.5);
  // One stage: M x stage.
  expectClose(estimatePipelineStepSeconds({0.5}, {}, 3), 1.5);
  // Two stages of 1 s, a transfer of 0.5 s between them: the first
  // micro-batch takes 1 + 0.5 + 1, then one more every 1.5 s (both stages
  // are busy during the blocking transfer).
  expectClose(estimatePipelineStepSeconds({1, 1}, {0.5}, 1), 2.5);
  expectClose(estimatePipelineStepSeconds({1, 1}, {0.5}, 3), 2.5 + 2 * 1.5);
  // The slowest stage sets the period.
  expectClose(estimatePipelineStepSeconds({1, 2, 1}, {0, 0}, 5), 4 + 4 * 2);
}

} // namespace
