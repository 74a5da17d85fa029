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

#include "dialects/Kernel/KernelOps.h"

namespace exaforge {
#define GEN_PASS_DEF_USECHANNELSLASTKERNELBUFFERS
#include "passes/Conversion/Passes.h.inc"
} // namespace exaforge

using namespace mlir;
using namespace exaforge;

namespace {

/// Whether `use` passes an activation (not weights or a bias) to a window
/// kernel op whose target prefers channels-last activations (the op's
/// `channels_last`, set by `select-kernels`): the input or the destination
/// of such a convolution or max pooling.
bool isChannelsLastKernelActivation(OpOperand &use) {
  Operation *owner = use.getOwner();
  if (auto conv = dyn_cast<kernel::Conv2DOp>(owner))
    return conv.getChannelsLast() && (&use == &conv.getInputMutable() ||
                                      &use == &conv.getInitMutable());
  if (auto pool = dyn_cast<kernel::MaxPool2DOp>(owner))
    return pool.getChannelsLast() && (&use == &pool.getInputMutable() ||
                                      &use == &pool.getInitMutable());
  return false;
}

/// Whether only channels-last kernel ops use `alloc` as an activation, apart from
/// `memref.dim`s, and at least one does.
bool isKernelOnlyBuffer(memref::AllocOp alloc) {
  bool used = false;
  for (OpOperand &use : alloc->getUses()) {
    if (isa<memref::DimOp>(use.getOwner()))
      continue;
    if (!isChannelsLastKernelActivation(use))
      return false;
    used = true;
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
  alloc.replaceAllUsesWith(view);
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
