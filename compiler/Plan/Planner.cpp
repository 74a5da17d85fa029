//===- Planner.cpp - Choosing dp x tp x pp for a machine ------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// For each tensor-parallel degree T the model is partitioned once, with the
// passes `exaforge compile --tp T` runs, on a clone of the module: the
// per-rank program has the exact local shard types and collectives. Each
// (pipeline stages P, micro-batch count M) is then priced on that program:
// the stages are cut exactly as `dist-pipeline-partition` cuts them
// (balancePipelineStages on its nominal costs), and each stage's time on
// the target machine and memory are summed. See docs/design/cost-model.md.
//
//===----------------------------------------------------------------------===//

#include "compiler/Plan/Planner.h"

#include "compiler/Plan/Divisors.h"
#include "dialects/Dist/DistOps.h"
#include "dialects/Graph/GraphOps.h"
#include "dialects/Graph/ModelSignature.h"
#include "passes/Analysis/OpCost.h"
#include "passes/Dist/BatchDimension.h"
#include "passes/Dist/PipelineStages.h"
#include "passes/Dist/TensorParallel.h"
#include "passes/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <tuple>

using namespace mlir;
using namespace exaforge;
using namespace exaforge::plan;

/// `a + b` for counts, or INT64_MAX when the sum does not fit: a batch near
/// 2^63 has as many micro-batches, and each collective runs once per
/// micro-batch.
static int64_t addSaturated(int64_t a, int64_t b) {
  int64_t sum;
  return llvm::AddOverflow(a, b, sum) ? std::numeric_limits<int64_t>::max()
                                      : sum;
}

namespace {

//===----------------------------------------------------------------------===//
// The per-rank program of one tensor-parallel degree
//===----------------------------------------------------------------------===//

/// A weight of the per-rank program (a constant or a weight read) and
/// the positions of the ops that use it.
struct WeightUse {
  double bytes = 0;
  SmallVector<size_t> uses;
};

/// An activation: its type and the positions where it is live (from the op
/// that defines it, or the start for an input, to its last use, or the end
/// when it is returned).
struct ActivationLife {
  Type type;
  size_t first = 0, last = 0;
};

/// What the planner needs of the per-rank program for `tp` ranks.
struct Profile {
  int64_t tp = 1;
  OwningOpRef<ModuleOp> module;
  /// getPipelinedOps of @main.
  SmallVector<Operation *> ops;
  /// The element type each op computes in (MLIR spelling).
  SmallVector<std::string> elementTypes;
  /// The collective each op is, if any.
  SmallVector<std::optional<CollectiveKind>> collectives;
  SmallVector<WeightUse> weights;
  SmallVector<ActivationLife> activations;
};

/// The element type `op` computes in: that of its first floating-point
/// result or operand, else "f32".
std::string getComputeElementType(Operation *op) {
  auto floatElement = [](Value value) -> Type {
    auto shaped = dyn_cast<ShapedType>(value.getType());
    Type element = shaped ? shaped.getElementType() : value.getType();
    return isa<FloatType>(element) ? element : Type();
  };
  Type element;
  for (Value result : op->getResults())
    if (!element)
      element = floatElement(result);
  for (Value operand : op->getOperands())
    if (!element)
      element = floatElement(operand);
  if (!element)
    return "f32";
  std::string name;
  llvm::raw_string_ostream os(name);
  os << element;
  return name;
}

/// The collective `op` is, if any.
std::optional<CollectiveKind> getCollectiveKind(Operation *op) {
  if (isa<dist::AllReduceOp>(op))
    return CollectiveKind::AllReduce;
  // An all-to-all moves (p-1)/p of its data like an all-gather.
  if (isa<dist::AllGatherOp, dist::AllToAllOp>(op))
    return CollectiveKind::AllGather;
  if (isa<dist::ReduceScatterOp>(op))
    return CollectiveKind::ReduceScatter;
  if (isa<dist::BroadcastOp>(op))
    return CollectiveKind::Broadcast;
  return std::nullopt;
}

/// The bytes a collective moves: its full tensor (the result of an
/// all-gather, the operand otherwise).
double getCollectiveBytes(Operation *op, int64_t dynamicDimSize) {
  Value full =
      isa<dist::AllGatherOp>(op) ? op->getResult(0) : op->getOperand(0);
  return estimateNumBytes(full.getType(), dynamicDimSize);
}

/// Runs `build`'s passes on `module`; on failure returns the first error's
/// message instead of printing it.
FailureOr<std::string>
runCapturingErrors(ModuleOp module,
                   llvm::function_ref<void(OpPassManager &)> build) {
  std::string firstError;
  ScopedDiagnosticHandler handler(module.getContext(), [&](Diagnostic &diag) {
    if (diag.getSeverity() == DiagnosticSeverity::Error && firstError.empty())
      firstError = diag.str();
    return success();
  });
  PassManager pm(module.getContext());
  build(pm);
  if (succeeded(pm.run(module)))
    return std::string();
  return firstError.empty() ? std::string("the passes failed") : firstError;
}

/// Builds the profile of `optimized` partitioned over `tp` ranks; on failure
/// returns the reason in `error`.
std::optional<Profile> buildProfile(ModuleOp optimized, int64_t tp,
                                    std::string &error) {
  Profile profile;
  profile.tp = tp;
  profile.module = OwningOpRef<ModuleOp>(optimized.clone());
  if (tp > 1) {
    FailureOr<std::string> message =
        runCapturingErrors(*profile.module, [&](OpPassManager &pm) {
          buildTensorParallelPipeline(pm, tp);
        });
    if (failed(message) || !message->empty()) {
      error = failed(message) ? "the passes failed" : *message;
      return std::nullopt;
    }
  }
  func::FuncOp entry = graph::lookupModelFunction(*profile.module);
  profile.ops = dist::getPipelinedOps(entry);
  size_t numOps = profile.ops.size();
  llvm::DenseMap<Operation *, size_t> position;
  for (auto [index, op] : llvm::enumerate(profile.ops)) {
    position[op] = index;
    profile.elementTypes.push_back(getComputeElementType(op));
    profile.collectives.push_back(getCollectiveKind(op));
  }
  size_t end = numOps == 0 ? 0 : numOps - 1;
  auto usePositions = [&](Value value) {
    SmallVector<size_t> uses;
    for (Operation *user : value.getUsers()) {
      auto it = position.find(user);
      uses.push_back(it == position.end() ? end : it->second);
    }
    llvm::sort(uses);
    return uses;
  };
  for (BlockArgument argument : entry.getArguments()) {
    SmallVector<size_t> uses = usePositions(argument);
    if (!uses.empty())
      profile.activations.push_back({argument.getType(), 0, uses.back()});
  }
  for (Operation &op : entry.getBody().front().without_terminator()) {
    // Constants and weight reads: weights.
    if (dist::isMaterializedPerStage(&op)) {
      for (Value result : op.getResults())
        profile.weights.push_back(
            {estimateNumBytes(result.getType(), 1), usePositions(result)});
      continue;
    }
    size_t defined = position.lookup(&op);
    for (Value result : op.getResults()) {
      SmallVector<size_t> uses = usePositions(result);
      profile.activations.push_back(
          {result.getType(), defined,
           uses.empty() ? defined : std::max(defined, uses.back())});
    }
  }
  return profile;
}

//===----------------------------------------------------------------------===//
// Pricing one layout
//===----------------------------------------------------------------------===//

/// The prices of the per-rank program's ops at one micro-batch size.
struct ProgramPrices {
  /// Seconds of each op: its roofline time, or its collective's time.
  SmallVector<double> opSeconds;
  /// Whether op k is a collective, and its bytes.
  SmallVector<double> collectiveBytes;
  /// computeCrossingBytes.
  SmallVector<double> crossingBytes;
  /// Bytes of the activations live while op k runs.
  SmallVector<double> liveBytes;
};

ProgramPrices priceProgram(const Profile &profile, int64_t microBatchSize,
                           const GroupPlacement &tpGroup,
                           const MachineDescription &machine) {
  size_t numOps = profile.ops.size();
  ProgramPrices prices;
  prices.opSeconds.resize(numOps, 0);
  prices.collectiveBytes.resize(numOps, 0);
  for (size_t k = 0; k < numOps; ++k) {
    Operation *op = profile.ops[k];
    if (std::optional<CollectiveKind> kind = profile.collectives[k]) {
      double bytes = getCollectiveBytes(op, microBatchSize);
      prices.collectiveBytes[k] = bytes;
      prices.opSeconds[k] =
          estimateCollective(*kind, bytes, tpGroup, machine).seconds;
      continue;
    }
    prices.opSeconds[k] = estimateComputeSeconds(
        estimateOpCost(op, microBatchSize), profile.elementTypes[k], machine);
  }
  prices.crossingBytes =
      dist::computeCrossingBytes(profile.ops, microBatchSize);
  SmallVector<double> delta(numOps + 1, 0);
  for (const ActivationLife &life : profile.activations) {
    double bytes = estimateNumBytes(life.type, microBatchSize);
    delta[life.first] += bytes;
    delta[life.last + 1] -= bytes;
  }
  prices.liveBytes.resize(numOps, 0);
  double running = 0;
  for (size_t k = 0; k < numOps; ++k) {
    running += delta[k];
    prices.liveBytes[k] = running;
  }
  return prices;
}

/// The node of `rank`.
int64_t nodeOf(int64_t rank, const MachineDescription &machine) {
  return rank / std::max<int64_t>(1, machine.devicesPerNode);
}

/// Prices `layout` (dp, tp, pp, micro-batches and stage cuts set) on
/// `profile`. Returns false when the cuts are not `pp` stages.
bool priceLayout(const Profile &profile, const MachineDescription &machine,
                 int64_t ranks, Layout &layout) {
  int64_t tp = layout.tp, pp = layout.pp;
  layout.tpGroup = placeGroup(/*stride=*/1, tp, ranks, machine);
  ProgramPrices prices =
      priceProgram(profile, layout.microBatchSize, layout.tpGroup, machine);
  size_t numOps = profile.ops.size();

  // The transfer after stage s goes from rank s*tp+t to rank (s+1)*tp+t of
  // the first replica; `crossing[s]` of its tp pairs leave their node.
  SmallVector<int64_t> crossingPairs(std::max<int64_t>(pp - 1, 0), 0);
  int64_t worstPairs = 0;
  for (int64_t s = 0; s + 1 < pp; ++s) {
    for (int64_t t = 0; t < tp; ++t)
      if (nodeOf(s * tp + t, machine) != nodeOf((s + 1) * tp + t, machine))
        ++crossingPairs[s];
    worstPairs = std::max(worstPairs, crossingPairs[s]);
  }
  layout.ppCrossesNodes = worstPairs > 0;
  auto transferSeconds = [&](double bytes, int64_t pairs) {
    return estimateSendRecvSeconds(
        bytes, pairs > 0, std::min(pairs, machine.devicesPerNode), machine);
  };

  if (layout.stageStarts.size() != static_cast<size_t>(pp))
    return false;

  double slowest = -1;
  SmallVector<double> stageWork, stageTransfers;
  double microBatches = static_cast<double>(layout.microBatches);
  layout.tpCommBytesPerStep = layout.ppCommBytesPerStep = 0;
  layout.tpCollectivesPerStep = layout.tpAllReducesPerStep = 0;
  layout.memoryPerDeviceBytes = 0;
  for (int64_t s = 0; s < pp; ++s) {
    size_t begin = layout.stageStarts[s];
    size_t end = s + 1 < pp ? layout.stageStarts[s + 1] : numOps;
    double compute = 0, collective = 0, largestCollective = 0, peakLive = 0;
    for (size_t k = begin; k < end; ++k) {
      peakLive = std::max(peakLive, prices.liveBytes[k]);
      if (!profile.collectives[k]) {
        compute += prices.opSeconds[k];
        continue;
      }
      collective += prices.opSeconds[k];
      largestCollective =
          std::max(largestCollective, prices.collectiveBytes[k]);
      if (tp > 1) {
        layout.tpCommBytesPerStep += microBatches * prices.collectiveBytes[k];
        layout.tpCollectivesPerStep =
            addSaturated(layout.tpCollectivesPerStep, layout.microBatches);
        if (*profile.collectives[k] == CollectiveKind::AllReduce)
          layout.tpAllReducesPerStep =
              addSaturated(layout.tpAllReducesPerStep, layout.microBatches);
      }
    }
    double received = s > 0 ? prices.crossingBytes[begin] : 0;
    double sent = s + 1 < pp ? prices.crossingBytes[end] : 0;
    double transfers = 0;
    if (s > 0)
      transfers += transferSeconds(received, crossingPairs[s - 1]);
    if (s + 1 < pp) {
      stageTransfers.push_back(transferSeconds(sent, crossingPairs[s]));
      transfers += stageTransfers.back();
      layout.ppCommBytesPerStep += microBatches * sent;
    }
    stageWork.push_back(compute + collective);
    double stageSeconds = compute + collective + transfers;
    if (stageSeconds > slowest) {
      slowest = stageSeconds;
      layout.computeSeconds = microBatches * compute;
      layout.collectiveSeconds = microBatches * collective;
      layout.sendRecvSeconds = microBatches * transfers;
    }

    double weights = 0;
    for (const WeightUse &weight : profile.weights) {
      auto it = llvm::lower_bound(weight.uses, begin);
      if (it != weight.uses.end() && *it < end)
        weights += weight.bytes;
    }
    // Received and sent values are double-buffered (the next micro-batch
    // arrives while this one is computed); a collective stages its tensor.
    double buffers = 2 * (received + sent) + largestCollective;
    double memory = weights + peakLive + buffers;
    if (memory > layout.memoryPerDeviceBytes) {
      layout.memoryPerDeviceBytes = memory;
      layout.weightBytesPerDevice = weights;
      layout.activationBytesPerDevice = peakLive;
      layout.bufferBytesPerDevice = buffers;
    }
  }
  layout.stepSeconds = estimatePipelineStepSeconds(stageWork, stageTransfers,
                                                   layout.microBatches);
  layout.bubbleSeconds = layout.stepSeconds - layout.computeSeconds -
                         layout.collectiveSeconds - layout.sendRecvSeconds;
  layout.bubbleSeconds = std::max(layout.bubbleSeconds, 0.0);
  layout.fits = layout.memoryPerDeviceBytes <= machine.device.memoryBytes;
  return true;
}

/// The micro-batch counts tried for a pipeline of `stages` stages and a
/// local batch of `localBatch` samples: the divisors of the batch from
/// min(stages, localBatch) up (with fewer micro-batches than stages a stage
/// idles more than half of the step), or when there are more than 16 of
/// them the powers of two among them and the batch itself.
SmallVector<int64_t> getMicroBatchCounts(int64_t stages, int64_t localBatch) {
  int64_t least = std::min(stages, localBatch);
  SmallVector<int64_t> counts;
  for (int64_t count : getDivisors(localBatch))
    if (count >= least)
      counts.push_back(count);
  if (counts.size() <= 16)
    return counts;
  SmallVector<int64_t> fewer;
  for (int64_t count : counts)
    if (llvm::isPowerOf2_64(count) || count == localBatch)
      fewer.push_back(count);
  return fewer;
}

/// Whether @main of `module` has an input whose dimension 0
/// is symbolic: the batch the data-parallel pass splits.
bool hasSymbolicBatch(func::FuncOp entry) {
  for (BlockArgument argument : entry.getArguments()) {
    auto type = dyn_cast<RankedTensorType>(argument.getType());
    if (type && type.getRank() > 0 && type.isDynamicDim(0))
      return true;
  }
  return false;
}

/// Orders layouts: faster first, then less memory, then the simpler layout.
bool isBetter(const Layout &a, const Layout &b) {
  return std::make_tuple(a.stepSeconds, a.memoryPerDeviceBytes, a.pp, a.tp,
                         a.microBatches) <
         std::make_tuple(b.stepSeconds, b.memoryPerDeviceBytes, b.pp, b.tp,
                         b.microBatches);
}

} // namespace

//===----------------------------------------------------------------------===//
// Formatting and explanations
//===----------------------------------------------------------------------===//

std::string plan::formatSeconds(double seconds) {
  std::string text;
  llvm::raw_string_ostream os(text);
  if (seconds >= 1)
    os << llvm::format("%.3f s", seconds);
  else if (seconds >= 1e-3)
    os << llvm::format("%.3f ms", seconds * 1e3);
  else
    os << llvm::format("%.3f us", seconds * 1e6);
  return text;
}

std::string plan::formatBytes(double bytes) {
  static const char *kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int unit = 0;
  while (bytes >= 1024 && unit < 4) {
    bytes /= 1024;
    ++unit;
  }
  std::string text;
  llvm::raw_string_ostream os(text);
  if (unit == 0)
    os << llvm::format("%.0f B", bytes);
  else
    os << llvm::format("%.1f %s", bytes, kUnits[unit]);
  return text;
}

/// `a / b` as "3.1x", or "much more" when `b` is 0.
static std::string formatRatio(double a, double b) {
  std::string text;
  llvm::raw_string_ostream os(text);
  if (b > 0)
    os << llvm::format("%.1fx", a / b);
  else
    os << "+" << formatSeconds(a);
  return text;
}

std::string plan::explainLoss(const Layout &layout, const Layout &best) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::format(
      "%.2fx slower: ",
      best.stepSeconds > 0 ? layout.stepSeconds / best.stepSeconds : 1.0);
  double compute = layout.computeSeconds - best.computeSeconds;
  double collective = layout.collectiveSeconds - best.collectiveSeconds;
  double transfers = layout.sendRecvSeconds - best.sendRecvSeconds;
  double bubble = layout.bubbleSeconds - best.bubbleSeconds;
  double worst = std::max({compute, collective, transfers, bubble});
  auto versus = [&](double mine, double theirs) {
    std::string part;
    llvm::raw_string_ostream ps(part);
    if (theirs > 0)
      ps << formatRatio(mine, theirs) << " the best's (" << formatSeconds(mine)
         << " vs " << formatSeconds(theirs) << ")";
    else
      ps << formatSeconds(mine) << " per step, the best has none";
    return part;
  };
  if (worst <= 0) {
    os << "equally fast, needs more memory or more parts";
  } else if (worst == collective) {
    if (layout.tpGroup.nodes > 1)
      os << "tp " << layout.tp << " spans " << layout.tpGroup.nodes
         << " nodes: collectives over the network take ";
    else
      os << "tp " << layout.tp << " collectives take ";
    os << versus(layout.collectiveSeconds, best.collectiveSeconds);
  } else if (worst == bubble) {
    os << llvm::format(
              "pipeline bubble (%lld-1)/(%lld+%lld-1) = %.0f%% of "
              "the step (",
              static_cast<long long>(layout.pp),
              static_cast<long long>(layout.microBatches),
              static_cast<long long>(layout.pp),
              100 * getPipelineBubbleFraction(layout.pp, layout.microBatches))
       << formatSeconds(layout.bubbleSeconds) << ")";
  } else if (worst == transfers) {
    os << "pipeline transfers"
       << (layout.ppCrossesNodes ? " over the network" : "") << " take "
       << versus(layout.sendRecvSeconds, best.sendRecvSeconds);
  } else {
    os << "compute on the slowest device takes "
       << versus(layout.computeSeconds, best.computeSeconds);
  }
  return text;
}

//===----------------------------------------------------------------------===//
// The planner
//===----------------------------------------------------------------------===//

FailureOr<PlanResult> plan::planModel(ModuleOp module,
                                      const MachineDescription &machine,
                                      const PlannerOptions &options) {
  Location loc = module.getLoc();
  if (options.nodes < 1)
    return emitError(loc) << "the number of nodes must be positive, not "
                          << options.nodes;
  if (options.nodes > machine.nodes)
    return emitError(loc) << "machine '" << machine.name << "' has "
                          << machine.nodes
                          << (machine.nodes == 1 ? " node" : " nodes")
                          << ", not " << options.nodes;
  if (machine.devicesPerNode < 1 || machine.device.memoryBytes <= 0 ||
      machine.device.memoryBandwidth <= 0 || machine.intraNode.bandwidth <= 0 ||
      machine.interNode.bandwidth <= 0)
    return emitError(loc) << "machine '" << machine.name
                          << "' lacks devices per node, memory, memory "
                             "bandwidth or link bandwidths";
  if (options.batch < 0)
    return emitError(loc) << "the batch must be positive, not "
                          << options.batch;

  PlanResult result;
  result.ranks = options.nodes * machine.devicesPerNode;

  // Optimize once, as `exaforge compile` does before partitioning.
  OwningOpRef<ModuleOp> optimized(module.clone());
  {
    PassManager pm(module.getContext());
    buildGraphOptimizationPipeline(pm);
    if (failed(pm.run(*optimized)))
      return failure();
  }
  func::FuncOp entry = graph::lookupModelFunction(*optimized);
  if (!entry)
    return emitError(loc) << "the model has no @main function";
  result.symbolicBatch = hasSymbolicBatch(entry);
  result.batch = !result.symbolicBatch ? 1
                 : options.batch > 0   ? options.batch
                                       : result.ranks;
  if (options.reportOpsWithoutShardingRule && result.ranks > 1)
    dist::reportOpsWithoutShardingRule(entry);

  std::map<std::tuple<int64_t, int64_t, int64_t>, Layout> bestPerShape;
  bool haveSmallest = false;
  for (int64_t tp : getDivisors(result.ranks)) {
    std::string error;
    std::optional<Profile> profile = buildProfile(*optimized, tp, error);
    if (!profile) {
      result.notes.push_back("tp " + std::to_string(tp) +
                             " not priced: " + error);
      continue;
    }
    for (int64_t pp : getDivisors(result.ranks / tp)) {
      if (static_cast<size_t>(pp) > profile->ops.size())
        continue;
      int64_t dp = result.ranks / (tp * pp);
      if (result.batch % dp != 0)
        continue;
      int64_t localBatch = result.batch / dp;
      SmallVector<int64_t> counts =
          pp == 1 || !result.symbolicBatch ? SmallVector<int64_t>{1}
          : options.microBatches > 0
              ? SmallVector<int64_t>{std::min(options.microBatches, localBatch)}
              : getMicroBatchCounts(pp, localBatch);
      // The cuts the compiler makes (one stage: the whole program).
      FailureOr<SmallVector<size_t>> starts =
          pp == 1 ? FailureOr<SmallVector<size_t>>(SmallVector<size_t>{0})
                  : dist::cutPipelineStages(profile->ops, pp);
      if (failed(starts))
        continue;
      for (int64_t microBatches : counts) {
        Layout layout;
        layout.stageStarts = *starts;
        layout.dp = dp;
        layout.tp = tp;
        layout.pp = pp;
        layout.microBatches = microBatches;
        layout.microBatchSize = localBatch / microBatches;
        if (!priceLayout(*profile, machine, result.ranks, layout))
          continue;
        if (!haveSmallest || layout.memoryPerDeviceBytes <
                                 result.smallest.memoryPerDeviceBytes) {
          result.smallest = layout;
          haveSmallest = true;
        }
        if (!layout.fits)
          continue;
        auto key = std::make_tuple(dp, tp, pp);
        auto it = bestPerShape.find(key);
        if (it == bestPerShape.end() || isBetter(layout, it->second))
          bestPerShape[key] = layout;
      }
    }
  }
  for (auto &entry : bestPerShape)
    result.layouts.push_back(entry.second);
  llvm::sort(result.layouts, isBetter);
  for (size_t i = 1; i < result.layouts.size(); ++i)
    result.layouts[i].whyNotBest =
        explainLoss(result.layouts[i], result.layouts.front());
  if (!haveSmallest && result.layouts.empty())
    return emitError(loc) << "no layout of " << result.ranks
                          << " ranks divides the batch of " << result.batch;
  return result;
}
