//===- ReductionsToLinalg.cpp - Graph reductions to linalg ----------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Lowers the ONNX reductions (ReduceSum, ReduceMean, ReduceMax, ...,
// ArgMax, ArgMin, CumSum), GlobalMaxPool, Softmax, LogSoftmax, Hardmax,
// NegativeLogLikelihoodLoss, LayerNormalization and BatchNormalization to
// `linalg.generic` reductions and elementwise generics. A reduction produces the tensor of the kept dimensions
// (`keepdims` adds the unit dimensions back with `tensor.expand_shape`);
// later generics read it through the projection onto the kept dimensions.
// f16/bf16 values are accumulated and normalized in f32 and the result
// truncated back. Reduction axes and CumSum's axis known only at run time
// are checked and handled with computed indexing (RuntimeParams.h).
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/GraphToLinalg/GraphToLinalg.h"
#include "passes/Conversion/GraphToLinalg/LoweringUtils.h"
#include "passes/Conversion/GraphToLinalg/RuntimeParams.h"

#include "dialects/Graph/GraphOps.h"
#include "dialects/Graph/GraphTypeInference.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

#include <limits>

using namespace mlir;
using namespace exaforge;
using namespace exaforge::lowering;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Returns the type in which values of `elementType` are accumulated: f32
/// for floats narrower than 32 bits, the type itself otherwise.
Type getComputeType(Type elementType) {
  auto floatType = dyn_cast<FloatType>(elementType);
  if (floatType && floatType.getWidth() < 32)
    return Float32Type::get(elementType.getContext());
  return elementType;
}

/// Returns the map from the loop nest over all `reduced.size()` dimensions to
/// the dimensions that `reduced` does not flag.
AffineMap getKeptDimsMap(ArrayRef<bool> reduced, MLIRContext *context) {
  SmallVector<AffineExpr> exprs;
  for (auto [i, isReduced] : llvm::enumerate(reduced))
    if (!isReduced)
      exprs.push_back(getAffineDimExpr(i, context));
  return AffineMap::get(reduced.size(), 0, exprs, context);
}

/// Returns the sizes of the dynamic dimensions of `source` that `reduced`
/// does not flag (all of them when `reduced` is empty).
SmallVector<Value> getDynamicKeptSizes(OpBuilder &b, Location loc, Value source,
                                       ArrayRef<bool> reduced) {
  auto type = cast<RankedTensorType>(source.getType());
  SmallVector<Value> sizes;
  for (int64_t i = 0; i < type.getRank(); ++i)
    if (type.isDynamicDim(i) && (reduced.empty() || !reduced[i]))
      sizes.push_back(tensor::DimOp::create(b, loc, source, i));
  return sizes;
}

/// Builds the scalar body of a reduction with several accumulators from its
/// block arguments (inputs, then accumulators) and returns the new
/// accumulator values.
using MultiBodyBuilder = llvm::function_ref<SmallVector<Value>(
    OpBuilder &, Location, ValueRange)>;

/// Reduces over the dimensions of `source` flagged in `reduced`. `inputs`
/// are read through `inputMaps` (over the loop nest of `source`'s shape);
/// accumulator `i` of `accTypes[i]` starts at `initValues[i]` and `body`
/// receives the input elements then the accumulators. Returns one tensor of
/// the kept dimensions per accumulator.
SmallVector<Value> createMultiReduction(OpBuilder &b, Location loc,
                                       Value source, ArrayRef<bool> reduced,
                                       ValueRange inputs,
                                       ArrayRef<AffineMap> inputMaps,
                                       TypeRange accTypes,
                                       ValueRange initValues,
                                       MultiBodyBuilder body) {
  auto sourceType = cast<RankedTensorType>(source.getType());
  SmallVector<int64_t> keptShape;
  SmallVector<utils::IteratorType> iterators;
  for (auto [i, isReduced] : llvm::enumerate(reduced)) {
    iterators.push_back(isReduced ? utils::IteratorType::reduction
                                  : utils::IteratorType::parallel);
    if (!isReduced)
      keptShape.push_back(sourceType.getDimSize(i));
  }
  SmallVector<Value> dynamicSizes =
      getDynamicKeptSizes(b, loc, source, reduced);
  SmallVector<Type> resultTypes;
  SmallVector<Value> inits;
  SmallVector<AffineMap> maps(inputMaps);
  for (auto [accType, initValue] : llvm::zip(accTypes, initValues)) {
    auto resultType = RankedTensorType::get(keptShape, accType);
    resultTypes.push_back(resultType);
    inits.push_back(
        createFilledTensor(b, loc, resultType, dynamicSizes, initValue));
    maps.push_back(getKeptDimsMap(reduced, b.getContext()));
  }
  auto generic = linalg::GenericOp::create(
      b, loc, resultTypes, inputs, inits, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        linalg::YieldOp::create(nested, nestedLoc,
                                body(nested, nestedLoc, args));
      });
  return SmallVector<Value>(generic.getResults().begin(),
                            generic.getResults().end());
}

/// Reduces over the dimensions of `source` flagged in `reduced` into one
/// accumulator of `accType` starting at `initValue` (see
/// createMultiReduction). Returns a tensor of the kept dimensions.
Value createReduction(OpBuilder &b, Location loc, Value source,
                      ArrayRef<bool> reduced, ValueRange inputs,
                      ArrayRef<AffineMap> inputMaps, Type accType,
                      Value initValue, ScalarBodyBuilder body) {
  return createMultiReduction(
      b, loc, source, reduced, inputs, inputMaps, accType, initValue,
      [&](OpBuilder &nested, Location nestedLoc,
          ValueRange args) -> SmallVector<Value> {
        return {body(nested, nestedLoc, args)};
      })[0];
}

/// Builds an all-parallel generic over the shape of `source` producing
/// elements of `elementType` from `inputs` read through `inputMaps`.
Value createParallelGeneric(OpBuilder &b, Location loc, Value source,
                            Type elementType, ValueRange inputs,
                            ArrayRef<AffineMap> inputMaps,
                            ScalarBodyBuilder body) {
  auto resultType = cast<RankedTensorType>(source.getType()).clone(elementType);
  Value init = createEmptyTensor(b, loc, resultType,
                                 getDynamicKeptSizes(b, loc, source, {}));
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(b.getMultiDimIdentityMap(resultType.getRank()));
  SmallVector<utils::IteratorType> iterators(resultType.getRank(),
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        linalg::YieldOp::create(nested, nestedLoc,
                                body(nested, nestedLoc, args));
      });
  return generic.getResult(0);
}

/// Returns the number of elements in the dimensions of `source` flagged in
/// `reduced`, as a scalar of the float or integer type `type`.
Value getReducedCount(OpBuilder &b, Location loc, Value source,
                      ArrayRef<bool> reduced, Type type) {
  auto sourceType = cast<RankedTensorType>(source.getType());
  int64_t staticCount = 1;
  Value dynamicCount;
  for (auto [i, isReduced] : llvm::enumerate(reduced)) {
    if (!isReduced)
      continue;
    if (!sourceType.isDynamicDim(i)) {
      staticCount *= sourceType.getDimSize(i);
      continue;
    }
    Value dim = tensor::DimOp::create(b, loc, source, i);
    dynamicCount =
        dynamicCount ? arith::MulIOp::create(b, loc, dynamicCount, dim) : dim;
  }
  if (!dynamicCount)
    return createScalarConstant(b, loc, type, static_cast<double>(staticCount));
  if (staticCount != 1)
    dynamicCount = arith::MulIOp::create(
        b, loc, dynamicCount,
        arith::ConstantIndexOp::create(b, loc, staticCount));
  Value asInt = arith::IndexCastOp::create(
      b, loc, isa<FloatType>(type) ? b.getI64Type() : type, dynamicCount);
  if (isa<FloatType>(type))
    return arith::SIToFPOp::create(b, loc, type, asInt);
  return asInt;
}

/// Returns the f32/f64 epsilon attribute `epsilon` as a scalar of `type`.
Value getEpsilon(OpBuilder &b, Location loc, const APFloat &epsilon,
                 Type type) {
  return createScalarConstant(b, loc, type, epsilon.convertToDouble());
}

/// Returns the extreme value of the float or signless integer type `type`:
/// the largest (`largest`) or smallest value, infinities for floats, and
/// the unsigned extremes when `isUnsigned`.
Value createExtremeConstant(OpBuilder &b, Location loc, Type type,
                            bool largest, bool isUnsigned) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(
        b, loc,
        b.getFloatAttr(floatType,
                       APFloat::getInf(floatType.getFloatSemantics(),
                                       /*Negative=*/!largest)));
  unsigned width = type.getIntOrFloatBitWidth();
  APInt value = isUnsigned ? (largest ? APInt::getMaxValue(width)
                                      : APInt::getMinValue(width))
                           : (largest ? APInt::getSignedMaxValue(width)
                                      : APInt::getSignedMinValue(width));
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, value));
}

/// Reads the constant `axes` operand of a reduction (the original operand
/// or its converted value) and returns the reduced dimensions of a tensor of
/// rank `rank`, or std::nullopt when the op is the identity
/// (`noop_with_empty_axes` with no axes).
template <typename OpTy>
FailureOr<std::optional<SmallVector<bool>>>
getReducedDims(OpTy op, Value convertedAxes, int64_t rank,
               PatternRewriter &rewriter) {
  SmallVector<int64_t> axes;
  // An axes operand of static length 0 is empty whatever its producer.
  if (op.getAxes() &&
      cast<RankedTensorType>(op.getAxes().getType()).getDimSize(0) != 0) {
    std::optional<SmallVector<int64_t>> values =
        graph::getConstantIntValues(op.getAxes());
    if (!values)
      values = graph::getConstantIntValues(convertedAxes);
    if (!values)
      return failLowering(rewriter, 
          op, "'axes' must be a constant");
    axes = *values;
  }
  if (axes.empty() && op.getNoopWithEmptyAxes())
    return std::optional<SmallVector<bool>>();
  SmallVector<bool> reduced(rank, axes.empty());
  for (int64_t axis : axes) {
    FailureOr<int64_t> normalized =
        normalizeAxisOrFail(rewriter, op, axis, rank);
    if (failed(normalized))
      return failure();
    reduced[*normalized] = true;
  }
  return std::optional<SmallVector<bool>>(std::move(reduced));
}

/// Returns whether the `axes` operand of a reduction (`original`, lowered to
/// `converted`) is present, not empty and not a constant.
bool hasRuntimeAxes(Value original, Value converted) {
  if (!original ||
      cast<RankedTensorType>(original.getType()).getDimSize(0) == 0)
    return false;
  return !graph::getConstantIntValues(original) &&
         !graph::getConstantIntValues(converted);
}

/// Returns a copy of `input` with the `count` dimensions flagged in `listed`
/// (`i1` values known at run time) moved after the others, both groups in
/// their order. `listed` must flag exactly `count` dimensions (see
/// RuntimeAxes::listed), which makes the mapping a permutation and keeps
/// every read inside `input`.
Value moveListedDimsLast(OpBuilder &b, Location loc, Value input,
                         ArrayRef<Value> listed, int64_t count) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  // The position of each input dimension in the copy.
  SmallVector<Value> positions;
  Value keptBefore = zero;
  Value listedBefore = arith::ConstantIndexOp::create(b, loc, rank - count);
  for (Value isListed : listed) {
    positions.push_back(
        arith::SelectOp::create(b, loc, isListed, listedBefore, keptBefore));
    keptBefore = arith::AddIOp::create(
        b, loc, keptBefore,
        arith::SelectOp::create(b, loc, isListed, zero, one));
    listedBefore = arith::AddIOp::create(
        b, loc, listedBefore,
        arith::SelectOp::create(b, loc, isListed, one, zero));
  }
  SmallVector<Value> inputSizes;
  for (OpFoldResult size : tensor::getMixedSizes(b, loc, input))
    inputSizes.push_back(getValueOrCreateConstantIndexOp(b, loc, size));
  SmallVector<OpFoldResult> sizes;
  for (int64_t p = 0; p < rank; ++p) {
    Value position = arith::ConstantIndexOp::create(b, loc, p);
    Value size = one;
    for (int64_t d = 0; d < rank; ++d)
      size = arith::SelectOp::create(
          b, loc,
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, positions[d],
                                position),
          inputSizes[d], size);
    sizes.push_back(size);
  }
  return createIndexedCopy(
      b, loc, type.clone(getStaticSizes(sizes)), sizes,
      [&](OpBuilder &nested, Location nestedLoc, ArrayRef<Value> coordinates) {
        Value origin = arith::ConstantIndexOp::create(nested, nestedLoc, 0);
        SmallVector<Value> source;
        for (Value position : positions)
          source.push_back(selectByPosition(nested, nestedLoc, position,
                                            coordinates, origin));
        return tensor::ExtractOp::create(nested, nestedLoc, input, source)
            .getResult();
      });
}

/// The reductions that ReduceLowering handles.
enum class ReduceKind {
  Sum,
  Mean,
  Max,
  Min,
  Prod,
  L1,
  L2,
  LogSum,
  LogSumExp,
  SumSquare
};

/// Returns `shift` (a reduction's maximum) where it is finite and 0 where it
/// is infinite, so that `exp(x - shift)` is not NaN for infinite inputs.
Value getFiniteShift(OpBuilder &b, Location loc, Value shift) {
  Value inf = createExtremeConstant(b, loc, shift.getType(), true, false);
  Value isInf = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ,
                                      math::AbsFOp::create(b, loc, shift), inf);
  Value zero = createScalarConstant(b, loc, shift.getType(), 0.0);
  return arith::SelectOp::create(b, loc, isInf, zero, shift);
}

/// Lowers the ONNX reductions. Axes known only at run time are checked, the
/// listed dimensions moved last by a copy (moveListedDimsLast) and the
/// trailing dimensions reduced; the result is then reshaped to the run-time
/// keepdims shape. The accumulator starts at
/// the identity of `kind`'s combiner (0, 1, -inf, +inf), which is also the
/// result of an empty-set reduction (then finalized: log(0) = -inf for
/// ReduceLogSum/LogSumExp). ReduceLogSumExp subtracts the maximum first.
/// Integer means divide with truncation toward zero; ReduceL2, ReduceLogSum
/// and ReduceLogSumExp need float elements.
template <typename OpTy, ReduceKind kind>
struct ReduceLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpConversionPattern<OpTy>::OpAdaptor;

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    Value data = adaptor.getData();
    auto dataType = cast<RankedTensorType>(data.getType());
    int64_t rank = dataType.getRank();

    // Axes known only at run time: the listed dimensions are moved last (a
    // copy), and the trailing dimensions reduced.
    std::optional<RuntimeAxes> runtimeAxes;
    SmallVector<bool> reduced;
    if (hasRuntimeAxes(op.getAxes(), adaptor.getAxes())) {
      int64_t count =
          cast<RankedTensorType>(adaptor.getAxes().getType()).getDimSize(0);
      if (ShapedType::isDynamic(count))
        return failLowering(rewriter, 
            op, "'axes' must have a static length");
      if (count > rank)
        return failLowering(rewriter, op, "more axes than dimensions");
      SmallVector<Value> entries =
          readIndexEntries(rewriter, loc, op.getAxes(), adaptor.getAxes());
      runtimeAxes = readRuntimeAxes(rewriter, op, entries, rank, "axes");
      reduced.assign(rank, false);
      std::fill(reduced.end() - count, reduced.end(), true);
    } else {
      FailureOr<std::optional<SmallVector<bool>>> reducedOr =
          getReducedDims(op, adaptor.getAxes(), rank, rewriter);
      if (failed(reducedOr))
        return failure();
      if (!*reducedOr) {
        rewriter.replaceOp(op, castToType(rewriter, loc, data, resultType));
        return success();
      }
      reduced = std::move(**reducedOr);
    }

    Type elementType = dataType.getElementType();
    bool isFloat = isa<FloatType>(elementType);
    bool isUnsigned = elementType.isUnsignedInteger();
    constexpr bool needsFloat = kind == ReduceKind::L2 ||
                                kind == ReduceKind::LogSum ||
                                kind == ReduceKind::LogSumExp;
    if (needsFloat && !isFloat)
      return failLowering(rewriter, op, "expected float elements");
    Value input = castToSignless(rewriter, loc, data);
    SmallVector<OpFoldResult> inputSizes =
        tensor::getMixedSizes(rewriter, loc, input);
    if (runtimeAxes)
      input = moveListedDimsLast(rewriter, loc, input, runtimeAxes->listed,
                                 llvm::count(reduced, true));
    Type signlessType =
        cast<RankedTensorType>(input.getType()).getElementType();
    Type accType = getComputeType(signlessType);
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap kept = getKeptDimsMap(reduced, rewriter.getContext());

    Value init;
    if constexpr (kind == ReduceKind::Max || kind == ReduceKind::Min)
      init = createExtremeConstant(rewriter, loc, accType,
                                   kind == ReduceKind::Min, isUnsigned);
    else
      init = createScalarConstant(rewriter, loc, accType,
                                  kind == ReduceKind::Prod ? 1.0 : 0.0);

    // ReduceLogSumExp: sum exp(x - max) where the maximum is finite.
    SmallVector<Value> inputs = {input};
    SmallVector<AffineMap> maps = {identity};
    if constexpr (kind == ReduceKind::LogSumExp) {
      Value lowest = createExtremeConstant(rewriter, loc, accType, false, false);
      inputs.push_back(createReduction(
          rewriter, loc, input, reduced, input, identity, accType, lowest,
          [](OpBuilder &b, Location bodyLoc, ValueRange args) -> Value {
            Value element = extendToF32IfNarrow(b, bodyLoc, args[0]);
            return arith::MaximumFOp::create(b, bodyLoc, element, args[1]);
          }));
      maps.push_back(kept);
    }

    Value result = createReduction(
        rewriter, loc, input, reduced, inputs, maps, accType, init,
        [&](OpBuilder &b, Location bodyLoc, ValueRange args) -> Value {
          Value x = isFloat ? extendToF32IfNarrow(b, bodyLoc, args[0])
                            : args[0];
          Value acc = args.back();
          if constexpr (kind == ReduceKind::L1)
            x = isFloat ? Value(math::AbsFOp::create(b, bodyLoc, x))
                        : Value(math::AbsIOp::create(b, bodyLoc, x));
          if constexpr (kind == ReduceKind::L2 || kind == ReduceKind::SumSquare)
            x = isFloat ? Value(arith::MulFOp::create(b, bodyLoc, x, x))
                        : Value(arith::MulIOp::create(b, bodyLoc, x, x));
          if constexpr (kind == ReduceKind::LogSumExp)
            x = math::ExpOp::create(
                b, bodyLoc,
                arith::SubFOp::create(b, bodyLoc, x,
                                      getFiniteShift(b, bodyLoc, args[1])));
          if constexpr (kind == ReduceKind::Max) {
            if (isFloat)
              return arith::MaximumFOp::create(b, bodyLoc, x, acc);
            if (isUnsigned)
              return arith::MaxUIOp::create(b, bodyLoc, x, acc);
            return arith::MaxSIOp::create(b, bodyLoc, x, acc);
          }
          if constexpr (kind == ReduceKind::Min) {
            if (isFloat)
              return arith::MinimumFOp::create(b, bodyLoc, x, acc);
            if (isUnsigned)
              return arith::MinUIOp::create(b, bodyLoc, x, acc);
            return arith::MinSIOp::create(b, bodyLoc, x, acc);
          }
          if constexpr (kind == ReduceKind::Prod) {
            if (isFloat)
              return arith::MulFOp::create(b, bodyLoc, x, acc);
            return arith::MulIOp::create(b, bodyLoc, x, acc);
          }
          if (isFloat)
            return arith::AddFOp::create(b, bodyLoc, x, acc);
          return arith::AddIOp::create(b, bodyLoc, x, acc);
        });

    // Finalize (divide by the element count, sqrt, log) and/or truncate back
    // to the element type.
    constexpr bool hasFinalizer = kind == ReduceKind::Mean || needsFloat;
    if (hasFinalizer || accType != signlessType) {
      Value count = kind == ReduceKind::Mean
                        ? getReducedCount(rewriter, loc, input, reduced,
                                          accType)
                        : Value();
      SmallVector<Value> finalInputs = {result};
      if constexpr (kind == ReduceKind::LogSumExp)
        finalInputs.push_back(inputs[1]);
      auto keptType = cast<RankedTensorType>(result.getType());
      AffineMap keptIdentity =
          rewriter.getMultiDimIdentityMap(keptType.getRank());
      result = createParallelGeneric(
          rewriter, loc, result, signlessType, finalInputs,
          SmallVector<AffineMap>(finalInputs.size(), keptIdentity),
          [&](OpBuilder &b, Location bodyLoc, ValueRange args) -> Value {
            Value value = args[0];
            if constexpr (kind == ReduceKind::Mean) {
              if (isFloat)
                value = arith::DivFOp::create(b, bodyLoc, value, count);
              else if (isUnsigned)
                value = arith::DivUIOp::create(b, bodyLoc, value, count);
              else
                value = arith::DivSIOp::create(b, bodyLoc, value, count);
            }
            if constexpr (kind == ReduceKind::L2)
              value = math::SqrtOp::create(b, bodyLoc, value);
            if constexpr (kind == ReduceKind::LogSum ||
                          kind == ReduceKind::LogSumExp)
              value = math::LogOp::create(b, bodyLoc, value);
            if constexpr (kind == ReduceKind::LogSumExp)
              value = arith::AddFOp::create(
                  b, bodyLoc, value, getFiniteShift(b, bodyLoc, args[1]));
            if (isFloat)
              value = convertFloat(b, bodyLoc, value, signlessType);
            return value;
          });
    }
    if (runtimeAxes) {
      // With keepdims, 1 at the listed dimensions and the input's sizes
      // elsewhere; without, the kept dimensions as reduced.
      if (op.getKeepdims()) {
        Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
        SmallVector<OpFoldResult> sizes;
        for (auto [listed, size] : llvm::zip(runtimeAxes->listed, inputSizes))
          sizes.push_back(
              arith::SelectOp::create(
                  rewriter, loc, listed, one,
                  getValueOrCreateConstantIndexOp(rewriter, loc, size))
                  .getResult());
        auto keptType = cast<RankedTensorType>(result.getType());
        result = reshapeToSizes(rewriter, loc, result,
                                keptType.clone(getStaticSizes(sizes)), sizes);
      }
      result = castToDeclaredShape(
          rewriter, op, result,
          resultType.clone(
              cast<RankedTensorType>(result.getType()).getElementType()),
          "result");
    } else if (op.getKeepdims()) {
      result = expandUnitDims(rewriter, loc, result, reduced);
    }
    rewriter.replaceOp(op, castToType(rewriter, loc, result, resultType));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// ArgMax, ArgMin, Hardmax
//===----------------------------------------------------------------------===//

/// Returns the `i64` index of the largest (`isMax`) or smallest element of
/// `input` along `axis` as a tensor of the other dimensions: the first one,
/// or the last one with `selectLast`. A float NaN counts as the extreme (the
/// first NaN wins, as numpy's argmax).
Value createArgReduction(OpBuilder &b, Location loc, Value input, int64_t axis,
                         bool isMax, bool selectLast, bool isUnsigned) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  SmallVector<bool> reduced(rank, false);
  reduced[axis] = true;
  Type elementType = type.getElementType();
  bool isFloat = isa<FloatType>(elementType);
  Type accType = getComputeType(elementType);
  Type i64 = b.getI64Type();
  Value init = createExtremeConstant(b, loc, accType, !isMax, isUnsigned);
  Value zero = createScalarConstant(b, loc, i64, 0.0);
  return createMultiReduction(
      b, loc, input, reduced, input, b.getMultiDimIdentityMap(rank),
      {accType, i64}, {init, zero},
      [&](OpBuilder &nb, Location bodyLoc,
          ValueRange args) -> SmallVector<Value> {
        Value x = isFloat ? extendToF32IfNarrow(nb, bodyLoc, args[0]) : args[0];
        Value acc = args[1];
        Value index = arith::IndexCastOp::create(
            nb, bodyLoc, i64, linalg::IndexOp::create(nb, bodyLoc, axis));
        Value better;
        if (isFloat) {
          using P = arith::CmpFPredicate;
          P predicate = isMax ? (selectLast ? P::OGE : P::OGT)
                              : (selectLast ? P::OLE : P::OLT);
          better = arith::CmpFOp::create(nb, bodyLoc, predicate, x, acc);
          Value firstNaN = arith::AndIOp::create(
              nb, bodyLoc,
              arith::CmpFOp::create(nb, bodyLoc, P::UNO, x, x),
              arith::CmpFOp::create(nb, bodyLoc, P::ORD, acc, acc));
          better = arith::OrIOp::create(nb, bodyLoc, better, firstNaN);
        } else {
          using P = arith::CmpIPredicate;
          P predicate =
              isUnsigned ? (isMax ? (selectLast ? P::uge : P::ugt)
                                  : (selectLast ? P::ule : P::ult))
                         : (isMax ? (selectLast ? P::sge : P::sgt)
                                  : (selectLast ? P::sle : P::slt));
          better = arith::CmpIOp::create(nb, bodyLoc, predicate, x, acc);
        }
        return {arith::SelectOp::create(nb, bodyLoc, better, x, acc),
                arith::SelectOp::create(nb, bodyLoc, better, index, args[2])};
      })[1];
}

/// Lowers ArgMax (`isMax`) and ArgMin to a reduction carrying the extreme
/// value and its index.
template <typename OpTy, bool isMax>
struct ArgReduceLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpConversionPattern<OpTy>::OpAdaptor;

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    bool isUnsigned = op.getData().getType().getElementType().isUnsignedInteger();
    Value input = castToSignless(rewriter, loc, adaptor.getData());
    int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
    FailureOr<int64_t> normalized =
        normalizeAxisOrFail(rewriter, op, op.getAxis(), rank);
    if (failed(normalized))
      return failure();
    int64_t axis = *normalized;
    Value result = createArgReduction(rewriter, loc, input, axis, isMax,
                                      op.getSelectLastIndex(), isUnsigned);
    if (op.getKeepdims()) {
      SmallVector<bool> inserted(rank, false);
      inserted[axis] = true;
      result = expandUnitDims(rewriter, loc, result, inserted);
    }
    rewriter.replaceOp(op, castToType(rewriter, loc, result,
                                      cast<RankedTensorType>(op.getType())));
    return success();
  }
};

/// Lowers Hardmax: an ArgMax along `axis`, then 1 where the index along
/// `axis` is the first maximum's and 0 elsewhere.
struct HardmaxLowering : OpConversionPattern<graph::HardmaxOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::HardmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    int64_t rank = type.getRank();
    FailureOr<int64_t> normalized =
        normalizeAxisOrFail(rewriter, op, op.getAxis(), rank);
    if (failed(normalized))
      return failure();
    int64_t axis = *normalized;
    Value indices = createArgReduction(rewriter, loc, input, axis,
                                       /*isMax=*/true, /*selectLast=*/false,
                                       /*isUnsigned=*/false);
    SmallVector<bool> reduced(rank, false);
    reduced[axis] = true;
    Type elementType = type.getElementType();
    Value result = createParallelGeneric(
        rewriter, loc, input, elementType, indices,
        getKeptDimsMap(reduced, rewriter.getContext()),
        [&](OpBuilder &b, Location bodyLoc, ValueRange args) -> Value {
          Value index = arith::IndexCastOp::create(
              b, bodyLoc, b.getI64Type(),
              linalg::IndexOp::create(b, bodyLoc, axis));
          Value isMaximum = arith::CmpIOp::create(
              b, bodyLoc, arith::CmpIPredicate::eq, index, args[0]);
          return arith::SelectOp::create(
              b, bodyLoc, isMaximum,
              createScalarConstant(b, bodyLoc, elementType, 1.0),
              createScalarConstant(b, bodyLoc, elementType, 0.0));
        });
    rewriter.replaceOp(op, castToType(rewriter, loc, result,
                                      cast<RankedTensorType>(op.getType())));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Softmax
//===----------------------------------------------------------------------===//

/// Lowers Softmax as `exp(x - max) / sum(exp(x - max))` along `axis`: a max
/// reduction, an elementwise exp, a sum reduction and an elementwise
/// division. LogSoftmax (`isLog`) is `x - max - log(sum(exp(x - max)))`,
/// with the exp computed inside the sum reduction.
template <typename OpTy, bool isLog>
struct SoftmaxLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpConversionPattern<OpTy>::OpAdaptor;

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    int64_t rank = type.getRank();
    FailureOr<int64_t> axis =
        normalizeAxisOrFail(rewriter, op, op.getAxis(), rank);
    if (failed(axis))
      return failure();
    SmallVector<bool> reduced(rank, false);
    reduced[*axis] = true;

    MLIRContext *context = rewriter.getContext();
    Type elementType = type.getElementType();
    Type computeType = getComputeType(elementType);
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap kept = getKeptDimsMap(reduced, context);

    Value lowest = arith::ConstantOp::create(
        rewriter, loc,
        rewriter.getFloatAttr(computeType,
                              -std::numeric_limits<double>::infinity()));
    Value max = createReduction(
        rewriter, loc, input, reduced, input, identity, computeType, lowest,
        [](OpBuilder &b, Location bodyLoc, ValueRange args) -> Value {
          Value element = extendToF32IfNarrow(b, bodyLoc, args[0]);
          return arith::MaximumFOp::create(b, bodyLoc, element, args[1]);
        });
    Value zero = createScalarConstant(rewriter, loc, computeType, 0.0);
    if constexpr (isLog) {
      Value sum = createReduction(
          rewriter, loc, input, reduced, {input, max}, {identity, kept},
          computeType, zero,
          [](OpBuilder &b, Location bodyLoc, ValueRange args) -> Value {
            Value element = extendToF32IfNarrow(b, bodyLoc, args[0]);
            Value shifted = arith::SubFOp::create(b, bodyLoc, element, args[1]);
            Value exp = math::ExpOp::create(b, bodyLoc, shifted);
            return arith::AddFOp::create(b, bodyLoc, exp, args[2]);
          });
      Value result = createParallelGeneric(
          rewriter, loc, input, elementType, {input, max, sum},
          {identity, kept, kept},
          [&](OpBuilder &b, Location bodyLoc, ValueRange args) -> Value {
            Value element = extendToF32IfNarrow(b, bodyLoc, args[0]);
            Value shifted = arith::SubFOp::create(b, bodyLoc, element, args[1]);
            Value logSum = math::LogOp::create(b, bodyLoc, args[2]);
            Value value = arith::SubFOp::create(b, bodyLoc, shifted, logSum);
            return convertFloat(b, bodyLoc, value, elementType);
          });
      rewriter.replaceOp(op, castToType(rewriter, loc, result,
                                        cast<RankedTensorType>(op.getType())));
      return success();
    }
    Value exps = createParallelGeneric(
        rewriter, loc, input, computeType, {input, max}, {identity, kept},
        [](OpBuilder &b, Location bodyLoc, ValueRange args) -> Value {
          Value element = extendToF32IfNarrow(b, bodyLoc, args[0]);
          Value shifted = arith::SubFOp::create(b, bodyLoc, element, args[1]);
          return math::ExpOp::create(b, bodyLoc, shifted);
        });
    Value sum = createReduction(
        rewriter, loc, input, reduced, exps, identity, computeType, zero,
        [](OpBuilder &b, Location bodyLoc, ValueRange args) -> Value {
          return arith::AddFOp::create(b, bodyLoc, args[0], args[1]);
        });
    Value result = createParallelGeneric(
        rewriter, loc, input, elementType, {exps, sum}, {identity, kept},
        [&](OpBuilder &b, Location bodyLoc, ValueRange args) -> Value {
          Value quotient = arith::DivFOp::create(b, bodyLoc, args[0], args[1]);
          return convertFloat(b, bodyLoc, quotient, elementType);
        });
    rewriter.replaceOp(op, castToType(rewriter, loc, result,
                                      cast<RankedTensorType>(op.getType())));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// NegativeLogLikelihoodLoss
//===----------------------------------------------------------------------===//

/// Lowers NegativeLogLikelihoodLoss to one generic over the target shape
/// that gathers `-input[n, c, d...] * weight[c]` (`c = target[n, d...]`,
/// read with `tensor.extract`; an ignored element reads class 0 and yields
/// 0). Reduction "none" returns those losses; "sum" and "mean" reduce them
/// (and, for "mean", the gathered weights) to scalars and divide.
struct NegativeLogLikelihoodLossLowering
    : OpConversionPattern<graph::NegativeLogLikelihoodLossOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::NegativeLogLikelihoodLossOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput(), target = adaptor.getTarget();
    Value weight = adaptor.getWeight();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto targetType = cast<RankedTensorType>(target.getType());
    int64_t rank = targetType.getRank();
    StringRef reduction = op.getReduction();
    bool isNone = reduction == "none", isMean = reduction == "mean";
    Type elementType = inputType.getElementType();
    Type computeType = getComputeType(elementType);
    std::optional<int64_t> ignoreIndex = op.getIgnoreIndex();

    // Every target is a class of the input, or the ignored index: the
    // gather below reads input[n, target, ...] unchecked (onnxruntime reads
    // out of bounds too; a target of -1 gave a wrong loss).
    Value numClasses = tensor::DimOp::create(rewriter, loc, input, 1);
    // The target is [N, d...] of the input's [N, C, d...]: the loop nest
    // below runs over the target and reads the input at its indices.
    for (int64_t i = 0; i < rank; ++i)
      checkSameSize(rewriter, op, tensor::getMixedSize(rewriter, loc, target, i),
                    tensor::getMixedSize(rewriter, loc, input, i == 0 ? 0 : i + 1),
                    "dimension " + Twine(i) + " of the target differs from "
                    "dimension " + Twine(i == 0 ? 0 : i + 1) + " of the input");
    checkEveryElement(
        rewriter, op, target,
        [&](OpBuilder &b, Location bodyLoc, Value element, ArrayRef<Value>) {
          using P = arith::CmpIPredicate;
          Value cls =
              arith::IndexCastOp::create(b, bodyLoc, b.getIndexType(), element);
          Value zero = arith::ConstantIndexOp::create(b, bodyLoc, 0);
          Value valid = arith::AndIOp::create(
              b, bodyLoc, arith::CmpIOp::create(b, bodyLoc, P::sge, cls, zero),
              arith::CmpIOp::create(b, bodyLoc, P::slt, cls, numClasses));
          if (ignoreIndex) {
            Value ignored = arith::CmpIOp::create(
                b, bodyLoc, P::eq, cls,
                arith::ConstantIndexOp::create(b, bodyLoc, *ignoreIndex));
            valid = arith::OrIOp::create(b, bodyLoc, valid, ignored);
          }
          return valid;
        },
        "a target is not a class of the input (nor 'ignore_index')");

    // Returns the loss and the weight of the element at the current indices
    // of a loop nest over the target shape.
    auto gather = [&](OpBuilder &b, Location bodyLoc,
                      Value targetElement) -> std::pair<Value, Value> {
      Type i64 = b.getI64Type();
      Value cls = targetElement.getType() == i64
                      ? targetElement
                      : arith::ExtSIOp::create(b, bodyLoc, i64, targetElement);
      Value zero = createScalarConstant(b, bodyLoc, computeType, 0.0);
      Value ignored;
      if (ignoreIndex) {
        ignored = arith::CmpIOp::create(
            b, bodyLoc, arith::CmpIPredicate::eq, cls,
            createScalarConstant(b, bodyLoc, i64,
                                 static_cast<double>(*ignoreIndex)));
        cls = arith::SelectOp::create(
            b, bodyLoc, ignored, createScalarConstant(b, bodyLoc, i64, 0.0),
            cls);
      }
      Value clsIndex =
          arith::IndexCastOp::create(b, bodyLoc, b.getIndexType(), cls);
      SmallVector<Value> indices;
      for (int64_t i = 0; i < rank; ++i)
        indices.push_back(linalg::IndexOp::create(b, bodyLoc, i));
      indices.insert(indices.begin() + 1, clsIndex);
      Value x = extendToF32IfNarrow(
          b, bodyLoc, tensor::ExtractOp::create(b, bodyLoc, input, indices));
      Value w = weight ? extendToF32IfNarrow(
                             b, bodyLoc,
                             tensor::ExtractOp::create(b, bodyLoc, weight,
                                                       ValueRange{clsIndex}))
                       : createScalarConstant(b, bodyLoc, computeType, 1.0);
      Value loss = arith::NegFOp::create(
          b, bodyLoc, arith::MulFOp::create(b, bodyLoc, x, w));
      if (ignored) {
        loss = arith::SelectOp::create(b, bodyLoc, ignored, zero, loss);
        w = arith::SelectOp::create(b, bodyLoc, ignored, zero, w);
      }
      return {loss, w};
    };

    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    Value result;
    if (isNone) {
      result = createParallelGeneric(
          rewriter, loc, target, elementType, target, identity,
          [&](OpBuilder &b, Location bodyLoc, ValueRange args) -> Value {
            return convertFloat(b, bodyLoc, gather(b, bodyLoc, args[0]).first,
                                elementType);
          });
    } else {
      SmallVector<bool> reduced(rank, true);
      Value zero = createScalarConstant(rewriter, loc, computeType, 0.0);
      SmallVector<Type> accTypes(isMean ? 2 : 1, computeType);
      SmallVector<Value> inits(accTypes.size(), zero);
      SmallVector<Value> sums = createMultiReduction(
          rewriter, loc, target, reduced, target, identity, accTypes, inits,
          [&](OpBuilder &b, Location bodyLoc,
              ValueRange args) -> SmallVector<Value> {
            auto [loss, w] = gather(b, bodyLoc, args[0]);
            SmallVector<Value> values = {
                arith::AddFOp::create(b, bodyLoc, loss, args[1])};
            if (isMean)
              values.push_back(arith::AddFOp::create(b, bodyLoc, w, args[2]));
            return values;
          });
      AffineMap scalar = rewriter.getMultiDimIdentityMap(0);
      result = createParallelGeneric(
          rewriter, loc, sums[0], elementType, sums,
          SmallVector<AffineMap>(sums.size(), scalar),
          [&](OpBuilder &b, Location bodyLoc, ValueRange args) -> Value {
            Value value = args[0];
            if (isMean)
              value = arith::DivFOp::create(b, bodyLoc, value, args[1]);
            return convertFloat(b, bodyLoc, value, elementType);
          });
    }
    rewriter.replaceOp(op, castToType(rewriter, loc, result,
                                      cast<RankedTensorType>(op.getType())));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// CumSum
//===----------------------------------------------------------------------===//

/// Lowers CumSum with a constant axis to one generic with an extra
/// reduction loop `j` along the axis: `out[..., i, ...]` accumulates
/// `input[..., j, ...]` for `j <= i` (`j < i` when exclusive, `j >= i` /
/// `j > i` when reversed). This costs `n^2` additions along an axis of
/// length `n`, fine for the short axes CumSum is used on (positions, masks).
/// An axis known only at run time: see cumSumAtRunTime.
struct CumSumLowering : OpConversionPattern<graph::CumSumOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::CumSumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    std::optional<SmallVector<int64_t>> axisValues =
        graph::getConstantIntValues(op.getAxis());
    if (!axisValues)
      axisValues = graph::getConstantIntValues(adaptor.getAxis());
    if (!axisValues) {
      auto axisType = cast<RankedTensorType>(adaptor.getAxis().getType());
      if (!axisType.hasStaticShape() || axisType.getNumElements() != 1)
        return failLowering(rewriter, op, "'axis' must have one element");
      rewriter.replaceOp(op, cumSumAtRunTime(rewriter, op, adaptor));
      return success();
    }
    if (axisValues->size() != 1)
      return failLowering(rewriter, op, "'axis' must have one element");
    Value input = castToSignless(rewriter, loc, adaptor.getInput());
    auto type = cast<RankedTensorType>(input.getType());
    int64_t rank = type.getRank();
    FailureOr<int64_t> normalized =
        normalizeAxisOrFail(rewriter, op, axisValues->front(), rank);
    if (failed(normalized))
      return failure();
    int64_t axis = *normalized;

    Type elementType = type.getElementType();
    bool isFloat = isa<FloatType>(elementType);
    Type accType = getComputeType(elementType);
    auto accTensorType = type.clone(accType);
    Value init = createFilledTensor(
        rewriter, loc, accTensorType,
        getDynamicKeptSizes(rewriter, loc, input, {}),
        createScalarConstant(rewriter, loc, accType, 0.0));
    MLIRContext *context = rewriter.getContext();
    SmallVector<AffineExpr> inputExprs;
    for (int64_t i = 0; i < rank; ++i)
      inputExprs.push_back(getAffineDimExpr(i == axis ? rank : i, context));
    SmallVector<AffineMap> maps = {
        AffineMap::get(rank + 1, 0, inputExprs, context),
        AffineMap::getMultiDimIdentityMap(rank + 1, context).getMajorSubMap(
            rank)};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);
    using P = arith::CmpIPredicate;
    P predicate = op.getReverse() ? (op.getExclusive() ? P::ugt : P::uge)
                                  : (op.getExclusive() ? P::ult : P::ule);
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{accTensorType}, input, init, maps,
            iterators,
            [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
              Value i = linalg::IndexOp::create(b, bodyLoc, axis);
              Value j = linalg::IndexOp::create(b, bodyLoc, rank);
              Value included =
                  arith::CmpIOp::create(b, bodyLoc, predicate, j, i);
              Value x = isFloat ? extendToF32IfNarrow(b, bodyLoc, args[0])
                                : args[0];
              Value sum =
                  isFloat ? Value(arith::AddFOp::create(b, bodyLoc, x, args[1]))
                          : Value(arith::AddIOp::create(b, bodyLoc, x, args[1]));
              linalg::YieldOp::create(
                  b, bodyLoc,
                  Value(arith::SelectOp::create(b, bodyLoc, included, sum,
                                                args[1])));
            })
            .getResult(0);
    rewriter.replaceOp(op, finish(rewriter, op, result, elementType));
    return success();
  }

private:
  /// Returns the sums `result` (of the accumulation type) converted to
  /// `elementType` and typed as `op`'s result.
  static Value finish(OpBuilder &b, graph::CumSumOp op, Value result,
                      Type elementType) {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(result.getType());
    if (type.getElementType() != elementType)
      result = createParallelGeneric(
          b, loc, result, elementType, result,
          b.getMultiDimIdentityMap(type.getRank()),
          [&](OpBuilder &nested, Location bodyLoc, ValueRange args) -> Value {
            return convertFloat(nested, bodyLoc, args[0], elementType);
          });
    return castToType(b, loc, result, cast<RankedTensorType>(op.getType()));
  }

  /// Lowers CumSum with an axis known only at run time to a generic over
  /// the result whose body sums the input along the axis with an `scf.for`
  /// (from the start to the element, or from it to the end when reversed;
  /// the element itself left out when exclusive). Checks that the axis is
  /// in range (after a failed check it reads as 0).
  static Value cumSumAtRunTime(OpBuilder &b, graph::CumSumOp op,
                               OpAdaptor adaptor) {
    Location loc = op.getLoc();
    Value input = castToSignless(b, loc, adaptor.getInput());
    auto type = cast<RankedTensorType>(input.getType());
    int64_t rank = type.getRank();
    Value axisTensor = adaptor.getAxis();
    int64_t axisRank = cast<RankedTensorType>(axisTensor.getType()).getRank();
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    Value entry = arith::IndexCastOp::create(
        b, loc, b.getIndexType(),
        tensor::ExtractOp::create(b, loc, axisTensor,
                                  SmallVector<Value>(axisRank, zero)));
    RuntimeAxes axes = readRuntimeAxes(b, op, entry, rank, "axis");
    Value axis =
        arith::SelectOp::create(b, loc, axes.valid, axes.axes.front(), zero);
    SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, input);
    SmallVector<Value> sizeValues, isAxis;
    for (int64_t d = 0; d < rank; ++d) {
      sizeValues.push_back(getValueOrCreateConstantIndexOp(b, loc, sizes[d]));
      isAxis.push_back(
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, axis,
                                arith::ConstantIndexOp::create(b, loc, d)));
    }
    Value axisSize = selectByPosition(b, loc, axis, sizeValues, zero);

    Type elementType = type.getElementType();
    bool isFloat = isa<FloatType>(elementType);
    Type accType = getComputeType(elementType);
    bool exclusive = op.getExclusive(), reverse = op.getReverse();
    Value result = createIndexedCopy(
        b, loc, type.clone(accType), sizes,
        [&](OpBuilder &nb, Location bodyLoc, ArrayRef<Value> coordinates) {
          Value position =
              selectByPosition(nb, bodyLoc, axis, coordinates, zero);
          Value next = arith::AddIOp::create(nb, bodyLoc, position, one);
          Value lower = reverse ? (exclusive ? next : position) : zero;
          Value upper = reverse ? axisSize : (exclusive ? position : next);
          Value init = createScalarConstant(nb, bodyLoc, accType, 0.0);
          auto loop = scf::ForOp::create(
              nb, bodyLoc, lower, upper, one, ValueRange{init},
              [&](OpBuilder &lb, Location loopLoc, Value index,
                  ValueRange sums) {
                SmallVector<Value> source;
                for (int64_t d = 0; d < rank; ++d)
                  source.push_back(arith::SelectOp::create(
                      lb, loopLoc, isAxis[d], index, coordinates[d]));
                Value x = tensor::ExtractOp::create(lb, loopLoc, input, source);
                Value sum;
                if (isFloat)
                  sum = arith::AddFOp::create(
                      lb, loopLoc, extendToF32IfNarrow(lb, loopLoc, x),
                      sums[0]);
                else
                  sum = arith::AddIOp::create(lb, loopLoc, x, sums[0]);
                scf::YieldOp::create(lb, loopLoc, sum);
              });
          return loop.getResult(0);
        });
    return finish(b, op, result, elementType);
  }
};

//===----------------------------------------------------------------------===//
// LayerNormalization
//===----------------------------------------------------------------------===//

/// Returns LayerNormalization's `operand` (`what`: "scale" or "bias") as
/// read by a broadcast map against `input`: as is when its sizes are
/// statically 1 or the input's; else, after a run-time check of `op` that
/// each size is the input's (onnxruntime's rule), a copy of the input's
/// sizes that reads it at clamped coordinates, so that a failed check
/// stays inside it.
Value checkNormalizationOperand(OpBuilder &b, Operation *op, Value operand,
                                Value input, StringRef what) {
  Location loc = op->getLoc();
  auto type = cast<RankedTensorType>(operand.getType());
  auto inputType = cast<RankedTensorType>(input.getType());
  int64_t offset = inputType.getRank() - type.getRank();
  SmallVector<OpFoldResult> sizes;
  SmallVector<Value> last;
  bool checked = false;
  for (int64_t j = 0; j < type.getRank(); ++j) {
    int64_t size = type.getDimSize(j);
    int64_t inputSize = inputType.getDimSize(j + offset);
    if (size == 1 || (!ShapedType::isDynamic(size) && size == inputSize)) {
      sizes.push_back(b.getIndexAttr(size));
      last.push_back(arith::ConstantIndexOp::create(b, loc, size - 1));
      continue;
    }
    OpFoldResult operandSize = tensor::getMixedSize(b, loc, operand, j);
    OpFoldResult expected = tensor::getMixedSize(b, loc, input, j + offset);
    checkSameSize(b, op, operandSize, expected,
                  "dimension " + Twine(j) + " of '" + what +
                      "' differs from dimension " + Twine(j + offset) +
                      " of the input");
    sizes.push_back(expected);
    last.push_back(arith::SubIOp::create(
        b, loc, getValueOrCreateConstantIndexOp(b, loc, operandSize),
        arith::ConstantIndexOp::create(b, loc, 1)));
    checked = true;
  }
  if (!checked)
    return operand;
  return createIndexedCopy(
      b, loc, type.clone(getStaticSizes(sizes)), sizes,
      [&](OpBuilder &nested, Location nestedLoc, ArrayRef<Value> coordinates) {
        SmallVector<Value> at;
        for (auto [coordinate, bound] : llvm::zip_equal(coordinates, last))
          at.push_back(
              arith::MinUIOp::create(nested, nestedLoc, coordinate, bound));
        return tensor::ExtractOp::create(nested, nestedLoc, operand, at)
            .getResult();
      });
}

/// Lowers LayerNormalization over the dimensions `axis..rank-1`: a sum
/// reduction for the mean, a second one of squared deviations for the
/// (biased) variance, then `(x - mean) / sqrt(var + epsilon) * scale + bias`
/// with `scale` and `bias` broadcast (right-aligned) to the input.
struct LayerNormalizationLowering
    : OpConversionPattern<graph::LayerNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::LayerNormalizationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    Value scale = checkNormalizationOperand(rewriter, op, adaptor.getScale(),
                                            input, "scale");
    Value bias = adaptor.getBias();
    if (bias)
      bias = checkNormalizationOperand(rewriter, op, bias, input, "bias");
    auto type = cast<RankedTensorType>(input.getType());
    int64_t rank = type.getRank();
    FailureOr<int64_t> normalized =
        normalizeAxisOrFail(rewriter, op, op.getAxis(), rank);
    if (failed(normalized))
      return failure();
    int64_t axis = *normalized;
    SmallVector<bool> reduced(rank, false);
    for (int64_t i = axis; i < rank; ++i)
      reduced[i] = true;

    MLIRContext *context = rewriter.getContext();
    Type elementType = type.getElementType();
    Type computeType = getComputeType(elementType);
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap kept = getKeptDimsMap(reduced, context);

    Value zero = createScalarConstant(rewriter, loc, computeType, 0.0);
    Value count = getReducedCount(rewriter, loc, input, reduced, computeType);
    Value sum = createReduction(
        rewriter, loc, input, reduced, input, identity, computeType, zero,
        [](OpBuilder &b, Location bodyLoc, ValueRange args) -> Value {
          Value element = extendToF32IfNarrow(b, bodyLoc, args[0]);
          return arith::AddFOp::create(b, bodyLoc, element, args[1]);
        });
    Value squares = createReduction(
        rewriter, loc, input, reduced, {input, sum}, {identity, kept},
        computeType, zero,
        [&](OpBuilder &b, Location bodyLoc, ValueRange args) -> Value {
          Value element = extendToF32IfNarrow(b, bodyLoc, args[0]);
          Value mean = arith::DivFOp::create(b, bodyLoc, args[1], count);
          Value centered = arith::SubFOp::create(b, bodyLoc, element, mean);
          Value square = arith::MulFOp::create(b, bodyLoc, centered, centered);
          return arith::AddFOp::create(b, bodyLoc, square, args[2]);
        });

    SmallVector<Value> inputs = {input, sum, squares, scale};
    SmallVector<AffineMap> maps = {
        identity, kept, kept,
        getBroadcastIndexingMap(
            cast<RankedTensorType>(scale.getType()).getShape(), type.getShape(),
            context)};
    if (bias) {
      inputs.push_back(bias);
      maps.push_back(getBroadcastIndexingMap(
          cast<RankedTensorType>(bias.getType()).getShape(), type.getShape(),
          context));
    }
    Value epsilon = getEpsilon(rewriter, loc, op.getEpsilon(), computeType);
    Value result = createParallelGeneric(
        rewriter, loc, input, elementType, inputs, maps,
        [&](OpBuilder &b, Location bodyLoc, ValueRange args) -> Value {
          Value element = extendToF32IfNarrow(b, bodyLoc, args[0]);
          Value mean = arith::DivFOp::create(b, bodyLoc, args[1], count);
          Value variance = arith::DivFOp::create(b, bodyLoc, args[2], count);
          Value stddev = math::SqrtOp::create(
              b, bodyLoc, arith::AddFOp::create(b, bodyLoc, variance, epsilon));
          Value normalized = arith::DivFOp::create(
              b, bodyLoc, arith::SubFOp::create(b, bodyLoc, element, mean),
              stddev);
          Value value = arith::MulFOp::create(
              b, bodyLoc, normalized, extendToF32IfNarrow(b, bodyLoc, args[3]));
          if (bias)
            value = arith::AddFOp::create(
                b, bodyLoc, value, extendToF32IfNarrow(b, bodyLoc, args[4]));
          return convertFloat(b, bodyLoc, value, elementType);
        });
    rewriter.replaceOp(op, castToType(rewriter, loc, result,
                                      cast<RankedTensorType>(op.getType())));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// BatchNormalization
//===----------------------------------------------------------------------===//

/// Lowers inference BatchNormalization to one elementwise generic in which
/// the four parameter vectors are read at the channel index (dimension 1).
struct BatchNormalizationLowering
    : OpConversionPattern<graph::BatchNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::BatchNormalizationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    int64_t rank = type.getRank();
    if (rank < 2)
      return failLowering(rewriter, op, "input must have rank 2 or more");
    Type elementType = type.getElementType();
    Type computeType = getComputeType(elementType);
    AffineMap channel =
        AffineMap::get(rank, 0, getAffineDimExpr(1, rewriter.getContext()));
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    Value epsilon = getEpsilon(rewriter, loc, op.getEpsilon(), computeType);
    Value result = createParallelGeneric(
        rewriter, loc, input, elementType,
        {input, adaptor.getScale(), adaptor.getBias(), adaptor.getMean(),
         adaptor.getVariance()},
        {identity, channel, channel, channel, channel},
        [&](OpBuilder &b, Location bodyLoc, ValueRange args) -> Value {
          SmallVector<Value> v;
          for (Value arg : args.take_front(5))
            v.push_back(extendToF32IfNarrow(b, bodyLoc, arg));
          Value stddev = math::SqrtOp::create(
              b, bodyLoc, arith::AddFOp::create(b, bodyLoc, v[4], epsilon));
          Value centered = arith::SubFOp::create(b, bodyLoc, v[0], v[3]);
          Value normalized =
              arith::DivFOp::create(b, bodyLoc, centered, stddev);
          Value scaled = arith::MulFOp::create(b, bodyLoc, normalized, v[1]);
          Value value = arith::AddFOp::create(b, bodyLoc, scaled, v[2]);
          return convertFloat(b, bodyLoc, value, elementType);
        });
    rewriter.replaceOp(op, castToType(rewriter, loc, result,
                                      cast<RankedTensorType>(op.getType())));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// GlobalMaxPool
//===----------------------------------------------------------------------===//

/// Lowers GlobalMaxPool as a max reduction over the spatial dimensions into
/// `N x C` (starting at -inf; NaN propagates) and a `tensor.expand_shape`
/// adding the unit spatial dimensions back.
struct GlobalMaxPoolLowering : OpConversionPattern<graph::GlobalMaxPoolOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::GlobalMaxPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    SmallVector<bool> spatial(type.getRank(), true);
    spatial[0] = spatial[1] = false;
    Type elementType = type.getElementType();
    Value lowest = createExtremeConstant(rewriter, loc, elementType,
                                         /*largest=*/false,
                                         /*isUnsigned=*/false);
    Value max = createReduction(
        rewriter, loc, input, spatial, input,
        rewriter.getMultiDimIdentityMap(type.getRank()), elementType, lowest,
        [](OpBuilder &b, Location bodyLoc, ValueRange args) -> Value {
          return arith::MaximumFOp::create(b, bodyLoc, args[0], args[1]);
        });
    Value result = expandUnitDims(rewriter, loc, max, spatial);
    rewriter.replaceOp(op, castToType(rewriter, loc, result,
                                      cast<RankedTensorType>(op.getType())));
    return success();
  }
};

} // namespace

void exaforge::populateGraphReductionsToLinalgPatterns(
    RewritePatternSet &patterns) {
  using K = ReduceKind;
  patterns.add<
      ReduceLowering<graph::ReduceSumOp, K::Sum>,
      ReduceLowering<graph::ReduceMeanOp, K::Mean>,
      ReduceLowering<graph::ReduceMaxOp, K::Max>,
      ReduceLowering<graph::ReduceMinOp, K::Min>,
      ReduceLowering<graph::ReduceProdOp, K::Prod>,
      ReduceLowering<graph::ReduceL1Op, K::L1>,
      ReduceLowering<graph::ReduceL2Op, K::L2>,
      ReduceLowering<graph::ReduceLogSumOp, K::LogSum>,
      ReduceLowering<graph::ReduceLogSumExpOp, K::LogSumExp>,
      ReduceLowering<graph::ReduceSumSquareOp, K::SumSquare>,
      ArgReduceLowering<graph::ArgMaxOp, true>,
      ArgReduceLowering<graph::ArgMinOp, false>, HardmaxLowering,
      SoftmaxLowering<graph::SoftmaxOp, false>,
      SoftmaxLowering<graph::LogSoftmaxOp, true>,
      NegativeLogLikelihoodLossLowering, CumSumLowering,
      LayerNormalizationLowering, BatchNormalizationLowering,
      GlobalMaxPoolLowering>(patterns.getContext());
}
