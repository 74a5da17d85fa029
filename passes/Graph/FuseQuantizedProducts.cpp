//===- FuseQuantizedProducts.cpp - QDQ products on integers ---------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `graph-fuse-quantized-products` (see Passes.td): a MatMul or
// Conv of DequantizeLinear results becomes the integer product of the
// quantized tensors, scaled once in float.
//
//===----------------------------------------------------------------------===//

#include "passes/Graph/Passes.h"

#include "dialects/Graph/GraphOps.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace exaforge::graph {
#define GEN_PASS_DEF_GRAPHFUSEQUANTIZEDPRODUCTS
#include "passes/Graph/Passes.h.inc"
} // namespace exaforge::graph

using namespace mlir;
using namespace exaforge::graph;

namespace {

/// Whether `value` holds one element (rank 0 or a vector of size 1).
bool isScalarLike(Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  return type.getRank() == 0 ||
         (type.getRank() == 1 && type.getDimSize(0) == 1);
}

/// Returns the DequantizeLinear producing `value` when it dequantizes 8-bit
/// integers into f32, per tensor or, when `perAxis` is set, along dimension
/// `perAxis` of its input; null otherwise.
DequantizeLinearOp getDequantized(Value value,
                                  std::optional<int64_t> perAxis) {
  auto dq = value.getDefiningOp<DequantizeLinearOp>();
  if (!dq)
    return {};
  auto inputType = cast<RankedTensorType>(dq.getX().getType());
  if (!inputType.getElementType().isInteger(8) ||
      !cast<RankedTensorType>(dq.getType()).getElementType().isF32())
    return {};
  if (isScalarLike(dq.getScale()))
    return dq;
  if (!perAxis)
    return {};
  int64_t axis = dq.getAxis();
  if (axis < 0)
    axis += inputType.getRank();
  return axis == *perAxis ? dq : DequantizeLinearOp();
}

/// Creates an inferred graph op `OpTy`, or fails when its type inference
/// does.
template <typename OpTy, typename... Args>
FailureOr<Value> createInferred(PatternRewriter &rewriter, Location loc,
                                Args &&...args) {
  SmallVector<Type> types;
  OperationState state(loc, OpTy::getOperationName());
  OpTy::build(rewriter, state, std::forward<Args>(args)...);
  if (failed(OpTy::inferReturnTypes(
          rewriter.getContext(), std::nullopt, state.operands,
          state.attributes.getDictionary(rewriter.getContext()),
          state.getRawProperties(), state.regions, types)))
    return failure();
  return rewriter.create(state)->getResult(0);
}

/// Returns `f32(product) * scale`, with `bias` added when present, if its
/// type is `resultType`.
FailureOr<Value> scaleProduct(PatternRewriter &rewriter, Location loc,
                              Value product, Value scale, Value bias,
                              Type resultType) {
  FailureOr<Value> asFloat = createInferred<CastOp>(
      rewriter, loc, product, TypeAttr::get(rewriter.getF32Type()));
  if (failed(asFloat))
    return failure();
  FailureOr<Value> result = createInferred<MulOp>(rewriter, loc, *asFloat, scale);
  if (succeeded(result) && bias)
    result = createInferred<AddOp>(rewriter, loc, *result, bias);
  if (failed(result) || result->getType() != resultType)
    return failure();
  return result;
}

/// Returns the per-channel vector `value` reshaped to `[M, 1, ..., 1]` with
/// `trailing` unit dimensions, to broadcast along dimension 1 of a Conv
/// result; a scalar-like value is returned as is.
FailureOr<Value> alongChannels(PatternRewriter &rewriter, Location loc,
                               Value value, int64_t trailing) {
  if (isScalarLike(value))
    return value;
  SmallVector<int64_t> axes;
  for (int64_t i = 1; i <= trailing; ++i)
    axes.push_back(i);
  auto axesType = RankedTensorType::get({trailing}, rewriter.getI64Type());
  Value axesValue = ConstantOp::create(
      rewriter, loc, DenseIntElementsAttr::get(axesType, axes));
  return createInferred<UnsqueezeOp>(rewriter, loc, value, axesValue);
}

/// MatMul of dequantized tensors to MatMulInteger.
struct FuseQuantizedMatMul : OpRewritePattern<MatMulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MatMulOp op,
                                PatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    if (resultType.getRank() == 0)
      return rewriter.notifyMatchFailure(op, "the result is a scalar");
    DequantizeLinearOp lhs = getDequantized(op.getLhs(), std::nullopt);
    int64_t rhsRank = cast<RankedTensorType>(op.getRhs().getType()).getRank();
    DequantizeLinearOp rhs = getDequantized(
        op.getRhs(), rhsRank == 2 ? std::optional<int64_t>(1) : std::nullopt);
    if (!lhs || !rhs)
      return rewriter.notifyMatchFailure(op, "operands are not dequantized");
    Location loc = op.getLoc();
    FailureOr<Value> product = createInferred<MatMulIntegerOp>(
        rewriter, loc, lhs.getX(), rhs.getX(), lhs.getZeroPoint(),
        rhs.getZeroPoint());
    if (failed(product))
      return rewriter.notifyMatchFailure(op, "no integer product");
    FailureOr<Value> scale =
        createInferred<MulOp>(rewriter, loc, lhs.getScale(), rhs.getScale());
    if (failed(scale))
      return failure();
    FailureOr<Value> result =
        scaleProduct(rewriter, loc, *product, *scale, Value(), resultType);
    if (failed(result))
      return rewriter.notifyMatchFailure(op, "the scaled product differs");
    rewriter.replaceOp(op, *result);
    return success();
  }
};

/// Conv of dequantized tensors to ConvInteger.
struct FuseQuantizedConv : OpRewritePattern<ConvOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ConvOp op,
                                PatternRewriter &rewriter) const override {
    DequantizeLinearOp input = getDequantized(op.getInput(), std::nullopt);
    DequantizeLinearOp weight = getDequantized(op.getWeight(), 0);
    if (!input || !weight || !isScalarLike(input.getScale()))
      return rewriter.notifyMatchFailure(op, "operands are not dequantized");
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t spatialRank = resultType.getRank() - 2;
    FailureOr<Value> product = createInferred<ConvIntegerOp>(
        rewriter, loc, input.getX(), weight.getX(), input.getZeroPoint(),
        weight.getZeroPoint(), op.getStridesAttr(), op.getPadsAttr(),
        op.getDilationsAttr(), op.getGroupAttr());
    if (failed(product))
      return rewriter.notifyMatchFailure(op, "no integer product");
    FailureOr<Value> weightScale =
        alongChannels(rewriter, loc, weight.getScale(), spatialRank);
    if (failed(weightScale))
      return failure();
    FailureOr<Value> scale =
        createInferred<MulOp>(rewriter, loc, input.getScale(), *weightScale);
    if (failed(scale))
      return failure();
    Value bias;
    if (op.getBias()) {
      FailureOr<Value> aligned =
          alongChannels(rewriter, loc, op.getBias(), spatialRank);
      if (failed(aligned))
        return failure();
      bias = *aligned;
    }
    FailureOr<Value> result =
        scaleProduct(rewriter, loc, *product, *scale, bias, resultType);
    if (failed(result))
      return rewriter.notifyMatchFailure(op, "the scaled product differs");
    rewriter.replaceOp(op, *result);
    return success();
  }
};

struct GraphFuseQuantizedProductsPass
    : exaforge::graph::impl::GraphFuseQuantizedProductsBase<
          GraphFuseQuantizedProductsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseQuantizedMatMul, FuseQuantizedConv>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
