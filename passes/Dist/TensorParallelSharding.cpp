//===- TensorParallelSharding.cpp - Decide the tensor-parallel layouts ----===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `dist-tensor-parallel-sharding` (see Passes.td): a forward
// propagation of layouts over the "tp" axis through @main, repeated until no
// split value needs gathering. Each op states its own rule
// (ShardingRuleOpInterface); an op without one is replicated.
//
//===----------------------------------------------------------------------===//

#include "passes/Dist/Mesh.h"
#include "passes/Dist/Passes.h"
#include "passes/Dist/TensorParallel.h"

#include "dialects/Graph/GraphOps.h"
#include "dialects/Graph/ModelSignature.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SetVector.h"

namespace exaforge::dist {
#define GEN_PASS_DEF_DISTTENSORPARALLELSHARDING
#include "passes/Dist/Passes.h.inc"
} // namespace exaforge::dist

using namespace mlir;
using namespace exaforge;
using namespace exaforge::dist;

namespace {

using Layout = TensorParallelLayout;

/// The state of a value during the propagation: its layout and, for a split
/// value, the column-parallel layers whose split reaches it.
struct ValueState {
  Layout layout;
  llvm::SmallSetVector<Operation *, 4> origins;
};

/// Returns true when `value` is a `graph.constant` (its layout is free: the
/// compiler slices it for each rank).
bool isConstant(Value value) {
  return graph::ShardingContext::isConstant(value);
}

/// The rank of `value`'s ranked tensor type, or -1.
int64_t getRank(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type ? type.getRank() : -1;
}

/// Returns true when `decision` gives an operand and a result layout for
/// each of `op`'s operands and results, and no partial layout but sums (the
/// only reduction `#dist.sharding` records).
bool isUsable(Operation *op, const graph::ShardingDecision &decision) {
  auto isRecordable = [](const Layout &layout) {
    return !layout.isPartial() ||
           layout.reduction == mlir::shard::ReductionKind::Sum;
  };
  return decision.operands.size() == op->getNumOperands() &&
         decision.results.size() == op->getNumResults() &&
         llvm::all_of(decision.operands, isRecordable) &&
         llvm::all_of(decision.results, isRecordable);
}

struct DistTensorParallelShardingPass
    : exaforge::dist::impl::DistTensorParallelShardingBase<
          DistTensorParallelShardingPass> {
  using DistTensorParallelShardingBase::DistTensorParallelShardingBase;

  /// The layouts of the values of @main in the current round.
  DenseMap<Value, ValueState> states;
  /// The linear layers that must not be column-parallel: their split would
  /// have to be gathered again.
  llvm::SmallPtrSet<Operation *, 8> demoted;
  /// The decision of every op of @main in the current round.
  DenseMap<Operation *, graph::ShardingDecision> decisions;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (ranks < 1) {
      module.emitError("tensor parallelism needs at least one rank, got ")
          << ranks.getValue();
      return signalPassFailure();
    }
    if (ranks == 1)
      return;
    func::FuncOp main = graph::lookupModelFunction(module);
    if (!main || main.isExternal()) {
      module.emitError("tensor parallelism needs a @main function with a body");
      return signalPassFailure();
    }
    if (!main.getBody().hasOneBlock()) {
      main.emitError("tensor parallelism needs @main to have a single block");
      return signalPassFailure();
    }
    if (failed(getOrDeclareMeshAxis(module, kTensorParallelAxis, ranks)))
      return signalPassFailure();

    // Each round that finds a split value some op cannot consume keeps the
    // layers that split it whole; each round demotes at least one layer.
    while (true) {
      llvm::SetVector<Operation *> blamed = propagate(main);
      size_t before = demoted.size();
      demoted.insert(blamed.begin(), blamed.end());
      if (demoted.size() == before)
        break;
    }
    annotate(main);
    warnWhenNothingIsSplit(main);
  }

  /// Warns, at @main, when no op splits any operand or result over "tp":
  /// the artifact is valid, but each of its `ranks` ranks computes the
  /// whole model (the model has no op that starts a split, or none of their
  /// dimensions divides by `ranks`).
  void warnWhenNothingIsSplit(func::FuncOp main) {
    for (const auto &entry : decisions) {
      auto isSplit = [](const Layout &layout) { return !layout.isReplicated(); };
      if (llvm::any_of(entry.second.operands, isSplit) ||
          llvm::any_of(entry.second.results, isSplit))
        return;
    }
    main.emitWarning("tensor parallelism over ")
        << ranks.getValue()
        << " ranks splits nothing: no op's sharding rule splits a tensor "
        << ranks.getValue()
        << " ways (only ops such as MatMul, Gemm and Conv start a split, "
           "along a dimension that the ranks divide), so every rank computes "
           "the whole model";
  }

  /// The propagation state the ops' rules read.
  struct Context final : graph::ShardingContext {
    const DistTensorParallelShardingPass &pass;
    explicit Context(const DistTensorParallelShardingPass &pass)
        : pass(pass) {}

    /// The layout of `value` in the current round (arguments and constants
    /// are replicated over "tp").
    Layout getLayout(Value value) const override {
      auto it = pass.states.find(value);
      return it == pass.states.end() ? Layout::replicated()
                                     : it->second.layout;
    }
    int64_t getNumRanks() const override { return pass.ranks; }
    bool mayBeColumnParallel(Operation *op) const override {
      return !pass.demoted.count(op);
    }
  };

  /// The rule of `op`, or nullopt when it has none or cannot consume its
  /// operands in their layouts (the caller then makes everything
  /// replicated).
  std::optional<graph::ShardingDecision> decide(Operation *op) {
    auto rule = dyn_cast<graph::ShardingRuleOpInterface>(op);
    if (!rule)
      return std::nullopt;
    std::optional<graph::ShardingDecision> decision =
        rule.decideSharding(Context(*this));
    if (!decision || !isUsable(op, *decision))
      return std::nullopt;
    return decision;
  }

  /// Runs one round of propagation over @main and returns the
  /// column-parallel layers whose split some op had to gather.
  llvm::SetVector<Operation *> propagate(func::FuncOp main) {
    states.clear();
    decisions.clear();
    llvm::SetVector<Operation *> blamed;
    for (Operation &op : main.getBody().front()) {
      if (isa<graph::ConstantOp>(op))
        continue;
      std::optional<graph::ShardingDecision> decision = decide(&op);
      if (!decision)
        decision = graph::ShardingDecision::replicated(&op);
      llvm::SmallSetVector<Operation *, 4> origins;
      if (decision->columnParallel)
        origins.insert(&op);
      for (auto [operand, required] :
           llvm::zip_equal(op.getOperands(), decision->operands)) {
        if (isConstant(operand))
          continue;
        auto it = states.find(operand);
        if (it == states.end())
          continue;
        if (it->second.layout.isSplit() && it->second.layout != required)
          blamed.insert(it->second.origins.begin(), it->second.origins.end());
        if (required.isSplit())
          origins.insert(it->second.origins.begin(), it->second.origins.end());
      }
      // The regions of graph.if and graph.loop run whole on every rank: the
      // values they use from outside must not be split.
      llvm::SetVector<Value> captured;
      getUsedValuesDefinedAbove(op.getRegions(), captured);
      for (Value value : captured) {
        auto it = states.find(value);
        if (it != states.end() && it->second.layout.isSplit())
          blamed.insert(it->second.origins.begin(), it->second.origins.end());
      }
      for (auto [result, layout] :
           llvm::zip_equal(op.getResults(), decision->results)) {
        ValueState &state = states[result];
        state.layout = layout;
        if (layout.isSplit())
          state.origins = origins;
      }
      decisions[&op] = std::move(*decision);
    }
    return blamed;
  }

  /// Writes the decisions of the last round as annotations.
  void annotate(func::FuncOp main) {
    MLIRContext *context = &getContext();
    Builder builder(context);
    for (Operation &op : main.getBody().front()) {
      auto it = decisions.find(&op);
      if (it == decisions.end())
        continue;
      auto toAttrs = [&](ValueRange values, ArrayRef<Layout> layouts) {
        SmallVector<Attribute> attrs;
        for (auto [value, layout] : llvm::zip_equal(values, layouts))
          attrs.push_back(toShardingAttr(layout, context,
                                         std::max<int64_t>(0, getRank(value))));
        return builder.getArrayAttr(attrs);
      };
      op.setAttr(kOperandShardingsAttrName,
                 toAttrs(op.getOperands(), it->second.operands));
      op.setAttr(kResultShardingsAttrName,
                 toAttrs(op.getResults(), it->second.results));
    }
  }
};

} // namespace
