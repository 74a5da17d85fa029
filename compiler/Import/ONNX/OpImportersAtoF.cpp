//===- OpImportersAtoF.cpp - ONNX op builders, A to F ---------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Builders of the ONNX op types Abs to Floor, and the spatial attribute
// Builders of the ONNX op types Add to Flatten (ArgMax, ArgMin and CumSum
// included), and the spatial attribute
// resolution (auto_pad, strides, pads, dilations) shared by Conv and the
// pooling ops.
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/ONNX/OpImporters.h"

#include "dialects/Graph/GraphOps.h"
#include "dialects/Graph/GraphTypeInference.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace exaforge;
using namespace exaforge::onnx_import;

namespace graph = exaforge::graph;

//===----------------------------------------------------------------------===//
// ArgMax, ArgMin, CumSum
//===----------------------------------------------------------------------===//

/// Imports ArgMax/ArgMin; `select_last_index` exists from opset 12 on.
template <typename OpTy, bool hasSelectLastIndex>
static LogicalResult importArgReduce(NodeContext &ctx) {
  SmallVector<KnownAttr> known = {{"axis", kInt}, {"keepdims", kInt}};
  if (hasSelectLastIndex)
    known.push_back({"select_last_index", kInt});
  if (failed(ctx.checkAttributes(known)) || failed(ctx.checkInputs(1, 1)))
    return failure();
  OpBuilder &b = ctx.getBuilder();
  return ctx.createAndSetResults<OpTy>(
      ctx.getInput(0), b.getI64IntegerAttr(ctx.getInt("axis", 0)),
      b.getBoolAttr(ctx.getInt("keepdims", 1) != 0),
      b.getBoolAttr(ctx.getInt("select_last_index", 0) != 0));
}

static LogicalResult importCumSum(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"exclusive", kInt}, {"reverse", kInt}})) ||
      failed(ctx.checkInputs(2, 2)))
    return failure();
  OpBuilder &b = ctx.getBuilder();
  return ctx.createAndSetResults<graph::CumSumOp>(
      ctx.getInput(0), ctx.getInput(1),
      b.getBoolAttr(ctx.getInt("exclusive", 0) != 0),
      b.getBoolAttr(ctx.getInt("reverse", 0) != 0));
}

//===----------------------------------------------------------------------===//
// Spatial attributes
//===----------------------------------------------------------------------===//

/// Reads INTS attribute `name` with `size` entries, each at least `min`, or
/// `dflt` repeated when absent.
static FailureOr<SmallVector<int64_t>> getSpatialInts(NodeContext &ctx,
                                                      StringRef name,
                                                      size_t size, int64_t dflt,
                                                      int64_t min) {
  std::optional<SmallVector<int64_t>> values = ctx.getInts(name);
  if (!values)
    return SmallVector<int64_t>(size, dflt);
  if (values->size() != size)
    return ctx.emitError() << "attribute '" << name << "' has "
                           << values->size() << " values, expected " << size;
  for (int64_t v : *values)
    if (v < min)
      return ctx.emitError() << "attribute '" << name << "' has value " << v
                             << ", expected at least " << min;
  return *values;
}

FailureOr<SpatialAttrs>
onnx_import::resolveSpatialAttrs(NodeContext &ctx, Value input,
                                 ArrayRef<int64_t> kernel) {
  size_t numSpatial = kernel.size();
  auto inputType = cast<RankedTensorType>(input.getType());
  if (inputType.getRank() != static_cast<int64_t>(numSpatial) + 2)
    return ctx.emitError() << "input has rank " << inputType.getRank()
                           << ", expected " << numSpatial + 2
                           << " for a window of rank " << numSpatial;
  SpatialAttrs result;
  result.kernel.assign(kernel.begin(), kernel.end());
  FailureOr<SmallVector<int64_t>> strides =
      getSpatialInts(ctx, "strides", numSpatial, 1, 1);
  FailureOr<SmallVector<int64_t>> dilations =
      getSpatialInts(ctx, "dilations", numSpatial, 1, 1);
  FailureOr<SmallVector<int64_t>> pads =
      getSpatialInts(ctx, "pads", 2 * numSpatial, 0, 0);
  if (failed(strides) || failed(dilations) || failed(pads))
    return failure();
  result.strides = *strides;
  result.dilations = *dilations;
  result.pads = *pads;

  std::string autoPad = ctx.getString("auto_pad", "NOTSET");
  if (autoPad == "NOTSET")
    return result;
  if (ctx.hasAttr("pads"))
    return ctx.emitError() << "attributes 'pads' and 'auto_pad' = '" << autoPad
                           << "' are mutually exclusive";
  if (autoPad == "VALID") {
    result.pads.assign(2 * numSpatial, 0);
    return result;
  }
  if (autoPad != "SAME_UPPER" && autoPad != "SAME_LOWER")
    return ctx.emitError() << "attribute 'auto_pad' has unsupported value '"
                           << autoPad << "'";
  for (size_t i = 0; i < numSpatial; ++i) {
    int64_t in = inputType.getDimSize(i + 2);
    if (ShapedType::isDynamic(in))
      return ctx.emitError() << "attribute 'auto_pad' = '" << autoPad
                             << "' needs static spatial dimensions, but "
                                "input dimension "
                             << i + 2 << " is dynamic";
    if (ShapedType::isDynamic(kernel[i]))
      return ctx.emitError() << "attribute 'auto_pad' = '" << autoPad
                             << "' needs a static kernel shape";
    int64_t stride = result.strides[i];
    int64_t out = (in + stride - 1) / stride;
    int64_t window = (kernel[i] - 1) * result.dilations[i] + 1;
    int64_t total = std::max<int64_t>(0, (out - 1) * stride + window - in);
    int64_t small = total / 2, large = total - small;
    result.pads[i] = autoPad == "SAME_UPPER" ? small : large;
    result.pads[i + numSpatial] = autoPad == "SAME_UPPER" ? large : small;
  }
  return result;
}

FailureOr<SpatialAttrs> onnx_import::resolvePoolingAttrs(NodeContext &ctx) {
  std::optional<SmallVector<int64_t>> kernel = ctx.getInts("kernel_shape");
  if (!kernel)
    return ctx.emitError() << "missing required attribute 'kernel_shape'";
  return resolveSpatialAttrs(ctx, ctx.getInput(0), *kernel);
}

//===----------------------------------------------------------------------===//
// AveragePool
//===----------------------------------------------------------------------===//

static LogicalResult importAveragePool(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"auto_pad", kString},
                                  {"ceil_mode", kInt},
                                  {"count_include_pad", kInt},
                                  {"dilations", kInts},
                                  {"kernel_shape", kInts},
                                  {"pads", kInts},
                                  {"strides", kInts}})) ||
      failed(ctx.checkInputs(1, 1)))
    return failure();
  FailureOr<SpatialAttrs> spatial = resolvePoolingAttrs(ctx);
  if (failed(spatial))
    return failure();
  if (llvm::any_of(spatial->dilations, [](int64_t d) { return d != 1; }))
    return ctx.emitError() << "attribute 'dilations' other than 1 is not "
                              "supported";
  OpBuilder &b = ctx.getBuilder();
  return ctx.createAndSetResults<graph::AveragePoolOp>(
      ctx.getInput(0), b.getDenseI64ArrayAttr(spatial->kernel),
      b.getDenseI64ArrayAttr(spatial->strides),
      b.getDenseI64ArrayAttr(spatial->pads),
      b.getBoolAttr(ctx.getInt("ceil_mode", 0) != 0),
      b.getBoolAttr(ctx.getInt("count_include_pad", 0) != 0));
}

//===----------------------------------------------------------------------===//
// BatchNormalization
//===----------------------------------------------------------------------===//

static LogicalResult importBatchNormalization(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"epsilon", kFloat},
                                  {"momentum", kFloat},
                                  {"training_mode", kInt}})) ||
      failed(ctx.checkInputs(5, 5)))
    return failure();
  // Training mode: the `training_mode` attribute from opset 14 on; before,
  // a node whose running statistics (outputs 1 and 2) are used.
  bool training = ctx.getOpset() >= 14
                      ? ctx.getInt("training_mode", 0) != 0
                      : ctx.isOutputUsed(1) || ctx.isOutputUsed(2);
  if (training)
    return importBatchNormalizationTraining(ctx);
  if (failed(ctx.checkOutputsUnused(
          1, "the running statistics are only computed in training mode")))
    return failure();
  return ctx.createAndSetResults<graph::BatchNormalizationOp>(
      ctx.getInput(0), ctx.getInput(1), ctx.getInput(2), ctx.getInput(3),
      ctx.getInput(4),
      ctx.getBuilder().getF32FloatAttr(ctx.getFloat("epsilon", 1e-5f)));
}

//===----------------------------------------------------------------------===//
// BitShift
//===----------------------------------------------------------------------===//

static LogicalResult importBitShift(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"direction", kString}})) ||
      failed(ctx.checkInputs(2, 2)))
    return failure();
  std::string direction = ctx.getString("direction", "");
  if (direction != "LEFT" && direction != "RIGHT")
    return ctx.emitError() << "attribute 'direction' is '" << direction
                           << "', expected 'LEFT' or 'RIGHT'";
  return ctx.createAndSetResults<graph::BitShiftOp>(
      ctx.getInput(0), ctx.getInput(1),
      ctx.getBuilder().getStringAttr(direction));
}

//===----------------------------------------------------------------------===//
// Cast
//===----------------------------------------------------------------------===//

static LogicalResult importCast(NodeContext &ctx) {
  // `saturate` (opset 19) only affects float8 targets, which are rejected.
  if (failed(ctx.checkAttributes({{"to", kInt}, {"saturate", kInt}})) ||
      failed(ctx.checkInputs(1, 1)))
    return failure();
  std::optional<int64_t> to = ctx.getOptionalInt("to");
  if (!to)
    return ctx.emitError() << "missing required attribute 'to'";
  Type type = getElementTypeOrNull(ctx.getContext(), *to);
  if (!type)
    return ctx.emitError() << "attribute 'to' names unsupported element type '"
                           << getOnnxTypeName(*to) << "'";
  return ctx.createAndSetResults<graph::CastOp>(ctx.getInput(0),
                                                TypeAttr::get(type));
}

//===----------------------------------------------------------------------===//
// CastLike
//===----------------------------------------------------------------------===//

/// CastLike: Cast to the element type of the second input.
static LogicalResult importCastLike(NodeContext &ctx) {
  // `saturate` (opset 19) only affects float8 targets, which are rejected.
  if (failed(ctx.checkAttributes({{"saturate", kInt}})) ||
      failed(ctx.checkInputs(2, 2)))
    return failure();
  Type type = cast<RankedTensorType>(ctx.getInput(1).getType()).getElementType();
  return ctx.createAndSetResults<graph::CastOp>(ctx.getInput(0),
                                                TypeAttr::get(type));
}

//===----------------------------------------------------------------------===//
// Clip
//===----------------------------------------------------------------------===//

/// Opset 6: the bounds are the optional FLOAT attributes `min` and `max`,
/// materialized as rank-0 constants of the input's float element type.
static LogicalResult importClipV6(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"min", kFloat}, {"max", kFloat}})) ||
      failed(ctx.checkInputs(1, 1)))
    return failure();
  Value input = ctx.getInput(0);
  Type elementType = cast<RankedTensorType>(input.getType()).getElementType();
  if (!isa<FloatType>(elementType))
    return ctx.emitError() << "expected a float input, got " << elementType;
  OpBuilder &b = ctx.getBuilder();
  auto bound = [&](StringRef name) -> Value {
    if (!ctx.hasAttr(name))
      return {};
    auto type = RankedTensorType::get({}, elementType);
    Attribute value = FloatAttr::get(elementType, ctx.getFloat(name, 0.0f));
    return graph::ConstantOp::create(b, ctx.getLoc(),
                                     DenseElementsAttr::get(type, value));
  };
  return ctx.createAndSetResults<graph::ClipOp>(input, bound("min"),
                                                bound("max"));
}

/// Opset 11 on: the bounds are optional inputs.
static LogicalResult importClip(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({})) || failed(ctx.checkInputs(1, 3)))
    return failure();
  return ctx.createAndSetResults<graph::ClipOp>(
      ctx.getInput(0), ctx.getInput(1), ctx.getInput(2));
}

//===----------------------------------------------------------------------===//
// Concat
//===----------------------------------------------------------------------===//

static LogicalResult importConcat(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"axis", kInt}})))
    return failure();
  if (ctx.getNumInputs() == 0)
    return ctx.emitError() << "expected at least 1 input, got 0";
  if (failed(ctx.checkInputs(ctx.getNumInputs(), ctx.getNumInputs())))
    return failure();
  std::optional<int64_t> axis = ctx.getOptionalInt("axis");
  if (!axis)
    return ctx.emitError() << "missing required attribute 'axis'";
  SmallVector<Value> inputs;
  for (unsigned i = 0, e = ctx.getNumInputs(); i < e; ++i)
    inputs.push_back(ctx.getInput(i));
  return ctx.createAndSetResults<graph::ConcatOp>(
      ValueRange(inputs), ctx.getBuilder().getI64IntegerAttr(*axis));
}

//===----------------------------------------------------------------------===//
// Constant
//===----------------------------------------------------------------------===//

static LogicalResult importConstant(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"value", kTensor},
                                  {"value_float", kFloat},
                                  {"value_floats", kFloats},
                                  {"value_int", kInt},
                                  {"value_ints", kInts}})) ||
      failed(ctx.checkInputs(0, 0)))
    return failure();
  const onnx::NodeProto &node = ctx.getNode();
  if (node.attribute_size() != 1)
    return ctx.emitError() << "expected exactly one 'value*' attribute, got "
                           << node.attribute_size();
  StringRef outputName = node.output_size() ? StringRef(node.output(0)) : "";
  const onnx::AttributeProto &attr = node.attribute(0);
  OpBuilder &b = ctx.getBuilder();
  Value value;
  if (attr.name() == "value") {
    FailureOr<Value> constant = ctx.createTensorConstant(
        attr.t(),
        attr.t().name().empty() ? outputName : StringRef(attr.t().name()));
    if (failed(constant))
      return failure();
    value = *constant;
  } else if (attr.name() == "value_float") {
    auto type = RankedTensorType::get({}, b.getF32Type());
    value = graph::ConstantOp::create(b, ctx.getLoc(),
                                      DenseElementsAttr::get(type, attr.f()));
  } else if (attr.name() == "value_int") {
    auto type = RankedTensorType::get({}, b.getI64Type());
    value = graph::ConstantOp::create(b, ctx.getLoc(),
                                      DenseElementsAttr::get(type, attr.i()));
  } else if (attr.name() == "value_floats") {
    SmallVector<float> values(attr.floats().begin(), attr.floats().end());
    auto type = RankedTensorType::get({static_cast<int64_t>(values.size())},
                                      b.getF32Type());
    value = graph::ConstantOp::create(
        b, ctx.getLoc(), DenseElementsAttr::get(type, ArrayRef(values)));
  } else {
    SmallVector<int64_t> values(attr.ints().begin(), attr.ints().end());
    value = ctx.createI64Constant(values);
  }
  ctx.setResults(value);
  return success();
}

//===----------------------------------------------------------------------===//
// ConstantOfShape
//===----------------------------------------------------------------------===//

/// ConstantOfShape: a constant splat when the shape is a constant, else the
/// one-element `value` expanded to the run-time shape.
static LogicalResult importConstantOfShape(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"value", kTensor}})) ||
      failed(ctx.checkInputs(1, 1)))
    return failure();
  OpBuilder &b = ctx.getBuilder();
  Value element;
  if (const onnx::AttributeProto *attr = ctx.getAttr("value")) {
    FailureOr<Value> constant = ctx.createTensorConstant(attr->t(), "");
    if (failed(constant))
      return failure();
    element = *constant;
  } else {
    element = graph::ConstantOp::create(
        b, ctx.getLoc(),
        DenseElementsAttr::get(RankedTensorType::get({1}, b.getF32Type()),
                               0.0f));
  }
  auto elementConstant = element.getDefiningOp<graph::ConstantOp>();
  auto dense = elementConstant
                   ? dyn_cast<DenseElementsAttr>(elementConstant.getValue())
                   : DenseElementsAttr();
  if (!dense || dense.getNumElements() != 1)
    return ctx.emitError() << "attribute 'value' must hold one element";
  Value shape = ctx.getInput(0);
  if (std::optional<SmallVector<int64_t>> dims =
          graph::getConstantIntValues(shape)) {
    if (llvm::any_of(*dims, [](int64_t dim) { return dim < 0; }))
      return ctx.emitError() << "'input' (the shape) has a negative entry";
    // A splat is small in the IR, but every later stage (folds, the weight
    // files) may write it out: the size limit of constants applies.
    int64_t elementBytes =
        std::max<int64_t>(1, dense.getElementType().getIntOrFloatBitWidth() / 8);
    if (failed(checkConstantSize(ctx.getNode().output(0), *dims,
                                 elementBytes, ctx.getLoc(),
                                 ctx.getTensorEnv())))
      return failure();
    auto type = RankedTensorType::get(*dims, dense.getElementType());
    ctx.setResults(Value(graph::ConstantOp::create(
        b, ctx.getLoc(),
        DenseElementsAttr::get(type, dense.getSplatValue<Attribute>()))));
    return success();
  }
  return ctx.createAndSetResults<graph::ExpandOp>(element, shape);
}

//===----------------------------------------------------------------------===//
// Conv
//===----------------------------------------------------------------------===//

static LogicalResult importConv(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"auto_pad", kString},
                                  {"dilations", kInts},
                                  {"group", kInt},
                                  {"kernel_shape", kInts},
                                  {"pads", kInts},
                                  {"strides", kInts}})) ||
      failed(ctx.checkInputs(2, 3)))
    return failure();
  auto weightType = cast<RankedTensorType>(ctx.getInput(1).getType());
  if (weightType.getRank() < 3)
    return ctx.emitError() << "weight has rank " << weightType.getRank()
                           << ", expected at least 3";
  SmallVector<int64_t> kernel(weightType.getShape().drop_front(2));
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
  FailureOr<SpatialAttrs> spatial =
      resolveSpatialAttrs(ctx, ctx.getInput(0), kernel);
  if (failed(spatial))
    return failure();
  int64_t group = ctx.getInt("group", 1);
  if (group < 1)
    return ctx.emitError() << "attribute 'group' has value " << group
                           << ", expected at least 1";
  OpBuilder &b = ctx.getBuilder();
  return ctx.createAndSetResults<graph::ConvOp>(
      ctx.getInput(0), ctx.getInput(1), ctx.getInput(2),
      b.getDenseI64ArrayAttr(spatial->strides),
      b.getDenseI64ArrayAttr(spatial->pads),
      b.getDenseI64ArrayAttr(spatial->dilations), b.getI64IntegerAttr(group));
}

//===----------------------------------------------------------------------===//
// DepthToSpace
//===----------------------------------------------------------------------===//

static LogicalResult importDepthToSpace(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"blocksize", kInt}, {"mode", kString}})) ||
      failed(ctx.checkInputs(1, 1)))
    return failure();
  std::optional<int64_t> blocksize = ctx.getOptionalInt("blocksize");
  if (!blocksize || *blocksize <= 0)
    return ctx.emitError() << "needs a positive 'blocksize' attribute";
  OpBuilder &b = ctx.getBuilder();
  return ctx.createAndSetResults<graph::DepthToSpaceOp>(
      ctx.getInput(0), b.getI64IntegerAttr(*blocksize),
      b.getStringAttr(ctx.getString("mode", "DCR")));
}

//===----------------------------------------------------------------------===//
// Dropout
//===----------------------------------------------------------------------===//

/// Returns whether `value` is a constant whose every element is zero.
static bool isConstantZero(Value value) {
  auto constant = value.getDefiningOp<graph::ConstantOp>();
  auto dense = constant ? dyn_cast<DenseElementsAttr>(constant.getValue())
                        : DenseElementsAttr();
  if (!dense)
    return false;
  if (isa<FloatType>(dense.getElementType()))
    return llvm::all_of(dense.getValues<APFloat>(),
                        [](const APFloat &v) { return v.isZero(); });
  return llvm::all_of(dense.getValues<APInt>(),
                      [](const APInt &v) { return v.isZero(); });
}

/// Dropout for inference: the output is the input, and the optional mask
/// output is all true. Training mode (opset 12: a `training_mode` input that
/// is not a constant false) with a ratio that is not a constant 0 drops
/// random elements (importDropoutTraining).
static LogicalResult importDropout(NodeContext &ctx) {
  bool ratioIsInput = ctx.getOpset() >= 12;
  KnownAttr known = ratioIsInput ? KnownAttr{"seed", kInt}
                                 : KnownAttr{"ratio", kFloat};
  if (failed(ctx.checkAttributes(known)) ||
      failed(ctx.checkInputs(1, ratioIsInput ? 3 : 1)))
    return failure();
  Value input = ctx.getInput(0);
  if (Value training = ctx.getInput(2); training && !isConstantZero(training)) {
    Value ratio = ctx.getInput(1);
    if (!ratio || !isConstantZero(ratio))
      return importDropoutTraining(ctx);
  }
  SmallVector<Value> results = {input};
  if (ctx.getNumOutputs() > 1) {
    OpBuilder &b = ctx.getBuilder();
    auto type = cast<RankedTensorType>(input.getType());
    if (type.hasStaticShape()) {
      results.push_back(graph::ConstantOp::create(
          b, ctx.getLoc(),
          DenseElementsAttr::get(type.clone(b.getI1Type()), true)));
    } else {
      // Broadcast a single `true` to the input's run-time shape.
      Value one = graph::ConstantOp::create(
          b, ctx.getLoc(),
          DenseElementsAttr::get(RankedTensorType::get({1}, b.getI1Type()),
                                 true));
      FailureOr<graph::ShapeOp> shape = ctx.create<graph::ShapeOp>(
          input, b.getI64IntegerAttr(0), IntegerAttr());
      if (failed(shape))
        return failure();
      FailureOr<graph::ExpandOp> mask =
          ctx.create<graph::ExpandOp>(one, shape->getResult());
      if (failed(mask))
        return failure();
      results.push_back(mask->getResult());
    }
  }
  ctx.setResults(results);
  return success();
}

//===----------------------------------------------------------------------===//
// Expand, Flatten
//===----------------------------------------------------------------------===//

static LogicalResult importExpand(NodeContext &ctx) {
  return importBinary<graph::ExpandOp>(ctx);
}

static LogicalResult importFlatten(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"axis", kInt}})) ||
      failed(ctx.checkInputs(1, 1)))
    return failure();
  return ctx.createAndSetResults<graph::FlattenOp>(
      ctx.getInput(0),
      ctx.getBuilder().getI64IntegerAttr(ctx.getInt("axis", 1)));
}

//===----------------------------------------------------------------------===//
// Registration
//===----------------------------------------------------------------------===//

void onnx_import::registerOpImportersAtoF(OpImporterRegistry &registry) {
  // Versions that only add element types share one builder.
  for (int64_t version : {6, 13}) {
    registry.add("Abs", version, importUnary<graph::AbsOp>);
    registry.add("Ceil", version, importUnary<graph::CeilOp>);
    registry.add("Exp", version, importUnary<graph::ExpOp>);
    registry.add("Floor", version, importUnary<graph::FloorOp>);
  }
  registry.add("Acos", 7, importUnary<graph::AcosOp>);
  registry.add("Acosh", 9, importUnary<graph::AcoshOp>);
  registry.add("Add", 7, importBinary<graph::AddOp>);
  registry.add("And", 7, importBinary<graph::AndOp>);
  registry.add("Asin", 7, importUnary<graph::AsinOp>);
  registry.add("Asinh", 9, importUnary<graph::AsinhOp>);
  registry.add("Atan", 7, importUnary<graph::AtanOp>);
  registry.add("Atanh", 9, importUnary<graph::AtanhOp>);
  registry.add("ArgMax", 1, importArgReduce<graph::ArgMaxOp, false>);
  registry.add("ArgMax", 12, importArgReduce<graph::ArgMaxOp, true>);
  registry.add("ArgMin", 1, importArgReduce<graph::ArgMinOp, false>);
  registry.add("ArgMin", 12, importArgReduce<graph::ArgMinOp, true>);
  registry.add("AveragePool", 11, importAveragePool);
  registry.add("BatchNormalization", 9, importBatchNormalization);
  registry.add("BitShift", 11, importBitShift);
  registry.add("Cast", 6, importCast);
  registry.add("CastLike", 15, importCastLike);
  registry.add("Celu", 12, [](NodeContext &ctx) {
    return importUnaryWithFloats<graph::CeluOp>(ctx, "alpha");
  });
  registry.add("Clip", 6, importClipV6);
  for (int64_t version : {11, 12, 13})
    registry.add("Clip", version, importClip);
  registry.add("Concat", 11, importConcat);
  registry.add("Constant", 11, importConstant);
  registry.add("ConstantOfShape", 9, importConstantOfShape);
  registry.add("Conv", 11, importConv);
  registry.add("DepthToSpace", 11, importDepthToSpace);
  registry.add("DepthToSpace", 13, importDepthToSpace);
  // Opset 14 only adds element types.
  registry.add("CumSum", 11, importCumSum);
  registry.add("Div", 7, importBinary<graph::DivOp>);
  registry.add("Dropout", 7, importDropout);
  registry.add("Dropout", 10, importDropout);
  registry.add("Dropout", 12, importDropout);
  registry.add("Dropout", 13, importDropout);
  registry.add("Cos", 7, importUnary<graph::CosOp>);
  registry.add("Cosh", 9, importUnary<graph::CoshOp>);
  registry.add("Elu", 6, [](NodeContext &ctx) {
    return importUnaryWithFloats<graph::EluOp>(ctx, "alpha");
  });
  registry.add("Equal", 11, importBinary<graph::EqualOp>);
  registry.add("Erf", 9, importUnary<graph::ErfOp>);
  registry.add("Expand", 8, importExpand);
  registry.add("Flatten", 11, importFlatten);
}
