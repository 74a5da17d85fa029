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

/// The strides of a channels-last buffer of `shape` (N x C x spatial
/// sizes, all static but N), in NCHW order: the channels at stride 1, then
/// the spatial dimensions, then the batch.
SmallVector<int64_t> getChannelsLastStrides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size());
  int64_t stride = shape[1];
  strides[1] = 1;
  for (size_t dim = shape.size() - 1; dim >= 2; --dim) {
    strides[dim] = stride;
    stride *= shape[dim];
  }
  strides[0] = stride;
  return strides;
}

/// The type of `type` (N x C x spatial sizes, all static but N) seen with
/// channels-last strides.
MemRefType getChannelsLastViewType(MemRefType type) {
  return MemRefType::get(
      type.getShape(), type.getElementType(),
      StridedLayoutAttr::get(type.getContext(), /*offset=*/0,
                             getChannelsLastStrides(type.getShape())));
}

/// Replaces `alloc` (N x C x spatial sizes, all static but N: NCHW, or the
/// N x C x HW of a loop whose spatial loops were collapsed) by an
/// N x spatial sizes x C allocation seen as the original shape through a
/// `memref.reinterpret_cast` with channels-last strides (a view that buffer
/// analyses follow).
void makeChannelsLast(memref::AllocOp alloc) {
  MemRefType type = alloc.getType();
  ArrayRef<int64_t> shape = type.getShape();
  OpBuilder builder(alloc);
  Location loc = alloc.getLoc();
  SmallVector<int64_t> lastShape = {shape[0]};
  llvm::append_range(lastShape, shape.drop_front(2));
  lastShape.push_back(shape[1]);
  auto lastType = MemRefType::get(lastShape, type.getElementType());
  auto channelsLast =
      memref::AllocOp::create(builder, loc, lastType, alloc.getDynamicSizes(),
                              alloc.getAlignmentAttr());
  SmallVector<OpFoldResult> sizes = {
      type.isDynamicDim(0) ? OpFoldResult(alloc.getDynamicSizes()[0])
                           : OpFoldResult(builder.getIndexAttr(shape[0]))};
  for (int64_t size : shape.drop_front())
    sizes.push_back(builder.getIndexAttr(size));
  SmallVector<OpFoldResult> strides;
  for (int64_t stride : getChannelsLastStrides(shape))
    strides.push_back(builder.getIndexAttr(stride));
  Value view = memref::ReinterpretCastOp::create(
      builder, loc, getChannelsLastViewType(type), channelsLast,
      builder.getIndexAttr(0), sizes, strides);
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
      if ((type.getRank() != 3 && type.getRank() != 4) ||
          !type.getElementType().isF32() || !type.getLayout().isIdentity() ||
          llvm::any_of(type.getShape().drop_front(), ShapedType::isDynamic))
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
