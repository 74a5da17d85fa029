//===- ChannelsLastKernelBuffers.cpp - NHWC buffers between kernels -------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `use-channels-last-kernel-buffers` (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/Passes.h"

namespace exaforge {
#define GEN_PASS_DEF_USECHANNELSLASTKERNELBUFFERS
#include "passes/Conversion/Passes.h.inc"
} // namespace exaforge

using namespace mlir;

namespace {

/// Whether `use` passes an activation (not weights or a bias) to a runtime
/// kernel that reads its buffers' layouts from their descriptors and
/// prefers NHWC: the input or output of a convolution or max pooling.
bool isWindowKernelActivation(OpOperand &use) {
  auto call = dyn_cast<func::CallOp>(use.getOwner());
  if (!call)
    return false;
  unsigned index = use.getOperandNumber();
  // Operands: site, flags, x, w, bias, y, ... and site, flags, x, y, ...
  if (call.getCallee() == "xf_kernel_conv2d_nchw_f32")
    return index == 2 || index == 5;
  if (call.getCallee() == "xf_kernel_max_pool2d_nchw_f32")
    return index == 2 || index == 3;
  return false;
}

/// Whether only window kernel calls use `alloc` as an activation (through
/// casts), apart from `memref.dim`s, and at least one does.
bool isKernelOnlyBuffer(memref::AllocOp alloc) {
  bool used = false;
  for (Operation *user : alloc->getUsers()) {
    if (isa<memref::DimOp>(user))
      continue;
    auto cast = dyn_cast<memref::CastOp>(user);
    if (!cast)
      return false;
    for (OpOperand &use : cast->getUses()) {
      if (!isWindowKernelActivation(use))
        return false;
      used = true;
    }
  }
  return used;
}

/// Replaces `alloc` (N x C x H x W, C, H and W static) by an N x H x W x C
/// allocation seen as N x C x H x W through a `memref.reinterpret_cast`
/// with NHWC strides (a view that buffer analyses follow).
void makeChannelsLast(memref::AllocOp alloc) {
  MemRefType type = alloc.getType();
  ArrayRef<int64_t> shape = type.getShape();
  int64_t channels = shape[1], height = shape[2], width = shape[3];
  OpBuilder builder(alloc);
  Location loc = alloc.getLoc();
  auto nhwcType = MemRefType::get({shape[0], height, width, channels},
                                  type.getElementType());
  auto nhwc =
      memref::AllocOp::create(builder, loc, nhwcType, alloc.getDynamicSizes(),
                              alloc.getAlignmentAttr());
  SmallVector<OpFoldResult> sizes = {
      type.isDynamicDim(0) ? OpFoldResult(alloc.getDynamicSizes()[0])
                           : OpFoldResult(builder.getIndexAttr(shape[0])),
      builder.getIndexAttr(channels), builder.getIndexAttr(height),
      builder.getIndexAttr(width)};
  SmallVector<OpFoldResult> strides = {
      builder.getIndexAttr(height * width * channels), builder.getIndexAttr(1),
      builder.getIndexAttr(width * channels), builder.getIndexAttr(channels)};
  auto viewType =
      MemRefType::get(shape, type.getElementType(),
                      StridedLayoutAttr::get(builder.getContext(), /*offset=*/0,
                                             {height * width * channels, 1,
                                              width * channels, channels}));
  Value view = memref::ReinterpretCastOp::create(
      builder, loc, viewType, nhwc, builder.getIndexAttr(0), sizes, strides);
  for (OpOperand &use : llvm::make_early_inc_range(alloc->getUses())) {
    Operation *user = use.getOwner();
    if (auto cast = dyn_cast<memref::CastOp>(user)) {
      builder.setInsertionPoint(cast);
      auto newCast =
          memref::CastOp::create(builder, cast.getLoc(), cast.getType(), view);
      cast.replaceAllUsesWith(newCast.getResult());
      cast.erase();
    } else {
      use.set(view);
    }
  }
  alloc.erase();
}

struct UseChannelsLastKernelBuffersPass
    : exaforge::impl::UseChannelsLastKernelBuffersBase<
          UseChannelsLastKernelBuffersPass> {
  void runOnOperation() override {
    SmallVector<memref::AllocOp> allocs;
    getOperation().walk([&](memref::AllocOp alloc) {
      MemRefType type = alloc.getType();
      if (type.getRank() == 4 && type.getElementType().isF32() &&
          type.getLayout().isIdentity() && !type.isDynamicDim(1) &&
          !type.isDynamicDim(2) && !type.isDynamicDim(3) &&
          isKernelOnlyBuffer(alloc))
        allocs.push_back(alloc);
    });
    for (memref::AllocOp alloc : allocs)
      makeChannelsLast(alloc);
  }
};

} // namespace
