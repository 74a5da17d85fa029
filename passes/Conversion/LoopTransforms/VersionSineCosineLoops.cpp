//===- VersionSineCosineLoops.cpp - sine loops without libm branches ------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `version-sine-cosine-loops` (see Passes.td). An innermost
// loop (`scf.for` without results, or a one-dimensional `scf.parallel`
// without reductions) whose body computes the sine or cosine of an f32 (or
// narrower) value is run in chunks of kChunkIterations iterations. Each
// chunk first checks, in a loop of its own, whether all the arguments are
// within the polynomial's range (PolynomialRange.h), and then runs one of
// two copies of the body: one whose sines and cosines are marked as within
// the range (the polynomial alone, which LLVM vectorizes), and the body as
// it was (the polynomial or libm per element, a branch around a call that
// keeps the loop scalar). The check recomputes the arguments from the
// body's loads; a body whose arguments depend on anything else (an op with
// regions or side effects other than a read) is left as it is.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/MathToPolynomials/PolynomialRange.h"
#include "passes/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/SetVector.h"

namespace exaforge {
#define GEN_PASS_DEF_VERSIONSINECOSINELOOPS
#include "passes/Conversion/Passes.h.inc"
} // namespace exaforge

using namespace mlir;

namespace {

/// The iterations of one chunk: its arguments (4 KiB of f32) stay in the
/// L1 cache between the check and the computation, and the check's cost
/// (a load, an absolute value and a compare per element, vectorized) is
/// small against the polynomial's.
constexpr int64_t kChunkIterations = 1024;

/// An innermost loop the pass versions, seen through what both loop kinds
/// have: one induction variable, its bounds and step, and the body.
struct InnermostLoop {
  Operation *op;
  Value inductionVar, lowerBound, upperBound, step;
  Block *body;
};

/// Returns `op` as an InnermostLoop when it is an `scf.for` without results
/// or a one-dimensional `scf.parallel` without reductions, with no loop
/// nested in it.
std::optional<InnermostLoop> matchInnermostLoop(Operation *op) {
  std::optional<InnermostLoop> loop;
  if (auto forOp = dyn_cast<scf::ForOp>(op)) {
    if (forOp.getNumResults() == 0)
      loop = InnermostLoop{op, forOp.getInductionVar(), forOp.getLowerBound(),
                           forOp.getUpperBound(), forOp.getStep(),
                           forOp.getBody()};
  } else if (auto parallel = dyn_cast<scf::ParallelOp>(op)) {
    if (parallel.getNumLoops() == 1 && parallel.getNumReductions() == 0)
      loop = InnermostLoop{op, parallel.getInductionVars()[0],
                           parallel.getLowerBound()[0],
                           parallel.getUpperBound()[0], parallel.getStep()[0],
                           parallel.getBody()};
  }
  if (!loop)
    return std::nullopt;
  bool hasInnerLoop = false;
  loop->body->walk([&](LoopLikeOpInterface) { hasInnerLoop = true; });
  if (hasInnerLoop)
    return std::nullopt;
  return loop;
}

/// The sines and cosines directly in `body` that
/// `convert-math-to-polynomials` approximates (f32 or narrower; a vector is
/// not expected this early).
SmallVector<Operation *> findSinesAndCosines(Block *body) {
  SmallVector<Operation *> found;
  for (Operation &op : *body) {
    if (!isa<math::SinOp, math::CosOp>(op))
      continue;
    auto type = dyn_cast<FloatType>(op.getResult(0).getType());
    if (type && type.getWidth() <= 32)
      found.push_back(&op);
  }
  return found;
}

/// Collects into `slice` (in block order) the ops of `body` that the values
/// `roots` are computed from. Fails when one of them has regions or a side
/// effect other than reading memory: the check could not repeat it.
LogicalResult collectArgumentSlice(Block *body, ArrayRef<Value> roots,
                                   SetVector<Operation *> &slice) {
  SmallVector<Value> worklist(roots);
  llvm::SmallPtrSet<Operation *, 16> seen;
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    Operation *def = value.getDefiningOp();
    if (!def || def->getBlock() != body || !seen.insert(def).second)
      continue;
    bool repeatable = def->getNumRegions() == 0 &&
                      (isPure(def) || isa<memref::LoadOp>(def));
    if (!repeatable)
      return failure();
    llvm::append_range(worklist, def->getOperands());
  }
  for (Operation &op : *body)
    if (seen.contains(&op))
      slice.insert(&op);
  return success();
}

/// Clones the ops of `body` but its terminator, mapping its induction
/// variable to `inductionVar`; marks the clones of `sinesAndCosines` as
/// within the polynomial's range when `markSmall`.
void cloneBody(OpBuilder &b, const InnermostLoop &loop, Value inductionVar,
               ArrayRef<Operation *> sinesAndCosines, bool markSmall) {
  IRMapping mapping;
  mapping.map(loop.inductionVar, inductionVar);
  for (Operation &op : loop.body->without_terminator()) {
    Operation *clone = b.clone(op, mapping);
    if (markSmall && llvm::is_contained(sinesAndCosines, &op))
      clone->setAttr(exaforge::kWithinPolynomialRangeAttrName,
                     b.getUnitAttr());
  }
}

/// Replaces `loop` by its chunks, each checked and run by one of the two
/// copies of the body (see the file comment).
void versionLoop(const InnermostLoop &loop,
                 ArrayRef<Operation *> sinesAndCosines,
                 const SetVector<Operation *> &slice) {
  OpBuilder b(loop.op);
  Location loc = loop.op->getLoc();
  Value chunkStep = arith::MulIOp::create(
      b, loc, loop.step,
      arith::ConstantIndexOp::create(b, loc, kChunkIterations));
  auto chunks = scf::ForOp::create(b, loc, loop.lowerBound, loop.upperBound,
                                   chunkStep);
  b.setInsertionPointToStart(chunks.getBody());
  Value begin = chunks.getInductionVar();
  Value end = arith::MinSIOp::create(
      b, loc, arith::AddIOp::create(b, loc, begin, chunkStep),
      loop.upperBound);

  // Whether any argument of the chunk is outside the range (or NaN).
  Value noneLarge = arith::ConstantIntOp::create(b, loc, b.getI1Type(), 0);
  auto check = scf::ForOp::create(
      b, loc, begin, end, loop.step, ValueRange{noneLarge},
      [&](OpBuilder &nested, Location nestedLoc, Value iv, ValueRange acc) {
        IRMapping mapping;
        mapping.map(loop.inductionVar, iv);
        for (Operation *op : slice)
          nested.clone(*op, mapping);
        Value anyLarge = acc[0];
        for (Operation *op : sinesAndCosines) {
          Value x = mapping.lookup(op->getOperand(0));
          Value limit = arith::ConstantOp::create(
              nested, nestedLoc,
              nested.getFloatAttr(x.getType(),
                                  exaforge::kLargestPolynomialArgument));
          Value abs = math::AbsFOp::create(nested, nestedLoc, x);
          // UGT: NaN counts as large, as in convert-math-to-polynomials.
          Value large = arith::CmpFOp::create(
              nested, nestedLoc, arith::CmpFPredicate::UGT, abs, limit);
          anyLarge = arith::OrIOp::create(nested, nestedLoc, anyLarge, large);
        }
        scf::YieldOp::create(nested, nestedLoc, anyLarge);
      });

  auto runChunk = [&](bool markSmall) {
    return [&, markSmall](OpBuilder &nested, Location nestedLoc) {
      scf::ForOp::create(nested, nestedLoc, begin, end, loop.step,
                         ValueRange{},
                         [&](OpBuilder &inner, Location, Value iv, ValueRange) {
                           cloneBody(inner, loop, iv, sinesAndCosines,
                                     markSmall);
                           scf::YieldOp::create(inner, nestedLoc);
                         });
      scf::YieldOp::create(nested, nestedLoc);
    };
  };
  scf::IfOp::create(b, loc, check.getResult(0), runChunk(false),
                    runChunk(true));
  loop.op->erase();
}

struct VersionSineCosineLoopsPass
    : exaforge::impl::VersionSineCosineLoopsBase<VersionSineCosineLoopsPass> {
  void runOnOperation() override {
    SmallVector<InnermostLoop> loops;
    getOperation()->walk([&](Operation *op) {
      if (std::optional<InnermostLoop> loop = matchInnermostLoop(op))
        loops.push_back(*loop);
    });
    for (const InnermostLoop &loop : loops) {
      SmallVector<Operation *> sinesAndCosines =
          findSinesAndCosines(loop.body);
      if (sinesAndCosines.empty())
        continue;
      SmallVector<Value> arguments;
      for (Operation *op : sinesAndCosines)
        arguments.push_back(op->getOperand(0));
      SetVector<Operation *> slice;
      if (failed(collectArgumentSlice(loop.body, arguments, slice)))
        continue;
      versionLoop(loop, sinesAndCosines, slice);
    }
  }
};
} // namespace
