//===- GraphTypeInference.cpp - Shared graph type inference ---------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements the helpers declared in GraphTypeInference.h: broadcasting,
// axis normalization, constant operand lookup, and the inference shared by
// the op classes of GraphOps.td.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/GraphTypeInference.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>

using namespace mlir;

namespace exaforge::graph {

std::string formatShape(ArrayRef<int64_t> shape) {
  std::string text = "[";
  for (auto [i, dim] : llvm::enumerate(shape)) {
    if (i)
      text += ", ";
    text += ShapedType::isDynamic(dim) ? "?" : std::to_string(dim);
  }
  return text + "]";
}

bool areCompatibleTensorTypes(TypeRange inferred, TypeRange actual) {
  if (inferred.size() != actual.size())
    return false;
  for (auto [lhsType, rhsType] : llvm::zip_equal(inferred, actual)) {
    auto lhs = dyn_cast<RankedTensorType>(lhsType);
    auto rhs = dyn_cast<RankedTensorType>(rhsType);
    if (!lhs || !rhs || lhs.getElementType() != rhs.getElementType() ||
        lhs.getRank() != rhs.getRank())
      return false;
    for (auto [l, r] : llvm::zip_equal(lhs.getShape(), rhs.getShape()))
      if (!ShapedType::isDynamic(l) && !ShapedType::isDynamic(r) && l != r)
        return false;
  }
  return true;
}

std::optional<SmallVector<int64_t>> getConstantIntValues(Value value) {
  DenseIntElementsAttr attr;
  if (!value || !matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  SmallVector<int64_t> values;
  values.reserve(attr.getNumElements());
  bool isUnsigned = attr.getElementType().isUnsignedInteger();
  for (const APInt &element : attr.getValues<APInt>())
    values.push_back(isUnsigned ? static_cast<int64_t>(element.getZExtValue())
                                : element.getSExtValue());
  return values;
}

std::optional<double> getConstantScalar(Value value) {
  DenseElementsAttr attr;
  if (!value || !matchPattern(value, m_Constant(&attr)) ||
      attr.getNumElements() != 1)
    return std::nullopt;
  if (auto ints = dyn_cast<DenseIntElementsAttr>(attr)) {
    APInt element = *ints.value_begin<APInt>();
    return attr.getElementType().isUnsignedInteger()
               ? static_cast<double>(element.getZExtValue())
               : static_cast<double>(element.getSExtValue());
  }
  if (auto floats = dyn_cast<DenseFPElementsAttr>(attr)) {
    APFloat element = *floats.value_begin<APFloat>();
    bool losesInfo = false;
    element.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven,
                    &losesInfo);
    return element.convertToDouble();
  }
  return std::nullopt;
}

std::optional<SmallVector<double>> getConstantFloatValues(Value value) {
  DenseFPElementsAttr attr;
  if (!value || !matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  SmallVector<double> values;
  values.reserve(attr.getNumElements());
  for (APFloat element : attr.getValues<APFloat>()) {
    bool losesInfo = false;
    element.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven,
                    &losesInfo);
    values.push_back(element.convertToDouble());
  }
  return values;
}

std::optional<int64_t> getDimensionSizeFromFloat(double size) {
  if (!(size >= 0.0 && size < kFloatDimensionSizeBound))
    return std::nullopt;
  return static_cast<int64_t>(size);
}

FailureOr<int64_t> normalizeAxis(std::optional<Location> loc, int64_t axis,
                                 int64_t rank, StringRef what) {
  if (axis < -rank || axis >= rank)
    return emitOptionalError(loc, "'", what, "' value is ", axis,
                             ", accepted range is [", -rank, ", ", rank - 1,
                             "]");
  return axis < 0 ? axis + rank : axis;
}

SliceBounds getStaticSliceBounds(int64_t dim, int64_t start, int64_t end,
                                 int64_t step) {
  if (dim == 0)
    return {};
  // A negative bound counts from the back; one before the first element
  // (-dim - 1 or lower) becomes -1, below every clamping range.
  auto normalize = [dim](int64_t bound, int64_t low, int64_t high) {
    if (bound < 0)
      bound = bound < -dim ? -1 : bound + dim;
    return std::clamp(bound, low, high);
  };
  if (step > 0) {
    start = normalize(start, 0, dim);
    end = normalize(end, 0, dim);
    return {start, end > start ? llvm::divideCeilSigned(end - start, step) : 0};
  }
  start = normalize(start, 0, dim - 1);
  end = normalize(end, -1, dim - 1);
  return {start, start > end ? llvm::divideCeilSigned(start - end, -step) : 0};
}

std::pair<int64_t, int64_t> getShapeOpRange(int64_t rank, int64_t start,
                                            std::optional<int64_t> end) {
  auto clamp = [rank](int64_t index) {
    if (index < 0)
      index += rank;
    return std::clamp<int64_t>(index, 0, rank);
  };
  int64_t first = clamp(start);
  return {first, std::max(first, clamp(end.value_or(rank)))};
}

FailureOr<SmallVector<int64_t>> broadcastShapes(std::optional<Location> loc,
                                                ArrayRef<int64_t> lhs,
                                                ArrayRef<int64_t> rhs) {
  size_t rank = std::max(lhs.size(), rhs.size());
  SmallVector<int64_t> result(rank);
  for (size_t i = 0; i < rank; ++i) {
    // Dimensions are aligned at the back; a missing dimension acts as 1.
    int64_t l = i < rank - lhs.size() ? 1 : lhs[i - (rank - lhs.size())];
    int64_t r = i < rank - rhs.size() ? 1 : rhs[i - (rank - rhs.size())];
    bool lDynamic = ShapedType::isDynamic(l),
         rDynamic = ShapedType::isDynamic(r);
    if (!lDynamic && !rDynamic && l != r && l != 1 && r != 1)
      return emitOptionalError(
          loc, "shapes ", formatShape(lhs), " and ", formatShape(rhs),
          " are not broadcast-compatible (dimension ", l, " against ", r, ")");
    if (l == 1)
      result[i] = r;
    else if (r == 1)
      result[i] = l;
    else if (!lDynamic)
      result[i] = l;
    else
      result[i] = r;
  }
  return result;
}

LogicalResult inferBroadcastBinaryResult(std::optional<Location> loc, Value lhs,
                                         Value rhs, BinaryResultKind kind,
                                         SmallVectorImpl<Type> &types) {
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  if (kind != BinaryResultKind::LhsElementType &&
      lhsType.getElementType() != rhsType.getElementType())
    return emitOptionalError(loc, "operands have different element types ",
                             lhsType.getElementType(), " and ",
                             rhsType.getElementType());
  FailureOr<SmallVector<int64_t>> shape =
      broadcastShapes(loc, lhsType.getShape(), rhsType.getShape());
  if (failed(shape))
    return failure();
  Type elementType = kind == BinaryResultKind::Comparison
                         ? IntegerType::get(lhs.getContext(), 1)
                         : lhsType.getElementType();
  types.push_back(RankedTensorType::get(*shape, elementType));
  return success();
}

LogicalResult inferClipResult(std::optional<Location> loc, Value input,
                              Value min, Value max,
                              SmallVectorImpl<Type> &types) {
  auto inputType = cast<RankedTensorType>(input.getType());
  for (auto [bound, name] : {std::pair(min, "min"), std::pair(max, "max")}) {
    if (!bound)
      continue;
    auto boundType = cast<RankedTensorType>(bound.getType());
    if (boundType.getElementType() != inputType.getElementType())
      return emitOptionalError(loc, "bound '", name, "' has element type ",
                               boundType.getElementType(), ", expected ",
                               inputType.getElementType());
    if (llvm::any_of(boundType.getShape(), [](int64_t d) { return d != 1; }))
      return emitOptionalError(loc, "bound '", name, "' has shape ",
                               formatShape(boundType.getShape()),
                               ", expected a single element");
  }
  types.push_back(inputType);
  return success();
}

LogicalResult inferReduceResult(std::optional<Location> loc, Value data,
                                Value axes, bool keepdims,
                                bool noopWithEmptyAxes,
                                SmallVectorImpl<Type> &types) {
  auto dataType = cast<RankedTensorType>(data.getType());
  int64_t rank = dataType.getRank();
  SmallVector<bool> reduced(rank, false);
  if (!axes) {
    if (noopWithEmptyAxes) {
      types.push_back(dataType);
      return success();
    }
    reduced.assign(rank, true);
  } else if (int64_t axesRank = cast<RankedTensorType>(axes.getType()).getRank();
             axesRank != 1) {
    return emitOptionalError(loc, "'axes' must be a 1-D tensor, got rank ",
                             axesRank);
  } else if (std::optional<SmallVector<int64_t>> values =
                 cast<RankedTensorType>(axes.getType()).getDimSize(0) == 0
                     ? SmallVector<int64_t>()
                     : getConstantIntValues(axes)) {
    if (values->empty() && noopWithEmptyAxes) {
      types.push_back(dataType);
      return success();
    }
    if (values->empty())
      reduced.assign(rank, true);
    for (int64_t axis : *values) {
      FailureOr<int64_t> normalized = normalizeAxis(loc, axis, rank, "axes");
      if (failed(normalized))
        return failure();
      if (reduced[*normalized])
        return emitOptionalError(loc, "'axes' lists axis ", axis, " twice");
      reduced[*normalized] = true;
    }
  } else {
    // Axes known only at run time: the rank is known when dimensions are
    // kept, or when the number of reduced axes is static and non-zero.
    int64_t numAxes = cast<RankedTensorType>(axes.getType()).getDimSize(0);
    if (keepdims) {
      types.push_back(RankedTensorType::get(
          SmallVector<int64_t>(rank, ShapedType::kDynamic),
          dataType.getElementType()));
      return success();
    }
    if (ShapedType::isDynamic(numAxes) || numAxes == 0)
      return emitOptionalError(
          loc, "non-constant 'axes' with keepdims = false needs a static, "
               "non-zero number of axes");
    if (numAxes > rank)
      return emitOptionalError(loc, "'axes' has ", numAxes,
                               " entries for a tensor of rank ", rank);
    types.push_back(RankedTensorType::get(
        SmallVector<int64_t>(rank - numAxes, ShapedType::kDynamic),
        dataType.getElementType()));
    return success();
  }
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < rank; ++i) {
    if (!reduced[i])
      shape.push_back(dataType.getDimSize(i));
    else if (keepdims)
      shape.push_back(1);
  }
  types.push_back(RankedTensorType::get(shape, dataType.getElementType()));
  return success();
}

LogicalResult inferArgReduceResult(std::optional<Location> loc, Value data,
                                   int64_t axis, bool keepdims,
                                   SmallVectorImpl<Type> &types) {
  auto dataType = cast<RankedTensorType>(data.getType());
  FailureOr<int64_t> normalized = normalizeAxis(loc, axis, dataType.getRank());
  if (failed(normalized))
    return failure();
  SmallVector<int64_t> shape(dataType.getShape());
  if (keepdims)
    shape[*normalized] = 1;
  else
    shape.erase(shape.begin() + *normalized);
  types.push_back(
      RankedTensorType::get(shape, IntegerType::get(data.getContext(), 64)));
  return success();
}

} // namespace exaforge::graph
