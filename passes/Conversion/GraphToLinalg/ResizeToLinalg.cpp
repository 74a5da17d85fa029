//===- ResizeToLinalg.cpp - Graph Resize to linalg -------------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Lowers Resize one dimension at a time (interpolation is separable, and
// ONNX's reference resizes the same way): for each dimension that may change,
// from the last to the first, a `linalg.generic` without inputs writes the
// resized tensor, each element computing the input coordinate of its index
// along that dimension and reading its neighbours there with clamped
// `tensor.extract`s (one for nearest, two for linear, four for cubic).
// A dimension whose scale is 1 (a constant scale of 1, or sizes that keep
// its size: constant, proved static, or an entry of Shape(input)) is left
// alone, except under `tf_crop_and_resize`. Under `tf_half_pixel_for_nn`
// too, as onnxruntime does, although its formula would move a kept
// dimension's index by half a step.
//
// The per-dimension parameters (input and output sizes, scale, roi) are
// computed once before the generic, from constants where the operands are
// constants and from `tensor.extract`s of the operands otherwise; the
// coordinates are computed in f64 (as ONNX's reference does), the weighted
// sums in f32 (f64 for f64 data). A run-time output size that is negative,
// or an empty input dimension resized to a non-empty one, fails a run-time
// check.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/GraphToLinalg/GraphToLinalg.h"
#include "passes/Conversion/GraphToLinalg/LoweringUtils.h"
#include "passes/Conversion/GraphToLinalg/RuntimeParams.h"

#include "dialects/Graph/GraphOps.h"
#include "dialects/Graph/GraphTypeInference.h"

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

/// The parameters of the resizing of one dimension, as values computed
/// before the generic that resizes it.
struct AxisParams {
  /// The dimension.
  int64_t dim = 0;
  /// Input and output sizes (`index`).
  Value inputSize, outputSize;
  /// Input size, scale (output over input) and the output width
  /// `scale * inputSize` of ONNX's reference, all f64.
  Value inputWidth, scale, outputWidth;
  /// The roi's start and end along the dimension (f64), for
  /// `tf_crop_and_resize` only.
  Value roiStart, roiEnd;
};

/// The attributes of a Resize, read once.
struct ResizeAttrs {
  StringRef mode, coordinateMode, nearestMode;
  double cubicCoeffA;
  bool excludeOutside;
  double extrapolationValue;
};

/// Small builder of f64 and index arithmetic.
struct Arith {
  OpBuilder &b;
  Location loc;

  Value f64(double value) {
    return arith::ConstantOp::create(b, loc, b.getF64FloatAttr(value));
  }
  Value add(Value x, Value y) { return arith::AddFOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubFOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulFOp::create(b, loc, x, y); }
  Value div(Value x, Value y) { return arith::DivFOp::create(b, loc, x, y); }
  Value floor(Value x) { return math::FloorOp::create(b, loc, x); }
  Value ceil(Value x) { return math::CeilOp::create(b, loc, x); }
  Value cmp(arith::CmpFPredicate predicate, Value x, Value y) {
    return arith::CmpFOp::create(b, loc, predicate, x, y);
  }
  Value select(Value condition, Value x, Value y) {
    return arith::SelectOp::create(b, loc, condition, x, y);
  }
  /// An `index` value as f64.
  Value indexToF64(Value index) {
    Value asInt = arith::IndexCastOp::create(b, loc, b.getI64Type(), index);
    return arith::SIToFPOp::create(b, loc, b.getF64Type(), asInt);
  }
  /// A whole f64 as an i64.
  Value toI64(Value x) {
    return arith::FPToSIOp::create(b, loc, b.getI64Type(), x);
  }
};

/// Returns the input coordinate (f64) of the output index `index` along the
/// dimension of `axis` under `coordinateMode`.
Value computeInputCoordinate(Arith &a, StringRef coordinateMode,
                             const AxisParams &axis, Value index) {
  Value x = a.indexToF64(index);
  Value half = a.f64(0.5), one = a.f64(1.0);
  Value isSingle =
      a.cmp(arith::CmpFPredicate::OEQ, axis.outputWidth, one);
  // (x + 0.5) / scale - 0.5
  auto halfPixel = [&] {
    return a.sub(a.div(a.add(x, half), axis.scale), half);
  };
  if (coordinateMode == "half_pixel")
    return halfPixel();
  if (coordinateMode == "half_pixel_symmetric") {
    Value adjustment =
        a.div(a.indexToF64(axis.outputSize), axis.outputWidth);
    Value offset = a.mul(a.div(axis.inputWidth, a.f64(2.0)),
                         a.sub(one, adjustment));
    return a.add(offset, halfPixel());
  }
  if (coordinateMode == "pytorch_half_pixel")
    return a.select(isSingle, a.f64(-0.5), halfPixel());
  if (coordinateMode == "asymmetric")
    return a.div(x, axis.scale);
  if (coordinateMode == "tf_half_pixel_for_nn")
    return a.div(a.add(x, half), axis.scale);
  Value lastInput = a.sub(axis.inputWidth, one);
  Value lastOutput = a.sub(axis.outputWidth, one);
  if (coordinateMode == "align_corners")
    return a.select(isSingle, a.f64(0.0),
                    a.div(a.mul(x, lastInput), lastOutput));
  // tf_crop_and_resize.
  Value extent = a.mul(a.sub(axis.roiEnd, axis.roiStart), lastInput);
  Value coordinate = a.select(isSingle, a.div(extent, a.f64(2.0)),
                              a.div(a.mul(x, extent), lastOutput));
  return a.add(coordinate, a.mul(axis.roiStart, lastInput));
}

/// Returns the cubic convolution weight of a neighbour at distance
/// `distance` (in [0, 2]) with coefficient `A`.
Value getCubicWeight(Arith &a, Value distance, double coeffA) {
  // Keys' kernel, written as ONNX's reference writes it.
  Value A = a.f64(coeffA);
  Value t = distance;
  Value near = a.add(
      a.mul(a.mul(a.sub(a.mul(a.f64(coeffA + 2), t), a.f64(coeffA + 3)), t),
            t),
      a.f64(1.0));
  Value far = a.sub(
      a.mul(a.add(a.mul(a.sub(a.mul(A, t), a.f64(5 * coeffA)), t),
                  a.f64(8 * coeffA)),
            t),
      a.f64(4 * coeffA));
  return a.select(a.cmp(arith::CmpFPredicate::OLE, t, a.f64(1.0)), near, far);
}

/// Whether entry `dim` of `sizes` (a Resize's 1-D sizes operand) is by
/// construction the size of dimension `dim` of `input`: `sizes` is
/// `graph.shape(input)`, or a `graph.concat` of 1-D pieces in which that
/// entry comes from such a `graph.shape` (a segmentation head's
/// `Concat(Shape(x)[0:2], [H, W])`).
bool isSizeOfInputDim(Value sizes, Value input, int64_t dim) {
  SmallVector<Value> pieces = {sizes};
  if (auto concat = sizes.getDefiningOp<graph::ConcatOp>())
    pieces.assign(concat.getInputs().begin(), concat.getInputs().end());
  int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
  int64_t offset = 0;
  for (Value piece : pieces) {
    auto type = dyn_cast<RankedTensorType>(piece.getType());
    if (!type || type.getRank() != 1 || type.isDynamicDim(0))
      return false;
    if (dim < offset + type.getDimSize(0)) {
      auto shape = piece.getDefiningOp<graph::ShapeOp>();
      if (!shape || shape.getInput() != input)
        return false;
      int64_t start = shape.getStart();
      if (start < 0)
        start = std::max<int64_t>(start + rank, 0);
      return start + (dim - offset) == dim;
    }
    offset += type.getDimSize(0);
  }
  return false;
}

/// Resizes dimension `axis.dim` of `source` (a tensor of `sizes`) and
/// returns the result, of type `resultType`.
Value resizeAxis(OpBuilder &b, Location loc, Value source,
                 RankedTensorType resultType, ArrayRef<OpFoldResult> sizes,
                 const AxisParams &axis, const ResizeAttrs &attrs) {
  Type elementType = resultType.getElementType();
  Type accType = isa<FloatType>(elementType) && elementType.getIntOrFloatBitWidth() < 32
                     ? b.getF32Type()
                     : elementType;
  return createIndexedCopy(
      b, loc, resultType, sizes,
      [&](OpBuilder &nested, Location nestedLoc,
          ArrayRef<Value> coordinates) -> Value {
        Arith a{nested, nestedLoc};
        Value x = computeInputCoordinate(a, attrs.coordinateMode, axis,
                                         coordinates[axis.dim]);
        Value zero = arith::ConstantIndexOp::create(nested, nestedLoc, 0);
        Value last = arith::SubIOp::create(
            nested, nestedLoc, axis.inputSize,
            arith::ConstantIndexOp::create(nested, nestedLoc, 1));
        // Reads the element at the whole f64 `position`, clamped into the
        // input, along the dimension.
        auto readAt = [&](Value position) {
          Value index = arith::IndexCastOp::create(
              nested, nestedLoc, nested.getIndexType(), a.toI64(position));
          index = arith::MaxSIOp::create(nested, nestedLoc, index, zero);
          index = arith::MinSIOp::create(nested, nestedLoc, index, last);
          SmallVector<Value> at(coordinates);
          at[axis.dim] = index;
          return tensor::ExtractOp::create(nested, nestedLoc, source, at)
              .getResult();
        };

        Value result;
        if (attrs.mode == "nearest") {
          Value position;
          if (attrs.nearestMode == "round_prefer_floor")
            position = a.ceil(a.sub(x, a.f64(0.5)));
          else if (attrs.nearestMode == "round_prefer_ceil")
            position = a.floor(a.add(x, a.f64(0.5)));
          else if (attrs.nearestMode == "floor")
            position = a.floor(x);
          else
            position = a.ceil(x);
          result = readAt(position);
        } else {
          Value base = a.floor(x);
          Value ratio = a.sub(x, base);
          SmallVector<Value> positions, weights;
          if (attrs.mode == "linear") {
            positions = {base, a.add(base, a.f64(1.0))};
            weights = {a.sub(a.f64(1.0), ratio), ratio};
          } else {
            for (int64_t offset = -1; offset <= 2; ++offset) {
              Value position = a.add(base, a.f64(offset));
              Value distance = offset <= 0
                                   ? a.add(ratio, a.f64(-offset))
                                   : a.sub(a.f64(offset), ratio);
              positions.push_back(position);
              weights.push_back(getCubicWeight(a, distance, attrs.cubicCoeffA));
            }
          }
          if (attrs.excludeOutside) {
            // Neighbours outside the input get weight 0; the others are
            // renormalized to sum to 1.
            Value lastWidth = a.sub(axis.inputWidth, a.f64(1.0));
            Value sum = a.f64(0.0);
            for (size_t k = 0; k < positions.size(); ++k) {
              Value inside = arith::AndIOp::create(
                  nested, nestedLoc,
                  a.cmp(arith::CmpFPredicate::OGE, positions[k], a.f64(0.0)),
                  a.cmp(arith::CmpFPredicate::OLE, positions[k], lastWidth));
              weights[k] = a.select(inside, weights[k], a.f64(0.0));
              sum = a.add(sum, weights[k]);
            }
            for (Value &weight : weights)
              weight = a.div(weight, sum);
          }
          Value acc;
          for (auto [position, weight] : llvm::zip(positions, weights)) {
            Value element =
                convertFloat(nested, nestedLoc, readAt(position), accType);
            Value term = arith::MulFOp::create(
                nested, nestedLoc, element,
                convertFloat(nested, nestedLoc, weight, accType));
            acc = acc ? arith::AddFOp::create(nested, nestedLoc, acc, term)
                            .getResult()
                      : term;
          }
          result = convertFloat(nested, nestedLoc, acc, elementType);
        }
        if (attrs.coordinateMode == "tf_crop_and_resize") {
          Value outside = arith::OrIOp::create(
              nested, nestedLoc,
              a.cmp(arith::CmpFPredicate::OLT, x, a.f64(0.0)),
              a.cmp(arith::CmpFPredicate::OGT, x,
                    a.sub(axis.inputWidth, a.f64(1.0))));
          Value extrapolation = createScalarConstant(
              nested, nestedLoc, elementType, attrs.extrapolationValue);
          result = a.select(outside, extrapolation, result);
        }
        return result;
      });
}

/// Lowers graph.resize dimension by dimension (see the file comment).
struct ResizeLowering : OpConversionPattern<graph::ResizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::ResizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = castToSignless(rewriter, loc, adaptor.getInput());
    auto inputType = cast<RankedTensorType>(input.getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t rank = inputType.getRank();
    ResizeAttrs attrs{op.getMode(),
                      op.getCoordinateTransformationMode(),
                      op.getNearestMode(),
                      op.getCubicCoeffA().convertToDouble(),
                      op.getExcludeOutside(),
                      op.getExtrapolationValue().convertToDouble()};
    bool cropAndResize = attrs.coordinateMode == "tf_crop_and_resize";
    std::optional<SmallVector<double>> constantScales =
        graph::getConstantFloatValues(op.getScales());
    std::optional<SmallVector<int64_t>> constantSizes =
        graph::getConstantIntValues(op.getSizes());

    Arith a{rewriter, loc};
    // Reads entry `i` of a 1-D float operand as f64.
    auto readF64 = [&](Value vector, int64_t i) {
      Value index = arith::ConstantIndexOp::create(rewriter, loc, i);
      Value entry = tensor::ExtractOp::create(rewriter, loc, vector, index);
      return convertFloat(rewriter, loc, entry, rewriter.getF64Type());
    };

    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, input);
    SmallVector<int64_t> shape(inputType.getShape());
    SmallVector<AxisParams> axes;
    for (int64_t d = 0; d < rank; ++d) {
      // Sizes (rather than scales) that keep a dimension's size make its
      // scale exactly 1: constant sizes, a static size that shape inference
      // proved, or an entry of Shape(input) itself (a segmentation head
      // resizes N x C x H x W to Concat(Shape(x)[0:2], [H', W'])).
      bool unchanged =
          (constantScales && (*constantScales)[d] == 1.0) ||
          (constantSizes && !inputType.isDynamicDim(d) &&
           (*constantSizes)[d] == inputType.getDimSize(d)) ||
          (!op.getScales() && !inputType.isDynamicDim(d) &&
           resultType.getDimSize(d) == inputType.getDimSize(d)) ||
          (!op.getScales() &&
           isSizeOfInputDim(op.getSizes(), op.getInput(), d));
      if (unchanged && !cropAndResize)
        continue;
      AxisParams axis;
      axis.dim = d;
      axis.inputSize = getValueOrCreateConstantIndexOp(rewriter, loc, sizes[d]);
      axis.inputWidth = a.indexToF64(axis.inputSize);
      if (op.getScales()) {
        axis.scale = constantScales
                         ? a.f64((*constantScales)[d])
                         : readF64(adaptor.getScales(), d);
        Value size = a.floor(a.mul(axis.inputWidth, axis.scale));
        if (!constantScales) {
          // Converting a size that is not a number or not below 2^62 to an
          // integer gives poison: such a size fails the run with this
          // message, and 0 stands for it until the run ends (the run-time
          // twin of graph::getDimensionSizeFromFloat).
          Value inRange = arith::AndIOp::create(
              rewriter, loc, a.cmp(arith::CmpFPredicate::OGE, size, a.f64(0)),
              a.cmp(arith::CmpFPredicate::OLT, size,
                    a.f64(graph::kFloatDimensionSizeBound)));
          createRuntimeCheck(rewriter, op, inRange,
                             "the output size of dimension " + Twine(d) +
                                 " (its size times the scale) is negative, "
                                 "not a number or too large");
          size = a.select(inRange, size, a.f64(0));
        }
        axis.outputSize = arith::IndexCastOp::create(
            rewriter, loc, rewriter.getIndexType(), a.toI64(size));
      } else {
        axis.outputSize =
            constantSizes
                ? arith::ConstantIndexOp::create(rewriter, loc,
                                                 (*constantSizes)[d])
                      .getResult()
                : extractIndex(rewriter, loc, adaptor.getSizes(), d);
        axis.scale = a.div(a.indexToF64(axis.outputSize), axis.inputWidth);
      }
      axis.outputWidth = a.mul(axis.scale, axis.inputWidth);
      if (cropAndResize) {
        axis.roiStart = readF64(adaptor.getRoi(), d);
        axis.roiEnd = readF64(adaptor.getRoi(), rank + d);
      }
      if (resultType.isDynamicDim(d)) {
        // Sizes ONNX rejects would make a negative tensor size or reads of
        // an empty dimension.
        Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
        Value nonNegative = arith::CmpIOp::create(
            rewriter, loc, arith::CmpIPredicate::sge, axis.outputSize, zero);
        createRuntimeCheck(rewriter, op, nonNegative,
                           "the output size of dimension " + Twine(d) +
                               " is negative");
        axis.outputSize =
            arith::MaxSIOp::create(rewriter, loc, axis.outputSize, zero);
      } else {
        axis.outputSize = arith::ConstantIndexOp::create(
            rewriter, loc, resultType.getDimSize(d));
      }
      if (inputType.isDynamicDim(d)) {
        Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
        Value readable = arith::OrIOp::create(
            rewriter, loc,
            arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::sgt,
                                  axis.inputSize, zero),
            arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq,
                                  axis.outputSize, zero));
        createRuntimeCheck(rewriter, op, readable,
                           "dimension " + Twine(d) +
                               " is empty and cannot be resized");
        axis.outputSize = arith::SelectOp::create(rewriter, loc, readable,
                                                  axis.outputSize, zero);
      } else if (inputType.getDimSize(d) == 0 &&
                 resultType.getDimSize(d) != 0) {
        return failLowering(rewriter, op,
                            "dimension " + Twine(d) +
                                " is empty and cannot be resized");
      }
      axes.push_back(axis);
    }

    // Resize the last dimension first, as ONNX's reference does.
    Value current = input;
    for (const AxisParams &axis : llvm::reverse(axes)) {
      sizes[axis.dim] = axis.outputSize;
      shape[axis.dim] = resultType.getDimSize(axis.dim);
      current = resizeAxis(rewriter, loc, current, inputType.clone(shape),
                           sizes, axis, attrs);
    }
    rewriter.replaceOp(op, castToType(rewriter, loc, current, resultType));
    return success();
  }
};

} // namespace

void exaforge::populateGraphResizeToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ResizeLowering>(patterns.getContext());
}
