//===- PreferLoopVectorization.cpp - short loops for LLVM's vectorizer ----===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `prefer-loop-vectorization` (see Passes.td): the inner
// `scf.parallel` loops become nests of `scf.for`, and each innermost
// `scf.for` of at least kMinVectorizedTripCount iterations, known at compile
// time, gets the LLVM loop annotation that disables unrolling.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMAttrs.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace exaforge {
#define GEN_PASS_DEF_PREFERLOOPVECTORIZATION
#include "passes/Conversion/Passes.h.inc"
} // namespace exaforge

using namespace mlir;

namespace {

/// The fewest iterations of an innermost loop that LLVM is kept from
/// unrolling: one 256-bit vector of f32. Shorter loops (3 input channels,
/// a 3 x 3 window) gain more from full unrolling than from a vector.
constexpr int64_t kMinVectorizedTripCount = 8;

/// Whether `loop` has no loop inside it.
bool isInnermost(scf::ForOp loop) {
  return !loop.getBody()
              ->walk(
                  [](LoopLikeOpInterface) { return WalkResult::interrupt(); })
              .wasInterrupted();
}

/// Whether `loop` runs at least kMinVectorizedTripCount iterations, a number
/// known at compile time.
bool hasLongStaticTripCount(scf::ForOp loop) {
  std::optional<APInt> tripCount = loop.getStaticTripCount();
  return tripCount && tripCount->getActiveBits() <= 63 &&
         tripCount->getSExtValue() >= kMinVectorizedTripCount;
}

struct PreferLoopVectorizationPass
    : exaforge::impl::PreferLoopVectorizationBase<PreferLoopVectorizationPass> {
  void runOnOperation() override {
    // Inner scf.parallel loops (the outermost ones ran on the threads
    // before) become scf.for nests here rather than in convert-scf-to-cf,
    // so that their innermost loop can be annotated too.
    SmallVector<scf::ParallelOp> parallelLoops;
    getOperation()->walk([&](scf::ParallelOp loop) {
      if (loop.getNumReductions() == 0)
        parallelLoops.push_back(loop);
    });
    IRRewriter rewriter(&getContext());
    for (scf::ParallelOp loop : parallelLoops) {
      rewriter.setInsertionPoint(loop);
      if (failed(scf::parallelForToNestedFors(rewriter, loop)))
        return signalPassFailure();
    }

    MLIRContext *context = &getContext();
    auto noUnrolling = LLVM::LoopAnnotationAttr::get(
        context, /*disableNonforced=*/nullptr, /*vectorize=*/nullptr,
        /*interleave=*/nullptr,
        LLVM::LoopUnrollAttr::get(
            context, /*disable=*/BoolAttr::get(context, true),
            /*count=*/nullptr, /*runtimeDisable=*/nullptr,
            /*full=*/nullptr, /*followupUnrolled=*/nullptr,
            /*followupRemainder=*/nullptr,
            /*followupAll=*/nullptr),
        /*unrollAndJam=*/nullptr, /*licm=*/nullptr, /*distribute=*/nullptr,
        /*pipeline=*/nullptr, /*peeled=*/nullptr, /*unswitch=*/nullptr,
        /*mustProgress=*/nullptr, /*isVectorized=*/nullptr,
        /*startLoc=*/nullptr, /*endLoc=*/nullptr, /*parallelAccesses=*/{});
    getOperation()->walk([&](scf::ForOp loop) {
      if (isInnermost(loop) && hasLongStaticTripCount(loop))
        loop->setAttr(kLoopAnnotationAttrName, noUnrolling);
    });
  }

  /// The attribute of an `scf.for` that `convert-scf-to-cf` moves onto the
  /// loop's back edge, which the LLVM dialect translates to `!llvm.loop`.
  static constexpr StringLiteral kLoopAnnotationAttrName = "loop_annotation";
};

} // namespace
