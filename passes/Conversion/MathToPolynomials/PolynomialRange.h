//===- PolynomialRange.h - The range of the sine polynomial -----*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// What `version-sine-cosine-loops` and `convert-math-to-polynomials` agree
// on: the largest argument whose f32 sine and cosine the polynomial
// computes, and the attribute that marks a sine or cosine whose argument a
// check has proved within it.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_PASSES_CONVERSION_MATHTOPOLYNOMIALS_POLYNOMIALRANGE_H
#define EXAFORGE_PASSES_CONVERSION_MATHTOPOLYNOMIALS_POLYNOMIALRANGE_H

#include "llvm/ADT/StringRef.h"

namespace exaforge {

/// The largest |x| whose f32 sine and cosine the polynomial computes: its
/// range reduction `x - k * pi/2` runs in f32 and loses the result's digits
/// beyond. Against onnxruntime (libm), the polynomial was off by at most
/// 2e-6 up to 32, but by 5e-6 at 100, 4e-3 at 1e5, 0.15 at 3e7, and gave
/// -inf for sin(1e30).
constexpr double kLargestPolynomialArgument = 32.0;

/// The unit attribute of a `math.sin` or `math.cos` whose argument is known
/// to be within [-kLargestPolynomialArgument, kLargestPolynomialArgument]
/// (not NaN): `convert-math-to-polynomials` gives it the polynomial alone,
/// without the branch to libm.
constexpr llvm::StringLiteral kWithinPolynomialRangeAttrName =
    "exaforge.within_polynomial_range";

} // namespace exaforge

#endif // EXAFORGE_PASSES_CONVERSION_MATHTOPOLYNOMIALS_POLYNOMIALRANGE_H
