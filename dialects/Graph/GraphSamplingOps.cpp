//===- GraphSamplingOps.cpp - Ops sampling an image at coordinates --------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Result type inference of GridSample and RoiAlign (see
// GraphSamplingOps.td).
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/GraphOps.h"
#include "dialects/Graph/GraphTypeInference.h"

#include "mlir/IR/Diagnostics.h"

using namespace mlir;
using namespace exaforge::graph;

namespace {
/// `lhs` when it is static, otherwise `rhs` (two sizes of one dimension).
int64_t pickStatic(int64_t lhs, int64_t rhs) {
  return ShapedType::isStatic(lhs) ? lhs : rhs;
}
} // namespace

LogicalResult GridSampleOp::inferReturnTypes(MLIRContext *,
                                             std::optional<Location> loc,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &types) {
  RankedTensorType input = tensorTypeOf(adaptor.getInput());
  RankedTensorType grid = tensorTypeOf(adaptor.getGrid());
  if (input.getRank() != 4)
    return emitOptionalError(loc, "'input' must be N x C x H x W, got ", input);
  if (grid.getRank() != 4 ||
      (ShapedType::isStatic(grid.getDimSize(3)) && grid.getDimSize(3) != 2))
    return emitOptionalError(loc, "'grid' must be N x H_out x W_out x 2, got ",
                             grid);
  if (grid.getElementType() != input.getElementType())
    return emitOptionalError(loc, "'grid' must have the element type of "
                                  "'input'");
  types.push_back(input.clone(
      {pickStatic(input.getDimSize(0), grid.getDimSize(0)), input.getDimSize(1),
       grid.getDimSize(1), grid.getDimSize(2)}));
  return success();
}

LogicalResult RoiAlignOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  RankedTensorType input = tensorTypeOf(adaptor.getInput());
  RankedTensorType rois = tensorTypeOf(adaptor.getRois());
  RankedTensorType indices = tensorTypeOf(adaptor.getBatchIndices());
  if (input.getRank() != 4)
    return emitOptionalError(loc, "'input' must be N x C x H x W, got ", input);
  if (rois.getRank() != 2 ||
      (ShapedType::isStatic(rois.getDimSize(1)) && rois.getDimSize(1) != 4))
    return emitOptionalError(loc, "'rois' must be R x 4, got ", rois);
  if (indices.getRank() != 1)
    return emitOptionalError(loc, "'batch_indices' must be 1-D, got ", indices);
  types.push_back(input.clone(
      {pickStatic(rois.getDimSize(0), indices.getDimSize(0)),
       input.getDimSize(1), static_cast<int64_t>(adaptor.getOutputHeight()),
       static_cast<int64_t>(adaptor.getOutputWidth())}));
  return success();
}
