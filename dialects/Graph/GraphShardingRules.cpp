//===- GraphShardingRules.cpp - The sharding rule of each graph op --------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements ShardingRuleOpInterface for the graph ops whose rule is not the
// elementwise one: linear algebra (the origin and the end of tensor-parallel
// splits), Add and Sub (which keep partial sums partial), and the ops that
// move or keep the split dimension of their first operand.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/GraphOps.h"
#include "dialects/Graph/GraphTypeInference.h"

using namespace mlir;
using namespace exaforge::graph;

using Layout = TensorParallelLayout;

/// The rank of `value`'s ranked tensor type, or -1.
static int64_t getRank(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type ? type.getRank() : -1;
}


//===----------------------------------------------------------------------===//
// Elementwise ops that keep partial sums
//===----------------------------------------------------------------------===//

std::optional<ShardingDecision>
AddOp::decideSharding(const ShardingContext &context) {
  return decideElementwiseSharding(*this, context, /*keepsPartialSums=*/true);
}

std::optional<ShardingDecision>
SubOp::decideSharding(const ShardingContext &context) {
  return decideElementwiseSharding(*this, context, /*keepsPartialSums=*/true);
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

/// The layout `value` takes when it must be split along `dim`: a constant is
/// sliced, another value must be split there already.
static std::optional<Layout> requireSplit(const ShardingContext &context,
                                          Value value, int64_t dim) {
  if (ShardingContext::isConstant(value))
    return context.canSplitConstant(value, dim)
               ? std::optional(Layout::split(dim))
               : std::nullopt;
  return context.getLayout(value) == Layout::split(dim)
             ? std::optional(Layout::split(dim))
             : std::nullopt;
}

/// The layout of a MatMul or Gemm operand as a rule reads it: a partial sum
/// is summed first (consumed replicated).
static Layout getSummedLayout(const ShardingContext &context, Value value) {
  Layout layout = context.getLayout(value);
  return layout.isPartial() ? Layout::replicated() : layout;
}

/// MatMul (batched, numpy broadcasting). A split of the contraction
/// dimension on both sides gives a partial sum; a constant right-hand matrix
/// is a linear layer: split by columns when its input is replicated
/// (column-parallel), by rows when its input is split along the contraction
/// (row-parallel).
std::optional<ShardingDecision>
MatMulOp::decideSharding(const ShardingContext &context) {
  Value lhs = getLhs(), rhs = getRhs();
  int64_t a = getRank(lhs), b = getRank(rhs), r = getRank(getOutput());
  if (a < 2 || b < 2)
    return std::nullopt;
  Layout la = getSummedLayout(context, lhs);
  Layout lb = getSummedLayout(context, rhs);
  auto make = [](Layout lhsLayout, Layout rhsLayout, Layout result) {
    return ShardingDecision{{lhsLayout, rhsLayout}, {result}};
  };
  if (la.isSplit()) {
    if (la.dim == a - 1) { // Contraction: row-parallel.
      std::optional<Layout> other = requireSplit(context, rhs, b - 2);
      if (!other)
        return std::nullopt;
      return make(la, *other, Layout::partial(shard::ReductionKind::Sum));
    }
    if (la.dim == a - 2) {
      if (lb.isSplit())
        return std::nullopt;
      return make(la, Layout::replicated(), Layout::split(r - 2));
    }
    int64_t resultDim = la.dim + r - a;
    std::optional<Layout> other = resultDim - (r - b) >= b - 2
                                      ? std::optional(Layout::replicated())
                                      : context.alignOperand(rhs, resultDim, r);
    if (!other || (other->isReplicated() && lb.isSplit()))
      return std::nullopt;
    return make(la, *other, Layout::split(resultDim));
  }
  if (lb.isSplit()) {
    if (lb.dim == b - 1)
      return make(Layout::replicated(), lb, Layout::split(r - 1));
    if (lb.dim == b - 2) {
      std::optional<Layout> other = requireSplit(context, lhs, a - 1);
      if (!other)
        return std::nullopt;
      return make(*other, lb, Layout::partial(shard::ReductionKind::Sum));
    }
    int64_t resultDim = lb.dim + r - b;
    std::optional<Layout> other = resultDim - (r - a) >= a - 2
                                      ? std::optional(Layout::replicated())
                                      : context.alignOperand(lhs, resultDim, r);
    if (!other)
      return std::nullopt;
    return make(*other, lb, Layout::split(resultDim));
  }
  ShardingDecision decision = ShardingDecision::replicated(*this);
  if (ShardingContext::isConstant(rhs) && !ShardingContext::isConstant(lhs) &&
      b == 2 && context.mayBeColumnParallel(*this) &&
      context.canSplitConstant(rhs, 1)) {
    decision.operands[1] = Layout::split(1);
    decision.results[0] = Layout::split(r - 1);
    decision.columnParallel = true;
  }
  return decision;
}

/// Gemm with a constant B: column-parallel (B split along N, C with it) when
/// A is replicated, row-parallel (B split along K, C added on one rank) when
/// A is split along K.
std::optional<ShardingDecision>
GemmOp::decideSharding(const ShardingContext &context) {
  Value a = getA(), b = getB(), c = getC();
  int64_t kA = getTransA() ? 0 : 1, kB = getTransB() ? 1 : 0;
  int64_t nB = 1 - kB;
  bool aConstant = ShardingContext::isConstant(a);
  bool bConstant = ShardingContext::isConstant(b);
  bool cConstant = c && ShardingContext::isConstant(c);
  Layout la = getSummedLayout(context, a);
  if (context.getLayout(b).isSplit() || (c && context.getLayout(c).isSplit()))
    return std::nullopt;
  ShardingDecision decision = ShardingDecision::replicated(*this);
  if (la.isSplit() && la.dim == kA) { // Contraction: row-parallel.
    if (!bConstant || !context.canSplitConstant(b, kB) || (c && !cConstant))
      return std::nullopt;
    decision.operands[0] = la;
    decision.operands[1] = Layout::split(kB);
    if (c)
      decision.operands[2] = Layout::partial(shard::ReductionKind::Sum);
    decision.results[0] = Layout::partial(shard::ReductionKind::Sum);
    return decision;
  }
  if (la.isSplit()) { // Split along M: B is replicated.
    decision.operands[0] = la;
    if (c) {
      std::optional<Layout> layout = context.alignOperand(c, 0, 2);
      if (!layout)
        return std::nullopt;
      decision.operands[2] = *layout;
    }
    decision.results[0] = Layout::split(0);
    return decision;
  }
  if (!bConstant || aConstant || !context.mayBeColumnParallel(*this) ||
      !context.canSplitConstant(b, nB))
    return decision;
  std::optional<Layout> cLayout = Layout::replicated();
  if (c)
    cLayout = context.alignOperand(c, 1, 2);
  if (!cLayout)
    return decision;
  decision.operands[1] = Layout::split(nB);
  if (c)
    decision.operands[2] = *cLayout;
  decision.results[0] = Layout::split(1);
  decision.columnParallel = true;
  return decision;
}

//===----------------------------------------------------------------------===//
// Ops that move or keep the split dimension of their first operand
//===----------------------------------------------------------------------===//

/// Reshape by a constant shape: the split moves to the output dimension that
/// holds the same blocks (a head count becomes heads / ranks).
std::optional<ShardingDecision>
ReshapeOp::decideSharding(const ShardingContext &context) {
  auto in = cast<RankedTensorType>(getData().getType());
  auto out = cast<RankedTensorType>(getOutput().getType());
  if (!ShardingContext::isConstant(getShape()) || getAllowzero())
    return decideSplitOfFirstOperand(
        *this, context, [](int64_t) { return std::nullopt; });
  return decideSplitOfFirstOperand(*this, context, [&](int64_t dim) {
    return mapSplitThroughReshape(in.getShape(), out.getShape(), dim,
                                  context.getNumRanks());
  });
}

/// Transpose: the split follows its dimension.
std::optional<ShardingDecision>
TransposeOp::decideSharding(const ShardingContext &context) {
  return decideSplitOfFirstOperand(
      *this, context, [&](int64_t dim) -> std::optional<int64_t> {
        for (auto [index, source] : llvm::enumerate(getPerm()))
          if (source == dim)
            return static_cast<int64_t>(index);
        return std::nullopt;
      });
}

/// The rule of an op that works along `axis` of its first operand (the
/// input, of rank `rank`) and keeps every other dimension where it is: a
/// split of any dimension but `axis` stays split, in every result.
static std::optional<ShardingDecision>
decideSplitOutsideAxis(Operation *op, const ShardingContext &context,
                       int64_t axis, int64_t rank) {
  FailureOr<int64_t> nonNegativeAxis = normalizeAxis(std::nullopt, axis, rank);
  if (failed(nonNegativeAxis))
    return std::nullopt;
  return decideSplitOfFirstOperand(
      op, context, [&](int64_t dim) -> std::optional<int64_t> {
        if (dim == *nonNegativeAxis)
          return std::nullopt;
        return dim;
      });
}

/// Softmax: any dimension but `axis` may stay split.
std::optional<ShardingDecision>
SoftmaxOp::decideSharding(const ShardingContext &context) {
  return decideSplitOutsideAxis(*this, context, getAxis(),
                                getRank(getInput()));
}

/// LayerNormalization: the dimensions before `axis` may stay split.
std::optional<ShardingDecision>
LayerNormalizationOp::decideSharding(const ShardingContext &context) {
  FailureOr<int64_t> axis =
      normalizeAxis(std::nullopt, getAxis(), getRank(getInput()));
  if (failed(axis))
    return std::nullopt;
  return decideSplitOfFirstOperand(
      *this, context, [&](int64_t dim) -> std::optional<int64_t> {
        if (dim >= *axis)
          return std::nullopt;
        return dim;
      });
}

/// Split: any dimension but `axis` may stay split (in every result).
std::optional<ShardingDecision>
SplitOp::decideSharding(const ShardingContext &context) {
  return decideSplitOutsideAxis(*this, context, getAxis(),
                                getRank(getInput()));
}

/// GlobalMaxPool: the batch and channel dimensions may stay split, the
/// pooled spatial ones not.
std::optional<ShardingDecision>
GlobalMaxPoolOp::decideSharding(const ShardingContext &context) {
  return decideSplitOfFirstOperand(
      *this, context, [](int64_t dim) -> std::optional<int64_t> {
        if (dim >= 2)
          return std::nullopt;
        return dim;
      });
}

/// Gather: a split of `data` outside `axis`, or of `indices`, carries over to
/// the matching result dimension.
std::optional<ShardingDecision>
GatherOp::decideSharding(const ShardingContext &context) {
  int64_t dataRank = getRank(getData());
  int64_t indicesRank = getRank(getIndices());
  if (dataRank < 0 || indicesRank < 0)
    return std::nullopt;
  FailureOr<int64_t> normalizedAxis =
      normalizeAxis(std::nullopt, static_cast<int64_t>(getAxis()), dataRank);
  if (failed(normalizedAxis))
    return std::nullopt;
  int64_t axis = *normalizedAxis;
  Layout data = context.getLayout(getData());
  Layout indices = context.getLayout(getIndices());
  ShardingDecision decision = ShardingDecision::replicated(*this);
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
