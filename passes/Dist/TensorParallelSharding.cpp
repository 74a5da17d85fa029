//===- TensorParallelSharding.cpp - Decide the tensor-parallel layouts ----===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `dist-tensor-parallel-sharding` (see Passes.td): a forward
// propagation of layouts over the "tp" axis through @main, with one rule per
// op kind, repeated until no split value needs gathering.
//
//===----------------------------------------------------------------------===//

#include "passes/Dist/Mesh.h"
#include "passes/Dist/Passes.h"
#include "passes/Dist/TensorParallel.h"

#include "dialects/Graph/GraphOps.h"
#include "dialects/Graph/ModelSignature.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
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

/// What an op does with the layouts of its operands: the layout in which it
/// consumes each operand and produces each result, and whether it is a
/// column-parallel linear layer (the origin of the split values it feeds).
struct Decision {
  SmallVector<Layout> operands;
  SmallVector<Layout> results;
  bool columnParallel = false;
};

/// The state of a value during the propagation: its layout and, for a split
/// value, the column-parallel layers whose split reaches it.
struct ValueState {
  Layout layout;
  llvm::SmallSetVector<Operation *, 4> origins;
};

/// Returns true when `value` is a `graph.constant` (its layout is free: the
/// compiler slices it for each rank).
bool isConstant(Value value) {
  return value.getDefiningOp<graph::ConstantOp>() != nullptr;
}

/// The static size of dimension `dim` of `value`, or nullopt.
std::optional<int64_t> getStaticDim(Value value, int64_t dim) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || dim < 0 || dim >= type.getRank() || type.isDynamicDim(dim))
    return std::nullopt;
  return type.getDimSize(dim);
}

/// The rank of `value`'s ranked tensor type, or -1.
int64_t getRank(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type ? type.getRank() : -1;
}

/// Normalizes a possibly negative `axis` of a tensor of rank `rank`.
int64_t normalizeAxis(int64_t axis, int64_t rank) {
  return axis < 0 ? axis + rank : axis;
}

/// Where the row-major order of a Reshape from `in` to `out` carries a
/// split of input dimension `dim` over `ranks` ranks: the output dimension
/// whose blocks of `out[e] / ranks` hold exactly the blocks of `in[dim] /
/// ranks`, or nullopt. Leading dimensions the two shapes share (the batch,
/// possibly dynamic) are skipped; the rest must be static.
std::optional<int64_t> mapSplitThroughReshape(ArrayRef<int64_t> in,
                                              ArrayRef<int64_t> out,
                                              int64_t dim, int64_t ranks) {
  size_t common = 0;
  while (common < in.size() && common < out.size() &&
         in[common] == out[common] && common < static_cast<size_t>(dim))
    ++common;
  if (static_cast<size_t>(dim) < common)
    return std::nullopt;
  for (size_t i = common; i < in.size(); ++i)
    if (ShapedType::isDynamic(in[i]))
      return std::nullopt;
  for (size_t i = common; i < out.size(); ++i)
    if (ShapedType::isDynamic(out[i]))
      return std::nullopt;
  if (in[dim] % ranks != 0)
    return std::nullopt;
  int64_t before = 1;
  for (size_t i = common; i < static_cast<size_t>(dim); ++i)
    before *= in[i];
  int64_t prefix = 1;
  for (size_t e = common; e < out.size(); ++e) {
    if (prefix == before) {
      int64_t size = out[e];
      bool nested = size >= in[dim] ? size % in[dim] == 0 : in[dim] % size == 0;
      if (size % ranks == 0 && nested)
        return static_cast<int64_t>(e);
    }
    if (prefix > before)
      return std::nullopt;
    prefix *= out[e];
  }
  return std::nullopt;
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
  DenseMap<Operation *, Decision> decisions;

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
  }

  /// The layout of `value` in the current round (arguments are replicated
  /// over "tp").
  Layout layoutOf(Value value) {
    auto it = states.find(value);
    return it == states.end() ? Layout::replicated() : it->second.layout;
  }

  /// Returns true when constant `value` can be split along `dim`.
  bool canSplitConstant(Value value, int64_t dim) {
    std::optional<int64_t> size = getStaticDim(value, dim);
    return size && *size % ranks == 0;
  }

  /// The layout an operand takes to match a result split along `resultDim`
  /// (by numpy broadcasting), or nullopt when it cannot: a constant is
  /// sliced, a split value must already be split there, a dimension of
  /// size 1 or a missing one stays replicated.
  std::optional<Layout> alignOperand(Value operand, int64_t resultDim,
                                     int64_t resultRank) {
    int64_t dim = resultDim - (resultRank - getRank(operand));
    if (dim < 0 || getStaticDim(operand, dim) == 1) {
      if (layoutOf(operand).isSplit())
        return std::nullopt;
      return Layout::replicated();
    }
    if (isConstant(operand))
      return canSplitConstant(operand, dim) ? std::optional(Layout::split(dim))
                                            : std::nullopt;
    if (layoutOf(operand) == Layout::split(dim))
      return Layout::split(dim);
    return std::nullopt;
  }

  /// Elementwise ops with numpy broadcasting. Add and Sub keep a partial
  /// sum partial (a constant operand is then added on one rank only).
  std::optional<Decision> decideElementwise(Operation *op, bool linear) {
    Decision decision;
    int64_t resultRank = getRank(op->getResult(0));
    if (resultRank < 0)
      return std::nullopt;
    bool anyPartial = false, allPartial = true;
    std::optional<int64_t> splitDim;
    for (Value operand : op->getOperands()) {
      if (isConstant(operand))
        continue;
      Layout layout = layoutOf(operand);
      anyPartial |= layout.isPartial();
      allPartial &= layout.isPartial();
      if (!layout.isSplit())
        continue;
      int64_t dim = layout.dim + resultRank - getRank(operand);
      if (splitDim && *splitDim != dim)
        return std::nullopt;
      splitDim = dim;
    }
    if (linear && anyPartial && allPartial) {
      decision.operands.assign(op->getNumOperands(), Layout::partial());
      decision.results.assign(op->getNumResults(), Layout::partial());
      return decision;
    }
    if (!splitDim) {
      decision.operands.assign(op->getNumOperands(), Layout::replicated());
      decision.results.assign(op->getNumResults(), Layout::replicated());
      return decision;
    }
    for (Value operand : op->getOperands()) {
      std::optional<Layout> layout =
          alignOperand(operand, *splitDim, resultRank);
      if (!layout)
        return std::nullopt;
      decision.operands.push_back(*layout);
    }
    decision.results.assign(op->getNumResults(), Layout::split(*splitDim));
    return decision;
  }

  /// Ops that move the split dimension: `mapDim` gives the result dimension
  /// of a split of operand 0 (nullopt: the op cannot keep it split). Other
  /// operands are replicated; a partial operand is summed first.
  std::optional<Decision>
  decideOneInput(Operation *op,
                 llvm::function_ref<std::optional<int64_t>(int64_t)> mapDim) {
    Decision decision;
    decision.operands.assign(op->getNumOperands(), Layout::replicated());
    decision.results.assign(op->getNumResults(), Layout::replicated());
    Layout layout = layoutOf(op->getOperand(0));
    for (Value operand : op->getOperands().drop_front())
      if (layoutOf(operand).isSplit())
        return std::nullopt;
    if (!layout.isSplit())
      return decision;
    std::optional<int64_t> dim = mapDim(layout.dim);
    if (!dim)
      return std::nullopt;
    decision.operands[0] = layout;
    decision.results.assign(op->getNumResults(), Layout::split(*dim));
    return decision;
  }

  /// Reshape by a constant shape: the split moves to the output dimension
  /// that holds the same blocks (a head count becomes heads / ranks).
  std::optional<Decision> decideReshape(graph::ReshapeOp op) {
    auto in = cast<RankedTensorType>(op.getData().getType());
    auto out = cast<RankedTensorType>(op.getOutput().getType());
    if (!isConstant(op.getShape()) || op.getAllowzero())
      return decideOneInput(op, [](int64_t) { return std::nullopt; });
    return decideOneInput(op, [&](int64_t dim) {
      return mapSplitThroughReshape(in.getShape(), out.getShape(), dim, ranks);
    });
  }

  /// Gather: a split of `data` outside `axis`, or of `indices`, carries
  /// over to the matching result dimension.
  std::optional<Decision> decideGather(graph::GatherOp op) {
    int64_t dataRank = getRank(op.getData());
    int64_t indicesRank = getRank(op.getIndices());
    if (dataRank < 0 || indicesRank < 0)
      return std::nullopt;
    int64_t axis = normalizeAxis(static_cast<int64_t>(op.getAxis()), dataRank);
    Layout data = isConstant(op.getData()) ? Layout::replicated()
                                           : layoutOf(op.getData());
    Layout indices = layoutOf(op.getIndices());
    Decision decision{{Layout::replicated(), Layout::replicated()},
                      {Layout::replicated()}};
    if (data.isSplit() && !indices.isSplit() && data.dim != axis) {
      decision.operands[0] = data;
      decision.results[0] = Layout::split(
          data.dim < axis ? data.dim : data.dim + indicesRank - 1);
      return decision;
    }
    if (indices.isSplit() && !data.isSplit()) {
      decision.operands[1] = indices;
      decision.results[0] = Layout::split(axis + indices.dim);
      return decision;
    }
    if (data.isSplit() || indices.isSplit())
      return std::nullopt;
    return decision;
  }

  /// MatMul (batched, numpy broadcasting). A constant right-hand matrix is
  /// a linear layer: split by columns when its input is replicated
  /// (column-parallel), by rows when its input is split along the
  /// contraction (row-parallel: the result is a partial sum).
  std::optional<Decision> decideMatMul(graph::MatMulOp op) {
    Value lhs = op.getLhs(), rhs = op.getRhs();
    int64_t a = getRank(lhs), b = getRank(rhs), r = getRank(op.getOutput());
    if (a < 2 || b < 2)
      return std::nullopt;
    Layout la = isConstant(lhs) ? Layout::replicated() : layoutOf(lhs);
    Layout lb = isConstant(rhs) ? Layout::replicated() : layoutOf(rhs);
    if (la.isPartial())
      la = Layout::replicated();
    if (lb.isPartial())
      lb = Layout::replicated();
    auto make = [](Layout opA, Layout opB, Layout result) {
      return Decision{{opA, opB}, {result}};
    };
    // Operand `value` must be split along `dim` (a constant is sliced).
    auto splitAs = [&](Value value, Layout current,
                       int64_t dim) -> std::optional<Layout> {
      if (isConstant(value))
        return canSplitConstant(value, dim) ? std::optional(Layout::split(dim))
                                            : std::nullopt;
      return current == Layout::split(dim) ? std::optional(Layout::split(dim))
                                           : std::nullopt;
    };
    if (la.isSplit()) {
      if (la.dim == a - 1) { // Contraction: row-parallel.
        std::optional<Layout> other = splitAs(rhs, lb, b - 2);
        if (!other)
          return std::nullopt;
        return make(la, *other, Layout::partial());
      }
      if (la.dim == a - 2) {
        if (lb.isSplit())
          return std::nullopt;
        return make(la, Layout::replicated(), Layout::split(r - 2));
      }
      int64_t resultDim = la.dim + r - a;
      std::optional<Layout> other = resultDim - (r - b) >= b - 2
                                        ? std::optional(Layout::replicated())
                                        : alignOperand(rhs, resultDim, r);
      if (!other || (other->isReplicated() && lb.isSplit()))
        return std::nullopt;
      return make(la, *other, Layout::split(resultDim));
    }
    if (lb.isSplit()) {
      if (lb.dim == b - 1)
        return make(Layout::replicated(), lb, Layout::split(r - 1));
      if (lb.dim == b - 2) {
        std::optional<Layout> other = splitAs(lhs, la, a - 1);
        if (!other)
          return std::nullopt;
        return make(*other, lb, Layout::partial());
      }
      int64_t resultDim = lb.dim + r - b;
      std::optional<Layout> other = resultDim - (r - a) >= a - 2
                                        ? std::optional(Layout::replicated())
                                        : alignOperand(lhs, resultDim, r);
      if (!other)
        return std::nullopt;
      return make(*other, lb, Layout::split(resultDim));
    }
    Decision decision =
        make(Layout::replicated(), Layout::replicated(), Layout::replicated());
    if (isConstant(rhs) && !isConstant(lhs) && b == 2 && !demoted.count(op) &&
        canSplitConstant(rhs, 1)) {
      decision.operands[1] = Layout::split(1);
      decision.results[0] = Layout::split(r - 1);
      decision.columnParallel = true;
    }
    return decision;
  }

  /// Gemm with a constant B: column-parallel (B split along N, C with it)
  /// when A is replicated, row-parallel (B split along K, C added on one
  /// rank) when A is split along K.
  std::optional<Decision> decideGemm(graph::GemmOp op) {
    Value a = op.getA(), b = op.getB(), c = op.getC();
    int64_t kA = op.getTransA() ? 0 : 1, kB = op.getTransB() ? 1 : 0;
    int64_t nB = 1 - kB;
    Layout la = isConstant(a) ? Layout::replicated() : layoutOf(a);
    if (la.isPartial())
      la = Layout::replicated();
    bool bSplit = !isConstant(b) && layoutOf(b).isSplit();
    bool cSplit = c && !isConstant(c) && layoutOf(c).isSplit();
    Decision decision;
    decision.operands.assign(op->getNumOperands(), Layout::replicated());
    decision.results.assign(1, Layout::replicated());
    if (bSplit || cSplit)
      return std::nullopt;
    if (la.isSplit() && la.dim == kA) {
      if (!isConstant(b) || !canSplitConstant(b, kB) || (c && !isConstant(c)))
        return std::nullopt;
      decision.operands[0] = la;
      decision.operands[1] = Layout::split(kB);
      if (c)
        decision.operands[2] = Layout::partial();
      decision.results[0] = Layout::partial();
      return decision;
    }
    if (la.isSplit()) { // Split along M: B is replicated.
      decision.operands[0] = la;
      if (c) {
        std::optional<Layout> layout = alignOperand(c, 0, 2);
        if (!layout)
          return std::nullopt;
        decision.operands[2] = *layout;
      }
      decision.results[0] = Layout::split(0);
      return decision;
    }
    if (!isConstant(b) || isConstant(a) || demoted.count(op) ||
        !canSplitConstant(b, nB))
      return decision;
    std::optional<Layout> cLayout = Layout::replicated();
    if (c)
      cLayout = alignOperand(c, 1, 2);
    if (!cLayout)
      return decision;
    decision.operands[1] = Layout::split(nB);
    if (c)
      decision.operands[2] = *cLayout;
    decision.results[0] = Layout::split(1);
    decision.columnParallel = true;
    return decision;
  }

  /// The rule for `op`, or nullopt when it cannot consume its operands in
  /// their layouts (the caller then makes everything replicated).
  std::optional<Decision> decide(Operation *op) {
    if (isa<graph::AddOp, graph::SubOp>(op))
      return decideElementwise(op, /*linear=*/true);
    if (isa<graph::MulOp, graph::DivOp, graph::PowOp, graph::MaxOp,
            graph::MinOp, graph::WhereOp, graph::ReluOp, graph::ErfOp,
            graph::SqrtOp, graph::SigmoidOp, graph::TanhOp, graph::GeluOp,
            graph::IdentityOp, graph::CastOp, graph::NegOp, graph::ExpOp,
            graph::LogOp, graph::AbsOp, graph::ReciprocalOp>(op))
      return decideElementwise(op, /*linear=*/false);
    if (auto matmul = dyn_cast<graph::MatMulOp>(op))
      return decideMatMul(matmul);
    if (auto gemm = dyn_cast<graph::GemmOp>(op))
      return decideGemm(gemm);
    if (auto reshape = dyn_cast<graph::ReshapeOp>(op))
      return decideReshape(reshape);
    if (auto gather = dyn_cast<graph::GatherOp>(op))
      return decideGather(gather);
    if (auto transpose = dyn_cast<graph::TransposeOp>(op))
      return decideOneInput(op, [&](int64_t dim) -> std::optional<int64_t> {
        for (auto [index, source] : llvm::enumerate(transpose.getPerm()))
          if (source == dim)
            return static_cast<int64_t>(index);
        return std::nullopt;
      });
    if (auto softmax = dyn_cast<graph::SoftmaxOp>(op))
      return decideOneInput(op, [&](int64_t dim) -> std::optional<int64_t> {
        if (dim ==
            normalizeAxis(softmax.getAxis(), getRank(softmax.getInput())))
          return std::nullopt;
        return dim;
      });
    if (auto norm = dyn_cast<graph::LayerNormalizationOp>(op))
      return decideOneInput(op, [&](int64_t dim) -> std::optional<int64_t> {
        if (dim >= normalizeAxis(norm.getAxis(), getRank(norm.getInput())))
          return std::nullopt;
        return dim;
      });
    if (auto split = dyn_cast<graph::SplitOp>(op))
      return decideOneInput(op, [&](int64_t dim) -> std::optional<int64_t> {
        if (dim == normalizeAxis(split.getAxis(), getRank(split.getInput())))
          return std::nullopt;
        return dim;
      });
    return std::nullopt;
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
      std::optional<Decision> decision = decide(&op);
      if (!decision) {
        decision.emplace();
        decision->operands.assign(op.getNumOperands(), Layout::replicated());
        decision->results.assign(op.getNumResults(), Layout::replicated());
      }
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
          attrs.push_back(
              layout.toAttr(context, std::max<int64_t>(0, getRank(value))));
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
