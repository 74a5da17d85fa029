//===- ReductionsToLinalg.cpp - Graph reductions to linalg ----------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Lowers ReduceSum, ReduceMean, Softmax, LayerNormalization and
// BatchNormalization to `linalg.generic` reductions and elementwise
// generics. A reduction produces the tensor of the kept dimensions
// (`keepdims` adds the unit dimensions back with `tensor.expand_shape`);
// later generics read it through the projection onto the kept dimensions.
// f16/bf16 values are accumulated and normalized in f32 and the result
// truncated back.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/GraphToLinalg/GraphToLinalg.h"
#include "passes/Conversion/GraphToLinalg/LoweringUtils.h"

#include "dialects/Graph/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

#include <limits>

using namespace mlir;
using namespace exaforge;
using namespace exaforge::lowering;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Returns the type in which values of `elementType` are accumulated: f32
/// for floats narrower than 32 bits, the type itself otherwise.
Type getComputeType(Type elementType) {
  auto floatType = dyn_cast<FloatType>(elementType);
  if (floatType && floatType.getWidth() < 32)
    return Float32Type::get(elementType.getContext());
  return elementType;
}

/// Returns the map from the loop nest over all `reduced.size()` dimensions to
/// the dimensions that `reduced` does not flag.
AffineMap getKeptDimsMap(ArrayRef<bool> reduced, MLIRContext *context) {
  SmallVector<AffineExpr> exprs;
  for (auto [i, isReduced] : llvm::enumerate(reduced))
    if (!isReduced)
      exprs.push_back(getAffineDimExpr(i, context));
  return AffineMap::get(reduced.size(), 0, exprs, context);
}

/// Returns the sizes of the dynamic dimensions of `source` that `reduced`
/// does not flag (all of them when `reduced` is empty).
SmallVector<Value> getDynamicKeptSizes(OpBuilder &b, Location loc, Value source,
                                       ArrayRef<bool> reduced) {
  auto type = cast<RankedTensorType>(source.getType());
  SmallVector<Value> sizes;
  for (int64_t i = 0; i < type.getRank(); ++i)
    if (type.isDynamicDim(i) && (reduced.empty() || !reduced[i]))
      sizes.push_back(tensor::DimOp::create(b, loc, source, i));
  return sizes;
}

/// Reduces over the dimensions of `source` flagged in `reduced`. `inputs`
/// are read through `inputMaps` (over the loop nest of `source`'s shape);
/// the accumulator of `accType` starts at `initValue` and `body` receives
/// the input elements then the accumulator. Returns a tensor of the kept
/// dimensions.
Value createReduction(OpBuilder &b, Location loc, Value source,
                      ArrayRef<bool> reduced, ValueRange inputs,
                      ArrayRef<AffineMap> inputMaps, Type accType,
                      Value initValue, ScalarBodyBuilder body) {
  auto sourceType = cast<RankedTensorType>(source.getType());
  SmallVector<int64_t> keptShape;
  SmallVector<utils::IteratorType> iterators;
  for (auto [i, isReduced] : llvm::enumerate(reduced)) {
    iterators.push_back(isReduced ? utils::IteratorType::reduction
                                  : utils::IteratorType::parallel);
    if (!isReduced)
      keptShape.push_back(sourceType.getDimSize(i));
  }
  auto resultType = RankedTensorType::get(keptShape, accType);
  Value init = createFilledTensor(b, loc, resultType,
                                  getDynamicKeptSizes(b, loc, source, reduced),
                                  initValue);
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(getKeptDimsMap(reduced, b.getContext()));
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        linalg::YieldOp::create(nested, nestedLoc,
                                body(nested, nestedLoc, args));
      });
  return generic.getResult(0);
}

/// Builds an all-parallel generic over the shape of `source` producing
/// elements of `elementType` from `inputs` read through `inputMaps`.
Value createParallelGeneric(OpBuilder &b, Location loc, Value source,
                            Type elementType, ValueRange inputs,
                            ArrayRef<AffineMap> inputMaps,
                            ScalarBodyBuilder body) {
  auto resultType = cast<RankedTensorType>(source.getType()).clone(elementType);
  Value init = createEmptyTensor(b, loc, resultType,
                                 getDynamicKeptSizes(b, loc, source, {}));
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(b.getMultiDimIdentityMap(resultType.getRank()));
  SmallVector<utils::IteratorType> iterators(resultType.getRank(),
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        linalg::YieldOp::create(nested, nestedLoc,
                                body(nested, nestedLoc, args));
      });
  return generic.getResult(0);
}

/// Returns the number of elements in the dimensions of `source` flagged in
/// `reduced`, as a scalar of the float or integer type `type`.
Value getReducedCount(OpBuilder &b, Location loc, Value source,
                      ArrayRef<bool> reduced, Type type) {
  auto sourceType = cast<RankedTensorType>(source.getType());
  int64_t staticCount = 1;
  Value dynamicCount;
  for (auto [i, isReduced] : llvm::enumerate(reduced)) {
    if (!isReduced)
      continue;
    if (!sourceType.isDynamicDim(i)) {
      staticCount *= sourceType.getDimSize(i);
      continue;
    }
    Value dim = tensor::DimOp::create(b, loc, source, i);
    dynamicCount =
        dynamicCount ? arith::MulIOp::create(b, loc, dynamicCount, dim) : dim;
  }
  if (!dynamicCount)
    return createScalarConstant(b, loc, type, static_cast<double>(staticCount));
  if (staticCount != 1)
    dynamicCount = arith::MulIOp::create(
        b, loc, dynamicCount,
        arith::ConstantIndexOp::create(b, loc, staticCount));
  Value asInt = arith::IndexCastOp::create(
      b, loc, isa<FloatType>(type) ? b.getI64Type() : type, dynamicCount);
  if (isa<FloatType>(type))
    return arith::SIToFPOp::create(b, loc, type, asInt);
  return asInt;
}

/// Returns the f32/f64 epsilon attribute `epsilon` as a scalar of `type`.
Value getEpsilon(OpBuilder &b, Location loc, const APFloat &epsilon,
                 Type type) {
  return createScalarConstant(b, loc, type, epsilon.convertToDouble());
}

//===----------------------------------------------------------------------===//
// ReduceSum, ReduceMean
//===----------------------------------------------------------------------===//

/// Lowers ReduceSum (`isMean` false) and ReduceMean (`isMean` true) with
/// constant axes. Integer means divide with truncation toward zero.
template <typename OpTy, bool isMean>
struct ReduceLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpConversionPattern<OpTy>::OpAdaptor;

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    Value data = adaptor.getData();
    auto dataType = cast<RankedTensorType>(data.getType());
    int64_t rank = dataType.getRank();

    // Find the reduced dimensions; an empty list reduces all of them unless
    // `noop_with_empty_axes` makes the op the identity.
    SmallVector<int64_t> axes;
    if (op.getAxes()) {
      std::optional<SmallVector<int64_t>> values =
          graph::getConstantIntValues(op.getAxes());
      if (!values)
        values = graph::getConstantIntValues(adaptor.getAxes());
      if (!values)
        return rewriter.notifyMatchFailure(
            op, "'axes' must be a constant to lower to linalg");
      axes = *values;
    }
    if (axes.empty() && op.getNoopWithEmptyAxes()) {
      rewriter.replaceOp(op, castToType(rewriter, loc, data, resultType));
      return success();
    }
    SmallVector<bool> reduced(rank, axes.empty());
    for (int64_t axis : axes) {
      if (axis < -rank || axis >= rank)
        return rewriter.notifyMatchFailure(op, "axis out of range");
      reduced[axis < 0 ? axis + rank : axis] = true;
    }

    Type elementType = dataType.getElementType();
    bool isFloat = isa<FloatType>(elementType);
    bool isUnsigned = elementType.isUnsignedInteger();
    Value input = castToSignless(rewriter, loc, data);
    Type signlessType =
        cast<RankedTensorType>(input.getType()).getElementType();
    Type accType = getComputeType(signlessType);
    Value zero = createScalarConstant(rewriter, loc, accType, 0.0);
    Value sum = createReduction(
        rewriter, loc, input, reduced, input,
        rewriter.getMultiDimIdentityMap(rank), accType, zero,
        [&](OpBuilder &b, Location bodyLoc, ValueRange args) -> Value {
          if (!isFloat)
            return arith::AddIOp::create(b, bodyLoc, args[0], args[1]);
          Value element = extendToF32IfNarrow(b, bodyLoc, args[0]);
          return arith::AddFOp::create(b, bodyLoc, element, args[1]);
        });

    // Divide by the element count and/or truncate back to the element type.
    if (isMean || accType != signlessType) {
      Value count =
          isMean ? getReducedCount(rewriter, loc, input, reduced, accType)
                 : Value();
      auto sumType = cast<RankedTensorType>(sum.getType());
      sum = createParallelGeneric(
          rewriter, loc, sum, signlessType, sum,
          rewriter.getMultiDimIdentityMap(sumType.getRank()),
          [&](OpBuilder &b, Location bodyLoc, ValueRange args) -> Value {
            Value value = args[0];
            if (isMean && isFloat)
              value = arith::DivFOp::create(b, bodyLoc, value, count);
            else if (isMean && isUnsigned)
              value = arith::DivUIOp::create(b, bodyLoc, value, count);
            else if (isMean)
              value = arith::DivSIOp::create(b, bodyLoc, value, count);
            if (isFloat)
              value = convertFloat(b, bodyLoc, value, signlessType);
            return value;
          });
    }
    if (op.getKeepdims())
      sum = expandUnitDims(rewriter, loc, sum, reduced);
    rewriter.replaceOp(op, castToType(rewriter, loc, sum, resultType));
    return success();
  }
};

using ReduceSumLowering = ReduceLowering<graph::ReduceSumOp, false>;
using ReduceMeanLowering = ReduceLowering<graph::ReduceMeanOp, true>;

//===----------------------------------------------------------------------===//
// Softmax
//===----------------------------------------------------------------------===//

/// Lowers Softmax as `exp(x - max) / sum(exp(x - max))` along `axis`: a max
/// reduction, an elementwise exp, a sum reduction and an elementwise
/// division.
struct SoftmaxLowering : OpConversionPattern<graph::SoftmaxOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::SoftmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    int64_t rank = type.getRank();
    int64_t axis = op.getAxis();
    if (axis < -rank || axis >= rank)
      return rewriter.notifyMatchFailure(op, "axis out of range");
    SmallVector<bool> reduced(rank, false);
    reduced[axis < 0 ? axis + rank : axis] = true;

    MLIRContext *context = rewriter.getContext();
    Type elementType = type.getElementType();
    Type computeType = getComputeType(elementType);
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap kept = getKeptDimsMap(reduced, context);

    Value lowest = arith::ConstantOp::create(
        rewriter, loc,
        rewriter.getFloatAttr(computeType,
                              -std::numeric_limits<double>::infinity()));
    Value max = createReduction(
        rewriter, loc, input, reduced, input, identity, computeType, lowest,
        [](OpBuilder &b, Location bodyLoc, ValueRange args) -> Value {
          Value element = extendToF32IfNarrow(b, bodyLoc, args[0]);
          return arith::MaximumFOp::create(b, bodyLoc, element, args[1]);
        });
    Value exps = createParallelGeneric(
        rewriter, loc, input, computeType, {input, max}, {identity, kept},
        [](OpBuilder &b, Location bodyLoc, ValueRange args) -> Value {
          Value element = extendToF32IfNarrow(b, bodyLoc, args[0]);
          Value shifted = arith::SubFOp::create(b, bodyLoc, element, args[1]);
          return math::ExpOp::create(b, bodyLoc, shifted);
        });
    Value zero = createScalarConstant(rewriter, loc, computeType, 0.0);
    Value sum = createReduction(
        rewriter, loc, input, reduced, exps, identity, computeType, zero,
        [](OpBuilder &b, Location bodyLoc, ValueRange args) -> Value {
          return arith::AddFOp::create(b, bodyLoc, args[0], args[1]);
        });
    Value result = createParallelGeneric(
        rewriter, loc, input, elementType, {exps, sum}, {identity, kept},
        [&](OpBuilder &b, Location bodyLoc, ValueRange args) -> Value {
          Value quotient = arith::DivFOp::create(b, bodyLoc, args[0], args[1]);
          return convertFloat(b, bodyLoc, quotient, elementType);
        });
    rewriter.replaceOp(op, castToType(rewriter, loc, result,
                                      cast<RankedTensorType>(op.getType())));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// LayerNormalization
//===----------------------------------------------------------------------===//

/// Lowers LayerNormalization over the dimensions `axis..rank-1`: a sum
/// reduction for the mean, a second one of squared deviations for the
/// (biased) variance, then `(x - mean) / sqrt(var + epsilon) * scale + bias`
/// with `scale` and `bias` broadcast (right-aligned) to the input.
struct LayerNormalizationLowering
    : OpConversionPattern<graph::LayerNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::LayerNormalizationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    Value scale = adaptor.getScale(), bias = adaptor.getBias();
    auto type = cast<RankedTensorType>(input.getType());
    int64_t rank = type.getRank();
    int64_t axis = op.getAxis();
    if (axis < -rank || axis >= rank)
      return rewriter.notifyMatchFailure(op, "axis out of range");
    if (axis < 0)
      axis += rank;
    SmallVector<bool> reduced(rank, false);
    for (int64_t i = axis; i < rank; ++i)
      reduced[i] = true;

    MLIRContext *context = rewriter.getContext();
    Type elementType = type.getElementType();
    Type computeType = getComputeType(elementType);
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap kept = getKeptDimsMap(reduced, context);

    Value zero = createScalarConstant(rewriter, loc, computeType, 0.0);
    Value count = getReducedCount(rewriter, loc, input, reduced, computeType);
    Value sum = createReduction(
        rewriter, loc, input, reduced, input, identity, computeType, zero,
        [](OpBuilder &b, Location bodyLoc, ValueRange args) -> Value {
          Value element = extendToF32IfNarrow(b, bodyLoc, args[0]);
          return arith::AddFOp::create(b, bodyLoc, element, args[1]);
        });
    Value squares = createReduction(
        rewriter, loc, input, reduced, {input, sum}, {identity, kept},
        computeType, zero,
        [&](OpBuilder &b, Location bodyLoc, ValueRange args) -> Value {
          Value element = extendToF32IfNarrow(b, bodyLoc, args[0]);
          Value mean = arith::DivFOp::create(b, bodyLoc, args[1], count);
          Value centered = arith::SubFOp::create(b, bodyLoc, element, mean);
          Value square = arith::MulFOp::create(b, bodyLoc, centered, centered);
          return arith::AddFOp::create(b, bodyLoc, square, args[2]);
        });

    SmallVector<Value> inputs = {input, sum, squares, scale};
    SmallVector<AffineMap> maps = {
        identity, kept, kept,
        getBroadcastIndexingMap(
            cast<RankedTensorType>(scale.getType()).getShape(), type.getShape(),
            context)};
    if (bias) {
      inputs.push_back(bias);
      maps.push_back(getBroadcastIndexingMap(
          cast<RankedTensorType>(bias.getType()).getShape(), type.getShape(),
          context));
    }
    Value epsilon = getEpsilon(rewriter, loc, op.getEpsilon(), computeType);
    Value result = createParallelGeneric(
        rewriter, loc, input, elementType, inputs, maps,
        [&](OpBuilder &b, Location bodyLoc, ValueRange args) -> Value {
          Value element = extendToF32IfNarrow(b, bodyLoc, args[0]);
          Value mean = arith::DivFOp::create(b, bodyLoc, args[1], count);
          Value variance = arith::DivFOp::create(b, bodyLoc, args[2], count);
          Value stddev = math::SqrtOp::create(
              b, bodyLoc, arith::AddFOp::create(b, bodyLoc, variance, epsilon));
          Value normalized = arith::DivFOp::create(
              b, bodyLoc, arith::SubFOp::create(b, bodyLoc, element, mean),
              stddev);
          Value value = arith::MulFOp::create(
              b, bodyLoc, normalized, extendToF32IfNarrow(b, bodyLoc, args[3]));
          if (bias)
            value = arith::AddFOp::create(
                b, bodyLoc, value, extendToF32IfNarrow(b, bodyLoc, args[4]));
          return convertFloat(b, bodyLoc, value, elementType);
        });
    rewriter.replaceOp(op, castToType(rewriter, loc, result,
                                      cast<RankedTensorType>(op.getType())));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// BatchNormalization
//===----------------------------------------------------------------------===//

/// Lowers inference BatchNormalization to one elementwise generic in which
/// the four parameter vectors are read at the channel index (dimension 1).
struct BatchNormalizationLowering
    : OpConversionPattern<graph::BatchNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::BatchNormalizationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    int64_t rank = type.getRank();
    if (rank < 2)
      return rewriter.notifyMatchFailure(op, "input must have rank 2 or more");
    Type elementType = type.getElementType();
    Type computeType = getComputeType(elementType);
    AffineMap channel =
        AffineMap::get(rank, 0, getAffineDimExpr(1, rewriter.getContext()));
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    Value epsilon = getEpsilon(rewriter, loc, op.getEpsilon(), computeType);
    Value result = createParallelGeneric(
        rewriter, loc, input, elementType,
        {input, adaptor.getScale(), adaptor.getBias(), adaptor.getMean(),
         adaptor.getVariance()},
        {identity, channel, channel, channel, channel},
        [&](OpBuilder &b, Location bodyLoc, ValueRange args) -> Value {
          SmallVector<Value> v;
          for (Value arg : args.take_front(5))
            v.push_back(extendToF32IfNarrow(b, bodyLoc, arg));
          Value stddev = math::SqrtOp::create(
              b, bodyLoc, arith::AddFOp::create(b, bodyLoc, v[4], epsilon));
          Value centered = arith::SubFOp::create(b, bodyLoc, v[0], v[3]);
          Value normalized =
              arith::DivFOp::create(b, bodyLoc, centered, stddev);
          Value scaled = arith::MulFOp::create(b, bodyLoc, normalized, v[1]);
          Value value = arith::AddFOp::create(b, bodyLoc, scaled, v[2]);
          return convertFloat(b, bodyLoc, value, elementType);
        });
    rewriter.replaceOp(op, castToType(rewriter, loc, result,
                                      cast<RankedTensorType>(op.getType())));
    return success();
  }
};

} // namespace

void exaforge::populateGraphReductionsToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ReduceSumLowering, ReduceMeanLowering, SoftmaxLowering,
               LayerNormalizationLowering, BatchNormalizationLowering>(
      patterns.getContext());
}
