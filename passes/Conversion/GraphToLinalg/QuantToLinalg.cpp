//===- QuantToLinalg.cpp - Quantization ops to linalg ---------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Lowers QuantizeLinear and DequantizeLinear to elementwise generics
// (rounding half to even with `math.roundeven`, saturating in float before
// the conversion), and MatMulInteger and ConvInteger to integer
// contractions: one `linalg.generic` that reads the 8-bit operands as they
// are, widens each element to `i32`, subtracts its zero point and
// accumulates in `i32`. No float copy of a quantized operand is made. A
// convolution's input is padded with its zero point, so padded positions
// add nothing. Signedness comes from the graph types (`ui8` widens with
// `extui`, `i8` with `extsi`); the generics work on signless views.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/GraphToLinalg/GraphToLinalg.h"
#include "passes/Conversion/GraphToLinalg/LoweringUtils.h"
#include "passes/Conversion/GraphToLinalg/RuntimeParams.h"

#include "dialects/Graph/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace exaforge;
using namespace exaforge::lowering;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Returns the ranked tensor type of `value`.
RankedTensorType tensorTypeOf(Value value) {
  return cast<RankedTensorType>(value.getType());
}

/// Whether `value` holds one element (rank 0 or a vector of size 1).
bool isScalarLike(Value value) {
  RankedTensorType type = tensorTypeOf(value);
  return type.getRank() == 0 ||
         (type.getRank() == 1 && type.getDimSize(0) == 1);
}

/// The map reading a quantization parameter (scale or zero point) inside a
/// loop nest of `numLoops` loops: its one element when it is scalar-like,
/// else its element at loop `loop`.
AffineMap getParamMap(Value param, int64_t numLoops, int64_t loop,
                      MLIRContext *context) {
  RankedTensorType type = tensorTypeOf(param);
  if (type.getRank() == 0)
    return AffineMap::get(numLoops, 0, {}, context);
  if (isScalarLike(param))
    return AffineMap::get(numLoops, 0, getAffineConstantExpr(0, context),
                          context);
  return AffineMap::get(numLoops, 0, getAffineDimExpr(loop, context), context);
}

/// Widens the signless integer scalar `value` to `i32` (zero extension when
/// `isUnsigned`); an `i32` stays as it is.
Value widenToI32(OpBuilder &b, Location loc, Value value, bool isUnsigned) {
  Type i32 = b.getI32Type();
  if (value.getType() == i32)
    return value;
  if (isUnsigned)
    return arith::ExtUIOp::create(b, loc, i32, value);
  return arith::ExtSIOp::create(b, loc, i32, value);
}

/// Returns `value - zeroPoint` in `i32` (`value` alone without a zero
/// point); both have the signless integer type of one operand.
Value subtractZeroPoint(OpBuilder &b, Location loc, Value value,
                        Value zeroPoint, bool isUnsigned) {
  Value wide = widenToI32(b, loc, value, isUnsigned);
  if (!zeroPoint)
    return wide;
  return arith::SubIOp::create(b, loc, wide,
                               widenToI32(b, loc, zeroPoint, isUnsigned));
}

/// The inputs of a `linalg.generic` with their maps; `add` returns the
/// position of the input's block argument, -1 for a null value.
struct GenericInputs {
  int add(Value value, AffineMap map) {
    if (!value)
      return -1;
    values.push_back(value);
    maps.push_back(map);
    return values.size() - 1;
  }
  SmallVector<Value> values;
  SmallVector<AffineMap> maps;
};

/// Returns the block argument at `index`, or null for -1.
Value argOrNull(ValueRange args, int index) {
  return index < 0 ? Value() : args[index];
}

/// Returns the signless view of `value`, or null for null.
Value signlessOrNull(OpBuilder &b, Location loc, Value value) {
  return value ? castToSignless(b, loc, value) : Value();
}

//===----------------------------------------------------------------------===//
// QuantizeLinear, DequantizeLinear
//===----------------------------------------------------------------------===//

/// Builds an elementwise generic over the shape of `x` (read as is) that
/// also reads `scale` and the optional `zeroPoint` per tensor or along
/// `axis`, producing `resultType`; `body` gets the x element, the scale and
/// the zero point (null when absent).
Value createQuantElementwise(
    OpBuilder &b, Location loc, Value x, Value scale, Value zeroPoint,
    int64_t axis, RankedTensorType resultType,
    function_ref<Value(OpBuilder &, Location, Value, Value, Value)> body) {
  MLIRContext *context = b.getContext();
  int64_t rank = resultType.getRank();
  GenericInputs inputs;
  inputs.add(x, b.getMultiDimIdentityMap(rank));
  int scaleIndex = inputs.add(scale, getParamMap(scale, rank, axis, context));
  int zeroIndex = inputs.add(
      zeroPoint,
      zeroPoint ? getParamMap(zeroPoint, rank, axis, context) : AffineMap());
  SmallVector<Value> dynamicSizes;
  for (int64_t i = 0; i < rank; ++i)
    if (resultType.isDynamicDim(i))
      dynamicSizes.push_back(tensor::DimOp::create(b, loc, x, i));
  Value init = createEmptyTensor(b, loc, resultType, dynamicSizes);
  SmallVector<AffineMap> maps = inputs.maps;
  maps.push_back(b.getMultiDimIdentityMap(rank));
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, inputs.values, ValueRange{init}, maps,
      SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        linalg::YieldOp::create(
            nested, nestedLoc,
            body(nested, nestedLoc, args[0], args[scaleIndex],
                 argOrNull(args, zeroIndex)));
      });
  return generic.getResult(0);
}

/// Returns the axis of a per-axis quantization op (0 when per tensor).
FailureOr<int64_t> getQuantAxis(ConversionPatternRewriter &rewriter,
                                Operation *op, Value scale, int64_t axis,
                                int64_t rank) {
  if (isScalarLike(scale))
    return 0;
  return normalizeAxisOrFail(rewriter, op, axis, rank);
}

/// Lowers QuantizeLinear: `clamp(roundeven(x / scale) + zero_point, qmin,
/// qmax)` in float, then converted to the 8-bit result.
struct QuantizeLinearLowering : OpConversionPattern<graph::QuantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::QuantizeLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    auto intType = cast<IntegerType>(resultType.getElementType());
    bool isUnsigned = intType.isUnsigned();
    FailureOr<int64_t> axis =
        getQuantAxis(rewriter, op, adaptor.getScale(), op.getAxis(),
                     resultType.getRank());
    if (failed(axis))
      return failure();
    Type floatType = tensorTypeOf(adaptor.getX()).getElementType();
    double qmin = isUnsigned ? 0.0 : -128.0, qmax = isUnsigned ? 255.0 : 127.0;
    Value result = createQuantElementwise(
        rewriter, loc, adaptor.getX(),
        castToSignless(rewriter, loc, adaptor.getScale()),
        signlessOrNull(rewriter, loc, adaptor.getZeroPoint()), *axis,
        getSignlessTensorType(resultType),
        [&](OpBuilder &b, Location l, Value x, Value scale, Value zero) {
          Value scaled = arith::DivFOp::create(b, l, x, scale);
          Value rounded = math::RoundEvenOp::create(b, l, scaled);
          if (zero) {
            Value zeroFloat =
                isUnsigned
                    ? arith::UIToFPOp::create(b, l, floatType, zero).getResult()
                    : arith::SIToFPOp::create(b, l, floatType, zero).getResult();
            rounded = arith::AddFOp::create(b, l, rounded, zeroFloat);
          }
          Value clamped = arith::MinimumFOp::create(
              b, l,
              arith::MaximumFOp::create(
                  b, l, rounded, createScalarConstant(b, l, floatType, qmin)),
              createScalarConstant(b, l, floatType, qmax));
          Type i8 = b.getIntegerType(8);
          if (isUnsigned)
            return arith::FPToUIOp::create(b, l, i8, clamped).getResult();
          return arith::FPToSIOp::create(b, l, i8, clamped).getResult();
        });
    rewriter.replaceOp(op, castToType(rewriter, loc, result, resultType));
    return success();
  }
};

/// Lowers DequantizeLinear: `(x - zero_point) * scale`, the difference
/// taken in `i32`.
struct DequantizeLinearLowering
    : OpConversionPattern<graph::DequantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::DequantizeLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    bool isUnsigned =
        tensorTypeOf(op.getX()).getElementType().isUnsignedInteger();
    FailureOr<int64_t> axis =
        getQuantAxis(rewriter, op, adaptor.getScale(), op.getAxis(),
                     resultType.getRank());
    if (failed(axis))
      return failure();
    Type floatType = resultType.getElementType();
    Value result = createQuantElementwise(
        rewriter, loc, castToSignless(rewriter, loc, adaptor.getX()),
        adaptor.getScale(),
        signlessOrNull(rewriter, loc, adaptor.getZeroPoint()), *axis,
        resultType,
        [&](OpBuilder &b, Location l, Value x, Value scale, Value zero) {
          Value centered = subtractZeroPoint(b, l, x, zero, isUnsigned);
          Value asFloat = arith::SIToFPOp::create(b, l, floatType, centered);
          return arith::MulFOp::create(b, l, asFloat, scale).getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// MatMulInteger
//===----------------------------------------------------------------------===//

/// Returns the zero point `zeroPoint` of a MatMulInteger operand ready to be
/// read through getParamMap along dimension `dim` of `operand` (its rows for
/// `a`, its columns for `b`), with the run-time checks ONNX's rule needs: one
/// element, or one per row (column). A vector whose length is a symbolic
/// dimension may hold one element at run time: it is then broadcast through
/// createRuntimeBroadcast (it used to be read at every row index; found by
/// utils/diff_fuzz.py with QLinearMatMul). `what` names the zero point and
/// `along` what it runs along, in messages.
Value prepareProductZeroPoint(OpBuilder &b, Operation *op, Value zeroPoint,
                              Value operand, int64_t dim, StringRef what,
                              StringRef along) {
  if (!zeroPoint || isScalarLike(zeroPoint))
    return zeroPoint;
  Location loc = op->getLoc();
  OpFoldResult target = tensor::getMixedSize(b, loc, operand, dim);
  std::string message =
      (Twine("'") + what + "' holds neither one element nor one per " + along)
          .str();
  if (!tensorTypeOf(zeroPoint).isDynamicDim(0)) {
    checkSameSize(b, op, target,
                  b.getIndexAttr(tensorTypeOf(zeroPoint).getDimSize(0)),
                  message);
    return zeroPoint;
  }
  Value size = tensor::DimOp::create(b, loc, zeroPoint, 0);
  Value targetValue = getValueOrCreateConstantIndexOp(b, loc, target);
  Value isOne = b.createOrFold<arith::CmpIOp>(
      loc, arith::CmpIPredicate::eq, size,
      arith::ConstantIndexOp::create(b, loc, 1));
  Value isTarget = b.createOrFold<arith::CmpIOp>(
      loc, arith::CmpIPredicate::eq, size, targetValue);
  createRuntimeCheck(b, op, b.createOrFold<arith::OrIOp>(loc, isOne, isTarget),
                     message);
  return createRuntimeBroadcast(b, loc, zeroPoint, {0}, {target});
}

/// Lowers MatMulInteger to one integer contraction `linalg.generic` over
/// `(batch..., m, n, k)`; 1-D operands are promoted to matrices as for
/// MatMul and the batch dimensions broadcast.
struct MatMulIntegerLowering : OpConversionPattern<graph::MatMulIntegerOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::MatMulIntegerOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    bool aUnsigned = tensorTypeOf(op.getA()).getElementType().isUnsignedInteger();
    bool bUnsigned = tensorTypeOf(op.getB()).getElementType().isUnsignedInteger();
    Value a = castToSignless(rewriter, loc, adaptor.getA());
    Value b = castToSignless(rewriter, loc, adaptor.getB());
    Value aZero = signlessOrNull(rewriter, loc, adaptor.getAZeroPoint());
    Value bZero = signlessOrNull(rewriter, loc, adaptor.getBZeroPoint());
    bool aVector = tensorTypeOf(a).getRank() == 1;
    bool bVector = tensorTypeOf(b).getRank() == 1;
    if (aVector)
      a = expandUnitDims(rewriter, loc, a, {true, false});
    if (bVector)
      b = expandUnitDims(rewriter, loc, b, {false, true});
    RankedTensorType aType = tensorTypeOf(a), bType = tensorTypeOf(b);
    int64_t aRank = aType.getRank(), bRank = bType.getRank();
    aZero = prepareProductZeroPoint(rewriter, op, aZero, a, aRank - 2,
                                    "a_zero_point", "row of 'a'");
    bZero = prepareProductZeroPoint(rewriter, op, bZero, b, bRank - 1,
                                    "b_zero_point", "column of 'b'");
    FailureOr<SmallVector<int64_t>> batch = graph::broadcastShapes(
        std::nullopt, aType.getShape().drop_back(2),
        bType.getShape().drop_back(2));
    if (failed(batch))
      return failLowering(rewriter, op, "batch dimensions do not broadcast");
    int64_t batchRank = batch->size();
    int64_t numLoops = batchRank + 3;
    SmallVector<int64_t> shape(*batch);
    shape.push_back(aType.getDimSize(aRank - 2));
    shape.push_back(bType.getDimSize(bRank - 1));
    auto resultType = RankedTensorType::get(shape, rewriter.getI32Type());

    AffineExpr m = getAffineDimExpr(batchRank, context);
    AffineExpr n = getAffineDimExpr(batchRank + 1, context);
    AffineExpr k = getAffineDimExpr(batchRank + 2, context);
    auto operandMap = [&](RankedTensorType type, AffineExpr row,
                          AffineExpr column) {
      SmallVector<AffineExpr> exprs(
          getBroadcastIndexingMap(type.getShape().drop_back(2), *batch, context)
              .getResults());
      exprs.push_back(row);
      exprs.push_back(column);
      return AffineMap::get(numLoops, 0, exprs, context);
    };
    GenericInputs inputs;
    inputs.add(a, operandMap(aType, m, k));
    inputs.add(b, operandMap(bType, k, n));
    int aZeroIndex = inputs.add(
        aZero, aZero ? getParamMap(aZero, numLoops, batchRank, context)
                     : AffineMap());
    int bZeroIndex = inputs.add(
        bZero, bZero ? getParamMap(bZero, numLoops, batchRank + 1, context)
                     : AffineMap());

    SmallVector<Value> dynamicSizes;
    for (int64_t i = 0; i < batchRank; ++i) {
      if (!ShapedType::isDynamic(shape[i]))
        continue;
      int64_t aDim = i - (batchRank - (aRank - 2));
      if (aDim >= 0 && aType.getDimSize(aDim) != 1)
        dynamicSizes.push_back(tensor::DimOp::create(rewriter, loc, a, aDim));
      else
        dynamicSizes.push_back(tensor::DimOp::create(
            rewriter, loc, b, i - (batchRank - (bRank - 2))));
    }
    if (resultType.isDynamicDim(batchRank))
      dynamicSizes.push_back(tensor::DimOp::create(rewriter, loc, a, aRank - 2));
    if (resultType.isDynamicDim(batchRank + 1))
      dynamicSizes.push_back(tensor::DimOp::create(rewriter, loc, b, bRank - 1));
    Value zero = createScalarConstant(rewriter, loc, rewriter.getI32Type(), 0);
    Value init = createFilledTensor(rewriter, loc, resultType, dynamicSizes, zero);

    SmallVector<AffineMap> maps = inputs.maps;
    maps.push_back(AffineMap::getMultiDimIdentityMap(numLoops, context)
                       .getMajorSubMap(numLoops - 1));
    SmallVector<utils::IteratorType> iterators(numLoops - 1,
                                               utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{resultType}, inputs.values,
            ValueRange{init}, maps, iterators,
            [&](OpBuilder &nb, Location nl, ValueRange args) {
              Value lhs = subtractZeroPoint(nb, nl, args[0],
                                            argOrNull(args, aZeroIndex),
                                            aUnsigned);
              Value rhs = subtractZeroPoint(nb, nl, args[1],
                                            argOrNull(args, bZeroIndex),
                                            bUnsigned);
              Value product = arith::MulIOp::create(nb, nl, lhs, rhs);
              linalg::YieldOp::create(
                  nb, nl,
                  arith::AddIOp::create(nb, nl, args.back(), product)
                      .getResult());
            })
            .getResult(0);
    result =
        dropPromotedVectorDims(rewriter, loc, result, batchRank, aVector, bVector);
    rewriter.replaceOp(op, castToType(rewriter, loc, result,
                                      cast<RankedTensorType>(op.getType())));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// ConvInteger
//===----------------------------------------------------------------------===//

/// Lowers ConvInteger to one integer `linalg.generic` over `(n, m, o1..on,
/// c, r1..rn)` reading the input padded with its zero point: output channel
/// `m` belongs to group `m floordiv (M / group)` and reads the input
/// channels `group * (C / group) + c`.
struct ConvIntegerLowering : OpConversionPattern<graph::ConvIntegerOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::ConvIntegerOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    auto resultType = cast<RankedTensorType>(op.getType());
    RankedTensorType wType = tensorTypeOf(adaptor.getW());
    if (!wType.hasStaticShape() ||
        llvm::any_of(resultType.getShape().drop_front(2), ShapedType::isDynamic))
      return failLowering(rewriter, op,
                          "the weight and the spatial dimensions must be "
                          "static to lower ConvInteger to linalg");
    bool xUnsigned = tensorTypeOf(op.getX()).getElementType().isUnsignedInteger();
    bool wUnsigned = tensorTypeOf(op.getW()).getElementType().isUnsignedInteger();
    Value x = castToSignless(rewriter, loc, adaptor.getX());
    Value w = castToSignless(rewriter, loc, adaptor.getW());
    Value xZero = signlessOrNull(rewriter, loc, adaptor.getXZeroPoint());
    Value wZero = signlessOrNull(rewriter, loc, adaptor.getWZeroPoint());
    int64_t spatialRank = resultType.getRank() - 2;
    ArrayRef<int64_t> strides = op.getStrides(), pads = op.getPads();
    ArrayRef<int64_t> dilations = op.getDilations();

    // Pad the input with its zero point: (x_zero_point - x_zero_point) = 0.
    RankedTensorType xType = tensorTypeOf(x);
    Value padValue;
    if (xZero) {
      SmallVector<Value> indices(
          tensorTypeOf(xZero).getRank(),
          arith::ConstantIndexOp::create(rewriter, loc, 0));
      padValue = tensor::ExtractOp::create(rewriter, loc, xZero, indices);
    } else {
      padValue =
          createScalarConstant(rewriter, loc, xType.getElementType(), 0);
    }
    SmallVector<int64_t> paddedShape(xType.getShape());
    SmallVector<OpFoldResult> low(xType.getRank(), rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> high(xType.getRank(), rewriter.getIndexAttr(0));
    bool padded = false;
    for (int64_t i = 0; i < spatialRank; ++i) {
      int64_t begin = pads[i], end = pads[i + spatialRank];
      if (begin == 0 && end == 0)
        continue;
      padded = true;
      low[i + 2] = rewriter.getIndexAttr(begin);
      high[i + 2] = rewriter.getIndexAttr(end);
      if (!ShapedType::isDynamic(paddedShape[i + 2]))
        paddedShape[i + 2] += begin + end;
    }
    if (padded)
      x = tensor::PadOp::create(rewriter, loc, xType.clone(paddedShape), x, low,
                                high, padValue);

    int64_t group = op.getGroup();
    int64_t filtersPerGroup = wType.getDimSize(0) / group;
    int64_t channelsPerGroup = wType.getDimSize(1);
    int64_t numLoops = 3 + 2 * spatialRank;
    auto dim = [&](int64_t i) { return getAffineDimExpr(i, context); };
    AffineExpr channel = dim(2 + spatialRank);
    SmallVector<AffineExpr> xExprs = {
        dim(0), dim(1).floorDiv(filtersPerGroup) * channelsPerGroup + channel};
    SmallVector<AffineExpr> wExprs = {dim(1), channel};
    SmallVector<AffineExpr> outExprs = {dim(0), dim(1)};
    for (int64_t i = 0; i < spatialRank; ++i) {
      AffineExpr offset = dim(3 + spatialRank + i);
      xExprs.push_back(dim(2 + i) * strides[i] + offset * dilations[i]);
      wExprs.push_back(offset);
      outExprs.push_back(dim(2 + i));
    }
    GenericInputs inputs;
    inputs.add(x, AffineMap::get(numLoops, 0, xExprs, context));
    inputs.add(w, AffineMap::get(numLoops, 0, wExprs, context));
    int xZeroIndex = inputs.add(
        xZero, xZero ? getParamMap(xZero, numLoops, 0, context) : AffineMap());
    int wZeroIndex = inputs.add(
        wZero, wZero ? getParamMap(wZero, numLoops, 1, context) : AffineMap());
    SmallVector<AffineMap> maps = inputs.maps;
    maps.push_back(AffineMap::get(numLoops, 0, outExprs, context));
    SmallVector<utils::IteratorType> iterators(2 + spatialRank,
                                               utils::IteratorType::parallel);
    iterators.append(1 + spatialRank, utils::IteratorType::reduction);

    SmallVector<Value> dynamicSizes;
    if (resultType.isDynamicDim(0))
      dynamicSizes.push_back(
          tensor::DimOp::create(rewriter, loc, adaptor.getX(), 0));
    Value zero = createScalarConstant(rewriter, loc, rewriter.getI32Type(), 0);
    Value init =
        createFilledTensor(rewriter, loc, resultType, dynamicSizes, zero);
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{resultType}, inputs.values,
            ValueRange{init}, maps, iterators,
            [&](OpBuilder &nb, Location nl, ValueRange args) {
              Value input = subtractZeroPoint(nb, nl, args[0],
                                              argOrNull(args, xZeroIndex),
                                              xUnsigned);
              Value weight = subtractZeroPoint(nb, nl, args[1],
                                               argOrNull(args, wZeroIndex),
                                               wUnsigned);
              Value product = arith::MulIOp::create(nb, nl, input, weight);
              linalg::YieldOp::create(
                  nb, nl,
                  arith::AddIOp::create(nb, nl, args.back(), product)
                      .getResult());
            })
            .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void exaforge::populateGraphQuantToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<QuantizeLinearLowering, DequantizeLinearLowering,
               MatMulIntegerLowering, ConvIntegerLowering>(
      patterns.getContext());
}
