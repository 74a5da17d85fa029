//===- ShardingRuleOpInterface.cpp - How an op may be split ---------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The helpers the sharding rules share (elementwise broadcasting, ops that
// move one split dimension, reshapes) and the interface's generated
// definitions.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/ShardingRuleOpInterface.h"

#include "dialects/Graph/GraphOps.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace exaforge::graph;

#include "dialects/Graph/ShardingRuleOpInterface.cpp.inc"

using Layout = TensorParallelLayout;

/// The static size of dimension `dim` of `value`, or nullopt.
static std::optional<int64_t> getStaticDim(Value value, int64_t dim) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || dim < 0 || dim >= type.getRank() || type.isDynamicDim(dim))
    return std::nullopt;
  return type.getDimSize(dim);
}

/// The rank of `value`'s ranked tensor type, or -1.
static int64_t getRank(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type ? type.getRank() : -1;
}

void TensorParallelLayout::print(llvm::raw_ostream &os) const {
  switch (kind) {
  case Kind::Replicated:
    os << "replicated";
    return;
  case Kind::Split:
    os << "split(" << dim << ")";
    return;
  case Kind::Partial:
    os << "partial(" << mlir::shard::stringifyReductionKind(reduction) << ")";
    return;
  }
}

ShardingDecision ShardingDecision::replicated(Operation *op) {
  ShardingDecision decision;
  decision.operands.assign(op->getNumOperands(), Layout::replicated());
  decision.results.assign(op->getNumResults(), Layout::replicated());
  return decision;
}

ShardingContext::~ShardingContext() = default;

bool ShardingContext::isConstant(Value value) {
  return value.getDefiningOp<ConstantOp>() != nullptr;
}

bool ShardingContext::canSplitConstant(Value value, int64_t dim) const {
  std::optional<int64_t> size = getStaticDim(value, dim);
  return size && *size % getNumRanks() == 0;
}

std::optional<Layout> ShardingContext::alignOperand(Value operand,
                                                    int64_t resultDim,
                                                    int64_t resultRank) const {
  int64_t dim = resultDim - (resultRank - getRank(operand));
  if (dim < 0 || getStaticDim(operand, dim) == 1) {
    if (getLayout(operand).isSplit())
      return std::nullopt;
    return Layout::replicated();
  }
  if (isConstant(operand))
    return canSplitConstant(operand, dim) ? std::optional(Layout::split(dim))
                                          : std::nullopt;
  if (getLayout(operand) == Layout::split(dim))
    return Layout::split(dim);
  return std::nullopt;
}

std::optional<ShardingDecision>
exaforge::graph::decideElementwiseSharding(Operation *op,
                                           const ShardingContext &context,
                                           bool keepsPartialSums) {
  int64_t resultRank = getRank(op->getResult(0));
  if (resultRank < 0)
    return std::nullopt;
  bool anyPartial = false, allPartial = true;
  std::optional<int64_t> splitDim;
  for (Value operand : op->getOperands()) {
    if (ShardingContext::isConstant(operand))
      continue;
    Layout layout = context.getLayout(operand);
    anyPartial |= layout.isPartial();
    allPartial &= layout.isPartial();
    if (!layout.isSplit())
      continue;
    int64_t dim = layout.dim + resultRank - getRank(operand);
    if (splitDim && *splitDim != dim)
      return std::nullopt;
    splitDim = dim;
  }
  ShardingDecision decision;
  if (keepsPartialSums && anyPartial && allPartial) {
    decision.operands.assign(op->getNumOperands(), Layout::partial());
    decision.results.assign(op->getNumResults(), Layout::partial());
    return decision;
  }
  if (!splitDim)
    return ShardingDecision::replicated(op);
  for (Value operand : op->getOperands()) {
    std::optional<Layout> layout =
        context.alignOperand(operand, *splitDim, resultRank);
    if (!layout)
      return std::nullopt;
    decision.operands.push_back(*layout);
  }
  decision.results.assign(op->getNumResults(), Layout::split(*splitDim));
  return decision;
}

std::optional<ShardingDecision> exaforge::graph::decideSplitOfFirstOperand(
    Operation *op, const ShardingContext &context,
    llvm::function_ref<std::optional<int64_t>(int64_t)> mapDim) {
  ShardingDecision decision = ShardingDecision::replicated(op);
  Layout layout = context.getLayout(op->getOperand(0));
  for (Value operand : op->getOperands().drop_front())
    if (context.getLayout(operand).isSplit())
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

std::optional<int64_t>
exaforge::graph::mapSplitThroughReshape(ArrayRef<int64_t> in,
                                        ArrayRef<int64_t> out, int64_t dim,
                                        int64_t ranks) {
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
