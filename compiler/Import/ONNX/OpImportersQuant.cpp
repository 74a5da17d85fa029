//===- OpImportersQuant.cpp - ONNX quantization ops -----------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Builders of the quantization ops. QuantizeLinear, DequantizeLinear,
// MatMulInteger and ConvInteger have graph ops of their own. The others are
// imported as those ops plus elementwise ops, so the products always run on
// integers:
//  - QLinearMatMul and QLinearConv: the integer product (`i32`), plus the
//    bias for QLinearConv, times `a_scale * b_scale / y_scale` in float,
//    then quantized with `y_zero_point` (onnxruntime's requantization);
//  - DynamicQuantizeLinear: ONNX's own function body (the range of the
//    input, widened to hold 0, mapped onto [0, 255]).
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/ONNX/OpImporters.h"

#include "dialects/Graph/GraphOps.h"

#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;
using namespace exaforge;
using namespace exaforge::onnx_import;

namespace graph = exaforge::graph;

namespace {

/// Returns the ranked tensor type of `value`.
RankedTensorType tensorTypeOf(Value value) {
  return cast<RankedTensorType>(value.getType());
}

/// Creates a rank-0 f32 constant.
FailureOr<Value> createF32Scalar(NodeContext &ctx, float value) {
  auto type = RankedTensorType::get({}, ctx.getBuilder().getF32Type());
  FailureOr<graph::ConstantOp> op =
      ctx.create<graph::ConstantOp>(DenseElementsAttr::get(type, value));
  if (failed(op))
    return failure();
  return op->getResult();
}

/// Unwraps a FailureOr<OpTy> of a single-result op to its result.
template <typename OpTy> FailureOr<Value> result(FailureOr<OpTy> op) {
  if (failed(op))
    return failure();
  return (*op)->getResult(0);
}

/// Reads the attributes QuantizeLinear and DequantizeLinear share across
/// opsets and refuses the values Exaforge does not implement: `axis`
/// (13 on), `saturate` (19 on, only meaningful for float8), `block_size`
/// (21 on, blocked quantization is not supported). Returns the axis.
FailureOr<int64_t> checkLinearQuantAttrs(NodeContext &ctx,
                                         bool hasOutputDtype) {
  SmallVector<KnownAttr> known = {
      {"axis", kInt}, {"saturate", kInt}, {"block_size", kInt}};
  if (hasOutputDtype)
    known.push_back({"output_dtype", kInt});
  if (failed(ctx.checkAttributes(known)) || failed(ctx.checkInputs(2, 3)))
    return failure();
  if (int64_t blockSize = ctx.getInt("block_size", 0))
    return ctx.emitError() << "blocked quantization (block_size = "
                           << blockSize << ") is not supported";
  return ctx.getInt("axis", 1);
}

//===----------------------------------------------------------------------===//
// QuantizeLinear, DequantizeLinear
//===----------------------------------------------------------------------===//

/// QuantizeLinear (10, 13, 19, 21).
LogicalResult importQuantizeLinear(NodeContext &ctx) {
  FailureOr<int64_t> axis = checkLinearQuantAttrs(ctx, /*hasOutputDtype=*/true);
  if (failed(axis))
    return failure();
  Value zeroPoint = ctx.getInput(2);
  // Without a zero point the result is uint8, unless `output_dtype` says
  // int8: a zero point of 0 of that type is made then.
  if (std::optional<int64_t> dtype = ctx.getOptionalInt("output_dtype");
      dtype && *dtype != 0) {
    Type want = getElementTypeOrNull(ctx.getContext(), *dtype);
    if (!want || !want.isInteger(8))
      return ctx.emitError() << "output_dtype "
                             << getOnnxTypeName(static_cast<int32_t>(*dtype))
                             << " is not supported (int8 or uint8 only)";
    if (zeroPoint && tensorTypeOf(zeroPoint).getElementType() != want)
      return ctx.emitError() << "output_dtype differs from the zero point's "
                                "element type";
    if (!zeroPoint) {
      auto type = RankedTensorType::get({}, want);
      FailureOr<Value> zero = result(ctx.create<graph::ConstantOp>(
          DenseElementsAttr::get(type, APInt(8, 0))));
      if (failed(zero))
        return failure();
      zeroPoint = *zero;
    }
  }
  return ctx.createAndSetResults<graph::QuantizeLinearOp>(
      ctx.getInput(0), ctx.getInput(1), zeroPoint,
      ctx.getBuilder().getI64IntegerAttr(*axis));
}

/// DequantizeLinear (10, 13, 19, 21).
LogicalResult importDequantizeLinear(NodeContext &ctx) {
  FailureOr<int64_t> axis =
      checkLinearQuantAttrs(ctx, /*hasOutputDtype=*/false);
  if (failed(axis))
    return failure();
  return ctx.createAndSetResults<graph::DequantizeLinearOp>(
      ctx.getInput(0), ctx.getInput(1), ctx.getInput(2),
      ctx.getBuilder().getI64IntegerAttr(*axis));
}

/// DynamicQuantizeLinear (11), as its ONNX function body:
///   scale = (max(max(x), 0) - min(min(x), 0)) / 255
///   zero_point = cast<uint8>(round(clip(0 - min(min(x), 0) / scale, 0, 255)))
///   y = QuantizeLinear(x, scale, zero_point)
LogicalResult importDynamicQuantizeLinear(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({})) || failed(ctx.checkInputs(1, 1)))
    return failure();
  Value x = ctx.getInput(0);
  if (!tensorTypeOf(x).getElementType().isF32())
    return ctx.emitError() << "the input must be float32";
  OpBuilder &b = ctx.getBuilder();
  FailureOr<Value> qMin = createF32Scalar(ctx, 0.0f);
  FailureOr<Value> qMax = createF32Scalar(ctx, 255.0f);
  if (failed(qMin) || failed(qMax))
    return failure();
  FailureOr<Value> xMin = result(ctx.create<graph::ReduceMinOp>(
      x, Value(), b.getBoolAttr(false), b.getBoolAttr(false)));
  FailureOr<Value> xMax = result(ctx.create<graph::ReduceMaxOp>(
      x, Value(), b.getBoolAttr(false), b.getBoolAttr(false)));
  if (failed(xMin) || failed(xMax))
    return failure();
  FailureOr<Value> low = result(ctx.create<graph::MinOp>(*xMin, *qMin));
  FailureOr<Value> high = result(ctx.create<graph::MaxOp>(*xMax, *qMin));
  if (failed(low) || failed(high))
    return failure();
  FailureOr<Value> range = result(ctx.create<graph::SubOp>(*high, *low));
  if (failed(range))
    return failure();
  FailureOr<Value> scale = result(ctx.create<graph::DivOp>(*range, *qMax));
  if (failed(scale))
    return failure();
  FailureOr<Value> minScaled = result(ctx.create<graph::DivOp>(*low, *scale));
  if (failed(minScaled))
    return failure();
  FailureOr<Value> initial =
      result(ctx.create<graph::SubOp>(*qMin, *minScaled));
  if (failed(initial))
    return failure();
  FailureOr<Value> clipped =
      result(ctx.create<graph::ClipOp>(*initial, *qMin, *qMax));
  if (failed(clipped))
    return failure();
  FailureOr<Value> rounded = result(ctx.create<graph::RoundOp>(*clipped));
  if (failed(rounded))
    return failure();
  Type u8 = b.getIntegerType(8, /*isSigned=*/false);
  FailureOr<Value> zeroPoint =
      result(ctx.create<graph::CastOp>(*rounded, TypeAttr::get(u8)));
  if (failed(zeroPoint))
    return failure();
  FailureOr<Value> y = result(ctx.create<graph::QuantizeLinearOp>(
      x, *scale, *zeroPoint, b.getI64IntegerAttr(1)));
  if (failed(y))
    return failure();
  ctx.setResults({*y, *scale, *zeroPoint});
  return success();
}

//===----------------------------------------------------------------------===//
// MatMulInteger, ConvInteger
//===----------------------------------------------------------------------===//

/// MatMulInteger (10).
LogicalResult importMatMulInteger(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({})) || failed(ctx.checkInputs(2, 4)))
    return failure();
  return ctx.createAndSetResults<graph::MatMulIntegerOp>(
      ctx.getInput(0), ctx.getInput(1), ctx.getInput(2), ctx.getInput(3));
}

/// Builds the ConvInteger of the node's inputs `x` and `w` with the zero
/// points `xZeroPoint` and `wZeroPoint` (null when absent), reading the
/// node's Conv attributes.
FailureOr<Value> buildConvInteger(NodeContext &ctx, Value x, Value w,
                                  Value xZeroPoint, Value wZeroPoint) {
  auto wType = tensorTypeOf(w);
  if (wType.getRank() < 3)
    return ctx.emitError() << "weight has rank " << wType.getRank()
                           << ", expected at least 3";
  SmallVector<int64_t> kernel(wType.getShape().drop_front(2));
  if (std::optional<SmallVector<int64_t>> attr = ctx.getInts("kernel_shape")) {
    if (attr->size() != kernel.size())
      return ctx.emitError() << "attribute 'kernel_shape' has " << attr->size()
                             << " values, expected " << kernel.size();
    for (auto [i, k] : llvm::enumerate(*attr)) {
      if (!ShapedType::isDynamic(kernel[i]) && kernel[i] != k)
        return ctx.emitError()
               << "attribute 'kernel_shape' does not match the weight shape";
      kernel[i] = k;
    }
  }
  FailureOr<SpatialAttrs> spatial = resolveSpatialAttrs(ctx, x, kernel);
  if (failed(spatial))
    return failure();
  int64_t group = ctx.getInt("group", 1);
  if (group < 1)
    return ctx.emitError() << "attribute 'group' has value " << group
                           << ", expected at least 1";
  OpBuilder &b = ctx.getBuilder();
  return result(ctx.create<graph::ConvIntegerOp>(
      x, w, xZeroPoint, wZeroPoint, b.getDenseI64ArrayAttr(spatial->strides),
      b.getDenseI64ArrayAttr(spatial->pads),
      b.getDenseI64ArrayAttr(spatial->dilations), b.getI64IntegerAttr(group)));
}

/// The Conv attributes of ConvInteger and QLinearConv.
constexpr KnownAttr kConvAttrs[] = {{"auto_pad", kString},
                                    {"dilations", kInts},
                                    {"group", kInt},
                                    {"kernel_shape", kInts},
                                    {"pads", kInts},
                                    {"strides", kInts}};

/// ConvInteger (10).
LogicalResult importConvInteger(NodeContext &ctx) {
  if (failed(ctx.checkAttributes(kConvAttrs)) || failed(ctx.checkInputs(2, 4)))
    return failure();
  FailureOr<Value> conv = buildConvInteger(ctx, ctx.getInput(0), ctx.getInput(1),
                                           ctx.getInput(2), ctx.getInput(3));
  if (failed(conv))
    return failure();
  ctx.setResults(*conv);
  return success();
}

//===----------------------------------------------------------------------===//
// QLinearMatMul, QLinearConv
//===----------------------------------------------------------------------===//

/// Returns `scale` (a scalar or a vector along the dimension `rank - 1 -
/// trailing` of a rank-`rank` result) reshaped to broadcast against that
/// result: a vector gets `trailing` unit dimensions appended.
FailureOr<Value> alignScale(NodeContext &ctx, Value scale, int64_t trailing) {
  auto type = tensorTypeOf(scale);
  if (trailing == 0 || type.getRank() == 0 ||
      (type.getRank() == 1 && type.getDimSize(0) == 1))
    return scale;
  SmallVector<int64_t> axes;
  for (int64_t i = 1; i <= trailing; ++i)
    axes.push_back(i);
  return result(
      ctx.create<graph::UnsqueezeOp>(scale, ctx.createI64Constant(axes)));
}

/// Requantizes the `i32` product `product`: `saturate(round(product *
/// inputScales / yScale) + yZeroPoint)`, where `inputScales` is the product
/// of the operands' scales (already shaped to broadcast).
LogicalResult requantize(NodeContext &ctx, Value product, Value inputScales,
                         Value yScale, Value yZeroPoint) {
  OpBuilder &b = ctx.getBuilder();
  FailureOr<Value> multiplier =
      result(ctx.create<graph::DivOp>(inputScales, yScale));
  FailureOr<Value> asFloat = result(
      ctx.create<graph::CastOp>(product, TypeAttr::get(b.getF32Type())));
  if (failed(multiplier) || failed(asFloat))
    return failure();
  FailureOr<Value> scaled =
      result(ctx.create<graph::MulOp>(*asFloat, *multiplier));
  FailureOr<Value> one = createF32Scalar(ctx, 1.0f);
  if (failed(scaled) || failed(one))
    return failure();
  return ctx.createAndSetResults<graph::QuantizeLinearOp>(
      *scaled, *one, yZeroPoint, b.getI64IntegerAttr(1));
}

/// Checks that the scales of a QLinear node are float32.
LogicalResult checkF32Scales(NodeContext &ctx, ArrayRef<unsigned> indices) {
  for (unsigned i : indices)
    if (!tensorTypeOf(ctx.getInput(i)).getElementType().isF32())
      return ctx.emitError() << "input #" << i << " (a scale) must be float32";
  return success();
}

/// QLinearMatMul (10, 21).
LogicalResult importQLinearMatMul(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({})) || failed(ctx.checkInputs(8, 8)) ||
      failed(checkF32Scales(ctx, {1, 4, 6})))
    return failure();
  FailureOr<Value> product = result(ctx.create<graph::MatMulIntegerOp>(
      ctx.getInput(0), ctx.getInput(3), ctx.getInput(2), ctx.getInput(5)));
  if (failed(product))
    return failure();
  // a_scale runs along the rows (one unit dimension after it), b_scale
  // along the columns.
  FailureOr<Value> aScale = alignScale(ctx, ctx.getInput(1), 1);
  if (failed(aScale))
    return failure();
  FailureOr<Value> scales =
      result(ctx.create<graph::MulOp>(*aScale, ctx.getInput(4)));
  if (failed(scales))
    return failure();
  return requantize(ctx, *product, *scales, ctx.getInput(6), ctx.getInput(7));
}

/// QLinearConv (10): inputs x, x_scale, x_zero_point, w, w_scale,
/// w_zero_point, y_scale, y_zero_point and the optional int32 bias B.
LogicalResult importQLinearConv(NodeContext &ctx) {
  if (failed(ctx.checkAttributes(kConvAttrs)) || failed(ctx.checkInputs(8, 9)) ||
      failed(checkF32Scales(ctx, {1, 4, 6})))
    return failure();
  FailureOr<Value> product =
      buildConvInteger(ctx, ctx.getInput(0), ctx.getInput(3), ctx.getInput(2),
                       ctx.getInput(5));
  if (failed(product))
    return failure();
  int64_t spatialRank = tensorTypeOf(*product).getRank() - 2;
  if (Value bias = ctx.getInput(8)) {
    if (!tensorTypeOf(bias).getElementType().isInteger(32) ||
        tensorTypeOf(bias).getRank() != 1)
      return ctx.emitError() << "the bias must be a vector of int32";
    FailureOr<Value> aligned = alignScale(ctx, bias, spatialRank);
    if (failed(aligned))
      return failure();
    product = result(ctx.create<graph::AddOp>(*product, *aligned));
    if (failed(product))
      return failure();
  }
  // w_scale runs along the output channels.
  FailureOr<Value> wScale = alignScale(ctx, ctx.getInput(4), spatialRank);
  if (failed(wScale))
    return failure();
  FailureOr<Value> scales =
      result(ctx.create<graph::MulOp>(ctx.getInput(1), *wScale));
  if (failed(scales))
    return failure();
  return requantize(ctx, *product, *scales, ctx.getInput(6), ctx.getInput(7));
}

} // namespace

void onnx_import::registerOpImportersQuant(OpImporterRegistry &registry) {
  registry.add("QuantizeLinear", 10, importQuantizeLinear);
  registry.add("DequantizeLinear", 10, importDequantizeLinear);
  registry.add("DynamicQuantizeLinear", 11, importDynamicQuantizeLinear);
  registry.add("MatMulInteger", 10, importMatMulInteger);
  registry.add("ConvInteger", 10, importConvInteger);
  registry.add("QLinearMatMul", 10, importQLinearMatMul);
  registry.add("QLinearConv", 10, importQLinearConv);
}
