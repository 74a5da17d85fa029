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

#include "mlir/Dialect/CommonFolders.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace exaforge::graph;

namespace {
/// Largest constant, in elements, that folds create by expanding data.
constexpr int64_t kMaxFoldedElements = 1024;

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

/// Folds an integer binary op of two small constants with one result type
/// (splat operands broadcast); floats are left to the kernels.
template <typename Calculate>
OpFoldResult foldIntegerBinary(ArrayRef<Attribute> operands, Type type,
                               Calculate &&calculate) {
  auto shaped = dyn_cast<RankedTensorType>(type);
  if (!shaped || !shaped.hasStaticShape() ||
      !isa<IntegerType>(shaped.getElementType()) ||
      !getSmallDense(operands[0]) || !getSmallDense(operands[1]))
    return {};
  return constFoldBinaryOp<IntegerAttr>(operands, type,
                                        std::forward<Calculate>(calculate));
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
    return {};
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
      return {};
    llvm::append_range(values, dense.getValues<Attribute>());
  }
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
