//===- IndexingToLinalg.cpp - Graph indexing ops to linalg/scf ------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Lowers the ops of GraphIndexingOps.td: GatherND, ScatterND,
// ScatterElements, TopK, OneHot, EyeLike, ReverseSequence, Einsum, Det and
// TfIdfVectorizer.
//
// Gathers and the index-computing copies (GatherND, OneHot, EyeLike,
// ReverseSequence) are `linalg.generic`s over the result that compute the
// coordinates they read. Scatters copy `data` and then write the updates in
// an `scf.for` nest, one update after the other: ONNX defines repeated
// indices by that order (with a `reduction`, they accumulate). TopK finds
// its `k` results one after the other, each a reduction along the axis that
// takes the best element after the one found before (largest, or smallest,
// value first, then lower index). Einsum is one `linalg.generic` with the
// equation's indexing maps. Det is Gaussian elimination with partial
// pivoting in `scf.for` loops. TfIdfVectorizer counts its pool's n-grams
// with reductions that compare the tokens of each n-gram in their body.
//
// Indices that data tensors hold (GatherND's, the scatters', the sequence
// lengths of ReverseSequence) are checked at run time before use: a value
// outside its dimension fails a check (RuntimeParams.h) naming the node,
// and the code after it reads clamped indices so that it stays inside its
// buffers. So are the operand sizes onnxruntime requires equal where the
// types leave them dynamic (GatherND's batch dimensions, the shape of a
// scatter's updates): a check, and loops bounded by the smaller size.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/GraphToLinalg/GraphToLinalg.h"
#include "passes/Conversion/GraphToLinalg/LoweringUtils.h"
#include "passes/Conversion/GraphToLinalg/RuntimeParams.h"

#include "dialects/Graph/EinsumEquation.h"
#include "dialects/Graph/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace exaforge;
using namespace exaforge::lowering;

namespace {

using P = arith::CmpIPredicate;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Returns a copy of `value` in a new tensor (a scatter writes into it, and
/// must not write into its operand).
Value createCopy(OpBuilder &b, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  Value init = createEmptyWithSizes(b, loc, type,
                                    tensor::getMixedSizes(b, loc, value));
  return linalg::CopyOp::create(b, loc, value, init).getResult(0);
}

/// Returns `old` combined with `update` by the scatter reduction
/// `reduction` (none, add, mul, max, min) for elements of `elementType`
/// (signless; `isUnsigned` for the original unsigned integers).
Value combineScatter(OpBuilder &b, Location loc, StringRef reduction,
                     Value old, Value update, bool isUnsigned) {
  bool isFloat = isa<FloatType>(update.getType());
  if (reduction == "add")
    return isFloat ? arith::AddFOp::create(b, loc, old, update).getResult()
                   : arith::AddIOp::create(b, loc, old, update).getResult();
  if (reduction == "mul")
    return isFloat ? arith::MulFOp::create(b, loc, old, update).getResult()
                   : arith::MulIOp::create(b, loc, old, update).getResult();
  if (reduction == "max") {
    if (isFloat)
      return arith::MaximumFOp::create(b, loc, old, update);
    return isUnsigned ? arith::MaxUIOp::create(b, loc, old, update).getResult()
                      : arith::MaxSIOp::create(b, loc, old, update).getResult();
  }
  if (reduction == "min") {
    if (isFloat)
      return arith::MinimumFOp::create(b, loc, old, update);
    return isUnsigned ? arith::MinUIOp::create(b, loc, old, update).getResult()
                      : arith::MinSIOp::create(b, loc, old, update).getResult();
  }
  return update;
}

/// Whether `type`'s elements are unsigned integers.
bool hasUnsignedElements(Type type) {
  return cast<ShapedType>(type).getElementType().isUnsignedInteger();
}

/// Writes every element of `updates` into a copy of `data` in an `scf.for`
/// nest over the first `bounds[i]` coordinates of each dimension `i` of
/// `updates` (row-major order; `bounds` are `updates`' sizes, or smaller
/// after a failed shape check, so that the loops stay inside every
/// buffer), at the coordinates `getTarget(coordinates of the update)`,
/// combined by `reduction` with the element there. Returns the result
/// (signless; `data` and `updates` are signless too).
Value scatterInOrder(
    OpBuilder &b, Location loc, Value data, Value updates,
    ArrayRef<Value> bounds, StringRef reduction, bool isUnsigned,
    llvm::function_ref<SmallVector<Value>(OpBuilder &, Location, ValueRange)>
        getTarget) {
  Value copy = createCopy(b, loc, data);
  int64_t rank = cast<RankedTensorType>(updates.getType()).getRank();
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  SmallVector<Value> lowerBounds(rank, zero), steps(rank, one);
  scf::LoopNest nest = scf::buildLoopNest(
      b, loc, lowerBounds, bounds, steps, ValueRange{copy},
      [&](OpBuilder &nested, Location nestedLoc, ValueRange ivs,
          ValueRange iterArgs) -> scf::ValueVector {
        SmallVector<Value> target = getTarget(nested, nestedLoc, ivs);
        Value update = tensor::ExtractOp::create(nested, nestedLoc, updates, ivs);
        Value old =
            tensor::ExtractOp::create(nested, nestedLoc, iterArgs[0], target);
        Value combined = combineScatter(nested, nestedLoc, reduction, old,
                                        update, isUnsigned);
        return {tensor::InsertOp::create(nested, nestedLoc, combined,
                                         iterArgs[0], target)
                    .getResult()};
      });
  return nest.results.front();
}

/// Emits the run-time check of `op` that `size` equals `expected` (sizes of
/// two operands that onnxruntime requires equal) with `message`, and
/// returns the smaller of the two: a bound of loops that read both
/// operands, inside both whatever the sizes. Returns `size` unchanged when
/// the two are provably equal.
Value checkEqualAndBound(OpBuilder &b, Operation *op, OpFoldResult size,
                         OpFoldResult expected, const Twine &message) {
  Location loc = op->getLoc();
  Value sizeValue = getValueOrCreateConstantIndexOp(b, loc, size);
  if (isEqualConstantIntOrValue(size, expected))
    return sizeValue;
  checkSameSize(b, op, size, expected, message);
  return b.createOrFold<arith::MinUIOp>(
      loc, sizeValue, getValueOrCreateConstantIndexOp(b, loc, expected));
}

/// Emits the run-time check of `op` that `size` is at most `limit` (sizes of
/// two operands that onnxruntime requires in that order) with `message`,
/// and returns the smaller of the two (see checkEqualAndBound).
Value checkAtMostAndBound(OpBuilder &b, Operation *op, OpFoldResult size,
                          OpFoldResult limit, const Twine &message) {
  Location loc = op->getLoc();
  Value sizeValue = getValueOrCreateConstantIndexOp(b, loc, size);
  std::optional<int64_t> staticSize = getConstantIntValue(size);
  std::optional<int64_t> staticLimit = getConstantIntValue(limit);
  if (isEqualConstantIntOrValue(size, limit) ||
      (staticSize && staticLimit && *staticSize <= *staticLimit))
    return sizeValue;
  Value limitValue = getValueOrCreateConstantIndexOp(b, loc, limit);
  createRuntimeCheck(b, op,
                     b.createOrFold<arith::CmpIOp>(loc, P::ule, sizeValue,
                                                   limitValue),
                     message);
  return b.createOrFold<arith::MinUIOp>(loc, sizeValue, limitValue);
}

//===----------------------------------------------------------------------===//
// GatherND, ScatterND, ScatterElements
//===----------------------------------------------------------------------===//

/// Emits the check that each entry of the index tuples (the last dimension
/// of `indices`) lies in its dimension of `data`, from dimension
/// `firstDim` on (onnxruntime rejects the others). The message gives the
/// accepted range, as Gather's does.
void checkIndexTuples(OpBuilder &b, Operation *op, Value data, Value indices,
                      int64_t firstDim) {
  Location loc = op->getLoc();
  auto indicesType = cast<RankedTensorType>(indices.getType());
  int64_t tupleSize = indicesType.getShape().back();
  SmallVector<Value> sizes;
  std::string ranges;
  for (int64_t j = 0; j < tupleSize; ++j) {
    OpFoldResult size = tensor::getMixedSize(b, loc, data, firstDim + j);
    sizes.push_back(getValueOrCreateConstantIndexOp(b, loc, size));
    if (j > 0)
      ranges += ", ";
    ranges += "entry " + std::to_string(j) + " in " +
              (getConstantIntValue(size)
                   ? formatIndexRange(size)
                   : "[-n, n-1] (n dimension " +
                         std::to_string(firstDim + j) + " of the data)");
  }
  if (tupleSize == 0)
    return;
  std::string message =
      tupleSize == 1
          ? "an index is outside " +
                formatIndexRange(tensor::getMixedSize(b, loc, data, firstDim))
          : "an index is outside the dimension it indexes (" + ranges + ")";
  checkEveryElement(
      b, op, indices,
      [&](OpBuilder &nested, Location nestedLoc, Value index,
          ArrayRef<Value> coordinates) {
        Value size = selectByPosition(nested, nestedLoc, coordinates.back(),
                                      sizes, sizes.front());
        return isIndexInRange(nested, nestedLoc, index, size);
      },
      message);
}

/// Returns the data coordinates an index tuple names: the tuple at the
/// coordinates `prefix` of `indices` (all but its last dimension), each
/// entry wrapped and clamped into dimension `firstDim + j` of `data`.
SmallVector<Value> readIndexTuple(OpBuilder &b, Location loc, Value data,
                                  Value indices, ValueRange prefix,
                                  int64_t firstDim) {
  int64_t tupleSize =
      cast<RankedTensorType>(indices.getType()).getShape().back();
  SmallVector<Value> coordinates;
  for (int64_t j = 0; j < tupleSize; ++j) {
    SmallVector<Value> at(prefix);
    at.push_back(arith::ConstantIndexOp::create(b, loc, j));
    Value index = tensor::ExtractOp::create(b, loc, indices, at);
    coordinates.push_back(wrapAndClampIndex(
        b, loc, index, tensor::DimOp::create(b, loc, data, firstDim + j)));
  }
  return coordinates;
}

/// graph.gather_nd -> a `linalg.generic` over the result reading the index
/// tuple and then the data element (see the file comment). The first
/// `batch_dims` dimensions of `indices` and `data` must be equal (ONNX's
/// rule; onnxruntime also accepts an `indices` batch that is a multiple of
/// the data's); where the types do not show it, a run-time check says so,
/// and the coordinates read are clamped into both operands.
struct GatherNDLowering : OpConversionPattern<graph::GatherNDOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::GatherNDOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = adaptor.getData();
    Value indices = adaptor.getIndices();
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t batchDims = op.getBatchDims();
    int64_t indicesRank = cast<RankedTensorType>(indices.getType()).getRank();
    int64_t tupleSize =
        cast<RankedTensorType>(indices.getType()).getShape().back();
    checkIndexTuples(rewriter, op, data, indices, batchDims);

    SmallVector<OpFoldResult> dataSizes =
        tensor::getMixedSizes(rewriter, loc, data);
    SmallVector<OpFoldResult> indicesSizes =
        tensor::getMixedSizes(rewriter, loc, indices);
    // The last coordinate of each batch dimension in `data` and in
    // `indices`, where the two may differ.
    SmallVector<Value> lastDataCoordinate(batchDims);
    SmallVector<Value> lastIndicesCoordinate(batchDims);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    for (int64_t i = 0; i < batchDims; ++i) {
      if (isEqualConstantIntOrValue(dataSizes[i], indicesSizes[i]))
        continue;
      checkSameSize(rewriter, op, indicesSizes[i], dataSizes[i],
                    "batch dimension " + Twine(i) +
                        " of 'indices' differs from the data's");
      lastDataCoordinate[i] = arith::SubIOp::create(
          rewriter, loc,
          getValueOrCreateConstantIndexOp(rewriter, loc, dataSizes[i]), one);
      lastIndicesCoordinate[i] = arith::SubIOp::create(
          rewriter, loc,
          getValueOrCreateConstantIndexOp(rewriter, loc, indicesSizes[i]),
          one);
    }

    SmallVector<OpFoldResult> sizes(indicesSizes);
    sizes.pop_back();
    sizes.append(dataSizes.begin() + batchDims + tupleSize, dataSizes.end());
    rewriter.replaceOp(
        op, createIndexedCopy(
                rewriter, loc, resultType, sizes,
                [&](OpBuilder &b, Location nestedLoc,
                    ArrayRef<Value> coordinates) {
                  SmallVector<Value> prefix(
                      coordinates.take_front(indicesRank - 1));
                  SmallVector<Value> at(prefix.begin(),
                                        prefix.begin() + batchDims);
                  for (int64_t i = 0; i < batchDims; ++i) {
                    if (!lastDataCoordinate[i])
                      continue;
                    at[i] = arith::MinUIOp::create(b, nestedLoc, at[i],
                                                   lastDataCoordinate[i]);
                    prefix[i] = arith::MinUIOp::create(
                        b, nestedLoc, prefix[i], lastIndicesCoordinate[i]);
                  }
                  llvm::append_range(at, readIndexTuple(b, nestedLoc, data,
                                                        indices, prefix,
                                                        batchDims));
                  llvm::append_range(at,
                                     coordinates.drop_front(indicesRank - 1));
                  return tensor::ExtractOp::create(b, nestedLoc, data, at)
                      .getResult();
                }));
    return success();
  }
};

/// graph.scatter_nd -> a copy of `data` and an `scf.for` nest over
/// `updates` (see the file comment). `updates` must have the shape
/// `indices.shape[:-1] + data.shape[k:]` (k the tuple size), as in
/// onnxruntime; where the types do not show it, run-time checks say so.
struct ScatterNDLowering : OpConversionPattern<graph::ScatterNDOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::ScatterNDOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = castToSignless(rewriter, loc, adaptor.getData());
    Value updates = castToSignless(rewriter, loc, adaptor.getUpdates());
    Value indices = adaptor.getIndices();
    auto indicesType = cast<RankedTensorType>(indices.getType());
    int64_t indicesRank = indicesType.getRank();
    int64_t tupleSize = indicesType.getShape().back();
    checkIndexTuples(rewriter, op, data, indices, /*firstDim=*/0);
    std::string rule = "(its shape must be indices.shape[:-1] + data.shape[" +
                       std::to_string(tupleSize) + ":])";
    SmallVector<Value> bounds;
    for (int64_t i = 0,
                 e = cast<RankedTensorType>(updates.getType()).getRank();
         i < e; ++i) {
      OpFoldResult size = tensor::getMixedSize(rewriter, loc, updates, i);
      bool fromIndices = i < indicesRank - 1;
      int64_t other = fromIndices ? i : tupleSize + i - (indicesRank - 1);
      bounds.push_back(checkEqualAndBound(
          rewriter, op, size,
          tensor::getMixedSize(rewriter, loc, fromIndices ? indices : data,
                               other),
          "dimension " + Twine(i) + " of 'updates' differs from dimension " +
              Twine(other) + (fromIndices ? " of 'indices' " : " of the data ") +
              rule));
    }
    Value result = scatterInOrder(
        rewriter, loc, data, updates, bounds, op.getReduction(),
        hasUnsignedElements(op.getType()),
        [&](OpBuilder &b, Location nestedLoc, ValueRange ivs) {
          ValueRange prefix = ivs.take_front(indicesRank - 1);
          SmallVector<Value> target =
              readIndexTuple(b, nestedLoc, data, indices, prefix, 0);
          llvm::append_range(target, ivs.drop_front(indicesRank - 1));
          return target;
        });
    rewriter.replaceOp(op, castToType(rewriter, loc, result,
                                      cast<RankedTensorType>(op.getType())));
    return success();
  }
};

/// graph.scatter_elements -> a copy of `data` and an `scf.for` nest over
/// `updates` (see the file comment). As in onnxruntime, `updates` must have
/// the shape of `indices`, and `indices` no dimension larger than the
/// data's off the axis; where the types do not show it, run-time checks
/// say so.
struct ScatterElementsLowering
    : OpConversionPattern<graph::ScatterElementsOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::ScatterElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = castToSignless(rewriter, loc, adaptor.getData());
    Value updates = castToSignless(rewriter, loc, adaptor.getUpdates());
    Value indices = adaptor.getIndices();
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t rank = resultType.getRank();
    FailureOr<int64_t> axis =
        normalizeAxisOrFail(rewriter, op, op.getAxis(), rank);
    if (failed(axis))
      return failure();
    OpFoldResult axisSize = tensor::getMixedSize(rewriter, loc, data, *axis);
    Value axisSizeValue =
        getValueOrCreateConstantIndexOp(rewriter, loc, axisSize);
    checkEveryElement(
        rewriter, op, indices,
        [&](OpBuilder &b, Location nestedLoc, Value index, ArrayRef<Value>) {
          return isIndexInRange(b, nestedLoc, index, axisSizeValue);
        },
        "an index is outside " + formatIndexRange(axisSize));
    SmallVector<Value> bounds;
    for (int64_t i = 0; i < rank; ++i) {
      OpFoldResult indicesSize = tensor::getMixedSize(rewriter, loc, indices, i);
      Value bound = checkEqualAndBound(
          rewriter, op, tensor::getMixedSize(rewriter, loc, updates, i),
          indicesSize,
          "dimension " + Twine(i) + " of 'updates' differs from dimension " +
              Twine(i) + " of 'indices'");
      if (i != *axis)
        bound = rewriter.createOrFold<arith::MinUIOp>(
            loc, bound,
            checkAtMostAndBound(
                rewriter, op, indicesSize,
                tensor::getMixedSize(rewriter, loc, data, i),
                "dimension " + Twine(i) +
                    " of 'indices' is larger than the data's"));
      bounds.push_back(bound);
    }
    Value result = scatterInOrder(
        rewriter, loc, data, updates, bounds, op.getReduction(),
        hasUnsignedElements(resultType),
        [&](OpBuilder &b, Location nestedLoc, ValueRange ivs) {
          SmallVector<Value> target(ivs);
          Value index = tensor::ExtractOp::create(b, nestedLoc, indices, ivs);
          target[*axis] = wrapAndClampIndex(b, nestedLoc, index, axisSizeValue);
          return target;
        });
    rewriter.replaceOp(op, castToType(rewriter, loc, result, resultType));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// TopK
//===----------------------------------------------------------------------===//

/// graph.top_k -> an `scf.for` over the `k` results; iteration `s` reduces
/// along the axis to the best element after the one iteration `s - 1`
/// found (see the file comment) and inserts it at `s`.
struct TopKLowering : OpConversionPattern<graph::TopKOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::TopKOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = castToSignless(rewriter, loc, adaptor.getInput());
    auto inputType = cast<RankedTensorType>(input.getType());
    auto valuesType =
        getSignlessTensorType(cast<RankedTensorType>(op.getValues().getType()));
    auto indicesType = cast<RankedTensorType>(op.getIndices().getType());
    int64_t rank = inputType.getRank();
    FailureOr<int64_t> axis =
        normalizeAxisOrFail(rewriter, op, op.getAxis(), rank);
    if (failed(axis))
      return failure();
    bool largest = op.getLargest();
    bool isUnsigned = hasUnsignedElements(op.getInput().getType());
    bool isFloat = isa<FloatType>(inputType.getElementType());

    // k, checked against the axis size.
    Value axisSize = tensor::DimOp::create(rewriter, loc, input, *axis);
    Value k = extractIndex(rewriter, loc, adaptor.getK(), 0);
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value kValid = arith::AndIOp::create(
        rewriter, loc, arith::CmpIOp::create(rewriter, loc, P::sge, k, zero),
        arith::CmpIOp::create(rewriter, loc, P::sle, k, axisSize));
    createRuntimeCheck(rewriter, op, kValid,
                       "'k' is outside [0, the size of the axis]");
    k = arith::MinSIOp::create(rewriter, loc,
                               arith::MaxSIOp::create(rewriter, loc, k, zero),
                               axisSize);

    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, input);
    sizes[*axis] = k;
    if (!valuesType.isDynamicDim(*axis))
      sizes[*axis] = rewriter.getIndexAttr(valuesType.getDimSize(*axis));
    Value values = createEmptyWithSizes(rewriter, loc, valuesType, sizes);
    Value indices = createEmptyWithSizes(rewriter, loc, indicesType, sizes);

    // The rows of one result slot: the input's sizes without the axis.
    SmallVector<OpFoldResult> rowSizes(sizes);
    rowSizes.erase(rowSizes.begin() + *axis);
    SmallVector<int64_t> rowShape = getStaticSizes(rowSizes);
    auto rowValuesType = valuesType.clone(rowShape);
    auto rowIndicesType = indicesType.clone(rowShape);
    SmallVector<Value> rowDynamicSizes;
    for (OpFoldResult size : rowSizes)
      if (auto value = dyn_cast<Value>(size))
        rowDynamicSizes.push_back(value);
    Type elementType = inputType.getElementType();
    Value zeroElement = arith::ConstantOp::create(
        rewriter, loc, rewriter.getZeroAttr(elementType));
    Value noIndex = arith::ConstantIntOp::create(rewriter, loc, -1, 64);

    // Whether (value a, index i) comes before (value b, index j).
    auto precedes = [&](OpBuilder &b, Location l, Value a, Value i, Value c,
                        Value j) -> Value {
      Value better, equal;
      if (isFloat) {
        better = arith::CmpFOp::create(b, l,
                                       largest ? arith::CmpFPredicate::OGT
                                               : arith::CmpFPredicate::OLT,
                                       a, c);
        equal = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, a, c);
      } else {
        P predicate = largest ? (isUnsigned ? P::ugt : P::sgt)
                              : (isUnsigned ? P::ult : P::slt);
        better = arith::CmpIOp::create(b, l, predicate, a, c);
        equal = arith::CmpIOp::create(b, l, P::eq, a, c);
      }
      Value lowerIndex = arith::CmpIOp::create(b, l, P::slt, i, j);
      return arith::OrIOp::create(
          b, l, better, arith::AndIOp::create(b, l, equal, lowerIndex));
    };

    MLIRContext *context = rewriter.getContext();
    SmallVector<AffineExpr> rowExprs;
    for (int64_t i = 0; i < rank; ++i)
      if (i != *axis)
        rowExprs.push_back(getAffineDimExpr(i, context));
    AffineMap rowMap = AffineMap::get(rank, 0, rowExprs, context);
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank),
                                   rowMap, rowMap, rowMap, rowMap};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    iterators[*axis] = utils::IteratorType::reduction;
    SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> sliceSizes(sizes);
    sliceSizes[*axis] = rewriter.getIndexAttr(1);
    SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));

    // Slot `s` reads the results of slot `s - 1` (none for slot 0) and
    // writes its own; the loop carries only the two results, so that they
    // bufferize in place.
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    auto loop = scf::ForOp::create(
        rewriter, loc, zero, k, one, ValueRange{values, indices},
        [&](OpBuilder &b, Location l, Value slot, ValueRange iterArgs) {
          Value isFirst = arith::CmpIOp::create(b, l, P::eq, slot, zero);
          SmallVector<OpFoldResult> previousAt(offsets);
          previousAt[*axis] =
              arith::MaxSIOp::create(b, l,
                                     arith::SubIOp::create(b, l, slot, one),
                                     zero)
                  .getResult();
          Value previousValues = tensor::ExtractSliceOp::create(
              b, l, rowValuesType, iterArgs[0], previousAt, sliceSizes,
              strides);
          Value previousIndices = tensor::ExtractSliceOp::create(
              b, l, rowIndicesType, iterArgs[1], previousAt, sliceSizes,
              strides);
          Value bestValues = createFilledTensor(b, l, rowValuesType,
                                                rowDynamicSizes, zeroElement);
          Value bestIndices = createFilledTensor(b, l, rowIndicesType,
                                                 rowDynamicSizes, noIndex);
          auto generic = linalg::GenericOp::create(
              b, l, TypeRange{rowValuesType, rowIndicesType},
              ValueRange{input, previousValues, previousIndices},
              ValueRange{bestValues, bestIndices}, maps, iterators,
              [&](OpBuilder &nb, Location nl, ValueRange args) {
                Value value = args[0];
                Value index = arith::IndexCastOp::create(
                    nb, nl, nb.getI64Type(),
                    linalg::IndexOp::create(nb, nl, *axis));
                Value minusOne = arith::ConstantIntOp::create(nb, nl, -1, 64);
                Value eligible = arith::OrIOp::create(
                    nb, nl, isFirst,
                    precedes(nb, nl, args[1], args[2], value, index));
                Value none = arith::CmpIOp::create(nb, nl, P::eq, args[4],
                                                   minusOne);
                Value better = arith::OrIOp::create(
                    nb, nl, none,
                    precedes(nb, nl, value, index, args[3], args[4]));
                Value take = arith::AndIOp::create(nb, nl, eligible, better);
                linalg::YieldOp::create(
                    nb, nl,
                    ValueRange{
                        arith::SelectOp::create(nb, nl, take, value, args[3]),
                        arith::SelectOp::create(nb, nl, take, index,
                                                args[4])});
              });
          SmallVector<OpFoldResult> at(offsets);
          at[*axis] = slot;
          Value nextValues = tensor::InsertSliceOp::create(
              b, l, generic.getResult(0), iterArgs[0], at, sliceSizes,
              strides);
          Value nextIndices = tensor::InsertSliceOp::create(
              b, l, generic.getResult(1), iterArgs[1], at, sliceSizes,
              strides);
          scf::YieldOp::create(b, l, ValueRange{nextValues, nextIndices});
        });
    rewriter.replaceOp(
        op, {castToType(rewriter, loc, loop.getResult(0),
                        cast<RankedTensorType>(op.getValues().getType())),
             loop.getResult(1)});
    return success();
  }
};

//===----------------------------------------------------------------------===//
// OneHot, EyeLike, ReverseSequence
//===----------------------------------------------------------------------===//

/// Returns the integer or float scalar `value` as an `i64` (floats
/// truncated toward zero).
Value toI64(OpBuilder &b, Location loc, Value value, bool isUnsigned) {
  Type type = value.getType();
  if (isa<FloatType>(type))
    return arith::FPToSIOp::create(b, loc, b.getI64Type(), value);
  if (type.getIntOrFloatBitWidth() == 64)
    return value;
  if (type.getIntOrFloatBitWidth() > 64)
    return arith::TruncIOp::create(b, loc, b.getI64Type(), value);
  if (isUnsigned || type.isInteger(1))
    return arith::ExtUIOp::create(b, loc, b.getI64Type(), value);
  return arith::ExtSIOp::create(b, loc, b.getI64Type(), value);
}

/// graph.one_hot -> a `linalg.generic` over the result comparing the index
/// with the coordinate along `axis`.
struct OneHotLowering : OpConversionPattern<graph::OneHotOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::OneHotOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t rank = resultType.getRank();
    FailureOr<int64_t> axis =
        normalizeAxisOrFail(rewriter, op, op.getAxis(), rank);
    if (failed(axis))
      return failure();
    Value indices = castToSignless(rewriter, loc, adaptor.getIndices());
    bool indicesUnsigned = hasUnsignedElements(op.getIndices().getType());
    Value depthTensor = castToSignless(rewriter, loc, adaptor.getDepth());
    Value values = castToSignless(rewriter, loc, adaptor.getValues());

    int64_t depthRank = cast<RankedTensorType>(depthTensor.getType()).getRank();
    SmallVector<Value> origin(
        depthRank, arith::ConstantIndexOp::create(rewriter, loc, 0));
    Value depth =
        toI64(rewriter, loc,
              tensor::ExtractOp::create(rewriter, loc, depthTensor, origin),
              hasUnsignedElements(op.getDepth().getType()));
    Value offValue = tensor::ExtractOp::create(
        rewriter, loc, values,
        ValueRange{arith::ConstantIndexOp::create(rewriter, loc, 0)});
    Value onValue = tensor::ExtractOp::create(
        rewriter, loc, values,
        ValueRange{arith::ConstantIndexOp::create(rewriter, loc, 1)});

    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, indices);
    OpFoldResult depthSize = rewriter.getIndexAttr(resultType.getDimSize(*axis));
    if (resultType.isDynamicDim(*axis))
      depthSize = arith::IndexCastOp::create(
                      rewriter, loc, rewriter.getIndexType(),
                      arith::MaxSIOp::create(
                          rewriter, loc, depth,
                          arith::ConstantIntOp::create(rewriter, loc, 0, 64)))
                      .getResult();
    sizes.insert(sizes.begin() + *axis, depthSize);
    Value result = createIndexedCopy(
        rewriter, loc, getSignlessTensorType(resultType), sizes,
        [&](OpBuilder &b, Location l, ArrayRef<Value> coordinates) {
          SmallVector<Value> at(coordinates);
          at.erase(at.begin() + *axis);
          Value index = toI64(b, l, tensor::ExtractOp::create(b, l, indices, at),
                              indicesUnsigned);
          Value zero64 = arith::ConstantIntOp::create(b, l, 0, 64);
          Value isNegative = arith::CmpIOp::create(b, l, P::slt, index, zero64);
          index = arith::SelectOp::create(
              b, l, isNegative, arith::AddIOp::create(b, l, index, depth),
              index);
          Value position = arith::IndexCastOp::create(b, l, b.getI64Type(),
                                                      coordinates[*axis]);
          Value hot = arith::CmpIOp::create(b, l, P::eq, index, position);
          return arith::SelectOp::create(b, l, hot, onValue, offValue)
              .getResult();
        });
    rewriter.replaceOp(op, castToType(rewriter, loc, result, resultType));
    return success();
  }
};

/// graph.eye_like -> a `linalg.generic` writing 1 where `j - i == k`.
struct EyeLikeLowering : OpConversionPattern<graph::EyeLikeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::EyeLikeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    auto signlessType = getSignlessTensorType(resultType);
    Type elementType = signlessType.getElementType();
    int64_t k = op.getK();
    Value result = createIndexedCopy(
        rewriter, loc, signlessType,
        tensor::getMixedSizes(rewriter, loc, adaptor.getInput()),
        [&](OpBuilder &b, Location l, ArrayRef<Value> coordinates) {
          Value diagonal =
              arith::SubIOp::create(b, l, coordinates[1], coordinates[0]);
          Value onDiagonal = arith::CmpIOp::create(
              b, l, P::eq, diagonal, arith::ConstantIndexOp::create(b, l, k));
          Value one = elementType.isInteger(1)
                          ? arith::ConstantIntOp::create(b, l, 1, 1).getResult()
                          : createScalarConstant(b, l, elementType, 1);
          Value zero = arith::ConstantOp::create(b, l,
                                                 b.getZeroAttr(elementType));
          return arith::SelectOp::create(b, l, onDiagonal, one, zero)
              .getResult();
        });
    rewriter.replaceOp(op, castToType(rewriter, loc, result, resultType));
    return success();
  }
};

/// graph.reverse_sequence -> a `linalg.generic` over the result reading the
/// mirrored time step within each sequence's length.
struct ReverseSequenceLowering
    : OpConversionPattern<graph::ReverseSequenceOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::ReverseSequenceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    Value lengths = adaptor.getSequenceLens();
    int64_t batchAxis = op.getBatchAxis();
    int64_t timeAxis = op.getTimeAxis();
    Value timeSize = tensor::DimOp::create(rewriter, loc, input, timeAxis);
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    checkEveryElement(
        rewriter, op, lengths,
        [&](OpBuilder &b, Location l, Value length, ArrayRef<Value>) {
          length = arith::IndexCastOp::create(b, l, b.getIndexType(), length);
          return arith::AndIOp::create(
                     b, l, arith::CmpIOp::create(b, l, P::sge, length, zero),
                     arith::CmpIOp::create(b, l, P::sle, length, timeSize))
              .getResult();
        },
        "a sequence length is outside [0, the size of the time axis]");
    rewriter.replaceOp(
        op, createIndexedCopy(
                rewriter, loc, cast<RankedTensorType>(input.getType()),
                tensor::getMixedSizes(rewriter, loc, input),
                [&](OpBuilder &b, Location l, ArrayRef<Value> coordinates) {
                  Value length = arith::IndexCastOp::create(
                      b, l, b.getIndexType(),
                      tensor::ExtractOp::create(b, l, lengths,
                                                coordinates[batchAxis]));
                  length = arith::MinSIOp::create(
                      b, l, arith::MaxSIOp::create(b, l, length, zero),
                      timeSize);
                  Value time = coordinates[timeAxis];
                  Value inside =
                      arith::CmpIOp::create(b, l, P::slt, time, length);
                  Value last = arith::SubIOp::create(
                      b, l, length, arith::ConstantIndexOp::create(b, l, 1));
                  Value mirrored = arith::SubIOp::create(b, l, last, time);
                  SmallVector<Value> at(coordinates);
                  at[timeAxis] =
                      arith::SelectOp::create(b, l, inside, mirrored, time);
                  return tensor::ExtractOp::create(b, l, input, at)
                      .getResult();
                }));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Einsum
//===----------------------------------------------------------------------===//

/// graph.einsum -> a zero-filled result and one `linalg.generic` whose
/// loops are the equation's indices: each input is read through its term
/// (a `...` dimension of static size 1 broadcast where the loop is longer),
/// the loops absent from the result are reductions, and the body adds the
/// product of the inputs to the result element.
struct EinsumLowering : OpConversionPattern<graph::EinsumOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::EinsumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType =
        getSignlessTensorType(cast<RankedTensorType>(op.getType()));
    SmallVector<Value> inputs;
    SmallVector<int64_t> ranks;
    for (Value input : adaptor.getInputs()) {
      inputs.push_back(castToSignless(rewriter, loc, input));
      ranks.push_back(cast<RankedTensorType>(input.getType()).getRank());
    }
    std::string error;
    FailureOr<graph::EinsumEquation> equation =
        graph::parseEinsumEquation(op.getEquation(), ranks, error);
    if (failed(equation))
      return failLowering(rewriter, op, error);

    // Each loop's size and a dimension that has it: a static size other
    // than 1 when there is one, else a dynamic one, else 1 (dimensions of
    // size 1 broadcast against the others).
    int64_t numLoops = equation->numLoops;
    SmallVector<int64_t> loopSizes(numLoops, 1);
    SmallVector<int> loopPriorities(numLoops, -1);
    SmallVector<std::pair<Value, int64_t>> loopSources(numLoops);
    for (auto [input, loops] : llvm::zip(inputs, equation->inputs))
      for (auto [dim, loop] : llvm::enumerate(loops)) {
        int64_t size = cast<RankedTensorType>(input.getType()).getDimSize(dim);
        int priority = ShapedType::isDynamic(size) ? 1 : size == 1 ? 0 : 2;
        if (priority <= loopPriorities[loop])
          continue;
        loopPriorities[loop] = priority;
        loopSizes[loop] = size;
        loopSources[loop] = {input, static_cast<int64_t>(dim)};
      }

    MLIRContext *context = rewriter.getContext();
    SmallVector<AffineMap> maps;
    for (auto [input, loops] : llvm::zip(inputs, equation->inputs)) {
      SmallVector<AffineExpr> exprs;
      for (auto [dim, loop] : llvm::enumerate(loops)) {
        int64_t size = cast<RankedTensorType>(input.getType()).getDimSize(dim);
        bool broadcast = size == 1 && loopSizes[loop] != 1;
        exprs.push_back(broadcast ? getAffineConstantExpr(0, context)
                                  : getAffineDimExpr(loop, context));
      }
      maps.push_back(AffineMap::get(numLoops, 0, exprs, context));
    }
    SmallVector<AffineExpr> outputExprs;
    SmallVector<Value> dynamicSizes;
    for (auto [i, loop] : llvm::enumerate(equation->output)) {
      outputExprs.push_back(getAffineDimExpr(loop, context));
      if (resultType.isDynamicDim(i))
        dynamicSizes.push_back(tensor::DimOp::create(
            rewriter, loc, loopSources[loop].first, loopSources[loop].second));
    }
    maps.push_back(AffineMap::get(numLoops, 0, outputExprs, context));
    SmallVector<utils::IteratorType> iterators(numLoops,
                                               utils::IteratorType::reduction);
    for (int64_t loop : equation->output)
      iterators[loop] = utils::IteratorType::parallel;

    Type elementType = resultType.getElementType();
    bool isFloat = isa<FloatType>(elementType);
    Value zero = arith::ConstantOp::create(rewriter, loc,
                                           rewriter.getZeroAttr(elementType));
    Value init =
        createFilledTensor(rewriter, loc, resultType, dynamicSizes, zero);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, inputs, ValueRange{init}, maps,
        iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          Value product = args[0];
          for (Value factor : args.drop_front().drop_back())
            product = isFloat
                          ? arith::MulFOp::create(b, l, product, factor)
                                .getResult()
                          : arith::MulIOp::create(b, l, product, factor)
                                .getResult();
          Value sum =
              isFloat
                  ? arith::AddFOp::create(b, l, args.back(), product).getResult()
                  : arith::AddIOp::create(b, l, args.back(), product)
                        .getResult();
          linalg::YieldOp::create(b, l, sum);
        });
    rewriter.replaceOp(op, castToType(rewriter, loc, generic.getResult(0),
                                      cast<RankedTensorType>(op.getType())));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Det
//===----------------------------------------------------------------------===//

/// Returns the determinant of the `n x n` matrix `matrix` (a tensor the
/// function may overwrite) by Gaussian elimination with partial pivoting:
/// for each column, the row with the largest magnitude there is swapped up
/// (negating the determinant), the determinant is multiplied by the pivot,
/// and the rows below are reduced by it.
Value createDeterminant(OpBuilder &b, Location loc, Value matrix, Value n) {
  Type elementType = cast<RankedTensorType>(matrix.getType()).getElementType();
  Value zeroIndex = arith::ConstantIndexOp::create(b, loc, 0);
  Value oneIndex = arith::ConstantIndexOp::create(b, loc, 1);
  Value zero = createScalarConstant(b, loc, elementType, 0);
  Value one = createScalarConstant(b, loc, elementType, 1);
  Value minusOne = createScalarConstant(b, loc, elementType, -1);
  auto columns = scf::ForOp::create(
      b, loc, zeroIndex, n, oneIndex, ValueRange{matrix, one},
      [&](OpBuilder &b, Location l, Value c, ValueRange state) {
        Value m = state[0];
        // The pivot row: the largest magnitude in column c from row c on.
        auto search = scf::ForOp::create(
            b, l, c, n, oneIndex, ValueRange{c, minusOne},
            [&](OpBuilder &b, Location l, Value r, ValueRange best) {
              Value magnitude = math::AbsFOp::create(
                  b, l, tensor::ExtractOp::create(b, l, m, ValueRange{r, c}));
              Value larger = arith::CmpFOp::create(
                  b, l, arith::CmpFPredicate::OGT, magnitude, best[1]);
              scf::YieldOp::create(
                  b, l,
                  ValueRange{
                      arith::SelectOp::create(b, l, larger, r, best[0]),
                      arith::SelectOp::create(b, l, larger, magnitude,
                                              best[1])});
            });
        Value pivotRow = search.getResult(0);
        auto swap = scf::ForOp::create(
            b, l, zeroIndex, n, oneIndex, ValueRange{m},
            [&](OpBuilder &b, Location l, Value j, ValueRange rows) {
              Value upper =
                  tensor::ExtractOp::create(b, l, rows[0], ValueRange{c, j});
              Value lower = tensor::ExtractOp::create(
                  b, l, rows[0], ValueRange{pivotRow, j});
              Value swapped = tensor::InsertOp::create(
                  b, l, upper, rows[0], ValueRange{pivotRow, j});
              swapped = tensor::InsertOp::create(b, l, lower, swapped,
                                                 ValueRange{c, j});
              scf::YieldOp::create(b, l, swapped);
            });
        m = swap.getResult(0);
        Value rowsSwapped =
            arith::CmpIOp::create(b, l, P::ne, pivotRow, c);
        Value det = state[1];
        det = arith::SelectOp::create(b, l, rowsSwapped,
                                      arith::NegFOp::create(b, l, det), det);
        Value pivot = tensor::ExtractOp::create(b, l, m, ValueRange{c, c});
        det = arith::MulFOp::create(b, l, det, pivot);
        Value pivotIsZero =
            arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, pivot, zero);
        Value below = arith::AddIOp::create(b, l, c, oneIndex);
        auto eliminate = scf::ForOp::create(
            b, l, below, n, oneIndex, ValueRange{m},
            [&](OpBuilder &b, Location l, Value r, ValueRange rows) {
              Value factor = arith::DivFOp::create(
                  b, l, tensor::ExtractOp::create(b, l, rows[0], ValueRange{r, c}),
                  pivot);
              factor = arith::SelectOp::create(b, l, pivotIsZero, zero, factor);
              auto update = scf::ForOp::create(
                  b, l, c, n, oneIndex, ValueRange{rows[0]},
                  [&](OpBuilder &b, Location l, Value j, ValueRange inner) {
                    Value target = tensor::ExtractOp::create(
                        b, l, inner[0], ValueRange{r, j});
                    Value source = tensor::ExtractOp::create(
                        b, l, inner[0], ValueRange{c, j});
                    Value reduced = arith::SubFOp::create(
                        b, l, target,
                        arith::MulFOp::create(b, l, factor, source));
                    scf::YieldOp::create(
                        b, l,
                        tensor::InsertOp::create(b, l, reduced, inner[0],
                                                 ValueRange{r, j})
                            .getResult());
                  });
              scf::YieldOp::create(b, l, update.getResult(0));
            });
        scf::YieldOp::create(b, l, ValueRange{eliminate.getResult(0), det});
      });
  return columns.getResult(1);
}

/// graph.det -> an `scf.for` nest over the matrices, each copied and
/// reduced by createDeterminant.
struct DetLowering : OpConversionPattern<graph::DetOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::DetOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t rank = inputType.getRank();
    int64_t batchRank = rank - 2;
    Value rows = tensor::DimOp::create(rewriter, loc, input, rank - 2);
    Value columns = tensor::DimOp::create(rewriter, loc, input, rank - 1);
    createRuntimeCheck(
        rewriter, op,
        arith::CmpIOp::create(rewriter, loc, P::eq, rows, columns),
        "the matrices are not square");

    SmallVector<OpFoldResult> inputSizes =
        tensor::getMixedSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> batchSizes(inputSizes.begin(),
                                         inputSizes.begin() + batchRank);
    Value result = createEmptyWithSizes(rewriter, loc, resultType, batchSizes);
    auto matrixType = RankedTensorType::get(
        inputType.getShape().take_back(2), inputType.getElementType());
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    SmallVector<Value> lowerBounds(batchRank, zero), steps(batchRank, one);
    SmallVector<Value> upperBounds;
    for (OpFoldResult size : batchSizes)
      upperBounds.push_back(
          getValueOrCreateConstantIndexOp(rewriter, loc, size));
    scf::LoopNest nest = scf::buildLoopNest(
        rewriter, loc, lowerBounds, upperBounds, steps, ValueRange{result},
        [&](OpBuilder &b, Location l, ValueRange ivs,
            ValueRange iterArgs) -> scf::ValueVector {
          SmallVector<OpFoldResult> offsets(ivs.begin(), ivs.end());
          offsets.append(2, b.getIndexAttr(0));
          SmallVector<OpFoldResult> sizes(batchRank, b.getIndexAttr(1));
          sizes.append(inputSizes.end() - 2, inputSizes.end());
          SmallVector<OpFoldResult> strides(rank, b.getIndexAttr(1));
          Value matrix = tensor::ExtractSliceOp::create(
              b, l, matrixType, input, offsets, sizes, strides);
          Value det = createDeterminant(b, l, createCopy(b, l, matrix), rows);
          return {tensor::InsertOp::create(b, l, det, iterArgs[0], ivs)
                      .getResult()};
        });
    rewriter.replaceOp(op, nest.results.front());
    return success();
  }
};

//===----------------------------------------------------------------------===//
// TfIdfVectorizer
//===----------------------------------------------------------------------===//

/// One n-gram of a TfIdfVectorizer pool.
struct PoolNgram {
  SmallVector<int64_t> tokens;
  /// The result column it counts into.
  int64_t column;
};

/// Returns the n-grams of `op`'s pool whose length it counts (in
/// [min_gram_length, max_gram_length]).
SmallVector<PoolNgram> getCountedNgrams(graph::TfIdfVectorizerOp op) {
  ArrayRef<int64_t> counts = op.getNgramCounts();
  ArrayRef<int64_t> pool = op.getPoolInt64s();
  ArrayRef<int64_t> columns = op.getNgramIndexes();
  SmallVector<PoolNgram> ngrams;
  int64_t next = 0;
  for (auto [k, start] : llvm::enumerate(counts)) {
    int64_t length = k + 1;
    int64_t end = k + 1 < counts.size() ? counts[k + 1]
                                        : static_cast<int64_t>(pool.size());
    for (int64_t at = start; at + length <= end; at += length, ++next)
      if (length >= op.getMinGramLength() && length <= op.getMaxGramLength())
        ngrams.push_back(
            {SmallVector<int64_t>(pool.slice(at, length)), columns[next]});
  }
  return ngrams;
}

/// graph.tfidf_vectorizer -> three `linalg.generic`s: the count of each
/// pool n-gram in each row (a reduction over the gaps and the start
/// positions, each n-gram's tokens compared in the body), the sum of those
/// counts per result column, and the weighting of `mode`. A vector input is
/// a matrix of one row.
struct TfIdfVectorizerLowering
    : OpConversionPattern<graph::TfIdfVectorizerOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::TfIdfVectorizerOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    Value input = adaptor.getInput();
    bool isVector = cast<RankedTensorType>(input.getType()).getRank() == 1;
    if (isVector)
      input = expandUnitDims(rewriter, loc, input, {true, false});
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t columns = resultType.getShape().back();
    Value rows = tensor::DimOp::create(rewriter, loc, input, 0);
    Value length = tensor::DimOp::create(rewriter, loc, input, 1);
    // One row, statically, for a vector input (so that it collapses back).
    auto matrixType = RankedTensorType::get(
        {isVector ? 1 : ShapedType::kDynamic, columns}, rewriter.getF32Type());
    SmallVector<Value> dynamicRows;
    if (!isVector)
      dynamicRows.push_back(rows);
    Value zeroF32 = createScalarConstant(rewriter, loc, rewriter.getF32Type(), 0);
    Value result =
        createFilledTensor(rewriter, loc, matrixType, dynamicRows, zeroF32);

    SmallVector<PoolNgram> ngrams = getCountedNgrams(op);
    if (!ngrams.empty()) {
      // The n-grams as constants: lengths, tokens (padded to the longest)
      // and result columns; the gaps as distances 1 ..< max_skip_count + 2.
      int64_t count = ngrams.size();
      int64_t longest = 0;
      for (const PoolNgram &ngram : ngrams)
        longest = std::max<int64_t>(longest, ngram.tokens.size());
      SmallVector<int64_t> lengths, tokens, ngramColumns, distances;
      for (const PoolNgram &ngram : ngrams) {
        lengths.push_back(ngram.tokens.size());
        ngramColumns.push_back(ngram.column);
        for (int64_t j = 0; j < longest; ++j)
          tokens.push_back(j < static_cast<int64_t>(ngram.tokens.size())
                               ? ngram.tokens[j]
                               : 0);
      }
      for (int64_t d = 1; d <= op.getMaxSkipCount() + 1; ++d)
        distances.push_back(d);
      auto vectorOf = [&](ArrayRef<int64_t> values) -> Value {
        auto type = RankedTensorType::get(
            {static_cast<int64_t>(values.size())}, rewriter.getI64Type());
        return arith::ConstantOp::create(rewriter, loc,
                                         DenseElementsAttr::get(type, values));
      };
      Value lengthsTensor = vectorOf(lengths);
      Value distancesTensor = vectorOf(distances);
      Value columnsTensor = vectorOf(ngramColumns);
      Value tokensTensor = arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(
              RankedTensorType::get({count, longest}, rewriter.getI64Type()),
              ArrayRef<int64_t>(tokens)));

      // counts[n, p]: loops (n, p, d, s) over rows, n-grams, distances and
      // start positions.
      auto countsType = RankedTensorType::get({ShapedType::kDynamic, count},
                                              rewriter.getI64Type());
      Value zeroI64 = arith::ConstantIntOp::create(rewriter, loc, 0, 64);
      Value countsInit =
          createFilledTensor(rewriter, loc, countsType, {rows}, zeroI64);
      auto map = [&](ArrayRef<unsigned> dims, unsigned numDims) {
        SmallVector<AffineExpr> exprs;
        for (unsigned d : dims)
          exprs.push_back(getAffineDimExpr(d, context));
        return AffineMap::get(numDims, 0, exprs, context);
      };
      auto counts = linalg::GenericOp::create(
          rewriter, loc, TypeRange{countsType},
          ValueRange{input, lengthsTensor, distancesTensor},
          ValueRange{countsInit},
          SmallVector<AffineMap>{map({0, 3}, 4), map({1}, 4), map({2}, 4),
                                 map({0, 1}, 4)},
          SmallVector<utils::IteratorType>{utils::IteratorType::parallel,
                                           utils::IteratorType::parallel,
                                           utils::IteratorType::reduction,
                                           utils::IteratorType::reduction},
          [&](OpBuilder &b, Location l, ValueRange args) {
            Value ngramLength = args[1];
            Value distance =
                arith::IndexCastOp::create(b, l, b.getIndexType(), args[2]);
            Value row = linalg::IndexOp::create(b, l, 0);
            Value ngram = linalg::IndexOp::create(b, l, 1);
            Value start = linalg::IndexOp::create(b, l, 3);
            Value last = arith::SubIOp::create(
                b, l, length, arith::ConstantIndexOp::create(b, l, 1));
            Value matches = arith::ConstantIntOp::create(b, l, 1, 1);
            for (int64_t j = 0; j < longest; ++j) {
              Value position = arith::AddIOp::create(
                  b, l, start,
                  arith::MulIOp::create(
                      b, l, distance, arith::ConstantIndexOp::create(b, l, j)));
              Value inside =
                  arith::CmpIOp::create(b, l, P::slt, position, length);
              Value token = tensor::ExtractOp::create(
                  b, l, input,
                  ValueRange{row,
                             arith::MinSIOp::create(b, l, position, last)});
              token = toI64(b, l, token, /*isUnsigned=*/false);
              Value expected = tensor::ExtractOp::create(
                  b, l, tokensTensor,
                  ValueRange{ngram, arith::ConstantIndexOp::create(b, l, j)});
              Value equal = arith::AndIOp::create(
                  b, l, inside,
                  arith::CmpIOp::create(b, l, P::eq, token, expected));
              Value needed = arith::CmpIOp::create(
                  b, l, P::sgt, ngramLength,
                  arith::ConstantIntOp::create(b, l, j, 64));
              matches = arith::AndIOp::create(
                  b, l, matches,
                  arith::OrIOp::create(
                      b, l,
                      arith::XOrIOp::create(
                          b, l, needed,
                          arith::ConstantIntOp::create(b, l, 1, 1)),
                      equal));
            }
            // A unigram counts once per position: with the first distance.
            Value one = arith::ConstantIntOp::create(b, l, 1, 64);
            Value counted = arith::AndIOp::create(
                b, l, matches,
                arith::OrIOp::create(
                    b, l,
                    arith::CmpIOp::create(b, l, P::sgt, ngramLength, one),
                    arith::CmpIOp::create(b, l, P::eq, args[2], one)));
            Value increment = arith::ExtUIOp::create(b, l, b.getI64Type(),
                                                     counted);
            linalg::YieldOp::create(
                b, l,
                arith::AddIOp::create(b, l, args[3], increment).getResult());
          });

      // result[n, c] = the sum of the counts of the n-grams of column c.
      auto sums = linalg::GenericOp::create(
          rewriter, loc, TypeRange{matrixType},
          ValueRange{counts.getResult(0), columnsTensor}, ValueRange{result},
          SmallVector<AffineMap>{map({0, 2}, 3), map({2}, 3), map({0, 1}, 3)},
          SmallVector<utils::IteratorType>{utils::IteratorType::parallel,
                                           utils::IteratorType::parallel,
                                           utils::IteratorType::reduction},
          [&](OpBuilder &b, Location l, ValueRange args) {
            Value column = arith::IndexCastOp::create(
                b, l, b.getI64Type(), linalg::IndexOp::create(b, l, 1));
            Value mine = arith::CmpIOp::create(b, l, P::eq, args[1], column);
            Value value =
                arith::SIToFPOp::create(b, l, b.getF32Type(), args[0]);
            Value zero = createScalarConstant(b, l, b.getF32Type(), 0);
            linalg::YieldOp::create(
                b, l,
                arith::AddFOp::create(
                    b, l, args[2],
                    arith::SelectOp::create(b, l, mine, value, zero))
                    .getResult());
          });
      result = sums.getResult(0);
    }

    // Weighting: IDF writes the weight where the count is not zero, TFIDF
    // multiplies the count by it.
    StringRef mode = op.getMode();
    if (mode != "TF") {
      SmallVector<float> weights(columns, 1.0f);
      if (std::optional<ArrayRef<float>> given = op.getWeights())
        weights.assign(given->begin(), given->begin() + columns);
      Value weightsTensor = arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(
              RankedTensorType::get({columns}, rewriter.getF32Type()),
              ArrayRef<float>(weights)));
      bool idf = mode == "IDF";
      Value init = createEmptyWithSizes(
          rewriter, loc, matrixType,
          {rows, rewriter.getIndexAttr(columns)});
      auto weighted = linalg::GenericOp::create(
          rewriter, loc, TypeRange{matrixType},
          ValueRange{result, weightsTensor}, ValueRange{init},
          SmallVector<AffineMap>{
              rewriter.getMultiDimIdentityMap(2),
              AffineMap::get(2, 0, {getAffineDimExpr(1, context)}, context),
              rewriter.getMultiDimIdentityMap(2)},
          SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel),
          [&](OpBuilder &b, Location l, ValueRange args) {
            Value value;
            if (idf) {
              Value zero = createScalarConstant(b, l, b.getF32Type(), 0);
              Value present = arith::CmpFOp::create(
                  b, l, arith::CmpFPredicate::OGT, args[0], zero);
              value = arith::SelectOp::create(b, l, present, args[1], zero);
            } else {
              value = arith::MulFOp::create(b, l, args[0], args[1]);
            }
            linalg::YieldOp::create(b, l, value);
          });
      result = weighted.getResult(0);
    }
    if (isVector)
      result = collapseUnitDims(rewriter, loc, result, {true, false});
    rewriter.replaceOp(op, castToType(rewriter, loc, result, resultType));
    return success();
  }
};

} // namespace

void exaforge::populateGraphIndexingToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<GatherNDLowering, ScatterNDLowering, ScatterElementsLowering,
               TopKLowering, OneHotLowering, EyeLikeLowering,
               ReverseSequenceLowering, EinsumLowering, DetLowering,
               TfIdfVectorizerLowering>(patterns.getContext());
}
