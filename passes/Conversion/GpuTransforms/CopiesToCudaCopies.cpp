//===- CopiesToCudaCopies.cpp - Buffer copies on the run's GPU stream -----===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `convert-copies-to-cuda-copies` (see Passes.td): each
// memref.copy between contiguous buffers (identity layouts) becomes a call
// of xf_cuda_copy(target address, source address, bytes), which the runtime
// enqueues on the run's stream (cuMemcpyAsync). An address is the buffer's
// aligned pointer plus its offset, in bytes. A copy inside a parallel loop
// is left to the loop's kernel.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/Passes.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"

namespace exaforge {
#define GEN_PASS_DEF_CONVERTCOPIESTOCUDACOPIES
#include "passes/Conversion/Passes.h.inc"
} // namespace exaforge

using namespace mlir;
namespace abi = exaforge::abi;

namespace {

/// Whether `type` is a ranked memref with an identity layout and elements of
/// a whole number of bytes.
bool isContiguousBuffer(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  return memref && memref.getLayout().isIdentity() &&
         memref.getElementType().isIntOrFloat() &&
         memref.getElementTypeBitWidth() % 8 == 0;
}

/// The address of the first element of `buffer` as an i64.
Value getAddress(OpBuilder &builder, Location loc, Value buffer,
                 int64_t elementBytes) {
  auto metadata =
      memref::ExtractStridedMetadataOp::create(builder, loc, buffer);
  Value pointer = memref::ExtractAlignedPointerAsIndexOp::create(
      builder, loc, metadata.getBaseBuffer());
  Value bytes = arith::ConstantIndexOp::create(builder, loc, elementBytes);
  Value offset =
      arith::MulIOp::create(builder, loc, metadata.getOffset(), bytes);
  Value address = arith::AddIOp::create(builder, loc, pointer, offset);
  return arith::IndexCastOp::create(builder, loc, builder.getI64Type(),
                                    address);
}

/// The bytes of `buffer`, a memref of identity layout, as an i64.
Value getByteSize(OpBuilder &builder, Location loc, Value buffer,
                  int64_t elementBytes) {
  auto type = cast<MemRefType>(buffer.getType());
  Value size = arith::ConstantIndexOp::create(builder, loc, elementBytes);
  for (int64_t dim = 0; dim < type.getRank(); ++dim) {
    Value extent = memref::DimOp::create(builder, loc, buffer, dim);
    size = arith::MulIOp::create(builder, loc, size, extent);
  }
  return arith::IndexCastOp::create(builder, loc, builder.getI64Type(), size);
}

struct ConvertCopiesToCudaCopies
    : exaforge::impl::ConvertCopiesToCudaCopiesBase<ConvertCopiesToCudaCopies> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<memref::CopyOp> copies;
    module.walk([&](memref::CopyOp copy) {
      // A copy inside a parallel loop runs in the loop's kernel.
      if (!copy->getParentOfType<scf::ParallelOp>() &&
          isContiguousBuffer(copy.getSource().getType()) &&
          isContiguousBuffer(copy.getTarget().getType()))
        copies.push_back(copy);
    });
    if (copies.empty())
      return;
    auto copyFunction =
        module.lookupSymbol<func::FuncOp>(abi::kCudaCopyFunction);
    if (!copyFunction) {
      auto builder = OpBuilder::atBlockEnd(module.getBody());
      Type i64 = builder.getI64Type();
      copyFunction =
          func::FuncOp::create(builder, module.getLoc(), abi::kCudaCopyFunction,
                               builder.getFunctionType({i64, i64, i64}, {}));
      copyFunction.setPrivate();
    }
    for (memref::CopyOp copy : copies) {
      OpBuilder builder(copy);
      Location loc = copy.getLoc();
      int64_t elementBytes = cast<MemRefType>(copy.getSource().getType())
                                 .getElementTypeBitWidth() /
                             8;
      Value target = getAddress(builder, loc, copy.getTarget(), elementBytes);
      Value source = getAddress(builder, loc, copy.getSource(), elementBytes);
      Value bytes = getByteSize(builder, loc, copy.getSource(), elementBytes);
      func::CallOp::create(builder, loc, copyFunction,
                           ValueRange{target, source, bytes});
      copy.erase();
    }
  }
};

} // namespace
