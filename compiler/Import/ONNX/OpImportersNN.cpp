//===- OpImportersNN.cpp - ONNX op builders of image-model layers ---------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Builders of Resize (opsets 10, 11 on), Upsample (opsets 7 and 9, imported
// as a Resize with the asymmetric coordinates and floor rounding they
// imply), ConvTranspose (auto_pad and output_shape resolved to pads), and
// MaxUnpool, and the normalizations InstanceNormalization,
// MeanVarianceNormalization and LRN, spelled out with existing graph ops
// (reductions, elementwise ops and, for LRN's channel window, an
// AveragePool).
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/ONNX/OpImporters.h"

#include "dialects/Graph/GraphOps.h"
#include "dialects/Graph/GraphTypeInference.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace exaforge;
using namespace exaforge::onnx_import;

namespace graph = exaforge::graph;

//===----------------------------------------------------------------------===//
// Resize, Upsample
//===----------------------------------------------------------------------===//

/// Returns `value` unless it is absent or a tensor of static length 0 (ONNX
/// passes an empty tensor for an unused `roi` or `scales`).
static Value getUnlessEmpty(Value value) {
  if (!value)
    return value;
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getRank() == 1 && type.getDimSize(0) == 0)
    return Value();
  return value;
}

/// Creates a `graph.constant` holding `values` as a `tensor<Nxf32>`.
static Value createF32Constant(NodeContext &ctx, ArrayRef<float> values) {
  auto type = RankedTensorType::get({static_cast<int64_t>(values.size())},
                                    ctx.getBuilder().getF32Type());
  return graph::ConstantOp::create(ctx.getBuilder(), ctx.getLoc(),
                                   DenseElementsAttr::get(type, values));
}

/// Rewrites Resize's opset-18 `axes` into operands that cover every
/// dimension: the listed entries of the constant `scales`, `sizes` and
/// `roi` are spread over a rank-long list, the others keep their size.
static LogicalResult expandResizeAxes(NodeContext &ctx, ArrayRef<int64_t> axes,
                                      Value &roi, Value &scales, Value &sizes) {
  auto inputType = cast<RankedTensorType>(ctx.getInput(0).getType());
  int64_t rank = inputType.getRank();
  SmallVector<int64_t> dims;
  for (int64_t axis : axes) {
    FailureOr<int64_t> dim = graph::normalizeAxis(ctx.getLoc(), axis, rank);
    if (failed(dim))
      return failure();
    if (llvm::is_contained(dims, *dim))
      return ctx.emitError() << "attribute 'axes' lists axis " << axis
                             << " twice";
    dims.push_back(*dim);
  }
  if (llvm::equal(dims, llvm::seq<int64_t>(0, rank)))
    return success();
  if (scales) {
    std::optional<SmallVector<double>> values =
        graph::getConstantFloatValues(scales);
    if (!values || values->size() != dims.size())
      return ctx.emitError() << "attribute 'axes' needs constant 'scales' "
                                "with one entry per axis";
    SmallVector<float> full(rank, 1.0f);
    for (auto [i, dim] : llvm::enumerate(dims))
      full[dim] = static_cast<float>((*values)[i]);
    scales = createF32Constant(ctx, full);
  }
  if (sizes) {
    std::optional<SmallVector<int64_t>> values =
        graph::getConstantIntValues(sizes);
    if (!values || values->size() != dims.size() ||
        !inputType.hasStaticShape())
      return ctx.emitError() << "attribute 'axes' needs constant 'sizes' "
                                "with one entry per axis and a static input "
                                "shape";
    SmallVector<int64_t> full(inputType.getShape());
    for (auto [i, dim] : llvm::enumerate(dims))
      full[dim] = (*values)[i];
    sizes = ctx.createI64Constant(full);
  }
  if (roi) {
    std::optional<SmallVector<double>> values =
        graph::getConstantFloatValues(roi);
    if (!values || values->size() != 2 * dims.size())
      return ctx.emitError() << "attribute 'axes' needs a constant 'roi' "
                                "with two entries per axis";
    SmallVector<float> full(rank, 0.0f);
    full.append(rank, 1.0f);
    for (auto [i, dim] : llvm::enumerate(dims)) {
      full[dim] = static_cast<float>((*values)[i]);
      full[rank + dim] = static_cast<float>((*values)[dims.size() + i]);
    }
    roi = createF32Constant(ctx, full);
  }
  return success();
}

/// Returns Resize's (or Upsample's) `mode` attribute, checked.
static FailureOr<std::string> getResizeMode(NodeContext &ctx) {
  std::string mode = ctx.getString("mode", "nearest");
  if (mode == "bilinear")
    mode = "linear";
  if (mode != "nearest" && mode != "linear" && mode != "cubic")
    return ctx.emitError() << "attribute 'mode' has unsupported value '"
                           << mode << "'";
  return mode;
}

/// Creates the `graph.resize` of the node's first input with the asymmetric
/// coordinates and floor rounding of Upsample and Resize-10.
static LogicalResult createAsymmetricResize(NodeContext &ctx, Value scales) {
  FailureOr<std::string> mode = getResizeMode(ctx);
  if (failed(mode))
    return failure();
  if (*mode == "cubic" && ctx.getOpType() == "Upsample")
    return ctx.emitError() << "attribute 'mode' has unsupported value 'cubic'";
  OpBuilder &b = ctx.getBuilder();
  return ctx.createAndSetResults<graph::ResizeOp>(
      ctx.getInput(0), Value(), scales, Value(), b.getStringAttr(*mode),
      b.getStringAttr("asymmetric"), b.getStringAttr("floor"),
      b.getF32FloatAttr(-0.75f), b.getBoolAttr(false),
      b.getF32FloatAttr(0.0f));
}

/// Upsample opset 7: the scales are an attribute.
static LogicalResult importUpsample7(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"mode", kString}, {"scales", kFloats}})) ||
      failed(ctx.checkInputs(1, 1)))
    return failure();
  const onnx::AttributeProto *attr = ctx.getAttr("scales");
  if (!attr)
    return ctx.emitError() << "missing required attribute 'scales'";
  SmallVector<float> scales(attr->floats().begin(), attr->floats().end());
  return createAsymmetricResize(ctx, createF32Constant(ctx, scales));
}

/// Upsample opset 9 and Resize opset 10: the scales are an input.
static LogicalResult importScalesResize(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"mode", kString}})) ||
      failed(ctx.checkInputs(2, 2)))
    return failure();
  return createAsymmetricResize(ctx, ctx.getInput(1));
}

/// Resize opset 11 on: `roi`, `scales` and `sizes` inputs (an empty tensor
/// stands for an absent one); opset 18's `axes` is expanded, its
/// `antialias` and `keep_aspect_ratio_policy` are only accepted at their
/// defaults.
static LogicalResult importResize(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"antialias", kInt},
                                  {"axes", kInts},
                                  {"coordinate_transformation_mode", kString},
                                  {"cubic_coeff_a", kFloat},
                                  {"exclude_outside", kInt},
                                  {"extrapolation_value", kFloat},
                                  {"keep_aspect_ratio_policy", kString},
                                  {"mode", kString},
                                  {"nearest_mode", kString}})) ||
      failed(ctx.checkInputs(1, 4)))
    return failure();
  if (ctx.getInt("antialias", 0) != 0)
    return ctx.emitError() << "attribute 'antialias' = 1 is not supported";
  std::string policy = ctx.getString("keep_aspect_ratio_policy", "stretch");
  if (policy != "stretch")
    return ctx.emitError() << "attribute 'keep_aspect_ratio_policy' = '"
                           << policy << "' is not supported (only 'stretch')";
  FailureOr<std::string> mode = getResizeMode(ctx);
  if (failed(mode))
    return failure();
  Value roi = getUnlessEmpty(ctx.getInput(1));
  Value scales = getUnlessEmpty(ctx.getInput(2));
  Value sizes = getUnlessEmpty(ctx.getInput(3));
  if (static_cast<bool>(scales) == static_cast<bool>(sizes))
    return ctx.emitError()
           << "expects exactly one of 'scales' and 'sizes' to be non-empty";
  std::string coordinateMode =
      ctx.getString("coordinate_transformation_mode", "half_pixel");
  if (coordinateMode != "tf_crop_and_resize")
    roi = Value();
  if (std::optional<SmallVector<int64_t>> axes = ctx.getInts("axes"))
    if (failed(expandResizeAxes(ctx, *axes, roi, scales, sizes)))
      return failure();
  OpBuilder &b = ctx.getBuilder();
  return ctx.createAndSetResults<graph::ResizeOp>(
      ctx.getInput(0), roi, scales, sizes, b.getStringAttr(*mode),
      b.getStringAttr(coordinateMode),
      b.getStringAttr(ctx.getString("nearest_mode", "round_prefer_floor")),
      b.getF32FloatAttr(ctx.getFloat("cubic_coeff_a", -0.75f)),
      b.getBoolAttr(ctx.getInt("exclude_outside", 0) != 0),
      b.getF32FloatAttr(ctx.getFloat("extrapolation_value", 0.0f)));
}

//===----------------------------------------------------------------------===//
// ConvTranspose
//===----------------------------------------------------------------------===//

/// Reads the INTS attribute `name` with `count` entries, each at least
/// `minimum`, or `count` copies of `dflt` when it is absent.
static FailureOr<SmallVector<int64_t>> getIntsOr(NodeContext &ctx,
                                                 StringRef name, size_t count,
                                                 int64_t dflt,
                                                 int64_t minimum) {
  std::optional<SmallVector<int64_t>> values = ctx.getInts(name);
  if (!values)
    return SmallVector<int64_t>(count, dflt);
  if (values->size() != count)
    return ctx.emitError() << "attribute '" << name << "' has "
                           << values->size() << " values, expected " << count;
  for (int64_t value : *values)
    if (value < minimum)
      return ctx.emitError() << "attribute '" << name << "' has value "
                             << value << ", expected at least " << minimum;
  return *values;
}

/// ConvTranspose: `output_shape` (or SAME auto_pad, whose output shape is
/// `input * strides`) fixes the total padding of each spatial dimension,
/// split as ONNX specifies (the odd unit at the end for SAME_UPPER, at the
/// beginning otherwise; a negative total adds zeros).
static LogicalResult importConvTranspose(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"auto_pad", kString},
                                  {"dilations", kInts},
                                  {"group", kInt},
                                  {"kernel_shape", kInts},
                                  {"output_padding", kInts},
                                  {"output_shape", kInts},
                                  {"pads", kInts},
                                  {"strides", kInts}})) ||
      failed(ctx.checkInputs(2, 3)))
    return failure();
  auto inputType = cast<RankedTensorType>(ctx.getInput(0).getType());
  auto weightType = cast<RankedTensorType>(ctx.getInput(1).getType());
  if (weightType.getRank() < 3 || inputType.getRank() != weightType.getRank())
    return ctx.emitError() << "input and weight must have the same rank, at "
                              "least 3; got "
                           << inputType.getRank() << " and "
                           << weightType.getRank();
  size_t numSpatial = weightType.getRank() - 2;
  SmallVector<int64_t> kernel(weightType.getShape().drop_front(2));
  if (std::optional<SmallVector<int64_t>> attr = ctx.getInts("kernel_shape")) {
    if (attr->size() != numSpatial)
      return ctx.emitError() << "attribute 'kernel_shape' has " << attr->size()
                             << " values, expected " << numSpatial;
    for (auto [i, k] : llvm::enumerate(*attr)) {
      if (!ShapedType::isDynamic(kernel[i]) && kernel[i] != k)
        return ctx.emitError()
               << "attribute 'kernel_shape' does not match the weight shape";
      kernel[i] = k;
    }
  }
  FailureOr<SmallVector<int64_t>> strides =
      getIntsOr(ctx, "strides", numSpatial, 1, 1);
  FailureOr<SmallVector<int64_t>> dilations =
      getIntsOr(ctx, "dilations", numSpatial, 1, 1);
  FailureOr<SmallVector<int64_t>> outputPadding =
      getIntsOr(ctx, "output_padding", numSpatial, 0, 0);
  FailureOr<SmallVector<int64_t>> pads =
      getIntsOr(ctx, "pads", 2 * numSpatial, 0, 0);
  if (failed(strides) || failed(dilations) || failed(outputPadding) ||
      failed(pads))
    return failure();
  int64_t group = ctx.getInt("group", 1);
  if (group < 1)
    return ctx.emitError() << "attribute 'group' has value " << group
                           << ", expected at least 1";

  std::string autoPad = ctx.getString("auto_pad", "NOTSET");
  if (autoPad != "NOTSET" && autoPad != "VALID" && autoPad != "SAME_UPPER" &&
      autoPad != "SAME_LOWER")
    return ctx.emitError() << "attribute 'auto_pad' has unsupported value '"
                           << autoPad << "'";
  std::optional<SmallVector<int64_t>> outputShape = ctx.getInts("output_shape");
  if (outputShape && outputShape->size() == numSpatial + 2)
    outputShape->erase(outputShape->begin(), outputShape->begin() + 2);
  if (outputShape && outputShape->size() != numSpatial)
    return ctx.emitError() << "attribute 'output_shape' has "
                           << outputShape->size() << " values, expected "
                           << numSpatial;
  if (autoPad == "VALID")
    pads->assign(2 * numSpatial, 0);
  bool isSame = autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER";
  if (outputShape || isSame) {
    for (size_t i = 0; i < numSpatial; ++i) {
      int64_t in = inputType.getDimSize(i + 2);
      if (ShapedType::isDynamic(in) || ShapedType::isDynamic(kernel[i]))
        return ctx.emitError() << "'output_shape' and SAME 'auto_pad' need "
                                  "static spatial input dimensions and "
                                  "kernel shape";
      int64_t out = outputShape ? (*outputShape)[i] : in * (*strides)[i];
      int64_t total = (*strides)[i] * (in - 1) + (*outputPadding)[i] +
                      (kernel[i] - 1) * (*dilations)[i] + 1 - out;
      int64_t half = llvm::divideFloorSigned(total, 2);
      bool upper = autoPad == "SAME_UPPER";
      (*pads)[i] = upper ? half : total - half;
      (*pads)[i + numSpatial] = upper ? total - half : half;
    }
  }
  OpBuilder &b = ctx.getBuilder();
  return ctx.createAndSetResults<graph::ConvTransposeOp>(
      ctx.getInput(0), ctx.getInput(1), ctx.getInput(2),
      b.getDenseI64ArrayAttr(*strides), b.getDenseI64ArrayAttr(*pads),
      b.getDenseI64ArrayAttr(*dilations),
      b.getDenseI64ArrayAttr(*outputPadding), b.getI64IntegerAttr(group));
}

//===----------------------------------------------------------------------===//
// InstanceNormalization, MeanVarianceNormalization, LRN
//===----------------------------------------------------------------------===//

namespace {
/// Builds the graph ops that spell out one node, stopping at the first op
/// whose type inference fails (the error is then already reported at the
/// node); `ok()` says whether every op was built.
class OpChain {
public:
  explicit OpChain(NodeContext &ctx) : ctx(ctx) {}

  /// Creates the single-result op `OpTy` and returns its result, or null
  /// once any op failed.
  template <typename OpTy, typename... Args> Value make(Args &&...args) {
    if (failedAny)
      return Value();
    FailureOr<OpTy> op = ctx.create<OpTy>(std::forward<Args>(args)...);
    if (failed(op)) {
      failedAny = true;
      return Value();
    }
    return op->getResult();
  }

  /// A rank-0 constant `value` of the float type `type`.
  Value scalar(Type type, double value) {
    auto tensorType = RankedTensorType::get({}, type);
    return make<graph::ConstantOp>(DenseElementsAttr::get(
        tensorType, ArrayRef<Attribute>{FloatAttr::get(type, value)}));
  }

  /// The mean of `value` over `axes`, keeping the reduced dimensions.
  Value mean(Value value, ArrayRef<int64_t> axes) {
    OpBuilder &b = ctx.getBuilder();
    return make<graph::ReduceMeanOp>(value, ctx.createI64Constant(axes),
                                     b.getBoolAttr(true), b.getBoolAttr(false));
  }

  /// Whether every op was built.
  bool ok() const { return !failedAny; }

private:
  NodeContext &ctx;
  bool failedAny = false;
};
} // namespace

/// Returns the float element type of the node's first input, or fails.
static FailureOr<Type> getFloatInputType(NodeContext &ctx) {
  Type type = cast<RankedTensorType>(ctx.getInput(0).getType()).getElementType();
  if (!isa<FloatType>(type))
    return ctx.emitError() << "expects a float input, got " << type;
  return type;
}

/// InstanceNormalization: each (sample, channel) plane is normalized over
/// its spatial dimensions, then scaled and shifted per channel:
///   d = x - ReduceMean(x), y = d / Sqrt(ReduceMean(d * d) + epsilon)
///       * scale + bias   (scale and bias unsqueezed to C x 1 x ... x 1).
static LogicalResult importInstanceNormalization(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"epsilon", kFloat}})) ||
      failed(ctx.checkInputs(3, 3)))
    return failure();
  FailureOr<Type> elementType = getFloatInputType(ctx);
  if (failed(elementType))
    return failure();
  Value x = ctx.getInput(0);
  int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
  if (rank < 3)
    return ctx.emitError() << "input must have rank 3 or more (N x C x "
                              "spatial dims), got rank "
                           << rank;
  SmallVector<int64_t> spatialAxes = llvm::to_vector(llvm::seq<int64_t>(2, rank));
  SmallVector<int64_t> trailingAxes =
      llvm::to_vector(llvm::seq<int64_t>(1, rank - 1));
  OpChain chain(ctx);
  Value centered = chain.make<graph::SubOp>(x, chain.mean(x, spatialAxes));
  Value variance = chain.mean(
      chain.make<graph::MulOp>(centered, centered), spatialAxes);
  Value stdDev = chain.make<graph::SqrtOp>(chain.make<graph::AddOp>(
      variance, chain.scalar(*elementType, ctx.getFloat("epsilon", 1e-5f))));
  Value normalized = chain.make<graph::DivOp>(centered, stdDev);
  Value scale = chain.make<graph::UnsqueezeOp>(
      ctx.getInput(1), ctx.createI64Constant(trailingAxes));
  Value bias = chain.make<graph::UnsqueezeOp>(
      ctx.getInput(2), ctx.createI64Constant(trailingAxes));
  Value y = chain.make<graph::AddOp>(
      chain.make<graph::MulOp>(normalized, scale), bias);
  if (!chain.ok())
    return failure();
  ctx.setResults(y);
  return success();
}

/// MeanVarianceNormalization (ONNX's function body): over `axes` (default
/// [0, 2, 3]), d = x - ReduceMean(x), y = d / (Sqrt(ReduceMean(d * d)) +
/// 1e-9).
static LogicalResult importMeanVarianceNormalization(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"axes", kInts}})) ||
      failed(ctx.checkInputs(1, 1)))
    return failure();
  FailureOr<Type> elementType = getFloatInputType(ctx);
  if (failed(elementType))
    return failure();
  Value x = ctx.getInput(0);
  SmallVector<int64_t> axes =
      ctx.getInts("axes").value_or(SmallVector<int64_t>{0, 2, 3});
  OpChain chain(ctx);
  Value centered = chain.make<graph::SubOp>(x, chain.mean(x, axes));
  Value stdDev = chain.make<graph::SqrtOp>(
      chain.mean(chain.make<graph::MulOp>(centered, centered), axes));
  Value y = chain.make<graph::DivOp>(
      centered, chain.make<graph::AddOp>(stdDev,
                                         chain.scalar(*elementType, 1e-9)));
  if (!chain.ok())
    return failure();
  ctx.setResults(y);
  return success();
}

/// LRN: y = x / (bias + alpha / size * S)^beta, where S sums x^2 over the
/// channels [c - floor((size - 1) / 2), c + ceil((size - 1) / 2)]. The window
/// sum is an AveragePool (counting the zero padding, so it divides by
/// `size`) of x^2 reshaped to `N x 1 x C x rest`; the input's channel
/// dimension and the product of the others must be static.
static LogicalResult importLRN(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"alpha", kFloat},
                                  {"beta", kFloat},
                                  {"bias", kFloat},
                                  {"size", kInt}})) ||
      failed(ctx.checkInputs(1, 1)))
    return failure();
  FailureOr<Type> elementType = getFloatInputType(ctx);
  if (failed(elementType))
    return failure();
  std::optional<int64_t> size = ctx.getOptionalInt("size");
  if (!size || *size < 1)
    return ctx.emitError() << "needs a positive 'size' attribute";
  Value x = ctx.getInput(0);
  auto type = cast<RankedTensorType>(x.getType());
  if (type.getRank() < 3 ||
      llvm::any_of(type.getShape().drop_front(1), ShapedType::isDynamic))
    return ctx.emitError() << "needs an input of rank 3 or more whose "
                              "dimensions other than the batch are static";
  int64_t channels = type.getDimSize(1);
  int64_t rest = 1;
  for (int64_t dim : type.getShape().drop_front(2))
    rest *= dim;
  OpBuilder &b = ctx.getBuilder();
  int64_t before = (*size - 1) / 2, after = *size - 1 - before;
  OpChain chain(ctx);
  Value squared = chain.make<graph::MulOp>(x, x);
  Value planes = chain.make<graph::ReshapeOp>(
      squared, ctx.createI64Constant({0, 1, channels, rest}),
      b.getBoolAttr(false));
  Value average = chain.make<graph::AveragePoolOp>(
      planes, b.getDenseI64ArrayAttr({*size, 1}),
      b.getDenseI64ArrayAttr({1, 1}),
      b.getDenseI64ArrayAttr({before, 0, after, 0}), b.getBoolAttr(false),
      b.getBoolAttr(true));
  // Back to the input's shape; 0 keeps the batch size.
  SmallVector<int64_t> shape = {0};
  llvm::append_range(shape, type.getShape().drop_front(1));
  Value windowMean = chain.make<graph::ReshapeOp>(
      average, ctx.createI64Constant(shape), b.getBoolAttr(false));
  Value base = chain.make<graph::AddOp>(
      chain.scalar(*elementType, ctx.getFloat("bias", 1.0f)),
      chain.make<graph::MulOp>(
          chain.scalar(*elementType, ctx.getFloat("alpha", 1e-4f)),
          windowMean));
  Value y = chain.make<graph::DivOp>(
      x, chain.make<graph::PowOp>(
             base, chain.scalar(*elementType, ctx.getFloat("beta", 0.75f))));
  if (!chain.ok())
    return failure();
  ctx.setResults(y);
  return success();
}

//===----------------------------------------------------------------------===//
// MaxUnpool
//===----------------------------------------------------------------------===//

/// MaxUnpool: graph.max_unpool to the shape the window implies; an
/// `output_shape` operand then pads each dimension at its end to that shape
/// (ONNX's reference places the unpooled tensor in the corner of the larger
/// output), with pads computed as `output_shape - Shape(unpooled)`.
static LogicalResult importMaxUnpool(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"kernel_shape", kInts},
                                  {"pads", kInts},
                                  {"strides", kInts}})) ||
      failed(ctx.checkInputs(2, 3)))
    return failure();
  std::optional<SmallVector<int64_t>> kernel = ctx.getInts("kernel_shape");
  if (!kernel)
    return ctx.emitError() << "missing required attribute 'kernel_shape'";
  size_t numSpatial = kernel->size();
  FailureOr<SmallVector<int64_t>> strides =
      getIntsOr(ctx, "strides", numSpatial, 1, 1);
  FailureOr<SmallVector<int64_t>> pads =
      getIntsOr(ctx, "pads", 2 * numSpatial, 0, 0);
  if (failed(strides) || failed(pads))
    return failure();
  OpBuilder &b = ctx.getBuilder();
  OpChain chain(ctx);
  Value unpooled = chain.make<graph::MaxUnpoolOp>(
      ctx.getInput(0), ctx.getInput(1), b.getDenseI64ArrayAttr(*kernel),
      b.getDenseI64ArrayAttr(*strides), b.getDenseI64ArrayAttr(*pads));
  if (Value outputShape = ctx.getInput(2); outputShape && chain.ok()) {
    int64_t rank = cast<RankedTensorType>(unpooled.getType()).getRank();
    Value ends = chain.make<graph::SubOp>(
        outputShape, chain.make<graph::ShapeOp>(
                         unpooled, b.getI64IntegerAttr(0), IntegerAttr()));
    Value padsValue = chain.make<graph::ConcatOp>(
        ValueRange{ctx.createI64Constant(SmallVector<int64_t>(rank, 0)), ends},
        b.getI64IntegerAttr(0));
    unpooled = chain.make<graph::PadOp>(unpooled, padsValue, Value(), Value(),
                                        b.getStringAttr("constant"));
  }
  if (!chain.ok())
    return failure();
  ctx.setResults(unpooled);
  return success();
}

//===----------------------------------------------------------------------===//
// Registration
//===----------------------------------------------------------------------===//

void onnx_import::registerOpImportersNN(OpImporterRegistry &registry) {
  registry.add("ConvTranspose", 1, importConvTranspose);
  registry.add("InstanceNormalization", 6, importInstanceNormalization);
  registry.add("LRN", 1, importLRN);
  registry.add("MaxUnpool", 9, importMaxUnpool);
  registry.add("MeanVarianceNormalization", 9,
               importMeanVarianceNormalization);
  registry.add("Resize", 10, importScalesResize);
  registry.add("Resize", 11, importResize);
  registry.add("Upsample", 7, importUpsample7);
  registry.add("Upsample", 9, importScalesResize);
}
