//===- GraphQuantOps.cpp - Quantization graph ops -------------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Type inference and cost of QuantizeLinear, DequantizeLinear,
// MatMulInteger and ConvInteger (GraphQuantOps.td).
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/GraphOps.h"
#include "dialects/Graph/GraphTypeInference.h"

using namespace mlir;
using namespace exaforge;
using namespace exaforge::graph;

namespace {
/// Whether `value` holds one element (rank 0, or a 1-D tensor of size 1).
bool isScalarLike(Value value) {
  RankedTensorType type = tensorTypeOf(value);
  return type.getRank() == 0 ||
         (type.getRank() == 1 && type.getDimSize(0) == 1);
}

/// Checks the scale and zero point of a QuantizeLinear or DequantizeLinear
/// of `x`: both scalars (per tensor), or 1-D tensors of the size of
/// dimension `axis` of `x` (per axis), with the same shape.
LogicalResult verifyQuantParams(std::optional<Location> loc, Value x,
                                Value scale, Value zeroPoint, int64_t axis) {
  RankedTensorType scaleType = tensorTypeOf(scale);
  if (zeroPoint && !(isScalarLike(zeroPoint) && isScalarLike(scale)) &&
      tensorTypeOf(zeroPoint).getShape() != scaleType.getShape())
    return emitOptionalError(loc, "'zero_point' has shape ",
                             formatShape(tensorTypeOf(zeroPoint).getShape()),
                             " but 'scale' has shape ",
                             formatShape(scaleType.getShape()));
  if (isScalarLike(scale))
    return success();
  if (scaleType.getRank() != 1)
    return emitOptionalError(loc, "'scale' must be a scalar or a 1-D tensor, "
                                  "got shape ",
                             formatShape(scaleType.getShape()));
  RankedTensorType xType = tensorTypeOf(x);
  FailureOr<int64_t> dim = normalizeAxis(loc, axis, xType.getRank());
  if (failed(dim))
    return failure();
  int64_t size = xType.getDimSize(*dim), length = scaleType.getDimSize(0);
  if (!ShapedType::isDynamic(size) && !ShapedType::isDynamic(length) &&
      size != length)
    return emitOptionalError(loc, "'scale' has ", length,
                             " elements but dimension ", *dim,
                             " of the input has ", size);
  return success();
}

/// Checks that a zero point `zeroPoint` of an integer product holds one
/// element or a vector of `size` elements; `what` names it.
LogicalResult verifyProductZeroPoint(std::optional<Location> loc,
                                     Value zeroPoint, int64_t size,
                                     StringRef what) {
  if (!zeroPoint || isScalarLike(zeroPoint))
    return success();
  RankedTensorType type = tensorTypeOf(zeroPoint);
  if (type.getRank() == 1 &&
      (ShapedType::isDynamic(size) || type.isDynamicDim(0) ||
       type.getDimSize(0) == size))
    return success();
  return emitOptionalError(loc, "'", what, "' must be a scalar or a vector of ",
                           ShapedType::isDynamic(size) ? std::string("?")
                                                       : std::to_string(size),
                           " elements, got shape ",
                           formatShape(type.getShape()));
}
} // namespace

//===----------------------------------------------------------------------===//
// QuantizeLinear and DequantizeLinear
//===----------------------------------------------------------------------===//

LogicalResult QuantizeLinearOp::inferReturnTypes(MLIRContext *context,
                                                 std::optional<Location> loc,
                                                 Adaptor adaptor,
                                                 SmallVectorImpl<Type> &types) {
  if (failed(verifyQuantParams(loc, adaptor.getX(), adaptor.getScale(),
                               adaptor.getZeroPoint(), adaptor.getAxis())))
    return failure();
  Type elementType =
      adaptor.getZeroPoint()
          ? tensorTypeOf(adaptor.getZeroPoint()).getElementType()
          : IntegerType::get(context, 8, IntegerType::Unsigned);
  types.push_back(tensorTypeOf(adaptor.getX()).clone(elementType));
  return success();
}

LogicalResult DequantizeLinearOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  if (Value zeroPoint = adaptor.getZeroPoint())
    if (tensorTypeOf(zeroPoint).getElementType() !=
        tensorTypeOf(adaptor.getX()).getElementType())
      return emitOptionalError(loc, "'zero_point' must have the element type "
                                    "of the input");
  if (failed(verifyQuantParams(loc, adaptor.getX(), adaptor.getScale(),
                               adaptor.getZeroPoint(), adaptor.getAxis())))
    return failure();
  types.push_back(tensorTypeOf(adaptor.getX()).clone(
      tensorTypeOf(adaptor.getScale()).getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// MatMulInteger
//===----------------------------------------------------------------------===//

LogicalResult MatMulIntegerOp::inferReturnTypes(MLIRContext *context,
                                                std::optional<Location> loc,
                                                Adaptor adaptor,
                                                SmallVectorImpl<Type> &types) {
  RankedTensorType aType = tensorTypeOf(adaptor.getA());
  RankedTensorType bType = tensorTypeOf(adaptor.getB());
  if (aType.getRank() == 0 || bType.getRank() == 0)
    return emitOptionalError(loc, "operands must have rank 1 or more");
  // 1-D operands are promoted to matrices as in MatMul.
  SmallVector<int64_t> a(aType.getShape()), b(bType.getShape());
  bool aVector = a.size() == 1, bVector = b.size() == 1;
  if (aVector)
    a.insert(a.begin(), 1);
  if (bVector)
    b.push_back(1);
  int64_t aK = a.back(), bK = b[b.size() - 2];
  if (!ShapedType::isDynamic(aK) && !ShapedType::isDynamic(bK) && aK != bK)
    return emitOptionalError(loc, "contraction dimensions differ: ", aK,
                             " (a) against ", bK, " (b)");
  int64_t rows = a[a.size() - 2], columns = b.back();
  if (failed(verifyProductZeroPoint(loc, adaptor.getAZeroPoint(), rows,
                                    "a_zero_point")) ||
      failed(verifyProductZeroPoint(loc, adaptor.getBZeroPoint(), columns,
                                    "b_zero_point")))
    return failure();
  for (auto [zeroPoint, operand] :
       {std::pair(adaptor.getAZeroPoint(), adaptor.getA()),
        std::pair(adaptor.getBZeroPoint(), adaptor.getB())})
    if (zeroPoint && tensorTypeOf(zeroPoint).getElementType() !=
                         tensorTypeOf(operand).getElementType())
      return emitOptionalError(loc, "a zero point must have the element type "
                                    "of its operand");
  FailureOr<SmallVector<int64_t>> shape =
      broadcastShapes(loc, ArrayRef(a).drop_back(2), ArrayRef(b).drop_back(2));
  if (failed(shape))
    return failure();
  if (!aVector)
    shape->push_back(rows);
  if (!bVector)
    shape->push_back(columns);
  types.push_back(RankedTensorType::get(*shape, IntegerType::get(context, 32)));
  return success();
}

OpCost MatMulIntegerOp::estimateCost(int64_t dynamicDimSize) {
  double contraction = estimateDimSize(getA(), -1, dynamicDimSize);
  return estimateCostPerResultElement(*this, dynamicDimSize, 2 * contraction);
}

//===----------------------------------------------------------------------===//
// ConvInteger
//===----------------------------------------------------------------------===//

LogicalResult ConvIntegerOp::inferReturnTypes(MLIRContext *context,
                                              std::optional<Location> loc,
                                              Adaptor adaptor,
                                              SmallVectorImpl<Type> &types) {
  RankedTensorType xType = tensorTypeOf(adaptor.getX());
  RankedTensorType wType = tensorTypeOf(adaptor.getW());
  int64_t rank = xType.getRank();
  if (rank < 3 || wType.getRank() != rank)
    return emitOptionalError(loc, "'x' and 'w' must have the same rank, 3 or "
                                  "more, got ",
                             rank, " and ", wType.getRank());
  size_t spatialRank = rank - 2;
  ArrayRef<int64_t> strides = adaptor.getStrides(), pads = adaptor.getPads();
  ArrayRef<int64_t> dilations = adaptor.getDilations();
  if (strides.size() != spatialRank || dilations.size() != spatialRank ||
      pads.size() != 2 * spatialRank)
    return emitOptionalError(loc, "'strides' and 'dilations' need ",
                             spatialRank, " entries and 'pads' ",
                             2 * spatialRank);
  if (llvm::any_of(strides, [](int64_t s) { return s < 1; }) ||
      llvm::any_of(dilations, [](int64_t d) { return d < 1; }) ||
      llvm::any_of(pads, [](int64_t p) { return p < 0; }))
    return emitOptionalError(loc, "strides and dilations must be positive and "
                                  "pads not negative");
  int64_t group = adaptor.getGroup();
  int64_t filters = wType.getDimSize(0);
  if (group < 1 ||
      (!ShapedType::isDynamic(filters) && filters % group != 0) ||
      (!xType.isDynamicDim(1) && !wType.isDynamicDim(1) &&
       xType.getDimSize(1) != wType.getDimSize(1) * group))
    return emitOptionalError(loc, "'x' has ", xType.getDimSize(1),
                             " channels, which 'w' and group ", group,
                             " do not split");
  if (Value zeroPoint = adaptor.getXZeroPoint();
      zeroPoint && !isScalarLike(zeroPoint))
    return emitOptionalError(loc, "'x_zero_point' must be a scalar");
  if (failed(verifyProductZeroPoint(loc, adaptor.getWZeroPoint(), filters,
                                    "w_zero_point")))
    return failure();
  SmallVector<int64_t> shape = {xType.getDimSize(0), filters};
  for (size_t i = 0; i < spatialRank; ++i) {
    int64_t input = xType.getDimSize(i + 2), kernel = wType.getDimSize(i + 2);
    if (ShapedType::isDynamic(input) || ShapedType::isDynamic(kernel)) {
      shape.push_back(ShapedType::kDynamic);
      continue;
    }
    int64_t window = (kernel - 1) * dilations[i] + 1;
    int64_t span = input + pads[i] + pads[i + spatialRank] - window;
    if (span < 0)
      return emitOptionalError(loc, "window of size ", window,
                               " is larger than the padded input");
    shape.push_back(span / strides[i] + 1);
  }
  types.push_back(RankedTensorType::get(shape, IntegerType::get(context, 32)));
  return success();
}

OpCost ConvIntegerOp::estimateCost(int64_t dynamicDimSize) {
  // Each output element sums C/group x kernel products.
  double window = estimateNumElements(getW().getType(), dynamicDimSize) /
                  estimateDimSize(getW(), 0, dynamicDimSize);
  return estimateCostPerResultElement(*this, dynamicDimSize, 2 * window);
}
