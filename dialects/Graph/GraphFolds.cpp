//===- GraphFolds.cpp - Graph dialect folds and canonicalizations ---------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Folds that pay off on exported models: constants and identities, the
// shape computations that exporters emit (Shape -> Gather -> Unsqueeze ->
// Concat -> Reshape), and chains of reshapes and transposes.
//
// Constant folding is limited to small `dense` constants (shape-like data);
// weights held as `dense_resource` are never expanded by a fold.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/GraphOps.h"
#include "dialects/Graph/ShapeVector.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace exaforge::graph;

namespace {
/// Returns `attr` as dense elements of at most kMaxFoldedElements entries.
DenseElementsAttr getSmallDense(Attribute attr) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(attr);
  if (!dense || dense.getNumElements() > kMaxFoldedElements)
    return {};
  return dense;
}

/// Returns true when `attr` is a splat constant equal to `value` (integer or
/// float; `-0.0` is distinct from `0.0` and only matches a negative zero).
bool isSplatOf(Attribute attr, double value) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(attr);
  if (!dense || !dense.isSplat())
    return false;
  if (isa<FloatType>(dense.getElementType())) {
    APFloat element = dense.getSplatValue<APFloat>();
    APFloat expected(value);
    bool losesInfo = false;
    expected.convert(element.getSemantics(), APFloat::rmNearestTiesToEven,
                     &losesInfo);
    return element.bitwiseIsEqual(expected);
  }
  if (isa<IntegerType>(dense.getElementType()))
    return dense.getSplatValue<APInt>().getSExtValue() ==
           static_cast<int64_t>(value);
  return false;
}

/// Returns `input` when it can stand for a result of `type` unchanged.
OpFoldResult foldToInputIfSameType(Value input, Type type) {
  return input.getType() == type ? input : OpFoldResult();
}

/// Reshapes a small constant to a static result type.
OpFoldResult reshapeConstant(Attribute attr, Type type) {
  DenseElementsAttr dense = getSmallDense(attr);
  auto shaped = dyn_cast<RankedTensorType>(type);
  if (!dense || !shaped || !shaped.hasStaticShape())
    return {};
  return dense.reshape(shaped);
}

/// Computes one element of an elementwise integer fold from the operands'
/// elements at that index; nullopt when it cannot (division by zero).
using IntegerCalculation =
    llvm::function_ref<std::optional<APInt>(ArrayRef<APInt>)>;

/// Folds an elementwise op over small integer constants with ONNX
/// (multidirectional) broadcasting into a static, small `resultType`.
/// Floats are left to the kernels.
DenseElementsAttr foldIntegerElementwise(ArrayRef<Attribute> operands,
                                         Type resultType,
                                         IntegerCalculation calculate) {
  auto type = dyn_cast<RankedTensorType>(resultType);
  if (!type || !type.hasStaticShape() ||
      !isa<IntegerType>(type.getElementType()) ||
      type.getNumElements() > kMaxFoldedElements)
    return {};
  ArrayRef<int64_t> shape = type.getShape();
  int64_t rank = shape.size();
  // Per operand: its elements and, per result dimension, the step of its
  // linear index (0 where it broadcasts).
  SmallVector<SmallVector<APInt>> elements;
  SmallVector<SmallVector<int64_t>> strides;
  for (Attribute operand : operands) {
    auto dense = dyn_cast_or_null<DenseIntElementsAttr>(operand);
    if (!dense || dense.getNumElements() > kMaxFoldedElements ||
        dense.getType().getRank() > rank)
      return {};
    elements.emplace_back(dense.getValues<APInt>());
    ArrayRef<int64_t> operandShape = dense.getType().getShape();
    int64_t offset = rank - operandShape.size();
    SmallVector<int64_t> operandStrides(rank, 0);
    int64_t stride = 1;
    for (int64_t d = operandShape.size() - 1; d >= 0; --d) {
      if (operandShape[d] != 1)
        operandStrides[d + offset] = stride;
      stride *= operandShape[d];
    }
    strides.push_back(std::move(operandStrides));
  }
  SmallVector<APInt> results;
  SmallVector<APInt> arguments(operands.size());
  for (int64_t linear = 0, e = type.getNumElements(); linear < e; ++linear) {
    SmallVector<int64_t> index(rank);
    for (int64_t d = rank - 1, rest = linear; d >= 0; --d) {
      index[d] = rest % shape[d];
      rest /= shape[d];
    }
    for (auto [i, operandStrides] : llvm::enumerate(strides)) {
      int64_t position = 0;
      for (int64_t d = 0; d < rank; ++d)
        position += index[d] * operandStrides[d];
      arguments[i] = elements[i][position];
    }
    std::optional<APInt> value = calculate(arguments);
    if (!value)
      return {};
    results.push_back(*value);
  }
  return DenseElementsAttr::get(type, results);
}

/// Folds an integer binary op of two small constants whose result has the
/// operands' element type.
template <typename Calculate>
OpFoldResult foldIntegerBinary(ArrayRef<Attribute> operands, Type type,
                               Calculate &&calculate) {
  return foldIntegerElementwise(
      operands, type, [&](ArrayRef<APInt> args) -> std::optional<APInt> {
        return calculate(args[0], args[1]);
      });
}

/// Folds an integer comparison of two small constants (an `i1` result).
template <typename Compare>
OpFoldResult foldIntegerComparison(ArrayRef<Attribute> operands, Type type,
                                   Compare &&compare) {
  return foldIntegerElementwise(
      operands, type, [&](ArrayRef<APInt> args) -> std::optional<APInt> {
        return APInt(1, compare(args[0], args[1]) ? 1 : 0);
      });
}

/// Whether the integer elements of `value` are unsigned.
bool hasUnsignedElements(Value value) {
  return getElementTypeOrSelf(value.getType()).isUnsignedInteger();
}
} // namespace

//===----------------------------------------------------------------------===//
// Constants and identities
//===----------------------------------------------------------------------===//

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

OpFoldResult IdentityOp::fold(FoldAdaptor) {
  // The result type may be more static than the operand's (generic form).
  return foldToInputIfSameType(getInput(), getType());
}

OpFoldResult CastOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult same = foldToInputIfSameType(getInput(), getType()))
    return same;
  // Integer-to-integer casts of shape data.
  DenseElementsAttr dense = getSmallDense(adaptor.getInput());
  auto from = dense ? dyn_cast<IntegerType>(dense.getElementType()) : nullptr;
  auto to = dyn_cast<IntegerType>(getType().getElementType());
  if (!from || !to || to.getWidth() == 1)
    return {};
  return dense.mapValues(to, [&](const APInt &value) {
    // Booleans convert to 0 and 1.
    return from.isUnsigned() || from.getWidth() == 1
               ? value.zextOrTrunc(to.getWidth())
               : value.sextOrTrunc(to.getWidth());
  });
}

//===----------------------------------------------------------------------===//
// Elementwise arithmetic
//===----------------------------------------------------------------------===//

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  // x + 0 (integer) and x + (-0.0) (float) are exact.
  bool isFloat = isa<FloatType>(getType().getElementType());
  if (isSplatOf(adaptor.getRhs(), isFloat ? -0.0 : 0.0))
    if (OpFoldResult same = foldToInputIfSameType(getLhs(), getType()))
      return same;
  return foldIntegerBinary(
      adaptor.getOperands(), getType(),
      [](const APInt &a, const APInt &b) { return a + b; });
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 0.0))
    if (OpFoldResult same = foldToInputIfSameType(getLhs(), getType()))
      return same;
  return foldIntegerBinary(
      adaptor.getOperands(), getType(),
      [](const APInt &a, const APInt &b) { return a - b; });
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 1.0))
    if (OpFoldResult same = foldToInputIfSameType(getLhs(), getType()))
      return same;
  return foldIntegerBinary(
      adaptor.getOperands(), getType(),
      [](const APInt &a, const APInt &b) { return a * b; });
}

OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 1.0))
    if (OpFoldResult same = foldToInputIfSameType(getLhs(), getType()))
      return same;
  // Integer division by a constant without zeros truncates toward zero.
  auto divisor = dyn_cast_or_null<DenseIntElementsAttr>(adaptor.getRhs());
  if (!divisor || llvm::any_of(divisor.getValues<APInt>(),
                               [](const APInt &v) { return v.isZero(); }))
    return {};
  bool isUnsigned = getType().getElementType().isUnsignedInteger();
  return foldIntegerBinary(adaptor.getOperands(), getType(),
                           [&](const APInt &a, const APInt &b) {
                             return isUnsigned ? a.udiv(b) : a.sdiv(b);
                           });
}

OpFoldResult ModOp::fold(FoldAdaptor adaptor) {
  // ONNX Mod: an integer remainder by zero is 0; without `fmod` the
  // remainder takes the sign of the divisor (Python's %).
  bool isUnsigned = hasUnsignedElements(getLhs());
  bool fmod = getFmod();
  return foldIntegerBinary(
      adaptor.getOperands(), getType(), [&](const APInt &a, const APInt &b) {
        if (b.isZero())
          return APInt::getZero(a.getBitWidth());
        if (isUnsigned)
          return a.urem(b);
        APInt remainder = a.srem(b);
        if (!fmod && !remainder.isZero() &&
            remainder.isNegative() != b.isNegative())
          remainder += b;
        return remainder;
      });
}

OpFoldResult MaxOp::fold(FoldAdaptor adaptor) {
  bool isUnsigned = hasUnsignedElements(getLhs());
  return foldIntegerBinary(adaptor.getOperands(), getType(),
                           [&](const APInt &a, const APInt &b) {
                             return isUnsigned ? llvm::APIntOps::umax(a, b)
                                               : llvm::APIntOps::smax(a, b);
                           });
}

OpFoldResult MinOp::fold(FoldAdaptor adaptor) {
  bool isUnsigned = hasUnsignedElements(getLhs());
  return foldIntegerBinary(adaptor.getOperands(), getType(),
                           [&](const APInt &a, const APInt &b) {
                             return isUnsigned ? llvm::APIntOps::umin(a, b)
                                               : llvm::APIntOps::smin(a, b);
                           });
}

OpFoldResult NegOp::fold(FoldAdaptor adaptor) {
  return foldIntegerElementwise(
      adaptor.getOperands(), getType(),
      [](ArrayRef<APInt> args) -> std::optional<APInt> { return -args[0]; });
}

OpFoldResult AbsOp::fold(FoldAdaptor adaptor) {
  bool isUnsigned = hasUnsignedElements(getInput());
  return foldIntegerElementwise(
      adaptor.getOperands(), getType(),
      [&](ArrayRef<APInt> args) -> std::optional<APInt> {
        return isUnsigned ? args[0] : args[0].abs();
      });
}

//===----------------------------------------------------------------------===//
// Comparisons and logic
//===----------------------------------------------------------------------===//

OpFoldResult EqualOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult folded = foldIntegerComparison(
          adaptor.getOperands(), getType(),
          [](const APInt &a, const APInt &b) { return a == b; }))
    return folded;
  // Shape vectors tested against -1, as exporters do before Expand.
  return foldKnownShapeVector(getResult());
}

OpFoldResult LessOp::fold(FoldAdaptor adaptor) {
  bool isUnsigned = hasUnsignedElements(getLhs());
  return foldIntegerComparison(adaptor.getOperands(), getType(),
                               [&](const APInt &a, const APInt &b) {
                                 return isUnsigned ? a.ult(b) : a.slt(b);
                               });
}

OpFoldResult LessOrEqualOp::fold(FoldAdaptor adaptor) {
  bool isUnsigned = hasUnsignedElements(getLhs());
  return foldIntegerComparison(adaptor.getOperands(), getType(),
                               [&](const APInt &a, const APInt &b) {
                                 return isUnsigned ? a.ule(b) : a.sle(b);
                               });
}

OpFoldResult GreaterOp::fold(FoldAdaptor adaptor) {
  bool isUnsigned = hasUnsignedElements(getLhs());
  return foldIntegerComparison(adaptor.getOperands(), getType(),
                               [&](const APInt &a, const APInt &b) {
                                 return isUnsigned ? a.ugt(b) : a.sgt(b);
                               });
}

OpFoldResult GreaterOrEqualOp::fold(FoldAdaptor adaptor) {
  bool isUnsigned = hasUnsignedElements(getLhs());
  return foldIntegerComparison(adaptor.getOperands(), getType(),
                               [&](const APInt &a, const APInt &b) {
                                 return isUnsigned ? a.uge(b) : a.sge(b);
                               });
}

OpFoldResult AndOp::fold(FoldAdaptor adaptor) {
  return foldIntegerBinary(adaptor.getOperands(), getType(),
                           [](const APInt &a, const APInt &b) { return a & b; });
}

OpFoldResult OrOp::fold(FoldAdaptor adaptor) {
  return foldIntegerBinary(adaptor.getOperands(), getType(),
                           [](const APInt &a, const APInt &b) { return a | b; });
}

OpFoldResult NotOp::fold(FoldAdaptor adaptor) {
  return foldIntegerElementwise(
      adaptor.getOperands(), getType(),
      [](ArrayRef<APInt> args) -> std::optional<APInt> { return ~args[0]; });
}

OpFoldResult WhereOp::fold(FoldAdaptor adaptor) {
  // A constant condition that selects one side everywhere.
  if (auto condition =
          dyn_cast_or_null<DenseElementsAttr>(adaptor.getCondition());
      condition && condition.isSplat())
    if (OpFoldResult side = foldToInputIfSameType(
            condition.getSplatValue<bool>() ? getLhs() : getRhs(), getType()))
      return side;
  if (OpFoldResult folded = foldIntegerElementwise(
          adaptor.getOperands(), getType(),
          [](ArrayRef<APInt> args) -> std::optional<APInt> {
            return args[0].isZero() ? args[2] : args[1];
          }))
    return folded;
  // Shape vectors whose selected entries are known.
  return foldKnownShapeVector(getResult());
}

//===----------------------------------------------------------------------===//
// Shape computations
//===----------------------------------------------------------------------===//

OpFoldResult SizeOp::fold(FoldAdaptor) {
  auto type = getInput().getType();
  if (!type.hasStaticShape())
    return {};
  return DenseElementsAttr::get(getType(), ArrayRef<int64_t>(type.getNumElements()));
}

OpFoldResult ShapeOp::fold(FoldAdaptor) {
  ArrayRef<int64_t> shape = getInput().getType().getShape();
  auto [first, last] = getShapeOpRange(shape.size(), getStart(), getEnd());
  ArrayRef<int64_t> dims = shape.slice(first, last - first);
  if (!getType().hasStaticShape() || llvm::any_of(dims, ShapedType::isDynamic))
    return {};
  return DenseElementsAttr::get(getType(), dims);
}

OpFoldResult GatherOp::fold(FoldAdaptor adaptor) {
  // Picks entries of a small 1-D constant, as exporters do with shapes.
  auto data = dyn_cast_or_null<DenseIntElementsAttr>(adaptor.getData());
  auto indices = dyn_cast_or_null<DenseIntElementsAttr>(adaptor.getIndices());
  if (!data || !indices || data.getType().getRank() != 1 ||
      !getType().hasStaticShape() ||
      indices.getNumElements() > kMaxFoldedElements)
    // Static dimensions picked out of a partly dynamic shape.
    return foldKnownShapeVector(getResult());
  int64_t size = data.getNumElements();
  SmallVector<APInt> values;
  SmallVector<APInt> dataValues(data.getValues<APInt>());
  for (const APInt &index : indices.getValues<APInt>()) {
    int64_t i = index.getSExtValue();
    if (i < 0)
      i += size;
    if (i < 0 || i >= size)
      return {};
    values.push_back(dataValues[i]);
  }
  return DenseElementsAttr::get(getType(), values);
}

OpFoldResult ConcatOp::fold(FoldAdaptor adaptor) {
  if (getInputs().size() == 1)
    return foldToInputIfSameType(getInputs().front(), getType());
  // Joins small 1-D constants (shape vectors).
  if (getType().getRank() != 1 || !getType().hasStaticShape())
    return {};
  SmallVector<Attribute> values;
  for (Attribute operand : adaptor.getInputs()) {
    DenseElementsAttr dense = getSmallDense(operand);
    if (!dense)
      return foldKnownShapeVector(getResult());
    llvm::append_range(values, dense.getValues<Attribute>());
  }
  return DenseElementsAttr::get(getType(), values);
}

OpFoldResult SliceOp::fold(FoldAdaptor) {
  // Slices of 1-D shape vectors: of constants, or static dimensions of a
  // partly dynamic shape.
  return foldKnownShapeVector(getResult());
}

OpFoldResult ExpandOp::fold(FoldAdaptor adaptor) {
  // (With a dynamic type the input may still broadcast at run time.)
  if (getType().hasStaticShape())
    if (OpFoldResult same = foldToInputIfSameType(getInput(), getType()))
      return same;
  auto dense = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput());
  if (dense && dense.isSplat() && getType().hasStaticShape() &&
      getType().getNumElements() <= kMaxFoldedElements)
    return dense.resizeSplat(getType());
  return foldKnownShapeVector(getResult());
}

OpFoldResult RangeOp::fold(FoldAdaptor adaptor) {
  // Integer ranges of constants (the result type then has their length).
  auto start = dyn_cast_or_null<DenseIntElementsAttr>(adaptor.getStart());
  auto delta = dyn_cast_or_null<DenseIntElementsAttr>(adaptor.getDelta());
  if (!start || !delta || !adaptor.getLimit() || !getType().hasStaticShape() ||
      getType().getNumElements() > kMaxFoldedElements)
    return {};
  APInt value = *start.value_begin<APInt>();
  APInt step = *delta.value_begin<APInt>();
  SmallVector<APInt> values;
  for (int64_t i = 0, e = getType().getNumElements(); i < e; ++i, value += step)
    values.push_back(value);
  return DenseElementsAttr::get(getType(), values);
}

OpFoldResult SqueezeOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult same = foldToInputIfSameType(getData(), getType()))
    return same;
  return reshapeConstant(adaptor.getData(), getType());
}

OpFoldResult UnsqueezeOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult same = foldToInputIfSameType(getData(), getType()))
    return same;
  return reshapeConstant(adaptor.getData(), getType());
}

//===----------------------------------------------------------------------===//
// ReshapeOp
//===----------------------------------------------------------------------===//

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (getType().hasStaticShape())
    if (OpFoldResult same = foldToInputIfSameType(getData(), getType()))
      return same;
  return reshapeConstant(adaptor.getData(), getType());
}

namespace {
/// reshape(reshape(x, s1), s2) -> reshape(x, s2), when s2 does not copy
/// dimensions of the intermediate value (no 0 entries unless `allowzero`),
/// or when the final type is static (its shape becomes the new constant).
struct FoldReshapeChain : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    auto producer = op.getData().getDefiningOp<ReshapeOp>();
    if (!producer)
      return rewriter.notifyMatchFailure(op, "operand is not a reshape");
    std::optional<SmallVector<int64_t>> shape =
        getConstantIntValues(op.getShape());
    bool copiesDims = !shape || (!op.getAllowzero() &&
                                 llvm::is_contained(*shape, int64_t(0)));
    Value newShape = op.getShape();
    if (copiesDims) {
      if (!op.getType().hasStaticShape())
        return rewriter.notifyMatchFailure(
            op, "shape copies dimensions of the intermediate value");
      auto shapeType = RankedTensorType::get({op.getType().getRank()},
                                             rewriter.getI64Type());
      newShape = ConstantOp::create(
          rewriter, op.getLoc(),
          DenseElementsAttr::get(shapeType, op.getType().getShape()));
    }
    // A static final shape is literal: its zero dimensions (if any) need
    // `allowzero`; otherwise keep the outer op's `allowzero`.
    bool allowZero = copiesDims ? llvm::is_contained(op.getType().getShape(), 0)
                                : op.getAllowzero();
    rewriter.replaceOpWithNewOp<ReshapeOp>(op, op.getType(), producer.getData(),
                                           newShape, allowZero);
    return success();
  }
};
} // namespace

void ReshapeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                            MLIRContext *context) {
  patterns.add<FoldReshapeChain>(context);
}

//===----------------------------------------------------------------------===//
// TransposeOp
//===----------------------------------------------------------------------===//

OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  if (llvm::equal(getPerm(), llvm::seq<int64_t>(0, getPerm().size())))
    return foldToInputIfSameType(getInput(), getType());
  if (auto dense = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput());
      dense && dense.isSplat() && getType().hasStaticShape())
    return dense.resizeSplat(getType());
  return {};
}

namespace {
/// transpose(transpose(x, inner), outer) -> transpose(x, inner[outer[i]]).
struct ComposeTransposes : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto producer = op.getInput().getDefiningOp<TransposeOp>();
    if (!producer)
      return rewriter.notifyMatchFailure(op, "operand is not a transpose");
    ArrayRef<int64_t> inner = producer.getPerm();
    SmallVector<int64_t> composed;
    for (int64_t index : op.getPerm())
      composed.push_back(inner[index]);
    rewriter.replaceOpWithNewOp<TransposeOp>(op, op.getType(),
                                             producer.getInput(), composed);
    return success();
  }
};
} // namespace

void TransposeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                              MLIRContext *context) {
  patterns.add<ComposeTransposes>(context);
}
