//===- MathToPolynomials.cpp - math functions as polynomials --------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `convert-math-to-polynomials` with MLIR's polynomial
// approximation patterns (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/Passes.h"

#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace exaforge {
#define GEN_PASS_DEF_CONVERTMATHTOPOLYNOMIALS
#include "passes/Conversion/Passes.h.inc"
} // namespace exaforge

using namespace mlir;

namespace {
/// The functions computed as polynomials: those of MLIR's approximations
/// that stay accurate over all of f32. Sine and cosine are left to libm:
/// their range reduction loses every bit of a large argument (cos(-1e30)
/// gave -inf, found by utils/diff_fuzz.py).
bool isApproximated(StringRef name) {
  return llvm::is_contained(
      {math::AcosOp::getOperationName(), math::AsinOp::getOperationName(),
       math::AtanOp::getOperationName(), math::Atan2Op::getOperationName(),
       math::CbrtOp::getOperationName(), math::ErfOp::getOperationName(),
       math::ErfcOp::getOperationName(), math::ExpOp::getOperationName(),
       math::ExpM1Op::getOperationName(), math::LogOp::getOperationName(),
       math::Log1pOp::getOperationName(), math::Log2Op::getOperationName(),
       math::TanhOp::getOperationName()},
      name);
}

struct ConvertMathToPolynomialsPass
    : exaforge::impl::ConvertMathToPolynomialsBase<
          ConvertMathToPolynomialsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    // f16 and bf16 are computed in f32.
    populateMathF32ExpansionPatterns(patterns, [](StringRef name) {
      return isApproximated(name) ||
             name == math::SinOp::getOperationName() ||
             name == math::CosOp::getOperationName();
    });
    populateMathPolynomialApproximationPatterns(patterns, isApproximated);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
