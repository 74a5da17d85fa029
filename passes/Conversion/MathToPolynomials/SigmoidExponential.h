//===- SigmoidExponential.h - The exponential of a sigmoid ------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The exponential inside a logistic sigmoid, `1 / (1 + exp(-x))`, computed
// by a shorter polynomial than a general `math.exp` needs: see
// expandSigmoidExponentials.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_PASSES_CONVERSION_MATHTOPOLYNOMIALS_SIGMOIDEXPONENTIAL_H
#define EXAFORGE_PASSES_CONVERSION_MATHTOPOLYNOMIALS_SIGMOIDEXPONENTIAL_H

namespace mlir {
class Operation;
class RewriterBase;
} // namespace mlir

namespace exaforge {

/// Rewrites, under `root`, every f32 (scalar or vector) `math.exp(-x)`
/// whose only use is `1 + exp(-x)`, itself used only as the divisor of
/// `1 / (1 + exp(-x))`: a sigmoid, as the graph lowering writes Sigmoid,
/// SiLU and the recurrent gates. The exponential becomes arith ops that
/// skip what only a general `exp` needs: the argument is clamped to
/// [-88.0, 88.72], so that beyond that the sigmoid's exponential is 0 or
/// +inf (the sigmoid 1 or 0, where the exact one differs by under 1e-38),
/// the power of two is made from the bits of a single rounding, and no
/// float is converted to an integer, so a NaN argument flows through as
/// NaN without a select. 16 vector operations instead of 26 for the whole
/// sigmoid; within 2.5 ulp of the sigmoid computed in f64 (3.5 with an exact
/// f32 exponential: the rounding of `1 + e` dominates).
void expandSigmoidExponentials(mlir::RewriterBase &rewriter,
                               mlir::Operation *root);

} // namespace exaforge

#endif // EXAFORGE_PASSES_CONVERSION_MATHTOPOLYNOMIALS_SIGMOIDEXPONENTIAL_H
