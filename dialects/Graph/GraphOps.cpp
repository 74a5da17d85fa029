//===- GraphOps.cpp - Graph dialect operations ----------------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Result type inference of every graph op. Inference doubles as verification:
// each `inferReturnTypes` checks the operands and attributes it reads and
// reports violations at the op's location (see GraphTypeInference.h). Ops
// built from a class of GraphOps.td (unary, broadcasting binary, reductions)
// get their inference from the class; this file covers the others.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/GraphOps.h"
#include "dialects/Graph/ShapeVector.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallBitVector.h"
#include "llvm/Support/MathExtras.h"

#include <cmath>

using namespace mlir;
using namespace exaforge::graph;

namespace {
constexpr int64_t kDynamic = ShapedType::kDynamic;

/// Returns the static length of a 1-D operand such as a shape or axes list,
/// or fails with a diagnostic naming `what` (also when it is not 1-D).
FailureOr<int64_t> getStaticLength(std::optional<Location> loc, Value vector,
                                   StringRef what) {
  RankedTensorType type = tensorTypeOf(vector);
  if (type.getRank() != 1)
    return emitOptionalError(loc, "'", what, "' must be a 1-D tensor, got rank ",
                             type.getRank());
  int64_t length = type.getDimSize(0);
  if (ShapedType::isDynamic(length))
    return emitOptionalError(loc, "'", what, "' must have a static length");
  return length;
}

/// Formats one dimension for diagnostics: its size, or `?` when dynamic.
std::string formatDim(int64_t dim) {
  return ShapedType::isDynamic(dim) ? "?" : std::to_string(dim);
}

/// Product of `dims`, or dynamic when any of them is.
int64_t productOrDynamic(ArrayRef<int64_t> dims) {
  int64_t product = 1;
  for (int64_t dim : dims) {
    if (ShapedType::isDynamic(dim))
      return kDynamic;
    product *= dim;
  }
  return product;
}

/// Checks that `attr` has `expected` entries that are all at least `minimum`.
LogicalResult verifyWindowAttr(std::optional<Location> loc, StringRef name,
                               ArrayRef<int64_t> attr, size_t expected,
                               int64_t minimum) {
  if (attr.size() != expected)
    return emitOptionalError(loc, "'", name, "' has ", attr.size(),
                             " entries, expected ", expected);
  for (int64_t value : attr)
    if (value < minimum)
      return emitOptionalError(loc, "'", name, "' entries must be at least ",
                               minimum, ", got ", value);
  return success();
}

/// Size of one spatial output dimension of a convolution or pooling window.
/// `ceilMode` rounds up, dropping a last window that would start in the end
/// padding (the rule of PyTorch and onnxruntime).
FailureOr<int64_t> inferWindowOutputSize(std::optional<Location> loc,
                                         int64_t input, int64_t kernel,
                                         int64_t stride, int64_t dilation,
                                         int64_t padBegin, int64_t padEnd,
                                         bool ceilMode) {
  if (ShapedType::isDynamic(input) || ShapedType::isDynamic(kernel))
    return kDynamic;
  int64_t window, padded, span;
  if (llvm::MulOverflow(kernel - 1, dilation, window) ||
      llvm::AddOverflow(input, padBegin, padded) ||
      llvm::AddOverflow(padded, padEnd, padded) ||
      llvm::AddOverflow(window, int64_t(1), window))
    return emitOptionalError(loc, "the padded input or the window has more "
                                  "elements than fit in 64 bits");
  span = padded - window;
  if (span < 0)
    return emitOptionalError(loc, "window of size ", window,
                             " is larger than the padded input of size ",
                             input + padBegin + padEnd);
  int64_t size = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1;
  if (ceilMode && (size - 1) * stride >= input + padBegin)
    --size;
  return size;
}

/// Infers the `N x C x D1..Dn` result of a pooling op from its window.
LogicalResult inferPoolResult(std::optional<Location> loc, Value input,
                              ArrayRef<int64_t> kernelShape,
                              ArrayRef<int64_t> strides, ArrayRef<int64_t> pads,
                              ArrayRef<int64_t> dilations, bool ceilMode,
                              SmallVectorImpl<Type> &types) {
  RankedTensorType inputType = tensorTypeOf(input);
  if (inputType.getRank() < 3)
    return emitOptionalError(loc,
                             "input must have rank 3 or more (N x C x "
                             "spatial dims), got rank ",
                             inputType.getRank());
  size_t spatialRank = inputType.getRank() - 2;
  if (failed(
          verifyWindowAttr(loc, "kernel_shape", kernelShape, spatialRank, 1)) ||
      failed(verifyWindowAttr(loc, "strides", strides, spatialRank, 1)) ||
      failed(verifyWindowAttr(loc, "pads", pads, 2 * spatialRank, 0)) ||
      failed(verifyWindowAttr(loc, "dilations", dilations, spatialRank, 1)))
    return failure();
  // onnxruntime's rule: a window never lies entirely in the padding.
  for (size_t i = 0; i < 2 * spatialRank; ++i)
    if (pads[i] >= kernelShape[i % spatialRank])
      return emitOptionalError(loc, "'pads' entry ", i, " (", pads[i],
                               ") must be smaller than the kernel size ",
                               kernelShape[i % spatialRank]);
  SmallVector<int64_t> shape(inputType.getShape().take_front(2));
  for (size_t i = 0; i < spatialRank; ++i) {
    FailureOr<int64_t> size = inferWindowOutputSize(
        loc, inputType.getDimSize(i + 2), kernelShape[i], strides[i],
        dilations[i], pads[i], pads[i + spatialRank], ceilMode);
    if (failed(size))
      return failure();
    shape.push_back(*size);
  }
  types.push_back(RankedTensorType::get(shape, inputType.getElementType()));
  return success();
}

/// Checks that `operand` broadcasts to `target` in one direction only (ONNX
/// "unidirectional broadcasting"), naming the operand `what` on failure.
LogicalResult verifyUnidirectionalBroadcast(std::optional<Location> loc,
                                            Value operand,
                                            ArrayRef<int64_t> target,
                                            StringRef what) {
  ArrayRef<int64_t> shape = tensorTypeOf(operand).getShape();
  if (shape.size() > target.size())
    return emitOptionalError(loc, "'", what, "' of shape ", formatShape(shape),
                             " does not broadcast to ", formatShape(target));
  size_t offset = target.size() - shape.size();
  for (auto [i, dim] : llvm::enumerate(shape)) {
    int64_t expected = target[offset + i];
    if (dim != 1 && !ShapedType::isDynamic(dim) &&
        !ShapedType::isDynamic(expected) && dim != expected)
      return emitOptionalError(loc, "'", what, "' of shape ",
                               formatShape(shape), " does not broadcast to ",
                               formatShape(target));
  }
  return success();
}

/// Checks that two element types agree, naming the operands on failure.
LogicalResult verifySameElementType(std::optional<Location> loc, Value lhs,
                                    Value rhs, StringRef lhsName,
                                    StringRef rhsName) {
  Type lhsType = tensorTypeOf(lhs).getElementType();
  Type rhsType = tensorTypeOf(rhs).getElementType();
  if (lhsType != rhsType)
    return emitOptionalError(loc, "'", lhsName, "' has element type ", lhsType,
                             " but '", rhsName, "' has ", rhsType);
  return success();
}
} // namespace

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  // The generated parser infers the result type before `value` moves from
  // the attribute dictionary into the op's properties: look in both.
  ElementsAttr value = adaptor.getValue();
  if (!value && adaptor.getAttributes())
    value = adaptor.getAttributes().getAs<ElementsAttr>("value");
  auto type =
      dyn_cast_or_null<RankedTensorType>(value ? value.getType() : Type());
  if (!type)
    return emitOptionalError(loc, "'value' must be a ranked tensor");
  types.push_back(type);
  return success();
}

//===----------------------------------------------------------------------===//
// Elementwise ops
//===----------------------------------------------------------------------===//

LogicalResult GeluOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  StringRef approximate = adaptor.getApproximate();
  if (approximate != "none" && approximate != "tanh")
    return emitOptionalError(loc,
                             "'approximate' must be \"none\" or "
                             "\"tanh\", got \"",
                             approximate, "\"");
  types.push_back(adaptor.getInput().getType());
  return success();
}

LogicalResult CastOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  Type to = adaptor.getTo();
  if (!isa<FloatType, IntegerType>(to))
    return emitOptionalError(loc,
                             "'to' must be an integer or float type, "
                             "got ",
                             to);
  types.push_back(tensorTypeOf(adaptor.getInput()).clone(to));
  return success();
}

LogicalResult WhereOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  if (failed(verifySameElementType(loc, adaptor.getLhs(), adaptor.getRhs(),
                                   "lhs", "rhs")))
    return failure();
  FailureOr<SmallVector<int64_t>> shape =
      broadcastShapes(loc, tensorTypeOf(adaptor.getCondition()).getShape(),
                      tensorTypeOf(adaptor.getLhs()).getShape());
  if (failed(shape))
    return failure();
  shape =
      broadcastShapes(loc, *shape, tensorTypeOf(adaptor.getRhs()).getShape());
  if (failed(shape))
    return failure();
  types.push_back(RankedTensorType::get(
      *shape, tensorTypeOf(adaptor.getLhs()).getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

LogicalResult MatMulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  RankedTensorType lhsType = tensorTypeOf(adaptor.getLhs());
  RankedTensorType rhsType = tensorTypeOf(adaptor.getRhs());
  if (failed(verifySameElementType(loc, adaptor.getLhs(), adaptor.getRhs(),
                                   "lhs", "rhs")))
    return failure();
  if (lhsType.getRank() == 0 || rhsType.getRank() == 0)
    return emitOptionalError(loc, "operands must have rank 1 or more");
  // Promote 1-D operands to matrices: [K] -> [1, K] on the left and
  // [K] -> [K, 1] on the right; the added dimension is dropped at the end.
  SmallVector<int64_t> lhs(lhsType.getShape()), rhs(rhsType.getShape());
  bool lhsVector = lhs.size() == 1, rhsVector = rhs.size() == 1;
  if (lhsVector)
    lhs.insert(lhs.begin(), 1);
  if (rhsVector)
    rhs.push_back(1);
  int64_t lhsK = lhs.back(), rhsK = rhs[rhs.size() - 2];
  if (!ShapedType::isDynamic(lhsK) && !ShapedType::isDynamic(rhsK) &&
      lhsK != rhsK)
    return emitOptionalError(loc, "contraction dimensions differ: ", lhsK,
                             " (lhs) against ", rhsK, " (rhs)");
  FailureOr<SmallVector<int64_t>> shape = broadcastShapes(
      loc, ArrayRef(lhs).drop_back(2), ArrayRef(rhs).drop_back(2));
  if (failed(shape))
    return failure();
  if (!lhsVector)
    shape->push_back(lhs[lhs.size() - 2]);
  if (!rhsVector)
    shape->push_back(rhs.back());
  types.push_back(RankedTensorType::get(*shape, lhsType.getElementType()));
  return success();
}

LogicalResult GemmOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  RankedTensorType aType = tensorTypeOf(adaptor.getA());
  RankedTensorType bType = tensorTypeOf(adaptor.getB());
  if (aType.getRank() != 2 || bType.getRank() != 2)
    return emitOptionalError(loc, "'a' and 'b' must be matrices, got ranks ",
                             aType.getRank(), " and ", bType.getRank());
  if (failed(
          verifySameElementType(loc, adaptor.getA(), adaptor.getB(), "a", "b")))
    return failure();
  bool transA = adaptor.getTransA(), transB = adaptor.getTransB();
  int64_t m = aType.getDimSize(transA ? 1 : 0);
  int64_t aK = aType.getDimSize(transA ? 0 : 1);
  int64_t bK = bType.getDimSize(transB ? 1 : 0);
  int64_t n = bType.getDimSize(transB ? 0 : 1);
  if (!ShapedType::isDynamic(aK) && !ShapedType::isDynamic(bK) && aK != bK)
    return emitOptionalError(loc, "contraction dimensions differ: ", aK,
                             " (a) against ", bK, " (b)");
  SmallVector<int64_t> shape = {m, n};
  if (Value c = adaptor.getC()) {
    if (failed(verifySameElementType(loc, adaptor.getA(), c, "a", "c")) ||
        failed(verifyUnidirectionalBroadcast(loc, c, shape, "c")))
      return failure();
  }
  types.push_back(RankedTensorType::get(shape, aType.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

LogicalResult SoftmaxOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  RankedTensorType type = tensorTypeOf(adaptor.getInput());
  if (failed(normalizeAxis(loc, adaptor.getAxis(), type.getRank())))
    return failure();
  types.push_back(type);
  return success();
}

LogicalResult LayerNormalizationOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  RankedTensorType type = tensorTypeOf(adaptor.getInput());
  FailureOr<int64_t> axis =
      normalizeAxis(loc, adaptor.getAxis(), type.getRank());
  if (failed(axis))
    return failure();
  ArrayRef<int64_t> normalized = type.getShape().drop_front(*axis);
  if (failed(verifySameElementType(loc, adaptor.getInput(), adaptor.getScale(),
                                   "input", "scale")) ||
      failed(verifyUnidirectionalBroadcast(loc, adaptor.getScale(), normalized,
                                           "scale")))
    return failure();
  if (Value bias = adaptor.getBias())
    if (failed(verifySameElementType(loc, adaptor.getInput(), bias, "input",
                                     "bias")) ||
        failed(verifyUnidirectionalBroadcast(loc, bias, normalized, "bias")))
      return failure();
  types.push_back(type);
  return success();
}

LogicalResult BatchNormalizationOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  RankedTensorType type = tensorTypeOf(adaptor.getInput());
  if (type.getRank() < 2)
    return emitOptionalError(loc, "input must have rank 2 or more, got ",
                             type.getRank());
  int64_t channels = type.getDimSize(1);
  std::pair<Value, StringRef> parameters[] = {
      {adaptor.getScale(), "scale"},
      {adaptor.getBias(), "bias"},
      {adaptor.getMean(), "mean"},
      {adaptor.getVariance(), "variance"}};
  for (auto [value, name] : parameters) {
    RankedTensorType paramType = tensorTypeOf(value);
    if (failed(verifySameElementType(loc, adaptor.getInput(), value, "input",
                                     name)))
      return failure();
    if (paramType.getRank() != 1 ||
        (!ShapedType::isDynamic(channels) &&
         !ShapedType::isDynamic(paramType.getDimSize(0)) &&
         paramType.getDimSize(0) != channels))
      return emitOptionalError(loc, "'", name, "' must be a vector of ",
                               formatDim(channels), " channels, got shape ",
                               formatShape(paramType.getShape()));
  }
  types.push_back(type);
  return success();
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

LogicalResult NegativeLogLikelihoodLossOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  StringRef reduction = adaptor.getReduction();
  if (reduction != "none" && reduction != "sum" && reduction != "mean")
    return emitOptionalError(
        loc, "'reduction' must be \"none\", \"sum\" or \"mean\", got \"",
        reduction, "\"");
  RankedTensorType inputType = tensorTypeOf(adaptor.getInput());
  RankedTensorType targetType = tensorTypeOf(adaptor.getTarget());
  if (inputType.getRank() < 2 ||
      targetType.getRank() != inputType.getRank() - 1)
    return emitOptionalError(
        loc, "expected input of shape N x C x d1 ... dk and target of shape "
             "N x d1 ... dk, got ",
        formatShape(inputType.getShape()), " and ",
        formatShape(targetType.getShape()));
  // The target shape is the input shape without the class dimension.
  SmallVector<int64_t> shape(inputType.getShape());
  shape.erase(shape.begin() + 1);
  for (auto [expected, actual] : llvm::zip(shape, targetType.getShape())) {
    if (!ShapedType::isDynamic(expected) && !ShapedType::isDynamic(actual) &&
        expected != actual)
      return emitOptionalError(loc, "target shape ",
                               formatShape(targetType.getShape()),
                               " does not match input shape ",
                               formatShape(inputType.getShape()));
    if (ShapedType::isDynamic(expected))
      expected = actual;
  }
  if (Value weight = adaptor.getWeight()) {
    RankedTensorType weightType = tensorTypeOf(weight);
    int64_t classes = inputType.getDimSize(1);
    if (failed(verifySameElementType(loc, adaptor.getInput(), weight, "input",
                                     "weight")))
      return failure();
    if (weightType.getRank() != 1 ||
        (!ShapedType::isDynamic(classes) &&
         !ShapedType::isDynamic(weightType.getDimSize(0)) &&
         weightType.getDimSize(0) != classes))
      return emitOptionalError(loc, "'weight' must be a vector of ",
                               formatDim(classes), " classes, got shape ",
                               formatShape(weightType.getShape()));
  }
  if (reduction != "none")
    shape.clear();
  types.push_back(RankedTensorType::get(shape, inputType.getElementType()));
  return success();
}

LogicalResult CumSumOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  RankedTensorType axisType = tensorTypeOf(adaptor.getAxis());
  if (axisType.getRank() > 1 ||
      (axisType.getRank() == 1 && axisType.getDimSize(0) != 1))
    return emitOptionalError(loc, "'axis' must be a scalar or have one "
                                  "element, got shape ",
                             formatShape(axisType.getShape()));
  RankedTensorType type = tensorTypeOf(adaptor.getInput());
  if (std::optional<SmallVector<int64_t>> axis =
          getConstantIntValues(adaptor.getAxis()))
    if (failed(normalizeAxis(loc, axis->front(), type.getRank())))
      return failure();
  types.push_back(type);
  return success();
}

//===----------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------===//

LogicalResult ConvOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  RankedTensorType inputType = tensorTypeOf(adaptor.getInput());
  RankedTensorType weightType = tensorTypeOf(adaptor.getWeight());
  if (inputType.getRank() < 3)
    return emitOptionalError(loc,
                             "input must have rank 3 or more (N x C x "
                             "spatial dims), got rank ",
                             inputType.getRank());
  if (weightType.getRank() != inputType.getRank())
    return emitOptionalError(loc, "weight has rank ", weightType.getRank(),
                             " but input has rank ", inputType.getRank());
  if (failed(verifySameElementType(loc, adaptor.getInput(), adaptor.getWeight(),
                                   "input", "weight")))
    return failure();
  size_t spatialRank = inputType.getRank() - 2;
  ArrayRef<int64_t> strides = adaptor.getStrides();
  ArrayRef<int64_t> pads = adaptor.getPads();
  ArrayRef<int64_t> dilations = adaptor.getDilations();
  if (failed(verifyWindowAttr(loc, "strides", strides, spatialRank, 1)) ||
      failed(verifyWindowAttr(loc, "pads", pads, 2 * spatialRank, 0)) ||
      failed(verifyWindowAttr(loc, "dilations", dilations, spatialRank, 1)))
    return failure();
  int64_t group = adaptor.getGroup();
  if (group < 1)
    return emitOptionalError(loc, "'group' must be positive, got ", group);
  int64_t channels = inputType.getDimSize(1);
  int64_t filters = weightType.getDimSize(0);
  int64_t filterChannels = weightType.getDimSize(1);
  if (!ShapedType::isDynamic(channels) &&
      !ShapedType::isDynamic(filterChannels) &&
      channels != filterChannels * group)
    return emitOptionalError(loc, "input has ", channels,
                             " channels but weight expects ",
                             filterChannels * group, " (", filterChannels,
                             " per group x ", group, " groups)");
  if (!ShapedType::isDynamic(filters) && filters % group != 0)
    return emitOptionalError(loc, "the ", filters,
                             " filters do not divide into ", group, " groups");
  if (Value bias = adaptor.getBias()) {
    RankedTensorType biasType = tensorTypeOf(bias);
    if (failed(verifySameElementType(loc, adaptor.getInput(), bias, "input",
                                     "bias")))
      return failure();
    if (biasType.getRank() != 1 ||
        (!ShapedType::isDynamic(filters) &&
         !ShapedType::isDynamic(biasType.getDimSize(0)) &&
         biasType.getDimSize(0) != filters))
      return emitOptionalError(loc, "'bias' must be a vector of ",
                               formatDim(filters), " elements, got shape ",
                               formatShape(biasType.getShape()));
  }
  SmallVector<int64_t> shape = {inputType.getDimSize(0), filters};
  for (size_t i = 0; i < spatialRank; ++i) {
    FailureOr<int64_t> size = inferWindowOutputSize(
        loc, inputType.getDimSize(i + 2), weightType.getDimSize(i + 2),
        strides[i], dilations[i], pads[i], pads[i + spatialRank],
        /*ceilMode=*/false);
    if (failed(size))
      return failure();
    shape.push_back(*size);
  }
  types.push_back(RankedTensorType::get(shape, inputType.getElementType()));
  return success();
}

LogicalResult MaxPoolOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  return inferPoolResult(loc, adaptor.getInput(), adaptor.getKernelShape(),
                         adaptor.getStrides(), adaptor.getPads(),
                         adaptor.getDilations(), adaptor.getCeilMode(), types);
}

LogicalResult MaxPoolWithIndicesOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  if (failed(inferPoolResult(loc, adaptor.getInput(), adaptor.getKernelShape(),
                             adaptor.getStrides(), adaptor.getPads(),
                             adaptor.getDilations(), adaptor.getCeilMode(),
                             types)))
    return failure();
  types.push_back(
      cast<RankedTensorType>(types[0]).clone(IntegerType::get(context, 64)));
  return success();
}

LogicalResult AveragePoolOp::inferReturnTypes(MLIRContext *,
                                              std::optional<Location> loc,
                                              Adaptor adaptor,
                                              SmallVectorImpl<Type> &types) {
  SmallVector<int64_t> unitDilations(adaptor.getKernelShape().size(), 1);
  return inferPoolResult(loc, adaptor.getInput(), adaptor.getKernelShape(),
                         adaptor.getStrides(), adaptor.getPads(), unitDilations,
                         adaptor.getCeilMode(), types);
}

/// The result type of a global pooling of `input` (N x C x spatial
/// dimensions): the spatial dimensions become 1.
static LogicalResult inferGlobalPoolResult(std::optional<Location> loc,
                                           Value input,
                                           SmallVectorImpl<Type> &types) {
  RankedTensorType type = tensorTypeOf(input);
  if (type.getRank() < 3)
    return emitOptionalError(loc,
                             "input must have rank 3 or more (N x C x "
                             "spatial dims), got rank ",
                             type.getRank());
  SmallVector<int64_t> shape(type.getShape());
  std::fill(shape.begin() + 2, shape.end(), 1);
  types.push_back(type.clone(shape));
  return success();
}

LogicalResult GlobalAveragePoolOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  return inferGlobalPoolResult(loc, adaptor.getInput(), types);
}

LogicalResult GlobalMaxPoolOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  return inferGlobalPoolResult(loc, adaptor.getInput(), types);
}

//===----------------------------------------------------------------------===//
// Shape and data movement
//===----------------------------------------------------------------------===//

LogicalResult ShapeOp::inferReturnTypes(MLIRContext *context,
                                        std::optional<Location>,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  auto [first, last] =
      getShapeOpRange(tensorTypeOf(adaptor.getInput()).getRank(),
                      adaptor.getStart(), adaptor.getEnd());
  types.push_back(
      RankedTensorType::get({last - first}, IntegerType::get(context, 64)));
  return success();
}

LogicalResult ReshapeOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  RankedTensorType inputType = tensorTypeOf(adaptor.getData());
  FailureOr<int64_t> rank = getStaticLength(loc, adaptor.getShape(), "shape");
  if (failed(rank))
    return failure();
  // What is known of each requested entry: constants, and dimensions of
  // tensors (a shape computed from Shape ops).
  SmallVector<ShapeEntry> requested(*rank, ShapeEntry::unknown());
  if (std::optional<SmallVector<ShapeEntry>> entries =
          getShapeVectorEntries(adaptor.getShape()))
    requested = std::move(*entries);
  else if (std::optional<SmallVector<int64_t>> values =
               getConstantIntValues(adaptor.getShape()))
    requested = llvm::map_to_vector(*values, ShapeEntry::constant);
  bool allowZero = adaptor.getAllowzero();
  SmallVector<int64_t> shape;
  std::optional<size_t> inferredIndex;
  bool hasZero = false;
  // Input dimensions that an entry of the requested shape repeats (by
  // tracing to a Shape of the input); they cancel out when the -1 entry is
  // computed.
  llvm::SmallBitVector repeatedInputDims(inputType.getRank());
  SmallVector<bool> repeatsInputDim(*rank, false);
  for (auto [i, entry] : llvm::enumerate(requested)) {
    std::optional<int64_t> dim = entry.getConstant();
    if (!dim) {
      if (entry.isDimOf() && entry.getSource() == adaptor.getData() &&
          !repeatedInputDims.test(entry.getDim())) {
        repeatedInputDims.set(entry.getDim());
        repeatsInputDim[i] = true;
      }
      shape.push_back(kDynamic);
    } else if (*dim == -1) {
      if (inferredIndex)
        return emitOptionalError(loc, "'shape' has more than one -1 entry");
      inferredIndex = i;
      shape.push_back(kDynamic);
    } else if (*dim == 0 && !allowZero) {
      if (static_cast<int64_t>(i) >= inputType.getRank())
        return emitOptionalError(loc, "'shape' entry ", i,
                                 " is 0 (copy the input dimension) but the "
                                 "input has rank ",
                                 inputType.getRank());
      shape.push_back(inputType.getDimSize(i));
    } else if (*dim < 0) {
      return emitOptionalError(loc, "'shape' entry ", i, " is ", *dim,
                               "; entries must be -1 or non-negative");
    } else {
      hasZero |= *dim == 0;
      shape.push_back(*dim);
    }
  }
  if (allowZero && inferredIndex && hasZero)
    return emitOptionalError(loc, "'shape' may not hold both 0 and -1 when "
                                  "'allowzero' is set");
  // Element counts without the dimensions that appear on both sides.
  SmallVector<int64_t> inputDims;
  for (auto [d, size] : llvm::enumerate(inputType.getShape()))
    if (!repeatedInputDims.test(d))
      inputDims.push_back(size);
  int64_t inputElements = productOrDynamic(inputDims);
  SmallVector<int64_t> known;
  for (auto [i, size] : llvm::enumerate(shape))
    if (!repeatsInputDim[i] && (!inferredIndex || i != *inferredIndex))
      known.push_back(size);
  int64_t knownElements = productOrDynamic(known);
  if (!ShapedType::isDynamic(inputElements) &&
      !ShapedType::isDynamic(knownElements)) {
    // With a -1 entry, the message shows the shape as requested.
    SmallVector<int64_t> requestedSizes = llvm::map_to_vector(
        requested, [](const ShapeEntry &entry) { return entry.getSize(); });
    StringRef shared = repeatedInputDims.any()
                           ? " (besides the dimensions both shapes share)"
                           : "";
    if (inferredIndex) {
      if (knownElements == 0 || inputElements % knownElements != 0)
        return emitOptionalError(loc, "cannot reshape ", inputElements,
                                 " elements", shared, " to ",
                                 formatShape(requestedSizes));
      shape[*inferredIndex] = inputElements / knownElements;
    } else if (inputElements != knownElements) {
      return emitOptionalError(loc, "cannot reshape ", inputElements,
                               " elements", shared, " to ",
                               formatShape(shape));
    }
  }
  types.push_back(inputType.clone(shape));
  return success();
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  RankedTensorType type = tensorTypeOf(adaptor.getInput());
  ArrayRef<int64_t> perm = adaptor.getPerm();
  if (static_cast<int64_t>(perm.size()) != type.getRank())
    return emitOptionalError(loc, "'perm' has ", perm.size(),
                             " entries for a tensor of rank ", type.getRank());
  llvm::SmallBitVector seen(perm.size());
  SmallVector<int64_t> shape;
  for (int64_t index : perm) {
    if (index < 0 || index >= type.getRank() || seen.test(index))
      return emitOptionalError(loc, "'perm' is not a permutation of [0, ",
                               type.getRank(), ")");
    seen.set(index);
    shape.push_back(type.getDimSize(index));
  }
  types.push_back(type.clone(shape));
  return success();
}

LogicalResult FlattenOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  RankedTensorType type = tensorTypeOf(adaptor.getInput());
  int64_t rank = type.getRank(), axis = adaptor.getAxis();
  // Flatten accepts axis == rank (everything in the outer dimension).
  if (axis < -rank || axis > rank)
    return emitOptionalError(loc, "'axis' value is ", axis,
                             ", accepted range is [", -rank, ", ", rank, "]");
  if (axis < 0)
    axis += rank;
  types.push_back(
      type.clone({productOrDynamic(type.getShape().take_front(axis)),
                  productOrDynamic(type.getShape().drop_front(axis))}));
  return success();
}

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  ValueRange inputs = adaptor.getInputs();
  if (inputs.empty())
    return emitOptionalError(loc, "needs at least one input");
  RankedTensorType firstType = tensorTypeOf(inputs.front());
  FailureOr<int64_t> axis =
      normalizeAxis(loc, adaptor.getAxis(), firstType.getRank());
  if (failed(axis))
    return failure();
  SmallVector<int64_t> shape(firstType.getShape());
  // The input that fixed each dimension of `shape`, for diagnostics.
  SmallVector<size_t> source(shape.size(), 0);
  for (auto [index, input] : llvm::enumerate(inputs.drop_front())) {
    RankedTensorType type = tensorTypeOf(input);
    if (type.getElementType() != firstType.getElementType() ||
        type.getRank() != firstType.getRank())
      return emitOptionalError(loc, "input ", index + 1, " has type ", type,
                               ", incompatible with input 0 of type ",
                               firstType);
    for (int64_t d = 0; d < type.getRank(); ++d) {
      int64_t dim = type.getDimSize(d);
      if (d == *axis) {
        shape[d] = ShapedType::isDynamic(shape[d]) || ShapedType::isDynamic(dim)
                       ? kDynamic
                       : shape[d] + dim;
      } else if (ShapedType::isDynamic(shape[d])) {
        shape[d] = dim;
        source[d] = index + 1;
      } else if (!ShapedType::isDynamic(dim) && dim != shape[d]) {
        return emitOptionalError(loc, "input ", index + 1, " has size ", dim,
                                 " in dimension ", d, " but input ", source[d],
                                 " has ", shape[d]);
      }
    }
  }
  types.push_back(firstType.clone(shape));
  return success();
}

LogicalResult SplitOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  RankedTensorType type = tensorTypeOf(adaptor.getInput());
  FailureOr<int64_t> axis =
      normalizeAxis(loc, adaptor.getAxis(), type.getRank());
  if (failed(axis))
    return failure();
  int64_t numOutputs = adaptor.getNumOutputs();
  int64_t dim = type.getDimSize(*axis);
  SmallVector<int64_t> sizes(numOutputs, kDynamic);
  if (Value split = adaptor.getSplit()) {
    RankedTensorType splitType = tensorTypeOf(split);
    if (splitType.getRank() != 1)
      return emitOptionalError(loc, "'split' must be a 1-D tensor, got rank ",
                               splitType.getRank());
    int64_t length = splitType.getDimSize(0);
    if (!ShapedType::isDynamic(length) && length != numOutputs)
      return emitOptionalError(loc, "'split' has ", length,
                               " entries but the op has ", numOutputs,
                               " results");
    if (std::optional<SmallVector<int64_t>> values =
            getConstantIntValues(split)) {
      int64_t total = 0;
      for (int64_t size : *values) {
        if (size < 0)
          return emitOptionalError(loc,
                                   "'split' entries must be "
                                   "non-negative, got ",
                                   size);
        total += size;
      }
      if (!ShapedType::isDynamic(dim) && total != dim)
        return emitOptionalError(loc, "'split' sizes add up to ", total,
                                 " but dimension ", *axis, " has size ", dim);
      sizes.assign(values->begin(), values->end());
    }
  } else if (!ShapedType::isDynamic(dim)) {
    int64_t chunk = (dim + numOutputs - 1) / numOutputs;
    if (chunk * (numOutputs - 1) >= dim && numOutputs > 1)
      return emitOptionalError(loc, "cannot split dimension ", *axis,
                               " of size ", dim, " into ", numOutputs,
                               " non-empty pieces");
    for (int64_t i = 0; i < numOutputs; ++i)
      sizes[i] = std::min(chunk, dim - i * chunk);
  }
  for (int64_t size : sizes) {
    SmallVector<int64_t> shape(type.getShape());
    shape[*axis] = size;
    types.push_back(type.clone(shape));
  }
  return success();
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  RankedTensorType type = tensorTypeOf(adaptor.getData());
  int64_t rank = type.getRank();
  FailureOr<int64_t> length =
      getStaticLength(loc, adaptor.getStarts(), "starts");
  if (failed(length))
    return failure();
  std::pair<Value, StringRef> vectors[] = {{adaptor.getEnds(), "ends"},
                                           {adaptor.getAxes(), "axes"},
                                           {adaptor.getSteps(), "steps"}};
  for (auto [vector, name] : vectors) {
    if (!vector)
      continue;
    RankedTensorType vectorType = tensorTypeOf(vector);
    if (vectorType.getRank() != 1)
      return emitOptionalError(loc, "'", name,
                               "' must be a 1-D tensor, got rank ",
                               vectorType.getRank());
    int64_t size = vectorType.getDimSize(0);
    if (!ShapedType::isDynamic(size) && size != *length)
      return emitOptionalError(loc, "'", name, "' has ", size,
                               " entries but 'starts' has ", *length);
  }
  // Which axes are sliced; without constant axes any of them may be.
  SmallVector<int64_t> axes;
  if (!adaptor.getAxes()) {
    if (*length > rank)
      return emitOptionalError(loc, "'starts' has ", *length,
                               " entries for a tensor of rank ", rank);
    axes = llvm::to_vector(llvm::seq<int64_t>(0, *length));
  } else if (std::optional<SmallVector<int64_t>> values =
                 getConstantIntValues(adaptor.getAxes())) {
    llvm::SmallBitVector seen(rank);
    for (int64_t axis : *values) {
      FailureOr<int64_t> normalized = normalizeAxis(loc, axis, rank, "axes");
      if (failed(normalized))
        return failure();
      if (seen.test(*normalized))
        return emitOptionalError(loc, "'axes' lists axis ", axis, " twice");
      seen.set(*normalized);
      axes.push_back(*normalized);
    }
  } else {
    types.push_back(type.clone(SmallVector<int64_t>(rank, kDynamic)));
    return success();
  }
  std::optional<SmallVector<int64_t>> starts =
      getConstantIntValues(adaptor.getStarts());
  std::optional<SmallVector<int64_t>> ends =
      getConstantIntValues(adaptor.getEnds());
  std::optional<SmallVector<int64_t>> steps =
      adaptor.getSteps() ? getConstantIntValues(adaptor.getSteps())
                         : SmallVector<int64_t>(*length, 1);
  SmallVector<int64_t> shape(type.getShape());
  for (auto [i, axis] : llvm::enumerate(axes)) {
    int64_t dim = shape[axis];
    if (steps && (*steps)[i] == 0)
      return emitOptionalError(loc, "'steps' entries must be non-zero");
    if (!starts || !ends || !steps || ShapedType::isDynamic(dim)) {
      shape[axis] = kDynamic;
      continue;
    }
    shape[axis] =
        getStaticSliceBounds(dim, (*starts)[i], (*ends)[i], (*steps)[i]).count;
  }
  types.push_back(type.clone(shape));
  return success();
}

LogicalResult GatherOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  RankedTensorType dataType = tensorTypeOf(adaptor.getData());
  if (dataType.getRank() == 0)
    return emitOptionalError(loc, "'data' must have rank 1 or more");
  FailureOr<int64_t> axis =
      normalizeAxis(loc, adaptor.getAxis(), dataType.getRank());
  if (failed(axis))
    return failure();
  ArrayRef<int64_t> dataShape = dataType.getShape();
  SmallVector<int64_t> shape(dataShape.take_front(*axis));
  llvm::append_range(shape, tensorTypeOf(adaptor.getIndices()).getShape());
  llvm::append_range(shape, dataShape.drop_front(*axis + 1));
  types.push_back(dataType.clone(shape));
  return success();
}

LogicalResult SqueezeOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  RankedTensorType type = tensorTypeOf(adaptor.getData());
  int64_t rank = type.getRank();
  llvm::SmallBitVector removed(rank);
  if (!adaptor.getAxes()) {
    for (int64_t i = 0; i < rank; ++i) {
      if (ShapedType::isDynamic(type.getDimSize(i)))
        return emitOptionalError(loc,
                                 "squeezing without 'axes' needs a "
                                 "static shape, got ",
                                 formatShape(type.getShape()));
      removed[i] = type.getDimSize(i) == 1;
    }
  } else if (std::optional<SmallVector<int64_t>> values =
                 getConstantIntValues(adaptor.getAxes())) {
    for (int64_t axis : *values) {
      FailureOr<int64_t> normalized = normalizeAxis(loc, axis, rank, "axes");
      if (failed(normalized))
        return failure();
      int64_t dim = type.getDimSize(*normalized);
      if (!ShapedType::isDynamic(dim) && dim != 1)
        return emitOptionalError(loc, "cannot squeeze dimension ", axis,
                                 " of size ", dim);
      // A repeated axis would also disagree with the rank inferred for
      // non-constant axes (rank - length).
      if (removed.test(*normalized))
        return emitOptionalError(loc, "'axes' lists axis ", axis, " twice");
      removed.set(*normalized);
    }
  } else {
    FailureOr<int64_t> length = getStaticLength(loc, adaptor.getAxes(), "axes");
    if (failed(length))
      return failure();
    if (*length > rank)
      return emitOptionalError(loc, "'axes' has ", *length,
                               " entries for a tensor of rank ", rank);
    types.push_back(type.clone(SmallVector<int64_t>(rank - *length, kDynamic)));
    return success();
  }
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < rank; ++i)
    if (!removed[i])
      shape.push_back(type.getDimSize(i));
  types.push_back(type.clone(shape));
  return success();
}

LogicalResult UnsqueezeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  RankedTensorType type = tensorTypeOf(adaptor.getData());
  FailureOr<int64_t> length = getStaticLength(loc, adaptor.getAxes(), "axes");
  if (failed(length))
    return failure();
  int64_t rank = type.getRank() + *length;
  std::optional<SmallVector<int64_t>> values =
      getConstantIntValues(adaptor.getAxes());
  if (!values) {
    types.push_back(type.clone(SmallVector<int64_t>(rank, kDynamic)));
    return success();
  }
  llvm::SmallBitVector inserted(rank);
  for (int64_t axis : *values) {
    FailureOr<int64_t> normalized = normalizeAxis(loc, axis, rank, "axes");
    if (failed(normalized))
      return failure();
    if (inserted.test(*normalized))
      return emitOptionalError(loc, "'axes' lists axis ", axis, " twice");
    inserted.set(*normalized);
  }
  SmallVector<int64_t> shape;
  ArrayRef<int64_t> inputShape = type.getShape();
  for (int64_t i = 0; i < rank; ++i) {
    if (inserted[i]) {
      shape.push_back(1);
    } else {
      shape.push_back(inputShape.front());
      inputShape = inputShape.drop_front();
    }
  }
  types.push_back(type.clone(shape));
  return success();
}

LogicalResult ExpandOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  RankedTensorType type = tensorTypeOf(adaptor.getInput());
  FailureOr<int64_t> length = getStaticLength(loc, adaptor.getShape(), "shape");
  if (failed(length))
    return failure();
  // Unknown entries are dynamic; they broadcast like any other size.
  SmallVector<int64_t> requested =
      getShapeVectorSizes(adaptor.getShape())
          .value_or(SmallVector<int64_t>(*length, kDynamic));
  for (int64_t dim : requested)
    if (dim < 0 && !ShapedType::isDynamic(dim))
      return emitOptionalError(loc,
                               "'shape' entries must be non-negative, "
                               "got ",
                               dim);
  FailureOr<SmallVector<int64_t>> shape =
      broadcastShapes(loc, type.getShape(), requested);
  if (failed(shape))
    return failure();
  types.push_back(type.clone(*shape));
  return success();
}

LogicalResult SizeOp::inferReturnTypes(MLIRContext *context,
                                       std::optional<Location>, Adaptor,
                                       SmallVectorImpl<Type> &types) {
  types.push_back(RankedTensorType::get({}, IntegerType::get(context, 64)));
  return success();
}

LogicalResult TriluOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  RankedTensorType type = tensorTypeOf(adaptor.getInput());
  if (type.getRank() < 2)
    return emitOptionalError(loc, "'input' must have rank 2 or more, got ",
                             type);
  types.push_back(type);
  return success();
}

LogicalResult GatherElementsOp::inferReturnTypes(MLIRContext *,
                                                 std::optional<Location> loc,
                                                 Adaptor adaptor,
                                                 SmallVectorImpl<Type> &types) {
  RankedTensorType dataType = tensorTypeOf(adaptor.getData());
  RankedTensorType indicesType = tensorTypeOf(adaptor.getIndices());
  if (dataType.getRank() == 0)
    return emitOptionalError(loc, "'data' must have rank 1 or more");
  if (indicesType.getRank() != dataType.getRank())
    return emitOptionalError(loc, "'indices' must have the rank of 'data' (",
                             dataType.getRank(), "), got ",
                             indicesType.getRank());
  if (failed(normalizeAxis(loc, adaptor.getAxis(), dataType.getRank())))
    return failure();
  types.push_back(dataType.clone(indicesType.getShape()));
  return success();
}

LogicalResult TileOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  RankedTensorType type = tensorTypeOf(adaptor.getInput());
  int64_t rank = type.getRank();
  FailureOr<int64_t> length =
      getStaticLength(loc, adaptor.getRepeats(), "repeats");
  if (failed(length))
    return failure();
  if (*length != rank)
    return emitOptionalError(loc, "'repeats' has ", *length,
                             " entries for a tensor of rank ", rank);
  SmallVector<int64_t> shape(rank, kDynamic);
  if (std::optional<SmallVector<int64_t>> repeats =
          getShapeVectorSizes(adaptor.getRepeats())) {
    for (auto [i, repeat] : llvm::enumerate(*repeats)) {
      if (ShapedType::isDynamic(repeat))
        continue;
      if (repeat < 0)
        return emitOptionalError(loc, "'repeats' entries must be "
                                      "non-negative, got ",
                                 repeat);
      int64_t dim = type.getDimSize(i);
      shape[i] = repeat == 0 ? 0
                 : ShapedType::isDynamic(dim) ? kDynamic
                                              : dim * repeat;
    }
  }
  types.push_back(type.clone(shape));
  return success();
}

LogicalResult PadOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  RankedTensorType type = tensorTypeOf(adaptor.getData());
  int64_t rank = type.getRank();
  StringRef mode = adaptor.getMode();
  if (mode != "constant" && mode != "reflect" && mode != "edge")
    return emitOptionalError(loc, "unsupported 'mode' \"", mode, "\"");
  if (Value value = adaptor.getConstantValue()) {
    RankedTensorType valueType = tensorTypeOf(value);
    if (valueType.getElementType() != type.getElementType() ||
        productOrDynamic(valueType.getShape()) != 1)
      return emitOptionalError(loc, "'constant_value' must be one element of "
                                    "the element type of 'data', got ",
                               valueType);
  }
  // The padded axes, in the order `pads` lists them.
  SmallVector<int64_t> axes;
  std::optional<SmallVector<int64_t>> axisValues;
  if (adaptor.getAxes()) {
    axisValues = getConstantIntValues(adaptor.getAxes());
    if (!axisValues) {
      FailureOr<int64_t> numAxes = getStaticLength(loc, adaptor.getAxes(),
                                                   "axes");
      if (failed(numAxes))
        return failure();
      types.push_back(type.clone(SmallVector<int64_t>(rank, kDynamic)));
      return success();
    }
    for (int64_t axis : *axisValues) {
      FailureOr<int64_t> normalized = normalizeAxis(loc, axis, rank, "axes");
      if (failed(normalized))
        return failure();
      axes.push_back(*normalized);
    }
  } else {
    axes = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  }
  int64_t numAxes = axes.size();
  FailureOr<int64_t> length = getStaticLength(loc, adaptor.getPads(), "pads");
  if (failed(length))
    return failure();
  if (*length != 2 * numAxes)
    return emitOptionalError(loc, "'pads' has ", *length, " entries for ",
                             numAxes, " padded axes");
  SmallVector<int64_t> shape(type.getShape());
  std::optional<SmallVector<int64_t>> pads =
      getConstantIntValues(adaptor.getPads());
  for (auto [i, axis] : llvm::enumerate(axes)) {
    if (!pads || ShapedType::isDynamic(shape[axis])) {
      shape[axis] = kDynamic;
      continue;
    }
    shape[axis] += (*pads)[i] + (*pads)[i + numAxes];
    if (shape[axis] < 0)
      return emitOptionalError(loc, "padding axis ", axis,
                               " gives a negative size");
  }
  types.push_back(type.clone(shape));
  return success();
}

/// Checks that `type` is a rank-4 tensor whose dimension `dim` (`kDynamic`:
/// none) is divisible by `divisor`, for DepthToSpace and SpaceToDepth.
static LogicalResult checkBlockInput(std::optional<Location> loc,
                                     RankedTensorType type,
                                     ArrayRef<int64_t> dims, int64_t divisor) {
  if (type.getRank() != 4)
    return emitOptionalError(loc, "'input' must have rank 4, got ", type);
  for (int64_t dim : dims) {
    int64_t size = type.getDimSize(dim);
    if (!ShapedType::isDynamic(size) && size % divisor != 0)
      return emitOptionalError(loc, "dimension ", dim, " of 'input' (", size,
                               ") is not divisible by ", divisor);
  }
  return success();
}

/// Returns `size * factor`, dynamic when `size` is.
static int64_t scaleDim(int64_t size, int64_t factor) {
  return ShapedType::isDynamic(size) ? kDynamic : size * factor;
}

/// Returns `size / divisor`, dynamic when `size` is.
static int64_t divideDim(int64_t size, int64_t divisor) {
  return ShapedType::isDynamic(size) ? kDynamic : size / divisor;
}

LogicalResult DepthToSpaceOp::inferReturnTypes(MLIRContext *,
                                               std::optional<Location> loc,
                                               Adaptor adaptor,
                                               SmallVectorImpl<Type> &types) {
  RankedTensorType type = tensorTypeOf(adaptor.getInput());
  int64_t block = adaptor.getBlocksize();
  StringRef mode = adaptor.getMode();
  if (mode != "DCR" && mode != "CRD")
    return emitOptionalError(loc, "'mode' must be DCR or CRD, got \"", mode,
                             "\"");
  if (failed(checkBlockInput(loc, type, {1}, block * block)))
    return failure();
  ArrayRef<int64_t> shape = type.getShape();
  types.push_back(type.clone({shape[0], divideDim(shape[1], block * block),
                              scaleDim(shape[2], block),
                              scaleDim(shape[3], block)}));
  return success();
}

LogicalResult SpaceToDepthOp::inferReturnTypes(MLIRContext *,
                                               std::optional<Location> loc,
                                               Adaptor adaptor,
                                               SmallVectorImpl<Type> &types) {
  RankedTensorType type = tensorTypeOf(adaptor.getInput());
  int64_t block = adaptor.getBlocksize();
  if (failed(checkBlockInput(loc, type, {2, 3}, block)))
    return failure();
  ArrayRef<int64_t> shape = type.getShape();
  types.push_back(type.clone({shape[0], scaleDim(shape[1], block * block),
                              divideDim(shape[2], block),
                              divideDim(shape[3], block)}));
  return success();
}

LogicalResult RangeOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  Type elementType = tensorTypeOf(adaptor.getStart()).getElementType();
  if (tensorTypeOf(adaptor.getLimit()).getElementType() != elementType ||
      tensorTypeOf(adaptor.getDelta()).getElementType() != elementType)
    return emitOptionalError(loc, "'start', 'limit' and 'delta' must have "
                                  "one element type");
  int64_t length = kDynamic;
  std::optional<double> start = getConstantScalar(adaptor.getStart());
  std::optional<double> limit = getConstantScalar(adaptor.getLimit());
  std::optional<double> delta = getConstantScalar(adaptor.getDelta());
  if (delta == 0.0)
    return emitOptionalError(loc, "'delta' must not be 0");
  if (start && limit && delta) {
    // ONNX: max(ceil((limit - start) / delta), 0) elements.
    double count = std::max(std::ceil((*limit - *start) / *delta), 0.0);
    std::optional<int64_t> size = getDimensionSizeFromFloat(count);
    if (!size)
      return emitOptionalError(loc, "range from ", *start, " to ", *limit,
                               " by ", *delta,
                               " has no representable number of elements");
    length = *size;
  }
  types.push_back(RankedTensorType::get({length}, elementType));
  return success();
}

#define GET_OP_CLASSES
#include "dialects/Graph/GraphOps.cpp.inc"
