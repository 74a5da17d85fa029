//===- ConvPoolToLinalg.cpp - Graph convolution and pooling to linalg -----===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Lowers Conv, MaxPool, AveragePool and GlobalAveragePool (NCHW layout).
// Explicit pads become a `tensor.pad` of the spatial dimensions (zero for
// Conv and AveragePool, the lowest value for MaxPool); ceil_mode windows
// that overhang the padded input get extra end padding of the same value.
// Named ops are used where linalg has them, a `linalg.generic` with the
// same indexing maps otherwise:
//  - Conv, group 1: `linalg.conv_{1d_ncw_fcw,2d_nchw_fchw,3d_ncdhw_fcdhw}`
//    into a zero-filled output (`select-kernels` relies on that fill for
//    the f32 2-D case: the kernel then overwrites its output);
//  - Conv, 2-D grouped (depthwise included): `linalg.conv_2d_ngchw_gfchw`
//    on the input and weight expanded with the group dimension; other
//    grouped convolutions: a generic;
//  - the optional bias is added by a broadcast elementwise generic;
//  - MaxPool: `linalg.pooling_{ncw,nchw}_max`; a generic for ui8 (with
//    `maxui`) and beyond two spatial dimensions; with its Indices output,
//    a generic with two results (the maximum and its flat index);
//  - AveragePool: `linalg.pooling_{ncw,nchw}_sum`, then a division by the
//    exact number of counted window elements per output position (a scalar
//    when it is the same everywhere, else one small constant vector per
//    spatial dimension);
//  - GlobalAveragePool: a sum reduction over the spatial dimensions, a
//    division, and `tensor.expand_shape` back to `N x C x 1 x ... x 1`.
// Sums of f16/bf16 pooling windows accumulate in f32; convolutions
// accumulate in the element type, as the contractions do. The batch and
// channel dimensions may be dynamic (Conv casts the channels to the count
// the weight implies), and so may the spatial dimensions of
// GlobalAveragePool; the other ops need static spatial dimensions and Conv a
// static weight shape.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/GraphToLinalg/GraphToLinalg.h"
#include "passes/Conversion/GraphToLinalg/LoweringUtils.h"

#include "dialects/Graph/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

#include <algorithm>
#include <limits>

using namespace mlir;
using namespace exaforge;
using namespace exaforge::lowering;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// The sliding window of a convolution or pooling op, one entry per spatial
/// dimension.
struct Window {
  SmallVector<int64_t> kernel, strides, dilations, padBegin, padEnd;
};

/// Returns the type in which window sums of `elementType` accumulate: f32
/// for floats narrower than 32 bits, the type itself otherwise.
Type getAccumulatorType(Type elementType) {
  auto floatType = dyn_cast<FloatType>(elementType);
  if (floatType && floatType.getWidth() < 32)
    return Float32Type::get(elementType.getContext());
  return elementType;
}

/// Splits the ONNX `pads` (all begin pads, then all end pads) of `window`.
void splitPads(ArrayRef<int64_t> pads, Window &window) {
  size_t spatialRank = pads.size() / 2;
  window.padBegin.assign(pads.begin(), pads.begin() + spatialRank);
  window.padEnd.assign(pads.begin() + spatialRank, pads.end());
}

/// Returns the output size of one spatial dimension of size `input` under
/// the window dimension `i` (the rule of the graph dialect's type inference:
/// with `ceilMode`, a last window starting in the end padding is dropped).
int64_t getOutputSize(int64_t input, const Window &window, size_t i,
                      bool ceilMode) {
  int64_t extent = (window.kernel[i] - 1) * window.dilations[i] + 1;
  int64_t span = input + window.padBegin[i] + window.padEnd[i] - extent;
  int64_t stride = window.strides[i];
  int64_t size = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1;
  if (ceilMode && (size - 1) * stride >= input + window.padBegin[i])
    --size;
  return size;
}

/// Returns the result type `N x C x O1 x ... x On` of a window op on `input`
/// (whose spatial dimensions are static) with `channels` output channels.
RankedTensorType getWindowResultType(RankedTensorType input, int64_t channels,
                                     const Window &window, bool ceilMode,
                                     Type elementType) {
  SmallVector<int64_t> shape = {input.getDimSize(0), channels};
  for (size_t i = 0; i < window.kernel.size(); ++i)
    shape.push_back(
        getOutputSize(input.getDimSize(i + 2), window, i, ceilMode));
  return RankedTensorType::get(shape, elementType);
}

/// Returns `tensor.dim`s of `source` for the dynamic dimensions of `type`,
/// which must be dimensions that `source` shares (batch and channels).
SmallVector<Value> getDynamicSizes(OpBuilder &b, Location loc,
                                   RankedTensorType type, Value source) {
  SmallVector<Value> sizes;
  for (int64_t i = 0; i < type.getRank(); ++i)
    if (type.isDynamicDim(i))
      sizes.push_back(tensor::DimOp::create(b, loc, source, i));
  return sizes;
}

/// Pads the spatial dimensions of `input` with `padValue`: `window`'s pads,
/// plus at the end whatever the windows of `resultType` read beyond them
/// (ceil_mode). Returns `input` itself when nothing is padded.
Value padSpatialDims(OpBuilder &b, Location loc, Value input,
                     const Window &window, RankedTensorType resultType,
                     Value padValue) {
  auto inputType = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape(inputType.getShape());
  SmallVector<OpFoldResult> low(inputType.getRank(), b.getIndexAttr(0));
  SmallVector<OpFoldResult> high(inputType.getRank(), b.getIndexAttr(0));
  bool padded = false;
  for (size_t i = 0; i < window.kernel.size(); ++i) {
    int64_t extent = (window.kernel[i] - 1) * window.dilations[i] + 1;
    int64_t needed =
        (resultType.getDimSize(i + 2) - 1) * window.strides[i] + extent;
    int64_t available = shape[i + 2] + window.padBegin[i] + window.padEnd[i];
    int64_t end = window.padEnd[i] + std::max<int64_t>(0, needed - available);
    if (window.padBegin[i] == 0 && end == 0)
      continue;
    padded = true;
    low[i + 2] = b.getIndexAttr(window.padBegin[i]);
    high[i + 2] = b.getIndexAttr(end);
    shape[i + 2] += window.padBegin[i] + end;
  }
  if (!padded)
    return input;
  return tensor::PadOp::create(b, loc, inputType.clone(shape), input, low, high,
                               padValue);
}

/// Returns the indexing map of the window operand, `(r1, ..., rn)`, of a
/// pooling generic over the loops `(n, c, o1, ..., on, r1, ..., rn)`, or
/// that of its input, `(n, c, o1 * s1 + r1 * d1, ...)`, when `forInput`.
AffineMap getPoolingMap(const Window &window, bool forInput,
                        MLIRContext *context) {
  int64_t spatialRank = window.kernel.size();
  int64_t numLoops = 2 + 2 * spatialRank;
  SmallVector<AffineExpr> exprs;
  if (forInput) {
    exprs = {getAffineDimExpr(0, context), getAffineDimExpr(1, context)};
    for (int64_t i = 0; i < spatialRank; ++i)
      exprs.push_back(getAffineDimExpr(2 + i, context) * window.strides[i] +
                      getAffineDimExpr(2 + spatialRank + i, context) *
                          window.dilations[i]);
  } else {
    for (int64_t i = 0; i < spatialRank; ++i)
      exprs.push_back(getAffineDimExpr(2 + spatialRank + i, context));
  }
  return AffineMap::get(numLoops, 0, exprs, context);
}

/// Builds a pooling `linalg.generic` reading the padded `input` window by
/// window into `init`; `body` receives the input element and the
/// accumulator. Used where linalg has no named pooling op.
Value createPoolingGeneric(OpBuilder &b, Location loc, Value input, Value init,
                           const Window &window, ScalarBodyBuilder body) {
  MLIRContext *context = b.getContext();
  int64_t spatialRank = window.kernel.size();
  Type elementType = cast<RankedTensorType>(input.getType()).getElementType();
  // Only the shape of the window operand matters: it gives the loop bounds
  // of the kernel offsets.
  Value windowShape =
      tensor::EmptyOp::create(b, loc, window.kernel, elementType);
  SmallVector<utils::IteratorType> iterators(2 + spatialRank,
                                             utils::IteratorType::parallel);
  iterators.append(spatialRank, utils::IteratorType::reduction);
  SmallVector<AffineMap> maps = {
      getPoolingMap(window, /*forInput=*/true, context),
      getPoolingMap(window, /*forInput=*/false, context),
      AffineMap::getMultiDimIdentityMap(2 + 2 * spatialRank, context)
          .getMajorSubMap(2 + spatialRank)};
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, ValueRange{input, windowShape},
      ValueRange{init}, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        linalg::YieldOp::create(nested, nestedLoc,
                                body(nested, nestedLoc, {args[0], args[2]}));
      });
  return generic.getResult(0);
}

/// Creates the named window op `OpTy` (a convolution or pooling op with
/// `strides` and `dilations` attributes) reading `inputs` into `init`.
template <typename OpTy>
Value createNamedWindowOp(OpBuilder &b, Location loc, ValueRange inputs,
                          Value init, const Window &window) {
  auto op = OpTy::create(b, loc, TypeRange{init.getType()}, inputs,
                         ValueRange{init}, b.getI64TensorAttr(window.strides),
                         b.getI64TensorAttr(window.dilations));
  return op->getResult(0);
}

/// Checks that every spatial dimension of `type` is static.
bool hasStaticSpatialDims(RankedTensorType type) {
  return llvm::none_of(type.getShape().drop_front(2), ShapedType::isDynamic);
}

//===----------------------------------------------------------------------===//
// Conv
//===----------------------------------------------------------------------===//

/// Builds the grouped convolution of the padded `input` by `weight` into
/// `init` as a `linalg.generic` over `(n, m, o1..on, c, r1..rn)`: output
/// channel `m` belongs to group `m floordiv (M / group)` and reads the input
/// channels `group * (C / group) + c`.
Value createGroupedConvGeneric(OpBuilder &b, Location loc, Value input,
                               Value weight, Value init, const Window &window,
                               int64_t group) {
  MLIRContext *context = b.getContext();
  auto weightType = cast<RankedTensorType>(weight.getType());
  int64_t spatialRank = window.kernel.size();
  int64_t numLoops = 3 + 2 * spatialRank;
  int64_t filtersPerGroup = weightType.getDimSize(0) / group;
  int64_t channelsPerGroup = weightType.getDimSize(1);
  auto dim = [&](int64_t i) { return getAffineDimExpr(i, context); };
  AffineExpr reducedChannel = dim(2 + spatialRank);
  SmallVector<AffineExpr> inputExprs = {
      dim(0),
      dim(1).floorDiv(filtersPerGroup) * channelsPerGroup + reducedChannel};
  SmallVector<AffineExpr> weightExprs = {dim(1), reducedChannel};
  SmallVector<AffineExpr> outputExprs = {dim(0), dim(1)};
  for (int64_t i = 0; i < spatialRank; ++i) {
    AffineExpr offset = dim(3 + spatialRank + i);
    inputExprs.push_back(dim(2 + i) * window.strides[i] +
                         offset * window.dilations[i]);
    weightExprs.push_back(offset);
    outputExprs.push_back(dim(2 + i));
  }
  SmallVector<AffineMap> maps = {
      AffineMap::get(numLoops, 0, inputExprs, context),
      AffineMap::get(numLoops, 0, weightExprs, context),
      AffineMap::get(numLoops, 0, outputExprs, context)};
  SmallVector<utils::IteratorType> iterators(2 + spatialRank,
                                             utils::IteratorType::parallel);
  iterators.append(1 + spatialRank, utils::IteratorType::reduction);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, ValueRange{input, weight},
      ValueRange{init}, maps, iterators,
      [](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value product =
            arith::MulFOp::create(nested, nestedLoc, args[0], args[1]);
        linalg::YieldOp::create(
            nested, nestedLoc,
            arith::AddFOp::create(nested, nestedLoc, args[2], product)
                .getResult());
      });
  return generic.getResult(0);
}

/// Builds the 2-D grouped convolution of the padded `input` by `weight` into
/// `init` with `linalg.conv_2d_ngchw_gfchw`: the channels of the input, the
/// filters of the weight and the channels of the output are split into
/// `group x per-group` dimensions around it.
Value createGrouped2DConv(OpBuilder &b, Location loc, Value input, Value weight,
                          Value init, const Window &window, int64_t group) {
  auto inputType = cast<RankedTensorType>(input.getType());
  auto weightType = cast<RankedTensorType>(weight.getType());
  auto initType = cast<RankedTensorType>(init.getType());
  // Splits dimension `at` of `type` into `group x size / group`.
  auto splitDim = [&](RankedTensorType type, int64_t at) {
    SmallVector<int64_t> shape(type.getShape());
    shape[at] /= group;
    shape.insert(shape.begin() + at, group);
    return type.clone(shape);
  };
  SmallVector<ReassociationIndices> channelGroups = {{0}, {1, 2}, {3}, {4}};
  SmallVector<ReassociationIndices> filterGroups = {{0, 1}, {2}, {3}, {4}};
  Value groupedInput = tensor::ExpandShapeOp::create(
      b, loc, splitDim(inputType, 1), input, channelGroups);
  Value groupedWeight = tensor::ExpandShapeOp::create(
      b, loc, splitDim(weightType, 0), weight, filterGroups);
  Value groupedInit = tensor::ExpandShapeOp::create(
      b, loc, splitDim(initType, 1), init, channelGroups);
  Value conv = createNamedWindowOp<linalg::Conv2DNgchwGfchwOp>(
      b, loc, {groupedInput, groupedWeight}, groupedInit, window);
  return tensor::CollapseShapeOp::create(b, loc, initType, conv, channelGroups);
}

/// Lowers Conv. Group 1 uses the named NCHW convolution of the spatial rank
/// (1 to 3), 2-D grouped convolutions `linalg.conv_2d_ngchw_gfchw`, other
/// grouped ones a `linalg.generic`; the bias is added afterwards.
struct ConvLowering : OpConversionPattern<graph::ConvOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::ConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput(), weight = adaptor.getWeight();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto weightType = cast<RankedTensorType>(weight.getType());
    if (!weightType.hasStaticShape())
      return lowering::failLowering(
          rewriter, op, "the weight shape must be static to lower Conv to linalg");
    if (!hasStaticSpatialDims(inputType))
      return lowering::failLowering(
          rewriter, op, "the spatial input dimensions must be static to lower Conv to "
              "linalg");
    int64_t group = op.getGroup();
    int64_t spatialRank = inputType.getRank() - 2;
    Window window;
    window.kernel.assign(weightType.getShape().begin() + 2,
                         weightType.getShape().end());
    window.strides.assign(op.getStrides().begin(), op.getStrides().end());
    window.dilations.assign(op.getDilations().begin(), op.getDilations().end());
    splitPads(op.getPads(), window);

    // A dynamic channel count can only be `group` times the weight's.
    int64_t channels = weightType.getDimSize(1) * group;
    if (inputType.isDynamicDim(1)) {
      SmallVector<int64_t> shape(inputType.getShape());
      shape[1] = channels;
      inputType = inputType.clone(shape);
      input = tensor::CastOp::create(rewriter, loc, inputType, input);
    }

    Type elementType = inputType.getElementType();
    RankedTensorType resultType =
        getWindowResultType(inputType, weightType.getDimSize(0), window,
                            /*ceilMode=*/false, elementType);
    Value zero = createScalarConstant(rewriter, loc, elementType, 0.0);
    Value padded =
        padSpatialDims(rewriter, loc, input, window, resultType, zero);
    SmallVector<Value> dynamicSizes =
        getDynamicSizes(rewriter, loc, resultType, input);
    Value init =
        createFilledTensor(rewriter, loc, resultType, dynamicSizes, zero);

    Value result;
    if (group == 1 && spatialRank == 1)
      result = createNamedWindowOp<linalg::Conv1DNcwFcwOp>(
          rewriter, loc, {padded, weight}, init, window);
    else if (group == 1 && spatialRank == 2)
      result = createNamedWindowOp<linalg::Conv2DNchwFchwOp>(
          rewriter, loc, {padded, weight}, init, window);
    else if (group == 1 && spatialRank == 3)
      result = createNamedWindowOp<linalg::Conv3DNcdhwFcdhwOp>(
          rewriter, loc, {padded, weight}, init, window);
    else if (spatialRank == 2)
      result = createGrouped2DConv(rewriter, loc, padded, weight, init, window,
                                   group);
    else
      result = createGroupedConvGeneric(rewriter, loc, padded, weight, init,
                                        window, group);

    if (Value bias = adaptor.getBias()) {
      AffineMap channelMap =
          AffineMap::get(resultType.getRank(), 0, rewriter.getAffineDimExpr(1),
                         rewriter.getContext());
      AffineMap identity =
          rewriter.getMultiDimIdentityMap(resultType.getRank());
      auto generic = linalg::GenericOp::create(
          rewriter, loc, TypeRange{resultType}, ValueRange{result, bias},
          ValueRange{
              createEmptyTensor(rewriter, loc, resultType, dynamicSizes)},
          ArrayRef<AffineMap>{identity, channelMap, identity},
          SmallVector<utils::IteratorType>(resultType.getRank(),
                                           utils::IteratorType::parallel),
          [](OpBuilder &b, Location bodyLoc, ValueRange args) {
            linalg::YieldOp::create(
                b, bodyLoc,
                arith::AddFOp::create(b, bodyLoc, args[0], args[1])
                    .getResult());
          });
      result = generic.getResult(0);
    }
    rewriter.replaceOp(op, castToType(rewriter, loc, result,
                                      cast<RankedTensorType>(op.getType())));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// MaxPool
//===----------------------------------------------------------------------===//

/// Returns the lowest value of `elementType` (signless; `isUnsigned` says
/// how an integer type is read): -inf for floats, the minimum for integers.
Value createLowestValue(OpBuilder &b, Location loc, Type elementType,
                        bool isUnsigned) {
  if (isa<FloatType>(elementType))
    return createScalarConstant(b, loc, elementType,
                                -std::numeric_limits<double>::infinity());
  if (isUnsigned)
    return createScalarConstant(b, loc, elementType, 0.0);
  return arith::ConstantOp::create(
      b, loc,
      b.getIntegerAttr(elementType, APInt::getSignedMinValue(
                                        elementType.getIntOrFloatBitWidth())));
}

/// Lowers MaxPool: the input is padded with the lowest value of its type
/// (-inf for floats), so padded positions never win, and reduced with
/// `linalg.pooling_{ncw,nchw}_max` (signed maximum for i8) or, for ui8 and
/// three or more spatial dimensions, a generic.
struct MaxPoolLowering : OpConversionPattern<graph::MaxPoolOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::MaxPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto originalType = cast<RankedTensorType>(adaptor.getInput().getType());
    if (!hasStaticSpatialDims(originalType))
      return lowering::failLowering(
          rewriter, op, "the spatial input dimensions must be static to lower MaxPool "
              "to linalg");
    bool isUnsigned = originalType.getElementType().isUnsignedInteger();
    Value input = castToSignless(rewriter, loc, adaptor.getInput());
    auto inputType = cast<RankedTensorType>(input.getType());
    Type elementType = inputType.getElementType();
    int64_t spatialRank = inputType.getRank() - 2;
    Window window;
    window.kernel.assign(op.getKernelShape().begin(),
                         op.getKernelShape().end());
    window.strides.assign(op.getStrides().begin(), op.getStrides().end());
    window.dilations.assign(op.getDilations().begin(), op.getDilations().end());
    splitPads(op.getPads(), window);
    RankedTensorType resultType =
        getWindowResultType(inputType, inputType.getDimSize(1), window,
                            op.getCeilMode(), elementType);

    Value lowest = createLowestValue(rewriter, loc, elementType, isUnsigned);
    Value padded =
        padSpatialDims(rewriter, loc, input, window, resultType, lowest);
    Value init = createFilledTensor(
        rewriter, loc, resultType,
        getDynamicSizes(rewriter, loc, resultType, input), lowest);

    Value result;
    if (!isUnsigned && spatialRank <= 2) {
      Value windowShape =
          tensor::EmptyOp::create(rewriter, loc, window.kernel, elementType);
      result = spatialRank == 1
                   ? createNamedWindowOp<linalg::PoolingNcwMaxOp>(
                         rewriter, loc, {padded, windowShape}, init, window)
                   : createNamedWindowOp<linalg::PoolingNchwMaxOp>(
                         rewriter, loc, {padded, windowShape}, init, window);
    } else {
      result = createPoolingGeneric(
          rewriter, loc, padded, init, window,
          [&](OpBuilder &b, Location bodyLoc, ValueRange args) -> Value {
            if (isUnsigned)
              return arith::MaxUIOp::create(b, bodyLoc, args[0], args[1]);
            if (isa<FloatType>(elementType))
              return arith::MaximumFOp::create(b, bodyLoc, args[0], args[1]);
            return arith::MaxSIOp::create(b, bodyLoc, args[0], args[1]);
          });
    }
    rewriter.replaceOp(op, castToType(rewriter, loc, result,
                                      cast<RankedTensorType>(op.getType())));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// MaxPool with Indices
//===----------------------------------------------------------------------===//

/// Lowers MaxPool with its Indices output to one pooling generic with two
/// results, the running maximum and its flat index (-1 before the first
/// element). A window element replaces them when it lies inside the input
/// (the padding, filled with the lowest value, never wins) and is the first
/// one, greater than the maximum, or a NaN replacing a number; ties keep the
/// first element in row-major window order, as onnxruntime does.
struct MaxPoolWithIndicesLowering
    : OpConversionPattern<graph::MaxPoolWithIndicesOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::MaxPoolWithIndicesOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    auto originalType = cast<RankedTensorType>(adaptor.getInput().getType());
    if (!hasStaticSpatialDims(originalType))
      return lowering::failLowering(
          rewriter, op,
          "the spatial input dimensions must be static to lower MaxPool "
          "with indices to linalg");
    bool isUnsigned = originalType.getElementType().isUnsignedInteger();
    Value input = castToSignless(rewriter, loc, adaptor.getInput());
    auto inputType = cast<RankedTensorType>(input.getType());
    Type elementType = inputType.getElementType();
    int64_t spatialRank = inputType.getRank() - 2;
    Window window;
    window.kernel.assign(op.getKernelShape().begin(),
                         op.getKernelShape().end());
    window.strides.assign(op.getStrides().begin(), op.getStrides().end());
    window.dilations.assign(op.getDilations().begin(), op.getDilations().end());
    splitPads(op.getPads(), window);
    RankedTensorType resultType =
        getWindowResultType(inputType, inputType.getDimSize(1), window,
                            op.getCeilMode(), elementType);
    RankedTensorType indicesType = resultType.clone(rewriter.getI64Type());

    Value lowest = createLowestValue(rewriter, loc, elementType, isUnsigned);
    Value padded =
        padSpatialDims(rewriter, loc, input, window, resultType, lowest);
    SmallVector<Value> dynamicSizes =
        getDynamicSizes(rewriter, loc, resultType, input);
    Value valuesInit =
        createFilledTensor(rewriter, loc, resultType, dynamicSizes, lowest);
    Value indicesInit = createFilledTensor(
        rewriter, loc, indicesType, dynamicSizes,
        arith::ConstantOp::create(rewriter, loc, rewriter.getI64IntegerAttr(-1)));
    Value windowShape =
        tensor::EmptyOp::create(rewriter, loc, window.kernel, elementType);

    // The flat index counts (n * C + c) whole images, then the spatial
    // position row-major or (column_major_indices) column-major.
    ArrayRef<int64_t> spatialDims = inputType.getShape().drop_front(2);
    int64_t imageSize = 1;
    for (int64_t dim : spatialDims)
      imageSize *= dim;
    SmallVector<int64_t> spatialStrides(spatialRank, 1);
    if (op.getColumnMajorIndices()) {
      for (int64_t i = 1; i < spatialRank; ++i)
        spatialStrides[i] = spatialStrides[i - 1] * spatialDims[i - 1];
    } else {
      for (int64_t i = spatialRank - 2; i >= 0; --i)
        spatialStrides[i] = spatialStrides[i + 1] * spatialDims[i + 1];
    }
    Value channels = tensor::DimOp::create(rewriter, loc, input, 1);

    SmallVector<utils::IteratorType> iterators(2 + spatialRank,
                                               utils::IteratorType::parallel);
    iterators.append(spatialRank, utils::IteratorType::reduction);
    AffineMap outputMap = AffineMap::getMultiDimIdentityMap(
                              2 + 2 * spatialRank, context)
                              .getMajorSubMap(2 + spatialRank);
    SmallVector<AffineMap> maps = {
        getPoolingMap(window, /*forInput=*/true, context),
        getPoolingMap(window, /*forInput=*/false, context), outputMap,
        outputMap};
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType, indicesType},
        ValueRange{padded, windowShape}, ValueRange{valuesInit, indicesInit},
        maps, iterators,
        [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
          Value element = args[0], best = args[2], bestIndex = args[3];
          auto index = [&](int64_t value) -> Value {
            return arith::ConstantIndexOp::create(b, bodyLoc, value);
          };
          auto loop = [&](int64_t dim) -> Value {
            return linalg::IndexOp::create(b, bodyLoc, dim);
          };
          // Position of the element in the unpadded input, whether it lies
          // inside, and its flat index.
          Value inside = arith::ConstantOp::create(b, bodyLoc,
                                                   b.getBoolAttr(true));
          Value image = arith::AddIOp::create(
              b, bodyLoc, arith::MulIOp::create(b, bodyLoc, loop(0), channels),
              loop(1));
          Value flat = arith::MulIOp::create(b, bodyLoc, image,
                                             index(imageSize));
          for (int64_t i = 0; i < spatialRank; ++i) {
            Value position = arith::SubIOp::create(
                b, bodyLoc,
                arith::AddIOp::create(
                    b, bodyLoc,
                    arith::MulIOp::create(b, bodyLoc, loop(2 + i),
                                          index(window.strides[i])),
                    arith::MulIOp::create(b, bodyLoc,
                                          loop(2 + spatialRank + i),
                                          index(window.dilations[i]))),
                index(window.padBegin[i]));
            Value fromStart = arith::CmpIOp::create(
                b, bodyLoc, arith::CmpIPredicate::sge, position, index(0));
            Value beforeEnd =
                arith::CmpIOp::create(b, bodyLoc, arith::CmpIPredicate::slt,
                                      position, index(spatialDims[i]));
            inside = arith::AndIOp::create(
                b, bodyLoc, inside,
                arith::AndIOp::create(b, bodyLoc, fromStart, beforeEnd));
            flat = arith::AddIOp::create(
                b, bodyLoc, flat,
                arith::MulIOp::create(b, bodyLoc, position,
                                      index(spatialStrides[i])));
          }
          Value better;
          if (isa<FloatType>(elementType)) {
            Value greater = arith::CmpFOp::create(
                b, bodyLoc, arith::CmpFPredicate::OGT, element, best);
            Value elementIsNan = arith::CmpFOp::create(
                b, bodyLoc, arith::CmpFPredicate::UNO, element, element);
            Value bestIsNumber = arith::CmpFOp::create(
                b, bodyLoc, arith::CmpFPredicate::ORD, best, best);
            better = arith::OrIOp::create(
                b, bodyLoc, greater,
                arith::AndIOp::create(b, bodyLoc, elementIsNan, bestIsNumber));
          } else {
            better = arith::CmpIOp::create(
                b, bodyLoc,
                isUnsigned ? arith::CmpIPredicate::ugt
                           : arith::CmpIPredicate::sgt,
                element, best);
          }
          Value first = arith::CmpIOp::create(
              b, bodyLoc, arith::CmpIPredicate::slt, bestIndex,
              arith::ConstantOp::create(b, bodyLoc, b.getI64IntegerAttr(0)));
          Value take = arith::AndIOp::create(
              b, bodyLoc, inside,
              arith::OrIOp::create(b, bodyLoc, first, better));
          Value flatIndex = arith::IndexCastOp::create(
              b, bodyLoc, b.getI64Type(), flat);
          linalg::YieldOp::create(
              b, bodyLoc,
              ValueRange{
                  arith::SelectOp::create(b, bodyLoc, take, element, best),
                  arith::SelectOp::create(b, bodyLoc, take, flatIndex,
                                          bestIndex)});
        });
    rewriter.replaceOp(
        op, {castToType(rewriter, loc, generic.getResult(0),
                        cast<RankedTensorType>(op.getOutput().getType())),
             castToType(rewriter, loc, generic.getResult(1),
                        cast<RankedTensorType>(op.getIndices().getType()))});
    return success();
  }
};

//===----------------------------------------------------------------------===//
// AveragePool
//===----------------------------------------------------------------------===//

/// Returns, for each output position of spatial dimension `i`, how many
/// elements of its window are counted: those inside the input, plus those
/// in the explicit pads when `countIncludePad` is set (never the ceil_mode
/// overhang beyond the end pad, as in onnxruntime and PyTorch).
SmallVector<int64_t> getWindowCounts(int64_t input, int64_t outputSize,
                                     const Window &window, size_t i,
                                     bool countIncludePad) {
  int64_t lowest = countIncludePad ? -window.padBegin[i] : 0;
  int64_t highest = countIncludePad ? input + window.padEnd[i] : input;
  SmallVector<int64_t> counts;
  for (int64_t o = 0; o < outputSize; ++o) {
    int64_t begin = o * window.strides[i] - window.padBegin[i];
    int64_t end = begin + window.kernel[i];
    counts.push_back(std::min(end, highest) - std::max(begin, lowest));
  }
  return counts;
}

/// Lowers AveragePool as a zero-padded `linalg.pooling_{ncw,nchw}_sum` (a
/// generic beyond two spatial dimensions) followed by an elementwise
/// division by the window counts (see getWindowCounts): their product over
/// the spatial dimensions, a constant where it is uniform and a constant
/// vector read at the output index of each dimension where it is not.
struct AveragePoolLowering : OpConversionPattern<graph::AveragePoolOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::AveragePoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    if (!hasStaticSpatialDims(inputType))
      return lowering::failLowering(
          rewriter, op, "the spatial input dimensions must be static to lower "
              "AveragePool to linalg");
    Type elementType = inputType.getElementType();
    Type accType = getAccumulatorType(elementType);
    int64_t spatialRank = inputType.getRank() - 2;
    Window window;
    window.kernel.assign(op.getKernelShape().begin(),
                         op.getKernelShape().end());
    window.strides.assign(op.getStrides().begin(), op.getStrides().end());
    window.dilations.assign(spatialRank, 1);
    splitPads(op.getPads(), window);
    RankedTensorType sumType = getWindowResultType(
        inputType, inputType.getDimSize(1), window, op.getCeilMode(), accType);

    Value zero = createScalarConstant(rewriter, loc, elementType, 0.0);
    Value padded = padSpatialDims(rewriter, loc, input, window, sumType, zero);
    SmallVector<Value> dynamicSizes =
        getDynamicSizes(rewriter, loc, sumType, input);
    Value accZero = accType == elementType
                        ? zero
                        : createScalarConstant(rewriter, loc, accType, 0.0);
    Value init =
        createFilledTensor(rewriter, loc, sumType, dynamicSizes, accZero);
    Value sum;
    if (spatialRank <= 2) {
      // The named ops extend each element to the accumulator type.
      Value windowShape =
          tensor::EmptyOp::create(rewriter, loc, window.kernel, elementType);
      sum = spatialRank == 1
                ? createNamedWindowOp<linalg::PoolingNcwSumOp>(
                      rewriter, loc, {padded, windowShape}, init, window)
                : createNamedWindowOp<linalg::PoolingNchwSumOp>(
                      rewriter, loc, {padded, windowShape}, init, window);
    } else {
      sum = createPoolingGeneric(
          rewriter, loc, padded, init, window,
          [](OpBuilder &b, Location bodyLoc, ValueRange args) -> Value {
            Value element = extendToF32IfNarrow(b, bodyLoc, args[0]);
            return arith::AddFOp::create(b, bodyLoc, element, args[1]);
          });
    }

    // Divide by the product of the per-dimension window counts.
    MLIRContext *context = rewriter.getContext();
    int64_t rank = sumType.getRank();
    int64_t uniformCount = 1;
    SmallVector<Value> inputs = {sum};
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank)};
    for (int64_t i = 0; i < spatialRank; ++i) {
      SmallVector<int64_t> counts = getWindowCounts(
          inputType.getDimSize(i + 2), sumType.getDimSize(i + 2), window, i,
          op.getCountIncludePad());
      if (llvm::all_equal(counts)) {
        uniformCount *= counts.front();
        continue;
      }
      auto countsType =
          RankedTensorType::get({static_cast<int64_t>(counts.size())}, accType);
      SmallVector<Attribute> values;
      for (int64_t count : counts)
        values.push_back(
            rewriter.getFloatAttr(accType, static_cast<double>(count)));
      inputs.push_back(arith::ConstantOp::create(
          rewriter, loc, DenseElementsAttr::get(countsType, values)));
      maps.push_back(
          AffineMap::get(rank, 0, getAffineDimExpr(i + 2, context), context));
    }
    Value uniform;
    if (uniformCount != 1 || inputs.size() == 1)
      uniform = createScalarConstant(rewriter, loc, accType,
                                     static_cast<double>(uniformCount));
    maps.push_back(rewriter.getMultiDimIdentityMap(rank));
    RankedTensorType resultType = sumType.clone(elementType);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, inputs,
        ValueRange{createEmptyTensor(rewriter, loc, resultType, dynamicSizes)},
        maps,
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
          Value count = uniform;
          for (Value factor : args.slice(1, inputs.size() - 1))
            count = count ? arith::MulFOp::create(b, bodyLoc, count, factor)
                          : factor;
          Value mean = arith::DivFOp::create(b, bodyLoc, args[0], count);
          linalg::YieldOp::create(b, bodyLoc,
                                  convertFloat(b, bodyLoc, mean, elementType));
        });
    rewriter.replaceOp(op, castToType(rewriter, loc, generic.getResult(0),
                                      cast<RankedTensorType>(op.getType())));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// GlobalAveragePool
//===----------------------------------------------------------------------===//

/// Lowers GlobalAveragePool as a sum reduction over the spatial dimensions
/// into `N x C`, a division by their element count (from `tensor.dim` where
/// dynamic) and a `tensor.expand_shape` adding the unit spatial dimensions.
struct GlobalAveragePoolLowering
    : OpConversionPattern<graph::GlobalAveragePoolOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::GlobalAveragePoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    int64_t rank = inputType.getRank();
    Type elementType = inputType.getElementType();
    Type accType = getAccumulatorType(elementType);
    MLIRContext *context = rewriter.getContext();

    auto reducedType =
        RankedTensorType::get(inputType.getShape().take_front(2), accType);
    SmallVector<Value> dynamicSizes =
        getDynamicSizes(rewriter, loc, reducedType, input);
    Value init =
        createFilledTensor(rewriter, loc, reducedType, dynamicSizes,
                           createScalarConstant(rewriter, loc, accType, 0.0));
    SmallVector<utils::IteratorType> iterators(2,
                                               utils::IteratorType::parallel);
    iterators.append(rank - 2, utils::IteratorType::reduction);
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap keptMap = identity.getMajorSubMap(2);
    auto sum = linalg::GenericOp::create(
        rewriter, loc, TypeRange{reducedType}, ValueRange{input},
        ValueRange{init}, ArrayRef<AffineMap>{identity, keptMap}, iterators,
        [](OpBuilder &b, Location bodyLoc, ValueRange args) {
          Value element = extendToF32IfNarrow(b, bodyLoc, args[0]);
          linalg::YieldOp::create(
              b, bodyLoc,
              arith::AddFOp::create(b, bodyLoc, element, args[1]).getResult());
        });

    // The element count of the spatial dimensions.
    int64_t staticCount = 1;
    Value count;
    for (int64_t i = 2; i < rank; ++i) {
      if (!inputType.isDynamicDim(i)) {
        staticCount *= inputType.getDimSize(i);
        continue;
      }
      Value dim = tensor::DimOp::create(rewriter, loc, input, i);
      count = count ? arith::MulIOp::create(rewriter, loc, count, dim) : dim;
    }
    Value staticValue = createScalarConstant(rewriter, loc, accType,
                                             static_cast<double>(staticCount));
    if (count) {
      Value asInt = arith::IndexCastOp::create(rewriter, loc,
                                               rewriter.getI64Type(), count);
      count = arith::MulFOp::create(
          rewriter, loc, arith::SIToFPOp::create(rewriter, loc, accType, asInt),
          staticValue);
    } else {
      count = staticValue;
    }

    auto meanType = reducedType.clone(elementType);
    AffineMap pairIdentity = AffineMap::getMultiDimIdentityMap(2, context);
    auto mean = linalg::GenericOp::create(
        rewriter, loc, TypeRange{meanType}, ValueRange{sum.getResult(0)},
        ValueRange{createEmptyTensor(rewriter, loc, meanType, dynamicSizes)},
        ArrayRef<AffineMap>{pairIdentity, pairIdentity},
        SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
          Value quotient = arith::DivFOp::create(b, bodyLoc, args[0], count);
          linalg::YieldOp::create(
              b, bodyLoc, convertFloat(b, bodyLoc, quotient, elementType));
        });
    SmallVector<bool> inserted(rank, true);
    inserted[0] = inserted[1] = false;
    Value result = expandUnitDims(rewriter, loc, mean.getResult(0), inserted);
    rewriter.replaceOp(op, castToType(rewriter, loc, result,
                                      cast<RankedTensorType>(op.getType())));
    return success();
  }
};

} // namespace

void exaforge::populateGraphConvPoolToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ConvLowering, MaxPoolLowering, MaxPoolWithIndicesLowering,
               AveragePoolLowering, GlobalAveragePoolLowering>(
      patterns.getContext());
}
