//===- TileParallelLoopsForGpu.cpp - Loop nests as GPU blocks of threads --===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `tile-parallel-loops-for-gpu` (see Passes.td): each outermost
// scf.parallel becomes a 1-D loop over blocks around a 1-D loop over the
// threads of a block; a serial loop nest at the top level of the function
// is wrapped into a one-iteration scf.parallel, so that it runs on the
// device too.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/Passes.h"

#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <algorithm>

namespace exaforge {
#define GEN_PASS_DEF_TILEPARALLELLOOPSFORGPU
#include "passes/Conversion/Passes.h.inc"
} // namespace exaforge

using namespace mlir;

namespace {

/// Whether `loop` is a serial loop nest that may run on the device as it
/// is: no results (nothing the host reads back but memory), and nothing
/// inside but loops, memory accesses and computations (no call, which
/// would be a host function, and no parallel loop, which is mapped on its
/// own).
bool isDeviceSerialLoopNest(scf::ForOp loop) {
  if (loop.getNumResults() != 0)
    return false;
  WalkResult result = loop.getBody()->walk([](Operation *op) {
    if (isa<CallOpInterface, scf::ParallelOp>(op) ||
        op->getDialect()->getNamespace() == "llvm")
      return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return !result.wasInterrupted();
}

/// Wraps `loop` into a one-iteration scf.parallel.
void wrapInParallelLoop(RewriterBase &rewriter, scf::ForOp loop) {
  Location loc = loop.getLoc();
  rewriter.setInsertionPoint(loop);
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
  Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
  auto parallel = scf::ParallelOp::create(rewriter, loc, ValueRange{zero},
                                          ValueRange{one}, ValueRange{one});
  rewriter.moveOpBefore(loop, parallel.getBody()->getTerminator());
}

struct TileParallelLoopsForGpu
    : exaforge::impl::TileParallelLoopsForGpuBase<TileParallelLoopsForGpu> {
  using Base::Base;

  void runOnOperation() override {
    if (blockSize < 1) {
      getOperation().emitError("block-size must be positive, not ")
          << static_cast<int64_t>(blockSize);
      return signalPassFailure();
    }
    IRRewriter rewriter(&getContext());
    // Serial nests at the top level of the function (not nested in any
    // loop: a loop inside another serial loop goes with it).
    SmallVector<scf::ForOp> serial;
    for (Block &block : getOperation().getBody())
      for (auto loop : block.getOps<scf::ForOp>())
        if (isDeviceSerialLoopNest(loop))
          serial.push_back(loop);
    for (scf::ForOp loop : serial)
      wrapInParallelLoop(rewriter, loop);

    for (scf::ParallelOp loop : getOutermostParallelLoops()) {
      if (loop.getNumLoops() == 1)
        continue;
      std::vector<unsigned> all(loop.getNumLoops());
      for (unsigned i = 0; i < all.size(); ++i)
        all[i] = i;
      rewriter.setInsertionPoint(loop);
      collapseParallelLoops(rewriter, loop, {all});
    }
    // The collapsed loops replaced the originals: collect them again.
    // A loop of fewer iterations than a block gets a block of its size.
    for (scf::ParallelOp loop : getOutermostParallelLoops()) {
      int64_t size = blockSize;
      std::optional<int64_t> lower = getConstantIntValue(loop.getLowerBound()[0]);
      std::optional<int64_t> upper = getConstantIntValue(loop.getUpperBound()[0]);
      std::optional<int64_t> step = getConstantIntValue(loop.getStep()[0]);
      if (lower && upper && step && *step > 0)
        size = std::clamp<int64_t>(llvm::divideCeil(*upper - *lower, *step),
                                   1, blockSize);
      scf::tileParallelLoop(loop, {size}, /*noMinMaxBounds=*/true);
    }
    // Folds the tiles' bounds (`step * size`) into constants, so that the
    // launches' block sizes are static (the kernels' `known_block_size`,
    // PTX's `.maxntid`). No pattern runs: scf's canonicalizations would
    // merge the nested loops again and erase the one-iteration ones.
    (void)applyPatternsGreedily(getOperation(),
                                RewritePatternSet(&getContext()));
  }

private:
  /// The scf.parallel loops of the function that are in no other and have
  /// no reductions, in program order.
  SmallVector<scf::ParallelOp> getOutermostParallelLoops() {
    SmallVector<scf::ParallelOp> loops;
    getOperation().walk([&](scf::ParallelOp loop) {
      if (!loop->getParentOfType<scf::ParallelOp>() &&
          loop.getInitVals().empty())
        loops.push_back(loop);
    });
    return loops;
  }
};

} // namespace
