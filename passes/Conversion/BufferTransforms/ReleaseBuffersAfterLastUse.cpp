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
#include "llvm/ADT/SetVector.h"

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
FailureOr<Operation *> findLastUseInBlock(Block &block, Value buffer,
                                          ArrayRef<Value> views,
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

/// Returns `buffer` and the values that may view it: those `aliases` finds,
/// closed under `memref.transpose`, which the analysis does not follow (the
/// kernel calls read transposed matmul operands through one).
SmallVector<Value> collectViews(BufferViewFlowAnalysis &aliases, Value buffer) {
  llvm::SetVector<Value> views;
  SmallVector<Value> worklist = {buffer};
  while (!worklist.empty()) {
    for (Value view : aliases.resolve(worklist.pop_back_val())) {
      if (!views.insert(view))
        continue;
      for (Operation *user : view.getUsers())
        if (auto transpose = dyn_cast<memref::TransposeOp>(user))
          worklist.push_back(transpose.getResult());
    }
  }
  return views.takeVector();
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
      FailureOr<Operation *> last = findLastUseInBlock(
          block, buffer, collectViews(aliases, buffer), dealloc);
      if (succeeded(last) && (*last)->isBeforeInBlock(dealloc))
        dealloc->moveAfter(*last);
    }
  }
};

} // namespace
