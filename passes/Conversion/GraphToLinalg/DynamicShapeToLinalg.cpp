//===- DynamicShapeToLinalg.cpp - Ops with data-dependent result sizes ----===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Lowers NonZero, Compress, Unique and NonMaxSuppression, whose result size
// depends on the values of their operands. Each is computed in two steps in
// the compiled code: a loop that counts the result's elements (the size of
// the data-dependent dimension), then a `tensor.empty` of that size filled
// by a second loop. The loops are `scf.for` over tensors (elements read with
// `tensor.extract`, written with `tensor.insert`); they are sequential, and
// Unique and NonMaxSuppression compare every pair of elements or boxes
// (quadratic in their number), which suits the sizes these ops see in
// models (detections, vocabularies), not large tensors. The result, a
// tensor with a dynamic dimension, reaches the caller with its run-time
// sizes in its descriptor (docs/design/compiled-artifact.md).
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/GraphToLinalg/GraphToLinalg.h"
#include "passes/Conversion/GraphToLinalg/LoweringUtils.h"
#include "passes/Conversion/GraphToLinalg/RuntimeParams.h"

#include "dialects/Graph/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace exaforge;
using namespace exaforge::lowering;

namespace {

//===----------------------------------------------------------------------===//
// Loop helpers
//===----------------------------------------------------------------------===//

/// Builds the body of a loop: given the induction variable and the values
/// carried from the previous iteration, returns those of the next one.
using LoopBody = llvm::function_ref<SmallVector<Value>(OpBuilder &, Location,
                                                       Value, ValueRange)>;

/// Creates `scf.for %i = lower to upper` (step 1) carrying `inits` and
/// returns its results.
SmallVector<Value> createLoop(OpBuilder &b, Location loc, Value lower,
                              Value upper, ValueRange inits, LoopBody body) {
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  auto loop = scf::ForOp::create(
      b, loc, lower, upper, one, inits,
      [&](OpBuilder &nested, Location nestedLoc, Value iv, ValueRange args) {
        scf::YieldOp::create(nested, nestedLoc,
                             body(nested, nestedLoc, iv, args));
      });
  return SmallVector<Value>(loop.getResults());
}

/// Like createLoop, from 0.
SmallVector<Value> createLoop(OpBuilder &b, Location loc, Value upper,
                              ValueRange inits, LoopBody body) {
  return createLoop(b, loc, arith::ConstantIndexOp::create(b, loc, 0), upper,
                    inits, body);
}

/// Returns `then()` when `condition` holds and `values` otherwise, through
/// an `scf.if` (`then` returns values of the types of `values`).
SmallVector<Value> createIfElse(
    OpBuilder &b, Location loc, Value condition, ValueRange values,
    llvm::function_ref<SmallVector<Value>(OpBuilder &, Location)> then) {
  auto ifOp = scf::IfOp::create(
      b, loc, condition,
      [&](OpBuilder &nested, Location nestedLoc) {
        scf::YieldOp::create(nested, nestedLoc, then(nested, nestedLoc));
      },
      [&](OpBuilder &nested, Location nestedLoc) {
        scf::YieldOp::create(nested, nestedLoc, values);
      });
  return SmallVector<Value>(ifOp.getResults());
}

Value constantIndex(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

/// `value + 1` when `condition` holds, `value` otherwise (index values).
Value incrementIf(OpBuilder &b, Location loc, Value condition, Value value) {
  Value next = arith::AddIOp::create(b, loc, value, constantIndex(b, loc, 1));
  return arith::SelectOp::create(b, loc, condition, next, value);
}

Value toI64(OpBuilder &b, Location loc, Value index) {
  return arith::IndexCastOp::create(b, loc, b.getI64Type(), index);
}

Value toIndex(OpBuilder &b, Location loc, Value integer) {
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), integer);
}

/// Whether the scalar `value` (float or signless integer) is not zero.
Value isNonZero(OpBuilder &b, Location loc, Value value) {
  Value zero = createScalarConstant(b, loc, value.getType(), 0.0);
  if (isa<FloatType>(value.getType()))
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, value,
                                 zero);
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, value, zero);
}

/// The product of the sizes of dimensions [first, last) of `value`.
Value getSizeProduct(OpBuilder &b, Location loc, Value value, int64_t first,
                     int64_t last) {
  Value product = constantIndex(b, loc, 1);
  for (int64_t d = first; d < last; ++d)
    product = arith::MulIOp::create(b, loc, product,
                                    tensor::DimOp::create(b, loc, value, d));
  return product;
}

/// Views `value` as the 3-D tensor `[outer, n, inner]` around dimension
/// `axis` (outer: the dimensions before it, inner: those after), or, when
/// `axis` is absent, as `[1, elements, 1]`.
Value viewAroundAxis(OpBuilder &b, Location loc, Value value,
                     std::optional<int64_t> axis) {
  auto type = cast<RankedTensorType>(value.getType());
  int64_t rank = type.getRank();
  SmallVector<OpFoldResult> sizes;
  if (axis) {
    sizes = {getSizeProduct(b, loc, value, 0, *axis),
             tensor::DimOp::create(b, loc, value, *axis).getResult(),
             getSizeProduct(b, loc, value, *axis + 1, rank)};
  } else {
    sizes = {b.getIndexAttr(1), getSizeProduct(b, loc, value, 0, rank),
             b.getIndexAttr(1)};
  }
  auto viewType =
      RankedTensorType::get(getStaticSizes(sizes), type.getElementType());
  return reshapeToSizes(b, loc, value, viewType, sizes);
}

/// The 1-D view of `value` (all its elements in row-major order).
Value flatten(OpBuilder &b, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<OpFoldResult> sizes = {
      getSizeProduct(b, loc, value, 0, type.getRank())};
  return reshapeToSizes(
      b, loc, value,
      RankedTensorType::get(getStaticSizes(sizes), type.getElementType()),
      sizes);
}

//===----------------------------------------------------------------------===//
// NonZero
//===----------------------------------------------------------------------===//

/// graph.non_zero -> count the non-zero elements, then write the
/// coordinates of each into its column.
struct NonZeroLowering : OpConversionPattern<graph::NonZeroOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::NonZeroOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = castToSignless(rewriter, loc, adaptor.getInput());
    int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
    if (rank == 0)
      return failLowering(rewriter, op, "a rank-0 input");
    SmallVector<Value> dims;
    for (int64_t d = 0; d < rank; ++d)
      dims.push_back(tensor::DimOp::create(rewriter, loc, input, d));
    Value flat = flatten(rewriter, loc, input);
    Value elements = tensor::DimOp::create(rewriter, loc, flat, 0);
    auto isSet = [&](OpBuilder &b, Location l, Value i) {
      return isNonZero(b, l, tensor::ExtractOp::create(b, l, flat, i));
    };
    Value count = createLoop(
        rewriter, loc, elements, {constantIndex(rewriter, loc, 0)},
        [&](OpBuilder &b, Location l, Value i, ValueRange args) {
          return SmallVector<Value>{incrementIf(b, l, isSet(b, l, i), args[0])};
        })[0];
    auto resultType = cast<RankedTensorType>(op.getType());
    Value result = createEmptyTensor(rewriter, loc, resultType, {count});
    result = createLoop(
        rewriter, loc, elements, {result, constantIndex(rewriter, loc, 0)},
        [&](OpBuilder &b, Location l, Value i, ValueRange args) {
          return createIfElse(
              b, l, isSet(b, l, i), args, [&](OpBuilder &t, Location tl) {
                Value column = args[0], remainder = i;
                for (int64_t d = rank - 1; d >= 0; --d) {
                  Value coordinate =
                      arith::RemUIOp::create(t, tl, remainder, dims[d]);
                  remainder = arith::DivUIOp::create(t, tl, remainder, dims[d]);
                  column = tensor::InsertOp::create(
                      t, tl, toI64(t, tl, coordinate), column,
                      ValueRange{constantIndex(t, tl, d), args[1]});
                }
                return SmallVector<Value>{
                    column, arith::AddIOp::create(t, tl, args[1],
                                                  constantIndex(t, tl, 1))};
              });
        })[0];
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Compress
//===----------------------------------------------------------------------===//

/// Copies slice `from` of the 3-D `source` ([outer, n, inner]) to slice `to`
/// of the 3-D `target`.
Value copySlice(OpBuilder &b, Location loc, Value source, Value from,
                Value target, Value to) {
  Value outer = tensor::DimOp::create(b, loc, source, 0);
  Value inner = tensor::DimOp::create(b, loc, source, 2);
  OpFoldResult zero = b.getIndexAttr(0), one = b.getIndexAttr(1);
  SmallVector<OpFoldResult> sizes = {outer, one, inner};
  SmallVector<OpFoldResult> strides(3, one);
  Value slice = tensor::ExtractSliceOp::create(
      b, loc, source, SmallVector<OpFoldResult>{zero, from, zero}, sizes,
      strides);
  return tensor::InsertSliceOp::create(
      b, loc, slice, target, SmallVector<OpFoldResult>{zero, to, zero}, sizes,
      strides);
}

/// Returns `view` ([outer, count, inner], a 3-D view around the axis of the
/// op's input) reshaped to `resultType`: the input's sizes with `count`
/// along `axis`, or `[count]` without an axis.
Value reshapeFromView(OpBuilder &b, Location loc, Value view, Value input,
                      RankedTensorType resultType, std::optional<int64_t> axis,
                      Value count) {
  SmallVector<OpFoldResult> sizes;
  if (!axis) {
    sizes.push_back(count);
  } else {
    sizes = tensor::getMixedSizes(b, loc, input);
    sizes[*axis] = count;
  }
  return reshapeToSizes(b, loc, view, resultType, sizes);
}

/// graph.compress -> count the selected slices, then copy each into place.
struct CompressLowering : OpConversionPattern<graph::CompressOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::CompressOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    std::optional<int64_t> axis;
    if (op.getAxis()) {
      FailureOr<int64_t> normalized =
          normalizeAxisOrFail(rewriter, op, *op.getAxis(), inputType.getRank());
      if (failed(normalized))
        return failure();
      axis = *normalized;
    }
    Value view = viewAroundAxis(rewriter, loc, input, axis);
    Value condition = adaptor.getCondition();
    // Entries of `condition` past the axis are ignored.
    Value slices = arith::MinUIOp::create(
        rewriter, loc, tensor::DimOp::create(rewriter, loc, view, 1),
        tensor::DimOp::create(rewriter, loc, condition, 0));
    auto isSelected = [&](OpBuilder &b, Location l, Value i) -> Value {
      return tensor::ExtractOp::create(b, l, condition, i);
    };
    Value count =
        createLoop(rewriter, loc, slices, {constantIndex(rewriter, loc, 0)},
                   [&](OpBuilder &b, Location l, Value i, ValueRange args) {
                     return SmallVector<Value>{
                         incrementIf(b, l, isSelected(b, l, i), args[0])};
                   })[0];
    auto viewType = cast<RankedTensorType>(view.getType());
    Value selected = tensor::EmptyOp::create(
        rewriter, loc,
        SmallVector<OpFoldResult>{
            tensor::DimOp::create(rewriter, loc, view, 0).getResult(), count,
            tensor::DimOp::create(rewriter, loc, view, 2).getResult()},
        viewType.getElementType());
    selected = createLoop(
        rewriter, loc, slices, {selected, constantIndex(rewriter, loc, 0)},
        [&](OpBuilder &b, Location l, Value i, ValueRange args) {
          return createIfElse(
              b, l, isSelected(b, l, i), args, [&](OpBuilder &t, Location tl) {
                return SmallVector<Value>{
                    copySlice(t, tl, view, i, args[0], args[1]),
                    arith::AddIOp::create(t, tl, args[1],
                                          constantIndex(t, tl, 1))};
              });
        })[0];
    rewriter.replaceOp(op, reshapeFromView(rewriter, loc, selected, input,
                                           cast<RankedTensorType>(op.getType()),
                                           axis, count));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Unique
//===----------------------------------------------------------------------===//

/// Compares slices `i` and `j` of the 3-D `view` ([outer, n, inner])
/// lexicographically (in row-major order of their elements) and returns an
/// `i32`: -1 when slice `i` is smaller, 1 when it is larger, 0 when they are
/// equal. `isUnsigned` compares integers as unsigned. A float NaN is larger
/// than every number and compares as equal to a NaN here, which makes the
/// order total; whether two slices holding a NaN are the same value is the
/// caller's (see sliceHasNaN).
Value compareSlices(OpBuilder &b, Location loc, Value view, Value i, Value j,
                    bool isUnsigned) {
  Value outer = tensor::DimOp::create(b, loc, view, 0);
  Value inner = tensor::DimOp::create(b, loc, view, 2);
  Value elements = arith::MulIOp::create(b, loc, outer, inner);
  Type i32 = b.getI32Type();
  Value zero = arith::ConstantIntOp::create(b, loc, i32, 0);
  Value minusOne = arith::ConstantIntOp::create(b, loc, i32, -1);
  Value one = arith::ConstantIntOp::create(b, loc, i32, 1);
  return createLoop(
      b, loc, elements, {zero},
      [&](OpBuilder &nb, Location l, Value p, ValueRange args) {
        Value o = arith::DivUIOp::create(nb, l, p, inner);
        Value k = arith::RemUIOp::create(nb, l, p, inner);
        Value lhs = tensor::ExtractOp::create(nb, l, view, ValueRange{o, i, k});
        Value rhs = tensor::ExtractOp::create(nb, l, view, ValueRange{o, j, k});
        Value less, greater;
        if (isa<FloatType>(lhs.getType())) {
          // x < y, or y alone is NaN; x > y, or x alone is NaN.
          Value lhsNaN = arith::CmpFOp::create(
              nb, l, arith::CmpFPredicate::UNO, lhs, lhs);
          Value rhsNaN = arith::CmpFOp::create(
              nb, l, arith::CmpFPredicate::UNO, rhs, rhs);
          Value lhsNumber = arith::CmpFOp::create(
              nb, l, arith::CmpFPredicate::ORD, lhs, lhs);
          Value rhsNumber = arith::CmpFOp::create(
              nb, l, arith::CmpFPredicate::ORD, rhs, rhs);
          less = arith::OrIOp::create(
              nb, l,
              arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OLT, lhs, rhs),
              arith::AndIOp::create(nb, l, rhsNaN, lhsNumber));
          greater = arith::OrIOp::create(
              nb, l,
              arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OGT, lhs, rhs),
              arith::AndIOp::create(nb, l, lhsNaN, rhsNumber));
        } else {
          less = arith::CmpIOp::create(nb, l,
                                       isUnsigned ? arith::CmpIPredicate::ult
                                                  : arith::CmpIPredicate::slt,
                                       lhs, rhs);
          greater =
              arith::CmpIOp::create(nb, l,
                                    isUnsigned ? arith::CmpIPredicate::ugt
                                               : arith::CmpIPredicate::sgt,
                                    lhs, rhs);
        }
        Value order = arith::SelectOp::create(
            nb, l, less, minusOne,
            arith::SelectOp::create(nb, l, greater, one, zero));
        Value undecided = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::eq,
                                                args[0], zero);
        return SmallVector<Value>{
            arith::SelectOp::create(nb, l, undecided, order, args[0])};
      })[0];
}

/// Returns an `i1`: whether slice `i` of the 3-D `view` ([outer, n, inner])
/// holds a NaN (always false for integers).
Value sliceHasNaN(OpBuilder &b, Location loc, Value view, Value i) {
  Value noNaN = arith::ConstantIntOp::create(b, loc, b.getI1Type(), 0);
  if (!isa<FloatType>(cast<RankedTensorType>(view.getType()).getElementType()))
    return noNaN;
  Value outer = tensor::DimOp::create(b, loc, view, 0);
  Value inner = tensor::DimOp::create(b, loc, view, 2);
  Value elements = arith::MulIOp::create(b, loc, outer, inner);
  return createLoop(
      b, loc, elements, {noNaN},
      [&](OpBuilder &nb, Location l, Value p, ValueRange args) {
        Value o = arith::DivUIOp::create(nb, l, p, inner);
        Value k = arith::RemUIOp::create(nb, l, p, inner);
        Value x = tensor::ExtractOp::create(nb, l, view, ValueRange{o, i, k});
        Value isNaN =
            arith::CmpFOp::create(nb, l, arith::CmpFPredicate::UNO, x, x);
        return SmallVector<Value>{arith::OrIOp::create(nb, l, args[0], isNaN)};
      })[0];
}

/// graph.unique -> for each slice along the axis (each element without an
/// axis), the first slice equal to it; the distinct slices are the first
/// occurrences, numbered in order of occurrence or, when sorted, by the
/// number of distinct slices smaller than each. Then the outputs are
/// written from these numbers.
///
/// A slice holding a NaN equals no other slice (NaN != NaN; numpy's
/// `unique(..., equal_nan=False)`, PyTorch's `unique`); sorted, such slices
/// come after the numbers at the same position, in order of occurrence.
/// onnxruntime has no defined answer there (its ordered map is given a
/// comparison that is no strict weak order: Unique([nan, nan]) is one NaN
/// counted twice, Unique([2, nan, 1, nan]) folds the NaNs into 1 and 2;
/// found by utils/diff_fuzz.py, where Unique is in NAN_UNRELIABLE_OPS).
struct UniqueLowering : OpConversionPattern<graph::UniqueOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::UniqueOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto originalType = cast<RankedTensorType>(op.getInput().getType());
    bool isUnsigned = originalType.getElementType().isUnsignedInteger();
    Value input = castToSignless(rewriter, loc, adaptor.getInput());
    std::optional<int64_t> axis;
    if (op.getAxis()) {
      FailureOr<int64_t> normalized = normalizeAxisOrFail(
          rewriter, op, *op.getAxis(), originalType.getRank());
      if (failed(normalized))
        return failure();
      axis = *normalized;
    }
    Value view = viewAroundAxis(rewriter, loc, input, axis);
    Value n = tensor::DimOp::create(rewriter, loc, view, 1);
    Value zero = constantIndex(rewriter, loc, 0);
    Type i64 = rewriter.getI64Type();
    auto vectorType = RankedTensorType::get({ShapedType::kDynamic}, i64);
    auto isEqual = [&](OpBuilder &b, Location l, Value i, Value j) {
      return arith::CmpIOp::create(
          b, l, arith::CmpIPredicate::eq,
          compareSlices(b, l, view, i, j, isUnsigned),
          arith::ConstantIntOp::create(b, l, b.getI32Type(), 0));
    };

    // first[i]: the first slice equal to slice i (i itself when it holds a
    // NaN); `distinct` counts the slices that are their own first
    // occurrence.
    Value first = createEmptyTensor(rewriter, loc, vectorType, {n});
    SmallVector<Value> firstAndCount = createLoop(
        rewriter, loc, n, {first, zero},
        [&](OpBuilder &b, Location l, Value i, ValueRange args) {
          Value noNaN = arith::XOrIOp::create(
              b, l, sliceHasNaN(b, l, view, i),
              arith::ConstantIntOp::create(b, l, b.getI1Type(), 1));
          Value firstOfI = createLoop(
              b, l, i, {i},
              [&](OpBuilder &nb, Location nl, Value j, ValueRange inner) {
                Value undecided = arith::AndIOp::create(
                    nb, nl, noNaN,
                    arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::eq,
                                          inner[0], i));
                Value found = arith::AndIOp::create(nb, nl, undecided,
                                                    isEqual(nb, nl, i, j));
                return SmallVector<Value>{
                    arith::SelectOp::create(nb, nl, found, j, inner[0])};
              })[0];
          Value isFirst = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq,
                                                firstOfI, i);
          return SmallVector<Value>{
              tensor::InsertOp::create(b, l, toI64(b, l, firstOfI), args[0],
                                       ValueRange{i}),
              incrementIf(b, l, isFirst, args[1])};
        });
    first = firstAndCount[0];
    Value distinct = firstAndCount[1];
    auto isFirstOccurrence = [&](OpBuilder &b, Location l, Value i) {
      Value firstOfI = toIndex(b, l, tensor::ExtractOp::create(b, l, first, i));
      return arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, firstOfI, i);
    };

    // position[i], for a first occurrence i: its place in the output.
    Value position = createEmptyTensor(rewriter, loc, vectorType, {n});
    position = createLoop(
        rewriter, loc, n, {position, zero},
        [&](OpBuilder &b, Location l, Value i, ValueRange args) {
          Value isFirst = isFirstOccurrence(b, l, i);
          Value place = args[1];
          if (op.getSorted()) {
            place = createLoop(
                b, l, n, {zero},
                [&](OpBuilder &nb, Location nl, Value j, ValueRange inner) {
                  // j before i: smaller, or equal in the order (two
                  // distinct slices holding NaNs) and earlier.
                  Value order = compareSlices(nb, nl, view, j, i, isUnsigned);
                  Value smaller = arith::OrIOp::create(
                      nb, nl,
                      arith::CmpIOp::create(
                          nb, nl, arith::CmpIPredicate::eq, order,
                          arith::ConstantIntOp::create(nb, nl, nb.getI32Type(),
                                                       -1)),
                      arith::AndIOp::create(
                          nb, nl,
                          arith::CmpIOp::create(
                              nb, nl, arith::CmpIPredicate::eq, order,
                              arith::ConstantIntOp::create(
                                  nb, nl, nb.getI32Type(), 0)),
                          arith::CmpIOp::create(
                              nb, nl, arith::CmpIPredicate::ult, j, i)));
                  Value counted = arith::AndIOp::create(
                      nb, nl, smaller, isFirstOccurrence(nb, nl, j));
                  return SmallVector<Value>{
                      incrementIf(nb, nl, counted, inner[0])};
                })[0];
          }
          Value written = createIfElse(
              b, l, isFirst, {args[0]}, [&](OpBuilder &t, Location tl) {
                return SmallVector<Value>{tensor::InsertOp::create(
                    t, tl, toI64(t, tl, place), args[0], ValueRange{i})};
              })[0];
          return SmallVector<Value>{written,
                                    incrementIf(b, l, isFirst, args[1])};
        })[0];

    // The outputs.
    auto viewType = cast<RankedTensorType>(view.getType());
    Value values = tensor::EmptyOp::create(
        rewriter, loc,
        SmallVector<OpFoldResult>{
            tensor::DimOp::create(rewriter, loc, view, 0).getResult(), distinct,
            tensor::DimOp::create(rewriter, loc, view, 2).getResult()},
        viewType.getElementType());
    Value indices = createEmptyTensor(rewriter, loc, vectorType, {distinct});
    Value inverse = createEmptyTensor(rewriter, loc, vectorType, {n});
    Value counts =
        createFilledTensor(rewriter, loc, vectorType, {distinct},
                           arith::ConstantIntOp::create(rewriter, loc, i64, 0));
    SmallVector<Value> outputs = createLoop(
        rewriter, loc, n, {values, indices, inverse, counts},
        [&](OpBuilder &b, Location l, Value i, ValueRange args) {
          Value firstOfI =
              toIndex(b, l, tensor::ExtractOp::create(b, l, first, i));
          Value place = toIndex(
              b, l, tensor::ExtractOp::create(b, l, position, firstOfI));
          Value inverseNext = tensor::InsertOp::create(b, l, toI64(b, l, place),
                                                       args[2], ValueRange{i});
          Value count = tensor::ExtractOp::create(b, l, args[3], place);
          Value countsNext = tensor::InsertOp::create(
              b, l,
              arith::AddIOp::create(b, l, count,
                                    arith::ConstantIntOp::create(b, l, i64, 1)),
              args[3], ValueRange{place});
          SmallVector<Value> firstOutputs = createIfElse(
              b, l, isFirstOccurrence(b, l, i), {args[0], args[1]},
              [&](OpBuilder &t, Location tl) {
                return SmallVector<Value>{
                    copySlice(t, tl, view, i, args[0], place),
                    tensor::InsertOp::create(t, tl, toI64(t, tl, i), args[1],
                                             ValueRange{place})};
              });
          return SmallVector<Value>{firstOutputs[0], firstOutputs[1],
                                    inverseNext, countsNext};
        });

    auto resultType = cast<RankedTensorType>(op.getOutput().getType());
    Value output =
        reshapeFromView(rewriter, loc, outputs[0], input,
                        getSignlessTensorType(resultType), axis, distinct);
    auto castVector = [&](Value value, Type type) {
      return castToType(rewriter, loc, value, cast<RankedTensorType>(type));
    };
    rewriter.replaceOp(
        op, {castToType(rewriter, loc, output, resultType),
             castVector(outputs[1], op.getIndices().getType()),
             castVector(outputs[2], op.getInverseIndices().getType()),
             castVector(outputs[3], op.getCounts().getType())});
    return success();
  }
};

//===----------------------------------------------------------------------===//
// NonMaxSuppression
//===----------------------------------------------------------------------===//

/// The edges of a box: `[min, max]` along x and y.
struct BoxEdges {
  Value xMin, xMax, yMin, yMax;
};

/// Reads box `box` of batch `batch` from `boxes` ([batches, boxes, 4]) as
/// f32 edges: `[y1, x1, y2, x2]` corners in either order, or with
/// `centerPointBox` `[x_center, y_center, width, height]`.
BoxEdges readBox(OpBuilder &b, Location loc, Value boxes, Value batch,
                 Value box, bool centerPointBox) {
  Value v[4];
  for (int64_t k = 0; k < 4; ++k)
    v[k] = convertFloat(
        b, loc,
        tensor::ExtractOp::create(
            b, loc, boxes, ValueRange{batch, box, constantIndex(b, loc, k)}),
        b.getF32Type());
  if (centerPointBox) {
    Value half = createScalarConstant(b, loc, b.getF32Type(), 0.5);
    Value halfWidth = arith::MulFOp::create(b, loc, v[2], half);
    Value halfHeight = arith::MulFOp::create(b, loc, v[3], half);
    return {arith::SubFOp::create(b, loc, v[0], halfWidth),
            arith::AddFOp::create(b, loc, v[0], halfWidth),
            arith::SubFOp::create(b, loc, v[1], halfHeight),
            arith::AddFOp::create(b, loc, v[1], halfHeight)};
  }
  return {arith::MinimumFOp::create(b, loc, v[1], v[3]),
          arith::MaximumFOp::create(b, loc, v[1], v[3]),
          arith::MinimumFOp::create(b, loc, v[0], v[2]),
          arith::MaximumFOp::create(b, loc, v[0], v[2])};
}

/// Whether the intersection over union of `lhs` and `rhs` is above
/// `threshold` (false for empty boxes or intersections).
Value isAboveIou(OpBuilder &b, Location loc, const BoxEdges &lhs,
                 const BoxEdges &rhs, Value threshold) {
  auto sub = [&](Value x, Value y) {
    return arith::SubFOp::create(b, loc, x, y).getResult();
  };
  auto mul = [&](Value x, Value y) {
    return arith::MulFOp::create(b, loc, x, y).getResult();
  };
  auto positive = [&](Value x) {
    return arith::CmpFOp::create(
               b, loc, arith::CmpFPredicate::OGT, x,
               createScalarConstant(b, loc, b.getF32Type(), 0.0))
        .getResult();
  };
  Value width = sub(arith::MinimumFOp::create(b, loc, lhs.xMax, rhs.xMax),
                    arith::MaximumFOp::create(b, loc, lhs.xMin, rhs.xMin));
  Value height = sub(arith::MinimumFOp::create(b, loc, lhs.yMax, rhs.yMax),
                     arith::MaximumFOp::create(b, loc, lhs.yMin, rhs.yMin));
  Value intersection = mul(width, height);
  Value lhsArea = mul(sub(lhs.xMax, lhs.xMin), sub(lhs.yMax, lhs.yMin));
  Value rhsArea = mul(sub(rhs.xMax, rhs.xMin), sub(rhs.yMax, rhs.yMin));
  Value unionArea =
      sub(arith::AddFOp::create(b, loc, lhsArea, rhsArea), intersection);
  Value valid = positive(width);
  for (Value value : {height, intersection, lhsArea, rhsArea, unionArea})
    valid = arith::AndIOp::create(b, loc, valid, positive(value));
  Value iou = arith::DivFOp::create(b, loc, intersection, unionArea);
  return arith::AndIOp::create(
      b, loc, valid,
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, iou, threshold));
}

/// Reads the first element of the optional scalar `value` converted to
/// `type`, or returns `fallback` when it is absent.
Value readOptionalScalar(OpBuilder &b, Location loc, Value value, Type type,
                         double fallback) {
  if (!value)
    return createScalarConstant(b, loc, type, fallback);
  auto valueType = cast<RankedTensorType>(value.getType());
  SmallVector<Value> zeros(valueType.getRank(), constantIndex(b, loc, 0));
  Value scalar = tensor::ExtractOp::create(b, loc, value, zeros);
  if (isa<FloatType>(type))
    return convertFloat(b, loc, scalar, type);
  return scalar;
}

/// graph.non_max_suppression -> for each batch and class, as many rounds as
/// there are boxes: take the best box not yet considered (highest score,
/// lowest index), and select it unless its score is not above the score
/// threshold, the class already has its maximum, or it overlaps a selected
/// box of the class too much. The triples go into a buffer with room for
/// every box of every class, of which the selected rows are returned.
struct NonMaxSuppressionLowering
    : OpConversionPattern<graph::NonMaxSuppressionOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::NonMaxSuppressionOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value boxes = adaptor.getBoxes();
    Value scores = adaptor.getScores();
    bool centerPointBox = op.getCenterPointBox() != 0;
    Type f32 = rewriter.getF32Type();
    Type i64 = rewriter.getI64Type();
    Value maxPerClass = toIndex(
        rewriter, loc,
        arith::MaxSIOp::create(
            rewriter, loc,
            readOptionalScalar(rewriter, loc,
                               adaptor.getMaxOutputBoxesPerClass(), i64, 0),
            arith::ConstantIntOp::create(rewriter, loc, i64, 0)));
    Value iouThreshold =
        readOptionalScalar(rewriter, loc, adaptor.getIouThreshold(), f32, 0);
    Value scoreThreshold =
        readOptionalScalar(rewriter, loc, adaptor.getScoreThreshold(), f32,
                           -std::numeric_limits<double>::infinity());
    Value batches = tensor::DimOp::create(rewriter, loc, scores, 0);
    Value classes = tensor::DimOp::create(rewriter, loc, scores, 1);
    Value numBoxes = tensor::DimOp::create(rewriter, loc, scores, 2);
    Value zero = constantIndex(rewriter, loc, 0);
    Value capacity = arith::MulIOp::create(
        rewriter, loc, arith::MulIOp::create(rewriter, loc, batches, classes),
        numBoxes);
    auto bufferType = RankedTensorType::get({ShapedType::kDynamic, 3}, i64);
    Value buffer = createEmptyTensor(rewriter, loc, bufferType, {capacity});
    auto maskType =
        RankedTensorType::get({ShapedType::kDynamic}, rewriter.getI1Type());

    auto perClass = [&](OpBuilder &b, Location l, Value batch, Value cls,
                        Value buffer, Value total) -> SmallVector<Value> {
      Value considered = createFilledTensor(
          b, l, maskType, {numBoxes},
          arith::ConstantIntOp::create(b, l, b.getI1Type(), 0));
      Value classStart = total;
      auto score = [&](OpBuilder &sb, Location sl, Value box) {
        return convertFloat(sb, sl,
                            tensor::ExtractOp::create(
                                sb, sl, scores, ValueRange{batch, cls, box}),
                            f32);
      };
      auto round = [&](OpBuilder &rb, Location rl, Value,
                       ValueRange state) -> SmallVector<Value> {
        Value buffer = state[0], total = state[1], considered = state[2];
        // The best box not considered yet (-1 when none is left).
        Value noBox = constantIndex(rb, rl, -1);
        SmallVector<Value> best = createLoop(
            rb, rl, numBoxes, {noBox, createScalarConstant(rb, rl, f32, 0.0)},
            [&](OpBuilder &nb, Location nl, Value box, ValueRange args) {
              Value s = score(nb, nl, box);
              Value open = arith::XOrIOp::create(
                  nb, nl, tensor::ExtractOp::create(nb, nl, considered, box),
                  arith::ConstantIntOp::create(nb, nl, nb.getI1Type(), 1));
              Value none = arith::CmpIOp::create(
                  nb, nl, arith::CmpIPredicate::eq, args[0], noBox);
              Value better = arith::OrIOp::create(
                  nb, nl, none,
                  arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OGT, s,
                                        args[1]));
              Value take = arith::AndIOp::create(nb, nl, open, better);
              return SmallVector<Value>{
                  arith::SelectOp::create(nb, nl, take, box, args[0]),
                  arith::SelectOp::create(nb, nl, take, s, args[1])};
            });
        Value found = arith::CmpIOp::create(rb, rl, arith::CmpIPredicate::ne,
                                            best[0], noBox);
        Value box = arith::SelectOp::create(rb, rl, found, best[0],
                                            constantIndex(rb, rl, 0));
        Value aboveScore = arith::CmpFOp::create(
            rb, rl, arith::CmpFPredicate::OGT, best[1], scoreThreshold);
        Value selectedCount = arith::SubIOp::create(rb, rl, total, classStart);
        Value room = arith::CmpIOp::create(rb, rl, arith::CmpIPredicate::ult,
                                           selectedCount, maxPerClass);
        Value candidate = arith::AndIOp::create(
            rb, rl, found, arith::AndIOp::create(rb, rl, aboveScore, room));
        BoxEdges edges = readBox(rb, rl, boxes, batch, box, centerPointBox);
        Value suppressed = createLoop(
            rb, rl, classStart, total,
            {arith::ConstantIntOp::create(rb, rl, rb.getI1Type(), 0)},
            [&](OpBuilder &nb, Location nl, Value row, ValueRange args) {
              Value other =
                  toIndex(nb, nl,
                          tensor::ExtractOp::create(
                              nb, nl, buffer,
                              ValueRange{row, constantIndex(nb, nl, 2)}));
              BoxEdges otherEdges =
                  readBox(nb, nl, boxes, batch, other, centerPointBox);
              return SmallVector<Value>{arith::OrIOp::create(
                  nb, nl, args[0],
                  isAboveIou(nb, nl, edges, otherEdges, iouThreshold))};
            })[0];
        Value select = arith::AndIOp::create(
            rb, rl, candidate,
            arith::XOrIOp::create(
                rb, rl, suppressed,
                arith::ConstantIntOp::create(rb, rl, rb.getI1Type(), 1)));
        SmallVector<Value> written = createIfElse(
            rb, rl, select, {buffer, total}, [&](OpBuilder &t, Location tl) {
              Value row = buffer;
              Value triple[3] = {batch, cls, box};
              for (int64_t k = 0; k < 3; ++k)
                row = tensor::InsertOp::create(
                    t, tl, toI64(t, tl, triple[k]), row,
                    ValueRange{total, constantIndex(t, tl, k)});
              return SmallVector<Value>{
                  row,
                  arith::AddIOp::create(t, tl, total, constantIndex(t, tl, 1))};
            });
        Value marked = createIfElse(
            rb, rl, found, {considered}, [&](OpBuilder &t, Location tl) {
              return SmallVector<Value>{tensor::InsertOp::create(
                  t, tl, arith::ConstantIntOp::create(t, tl, t.getI1Type(), 1),
                  considered, ValueRange{box})};
            })[0];
        return {written[0], written[1], marked};
      };
      SmallVector<Value> state =
          createLoop(b, l, numBoxes, {buffer, total, considered}, round);
      return {state[0], state[1]};
    };

    SmallVector<Value> result = createLoop(
        rewriter, loc, batches, {buffer, zero},
        [&](OpBuilder &b, Location l, Value batch, ValueRange args) {
          return createLoop(
              b, l, classes, {args[0], args[1]},
              [&](OpBuilder &nb, Location nl, Value cls, ValueRange inner) {
                return perClass(nb, nl, batch, cls, inner[0], inner[1]);
              });
        });
    SmallVector<OpFoldResult> offsets = {rewriter.getIndexAttr(0),
                                         rewriter.getIndexAttr(0)};
    SmallVector<OpFoldResult> sizes = {result[1], rewriter.getIndexAttr(3)};
    SmallVector<OpFoldResult> strides(2, rewriter.getIndexAttr(1));
    Value selected = tensor::ExtractSliceOp::create(
        rewriter, loc, cast<RankedTensorType>(op.getType()), result[0], offsets,
        sizes, strides);
    rewriter.replaceOp(op, selected);
    return success();
  }
};

} // namespace

void exaforge::populateGraphDynamicShapeToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<NonZeroLowering, CompressLowering, UniqueLowering,
               NonMaxSuppressionLowering>(patterns.getContext());
}
