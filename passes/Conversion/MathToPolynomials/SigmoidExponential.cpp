//===- SigmoidExponential.cpp - The exponential of a sigmoid --------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements expandSigmoidExponentials (see SigmoidExponential.h).
//
// exp(-x) = 2^n * e^r with n = round(-x * log2(e)) and r = -x - n * ln(2)
// in [-ln(2)/2, ln(2)/2]:
//   - `t = fma(x, -log2(e), 1.5 * 2^23 + 127)` rounds to an integer: floats
//     in [2^23, 2^24) are 1 apart, so t's mantissa holds n + 127, and
//     `t - (1.5 * 2^23 + 127)` is n as a float, exactly;
//   - `bits(t) << 23` puts n + 127 in the exponent field: 2^n, with no
//     float-to-integer conversion (poison for NaN in LLVM). The clamp of x
//     keeps n in [-127, 128], whose exponent fields are 0 (2^n becomes +0)
//     and 255 (+inf);
//   - `s = x + n * ln(2)` (ln(2) in two parts, Cody and Waite) is -r, and
//     e^r = e^(-s) is a degree-6 polynomial in s (minimax for the relative
//     error on the interval, fitted in f64 and rounded to f32; 2e-9 before
//     rounding, below f32's).
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/MathToPolynomials/SigmoidExponential.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;

namespace {

/// The clamp of the sigmoid's argument: n = round(-x * log2(e)) is 128 at
/// the lower bound (2^n = +inf, the sigmoid 0) and -127 at the upper bound
/// (2^n = +0, the sigmoid 1).
constexpr double kLowestArgument = -88.72;
constexpr double kHighestArgument = 88.0;

/// 1.5 * 2^23 + 127: adding it to a float in [-127.5, 128.5] rounds the sum
/// to an integer whose low mantissa bits are the float's rounding + 127.
constexpr double kRoundingShift = 12582912.0 + 127.0;

/// -log2(e), and ln(2) as a short high part (exact products with n) plus
/// the rest.
constexpr double kNegativeLog2E = -1.44269502;
constexpr double kLn2High = 0.693359375;
constexpr double kLn2Low = -2.12194442e-4;

/// e^r ~ sum of kExpCoefficients[i] * r^i on [-ln(2)/2, ln(2)/2].
constexpr double kExpCoefficients[] = {
    1.0,          1.0,           0.49999994,   0.166664302,
    0.0416680053, 0.00837419648, 0.00138436037};

/// Returns a constant of `type` (f32, i32 or a vector of them) holding
/// `value` in each element.
Value createSplat(OpBuilder &b, Location loc, Type type, double value) {
  Type element = getElementTypeOrSelf(type);
  TypedAttr scalar =
      isa<FloatType>(element)
          ? TypedAttr(b.getFloatAttr(element, value))
          : TypedAttr(b.getIntegerAttr(element, static_cast<int64_t>(value)));
  if (auto vector = dyn_cast<ShapedType>(type))
    return arith::ConstantOp::create(b, loc,
                                     DenseElementsAttr::get(vector, scalar));
  return arith::ConstantOp::create(b, loc, scalar);
}

/// Returns `exp(-x)` for the sigmoid of `x` (f32 or a vector of f32), as the
/// file comment derives it.
Value createSigmoidExponential(OpBuilder &b, Location loc, Value x) {
  Type type = x.getType();
  auto constant = [&](double value) {
    return createSplat(b, loc, type, value);
  };
  // Clamped so that NaN passes: `x < lo ? lo : x` is false for NaN.
  Value lowest = constant(kLowestArgument);
  Value clamped = arith::SelectOp::create(
      b, loc,
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x, lowest),
      lowest, x);
  Value highest = constant(kHighestArgument);
  clamped = arith::SelectOp::create(
      b, loc,
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, clamped,
                            highest),
      highest, clamped);

  Value shift = constant(kRoundingShift);
  Value rounded =
      math::FmaOp::create(b, loc, clamped, constant(kNegativeLog2E), shift);
  Value n = arith::SubFOp::create(b, loc, rounded, shift);
  Value s = math::FmaOp::create(b, loc, n, constant(kLn2High), clamped);
  s = math::FmaOp::create(b, loc, n, constant(kLn2Low), s);

  // e^(-s) by Horner's rule: the coefficients of odd powers change sign.
  int degree = std::size(kExpCoefficients) - 1;
  Value polynomial = constant(kExpCoefficients[degree]);
  for (int i = degree - 1; i >= 0; --i)
    polynomial = math::FmaOp::create(
        b, loc, polynomial, s,
        constant(i % 2 ? -kExpCoefficients[i] : kExpCoefficients[i]));

  // 2^n from the bits of `rounded` (f32: i32 bits, 23 of mantissa).
  Type intType = b.getI32Type();
  if (auto vector = dyn_cast<VectorType>(type))
    intType = vector.clone(intType);
  Value bits = arith::BitcastOp::create(b, loc, intType, rounded);
  Value exponent =
      arith::ShLIOp::create(b, loc, bits, createSplat(b, loc, intType, 23));
  Value power = arith::BitcastOp::create(b, loc, type, exponent);
  return arith::MulFOp::create(b, loc, polynomial, power);
}

/// Whether `value` is the float constant 1 (a scalar or a splat).
bool isOne(Value value) { return matchPattern(value, m_OneFloat()); }

/// The argument `x` of `exp`, if `exp` computes `exp(-x)` in f32 for a
/// sigmoid only (see expandSigmoidExponentials); null otherwise.
Value getSigmoidArgument(math::ExpOp exp) {
  if (!getElementTypeOrSelf(exp.getType()).isF32() || !exp->hasOneUse())
    return {};
  auto negation = exp.getOperand().getDefiningOp<arith::NegFOp>();
  auto sum = dyn_cast<arith::AddFOp>(*exp->getUsers().begin());
  if (!negation || !sum || !sum->hasOneUse())
    return {};
  Value other = sum.getLhs() == exp.getResult() ? sum.getRhs() : sum.getLhs();
  auto quotient = dyn_cast<arith::DivFOp>(*sum->getUsers().begin());
  if (!isOne(other) || !quotient || quotient.getRhs() != sum.getResult() ||
      !isOne(quotient.getLhs()))
    return {};
  return negation.getOperand();
}

} // namespace

void exaforge::expandSigmoidExponentials(RewriterBase &rewriter,
                                         Operation *root) {
  SmallVector<std::pair<math::ExpOp, Value>> sigmoids;
  root->walk([&](math::ExpOp exp) {
    if (Value x = getSigmoidArgument(exp))
      sigmoids.push_back({exp, x});
  });
  for (auto [exp, x] : sigmoids) {
    auto negation = exp.getOperand().getDefiningOp<arith::NegFOp>();
    rewriter.setInsertionPoint(exp);
    rewriter.replaceOp(exp,
                       createSigmoidExponential(rewriter, exp.getLoc(), x));
    if (negation->use_empty())
      rewriter.eraseOp(negation);
  }
}
