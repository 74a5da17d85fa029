//===- ControlFlowToSCF.cpp - graph.if and graph.loop to scf --------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `convert-graph-control-flow-to-scf` (see Passes.td): graph.if
// becomes scf.if and graph.loop becomes scf.while, on tensors. The regions'
// blocks move into the scf ops as they are; the graph ops inside are left to
// `convert-graph-to-linalg`. Runs with a plain rewriter, outermost op first,
// so a region's values are replaced at once.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/Passes.h"

#include "dialects/Graph/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

namespace exaforge {
#define GEN_PASS_DEF_CONVERTGRAPHCONTROLFLOWTOSCF
#include "passes/Conversion/Passes.h.inc"
} // namespace exaforge

using namespace mlir;
using namespace exaforge;

namespace {

/// The one element of `tensor` (a tensor of any rank holding one element).
Value extractOnlyElement(OpBuilder &b, Location loc, Value tensor) {
  int64_t rank = cast<RankedTensorType>(tensor.getType()).getRank();
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  return tensor::ExtractOp::create(b, loc, tensor,
                                   SmallVector<Value>(rank, zero));
}

/// `value` as type `type`, through a `tensor.cast` when the types differ
/// (the verifiers guarantee the cast is valid).
Value castTo(OpBuilder &b, Location loc, Value value, Type type) {
  if (value.getType() == type)
    return value;
  return tensor::CastOp::create(b, loc, type, value);
}

/// The sizes of `tensor`: its static dimensions as attributes, the dynamic
/// ones read with `tensor.dim`.
SmallVector<OpFoldResult> getSizes(OpBuilder &b, Location loc, Value tensor) {
  SmallVector<OpFoldResult> sizes;
  auto type = cast<RankedTensorType>(tensor.getType());
  for (int64_t i = 0; i < type.getRank(); ++i)
    sizes.push_back(type.isDynamicDim(i)
                        ? OpFoldResult(tensor::DimOp::create(b, loc, tensor, i)
                                           .getResult())
                        : OpFoldResult(b.getIndexAttr(type.getDimSize(i))));
  return sizes;
}

/// Replaces the `graph.yield` ending `block` by an `scf.yield` of its
/// operands, each cast to the type in `types`.
void replaceYield(IRRewriter &rewriter, Block &block, TypeRange types) {
  auto yield = cast<graph::YieldOp>(block.getTerminator());
  rewriter.setInsertionPoint(yield);
  SmallVector<Value> operands;
  for (auto [value, type] : llvm::zip_equal(yield.getOperands(), types))
    operands.push_back(castTo(rewriter, yield.getLoc(), value, type));
  rewriter.replaceOpWithNewOp<scf::YieldOp>(yield, operands);
}

//===----------------------------------------------------------------------===//
// graph.if
//===----------------------------------------------------------------------===//

/// graph.if -> scf.if on the condition's element.
void lowerIf(IRRewriter &rewriter, graph::IfOp op) {
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  Value condition = extractOnlyElement(rewriter, loc, op.getCondition());
  auto ifOp = scf::IfOp::create(rewriter, loc, op.getResultTypes(), condition,
                                /*addThenBlock=*/false,
                                /*addElseBlock=*/false);
  rewriter.inlineRegionBefore(op.getThenBranch(), ifOp.getThenRegion(),
                              ifOp.getThenRegion().end());
  rewriter.inlineRegionBefore(op.getElseBranch(), ifOp.getElseRegion(),
                              ifOp.getElseRegion().end());
  replaceYield(rewriter, ifOp.getThenRegion().front(), op.getResultTypes());
  replaceYield(rewriter, ifOp.getElseRegion().front(), op.getResultTypes());
  rewriter.replaceOp(op, ifOp.getResults());
}

//===----------------------------------------------------------------------===//
// graph.loop
//===----------------------------------------------------------------------===//

/// How a scan output is collected over the iterations.
struct ScanAccumulator {
  /// The type of the stacked tensor the loop carries.
  RankedTensorType type;
  /// Whether the tensor holds the whole trip count from the start (else it
  /// grows by one element per iteration).
  bool preallocated;
};

/// Decides how each scan output of `op` is collected: preallocated when the
/// trip count is known before the loop (no condition) and the element shape
/// is static; otherwise grown.
SmallVector<ScanAccumulator> planScanAccumulators(graph::LoopOp op) {
  SmallVector<ScanAccumulator> plans;
  for (Type type : TypeRange(op.getResultTypes()).drop_front(op.getNumCarried())) {
    auto stacked = cast<RankedTensorType>(type);
    auto elementShape = stacked.getShape().drop_front();
    bool preallocated = !op.getCondition() &&
                        !ShapedType::isDynamicShape(elementShape);
    SmallVector<int64_t> shape{ShapedType::kDynamic};
    llvm::append_range(shape, elementShape);
    plans.push_back({stacked.clone(shape), preallocated});
  }
  return plans;
}

/// Appends `element` to the stacked tensor `stacked` at iteration
/// `iteration` (an index): into the preallocated tensor, or into a copy one
/// element longer.
Value appendScanElement(OpBuilder &b, Location loc, Value stacked,
                        Value element, Value iteration,
                        const ScanAccumulator &plan) {
  auto elementType = cast<RankedTensorType>(element.getType());
  int64_t rank = elementType.getRank();
  SmallVector<OpFoldResult> elementSizes = getSizes(b, loc, element);
  SmallVector<OpFoldResult> offsets{iteration};
  offsets.append(rank, b.getIndexAttr(0));
  SmallVector<OpFoldResult> sizes{b.getIndexAttr(1)};
  llvm::append_range(sizes, elementSizes);
  SmallVector<OpFoldResult> strides(rank + 1, b.getIndexAttr(1));
  Value dest = stacked;
  if (!plan.preallocated) {
    // A tensor of `iteration + 1` elements holding the previous ones.
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    Value count = arith::AddIOp::create(b, loc, iteration, one);
    SmallVector<OpFoldResult> grownSizes{count};
    llvm::append_range(grownSizes, elementSizes);
    Value grown = tensor::EmptyOp::create(b, loc, grownSizes,
                                          plan.type.getElementType());
    grown = castTo(b, loc, grown, plan.type);
    SmallVector<OpFoldResult> zeros(rank + 1, b.getIndexAttr(0));
    dest = tensor::InsertSliceOp::create(b, loc, stacked, grown, zeros,
                                         getSizes(b, loc, stacked), strides);
  }
  return tensor::InsertSliceOp::create(b, loc, element, dest, offsets, sizes,
                                       strides);
}

/// graph.loop -> scf.while carrying (iteration: i64, condition: i1,
/// carried..., stacked scan outputs...).
void lowerLoop(IRRewriter &rewriter, graph::LoopOp op) {
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  Type i64 = rewriter.getI64Type();
  Type i1 = rewriter.getI1Type();
  unsigned numCarried = op.getNumCarried();
  TypeRange carriedTypes = TypeRange(op.getResultTypes()).take_front(numCarried);
  SmallVector<ScanAccumulator> plans = planScanAccumulators(op);

  // Initial values.
  Value maxTripCount;
  if (op.getMaxTripCount())
    maxTripCount = extractOnlyElement(rewriter, loc, op.getMaxTripCount());
  Value trueValue = arith::ConstantIntOp::create(rewriter, loc, i1, 1);
  Value initialCondition =
      op.getCondition() ? extractOnlyElement(rewriter, loc, op.getCondition())
                        : trueValue;
  SmallVector<Value> inits{arith::ConstantIntOp::create(rewriter, loc, i64, 0),
                           initialCondition};
  for (auto [value, type] : llvm::zip_equal(op.getInitialValues(),
                                            carriedTypes))
    inits.push_back(castTo(rewriter, loc, value, type));
  for (const ScanAccumulator &plan : plans) {
    // Preallocated: the whole trip count (max(M, 0)); grown: empty.
    OpFoldResult count = rewriter.getIndexAttr(0);
    if (plan.preallocated) {
      Value zero = arith::ConstantIntOp::create(rewriter, loc, i64, 0);
      Value clamped = arith::MaxSIOp::create(rewriter, loc, maxTripCount, zero);
      count = arith::IndexCastOp::create(rewriter, loc,
                                         rewriter.getIndexType(), clamped)
                  .getResult();
    }
    SmallVector<OpFoldResult> sizes{count};
    for (int64_t dim : plan.type.getShape().drop_front())
      sizes.push_back(rewriter.getIndexAttr(ShapedType::isDynamic(dim) ? 0
                                                                       : dim));
    Value empty = tensor::EmptyOp::create(rewriter, loc, sizes,
                                          plan.type.getElementType());
    inits.push_back(castTo(rewriter, loc, empty, plan.type));
  }
  SmallVector<Type> types(ValueRange(inits).getTypes());
  SmallVector<Location> locs(types.size(), loc);

  auto whileOp = scf::WhileOp::create(rewriter, loc, types, inits);
  // Before: go on while the condition holds and the trip count is not
  // reached.
  Block *before =
      rewriter.createBlock(&whileOp.getBefore(),
                           whileOp.getBefore().end(), types, locs);
  Value proceed = before->getArgument(1);
  if (maxTripCount) {
    Value below = arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::slt,
                                        before->getArgument(0), maxTripCount);
    proceed = arith::AndIOp::create(rewriter, loc, proceed, below);
  }
  scf::ConditionOp::create(rewriter, loc, proceed, before->getArguments());

  // After: the body, with the iteration and the condition as tensors.
  Block *after = rewriter.createBlock(&whileOp.getAfter(),
                                      whileOp.getAfter().end(), types, locs);
  Value iteration = after->getArgument(0);
  Value condition = after->getArgument(1);
  SmallVector<Value> bodyArgs{
      tensor::FromElementsOp::create(
          rewriter, loc, RankedTensorType::get({}, i64), iteration),
      tensor::FromElementsOp::create(rewriter, loc,
                                     RankedTensorType::get({}, i1), condition)};
  llvm::append_range(bodyArgs, after->getArguments().slice(2, numCarried));
  Block &body = op.getBody().front();
  auto yield = cast<graph::YieldOp>(body.getTerminator());
  rewriter.mergeBlocks(&body, after, bodyArgs);

  rewriter.setInsertionPoint(yield);
  Value one = arith::ConstantIntOp::create(rewriter, loc, i64, 1);
  SmallVector<Value> next{
      arith::AddIOp::create(rewriter, loc, iteration, one),
      op.getCondition() ? extractOnlyElement(rewriter, loc, yield.getOperand(0))
                        : condition};
  for (auto [value, type] :
       llvm::zip_equal(yield.getOperands().slice(1, numCarried), carriedTypes))
    next.push_back(castTo(rewriter, loc, value, type));
  Value position = arith::IndexCastOp::create(
      rewriter, loc, rewriter.getIndexType(), iteration);
  for (auto [k, plan] : llvm::enumerate(plans))
    next.push_back(appendScanElement(
        rewriter, loc, after->getArgument(2 + numCarried + k),
        yield.getOperand(1 + numCarried + k), position, plan));
  rewriter.replaceOpWithNewOp<scf::YieldOp>(yield, next);

  rewriter.setInsertionPointAfter(whileOp);
  SmallVector<Value> results;
  for (auto [value, type] : llvm::zip_equal(
           whileOp.getResults().drop_front(2), op.getResultTypes()))
    results.push_back(castTo(rewriter, loc, value, type));
  rewriter.replaceOp(op, results);
}

struct ConvertGraphControlFlowToScfPass
    : exaforge::impl::ConvertGraphControlFlowToScfBase<
          ConvertGraphControlFlowToScfPass> {
  void runOnOperation() override {
    // Outermost first: an inner op moves with its parent's region.
    SmallVector<Operation *> ops;
    getOperation()->walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (isa<graph::IfOp, graph::LoopOp>(op))
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (Operation *op : ops) {
      if (auto ifOp = dyn_cast<graph::IfOp>(op))
        lowerIf(rewriter, ifOp);
      else
        lowerLoop(rewriter, cast<graph::LoopOp>(op));
    }
  }
};

} // namespace
