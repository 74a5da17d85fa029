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
struct ConvertMathToPolynomialsPass
    : exaforge::impl::ConvertMathToPolynomialsBase<
          ConvertMathToPolynomialsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
