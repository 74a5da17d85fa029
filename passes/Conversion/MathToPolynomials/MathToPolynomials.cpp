//===- MathToPolynomials.cpp - math functions as polynomials --------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `convert-math-to-polynomials` with MLIR's polynomial
// approximation patterns (see Passes.td). Sine and cosine of arguments
// beyond the polynomials' range (|x| > 32) are first routed to libm in f64,
// unless marked as within it (PolynomialRange.h), and a NaN argument of the
// other unary functions is passed through.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/Passes.h"
#include "passes/Conversion/MathToPolynomials/PolynomialRange.h"
#include "passes/Conversion/MathToPolynomials/SigmoidExponential.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace exaforge {
#define GEN_PASS_DEF_CONVERTMATHTOPOLYNOMIALS
#include "passes/Conversion/Passes.h.inc"
} // namespace exaforge

using namespace mlir;

namespace {

/// Whether `op` is a sine or cosine the polynomial patterns approximate
/// (f32, or a narrower float they compute in f32; scalar or vector).
bool isApproximatedSinOrCos(Operation *op) {
  if (!isa<math::SinOp, math::CosOp>(op))
    return false;
  auto type = dyn_cast<FloatType>(getElementTypeOrSelf(op->getResult(0)));
  return type && type.getWidth() <= 32;
}

/// Returns the declaration of libm's `double name(double)` in the module
/// of `op`, adding it when missing.
func::FuncOp getOrDeclareLibmFunction(OpBuilder &b, Operation *op,
                                      StringRef name) {
  auto module = op->getParentOfType<ModuleOp>();
  if (auto existing = module.lookupSymbol<func::FuncOp>(name))
    return existing;
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(module.getBody());
  Type f64 = b.getF64Type();
  auto declaration = func::FuncOp::create(b, op->getLoc(), name,
                                          b.getFunctionType({f64}, {f64}));
  declaration.setPrivate();
  return declaration;
}

/// Returns the sine or cosine (as `op`) of `x` computed by libm in f64 and
/// converted back to `x`'s type. A scalar calls libm's `sin` or `cos`
/// directly (`byCall`): LLVM may not speculate such a call, whereas it
/// speculates `llvm.sin` out of a branch and the loop vectorizer then calls
/// it for every element (measured: 75 ns an element instead of 0.6). A
/// vector uses `math.sin` (`llvm.sin`, one libm call a lane).
Value createLibmInF64(OpBuilder &b, Operation *op, Value x, bool byCall) {
  Location loc = op->getLoc();
  Type type = x.getType();
  Type wide = b.getF64Type();
  if (auto vector = dyn_cast<VectorType>(type))
    wide = vector.clone(wide);
  Value extended = arith::ExtFOp::create(b, loc, wide, x);
  bool isSine = isa<math::SinOp>(op);
  Value result;
  if (byCall)
    result = func::CallOp::create(
                 b, loc,
                 getOrDeclareLibmFunction(b, op, isSine ? "sin" : "cos"),
                 ValueRange{extended})
                 .getResult(0);
  else if (isSine)
    result = math::SinOp::create(b, loc, extended);
  else
    result = math::CosOp::create(b, loc, extended);
  return arith::TruncFOp::create(b, loc, type, result);
}

/// Returns an `i1` (or a vector of them): whether |x| is within the
/// polynomial's range. NaN is not: libm gives NaN for it, as for ±inf.
Value createIsSmall(OpBuilder &b, Location loc, Value x) {
  Type type = x.getType();
  Attribute limit = b.getFloatAttr(getElementTypeOrSelf(type),
                                   exaforge::kLargestPolynomialArgument);
  if (auto vector = dyn_cast<VectorType>(type))
    limit = DenseElementsAttr::get(vector, limit);
  Value bound = arith::ConstantOp::create(b, loc, cast<TypedAttr>(limit));
  return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLE,
                               math::AbsFOp::create(b, loc, x), bound);
}

/// Routes the large arguments of the sine or cosine `op` to libm in f64.
/// A scalar op in a function body branches around it: the common small
/// argument takes only the polynomial. Elsewhere (a vector, a region of one
/// block) both are computed and selected.
void routeLargeArgumentsToLibm(RewriterBase &rewriter, Operation *op) {
  Location loc = op->getLoc();
  Value x = op->getOperand(0);
  Value result = op->getResult(0);
  Block *block = op->getBlock();
  bool canBranch = !isa<VectorType>(x.getType()) &&
                   isa<FunctionOpInterface>(block->getParentOp());
  if (!canBranch) {
    rewriter.setInsertionPointAfter(op);
    Value isSmall = createIsSmall(rewriter, loc, x);
    Value large = createLibmInF64(rewriter, op, x, /*byCall=*/false);
    Value selected = arith::SelectOp::create(rewriter, loc, isSmall, result,
                                             large);
    rewriter.replaceAllUsesExcept(result, selected,
                                  selected.getDefiningOp());
    return;
  }
  // block: ... cond_br small? ^small : ^large
  // ^small: op; br ^rest(op)     ^large: libm; br ^rest(libm)
  // ^rest(%r): what followed op, reading %r.
  Block *rest = rewriter.splitBlock(block, std::next(op->getIterator()));
  Value merged = rest->addArgument(result.getType(), loc);
  rewriter.replaceAllUsesWith(result, merged);
  Block *small = rewriter.createBlock(rest);
  rewriter.moveOpBefore(op, small, small->end());
  cf::BranchOp::create(rewriter, loc, rest, ValueRange{result});
  Block *large = rewriter.createBlock(rest);
  cf::BranchOp::create(rewriter, loc, rest,
                       ValueRange{createLibmInF64(rewriter, op, x,
                                                  /*byCall=*/true)});
  rewriter.setInsertionPointToEnd(block);
  cf::CondBranchOp::create(rewriter, loc, createIsSmall(rewriter, loc, x),
                           small, ValueRange{}, large, ValueRange{});
}

/// Whether `op` is a unary function other than sine and cosine that the
/// polynomial patterns approximate (in f32, or a narrower float through
/// f32; scalar or vector).
bool isApproximatedUnary(Operation *op) {
  if (!isa<math::AcosOp, math::AsinOp, math::AtanOp, math::CbrtOp,
           math::ErfOp, math::ErfcOp, math::ExpOp, math::ExpM1Op,
           math::LogOp, math::Log1pOp, math::Log2Op, math::TanhOp>(op))
    return false;
  auto type = dyn_cast<FloatType>(getElementTypeOrSelf(op->getResult(0)));
  return type && type.getWidth() <= 32;
}

/// Makes the result of the unary `op` its argument when that is NaN. The
/// polynomials convert the range-reduced argument to an integer
/// (`arith.fptosi`), which LLVM defines as poison for NaN: where LLVM
/// proves the argument NaN (a NaN constant of the model, as Celu's `alpha`
/// in `e^(x / alpha)`), it folds everything computed from it to any value
/// (Celu with a NaN alpha gave 0 for negative elements, onnxruntime NaN;
/// found by utils/diff_fuzz.py). A `select` does not propagate the poison of
/// the arm it does not choose.
void passNaNThrough(RewriterBase &rewriter, Operation *op) {
  Location loc = op->getLoc();
  Value x = op->getOperand(0);
  Value result = op->getResult(0);
  rewriter.setInsertionPointAfter(op);
  Value isNaN =
      arith::CmpFOp::create(rewriter, loc, arith::CmpFPredicate::UNO, x, x);
  Value selected = arith::SelectOp::create(rewriter, loc, isNaN, x, result);
  rewriter.replaceAllUsesExcept(result, selected, selected.getDefiningOp());
}

struct ConvertMathToPolynomialsPass
    : exaforge::impl::ConvertMathToPolynomialsBase<
          ConvertMathToPolynomialsPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    // Before the general exponentials are collected: a sigmoid's is not.
    exaforge::expandSigmoidExponentials(rewriter, getOperation());
    SmallVector<Operation *> sinesAndCosines, others;
    getOperation()->walk([&](Operation *op) {
      if (isApproximatedSinOrCos(op)) {
        // version-sine-cosine-loops proved this one's argument small.
        if (!op->hasAttr(exaforge::kWithinPolynomialRangeAttrName))
          sinesAndCosines.push_back(op);
      }
      else if (isApproximatedUnary(op))
        others.push_back(op);
    });
    for (Operation *op : sinesAndCosines)
      routeLargeArgumentsToLibm(rewriter, op);
    for (Operation *op : others)
      passNaNThrough(rewriter, op);

    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
