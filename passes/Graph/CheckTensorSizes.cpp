//===- CheckTensorSizes.cpp - Refuse absurdly large static tensors --------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `graph-check-tensor-sizes` (see Passes.td): a static result
// larger than the limit is an error naming the op (its ONNX node), found at
// compile time instead of as an allocation that fails in the run.
//
//===----------------------------------------------------------------------===//

#include "passes/Graph/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/MathExtras.h"

#include <unistd.h>

namespace exaforge::graph {
#define GEN_PASS_DEF_GRAPHCHECKTENSORSIZES
#include "passes/Graph/Passes.h.inc"
} // namespace exaforge::graph

using namespace mlir;

namespace {

/// This machine's physical memory in bytes (2^32 when unknown).
int64_t getPhysicalMemoryBytes() {
  long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || pageSize <= 0)
    return int64_t(1) << 32;
  return static_cast<int64_t>(pages) * pageSize;
}

/// The bytes of a static tensor of `type`, or nothing when the count
/// overflows 64 bits.
std::optional<int64_t> getStaticBytes(RankedTensorType type) {
  int64_t bits = type.getElementTypeBitWidth();
  int64_t count = 1;
  for (int64_t size : type.getShape())
    if (llvm::MulOverflow(count, size, count))
      return std::nullopt;
  int64_t totalBits;
  if (llvm::MulOverflow(count, std::max<int64_t>(bits, 1), totalBits))
    return std::nullopt;
  return llvm::divideCeil(totalBits, 8);
}

struct GraphCheckTensorSizesPass
    : exaforge::graph::impl::GraphCheckTensorSizesBase<
          GraphCheckTensorSizesPass> {
  using Base::Base;

  void runOnOperation() override {
    int64_t limit = maxBytes > 0 ? int64_t(maxBytes) : getPhysicalMemoryBytes();
    WalkResult result = getOperation().walk([&](Operation *op) {
      for (OpResult value : op->getResults()) {
        auto type = dyn_cast<RankedTensorType>(value.getType());
        if (!type || !type.hasStaticShape() ||
            !type.getElementType().isIntOrIndexOrFloat())
          continue;
        std::optional<int64_t> bytes = getStaticBytes(type);
        if (!bytes) {
          op->emitError() << "its result #" << value.getResultNumber() << " ("
                          << type << ") has more bytes than fit in 64 bits";
          return WalkResult::interrupt();
        }
        if (*bytes > limit) {
          op->emitError() << "its result #" << value.getResultNumber() << " ("
                          << type << ") has " << *bytes
                          << " bytes, above the limit of " << limit
                          << " bytes for one tensor (--max-tensor-bytes)";
          return WalkResult::interrupt();
        }
      }
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace
