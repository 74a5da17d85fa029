//===- OpImportersAtoF.cpp - ONNX op builders, A to F ---------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Builders of the ONNX op types Add to Flatten (ArgMax, ArgMin and CumSum
// included), and the spatial attribute
// resolution (auto_pad, strides, pads, dilations) shared by Conv and the
// pooling ops.
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/ONNX/OpImporters.h"

#include "dialects/Graph/GraphOps.h"

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
  if (ctx.getInt("training_mode", 0) != 0)
    return ctx.emitError() << "attribute 'training_mode' = 1 is not supported";
  if (failed(ctx.checkOutputsUnused(
          1, "only the inference output 'Y' is supported")))
    return failure();
  return ctx.createAndSetResults<graph::BatchNormalizationOp>(
      ctx.getInput(0), ctx.getInput(1), ctx.getInput(2), ctx.getInput(3),
      ctx.getInput(4),
      ctx.getBuilder().getF32FloatAttr(ctx.getFloat("epsilon", 1e-5f)));
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
  registry.add("Add", 7, importBinary<graph::AddOp>);
  registry.add("ArgMax", 1, importArgReduce<graph::ArgMaxOp, false>);
  registry.add("ArgMax", 12, importArgReduce<graph::ArgMaxOp, true>);
  registry.add("ArgMin", 1, importArgReduce<graph::ArgMinOp, false>);
  registry.add("ArgMin", 12, importArgReduce<graph::ArgMinOp, true>);
  registry.add("AveragePool", 11, importAveragePool);
  registry.add("BatchNormalization", 9, importBatchNormalization);
  registry.add("Cast", 6, importCast);
  registry.add("Concat", 11, importConcat);
  registry.add("Constant", 11, importConstant);
  registry.add("Conv", 11, importConv);
  // Opset 14 only adds element types.
  registry.add("CumSum", 11, importCumSum);
  registry.add("Div", 7, importBinary<graph::DivOp>);
  registry.add("Equal", 11, importBinary<graph::EqualOp>);
  registry.add("Erf", 9, importUnary<graph::ErfOp>);
  registry.add("Expand", 8, importExpand);
  registry.add("Flatten", 11, importFlatten);
}
