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

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace exaforge {
#define GEN_PASS_DEF_USECHANNELSLASTKERNELBUFFERS
#include "passes/Conversion/Passes.h.inc"
} // namespace exaforge

using namespace mlir;
using namespace exaforge;

namespace {

/// Whether the loop nest of `generic` walks `use`, an operand of type
/// `type`, contiguously: the innermost loop indexes exactly one of its
/// dimensions, and that dimension's stride is 1.
bool walksContiguously(linalg::GenericOp generic, OpOperand &use,
                       MemRefType type) {
  if (generic.getNumLoops() == 0)
    return false;
  unsigned innermost = generic.getNumLoops() - 1;
  auto [strides, offset] = type.getStridesAndOffset();
  std::optional<int64_t> walked;
  for (auto [dim, expr] :
       llvm::enumerate(generic.getMatchingIndexingMap(&use).getResults())) {
    if (!expr.isFunctionOfDim(innermost))
      continue;
    if (walked || !isa<AffineDimExpr>(expr))
      return false;
    walked = dim;
  }
  return walked && strides[*walked] == 1;
}

/// A view of a buffer and the type it takes once the buffer is NHWC.
using RetypedView = std::pair<Value, MemRefType>;

/// Whether every use of `value`, a buffer or a view of it whose type
/// becomes `type` once the buffer is NHWC, accepts that layout, collecting
/// the views of `value` to retype into `views`: channels-last kernel
/// activations, `memref.dim`s, `linalg.generic`s that walk it
/// contiguously, and `memref.expand_shape`s and `memref.collapse_shape`s
/// that the layout allows and whose uses accept it in turn. Counts the
/// kernel and generic uses into `computeUses`.
bool acceptsLayout(Value value, MemRefType type,
                   SmallVectorImpl<RetypedView> &views, int &computeUses) {
  for (OpOperand &use : value.getUses()) {
    Operation *owner = use.getOwner();
    if (isa<memref::DimOp>(owner))
      continue;
    if (kernel::isChannelsLastActivation(use)) {
      ++computeUses;
      continue;
    }
    if (auto generic = dyn_cast<linalg::GenericOp>(owner)) {
      if (!walksContiguously(generic, use, type))
        return false;
      ++computeUses;
      continue;
    }
    FailureOr<MemRefType> viewType = failure();
    if (auto expand = dyn_cast<memref::ExpandShapeOp>(owner))
      viewType = memref::ExpandShapeOp::computeExpandedType(
          type, expand.getResultType().getShape(),
          expand.getReassociationIndices());
    else if (auto collapse = dyn_cast<memref::CollapseShapeOp>(owner))
      if (memref::CollapseShapeOp::isGuaranteedCollapsible(
              type, collapse.getReassociationIndices()))
        viewType = memref::CollapseShapeOp::computeCollapsedType(
            type, collapse.getReassociationIndices());
    if (failed(viewType) ||
        !acceptsLayout(owner->getResult(0), *viewType, views, computeUses))
      return false;
    views.push_back({owner->getResult(0), *viewType});
  }
  return true;
}

/// The NCHW type with NHWC strides of a view of `type` (N x C x H x W, C, H
/// and W static).
MemRefType getChannelsLastViewType(MemRefType type) {
  ArrayRef<int64_t> shape = type.getShape();
  int64_t channels = shape[1], height = shape[2], width = shape[3];
  return MemRefType::get(shape, type.getElementType(),
                         StridedLayoutAttr::get(type.getContext(), /*offset=*/0,
                                                {height * width * channels, 1,
                                                 width * channels, channels}));
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
  MemRefType viewType = getChannelsLastViewType(type);
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
    SmallVector<RetypedView> views;
    getOperation().walk([&](memref::AllocOp alloc) {
      MemRefType type = alloc.getType();
      if (type.getRank() != 4 || !type.getElementType().isF32() ||
          !type.getLayout().isIdentity() || type.isDynamicDim(1) ||
          type.isDynamicDim(2) || type.isDynamicDim(3))
        return;
      SmallVector<RetypedView> allocViews;
      int computeUses = 0;
      if (!acceptsLayout(alloc, getChannelsLastViewType(type), allocViews,
                         computeUses) ||
          computeUses == 0)
        return;
      allocs.push_back(alloc);
      llvm::append_range(views, allocViews);
    });
    for (memref::AllocOp alloc : allocs)
      makeChannelsLast(alloc);
    for (auto [view, type] : views)
      view.setType(type);
  }
};

} // namespace
