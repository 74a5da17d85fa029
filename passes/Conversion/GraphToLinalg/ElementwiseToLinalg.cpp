//===- ElementwiseToLinalg.cpp - Graph elementwise ops to linalg ----------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Lowers the elementwise graph ops (arithmetic, comparisons, logic, math
// functions, activations, Where, Clip and Cast) to one all-parallel
// `linalg.generic` each, whose indexing maps implement ONNX multidirectional
// broadcasting (see LoweringUtils.h, including its assumption about dynamic
// dimensions). Unsigned and signed integer operands are viewed as signless
// through `tensor.bitcast` around the generic, since arith ops only accept
// signless integers; the signedness still selects the arith op (divui,
// extui, uitofp, ...). Transcendental functions of f16/bf16 values are
// computed in f32. Most ops share `ElementwiseLowering`, which takes the
// scalar body of each op from a table in
// populateGraphElementwiseToLinalgPatterns.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/GraphToLinalg/GraphToLinalg.h"
#include "passes/Conversion/GraphToLinalg/LoweringUtils.h"
#include "passes/Conversion/GraphToLinalg/RuntimeParams.h"

#include "dialects/Graph/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

#include "llvm/Support/MathExtras.h"

#include <cmath>
#include <limits>
#include <optional>

using namespace mlir;
using namespace exaforge;
using namespace exaforge::lowering;

namespace {

/// Returns the element type of the tensor `value`.
Type elementTypeOf(Value value) {
  return cast<RankedTensorType>(value.getType()).getElementType();
}

/// Returns `inputs` with the broadcasts that only the run time can decide
/// made explicit. The broadcast maps (see getBroadcastIndexingMap) read a
/// dynamic operand dimension as is, which is right only when the operand has
/// the result's size there. That is certain when the result dimension is
/// statically 1, or dynamic with every operand not statically 1 along it
/// provably of this operand's size (haveEqualSizes: this operand alone, or
/// `x` and `sigmoid(x)` of SiLU along a symbolic batch, whose generics then
/// fuse into one loop nest; the result size is then the operand's).
/// Otherwise (a Llama
/// attention mask typed ?x?x?x? that is [1, 1, S, S] at run time, added to
/// scores of 8 heads) the operand's size may be 1 and broadcast: such an
/// operand is read through createRuntimeBroadcast, and a run-time check
/// that the size is 1 or the result's reports a real mismatch. A dynamic
/// result size is the largest size along it (every size is 1 or that).
SmallVector<Value> broadcastAtRunTime(OpBuilder &b, Operation *op,
                                      RankedTensorType resultType,
                                      ValueRange inputs) {
  Location loc = op->getLoc();
  int64_t rank = resultType.getRank();
  // The dimension of `input` aligned with result dimension `i`, or -1.
  auto alignedDim = [&](Value input, int64_t i) {
    return i - (rank - cast<RankedTensorType>(input.getType()).getRank());
  };
  // Per input, its uncertain dimensions and the result sizes along them.
  SmallVector<SmallVector<int64_t>> uncertainDims(inputs.size());
  SmallVector<SmallVector<OpFoldResult>> targetSizes;
  for (Value input : inputs)
    targetSizes.emplace_back(
        cast<RankedTensorType>(input.getType()).getRank(), OpFoldResult());
  for (int64_t i = 0; i < rank; ++i) {
    // The inputs that have a dimension along `i` not statically 1.
    SmallVector<size_t> candidates;
    for (auto [index, input] : llvm::enumerate(inputs)) {
      int64_t dim = alignedDim(input, i);
      if (dim >= 0 &&
          cast<RankedTensorType>(input.getType()).getDimSize(dim) != 1)
        candidates.push_back(index);
    }
    SmallVector<size_t> uncertain;
    for (size_t index : candidates) {
      auto type = cast<RankedTensorType>(inputs[index].getType());
      if (!type.isDynamicDim(alignedDim(inputs[index], i)))
        continue;
      bool certain = resultType.isDynamicDim(i)
                         ? llvm::all_of(candidates,
                                        [&](size_t other) {
                                          return haveEqualSizes(
                                              inputs[index],
                                              alignedDim(inputs[index], i),
                                              inputs[other],
                                              alignedDim(inputs[other], i));
                                        })
                         : resultType.getDimSize(i) == 1;
      if (!certain)
        uncertain.push_back(index);
    }
    if (uncertain.empty())
      continue;
    Value resultSize;
    if (!resultType.isDynamicDim(i)) {
      resultSize = arith::ConstantIndexOp::create(b, loc,
                                                  resultType.getDimSize(i));
    } else {
      for (size_t index : candidates) {
        Value size = tensor::DimOp::create(b, loc, inputs[index],
                                           alignedDim(inputs[index], i));
        resultSize = resultSize ? b.createOrFold<arith::MaxUIOp>(
                                      loc, resultSize, size)
                                : size;
      }
    }
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    for (size_t index : uncertain) {
      int64_t dim = alignedDim(inputs[index], i);
      Value size = tensor::DimOp::create(b, loc, inputs[index], dim);
      Value isOne = b.createOrFold<arith::CmpIOp>(
          loc, arith::CmpIPredicate::eq, size, one);
      Value isResult = b.createOrFold<arith::CmpIOp>(
          loc, arith::CmpIPredicate::eq, size, resultSize);
      createRuntimeCheck(
          b, op, b.createOrFold<arith::OrIOp>(loc, isOne, isResult),
          "dimension " + Twine(dim) + " of operand " + Twine(index) +
              " is neither 1 nor the result's size (the operands do not "
              "broadcast)");
      uncertainDims[index].push_back(dim);
      targetSizes[index][dim] = resultSize;
    }
  }
  SmallVector<Value> broadcast(inputs);
  for (auto [index, input] : llvm::enumerate(inputs)) {
    if (!uncertainDims[index].empty())
      broadcast[index] = createRuntimeBroadcast(
          b, loc, input, uncertainDims[index], targetSizes[index]);
  }
  return broadcast;
}

/// Replaces the single-result `op` with an elementwise broadcast
/// `linalg.generic` over `operands` (viewed as signless) whose body is
/// `body`, then views the result with the op's declared result type.
void replaceWithElementwise(ConversionPatternRewriter &rewriter, Operation *op,
                            ValueRange operands, ScalarBodyBuilder body) {
  Location loc = op->getLoc();
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  SmallVector<Value> inputs;
  for (Value operand : operands)
    inputs.push_back(castToSignless(rewriter, loc, operand));
  inputs =
      broadcastAtRunTime(rewriter, op, getSignlessTensorType(resultType), inputs);
  Value result = createBroadcastElementwise(
      rewriter, loc, getSignlessTensorType(resultType), inputs, body);
  rewriter.replaceOp(op, castToType(rewriter, loc, result, resultType));
}

/// Applies `fn` to `x` computed in f32 when `x` is a narrow float, and
/// converts the result back to the type of `x`.
Value computeInF32IfNarrow(OpBuilder &b, Location loc, Value x,
                           function_ref<Value(Value)> fn) {
  Value wide = extendToF32IfNarrow(b, loc, x);
  return convertFloat(b, loc, fn(wide), x.getType());
}

//===----------------------------------------------------------------------===//
// Add, Sub, Mul, Div
//===----------------------------------------------------------------------===//

/// Lowers a broadcasting arithmetic op to `FloatOp` on floats, `SIntOp` on
/// signless and signed integers and `UIntOp` on unsigned integers.
template <typename OpTy, typename FloatOp, typename SIntOp, typename UIntOp>
struct BinaryArithLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpConversionPattern<OpTy>::OpAdaptor;

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type elementType = elementTypeOf(op.getLhs());
    bool isFloat = isa<FloatType>(elementType);
    bool isUnsigned = elementType.isUnsignedInteger();
    replaceWithElementwise(
        rewriter, op, {adaptor.getLhs(), adaptor.getRhs()},
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          if (isFloat)
            return FloatOp::create(b, loc, args[0], args[1]);
          if (isUnsigned)
            return UIntOp::create(b, loc, args[0], args[1]);
          return SIntOp::create(b, loc, args[0], args[1]);
        });
    return success();
  }
};

using AddLowering = BinaryArithLowering<graph::AddOp, arith::AddFOp,
                                        arith::AddIOp, arith::AddIOp>;
using SubLowering = BinaryArithLowering<graph::SubOp, arith::SubFOp,
                                        arith::SubIOp, arith::SubIOp>;
using MulLowering = BinaryArithLowering<graph::MulOp, arith::MulFOp,
                                        arith::MulIOp, arith::MulIOp>;
/// Integer division truncates toward zero (divsi/divui), as ONNX requires.
using DivLowering = BinaryArithLowering<graph::DivOp, arith::DivFOp,
                                        arith::DivSIOp, arith::DivUIOp>;

//===----------------------------------------------------------------------===//
// Pow
//===----------------------------------------------------------------------===//

/// Returns `base` (a float) to the power `exponent` (of ONNX type
/// `exponentType`, viewed as signless): a float exponent is converted to the
/// base type and uses `math.powf`; a signed or signless integer exponent of
/// at most 32 bits uses `math.fpowi` with an i32 exponent (LLVM's `powi`
/// needs a C `int` on x86); wider and unsigned exponents are converted to
/// the base type (`sitofp`/`uitofp`, exact up to the mantissa width) for
/// `math.powf`.
Value createFloatPower(OpBuilder &b, Location loc, Value base, Value exponent,
                       Type exponentType) {
  Type baseType = base.getType();
  if (isa<FloatType>(exponentType))
    return math::PowFOp::create(b, loc, base,
                                convertFloat(b, loc, exponent, baseType));
  unsigned width = exponentType.getIntOrFloatBitWidth();
  if (exponentType.isUnsignedInteger() || width == 1)
    return math::PowFOp::create(
        b, loc, base, arith::UIToFPOp::create(b, loc, baseType, exponent));
  if (width > 32)
    return math::PowFOp::create(
        b, loc, base, arith::SIToFPOp::create(b, loc, baseType, exponent));
  if (width < 32)
    exponent = arith::ExtSIOp::create(b, loc, b.getI32Type(), exponent);
  return math::FPowIOp::create(b, loc, base, exponent);
}

/// Returns the integer `base` to the power of the integer `exponent` (both
/// signless values; `baseIsUnsigned` and `exponentIsUnsigned` give their
/// ONNX signedness). A non-negative exponent multiplies exactly, by
/// squaring over the exponent's bits in an `scf.for` of the exponent's
/// width, and wraps around modulo 2^width of the base type as repeated
/// multiplication does (numpy's integer power). A negative exponent gives
/// the real result truncated toward zero: 1 for a base of 1, +-1 for a base
/// of -1 (by the exponent's parity) and 0 for any other base, 0 included
/// (whose real result is infinite).
Value createIntegerPower(OpBuilder &b, Location loc, Value base, Value exponent,
                         bool baseIsUnsigned, bool exponentIsUnsigned) {
  Type baseType = base.getType();
  auto exponentType = cast<IntegerType>(exponent.getType());
  unsigned exponentWidth = exponentType.getWidth();
  Value one = createScalarConstant(b, loc, baseType, 1);
  Value lower = arith::ConstantIndexOp::create(b, loc, 0);
  Value upper = arith::ConstantIndexOp::create(b, loc, exponentWidth);
  Value step = arith::ConstantIndexOp::create(b, loc, 1);
  auto loop = scf::ForOp::create(
      b, loc, lower, upper, step, ValueRange{one, base},
      [&](OpBuilder &lb, Location loopLoc, Value bit, ValueRange iterArgs) {
        Value result = iterArgs[0], power = iterArgs[1];
        Value shift =
            arith::IndexCastUIOp::create(lb, loopLoc, exponentType, bit);
        Value shifted = arith::ShRUIOp::create(lb, loopLoc, exponent, shift);
        Value isSet =
            arith::TruncIOp::create(lb, loopLoc, lb.getI1Type(), shifted);
        Value product = arith::MulIOp::create(lb, loopLoc, result, power);
        Value next =
            arith::SelectOp::create(lb, loopLoc, isSet, product, result);
        Value square = arith::MulIOp::create(lb, loopLoc, power, power);
        scf::YieldOp::create(lb, loopLoc, ValueRange{next, square});
      });
  Value result = loop.getResult(0);
  if (exponentIsUnsigned || exponentWidth == 1)
    return result;

  Value zero = createScalarConstant(b, loc, baseType, 0);
  Value exponentZero = createScalarConstant(b, loc, exponentType, 0);
  Value isNegative = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt,
                                           exponent, exponentZero);
  Value baseIsOne =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, base, one);
  Value reciprocal = arith::SelectOp::create(b, loc, baseIsOne, one, zero);
  if (!baseIsUnsigned) {
    Value minusOne = createScalarConstant(b, loc, baseType, -1);
    Value baseIsMinusOne =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, base, minusOne);
    Value isOdd = arith::TruncIOp::create(b, loc, b.getI1Type(), exponent);
    Value sign = arith::SelectOp::create(b, loc, isOdd, minusOne, one);
    reciprocal =
        arith::SelectOp::create(b, loc, baseIsMinusOne, sign, reciprocal);
  }
  return arith::SelectOp::create(b, loc, isNegative, reciprocal, result);
}

/// Returns the integer `base` to the float power `exponent`, computed in f64
/// (`math.powf`) and converted back with truncation toward zero (numpy's
/// `power(...).astype(base dtype)` and onnxruntime's `static_cast`). A
/// result outside the base type's range, or NaN, has no defined value.
Value createIntegerToFloatPower(OpBuilder &b, Location loc, Value base,
                                Value exponent, bool baseIsUnsigned) {
  Type baseType = base.getType();
  Type f64 = b.getF64Type();
  Value wideBase = baseIsUnsigned
                       ? arith::UIToFPOp::create(b, loc, f64, base).getResult()
                       : arith::SIToFPOp::create(b, loc, f64, base).getResult();
  Value power = math::PowFOp::create(b, loc, wideBase,
                                     convertFloat(b, loc, exponent, f64));
  if (baseIsUnsigned)
    return arith::FPToUIOp::create(b, loc, baseType, power);
  return arith::FPToSIOp::create(b, loc, baseType, power);
}

/// Returns the exponent of Pow when it is a constant whose elements all hold
/// one value that createConstantFloatPower computes without `powf`: 0.5, 1,
/// 2, 3 or 4 (GELU's `Pow(x, 3)` in GPT-2 exports, RMSNorm's `Pow(x, 2)`).
std::optional<double> matchCheapConstantExponent(Value exponent) {
  ElementsAttr value;
  if (!matchPattern(exponent, m_Constant(&value)) || !value.isSplat())
    return std::nullopt;
  double number;
  Type type = value.getElementType();
  if (isa<FloatType>(type))
    number = value.getSplatValue<APFloat>().convertToDouble();
  else if (type.isUnsignedInteger() || type.isInteger(1))
    number = static_cast<double>(
        value.getSplatValue<APInt>().getLimitedValue(/*Limit=*/5));
  else if (isa<IntegerType>(type))
    number = static_cast<double>(value.getSplatValue<APInt>().getSExtValue());
  else
    return std::nullopt;
  if (number == 0.5 || number == 1 || number == 2 || number == 3 ||
      number == 4)
    return number;
  return std::nullopt;
}

/// Returns the float `base` (f32 or wider) to the power `exponent`, one of
/// the constants matchCheapConstantExponent accepts, with `powf`'s results:
/// an integer exponent multiplies (x^3 = x * x * x, x^4 = (x * x)^2). The
/// products round once or twice where `powf` rounds once (at most about one
/// unit in the last place apart), and keep `powf`'s special values: NaN
/// stays NaN, a negative base gives the sign of an odd power, -0 and -inf
/// keep their sign in odd powers, and an intermediate product overflows
/// only when the power does. The exponent 0.5 is `sqrt`, made +0 for -0 and
/// +inf for -inf, as `powf(x, 0.5)` (a negative base gives NaN in both).
Value createConstantFloatPower(OpBuilder &b, Location loc, Value base,
                               double exponent) {
  if (exponent == 0.5) {
    Value root = math::AbsFOp::create(b, loc, math::SqrtOp::create(b, loc, base));
    Type type = base.getType();
    Value minusInfinity = createScalarConstant(
        b, loc, type, -std::numeric_limits<double>::infinity());
    Value infinity = createScalarConstant(
        b, loc, type, std::numeric_limits<double>::infinity());
    Value isMinusInfinity = arith::CmpFOp::create(
        b, loc, arith::CmpFPredicate::OEQ, base, minusInfinity);
    return arith::SelectOp::create(b, loc, isMinusInfinity, infinity, root);
  }
  if (exponent == 1)
    return base;
  Value square = arith::MulFOp::create(b, loc, base, base);
  if (exponent == 2)
    return square;
  if (exponent == 3)
    return arith::MulFOp::create(b, loc, square, base);
  return arith::MulFOp::create(b, loc, square, square);
}

/// Lowers Pow. The result has the base's type (ONNX Pow-15): a float base
/// uses createConstantFloatPower when the exponent is a constant it
/// computes (in f32 for a narrower float), and createFloatPower otherwise;
/// an integer base uses createIntegerPower with an integer exponent and
/// createIntegerToFloatPower with a float one.
struct PowLowering : OpConversionPattern<graph::PowOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::PowOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type baseType = elementTypeOf(op.getLhs());
    Type exponentType = elementTypeOf(op.getRhs());
    if (baseType.isInteger(1))
      return failLowering(rewriter, op, "a bool base is not supported");
    bool baseIsUnsigned = baseType.isUnsignedInteger();
    bool exponentIsUnsigned = exponentType.isUnsignedInteger();
    std::optional<double> constantExponent =
        matchCheapConstantExponent(op.getRhs());
    replaceWithElementwise(
        rewriter, op, {adaptor.getLhs(), adaptor.getRhs()},
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          Value base = args[0], exponent = args[1];
          if (isa<FloatType>(baseType) && constantExponent)
            return computeInF32IfNarrow(b, loc, base, [&](Value x) {
              return createConstantFloatPower(b, loc, x, *constantExponent);
            });
          if (isa<FloatType>(baseType))
            return createFloatPower(b, loc, base, exponent, exponentType);
          if (isa<FloatType>(exponentType))
            return createIntegerToFloatPower(b, loc, base, exponent,
                                             baseIsUnsigned);
          return createIntegerPower(b, loc, base, exponent, baseIsUnsigned,
                                    exponentIsUnsigned);
        });
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Equal
//===----------------------------------------------------------------------===//

/// Lowers Equal to `arith.cmpf oeq` on floats and `arith.cmpi eq` on
/// integers of any signedness.
struct EqualLowering : OpConversionPattern<graph::EqualOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::EqualOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    bool isFloat = isa<FloatType>(elementTypeOf(op.getLhs()));
    replaceWithElementwise(
        rewriter, op, {adaptor.getLhs(), adaptor.getRhs()},
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          if (isFloat)
            return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ,
                                         args[0], args[1]);
          return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                       args[0], args[1]);
        });
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Where
//===----------------------------------------------------------------------===//

/// Lowers Where to `arith.select` with three-way broadcasting.
struct WhereLowering : OpConversionPattern<graph::WhereOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::WhereOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    replaceWithElementwise(
        rewriter, op,
        {adaptor.getCondition(), adaptor.getLhs(), adaptor.getRhs()},
        [](OpBuilder &b, Location loc, ValueRange args) -> Value {
          return arith::SelectOp::create(b, loc, args[0], args[1], args[2]);
        });
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Sqrt, Erf, Tanh, Sigmoid
//===----------------------------------------------------------------------===//

/// Lowers a float unary op whose scalar form `buildScalar` receives the
/// element in f32 when the tensor holds a narrower float.
template <typename OpTy> struct FloatUnaryLowering : OpConversionPattern<OpTy> {
  using OpAdaptor = typename OpConversionPattern<OpTy>::OpAdaptor;
  using ScalarFn = Value (*)(OpBuilder &, Location, Value);

  FloatUnaryLowering(MLIRContext *context, ScalarFn buildScalar)
      : OpConversionPattern<OpTy>(context), buildScalar(buildScalar) {}

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    replaceWithElementwise(
        rewriter, op, {adaptor.getInput()},
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          return computeInF32IfNarrow(
              b, loc, args[0], [&](Value x) { return buildScalar(b, loc, x); });
        });
    return success();
  }

  /// Builds the scalar function of one (f32 or wider) element.
  ScalarFn buildScalar;
};

/// Returns `sqrt(x)`.
Value buildSqrt(OpBuilder &b, Location loc, Value x) {
  return math::SqrtOp::create(b, loc, x);
}

/// Returns `erf(x)`.
Value buildErf(OpBuilder &b, Location loc, Value x) {
  return math::ErfOp::create(b, loc, x);
}

/// Returns `tanh(x)`.
Value buildTanh(OpBuilder &b, Location loc, Value x) {
  return math::TanhOp::create(b, loc, x);
}

/// Returns `1 / (1 + exp(-x))`.
Value buildSigmoid(OpBuilder &b, Location loc, Value x) {
  Value one = createScalarConstant(b, loc, x.getType(), 1.0);
  Value negated = arith::NegFOp::create(b, loc, x);
  Value exp = math::ExpOp::create(b, loc, negated);
  Value denominator = arith::AddFOp::create(b, loc, one, exp);
  return arith::DivFOp::create(b, loc, one, denominator);
}

//===----------------------------------------------------------------------===//
// Relu
//===----------------------------------------------------------------------===//

/// Lowers Relu to `arith.maximumf` (NaN-propagating) on floats, `arith.maxsi`
/// on signless and signed integers, and the identity on unsigned integers.
struct ReluLowering : OpConversionPattern<graph::ReluOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::ReluOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type elementType = elementTypeOf(op.getInput());
    bool isFloat = isa<FloatType>(elementType);
    bool isUnsigned = elementType.isUnsignedInteger();
    replaceWithElementwise(
        rewriter, op, {adaptor.getInput()},
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          Value x = args[0];
          if (isUnsigned)
            return x;
          Value zero = createScalarConstant(b, loc, x.getType(), 0.0);
          if (isFloat)
            return arith::MaximumFOp::create(b, loc, x, zero);
          return arith::MaxSIOp::create(b, loc, x, zero);
        });
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Gelu
//===----------------------------------------------------------------------===//

/// Lowers Gelu: `0.5 * x * (1 + erf(x / sqrt(2)))` for approximate "none",
/// `0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))` for "tanh".
struct GeluLowering : OpConversionPattern<graph::GeluOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::GeluOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    StringRef approximate = op.getApproximate();
    if (approximate != "none" && approximate != "tanh")
      return failLowering(rewriter, op, "unknown 'approximate' value");
    bool useTanh = approximate == "tanh";
    replaceWithElementwise(
        rewriter, op, {adaptor.getInput()},
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          return computeInF32IfNarrow(b, loc, args[0], [&](Value x) -> Value {
            Type type = x.getType();
            auto constant = [&](double value) {
              return createScalarConstant(b, loc, type, value);
            };
            Value inner;
            if (useTanh) {
              Value x3 = arith::MulFOp::create(
                  b, loc, arith::MulFOp::create(b, loc, x, x), x);
              Value poly = arith::AddFOp::create(
                  b, loc, x,
                  arith::MulFOp::create(b, loc, constant(0.044715), x3));
              Value scaled = arith::MulFOp::create(
                  b, loc, constant(std::sqrt(2.0 / llvm::numbers::pi)), poly);
              inner = math::TanhOp::create(b, loc, scaled);
            } else {
              Value scaled = arith::MulFOp::create(
                  b, loc, x, constant(llvm::numbers::inv_sqrt2));
              inner = math::ErfOp::create(b, loc, scaled);
            }
            Value onePlus = arith::AddFOp::create(b, loc, constant(1.0), inner);
            Value half = arith::MulFOp::create(b, loc, constant(0.5), x);
            return arith::MulFOp::create(b, loc, half, onePlus);
          });
        });
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Cast
//===----------------------------------------------------------------------===//

/// Converts the signless scalar `x`, whose tensor element type was `from`,
/// to the signless form of `to`, with ONNX Cast semantics.
Value buildCast(OpBuilder &b, Location loc, Value x, Type from, Type to) {
  Type signlessTo = to;
  if (auto intType = dyn_cast<IntegerType>(to))
    signlessTo = b.getIntegerType(intType.getWidth());
  if (from == to)
    return x;
  // Anything to bool is `x != 0`; NaN converts to true.
  if (isa<IntegerType>(to) && to.getIntOrFloatBitWidth() == 1) {
    Value zero = createScalarConstant(b, loc, x.getType(), 0.0);
    if (isa<FloatType>(from))
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, x, zero);
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, x, zero);
  }
  auto fromInt = dyn_cast<IntegerType>(from);
  auto toInt = dyn_cast<IntegerType>(to);
  // Bools are unsigned: 0 or 1.
  bool fromUnsigned =
      fromInt && (fromInt.isUnsigned() || fromInt.getWidth() == 1);
  if (isa<FloatType>(from) && isa<FloatType>(to))
    return convertFloat(b, loc, x, to);
  if (fromInt && toInt) {
    unsigned fromWidth = fromInt.getWidth(), toWidth = toInt.getWidth();
    if (fromWidth == toWidth)
      return x;
    if (fromWidth > toWidth)
      return arith::TruncIOp::create(b, loc, signlessTo, x);
    if (fromUnsigned)
      return arith::ExtUIOp::create(b, loc, signlessTo, x);
    return arith::ExtSIOp::create(b, loc, signlessTo, x);
  }
  if (fromInt) {
    if (fromUnsigned)
      return arith::UIToFPOp::create(b, loc, to, x);
    return arith::SIToFPOp::create(b, loc, to, x);
  }
  // Float to integer truncates toward zero.
  if (toInt.isUnsigned())
    return arith::FPToUIOp::create(b, loc, signlessTo, x);
  return arith::FPToSIOp::create(b, loc, signlessTo, x);
}

/// Lowers Cast; see buildCast for the conversions.
struct CastLowering : OpConversionPattern<graph::CastOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::CastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type from = elementTypeOf(op.getInput());
    Type to = elementTypeOf(op.getOutput());
    if (to != op.getTo())
      return failLowering(rewriter, 
          op, "result element type differs from 'to'");
    replaceWithElementwise(
        rewriter, op, {adaptor.getInput()},
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          return buildCast(b, loc, args[0], from, to);
        });
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Table-driven elementwise ops
//===----------------------------------------------------------------------===//

/// Builds the scalar result of `op` from the signless elements `args` of its
/// present operands, in order (the output element follows them).
template <typename OpTy>
using ScalarOpBuilder = Value (*)(OpBuilder &, Location, OpTy, ValueRange);

/// Lowers `OpTy` to an elementwise broadcast `linalg.generic` whose body is
/// built by the function given at construction.
template <typename OpTy>
struct ElementwiseLowering : OpConversionPattern<OpTy> {
  using OpAdaptor = typename OpConversionPattern<OpTy>::OpAdaptor;

  ElementwiseLowering(MLIRContext *context, ScalarOpBuilder<OpTy> buildScalar)
      : OpConversionPattern<OpTy>(context), buildScalar(buildScalar) {}

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    replaceWithElementwise(
        rewriter, op, adaptor.getOperands(),
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          return buildScalar(b, loc, op, args);
        });
    return success();
  }

  /// Builds the scalar body.
  ScalarOpBuilder<OpTy> buildScalar;
};

/// How arith treats the elements of a tensor.
enum class Arithmetic { Float, Signed, Unsigned };

/// Returns the arithmetic of the elements of `op`'s first operand; bools
/// count as unsigned.
Arithmetic getArithmetic(Operation *op) {
  Type type = elementTypeOf(op->getOperand(0));
  if (isa<FloatType>(type))
    return Arithmetic::Float;
  if (type.isUnsignedInteger() || type.getIntOrFloatBitWidth() == 1)
    return Arithmetic::Unsigned;
  return Arithmetic::Signed;
}

/// Creates `FloatOp`, `SIntOp` or `UIntOp` of `lhs` and `rhs` by `arith`.
template <typename FloatOp, typename SIntOp, typename UIntOp>
Value createByArithmetic(OpBuilder &b, Location loc, Arithmetic arith,
                         Value lhs, Value rhs) {
  switch (arith) {
  case Arithmetic::Float:
    return FloatOp::create(b, loc, lhs, rhs);
  case Arithmetic::Signed:
    return SIntOp::create(b, loc, lhs, rhs);
  case Arithmetic::Unsigned:
    return UIntOp::create(b, loc, lhs, rhs);
  }
  llvm_unreachable("unknown arithmetic");
}

/// Returns `max(lhs, rhs)` (NaN-propagating for floats).
Value createMax(OpBuilder &b, Location loc, Arithmetic arith, Value lhs,
                Value rhs) {
  return createByArithmetic<arith::MaximumFOp, arith::MaxSIOp, arith::MaxUIOp>(
      b, loc, arith, lhs, rhs);
}

/// Returns `min(lhs, rhs)` (NaN-propagating for floats).
Value createMin(OpBuilder &b, Location loc, Arithmetic arith, Value lhs,
                Value rhs) {
  return createByArithmetic<arith::MinimumFOp, arith::MinSIOp, arith::MinUIOp>(
      b, loc, arith, lhs, rhs);
}

/// Returns the `i1` comparison `lhs <pred> rhs`, where `pred` is given as the
/// ordered float predicate and the signed and unsigned integer predicates.
Value createCompare(OpBuilder &b, Location loc, Arithmetic arith,
                    arith::CmpFPredicate floatPred,
                    arith::CmpIPredicate signedPred,
                    arith::CmpIPredicate unsignedPred, Value lhs, Value rhs) {
  if (arith == Arithmetic::Float)
    return arith::CmpFOp::create(b, loc, floatPred, lhs, rhs);
  return arith::CmpIOp::create(
      b, loc, arith == Arithmetic::Signed ? signedPred : unsignedPred, lhs,
      rhs);
}

/// Returns the constant -1 of the signless integer or float type `type`.
Value createMinusOne(OpBuilder &b, Location loc, Type type) {
  if (isa<FloatType>(type))
    return createScalarConstant(b, loc, type, -1.0);
  return arith::ConstantOp::create(
      b, loc,
      b.getIntegerAttr(type, APInt::getAllOnes(type.getIntOrFloatBitWidth())));
}

/// Returns `x < 0` for the float or integer scalar `x`.
Value createIsNegative(OpBuilder &b, Location loc, Arithmetic arith, Value x) {
  Value zero = createScalarConstant(b, loc, x.getType(), 0.0);
  return createCompare(b, loc, arith, arith::CmpFPredicate::OLT,
                       arith::CmpIPredicate::slt, arith::CmpIPredicate::ult, x,
                       zero);
}

/// Builds a comparison op's body from its predicates.
template <typename OpTy, arith::CmpFPredicate FloatPred,
          arith::CmpIPredicate SignedPred, arith::CmpIPredicate UnsignedPred>
Value buildCompare(OpBuilder &b, Location loc, OpTy op, ValueRange args) {
  return createCompare(b, loc, getArithmetic(op), FloatPred, SignedPred,
                       UnsignedPred, args[0], args[1]);
}

/// Returns the remainder of `lhs` by `rhs` with the sign of `lhs` (`fmod`)
/// or of `rhs` (Python's `%`). An integer remainder by 0 is 0, and so is one
/// by -1 (which would overflow for the smallest value).
Value buildMod(OpBuilder &b, Location loc, graph::ModOp op, ValueRange args) {
  Arithmetic arith = getArithmetic(op);
  Value lhs = args[0], rhs = args[1];
  Type type = lhs.getType();
  Value zero = createScalarConstant(b, loc, type, 0.0);
  if (arith != Arithmetic::Float) {
    // Divide by 1 instead of 0 (or -1): the remainder is then 0.
    Value one = createScalarConstant(b, loc, type, 1.0);
    Value unsafe = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                         rhs, zero);
    if (arith == Arithmetic::Signed) {
      Value minusOne = createMinusOne(b, loc, type);
      unsafe = arith::OrIOp::create(
          b, loc, unsafe,
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, rhs,
                                minusOne));
    }
    rhs = arith::SelectOp::create(b, loc, unsafe, one, rhs);
  }
  Value rem = createByArithmetic<arith::RemFOp, arith::RemSIOp, arith::RemUIOp>(
      b, loc, arith, lhs, rhs);
  if (op.getFmod() || arith == Arithmetic::Unsigned)
    return rem;
  // Python's rule: a nonzero remainder whose sign differs from the divisor's
  // is moved into the divisor's range.
  Value remNonZero =
      arith == Arithmetic::Float
          ? arith::CmpFOp::create(b, loc, arith::CmpFPredicate::ONE, rem, zero)
                .getResult()
          : arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, rem, zero)
                .getResult();
  Value signsDiffer = arith::XOrIOp::create(
      b, loc, createIsNegative(b, loc, arith, rem),
      createIsNegative(b, loc, arith, rhs));
  Value adjust = arith::AndIOp::create(b, loc, remNonZero, signsDiffer);
  Value adjusted =
      createByArithmetic<arith::AddFOp, arith::AddIOp, arith::AddIOp>(
          b, loc, arith, rem, rhs);
  return arith::SelectOp::create(b, loc, adjust, adjusted, rem);
}

/// Returns `lhs` shifted by `rhs` bits; 0 when `rhs` is the bit width or
/// more.
Value buildBitShift(OpBuilder &b, Location loc, graph::BitShiftOp op,
                    ValueRange args) {
  Value lhs = args[0], rhs = args[1];
  Type type = lhs.getType();
  Value shifted =
      op.getDirection() == "LEFT"
          ? arith::ShLIOp::create(b, loc, lhs, rhs).getResult()
          : arith::ShRUIOp::create(b, loc, lhs, rhs).getResult();
  Value width =
      createScalarConstant(b, loc, type, type.getIntOrFloatBitWidth());
  Value inRange =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, rhs, width);
  return arith::SelectOp::create(b, loc, inRange, shifted,
                                 createScalarConstant(b, loc, type, 0.0));
}

/// Returns `x < 0 ? slope * x : x`.
Value buildPRelu(OpBuilder &b, Location loc, graph::PReluOp op,
                 ValueRange args) {
  Arithmetic arith = getArithmetic(op);
  Value x = args[0];
  Value scaled =
      createByArithmetic<arith::MulFOp, arith::MulIOp, arith::MulIOp>(
          b, loc, arith, x, args[1]);
  return arith::SelectOp::create(b, loc, createIsNegative(b, loc, arith, x),
                                 scaled, x);
}

/// Returns `x` clamped to the bounds of the Clip `op`. For floats, as
/// onnxruntime: `x < min ? min : x`, then `max < y ? max : y`, so a NaN `x`
/// stays NaN and a NaN bound clamps nothing (found by utils/diff_fuzz.py: a
/// NaN `min` made every element NaN). An absent float bound is the lowest or
/// largest finite value of the type, as onnxruntime's defaults, not "no
/// bound": an infinite `x` becomes that finite value (found by
/// utils/diff_fuzz.py: Clip(inf) without `max` gave inf, onnxruntime
/// 3.4028235e38). An absent integer bound clamps nothing.
Value buildClip(OpBuilder &b, Location loc, graph::ClipOp op,
                ValueRange args) {
  Arithmetic arith = getArithmetic(op);
  Value result = args[0];
  unsigned next = 1;
  auto clampFloat = [&](Value bound, bool isMin) {
    Value outside = arith::CmpFOp::create(
        b, loc, arith::CmpFPredicate::OLT, isMin ? result : bound,
        isMin ? bound : result);
    return arith::SelectOp::create(b, loc, outside, bound, result).getResult();
  };
  // The finite bound of the float type that stands for an absent one.
  auto finiteLimit = [&](bool isMin) -> Value {
    auto type = cast<FloatType>(result.getType());
    return arith::ConstantOp::create(
        b, loc, b.getFloatAttr(type, APFloat::getLargest(type.getFloatSemantics(),
                                                          /*Negative=*/isMin)));
  };
  if (arith == Arithmetic::Float) {
    result = clampFloat(op.getMin() ? args[next++] : finiteLimit(true),
                        /*isMin=*/true);
    return clampFloat(op.getMax() ? args[next] : finiteLimit(false),
                      /*isMin=*/false);
  }
  if (op.getMin())
    result = createMax(b, loc, arith, result, args[next++]);
  if (op.getMax())
    result = createMin(b, loc, arith, result, args[next]);
  return result;
}

/// Returns `|x|`.
Value buildAbs(OpBuilder &b, Location loc, graph::AbsOp op, ValueRange args) {
  switch (getArithmetic(op)) {
  case Arithmetic::Float:
    return math::AbsFOp::create(b, loc, args[0]);
  case Arithmetic::Signed:
    return math::AbsIOp::create(b, loc, args[0]);
  case Arithmetic::Unsigned:
    return args[0];
  }
  llvm_unreachable("unknown arithmetic");
}

/// Returns `-x` (wrapping for integers).
Value buildNeg(OpBuilder &b, Location loc, graph::NegOp op, ValueRange args) {
  Value x = args[0];
  if (getArithmetic(op) == Arithmetic::Float)
    return arith::NegFOp::create(b, loc, x);
  return arith::SubIOp::create(
      b, loc, createScalarConstant(b, loc, x.getType(), 0.0), x);
}

/// Returns 1, -1 or 0 by the sign of `x`; a float NaN or zero is returned
/// as is.
Value buildSign(OpBuilder &b, Location loc, graph::SignOp op,
                ValueRange args) {
  Arithmetic arith = getArithmetic(op);
  Value x = args[0];
  Type type = x.getType();
  Value zero = createScalarConstant(b, loc, type, 0.0);
  Value one = createScalarConstant(b, loc, type, 1.0);
  Value positive =
      createCompare(b, loc, arith, arith::CmpFPredicate::OGT,
                    arith::CmpIPredicate::sgt, arith::CmpIPredicate::ugt, x,
                    zero);
  Value otherwise = arith == Arithmetic::Float ? x : zero;
  if (arith != Arithmetic::Unsigned)
    otherwise = arith::SelectOp::create(
        b, loc, createIsNegative(b, loc, arith, x),
        createMinusOne(b, loc, type), otherwise);
  return arith::SelectOp::create(b, loc, positive, one, otherwise);
}

/// Returns `!x`.
Value buildNot(OpBuilder &b, Location loc, graph::NotOp, ValueRange args) {
  Value x = args[0];
  return arith::XOrIOp::create(b, loc, x,
                               createScalarConstant(b, loc, x.getType(), 1.0));
}

/// Returns whether `x` is NaN.
Value buildIsNaN(OpBuilder &b, Location loc, graph::IsNaNOp, ValueRange args) {
  return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, args[0],
                               args[0]);
}

/// Returns whether `x` is one of the infinities `op` detects.
Value buildIsInf(OpBuilder &b, Location loc, graph::IsInfOp op,
                 ValueRange args) {
  Value x = args[0];
  Type type = x.getType();
  Value result = createScalarConstant(b, loc, b.getI1Type(), 0.0);
  auto detect = [&](double infinity) {
    Value isInf = arith::CmpFOp::create(
        b, loc, arith::CmpFPredicate::OEQ, x,
        createScalarConstant(b, loc, type, infinity));
    result = arith::OrIOp::create(b, loc, result, isInf);
  };
  if (op.getDetectPositive())
    detect(std::numeric_limits<double>::infinity());
  if (op.getDetectNegative())
    detect(-std::numeric_limits<double>::infinity());
  return result;
}

/// Lifts a function of one f32-or-wider float element and the op to a body
/// computed in f32 for narrow floats.
template <typename OpTy, Value (*Fn)(OpBuilder &, Location, OpTy, Value)>
Value buildInF32(OpBuilder &b, Location loc, OpTy op, ValueRange args) {
  return computeInF32IfNarrow(b, loc, args[0],
                              [&](Value x) { return Fn(b, loc, op, x); });
}

/// Returns the scalar constant `value` of the type of `like`.
Value constantLike(OpBuilder &b, Location loc, Value like, double value) {
  return createScalarConstant(b, loc, like.getType(), value);
}

/// Returns `max(0, min(1, x))`.
Value saturate(OpBuilder &b, Location loc, Value x) {
  Value clamped =
      arith::MinimumFOp::create(b, loc, x, constantLike(b, loc, x, 1.0));
  return arith::MaximumFOp::create(b, loc, clamped,
                                   constantLike(b, loc, x, 0.0));
}

/// Returns `e^x - 1`.
Value expMinusOne(OpBuilder &b, Location loc, Value x) {
  return arith::SubFOp::create(b, loc, math::ExpOp::create(b, loc, x),
                               constantLike(b, loc, x, 1.0));
}

/// Returns `x < 0 ? alpha * x : x`.
Value leakyRelu(OpBuilder &b, Location loc, graph::LeakyReluOp op, Value x) {
  Value scaled = arith::MulFOp::create(
      b, loc, x, constantLike(b, loc, x, op.getAlpha().convertToDouble()));
  Value negative = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x,
                                         constantLike(b, loc, x, 0.0));
  return arith::SelectOp::create(b, loc, negative, scaled, x);
}

/// Returns `x < 0 ? alpha * (e^x - 1) : x`.
Value elu(OpBuilder &b, Location loc, graph::EluOp op, Value x) {
  Value scaled = arith::MulFOp::create(
      b, loc, constantLike(b, loc, x, op.getAlpha().convertToDouble()),
      expMinusOne(b, loc, x));
  Value negative = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x,
                                         constantLike(b, loc, x, 0.0));
  return arith::SelectOp::create(b, loc, negative, scaled, x);
}

/// Returns `gamma * (x > 0 ? x : alpha * (e^x - 1))`.
Value selu(OpBuilder &b, Location loc, graph::SeluOp op, Value x) {
  Value negativePart = arith::MulFOp::create(
      b, loc, constantLike(b, loc, x, op.getAlpha().convertToDouble()),
      expMinusOne(b, loc, x));
  Value positive = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x,
                                         constantLike(b, loc, x, 0.0));
  Value inner = arith::SelectOp::create(b, loc, positive, x, negativePart);
  return arith::MulFOp::create(
      b, loc, constantLike(b, loc, x, op.getGamma().convertToDouble()), inner);
}

/// Returns `max(0, x) + min(0, alpha * (e^(x / alpha) - 1))`.
Value celu(OpBuilder &b, Location loc, graph::CeluOp op, Value x) {
  Value alpha = constantLike(b, loc, x, op.getAlpha().convertToDouble());
  Value zero = constantLike(b, loc, x, 0.0);
  Value negativePart = arith::MulFOp::create(
      b, loc, alpha,
      expMinusOne(b, loc, arith::DivFOp::create(b, loc, x, alpha)));
  return arith::AddFOp::create(
      b, loc, arith::MaximumFOp::create(b, loc, x, zero),
      arith::MinimumFOp::create(b, loc, negativePart, zero));
}

/// Returns `max(0, min(1, alpha * x + beta))`.
Value hardSigmoid(OpBuilder &b, Location loc, graph::HardSigmoidOp op,
                  Value x) {
  Value scaled = arith::MulFOp::create(
      b, loc, constantLike(b, loc, x, op.getAlpha().convertToDouble()), x);
  return saturate(
      b, loc,
      arith::AddFOp::create(
          b, loc, scaled,
          constantLike(b, loc, x, op.getBeta().convertToDouble())));
}

/// Returns `x * max(0, min(1, x / 6 + 1 / 2))`.
Value hardSwish(OpBuilder &b, Location loc, graph::HardSwishOp, Value x) {
  Value scaled =
      arith::MulFOp::create(b, loc, constantLike(b, loc, x, 1.0 / 6.0), x);
  Value gate = saturate(
      b, loc, arith::AddFOp::create(b, loc, scaled, constantLike(b, loc, x, 0.5)));
  return arith::MulFOp::create(b, loc, x, gate);
}

/// Returns `x > alpha ? x : 0`.
Value thresholdedRelu(OpBuilder &b, Location loc, graph::ThresholdedReluOp op,
                      Value x) {
  Value above = arith::CmpFOp::create(
      b, loc, arith::CmpFPredicate::OGT, x,
      constantLike(b, loc, x, op.getAlpha().convertToDouble()));
  return arith::SelectOp::create(b, loc, above, x,
                                 constantLike(b, loc, x, 0.0));
}

/// Returns `x < -lambd ? x + bias : x > lambd ? x - bias : 0`.
Value shrink(OpBuilder &b, Location loc, graph::ShrinkOp op, Value x) {
  double lambd = op.getLambd().convertToDouble();
  Value bias = constantLike(b, loc, x, op.getBias().convertToDouble());
  Value below = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x,
                                      constantLike(b, loc, x, -lambd));
  Value above = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x,
                                      constantLike(b, loc, x, lambd));
  Value result = arith::SelectOp::create(
      b, loc, above, arith::SubFOp::create(b, loc, x, bias),
      constantLike(b, loc, x, 0.0));
  return arith::SelectOp::create(
      b, loc, below, arith::AddFOp::create(b, loc, x, bias), result);
}

/// Returns `log(1 + e^x)` as `max(x, 0) + log1p(e^-|x|)`, which does not
/// overflow for large `x`.
Value softplus(OpBuilder &b, Location loc, graph::SoftplusOp, Value x) {
  Value negAbs =
      arith::NegFOp::create(b, loc, math::AbsFOp::create(b, loc, x));
  Value tail =
      math::Log1pOp::create(b, loc, math::ExpOp::create(b, loc, negAbs));
  return arith::AddFOp::create(
      b, loc,
      arith::MaximumFOp::create(b, loc, x, constantLike(b, loc, x, 0.0)),
      tail);
}

/// Returns `x / (1 + |x|)`.
Value softsign(OpBuilder &b, Location loc, graph::SoftsignOp, Value x) {
  Value denominator = arith::AddFOp::create(
      b, loc, constantLike(b, loc, x, 1.0), math::AbsFOp::create(b, loc, x));
  return arith::DivFOp::create(b, loc, x, denominator);
}

/// Returns `1 / x`.
Value buildReciprocal(OpBuilder &b, Location loc, Value x) {
  return arith::DivFOp::create(b, loc, constantLike(b, loc, x, 1.0), x);
}

/// Adds the table-driven lowering of `OpTy` with body `buildScalar`.
template <typename OpTy>
void addElementwise(RewritePatternSet &patterns,
                    ScalarOpBuilder<OpTy> buildScalar) {
  patterns.add<ElementwiseLowering<OpTy>>(patterns.getContext(), buildScalar);
}

/// Adds the lowering of the binary `OpTy` to `FloatOp`, `SIntOp` or
/// `UIntOp` by the operands' arithmetic.
template <typename OpTy, typename FloatOp, typename SIntOp, typename UIntOp>
void addBinaryByArithmetic(RewritePatternSet &patterns) {
  addElementwise<OpTy>(patterns, [](OpBuilder &b, Location loc, OpTy op,
                                    ValueRange args) -> Value {
    return createByArithmetic<FloatOp, SIntOp, UIntOp>(
        b, loc, getArithmetic(op), args[0], args[1]);
  });
}

/// Adds the lowering of a float unary op computed by the math op `MathOp`
/// (in f32 for narrow floats).
template <typename OpTy, typename MathOp>
void addFloatMath(RewritePatternSet &patterns) {
  patterns.add<FloatUnaryLowering<OpTy>>(
      patterns.getContext(), [](OpBuilder &b, Location loc, Value x) -> Value {
        return MathOp::create(b, loc, x);
      });
}

/// Adds the lowering of a float activation whose body `Fn` is computed in
/// f32 for narrow floats.
template <typename OpTy, Value (*Fn)(OpBuilder &, Location, OpTy, Value)>
void addActivation(RewritePatternSet &patterns) {
  addElementwise<OpTy>(patterns, buildInF32<OpTy, Fn>);
}

} // namespace

void exaforge::populateGraphElementwiseToLinalgPatterns(
    RewritePatternSet &patterns) {
  MLIRContext *context = patterns.getContext();
  patterns.add<AddLowering, SubLowering, MulLowering, DivLowering, PowLowering,
               EqualLowering, WhereLowering, ReluLowering, GeluLowering,
               CastLowering>(context);
  patterns.add<FloatUnaryLowering<graph::SqrtOp>>(context, buildSqrt);
  patterns.add<FloatUnaryLowering<graph::ErfOp>>(context, buildErf);
  patterns.add<FloatUnaryLowering<graph::TanhOp>>(context, buildTanh);
  patterns.add<FloatUnaryLowering<graph::SigmoidOp>>(context, buildSigmoid);
  patterns.add<FloatUnaryLowering<graph::ReciprocalOp>>(context,
                                                        buildReciprocal);

  // Binary arithmetic, comparisons and logic.
  using CmpF = arith::CmpFPredicate;
  using CmpI = arith::CmpIPredicate;
  addBinaryByArithmetic<graph::MaxOp, arith::MaximumFOp, arith::MaxSIOp,
                        arith::MaxUIOp>(patterns);
  addBinaryByArithmetic<graph::MinOp, arith::MinimumFOp, arith::MinSIOp,
                        arith::MinUIOp>(patterns);
  addBinaryByArithmetic<graph::AndOp, arith::AndIOp, arith::AndIOp,
                        arith::AndIOp>(patterns);
  addBinaryByArithmetic<graph::OrOp, arith::OrIOp, arith::OrIOp,
                        arith::OrIOp>(patterns);
  addBinaryByArithmetic<graph::XorOp, arith::XOrIOp, arith::XOrIOp,
                        arith::XOrIOp>(patterns);
  addElementwise<graph::GreaterOp>(
      patterns, buildCompare<graph::GreaterOp, CmpF::OGT, CmpI::sgt, CmpI::ugt>);
  addElementwise<graph::LessOp>(
      patterns, buildCompare<graph::LessOp, CmpF::OLT, CmpI::slt, CmpI::ult>);
  addElementwise<graph::GreaterOrEqualOp>(
      patterns, buildCompare<graph::GreaterOrEqualOp, CmpF::OGE, CmpI::sge,
                             CmpI::uge>);
  addElementwise<graph::LessOrEqualOp>(
      patterns,
      buildCompare<graph::LessOrEqualOp, CmpF::OLE, CmpI::sle, CmpI::ule>);
  addElementwise<graph::ModOp>(patterns, buildMod);
  addElementwise<graph::BitShiftOp>(patterns, buildBitShift);
  addElementwise<graph::PReluOp>(patterns, buildPRelu);
  addElementwise<graph::ClipOp>(patterns, buildClip);

  // Unary ops of any element type.
  addElementwise<graph::AbsOp>(patterns, buildAbs);
  addElementwise<graph::NegOp>(patterns, buildNeg);
  addElementwise<graph::SignOp>(patterns, buildSign);
  addElementwise<graph::NotOp>(patterns, buildNot);
  addElementwise<graph::IsNaNOp>(patterns, buildIsNaN);
  addElementwise<graph::IsInfOp>(patterns, buildIsInf);

  // Float math functions.
  addFloatMath<graph::ExpOp, math::ExpOp>(patterns);
  addFloatMath<graph::LogOp, math::LogOp>(patterns);
  addFloatMath<graph::CeilOp, math::CeilOp>(patterns);
  addFloatMath<graph::FloorOp, math::FloorOp>(patterns);
  addFloatMath<graph::RoundOp, math::RoundEvenOp>(patterns);
  addFloatMath<graph::SinOp, math::SinOp>(patterns);
  addFloatMath<graph::CosOp, math::CosOp>(patterns);
  addFloatMath<graph::TanOp, math::TanOp>(patterns);
  addFloatMath<graph::AsinOp, math::AsinOp>(patterns);
  addFloatMath<graph::AcosOp, math::AcosOp>(patterns);
  addFloatMath<graph::AtanOp, math::AtanOp>(patterns);
  addFloatMath<graph::SinhOp, math::SinhOp>(patterns);
  addFloatMath<graph::CoshOp, math::CoshOp>(patterns);
  addFloatMath<graph::AsinhOp, math::AsinhOp>(patterns);
  addFloatMath<graph::AcoshOp, math::AcoshOp>(patterns);
  addFloatMath<graph::AtanhOp, math::AtanhOp>(patterns);

  // Activations.
  addActivation<graph::LeakyReluOp, leakyRelu>(patterns);
  addActivation<graph::EluOp, elu>(patterns);
  addActivation<graph::SeluOp, selu>(patterns);
  addActivation<graph::CeluOp, celu>(patterns);
  addActivation<graph::HardSigmoidOp, hardSigmoid>(patterns);
  addActivation<graph::HardSwishOp, hardSwish>(patterns);
  addActivation<graph::ThresholdedReluOp, thresholdedRelu>(patterns);
  addActivation<graph::ShrinkOp, shrink>(patterns);
  addActivation<graph::SoftplusOp, softplus>(patterns);
  addActivation<graph::SoftsignOp, softsign>(patterns);
}
