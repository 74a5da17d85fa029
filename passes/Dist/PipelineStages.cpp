//===- PipelineStages.cpp - Cutting a program into pipeline stages --------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "passes/Dist/PipelineStages.h"

#include "passes/Analysis/OpCost.h"

#include "dialects/Graph/GraphOps.h"

#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/DenseMap.h"

#include <limits>

using namespace mlir;
using namespace exaforge;

bool dist::isMaterializedPerStage(Operation *op) {
  return op->hasTrait<OpTrait::ConstantLike>() || isa<graph::WeightRefOp>(op);
}

SmallVector<Operation *> dist::getPipelinedOps(Operation *function) {
  SmallVector<Operation *> ops;
  Block &body = function->getRegion(0).front();
  for (Operation &op : body.without_terminator())
    if (!isMaterializedPerStage(&op))
      ops.push_back(&op);
  return ops;
}

/// Calls `crosses(value, first, last)` for each result of `ops` used after
/// its op: it crosses the cuts `first..last` (positions before `ops[first]`
/// to before `ops[last]`; `last == ops.size()` when it is returned).
static void
forEachCrossingValue(ArrayRef<Operation *> ops,
                     llvm::function_ref<void(Value, size_t, size_t)> crosses) {
  llvm::DenseMap<Operation *, size_t> position;
  for (auto [index, op] : llvm::enumerate(ops))
    position[op] = index;
  for (auto [defIndex, op] : llvm::enumerate(ops)) {
    for (Value result : op->getResults()) {
      size_t lastUse = defIndex;
      for (Operation *user : result.getUsers()) {
        // A use inside a region (graph.if, graph.loop) is a use by the op
        // holding it.
        while (user && !position.count(user))
          user = user->getParentOp();
        auto it = position.find(user);
        lastUse =
            std::max(lastUse, it == position.end() ? ops.size() : it->second);
      }
      if (lastUse > defIndex)
        crosses(result, defIndex + 1, lastUse);
    }
  }
}

SmallVector<double> dist::computeCrossingBytes(ArrayRef<Operation *> ops,
                                               int64_t dynamicDimSize) {
  size_t numOps = ops.size();
  // A difference array over the positions.
  SmallVector<double> delta(numOps + 2, 0);
  forEachCrossingValue(ops, [&](Value value, size_t first, size_t last) {
    double bytes = estimateNumBytes(value.getType(), dynamicDimSize);
    delta[first] += bytes;
    delta[last + 1] -= bytes;
  });
  SmallVector<double> crossing(numOps + 1, 0);
  double running = 0;
  for (size_t k = 0; k <= numOps; ++k) {
    running += delta[k];
    crossing[k] = running;
  }
  crossing[0] = crossing[numOps] = 0;
  return crossing;
}

SmallVector<SmallVector<Value>>
dist::getCrossingValues(ArrayRef<Operation *> ops) {
  SmallVector<SmallVector<Value>> crossing(ops.size() + 1);
  forEachCrossingValue(ops, [&](Value value, size_t first, size_t last) {
    // Nothing crosses the end: the results stay on the last stage.
    for (size_t k = first; k <= last && k < ops.size(); ++k)
      crossing[k].push_back(value);
  });
  return crossing;
}

/// The nominal machine of cutPipelineStages (only the ratios matter): a few
/// CPU cores, their memory, and the link between two ranks.
static constexpr double kNominalFlopsPerSecond = 1e11;
static constexpr double kNominalMemoryBytesPerSecond = 2e10;
static constexpr double kNominalLinkBytesPerSecond = 5e9;
static constexpr double kNominalLinkLatencySeconds = 5e-6;

FailureOr<SmallVector<size_t>>
dist::cutPipelineStages(ArrayRef<Operation *> ops, int64_t stages) {
  SmallVector<double> opCosts;
  for (Operation *op : ops) {
    OpCost cost = estimateOpCost(op, /*dynamicDimSize=*/1);
    opCosts.push_back(std::max(cost.flops / kNominalFlopsPerSecond,
                               (cost.bytesRead + cost.bytesWritten) /
                                   kNominalMemoryBytesPerSecond));
  }
  SmallVector<double> boundaryCosts;
  for (double bytes : computeCrossingBytes(ops, /*dynamicDimSize=*/1))
    boundaryCosts.push_back(bytes == 0
                                ? 0
                                : kNominalLinkLatencySeconds +
                                      bytes / kNominalLinkBytesPerSecond);
  return balancePipelineStages(opCosts, boundaryCosts, stages);
}

FailureOr<SmallVector<size_t>>
dist::balancePipelineStages(ArrayRef<double> opCosts,
                            ArrayRef<double> boundaryCosts, int64_t stages) {
  size_t numOps = opCosts.size();
  if (stages < 1 || numOps < static_cast<size_t>(stages) ||
      boundaryCosts.size() != numOps + 1)
    return failure();
  SmallVector<double> prefix(numOps + 1, 0);
  for (size_t i = 0; i < numOps; ++i)
    prefix[i + 1] = prefix[i] + opCosts[i];
  auto stageCost = [&](size_t begin, size_t end) {
    return prefix[end] - prefix[begin] + boundaryCosts[begin] +
           boundaryCosts[end];
  };
  // best[s][j]: the slowest stage when ops [0, j) form s+1 stages;
  // start[s][j]: where the last of them begins.
  constexpr double kInfinity = std::numeric_limits<double>::infinity();
  std::vector<std::vector<double>> best(
      stages, std::vector<double>(numOps + 1, kInfinity));
  std::vector<std::vector<size_t>> start(stages,
                                         std::vector<size_t>(numOps + 1, 0));
  for (size_t j = 1; j <= numOps; ++j)
    best[0][j] = stageCost(0, j);
  for (int64_t s = 1; s < stages; ++s) {
    for (size_t j = s + 1; j <= numOps; ++j) {
      for (size_t i = s; i < j; ++i) {
        double slowest = std::max(best[s - 1][i], stageCost(i, j));
        if (slowest < best[s][j]) {
          best[s][j] = slowest;
          start[s][j] = i;
        }
      }
    }
  }
  SmallVector<size_t> starts(stages, 0);
  size_t end = numOps;
  for (int64_t s = stages - 1; s > 0; --s) {
    starts[s] = start[s][end];
    end = starts[s];
  }
  return starts;
}
