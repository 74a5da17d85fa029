//===- DataMovementToLinalg.cpp - Graph data movement ops to linalg -------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Lowers constants and the ops that move data without computing on it:
// Constant, Identity, Shape, Reshape, Flatten, Squeeze, Unsqueeze, Transpose,
// Concat, Split, Slice, Gather, Expand, Size, Trilu, GatherElements, Tile,
// Pad, DepthToSpace, SpaceToDepth and Range.
//
// Reshapes (Reshape, Flatten, Squeeze, Unsqueeze) become
// `tensor.collapse_shape`/`tensor.expand_shape`, and Split and positive-step
// Slice become `tensor.extract_slice`: after bufferization all of them are
// views of their operand, not copies. Transpose, Concat, Gather, Expand and
// negative-step Slice write a new tensor.
//
// Operands that ONNX passes as tensors but that decide the result's layout
// (Slice's starts/ends/axes/steps, Split's sizes, Squeeze's, Unsqueeze's and
// Pad's axes) are used at compile time when they are constants. Otherwise
// they are read at run time (their static length fixes the result's rank):
// the sizes and offsets are computed in index arithmetic, Squeeze and
// Unsqueeze become a `tensor.reshape` to the computed sizes, and the values
// ONNX rejects are checked (RuntimeParams.h). Reshape's and Expand's target
// shapes may be computed at run time too (their rank is part of the type),
// which models with a symbolic batch dimension need.
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
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

#include <limits>
#include <numeric>

using namespace mlir;
using namespace exaforge;
using namespace exaforge::lowering;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Returns the integers of the constant `original` (an operand of the graph
/// op being lowered) or, failing that, of `converted` (its lowered value).
std::optional<SmallVector<int64_t>> getConstantList(Value original,
                                                    Value converted) {
  if (std::optional<SmallVector<int64_t>> values =
          graph::getConstantIntValues(original))
    return values;
  return graph::getConstantIntValues(converted);
}

/// Returns `value` as a tensor of `type` (same element type, shapes that
/// differ only in which dimensions are static): a `tensor.cast`, or `value`
/// itself when the types are equal.
Value castShape(OpBuilder &b, Location loc, Value value, Type type) {
  if (value.getType() == type)
    return value;
  return tensor::CastOp::create(b, loc, type, value);
}

/// Returns `lhs op rhs` for the index arithmetic op `OpTy`: an attribute
/// computed by `fold` when both sides are constants (and `fold` succeeds),
/// `lhs` when `rhs` is `identity` (and `rhs` when `lhs` is, if the op
/// commutes), otherwise a new `OpTy`.
template <typename OpTy>
OpFoldResult foldOrCreate(
    OpBuilder &b, Location loc, OpFoldResult lhs, OpFoldResult rhs,
    int64_t identity, bool commutes,
    llvm::function_ref<std::optional<int64_t>(int64_t, int64_t)> fold) {
  std::optional<int64_t> lhsValue = getConstantIntValue(lhs);
  std::optional<int64_t> rhsValue = getConstantIntValue(rhs);
  if (lhsValue && rhsValue)
    if (std::optional<int64_t> folded = fold(*lhsValue, *rhsValue))
      return b.getIndexAttr(*folded);
  if (rhsValue == identity)
    return lhs;
  if (commutes && lhsValue == identity)
    return rhs;
  return OpTy::create(b, loc, getValueOrCreateConstantIndexOp(b, loc, lhs),
                      getValueOrCreateConstantIndexOp(b, loc, rhs))
      .getResult();
}

/// Returns `lhs + rhs`, folded when possible.
OpFoldResult add(OpBuilder &b, Location loc, OpFoldResult lhs,
                 OpFoldResult rhs) {
  return foldOrCreate<arith::AddIOp>(
      b, loc, lhs, rhs, /*identity=*/0, /*commutes=*/true,
      [](int64_t x, int64_t y) -> std::optional<int64_t> { return x + y; });
}

/// Returns `lhs * rhs`, folded when possible.
OpFoldResult multiply(OpBuilder &b, Location loc, OpFoldResult lhs,
                      OpFoldResult rhs) {
  return foldOrCreate<arith::MulIOp>(
      b, loc, lhs, rhs, /*identity=*/1, /*commutes=*/true,
      [](int64_t x, int64_t y) -> std::optional<int64_t> { return x * y; });
}

/// Returns `lhs / rhs` (both non-negative), folded when possible.
OpFoldResult divide(OpBuilder &b, Location loc, OpFoldResult lhs,
                    OpFoldResult rhs) {
  return foldOrCreate<arith::DivUIOp>(
      b, loc, lhs, rhs, /*identity=*/1, /*commutes=*/false,
      [](int64_t x, int64_t y) -> std::optional<int64_t> {
        if (y == 0)
          return std::nullopt;
        return x / y;
      });
}

/// Returns the product of `sizes`.
OpFoldResult getProduct(OpBuilder &b, Location loc,
                        ArrayRef<OpFoldResult> sizes) {
  OpFoldResult product = b.getIndexAttr(1);
  for (OpFoldResult size : sizes)
    product = multiply(b, loc, product, size);
  return product;
}

/// Returns the static product of `shape`, or kDynamic when one of its sizes
/// is dynamic.
int64_t getStaticProduct(ArrayRef<int64_t> shape) {
  int64_t product = 1;
  for (int64_t size : shape) {
    if (ShapedType::isDynamic(size))
      return ShapedType::kDynamic;
    product *= size;
  }
  return product;
}

/// Returns the reassociation that keeps the first `prefix` dimensions of a
/// rank-`rank` shape and groups the rest into one.
SmallVector<ReassociationIndices> getTailReassociation(int64_t prefix,
                                                       int64_t rank) {
  SmallVector<ReassociationIndices> groups;
  for (int64_t i = 0; i < prefix; ++i)
    groups.push_back({i});
  ReassociationIndices tail;
  for (int64_t i = prefix; i < rank; ++i)
    tail.push_back(i);
  groups.push_back(tail);
  return groups;
}

/// Collapses every dimension of `value` after the first `prefix` into one
/// and returns a tensor of `type` (rank `prefix + 1`), casting it when
/// `type` knows more or fewer sizes than the collapse computes. A rank-0
/// `value` becomes a one-element 1-D tensor.
Value collapseTail(OpBuilder &b, Location loc, Value value, int64_t prefix,
                   RankedTensorType type) {
  auto valueType = cast<RankedTensorType>(value.getType());
  if (valueType.getRank() == 0)
    return castShape(b, loc,
                     tensor::ExpandShapeOp::create(
                         b, loc, valueType.clone({1}), value,
                         SmallVector<ReassociationIndices>{},
                         SmallVector<OpFoldResult>{b.getIndexAttr(1)}),
                     type);
  if (valueType.getRank() == prefix + 1)
    return castShape(b, loc, value, type);
  SmallVector<int64_t> shape(valueType.getShape().take_front(prefix));
  shape.push_back(getStaticProduct(valueType.getShape().drop_front(prefix)));
  Value collapsed = tensor::CollapseShapeOp::create(
      b, loc, valueType.clone(shape), value,
      getTailReassociation(prefix, valueType.getRank()));
  return castShape(b, loc, collapsed, type);
}

/// Expands the last dimension of `value` (rank `prefix + 1`) into the
/// dimensions of `resultType` after the first `prefix`, whose sizes are
/// `resultSizes`. A rank-0 `resultType` takes the one element of `value`.
Value expandTail(OpBuilder &b, Location loc, Value value, int64_t prefix,
                 RankedTensorType resultType,
                 ArrayRef<OpFoldResult> resultSizes) {
  auto valueType = cast<RankedTensorType>(value.getType());
  if (resultType.getRank() == 0)
    return tensor::CollapseShapeOp::create(
        b, loc, resultType, castShape(b, loc, value, valueType.clone({1})),
        SmallVector<ReassociationIndices>{});
  if (resultType.getRank() == prefix + 1)
    return castShape(b, loc, value, resultType);
  return tensor::ExpandShapeOp::create(
      b, loc, resultType, value,
      getTailReassociation(prefix, resultType.getRank()), resultSizes);
}

/// Reshapes `input` to `resultType` keeping its elements in row-major order;
/// `resultSizes` gives every result dimension (an attribute where
/// `resultType` is static). The first `prefix` dimensions of input and
/// result are known to be equal: only the dimensions after them are
/// regrouped (collapsed into one, then expanded). The result is a view of
/// `input` after bufferization.
Value reshapeTensor(OpBuilder &b, Location loc, Value input,
                    RankedTensorType resultType,
                    ArrayRef<OpFoldResult> resultSizes, int64_t prefix) {
  auto inputType = cast<RankedTensorType>(input.getType());
  int64_t inputRank = inputType.getRank();
  int64_t resultRank = resultType.getRank();

  // Static shapes: one collapse or expand when the sizes allow it.
  if (inputType.hasStaticShape() && resultType.hasStaticShape()) {
    if (inputType.getShape() == resultType.getShape())
      return castShape(b, loc, input, resultType);
    if (inputRank != resultRank && inputRank != 0 && resultRank != 0) {
      if (std::optional<SmallVector<ReassociationIndices>> groups =
              getReassociationIndicesForReshape(inputType, resultType)) {
        if (inputRank > resultRank)
          return tensor::CollapseShapeOp::create(b, loc, resultType, input,
                                                 *groups);
        return tensor::ExpandShapeOp::create(b, loc, resultType, input, *groups,
                                             resultSizes);
      }
    }
  }

  if (prefix == inputRank && prefix == resultRank)
    return castShape(b, loc, input, resultType);
  // When one side has nothing after the prefix, regroup everything.
  if (prefix >= inputRank || prefix >= resultRank)
    prefix = 0;

  // memref.expand_shape (MLIR 22's expand-strided-metadata crashes on it)
  // cannot expand into more than one unknown size: take the shape as a
  // tensor instead (tensor.reshape; memref.reshape after bufferization).
  if (llvm::count_if(resultType.getShape().drop_front(prefix),
                     ShapedType::isDynamic) > 1) {
    SmallVector<Value> shape;
    for (OpFoldResult size : resultSizes)
      shape.push_back(getValueOrCreateConstantIndexOp(b, loc, size));
    Value shapeTensor = tensor::FromElementsOp::create(b, loc, shape);
    return tensor::ReshapeOp::create(b, loc, resultType, input, shapeTensor);
  }

  SmallVector<int64_t> middleShape(resultType.getShape().take_front(prefix));
  middleShape.push_back(
      getStaticProduct(resultType.getShape().drop_front(prefix)));
  Value middle =
      collapseTail(b, loc, input, prefix, resultType.clone(middleShape));
  return expandTail(b, loc, middle, prefix, resultType, resultSizes);
}

/// Returns the number of leading dimensions that `resultType` (whose
/// dimension `i` is known equal to the input's when `copied[i]`) shares with
/// `inputType`.
int64_t getCommonPrefix(RankedTensorType inputType, RankedTensorType resultType,
                        ArrayRef<bool> copied) {
  int64_t prefix = 0;
  int64_t rank = std::min(inputType.getRank(), resultType.getRank());
  while (prefix < rank) {
    int64_t inputSize = inputType.getDimSize(prefix);
    bool sameStatic = !ShapedType::isDynamic(inputSize) &&
                      inputSize == resultType.getDimSize(prefix);
    if (!sameStatic &&
        !(prefix < static_cast<int64_t>(copied.size()) && copied[prefix]))
      break;
    ++prefix;
  }
  return prefix;
}

/// Returns the part of `input` at `offsets` with `sizes` and `strides`: a
/// `tensor.extract_slice`, or an empty tensor when a size is statically 0
/// (the slice verifier rejects offset 0 in a dimension of size 0).
Value extractSlice(OpBuilder &b, Location loc, Value input,
                   ArrayRef<OpFoldResult> offsets, ArrayRef<OpFoldResult> sizes,
                   ArrayRef<OpFoldResult> strides) {
  if (llvm::any_of(sizes, isZeroInteger)) {
    auto type = cast<RankedTensorType>(input.getType());
    return createEmptyWithSizes(b, loc, type.clone(getStaticSizes(sizes)),
                                sizes);
  }
  return tensor::ExtractSliceOp::create(b, loc, input, offsets, sizes, strides);
}

/// Creates a `linalg.generic` that copies `input`, read through `readMap`
/// (from the loop nest over the result to `input`'s coordinates), into a new
/// tensor of `type` whose sizes are `sizes`.
Value createMappedCopy(OpBuilder &b, Location loc, Value input,
                       AffineMap readMap, RankedTensorType type,
                       ArrayRef<OpFoldResult> sizes) {
  int64_t rank = type.getRank();
  Value init = createEmptyWithSizes(b, loc, type, sizes);
  SmallVector<AffineMap> maps = {readMap, b.getMultiDimIdentityMap(rank)};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{type}, ValueRange{input}, ValueRange{init}, maps,
      iterators, [](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        linalg::YieldOp::create(nested, nestedLoc, args.front());
      });
  return generic.getResult(0);
}

//===----------------------------------------------------------------------===//
// Constant, Identity, Shape
//===----------------------------------------------------------------------===//

/// graph.constant -> arith.constant with the same attribute.
struct ConstantLowering : OpConversionPattern<graph::ConstantOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::ConstantOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto value = dyn_cast<TypedAttr>(op.getValue());
    if (!value || value.getType() != op.getType())
      return failLowering(rewriter, 
          op, "the value's type differs from the result type");
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, value);
    return success();
  }
};

/// graph.identity -> its operand.
struct IdentityLowering : OpConversionPattern<graph::IdentityOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::IdentityOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, castShape(rewriter, op.getLoc(), adaptor.getInput(), op.getType()));
    return success();
  }
};

/// graph.shape -> an `arith.constant` when the requested dimensions are
/// static, else `tensor.from_elements` of `tensor.dim`s.
struct ShapeLowering : OpConversionPattern<graph::ShapeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::ShapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto [start, end] = graph::getShapeOpRange(inputType.getRank(),
                                               op.getStart(), op.getEnd());
    auto resultType = cast<RankedTensorType>(op.getType());

    ArrayRef<int64_t> dims = inputType.getShape().slice(start, end - start);
    if (!ShapedType::isDynamicShape(dims)) {
      rewriter.replaceOpWithNewOp<arith::ConstantOp>(
          op, DenseIntElementsAttr::get(resultType, dims));
      return success();
    }
    SmallVector<Value> elements;
    for (int64_t i = start; i < end; ++i) {
      Value size = tensor::DimOp::create(rewriter, loc, input, i);
      elements.push_back(arith::IndexCastOp::create(
          rewriter, loc, resultType.getElementType(), size));
    }
    rewriter.replaceOpWithNewOp<tensor::FromElementsOp>(op, resultType,
                                                        elements);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Reshapes: Reshape, Flatten, Squeeze, Unsqueeze
//===----------------------------------------------------------------------===//

/// graph.reshape -> collapse/expand_shape. A constant target shape is read
/// at compile time (`0` copies the input dimension, `-1` is inferred); a
/// computed one is read at run time for the dimensions the result type
/// leaves dynamic.
struct ReshapeLowering : OpConversionPattern<graph::ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::ReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getData();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    bool allowZero = op.getAllowzero();
    int64_t resultRank = resultType.getRank();
    SmallVector<OpFoldResult> inputSizes =
        tensor::getMixedSizes(rewriter, loc, input);
    OpFoldResult total = getProduct(rewriter, loc, inputSizes);

    SmallVector<OpFoldResult> sizes(resultRank);
    SmallVector<bool> copied(resultRank, false);
    if (std::optional<SmallVector<int64_t>> shape =
            getConstantList(op.getShape(), adaptor.getShape())) {
      if (static_cast<int64_t>(shape->size()) != resultRank)
        return failLowering(rewriter, op, "shape length != result rank");
      std::optional<int64_t> inferred;
      for (auto [i, entry] : llvm::enumerate(*shape)) {
        if (entry == 0 && !allowZero) {
          if (static_cast<int64_t>(i) >= inputType.getRank())
            return failLowering(rewriter, op, "0 entry past input rank");
          sizes[i] = inputSizes[i];
          copied[i] = true;
        } else if (entry == -1) {
          inferred = i;
        } else {
          sizes[i] = rewriter.getIndexAttr(entry);
        }
      }
      if (inferred) {
        SmallVector<OpFoldResult> known;
        for (auto [i, size] : llvm::enumerate(sizes))
          if (static_cast<int64_t>(i) != *inferred)
            known.push_back(size);
        sizes[*inferred] =
            divide(rewriter, loc, total, getProduct(rewriter, loc, known));
      }
    } else {
      computeRuntimeSizes(rewriter, loc, adaptor.getShape(), inputSizes, total,
                          allowZero, sizes);
    }
    // Where the type knows a size, use it: the expand ops require static
    // sizes exactly where their result type is static.
    for (int64_t i = 0; i < resultRank; ++i)
      if (!resultType.isDynamicDim(i))
        sizes[i] = rewriter.getIndexAttr(resultType.getDimSize(i));
    checkElementCount(rewriter, op, sizes, copied, inputSizes, total);

    int64_t prefix = getCommonPrefix(inputType, resultType, copied);
    rewriter.replaceOp(
        op, reshapeTensor(rewriter, loc, input, resultType, sizes, prefix));
    return success();
  }

private:
  /// Emits the run-time check that the result `sizes` are not negative and
  /// hold the input's `total` element count, unless that is certain at
  /// compile time (onnxruntime rejects a shape that does not). After a
  /// failed check the first dynamic size not copied from the input becomes
  /// 0, so that the result stays inside the input.
  static void checkElementCount(OpBuilder &b, graph::ReshapeOp op,
                                MutableArrayRef<OpFoldResult> sizes,
                                ArrayRef<bool> copied,
                                ArrayRef<OpFoldResult> inputSizes,
                                OpFoldResult total) {
    if (haveSameProduct(sizes, inputSizes))
      return;
    OpFoldResult product = getProduct(b, op.getLoc(), sizes);
    if (isEqualConstantIntOrValue(product, total))
      return;
    Location loc = op.getLoc();
    using P = arith::CmpIPredicate;
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    Value valid = b.createOrFold<arith::CmpIOp>(
        loc, P::eq, getValueOrCreateConstantIndexOp(b, loc, product),
        getValueOrCreateConstantIndexOp(b, loc, total));
    for (OpFoldResult size : sizes)
      if (!getConstantIntValue(size))
        valid = b.createOrFold<arith::AndIOp>(
            loc, valid,
            b.createOrFold<arith::CmpIOp>(
                loc, P::sge, getValueOrCreateConstantIndexOp(b, loc, size),
                zero));
    createRuntimeCheck(b, op, valid,
                       "the shape does not have the input's element count "
                       "(or has a negative entry other than -1)");
    for (auto [size, isCopied] : llvm::zip_equal(sizes, copied)) {
      if (isCopied || getConstantIntValue(size))
        continue;
      size = b.createOrFold<arith::SelectOp>(
          loc, valid, getValueOrCreateConstantIndexOp(b, loc, size), zero);
      break;
    }
  }

  /// Whether the products of `lhs` and `rhs` are equal at compile time:
  /// the same static product, and the same dynamic sizes (SSA values) in
  /// any order (`[d, 768]` and `[d, 12, 64]`).
  static bool haveSameProduct(ArrayRef<OpFoldResult> lhs,
                              ArrayRef<OpFoldResult> rhs) {
    auto split = [](ArrayRef<OpFoldResult> sizes, int64_t &product,
                    SmallVectorImpl<void *> &values) {
      product = 1;
      for (OpFoldResult size : sizes) {
        if (std::optional<int64_t> constant = getConstantIntValue(size))
          product *= *constant;
        else
          values.push_back(cast<Value>(size).getAsOpaquePointer());
      }
      llvm::sort(values);
    };
    int64_t lhsProduct, rhsProduct;
    SmallVector<void *> lhsValues, rhsValues;
    split(lhs, lhsProduct, lhsValues);
    split(rhs, rhsProduct, rhsValues);
    return lhsProduct == rhsProduct && lhsValues == rhsValues;
  }

  /// Computes every result size from the run-time `shape` vector: entry `i`
  /// is the input's dimension `i` when it is 0 (and `allowZero` is unset),
  /// `total` divided by the product of the others when it is -1, the entry
  /// itself otherwise.
  static void computeRuntimeSizes(OpBuilder &b, Location loc, Value shape,
                                  ArrayRef<OpFoldResult> inputSizes,
                                  OpFoldResult total, bool allowZero,
                                  MutableArrayRef<OpFoldResult> sizes) {
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    Value minusOne = arith::ConstantIndexOp::create(b, loc, -1);
    SmallVector<Value> entries;
    for (int64_t i = 0, e = sizes.size(); i < e; ++i) {
      Value entry = extractIndex(b, loc, shape, i);
      if (!allowZero && i < static_cast<int64_t>(inputSizes.size())) {
        Value isZero = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                             entry, zero);
        Value inputSize =
            getValueOrCreateConstantIndexOp(b, loc, inputSizes[i]);
        entry = arith::SelectOp::create(b, loc, isZero, inputSize, entry);
      }
      entries.push_back(entry);
    }
    // The product of the known entries, with -1 counted as 1.
    Value known = one;
    SmallVector<Value> isInferred;
    for (Value entry : entries) {
      isInferred.push_back(arith::CmpIOp::create(
          b, loc, arith::CmpIPredicate::eq, entry, minusOne));
      Value factor =
          arith::SelectOp::create(b, loc, isInferred.back(), one, entry);
      known = arith::MulIOp::create(b, loc, known, factor);
    }
    Value inferred = arith::DivUIOp::create(
        b, loc, getValueOrCreateConstantIndexOp(b, loc, total), known);
    for (auto [i, entry] : llvm::enumerate(entries))
      sizes[i] = arith::SelectOp::create(b, loc, isInferred[i], inferred, entry)
                     .getResult();
  }
};

/// graph.flatten -> collapse_shape into two groups split at `axis` (an
/// expand adds the unit dimension when `axis` is 0 or the rank).
struct FlattenLowering : OpConversionPattern<graph::FlattenOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::FlattenOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t rank = inputType.getRank();
    // Flatten's axis is in [-rank, rank]: a negative one counts from `rank`.
    int64_t axis = op.getAxis();
    if (axis < 0)
      axis += rank;
    if (axis < 0 || axis > rank)
      return failLowering(rewriter, op, "axis out of range");

    if (axis > 0 && axis < rank) {
      SmallVector<ReassociationIndices> groups(2);
      for (int64_t i = 0; i < rank; ++i)
        groups[i < axis ? 0 : 1].push_back(i);
      Value collapsed =
          tensor::CollapseShapeOp::create(rewriter, loc, input, groups);
      rewriter.replaceOp(op, castShape(rewriter, loc, collapsed, resultType));
      return success();
    }
    SmallVector<OpFoldResult> inputSizes =
        tensor::getMixedSizes(rewriter, loc, input);
    OpFoldResult total = getProduct(rewriter, loc, inputSizes);
    SmallVector<OpFoldResult> sizes = {rewriter.getIndexAttr(1), total};
    if (axis == rank)
      std::swap(sizes[0], sizes[1]);
    for (int64_t i = 0; i < 2; ++i)
      if (!resultType.isDynamicDim(i))
        sizes[i] = rewriter.getIndexAttr(resultType.getDimSize(i));
    rewriter.replaceOp(op,
                       reshapeTensor(rewriter, loc, input, resultType, sizes,
                                     /*prefix=*/0));
    return success();
  }
};

/// Returns the number of entries of the 1-D tensor `vector`, or nullopt
/// when its length is dynamic.
std::optional<int64_t> getStaticLength(Value vector) {
  int64_t length = cast<RankedTensorType>(vector.getType()).getDimSize(0);
  if (ShapedType::isDynamic(length))
    return std::nullopt;
  return length;
}

/// Returns, for each dimension not `listed` (`i1` values), its position
/// among those dimensions (the number of unlisted dimensions before it).
SmallVector<Value> getUnlistedPositions(OpBuilder &b, Location loc,
                                        ArrayRef<Value> listed) {
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  SmallVector<Value> positions;
  Value count = zero;
  for (Value isListed : listed) {
    positions.push_back(count);
    count = arith::AddIOp::create(
        b, loc, count, arith::SelectOp::create(b, loc, isListed, zero, one));
  }
  return positions;
}

/// Lowers Squeeze with axes read at run time (`entries`): the result is the
/// input reshaped to the sizes of its unlisted dimensions, computed at run
/// time. Checks that the axes are valid and that each listed dimension has
/// size 1; after a failed check the sizes multiply to at most the input's
/// element count, so the reshape stays inside the input.
Value squeezeAtRunTime(OpBuilder &b, graph::SqueezeOp op, Value input,
                       ArrayRef<Value> entries, RankedTensorType resultType) {
  Location loc = op.getLoc();
  auto inputType = cast<RankedTensorType>(input.getType());
  int64_t rank = inputType.getRank();
  RuntimeAxes axes = readRuntimeAxes(b, op, entries, rank, "axes");
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value allUnit = arith::ConstantIntOp::create(b, loc, 1, 1);
  SmallVector<Value> inputSizes;
  for (int64_t d = 0; d < rank; ++d) {
    inputSizes.push_back(getValueOrCreateConstantIndexOp(
        b, loc, tensor::getMixedSize(b, loc, input, d)));
    Value isUnit = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                         inputSizes.back(), one);
    allUnit = arith::AndIOp::create(
        b, loc, allUnit,
        arith::OrIOp::create(
            b, loc, isUnit,
            arith::XOrIOp::create(b, loc, axes.listed[d],
                                  arith::ConstantIntOp::create(b, loc, 1, 1))));
  }
  Value invalid = arith::XOrIOp::create(
      b, loc, axes.valid, arith::ConstantIntOp::create(b, loc, 1, 1));
  createRuntimeCheck(b, op, arith::OrIOp::create(b, loc, allUnit, invalid),
                     "a dimension listed in 'axes' does not have size 1");

  // Result dimension j is the unlisted input dimension at position j.
  SmallVector<Value> positions = getUnlistedPositions(b, loc, axes.listed);
  SmallVector<OpFoldResult> sizes;
  for (int64_t j = 0; j < resultType.getRank(); ++j) {
    Value index = arith::ConstantIndexOp::create(b, loc, j);
    Value size = one;
    for (int64_t d = 0; d < rank; ++d) {
      Value isKept = arith::XOrIOp::create(
          b, loc, axes.listed[d], arith::ConstantIntOp::create(b, loc, 1, 1));
      Value isHere = arith::AndIOp::create(
          b, loc, isKept,
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, positions[d],
                                index));
      size = arith::SelectOp::create(b, loc, isHere, inputSizes[d], size);
    }
    sizes.push_back(size);
  }
  Value result = reshapeTensor(b, loc, input,
                               resultType.clone(getStaticSizes(sizes)), sizes,
                               /*prefix=*/0);
  return castToDeclaredShape(b, op, result, resultType, "result");
}

/// graph.squeeze -> collapse_shape dropping the unit dimensions. A listed
/// dimension of unknown size is first cast to size 1 (ONNX requires it).
/// Axes known only at run time: see squeezeAtRunTime.
struct SqueezeLowering : OpConversionPattern<graph::SqueezeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::SqueezeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getData();
    auto inputType = cast<RankedTensorType>(input.getType());
    int64_t rank = inputType.getRank();
    SmallVector<bool> removed(rank, false);
    if (op.getAxes()) {
      std::optional<SmallVector<int64_t>> axes =
          getConstantList(op.getAxes(), adaptor.getAxes());
      if (!axes) {
        if (!getStaticLength(adaptor.getAxes()))
          return failLowering(rewriter, 
              op, "'axes' must have a static length");
        auto resultType = cast<RankedTensorType>(op.getType());
        SmallVector<Value> entries =
            readIndexEntries(rewriter, loc, op.getAxes(), adaptor.getAxes());
        rewriter.replaceOp(
            op, squeezeAtRunTime(rewriter, op, input, entries, resultType));
        return success();
      }
      for (int64_t axis : *axes) {
        FailureOr<int64_t> normalized =
            normalizeAxisOrFail(rewriter, op, axis, rank);
        if (failed(normalized))
          return failure();
        removed[*normalized] = true;
      }
    } else {
      for (int64_t i = 0; i < rank; ++i)
        removed[i] = inputType.getDimSize(i) == 1;
    }
    SmallVector<int64_t> unitShape(inputType.getShape());
    for (int64_t i = 0; i < rank; ++i)
      if (removed[i])
        unitShape[i] = 1;
    Value unit = castShape(rewriter, loc, input, inputType.clone(unitShape));
    Value collapsed = collapseUnitDims(rewriter, loc, unit, removed);
    rewriter.replaceOp(op, castShape(rewriter, loc, collapsed, op.getType()));
    return success();
  }
};

/// Lowers Unsqueeze with axes read at run time (`entries`): the result is
/// the input reshaped to sizes computed at run time, 1 at the listed
/// dimensions and the input's sizes in order elsewhere. Checks that the axes
/// are valid (after a failed check the listed dimensions fall back to the
/// leading ones, so the sizes still multiply to the input's element count).
Value unsqueezeAtRunTime(OpBuilder &b, graph::UnsqueezeOp op, Value input,
                         ArrayRef<Value> entries, RankedTensorType resultType) {
  Location loc = op.getLoc();
  int64_t rank = resultType.getRank();
  RuntimeAxes axes = readRuntimeAxes(b, op, entries, rank, "axes");
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  SmallVector<Value> inputSizes;
  for (OpFoldResult size : tensor::getMixedSizes(b, loc, input))
    inputSizes.push_back(getValueOrCreateConstantIndexOp(b, loc, size));
  SmallVector<Value> positions = getUnlistedPositions(b, loc, axes.listed);
  SmallVector<OpFoldResult> sizes;
  for (int64_t j = 0; j < rank; ++j) {
    Value inputSize = selectByPosition(b, loc, positions[j], inputSizes, one);
    sizes.push_back(
        arith::SelectOp::create(b, loc, axes.listed[j], one, inputSize)
            .getResult());
  }
  Value result = reshapeTensor(b, loc, input,
                               resultType.clone(getStaticSizes(sizes)), sizes,
                               /*prefix=*/0);
  return castToDeclaredShape(b, op, result, resultType, "result");
}

/// graph.unsqueeze -> expand_shape adding the unit dimensions. Axes known
/// only at run time: see unsqueezeAtRunTime.
struct UnsqueezeLowering : OpConversionPattern<graph::UnsqueezeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::UnsqueezeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t rank = resultType.getRank();
    std::optional<SmallVector<int64_t>> axes =
        getConstantList(op.getAxes(), adaptor.getAxes());
    if (!axes) {
      if (!getStaticLength(adaptor.getAxes()))
        return failLowering(rewriter, 
            op, "'axes' must have a static length");
      SmallVector<Value> entries = readIndexEntries(
          rewriter, op.getLoc(), op.getAxes(), adaptor.getAxes());
      rewriter.replaceOp(op, unsqueezeAtRunTime(rewriter, op, adaptor.getData(),
                                                entries, resultType));
      return success();
    }
    SmallVector<bool> inserted(rank, false);
    for (int64_t axis : *axes) {
      FailureOr<int64_t> normalized =
          normalizeAxisOrFail(rewriter, op, axis, rank);
      if (failed(normalized))
        return failure();
      inserted[*normalized] = true;
    }
    Value expanded =
        expandUnitDims(rewriter, op.getLoc(), adaptor.getData(), inserted);
    rewriter.replaceOp(op,
                       castShape(rewriter, op.getLoc(), expanded, resultType));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Transpose, Concat, Split
//===----------------------------------------------------------------------===//

/// graph.transpose -> linalg.transpose.
struct TransposeLowering : OpConversionPattern<graph::TransposeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto resultType = cast<RankedTensorType>(op.getType());
    ArrayRef<int64_t> perm = op.getPerm();
    SmallVector<OpFoldResult> inputSizes =
        tensor::getMixedSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> sizes;
    for (int64_t source : perm)
      sizes.push_back(inputSizes[source]);
    Value init = createEmptyWithSizes(rewriter, loc, resultType, sizes);
    auto transpose =
        linalg::TransposeOp::create(rewriter, loc, input, init, perm);
    rewriter.replaceOp(op, transpose.getResult());
    return success();
  }
};

/// graph.concat -> `tensor.insert_slice` of each operand into one
/// `tensor.empty`. Off the axis, an operand's size that is not provably
/// the first operand's is checked at run time; after a failed check only
/// the part that fits in the result is inserted.
struct ConcatLowering : OpConversionPattern<graph::ConcatOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t rank = resultType.getRank();
    FailureOr<int64_t> normalized =
        normalizeAxisOrFail(rewriter, op, op.getAxis(), rank);
    if (failed(normalized))
      return failure();
    int64_t axis = *normalized;
    ValueRange inputs = adaptor.getInputs();

    // The result has the first operand's sizes except along `axis`.
    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, inputs.front());
    SmallVector<OpFoldResult> axisSizes;
    for (Value input : inputs)
      axisSizes.push_back(tensor::getMixedSize(rewriter, loc, input, axis));
    OpFoldResult axisTotal = rewriter.getIndexAttr(0);
    for (OpFoldResult size : axisSizes)
      axisTotal = add(rewriter, loc, axisTotal, size);
    sizes[axis] = axisTotal;
    Value result = createEmptyWithSizes(rewriter, loc, resultType, sizes);

    OpFoldResult offset = rewriter.getIndexAttr(0);
    SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
    for (auto [index, input, axisSize] : llvm::enumerate(inputs, axisSizes)) {
      // An operand empty along the axis adds nothing (and its slice would
      // start past the end of the result, which the slice verifier rejects).
      if (isZeroInteger(axisSize))
        continue;
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
      offsets[axis] = offset;
      SmallVector<OpFoldResult> inputSizes =
          tensor::getMixedSizes(rewriter, loc, input);
      bool clamped = false;
      for (int64_t i = 0; i < rank; ++i) {
        if (i == axis || isEqualConstantIntOrValue(inputSizes[i], sizes[i]))
          continue;
        checkSameSize(rewriter, op, inputSizes[i], sizes[i],
                      "dimension " + Twine(i) + " of input " + Twine(index) +
                          " differs from input 0's (only the axis " +
                          Twine(axis) + " may differ)");
        inputSizes[i] =
            arith::MinSIOp::create(
                rewriter, loc,
                getValueOrCreateConstantIndexOp(rewriter, loc, inputSizes[i]),
                getValueOrCreateConstantIndexOp(rewriter, loc, sizes[i]))
                .getResult();
        clamped = true;
      }
      Value source = input;
      if (clamped)
        source = extractSlice(
            rewriter, loc, input,
            SmallVector<OpFoldResult>(rank, rewriter.getIndexAttr(0)),
            inputSizes, strides);
      result = tensor::InsertSliceOp::create(rewriter, loc, source, result,
                                             offsets, inputSizes, strides);
      offset = add(rewriter, loc, offset, axisSize);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Reads Split's `split` sizes at run time and returns the size of each
/// piece along `axis`, of size `axisSize`. Checks that no size is negative
/// and that they add up to the axis; the pieces are clamped into the axis
/// (so that they stay inside it after a failed check).
SmallVector<OpFoldResult> readRuntimeSplit(OpBuilder &b, graph::SplitOp op,
                                           Value split, OpFoldResult axisSize,
                                           int64_t axis) {
  Location loc = op.getLoc();
  using P = arith::CmpIPredicate;
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value dim = getValueOrCreateConstantIndexOp(b, loc, axisSize);
  SmallVector<Value> entries = readIndexEntries(b, loc, op.getSplit(), split);
  Value nonNegative = arith::ConstantIntOp::create(b, loc, 1, 1);
  Value total = zero;
  for (Value entry : entries) {
    nonNegative = arith::AndIOp::create(
        b, loc, nonNegative,
        arith::CmpIOp::create(b, loc, P::sge, entry, zero));
    total = arith::AddIOp::create(b, loc, total, entry);
  }
  createRuntimeCheck(b, op, nonNegative, "a 'split' entry is negative");
  createRuntimeCheck(b, op, arith::CmpIOp::create(b, loc, P::eq, total, dim),
                     "the 'split' entries do not add up to the size of axis " +
                         Twine(axis));
  SmallVector<OpFoldResult> pieceSizes;
  // An empty axis has empty pieces (the slice verifier wants them static).
  if (isZeroInteger(axisSize)) {
    pieceSizes.assign(entries.size(), b.getIndexAttr(0));
    return pieceSizes;
  }
  Value offset = zero;
  for (Value entry : entries) {
    Value left = arith::SubIOp::create(b, loc, dim, offset);
    Value size = arith::MinSIOp::create(
        b, loc, arith::MaxSIOp::create(b, loc, entry, zero), left);
    pieceSizes.push_back(size);
    offset = arith::AddIOp::create(b, loc, offset, size);
  }
  return pieceSizes;
}

/// graph.split -> one `tensor.extract_slice` per result. Sizes known only
/// at run time: see readRuntimeSplit.
struct SplitLowering : OpConversionPattern<graph::SplitOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::SplitOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    int64_t rank = inputType.getRank();
    FailureOr<int64_t> normalized =
        normalizeAxisOrFail(rewriter, op, op.getAxis(), rank);
    if (failed(normalized))
      return failure();
    int64_t axis = *normalized;
    int64_t numOutputs = op.getNumResults();

    // The size of every piece along `axis`.
    SmallVector<OpFoldResult> pieceSizes;
    OpFoldResult axisSize = tensor::getMixedSize(rewriter, loc, input, axis);
    if (op.getSplit()) {
      std::optional<int64_t> length = getStaticLength(adaptor.getSplit());
      if (!length)
        return failLowering(rewriter, 
            op, "'split' must have a static length");
      if (*length != numOutputs)
        return failLowering(rewriter, op, "'split' length != results");
      if (std::optional<SmallVector<int64_t>> split =
              getConstantList(op.getSplit(), adaptor.getSplit())) {
        for (int64_t size : *split)
          pieceSizes.push_back(rewriter.getIndexAttr(size));
      } else {
        pieceSizes =
            readRuntimeSplit(rewriter, op, adaptor.getSplit(), axisSize, axis);
      }
    } else if (std::optional<int64_t> staticSize =
                   getConstantIntValue(axisSize)) {
      int64_t piece = llvm::divideCeil(*staticSize, numOutputs);
      for (int64_t i = 0; i < numOutputs; ++i)
        pieceSizes.push_back(rewriter.getIndexAttr(
            std::clamp<int64_t>(*staticSize - i * piece, 0, piece)));
    } else {
      // ceil(dim / n) for every piece but the last, which takes the rest.
      Value dim = getValueOrCreateConstantIndexOp(rewriter, loc, axisSize);
      Value count = arith::ConstantIndexOp::create(rewriter, loc, numOutputs);
      Value piece = arith::CeilDivUIOp::create(rewriter, loc, dim, count);
      Value others = arith::MulIOp::create(
          rewriter, loc, piece,
          arith::ConstantIndexOp::create(rewriter, loc, numOutputs - 1));
      Value last = arith::SubIOp::create(rewriter, loc, dim, others);
      for (int64_t i = 0; i + 1 < numOutputs; ++i)
        pieceSizes.push_back(piece);
      pieceSizes.push_back(last);
    }

    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
    SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
    SmallVector<Value> results;
    for (auto [pieceSize, result] : llvm::zip(pieceSizes, op.getResults())) {
      sizes[axis] = pieceSize;
      Value slice = extractSlice(rewriter, loc, input, offsets, sizes, strides);
      results.push_back(castToDeclaredShape(
          rewriter, op, slice, cast<RankedTensorType>(result.getType()),
          "result " + std::to_string(result.getResultNumber())));
      offsets[axis] = add(rewriter, loc, offsets[axis], pieceSize);
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Slice
//===----------------------------------------------------------------------===//

/// The part of one dimension that Slice keeps: `size` elements from
/// `start`, `step` apart.
struct SliceRange {
  OpFoldResult start;
  OpFoldResult size;
  int64_t step = 1;
};

/// Returns the range of a dimension of static size `dim` that
/// `start:end:step` selects, with numpy's clamping
/// (graph::getStaticSliceBounds).
SliceRange getStaticSliceRange(OpBuilder &b, int64_t dim, int64_t start,
                               int64_t end, int64_t step) {
  graph::SliceBounds bounds =
      graph::getStaticSliceBounds(dim, start, end, step);
  return {b.getIndexAttr(bounds.start), b.getIndexAttr(bounds.count), step};
}

/// Returns the range of a dimension of run-time size `dim` that
/// `start:end:step` (with `step` > 0) selects, with numpy's clamping.
SliceRange getDynamicSliceRange(OpBuilder &b, Location loc, Value dim,
                                int64_t start, int64_t end, int64_t step) {
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  auto normalize = [&](int64_t bound) -> Value {
    if (bound >= 0)
      return arith::MinSIOp::create(
          b, loc, arith::ConstantIndexOp::create(b, loc, bound), dim);
    // bound + dim, clamped at 0 (bound may be far below -dim).
    Value shifted = arith::AddIOp::create(
        b, loc, dim,
        arith::ConstantIndexOp::create(
            b, loc,
            std::max<int64_t>(bound, std::numeric_limits<int32_t>::min())));
    return arith::MaxSIOp::create(b, loc, shifted, zero);
  };
  Value first = normalize(start);
  Value last = normalize(end);
  Value extent = arith::MaxSIOp::create(
      b, loc, arith::SubIOp::create(b, loc, last, first), zero);
  Value size = arith::CeilDivSIOp::create(
      b, loc, extent, arith::ConstantIndexOp::create(b, loc, step));
  return {first, size, step};
}

/// Returns the first index and the element count that `start:end:step`
/// selects in a dimension of size `dim`, all run-time `index` values (`step`
/// is not 0), with ONNX's clamping: for a positive step the bounds are
/// clamped into [0, dim], for a negative one `start` into [0, dim - 1] and
/// `end` into [-1, dim - 1]. Constant operands fold.
std::pair<Value, Value> getRuntimeSliceRange(OpBuilder &b, Location loc,
                                             Value dim, Value start, Value end,
                                             Value step) {
  using P = arith::CmpIPredicate;
  auto constant = [&](int64_t value) -> Value {
    return arith::ConstantIndexOp::create(b, loc, value);
  };
  auto select = [&](Value condition, Value lhs, Value rhs) {
    return b.createOrFold<arith::SelectOp>(loc, condition, lhs, rhs);
  };
  auto compare = [&](P predicate, Value lhs, Value rhs) {
    return b.createOrFold<arith::CmpIOp>(loc, predicate, lhs, rhs);
  };
  auto clamp = [&](Value value, Value low, Value high) {
    return b.createOrFold<arith::MaxSIOp>(
        loc, b.createOrFold<arith::MinSIOp>(loc, value, high), low);
  };
  auto subtract = [&](Value lhs, Value rhs) {
    return b.createOrFold<arith::SubIOp>(loc, lhs, rhs);
  };
  auto wrap = [&](Value bound) {
    return select(compare(P::slt, bound, constant(0)),
                  b.createOrFold<arith::AddIOp>(loc, bound, dim), bound);
  };
  Value zero = constant(0);
  Value last = subtract(dim, constant(1));
  Value forward = compare(P::sgt, step, zero);
  Value first = select(forward, clamp(wrap(start), zero, dim),
                       clamp(wrap(start), zero, last));
  Value stop = select(forward, clamp(wrap(end), zero, dim),
                      clamp(wrap(end), constant(-1), last));
  // The distance covered, in the direction of the step.
  Value extent = select(forward, subtract(stop, first), subtract(first, stop));
  Value stride = select(forward, step, subtract(zero, step));
  Value size = b.createOrFold<arith::CeilDivSIOp>(
      loc, b.createOrFold<arith::MaxSIOp>(loc, extent, zero), stride);
  // An empty dimension selects nothing (its clamped bounds do not say so).
  size = select(compare(P::eq, dim, zero), zero, size);
  return {first, size};
}

/// graph.slice -> `tensor.extract_slice` for the positive steps, then a
/// `linalg.generic` reading backwards for the negative ones, when every
/// parameter is a constant and the negative steps are on dimensions of known
/// size; otherwise see sliceAtRunTime.
struct SliceLowering : OpConversionPattern<graph::SliceOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getData();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t rank = inputType.getRank();

    std::optional<SmallVector<int64_t>> starts =
        getConstantList(op.getStarts(), adaptor.getStarts());
    std::optional<SmallVector<int64_t>> ends =
        getConstantList(op.getEnds(), adaptor.getEnds());
    if (!starts || !ends)
      return sliceAtRunTime(op, adaptor, rewriter);
    SmallVector<int64_t> axes;
    if (op.getAxes()) {
      std::optional<SmallVector<int64_t>> values =
          getConstantList(op.getAxes(), adaptor.getAxes());
      if (!values)
        return sliceAtRunTime(op, adaptor, rewriter);
      axes = *values;
    } else {
      axes.resize(starts->size());
      std::iota(axes.begin(), axes.end(), 0);
    }
    SmallVector<int64_t> steps(starts->size(), 1);
    if (op.getSteps()) {
      std::optional<SmallVector<int64_t>> values =
          getConstantList(op.getSteps(), adaptor.getSteps());
      if (!values)
        return sliceAtRunTime(op, adaptor, rewriter);
      steps = *values;
    }
    if (ends->size() != starts->size() || axes.size() != starts->size() ||
        steps.size() != starts->size())
      return failLowering(rewriter, op, "parameter lengths differ");

    // Every dimension starts as the whole of it.
    SmallVector<SliceRange> ranges;
    for (int64_t i = 0; i < rank; ++i)
      ranges.push_back({rewriter.getIndexAttr(0),
                        tensor::getMixedSize(rewriter, loc, input, i), 1});
    for (auto [start, end, axis, step] :
         llvm::zip(*starts, *ends, axes, steps)) {
      FailureOr<int64_t> normalized =
          normalizeAxisOrFail(rewriter, op, axis, rank);
      if (failed(normalized))
        return failure();
      if (step == 0)
        return failLowering(rewriter, op, "step is 0");
      int64_t dim = *normalized;
      if (!inputType.isDynamicDim(dim)) {
        ranges[dim] = getStaticSliceRange(rewriter, inputType.getDimSize(dim),
                                          start, end, step);
      } else if (step > 0) {
        Value size = tensor::DimOp::create(rewriter, loc, input, dim);
        ranges[dim] =
            getDynamicSliceRange(rewriter, loc, size, start, end, step);
      } else {
        return sliceAtRunTime(op, adaptor, rewriter);
      }
    }

    // The positive steps select a strided view.
    SmallVector<OpFoldResult> offsets, sizes, strides;
    bool hasNegativeStep = false;
    for (const SliceRange &range : ranges) {
      bool forward = range.step > 0;
      hasNegativeStep |= !forward;
      offsets.push_back(forward ? range.start : rewriter.getIndexAttr(0));
      // A reversed dimension keeps elements 0 to start (none when empty).
      int64_t reversedSize = 0;
      if (!forward && getConstantIntValue(range.size) != 0)
        reversedSize = getConstantIntValue(range.start).value() + 1;
      sizes.push_back(forward ? range.size
                              : rewriter.getIndexAttr(reversedSize));
      strides.push_back(rewriter.getIndexAttr(forward ? range.step : 1));
    }
    Value view = extractSlice(rewriter, loc, input, offsets, sizes, strides);
    if (!hasNegativeStep) {
      rewriter.replaceOp(op, castShape(rewriter, loc, view, resultType));
      return success();
    }

    // The negative steps read the view backwards: element `i` of a reversed
    // dimension is element `start + i * step` of the view.
    MLIRContext *context = rewriter.getContext();
    SmallVector<AffineExpr> readExprs;
    SmallVector<OpFoldResult> resultSizes;
    for (auto [i, range] : llvm::enumerate(ranges)) {
      AffineExpr index = getAffineDimExpr(i, context);
      if (range.step > 0) {
        readExprs.push_back(index);
        resultSizes.push_back(sizes[i]);
        continue;
      }
      int64_t start = getConstantIntValue(range.start).value();
      readExprs.push_back(index * range.step + start);
      resultSizes.push_back(range.size);
    }
    auto viewType = cast<RankedTensorType>(view.getType());
    SmallVector<int64_t> staticSizes;
    for (OpFoldResult size : resultSizes)
      staticSizes.push_back(
          getConstantIntValue(size).value_or(ShapedType::kDynamic));
    auto reversedType = viewType.clone(staticSizes);
    Value reversed = createMappedCopy(
        rewriter, loc, view, AffineMap::get(rank, 0, readExprs, context),
        reversedType, resultSizes);
    rewriter.replaceOp(op, castShape(rewriter, loc, reversed, resultType));
    return success();
  }

private:
  /// Lowers a Slice whose parameters are (partly) known only at run time,
  /// or that has a negative step on a dimension of unknown size: computes
  /// each dimension's first element, size and step at run time with ONNX's
  /// clamping, then takes a `tensor.extract_slice` when every step is a
  /// positive constant and otherwise a copy that reads element
  /// `start + i * step`. Checks that no step is 0 and that the axes are
  /// valid; the clamped ranges keep every read inside the input whatever
  /// the values.
  static LogicalResult sliceAtRunTime(graph::SliceOp op, OpAdaptor adaptor,
                                      ConversionPatternRewriter &rewriter) {
    Location loc = op.getLoc();
    Value input = adaptor.getData();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t rank = inputType.getRank();
    std::optional<int64_t> count = getStaticLength(adaptor.getStarts());
    if (!count)
      return failLowering(rewriter, 
          op, "'starts' must have a static length");
    for (Value parameter :
         {adaptor.getEnds(), adaptor.getAxes(), adaptor.getSteps()})
      if (parameter && getStaticLength(parameter) != count)
        return failLowering(rewriter, op, "parameter lengths differ");

    SmallVector<Value> starts =
        readIndexEntries(rewriter, loc, op.getStarts(), adaptor.getStarts());
    SmallVector<Value> ends =
        readIndexEntries(rewriter, loc, op.getEnds(), adaptor.getEnds());
    SmallVector<Value> axes;
    if (!op.getAxes()) {
      if (*count > rank)
        return failLowering(rewriter, op, "more starts than dimensions");
      for (int64_t i = 0; i < *count; ++i)
        axes.push_back(arith::ConstantIndexOp::create(rewriter, loc, i));
    } else if (std::optional<SmallVector<int64_t>> values =
                   getConstantList(op.getAxes(), adaptor.getAxes())) {
      for (int64_t axis : *values) {
        FailureOr<int64_t> normalized =
            normalizeAxisOrFail(rewriter, op, axis, rank);
        if (failed(normalized))
          return failure();
        axes.push_back(
            arith::ConstantIndexOp::create(rewriter, loc, *normalized));
      }
    } else {
      SmallVector<Value> entries =
          readIndexEntries(rewriter, loc, op.getAxes(), adaptor.getAxes());
      axes = readRuntimeAxes(rewriter, op, entries, rank, "axes").axes;
    }

    // Steps: 0 is reported and read as 1; the magnitude is capped so that
    // negating it cannot overflow (a step this long selects one element).
    using P = arith::CmpIPredicate;
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    SmallVector<Value> steps;
    bool positiveSteps = true;
    if (op.getSteps()) {
      Value nonZero = arith::ConstantIntOp::create(rewriter, loc, 1, 1);
      Value limit =
          arith::ConstantIndexOp::create(rewriter, loc, int64_t(1) << 62);
      Value negativeLimit =
          arith::ConstantIndexOp::create(rewriter, loc, -(int64_t(1) << 62));
      for (Value step :
           readIndexEntries(rewriter, loc, op.getSteps(), adaptor.getSteps())) {
        std::optional<int64_t> known = getConstantIntValue(step);
        if (known == 0)
          return failLowering(rewriter, op, "step is 0");
        positiveSteps &= known > 0;
        if (known) {
          steps.push_back(step);
          continue;
        }
        Value isZero = arith::CmpIOp::create(rewriter, loc, P::eq, step, zero);
        nonZero = arith::AndIOp::create(
            rewriter, loc, nonZero,
            arith::XOrIOp::create(
                rewriter, loc, isZero,
                arith::ConstantIntOp::create(rewriter, loc, 1, 1)));
        step = arith::SelectOp::create(rewriter, loc, isZero, one, step);
        step = arith::MaxSIOp::create(
            rewriter, loc, arith::MinSIOp::create(rewriter, loc, step, limit),
            negativeLimit);
        steps.push_back(step);
      }
      createRuntimeCheck(rewriter, op, nonZero, "a 'steps' entry is 0");
    } else {
      steps.assign(*count, one);
    }

    // Each dimension's parameters: the last entry naming it, else all of it.
    SmallVector<Value> firsts, sizes, strides;
    for (int64_t d = 0; d < rank; ++d) {
      Value dim = getValueOrCreateConstantIndexOp(
          rewriter, loc, tensor::getMixedSize(rewriter, loc, input, d));
      Value start = zero, end = dim, step = one;
      Value dimension = arith::ConstantIndexOp::create(rewriter, loc, d);
      for (int64_t k = 0; k < *count; ++k) {
        std::optional<int64_t> axis = getConstantIntValue(axes[k]);
        if (axis && *axis != d)
          continue;
        if (axis) {
          start = starts[k], end = ends[k], step = steps[k];
          continue;
        }
        Value names =
            arith::CmpIOp::create(rewriter, loc, P::eq, axes[k], dimension);
        start = arith::SelectOp::create(rewriter, loc, names, starts[k], start);
        end = arith::SelectOp::create(rewriter, loc, names, ends[k], end);
        step = arith::SelectOp::create(rewriter, loc, names, steps[k], step);
      }
      auto [first, size] =
          getRuntimeSliceRange(rewriter, loc, dim, start, end, step);
      firsts.push_back(first);
      sizes.push_back(size);
      strides.push_back(step);
    }

    SmallVector<OpFoldResult> resultSizes = getAsOpFoldResult(sizes);
    Value result;
    if (positiveSteps) {
      result = extractSlice(rewriter, loc, input, getAsOpFoldResult(firsts),
                            resultSizes, getAsOpFoldResult(strides));
    } else {
      result = createIndexedCopy(
          rewriter, loc, resultType.clone(getStaticSizes(resultSizes)),
          resultSizes,
          [&](OpBuilder &b, Location nestedLoc, ArrayRef<Value> coordinates) {
            SmallVector<Value> source;
            for (int64_t d = 0; d < rank; ++d)
              source.push_back(arith::AddIOp::create(
                  b, nestedLoc, firsts[d],
                  arith::MulIOp::create(b, nestedLoc, coordinates[d],
                                        strides[d])));
            return tensor::ExtractOp::create(b, nestedLoc, input, source)
                .getResult();
          });
    }
    rewriter.replaceOp(
        op, castToDeclaredShape(rewriter, op, result, resultType, "result"));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Gather, Expand
//===----------------------------------------------------------------------===//

/// Emits the check of `op` that every element of `indices` lies in
/// `[-axisSize, axisSize)` (onnxruntime rejects the others), unless
/// `original` (the op's indices operand) is a constant whose entries all do
/// and `axisSize` is static.
void checkGatherIndices(OpBuilder &b, Operation *op, Value original,
                        Value indices, OpFoldResult axisSize) {
  std::optional<int64_t> staticSize = getConstantIntValue(axisSize);
  if (std::optional<SmallVector<int64_t>> values =
          getConstantList(original, indices);
      values && staticSize && llvm::all_of(*values, [&](int64_t index) {
        return index >= -*staticSize && index < *staticSize;
      }))
    return;
  Location loc = op->getLoc();
  Value size = getValueOrCreateConstantIndexOp(b, loc, axisSize);
  std::string range = formatIndexRange(axisSize);
  checkEveryElement(
      b, op, indices,
      [&](OpBuilder &nested, Location nestedLoc, Value index, ArrayRef<Value>) {
        return isIndexInRange(nested, nestedLoc, index, size);
      },
      "an index is outside " + range);
}

/// graph.gather -> a `linalg.generic` over the result that reads the index
/// and loads the data element with `tensor.extract`. Negative indices count
/// from the back; indices outside the dimension fail a run-time check, and
/// are clamped into it after that (see wrapAndClampIndex).
struct GatherLowering : OpConversionPattern<graph::GatherOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = adaptor.getData();
    Value indices = adaptor.getIndices();
    auto dataType = cast<RankedTensorType>(data.getType());
    auto indicesType = cast<RankedTensorType>(indices.getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t dataRank = dataType.getRank();
    int64_t indicesRank = indicesType.getRank();
    int64_t resultRank = resultType.getRank();
    FailureOr<int64_t> normalized =
        normalizeAxisOrFail(rewriter, op, op.getAxis(), dataRank);
    if (failed(normalized))
      return failure();
    int64_t axis = *normalized;

    // Result sizes: data[:axis], indices, data[axis+1:].
    SmallVector<OpFoldResult> dataSizes =
        tensor::getMixedSizes(rewriter, loc, data);
    SmallVector<OpFoldResult> indicesSizes =
        tensor::getMixedSizes(rewriter, loc, indices);
    SmallVector<OpFoldResult> sizes(dataSizes.begin(),
                                    dataSizes.begin() + axis);
    llvm::append_range(sizes, indicesSizes);
    sizes.append(dataSizes.begin() + axis + 1, dataSizes.end());
    Value init = createEmptyWithSizes(rewriter, loc, resultType, sizes);
    checkGatherIndices(rewriter, op, op.getIndices(), indices, dataSizes[axis]);
    Value axisSize =
        getValueOrCreateConstantIndexOp(rewriter, loc, dataSizes[axis]);

    MLIRContext *context = rewriter.getContext();
    SmallVector<AffineExpr> indexExprs;
    for (int64_t i = 0; i < indicesRank; ++i)
      indexExprs.push_back(getAffineDimExpr(axis + i, context));
    SmallVector<AffineMap> maps = {
        AffineMap::get(resultRank, 0, indexExprs, context),
        rewriter.getMultiDimIdentityMap(resultRank)};
    SmallVector<utils::IteratorType> iterators(resultRank,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{indices},
        ValueRange{init}, maps, iterators,
        [&](OpBuilder &b, Location nestedLoc, ValueRange args) {
          Value index = wrapAndClampIndex(b, nestedLoc, args[0], axisSize);
          SmallVector<Value> coordinates;
          for (int64_t i = 0; i < axis; ++i)
            coordinates.push_back(linalg::IndexOp::create(b, nestedLoc, i));
          coordinates.push_back(index);
          for (int64_t i = axis + 1; i < dataRank; ++i)
            coordinates.push_back(
                linalg::IndexOp::create(b, nestedLoc, i - 1 + indicesRank));
          Value element =
              tensor::ExtractOp::create(b, nestedLoc, data, coordinates);
          linalg::YieldOp::create(b, nestedLoc, element);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// graph.expand -> a broadcasting `linalg.generic` copy. Result sizes the
/// type leaves dynamic come from the target shape at run time (an entry of
/// 1 keeps the input's size).
struct ExpandLowering : OpConversionPattern<graph::ExpandOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::ExpandOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    Value shape = adaptor.getShape();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t resultRank = resultType.getRank();
    int64_t inputOffset = resultRank - inputType.getRank();
    int64_t shapeOffset =
        resultRank - cast<RankedTensorType>(shape.getType()).getDimSize(0);

    SmallVector<OpFoldResult> sizes;
    for (int64_t i = 0; i < resultRank; ++i) {
      if (!resultType.isDynamicDim(i)) {
        sizes.push_back(rewriter.getIndexAttr(resultType.getDimSize(i)));
        continue;
      }
      Value inputSize;
      if (i >= inputOffset)
        inputSize =
            tensor::DimOp::create(rewriter, loc, input, i - inputOffset);
      Value entry;
      if (i >= shapeOffset)
        entry = extractIndex(rewriter, loc, shape, i - shapeOffset);
      if (!entry) {
        sizes.push_back(inputSize);
      } else if (!inputSize) {
        sizes.push_back(entry);
      } else {
        Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
        Value isOne = arith::CmpIOp::create(
            rewriter, loc, arith::CmpIPredicate::eq, entry, one);
        sizes.push_back(
            arith::SelectOp::create(rewriter, loc, isOne, inputSize, entry)
                .getResult());
      }
    }
    // A dynamic input dimension read as is must have the result's size; where
    // the target shape may make it broadcast (a run-time size of 1 against
    // an entry that is not), the input is broadcast at run time, after a
    // check that its size is 1 or the result's.
    SmallVector<int64_t> uncertainDims;
    SmallVector<OpFoldResult> targetSizes;
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    for (int64_t dim = 0; dim < inputType.getRank(); ++dim) {
      int64_t i = dim + inputOffset;
      targetSizes.push_back(sizes[i]);
      bool certain = resultType.isDynamicDim(i) ? i < shapeOffset
                                                : resultType.getDimSize(i) == 1;
      if (!inputType.isDynamicDim(dim) || certain)
        continue;
      Value size = tensor::DimOp::create(rewriter, loc, input, dim);
      Value resultSize = getValueOrCreateConstantIndexOp(rewriter, loc, sizes[i]);
      Value isOne = rewriter.createOrFold<arith::CmpIOp>(
          loc, arith::CmpIPredicate::eq, size, one);
      Value isResult = rewriter.createOrFold<arith::CmpIOp>(
          loc, arith::CmpIPredicate::eq, size, resultSize);
      createRuntimeCheck(
          rewriter, op, rewriter.createOrFold<arith::OrIOp>(loc, isOne, isResult),
          "dimension " + Twine(dim) +
              " of the input is neither 1 nor the target shape's size (they "
              "do not broadcast)");
      uncertainDims.push_back(dim);
    }
    if (!uncertainDims.empty()) {
      input = createRuntimeBroadcast(rewriter, loc, input, uncertainDims,
                                     targetSizes);
      inputType = cast<RankedTensorType>(input.getType());
    }
    rewriter.replaceOp(
        op, createMappedCopy(rewriter, loc, input,
                             getBroadcastIndexingMap(inputType.getShape(),
                                                     resultType.getShape(),
                                                     rewriter.getContext()),
                             resultType, sizes));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Size, Trilu
//===----------------------------------------------------------------------===//

/// graph.size -> the product of the input's sizes in a rank-0 tensor.
struct SizeLowering : OpConversionPattern<graph::SizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::SizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    OpFoldResult size =
        getProduct(rewriter, loc,
                   tensor::getMixedSizes(rewriter, loc, adaptor.getInput()));
    if (std::optional<int64_t> value = getConstantIntValue(size)) {
      rewriter.replaceOpWithNewOp<arith::ConstantOp>(
          op, DenseElementsAttr::get(resultType, *value));
      return success();
    }
    Value count = arith::IndexCastOp::create(
        rewriter, loc, resultType.getElementType(),
        getValueOrCreateConstantIndexOp(rewriter, loc, size));
    rewriter.replaceOpWithNewOp<tensor::FromElementsOp>(op, resultType, count);
    return success();
  }
};

/// graph.trilu -> a `linalg.generic` that keeps the element at row `i`,
/// column `j` of each matrix when `j - i >= k` (upper) or `j - i <= k`
/// (lower), and writes zero elsewhere.
struct TriluLowering : OpConversionPattern<graph::TriluOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::TriluOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    // arith only accepts signless integers.
    Value input = castToSignless(rewriter, loc, adaptor.getInput());
    auto resultType =
        getSignlessTensorType(cast<RankedTensorType>(op.getType()));
    int64_t rank = resultType.getRank();
    Value k = arith::ConstantIndexOp::create(rewriter, loc, 0);
    if (Value kTensor = adaptor.getK())
      k = arith::IndexCastOp::create(
          rewriter, loc, rewriter.getIndexType(),
          tensor::ExtractOp::create(rewriter, loc, kTensor, ValueRange{}));
    Value init = createEmptyWithSizes(
        rewriter, loc, resultType, tensor::getMixedSizes(rewriter, loc, input));
    SmallVector<AffineMap> maps(2, rewriter.getMultiDimIdentityMap(rank));
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    bool upper = op.getUpper();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{input},
        ValueRange{init}, maps, iterators,
        [&](OpBuilder &b, Location nestedLoc, ValueRange args) {
          Value row = linalg::IndexOp::create(b, nestedLoc, rank - 2);
          Value column = linalg::IndexOp::create(b, nestedLoc, rank - 1);
          Value diagonal = arith::SubIOp::create(b, nestedLoc, column, row);
          Value keep = arith::CmpIOp::create(b, nestedLoc,
                                             upper ? arith::CmpIPredicate::sge
                                                   : arith::CmpIPredicate::sle,
                                             diagonal, k);
          Value zero = arith::ConstantOp::create(
              b, nestedLoc, b.getZeroAttr(args[0].getType()));
          linalg::YieldOp::create(
              b, nestedLoc,
              arith::SelectOp::create(b, nestedLoc, keep, args[0], zero)
                  .getResult());
        });
    rewriter.replaceOp(op, castToType(rewriter, loc, generic.getResult(0),
                                      cast<RankedTensorType>(op.getType())));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Index-computing copies: GatherElements, Tile, Pad, DepthToSpace,
// SpaceToDepth, Range
//===----------------------------------------------------------------------===//

/// graph.gather_elements -> a `linalg.generic` over `indices` that reads the
/// index and loads the data element at the result's coordinates with the
/// axis one replaced by it (negative indices count from the back). Indices
/// outside the axis, and an `indices` dimension larger than the data's
/// (which onnxruntime rejects), fail run-time checks; the code after them
/// reads clamped coordinates.
struct GatherElementsLowering : OpConversionPattern<graph::GatherElementsOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::GatherElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = adaptor.getData();
    Value indices = adaptor.getIndices();
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t rank = resultType.getRank();
    FailureOr<int64_t> axis =
        normalizeAxisOrFail(rewriter, op, op.getAxis(), rank);
    if (failed(axis))
      return failure();
    SmallVector<OpFoldResult> dataSizes =
        tensor::getMixedSizes(rewriter, loc, data);
    SmallVector<OpFoldResult> indicesSizes =
        tensor::getMixedSizes(rewriter, loc, indices);
    checkGatherIndices(rewriter, op, op.getIndices(), indices,
                       dataSizes[*axis]);
    // Off the axis, the result's coordinates read the data: clamp them to
    // the data's sizes where an `indices` size may exceed it.
    SmallVector<Value> lastCoordinate(rank);
    for (int64_t i = 0; i < rank; ++i) {
      std::optional<int64_t> dataSize = getConstantIntValue(dataSizes[i]);
      std::optional<int64_t> indicesSize = getConstantIntValue(indicesSizes[i]);
      if (i == *axis || (dataSize && indicesSize && *indicesSize <= *dataSize))
        continue;
      Value dataDim =
          getValueOrCreateConstantIndexOp(rewriter, loc, dataSizes[i]);
      Value indicesDim =
          getValueOrCreateConstantIndexOp(rewriter, loc, indicesSizes[i]);
      createRuntimeCheck(
          rewriter, op,
          rewriter.createOrFold<arith::CmpIOp>(loc, arith::CmpIPredicate::ule,
                                               indicesDim, dataDim),
          "dimension " + Twine(i) + " of 'indices' is larger than the data's");
      lastCoordinate[i] = arith::SubIOp::create(
          rewriter, loc, dataDim,
          arith::ConstantIndexOp::create(rewriter, loc, 1));
    }
    Value axisSize = tensor::DimOp::create(rewriter, loc, data, *axis);
    Value init = createEmptyWithSizes(rewriter, loc, resultType, indicesSizes);
    SmallVector<AffineMap> maps(2, rewriter.getMultiDimIdentityMap(rank));
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{indices},
        ValueRange{init}, maps, iterators,
        [&](OpBuilder &b, Location nestedLoc, ValueRange args) {
          SmallVector<Value> coordinates;
          for (int64_t i = 0; i < rank; ++i) {
            if (i == *axis) {
              coordinates.push_back(
                  wrapAndClampIndex(b, nestedLoc, args[0], axisSize));
              continue;
            }
            Value coordinate = linalg::IndexOp::create(b, nestedLoc, i);
            if (lastCoordinate[i])
              coordinate = arith::MinUIOp::create(b, nestedLoc, coordinate,
                                                  lastCoordinate[i]);
            coordinates.push_back(coordinate);
          }
          linalg::YieldOp::create(
              b, nestedLoc,
              tensor::ExtractOp::create(b, nestedLoc, data, coordinates)
                  .getResult());
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// Returns the `count` entries of the 1-D `vector` (the lowered value of
/// `original`) as index values: attributes when it is a constant, values
/// read at run time otherwise.
SmallVector<OpFoldResult> getMixedEntries(OpBuilder &b, Location loc,
                                          Value original, Value vector,
                                          int64_t count) {
  SmallVector<OpFoldResult> entries;
  if (std::optional<SmallVector<int64_t>> values =
          getConstantList(original, vector)) {
    for (int64_t value : *values)
      entries.push_back(b.getIndexAttr(value));
    return entries;
  }
  for (int64_t i = 0; i < count; ++i)
    entries.push_back(extractIndex(b, loc, vector, i));
  return entries;
}

/// graph.tile -> a `linalg.generic` over the result reading the input at
/// each coordinate modulo the input's size.
struct TileLowering : OpConversionPattern<graph::TileOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::TileOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t rank = resultType.getRank();
    SmallVector<OpFoldResult> inputSizes =
        tensor::getMixedSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> repeats = getMixedEntries(
        rewriter, loc, op.getRepeats(), adaptor.getRepeats(), rank);
    if (static_cast<int64_t>(repeats.size()) != rank)
      return failLowering(rewriter, op, "repeats length != rank");
    SmallVector<OpFoldResult> sizes;
    SmallVector<Value> inputSizeValues;
    for (int64_t i = 0; i < rank; ++i) {
      sizes.push_back(resultType.isDynamicDim(i)
                          ? multiply(rewriter, loc, inputSizes[i], repeats[i])
                          : rewriter.getIndexAttr(resultType.getDimSize(i)));
      inputSizeValues.push_back(
          getValueOrCreateConstantIndexOp(rewriter, loc, inputSizes[i]));
    }
    Value result = createIndexedCopy(
        rewriter, loc, resultType, sizes,
        [&](OpBuilder &b, Location nestedLoc, ArrayRef<Value> coordinates) {
          SmallVector<Value> source;
          for (auto [coordinate, size] :
               llvm::zip(coordinates, inputSizeValues))
            source.push_back(
                arith::RemUIOp::create(b, nestedLoc, coordinate, size));
          return tensor::ExtractOp::create(b, nestedLoc, input, source);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// graph.pad -> a `linalg.generic` over the result. Each coordinate, less
/// the padding before it, is mapped into the input: in `constant` mode
/// elements outside it take the pad value, `edge` clamps the coordinate,
/// `reflect` mirrors it about the edge elements. `axes` known only at run
/// time give each dimension the pads of the entry naming it.
struct PadLowering : OpConversionPattern<graph::PadOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = castToSignless(rewriter, loc, adaptor.getData());
    auto dataType = cast<RankedTensorType>(data.getType());
    auto resultType =
        getSignlessTensorType(cast<RankedTensorType>(op.getType()));
    int64_t rank = resultType.getRank();
    SmallVector<int64_t> axes = llvm::to_vector(llvm::seq<int64_t>(0, rank));
    // Axes known only at run time (normalized and checked).
    SmallVector<Value> runtimeAxes;
    if (op.getAxes()) {
      std::optional<SmallVector<int64_t>> values =
          getConstantList(op.getAxes(), adaptor.getAxes());
      axes.clear();
      if (!values) {
        std::optional<int64_t> length = getStaticLength(adaptor.getAxes());
        if (!length)
          return failLowering(rewriter, 
              op, "'axes' must have a static length");
        SmallVector<Value> entries =
            readIndexEntries(rewriter, loc, op.getAxes(), adaptor.getAxes());
        runtimeAxes = readRuntimeAxes(rewriter, op, entries, rank, "axes").axes;
        axes.resize(*length);
      }
      for (int64_t axis : values.value_or(SmallVector<int64_t>())) {
        FailureOr<int64_t> normalized =
            normalizeAxisOrFail(rewriter, op, axis, rank);
        if (failed(normalized))
          return failure();
        axes.push_back(*normalized);
      }
    }
    int64_t numAxes = axes.size();
    SmallVector<OpFoldResult> pads = getMixedEntries(
        rewriter, loc, op.getPads(), adaptor.getPads(), 2 * numAxes);
    if (static_cast<int64_t>(pads.size()) != 2 * numAxes)
      return failLowering(rewriter, op, "pads length != 2 * axes");
    for (OpFoldResult pad : pads)
      if (getConstantIntValue(pad).value_or(0) < 0)
        return failLowering(rewriter, op, "negative pads (cropping)");

    SmallVector<OpFoldResult> inputSizes =
        tensor::getMixedSizes(rewriter, loc, data);
    SmallVector<OpFoldResult> before(rank, rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> sizes(inputSizes);
    if (runtimeAxes.empty()) {
      for (auto [i, axis] : llvm::enumerate(axes)) {
        before[axis] = pads[i];
        sizes[axis] = add(rewriter, loc, sizes[axis],
                          add(rewriter, loc, pads[i], pads[i + numAxes]));
      }
    } else {
      // Each dimension takes the pads of the entry naming it (0 when none).
      Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
      for (int64_t d = 0; d < rank; ++d) {
        Value dimension = arith::ConstantIndexOp::create(rewriter, loc, d);
        Value padBefore = zero, padAfter = zero;
        for (auto [i, axis] : llvm::enumerate(runtimeAxes)) {
          Value names = arith::CmpIOp::create(
              rewriter, loc, arith::CmpIPredicate::eq, axis, dimension);
          padBefore = arith::SelectOp::create(
              rewriter, loc, names,
              getValueOrCreateConstantIndexOp(rewriter, loc, pads[i]),
              padBefore);
          padAfter = arith::SelectOp::create(
              rewriter, loc, names,
              getValueOrCreateConstantIndexOp(rewriter, loc, pads[i + numAxes]),
              padAfter);
        }
        before[d] = padBefore;
        sizes[d] = add(rewriter, loc, sizes[d],
                       add(rewriter, loc, padBefore, padAfter));
      }
    }
    // Static result sizes are trusted with constant axes; computed ones are
    // checked below.
    if (runtimeAxes.empty())
      for (int64_t i = 0; i < rank; ++i)
        if (!resultType.isDynamicDim(i))
          sizes[i] = rewriter.getIndexAttr(resultType.getDimSize(i));
    auto paddedType = resultType.clone(getStaticSizes(sizes));

    StringRef mode = op.getMode();
    Value padValue;
    if (mode == "constant") {
      if (Value value = adaptor.getConstantValue()) {
        value = castToSignless(rewriter, loc, value);
        int64_t valueRank = cast<RankedTensorType>(value.getType()).getRank();
        SmallVector<Value> zeros(
            valueRank, arith::ConstantIndexOp::create(rewriter, loc, 0));
        padValue = tensor::ExtractOp::create(rewriter, loc, value, zeros);
      } else {
        padValue = arith::ConstantOp::create(
            rewriter, loc, rewriter.getZeroAttr(dataType.getElementType()));
      }
    } else if (mode != "edge" && mode != "reflect") {
      return failLowering(rewriter, op, "unsupported mode");
    }
    SmallVector<Value> beforeValues, inputSizeValues;
    for (int64_t i = 0; i < rank; ++i) {
      beforeValues.push_back(
          getValueOrCreateConstantIndexOp(rewriter, loc, before[i]));
      inputSizeValues.push_back(
          getValueOrCreateConstantIndexOp(rewriter, loc, inputSizes[i]));
    }
    Value result = createIndexedCopy(
        rewriter, loc, paddedType, sizes,
        [&](OpBuilder &b, Location nestedLoc, ArrayRef<Value> coordinates) {
          Value zero = arith::ConstantIndexOp::create(b, nestedLoc, 0);
          Value one = arith::ConstantIndexOp::create(b, nestedLoc, 1);
          Value inside;
          SmallVector<Value> source;
          for (int64_t i = 0; i < rank; ++i) {
            Value index = arith::SubIOp::create(b, nestedLoc, coordinates[i],
                                                beforeValues[i]);
            Value size = inputSizeValues[i];
            Value last = arith::SubIOp::create(b, nestedLoc, size, one);
            if (mode == "constant") {
              Value isInside = arith::AndIOp::create(
                  b, nestedLoc,
                  arith::CmpIOp::create(b, nestedLoc, arith::CmpIPredicate::sge,
                                        index, zero),
                  arith::CmpIOp::create(b, nestedLoc, arith::CmpIPredicate::slt,
                                        index, size));
              inside =
                  inside ? arith::AndIOp::create(b, nestedLoc, inside, isInside)
                               .getResult()
                         : isInside;
            } else if (mode == "reflect") {
              // Fold the index into [0, 2 * last) (period of the mirrored
              // sequence), then mirror the upper half; a size-1 dimension
              // has period 1 after clamping it to 1.
              Value period = arith::MaxSIOp::create(
                  b, nestedLoc, arith::AddIOp::create(b, nestedLoc, last, last),
                  one);
              Value rem = arith::RemSIOp::create(b, nestedLoc, index, period);
              Value isNegative = arith::CmpIOp::create(
                  b, nestedLoc, arith::CmpIPredicate::slt, rem, zero);
              rem = arith::SelectOp::create(
                  b, nestedLoc, isNegative,
                  arith::AddIOp::create(b, nestedLoc, rem, period), rem);
              Value isUpper = arith::CmpIOp::create(
                  b, nestedLoc, arith::CmpIPredicate::sgt, rem, last);
              index = arith::SelectOp::create(
                  b, nestedLoc, isUpper,
                  arith::SubIOp::create(b, nestedLoc, period, rem), rem);
            }
            // Clamping keeps every read inside the input (the value read for
            // a constant-mode pad element is discarded).
            source.push_back(arith::MaxSIOp::create(
                b, nestedLoc, arith::MinSIOp::create(b, nestedLoc, index, last),
                zero));
          }
          Value element = tensor::ExtractOp::create(b, nestedLoc, data, source);
          if (!inside)
            return element;
          return arith::SelectOp::create(b, nestedLoc, inside, element,
                                         padValue)
              .getResult();
        });
    rewriter.replaceOp(op, castToType(rewriter, loc,
                                      castToDeclaredShape(rewriter, op, result,
                                                          resultType, "result"),
                                      cast<RankedTensorType>(op.getType())));
    return success();
  }
};

/// graph.depth_to_space / graph.space_to_depth -> a `linalg.generic` over
/// the result that reads the input element at the rearranged coordinates.
template <typename OpTy>
struct BlockRearrangeLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    constexpr bool toSpace = std::is_same_v<OpTy, graph::DepthToSpaceOp>;
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t block = op.getBlocksize();
    bool crd = false;
    if constexpr (toSpace)
      crd = op.getMode() == "CRD";
    SmallVector<OpFoldResult> inputSizes =
        tensor::getMixedSizes(rewriter, loc, input);
    OpFoldResult area = rewriter.getIndexAttr(block * block);
    OpFoldResult blockSize = rewriter.getIndexAttr(block);
    SmallVector<OpFoldResult> sizes = {inputSizes[0]};
    if (toSpace) {
      sizes.push_back(divide(rewriter, loc, inputSizes[1], area));
      sizes.push_back(multiply(rewriter, loc, inputSizes[2], blockSize));
      sizes.push_back(multiply(rewriter, loc, inputSizes[3], blockSize));
    } else {
      sizes.push_back(multiply(rewriter, loc, inputSizes[1], area));
      sizes.push_back(divide(rewriter, loc, inputSizes[2], blockSize));
      sizes.push_back(divide(rewriter, loc, inputSizes[3], blockSize));
    }
    for (int64_t i = 0; i < 4; ++i)
      if (!resultType.isDynamicDim(i))
        sizes[i] = rewriter.getIndexAttr(resultType.getDimSize(i));
    // The channel count of the side with fewer channels.
    Value channels = getValueOrCreateConstantIndexOp(
        rewriter, loc, toSpace ? sizes[1] : inputSizes[1]);
    Value result = createIndexedCopy(
        rewriter, loc, resultType.clone(getStaticSizes(sizes)), sizes,
        [&](OpBuilder &b, Location nestedLoc, ArrayRef<Value> coordinates) {
          auto constant = [&](int64_t value) -> Value {
            return arith::ConstantIndexOp::create(b, nestedLoc, value);
          };
          auto mul = [&](Value lhs, Value rhs) -> Value {
            return arith::MulIOp::create(b, nestedLoc, lhs, rhs);
          };
          auto addValues = [&](Value lhs, Value rhs) -> Value {
            return arith::AddIOp::create(b, nestedLoc, lhs, rhs);
          };
          auto div = [&](Value lhs, Value rhs) -> Value {
            return arith::DivUIOp::create(b, nestedLoc, lhs, rhs);
          };
          auto rem = [&](Value lhs, Value rhs) -> Value {
            return arith::RemUIOp::create(b, nestedLoc, lhs, rhs);
          };
          Value b1 = constant(block);
          Value area1 = constant(block * block);
          Value n = coordinates[0], c = coordinates[1], h = coordinates[2],
                w = coordinates[3];
          SmallVector<Value> source;
          if constexpr (toSpace) {
            // The block offset of the output pixel selects the channel.
            Value offset = addValues(mul(rem(h, b1), b1), rem(w, b1));
            Value channel = crd ? addValues(mul(c, area1), offset)
                                : addValues(mul(offset, channels), c);
            source = {n, channel, div(h, b1), div(w, b1)};
          } else {
            // Output channel = (block row, block column, input channel).
            Value offset = div(c, channels);
            source = {n, rem(c, channels),
                      addValues(mul(h, b1), div(offset, b1)),
                      addValues(mul(w, b1), rem(offset, b1))};
          }
          return tensor::ExtractOp::create(b, nestedLoc, input, source);
        });
    rewriter.replaceOp(op, castShape(rewriter, loc, result, resultType));
    return success();
  }
};

/// graph.range -> a `linalg.generic` writing `start + i * delta` at each
/// index `i`; the length `max(ceil((limit - start) / delta), 0)` is computed
/// at run time unless the result type knows it.
struct RangeLowering : OpConversionPattern<graph::RangeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::RangeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    Type elementType = resultType.getElementType();
    bool isFloat = isa<FloatType>(elementType);
    if (!isFloat && !elementType.isSignlessInteger())
      return failLowering(rewriter, op, "unsigned element type");
    auto scalar = [&](Value tensor) -> Value {
      return tensor::ExtractOp::create(rewriter, loc, tensor, ValueRange{});
    };
    Value start = scalar(adaptor.getStart());
    Value delta = scalar(adaptor.getDelta());
    OpFoldResult length;
    if (!resultType.isDynamicDim(0)) {
      length = rewriter.getIndexAttr(resultType.getDimSize(0));
    } else {
      Value limit = scalar(adaptor.getLimit());
      Value count;
      if (isFloat) {
        Value quotient = arith::DivFOp::create(
            rewriter, loc, arith::SubFOp::create(rewriter, loc, limit, start),
            delta);
        count = arith::FPToSIOp::create(
            rewriter, loc, rewriter.getI64Type(),
            math::CeilOp::create(rewriter, loc, quotient));
      } else {
        count = arith::CeilDivSIOp::create(
            rewriter, loc, arith::SubIOp::create(rewriter, loc, limit, start),
            delta);
      }
      count = arith::IndexCastOp::create(rewriter, loc, rewriter.getIndexType(),
                                         count);
      length = arith::MaxSIOp::create(
                   rewriter, loc, count,
                   arith::ConstantIndexOp::create(rewriter, loc, 0))
                   .getResult();
    }
    Value result = createIndexedCopy(
        rewriter, loc, resultType, {length},
        [&](OpBuilder &b, Location nestedLoc, ArrayRef<Value> coordinates) {
          if (isFloat) {
            Value index = arith::IndexCastOp::create(
                b, nestedLoc, b.getI64Type(), coordinates[0]);
            Value step =
                arith::SIToFPOp::create(b, nestedLoc, elementType, index);
            return arith::AddFOp::create(
                       b, nestedLoc, start,
                       arith::MulFOp::create(b, nestedLoc, step, delta))
                .getResult();
          }
          Value step = arith::IndexCastOp::create(b, nestedLoc, elementType,
                                                  coordinates[0]);
          return arith::AddIOp::create(
                     b, nestedLoc, start,
                     arith::MulIOp::create(b, nestedLoc, step, delta))
              .getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void exaforge::populateGraphDataMovementToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<
      ConstantLowering, IdentityLowering, ShapeLowering, ReshapeLowering,
      FlattenLowering, SqueezeLowering, UnsqueezeLowering, TransposeLowering,
      ConcatLowering, SplitLowering, SliceLowering, GatherLowering,
      ExpandLowering, SizeLowering, TriluLowering, GatherElementsLowering,
      TileLowering, PadLowering, BlockRearrangeLowering<graph::DepthToSpaceOp>,
      BlockRearrangeLowering<graph::SpaceToDepthOp>, RangeLowering>(
      patterns.getContext());
}
