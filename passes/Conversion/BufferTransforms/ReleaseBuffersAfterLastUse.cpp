//===- ReleaseBuffersAfterLastUse.cpp - free buffers at their last use ----===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `release-buffers-after-last-use` (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/Passes.h"

#include "mlir/Dialect/Bufferization/Transforms/BufferViewFlowAnalysis.h"

namespace exaforge {
#define GEN_PASS_DEF_RELEASEBUFFERSAFTERLASTUSE
#include "passes/Conversion/Passes.h.inc"
} // namespace exaforge

using namespace mlir;

namespace {

/// Returns the last operation of `block` that uses `buffer` or one of its
/// `views` (through an operation nested in it), the op defining `buffer`
/// when nothing uses them, or failure when a use lies outside `block` or is
/// its terminator: then the buffer must stay live to the end of the block.
FailureOr<Operation *>
findLastUseInBlock(Block &block, Value buffer,
                   const BufferViewFlowAnalysis::ValueSetT &views,
                   Operation *dealloc) {
  Operation *last = buffer.getDefiningOp();
  if (!last || last->getBlock() != &block)
    last = nullptr;
  for (Value view : views) {
    for (Operation *user : view.getUsers()) {
      if (user == dealloc)
        continue;
      Operation *ancestor = block.findAncestorOpInBlock(*user);
      if (!ancestor || ancestor->hasTrait<OpTrait::IsTerminator>())
        return failure();
      if (!last || last->isBeforeInBlock(ancestor))
        last = ancestor;
    }
  }
  if (!last)
    return failure();
  return last;
}

struct ReleaseBuffersAfterLastUsePass
    : exaforge::impl::ReleaseBuffersAfterLastUseBase<
          ReleaseBuffersAfterLastUsePass> {
  void runOnOperation() override {
    BufferViewFlowAnalysis aliases(getOperation());
    SmallVector<memref::DeallocOp> deallocs;
    getOperation()->walk(
        [&](memref::DeallocOp dealloc) { deallocs.push_back(dealloc); });
    for (memref::DeallocOp dealloc : deallocs) {
      Value buffer = dealloc.getMemref();
      Block &block = *dealloc->getBlock();
      FailureOr<Operation *> last =
          findLastUseInBlock(block, buffer, aliases.resolve(buffer), dealloc);
      if (succeeded(last) && (*last)->isBeforeInBlock(dealloc))
        dealloc->moveAfter(*last);
    }
  }
};

} // namespace
