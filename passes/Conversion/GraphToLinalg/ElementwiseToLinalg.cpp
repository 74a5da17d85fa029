//===- ElementwiseToLinalg.cpp - Graph elementwise ops to linalg ----------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Lowers the elementwise graph ops (Add, Sub, Mul, Div, Pow, Equal, Where,
// Sqrt, Erf, Relu, Sigmoid, Tanh, Gelu, Cast) to one all-parallel
// `linalg.generic` each, whose indexing maps implement ONNX multidirectional
// broadcasting (see LoweringUtils.h, including its assumption about dynamic
// dimensions). Unsigned and signed integer operands are viewed as signless
// through `tensor.bitcast` around the generic, since arith ops only accept
// signless integers; the signedness still selects the arith op (divui,
// extui, uitofp, ...). Transcendental functions of f16/bf16 values are
// computed in f32.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/GraphToLinalg/GraphToLinalg.h"
#include "passes/Conversion/GraphToLinalg/LoweringUtils.h"

#include "dialects/Graph/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

#include "llvm/Support/MathExtras.h"

#include <cmath>

using namespace mlir;
using namespace exaforge;
using namespace exaforge::lowering;

namespace {

/// Returns the element type of the tensor `value`.
Type elementTypeOf(Value value) {
  return cast<RankedTensorType>(value.getType()).getElementType();
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

/// Lowers Pow with a float base: a float exponent is converted to the base
/// type and uses `math.powf`; a signed or signless integer exponent of at
/// most 32 bits uses `math.fpowi` with an i32 exponent (LLVM's `powi` needs
/// a C `int` on x86); wider and unsigned exponents are converted to the base
/// type (`sitofp`/`uitofp`, exact up to the mantissa width) for `math.powf`.
struct PowLowering : OpConversionPattern<graph::PowOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::PowOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto baseType = dyn_cast<FloatType>(elementTypeOf(op.getLhs()));
    if (!baseType)
      return rewriter.notifyMatchFailure(op, "only float bases are supported");
    Type exponentType = elementTypeOf(op.getRhs());
    replaceWithElementwise(
        rewriter, op, {adaptor.getLhs(), adaptor.getRhs()},
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          Value base = args[0], exponent = args[1];
          if (isa<FloatType>(exponentType))
            return math::PowFOp::create(
                b, loc, base, convertFloat(b, loc, exponent, baseType));
          // LLVM's powi takes a C `int` exponent: use it for signed
          // exponents of at most 32 bits and convert the others to floats.
          unsigned width = exponentType.getIntOrFloatBitWidth();
          if (exponentType.isUnsignedInteger() || width == 1)
            return math::PowFOp::create(
                b, loc, base,
                arith::UIToFPOp::create(b, loc, baseType, exponent));
          if (width > 32)
            return math::PowFOp::create(
                b, loc, base,
                arith::SIToFPOp::create(b, loc, baseType, exponent));
          if (width < 32)
            exponent = arith::ExtSIOp::create(b, loc, b.getI32Type(), exponent);
          return math::FPowIOp::create(b, loc, base, exponent);
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
      return rewriter.notifyMatchFailure(op, "unknown 'approximate' value");
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
      return rewriter.notifyMatchFailure(
          op, "result element type differs from 'to'");
    replaceWithElementwise(
        rewriter, op, {adaptor.getInput()},
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          return buildCast(b, loc, args[0], from, to);
        });
    return success();
  }
};

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
}
