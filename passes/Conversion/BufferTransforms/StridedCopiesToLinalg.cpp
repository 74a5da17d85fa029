//===- StridedCopiesToLinalg.cpp - strided memref.copy to linalg.copy -----===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `convert-strided-copies-to-linalg` (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/Passes.h"

namespace exaforge {
#define GEN_PASS_DEF_CONVERTSTRIDEDCOPIESTOLINALG
#include "passes/Conversion/Passes.h.inc"
} // namespace exaforge

using namespace mlir;

namespace {

/// Whether `type` is a ranked memref with a non-identity layout.
bool hasStridedLayout(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  return memref && !memref.getLayout().isIdentity();
}

struct ConvertStridedCopiesToLinalgPass
    : exaforge::impl::ConvertStridedCopiesToLinalgBase<
          ConvertStridedCopiesToLinalgPass> {
  void runOnOperation() override {
    SmallVector<memref::CopyOp> copies;
    getOperation().walk([&](memref::CopyOp copy) {
      Type source = copy.getSource().getType();
      Type target = copy.getTarget().getType();
      if (isa<MemRefType>(source) && isa<MemRefType>(target) &&
          (hasStridedLayout(source) || hasStridedLayout(target)))
        copies.push_back(copy);
    });
    for (memref::CopyOp copy : copies) {
      OpBuilder builder(copy);
      linalg::CopyOp::create(builder, copy.getLoc(), copy.getSource(),
                             copy.getTarget());
      copy.erase();
    }
  }
};

} // namespace
