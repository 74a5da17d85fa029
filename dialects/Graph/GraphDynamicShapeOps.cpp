//===- GraphDynamicShapeOps.cpp - Ops with data-dependent shapes ----------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Result type inference of NonZero, Compress, Unique and NonMaxSuppression
// (see GraphDynamicShapeOps.td): the data-dependent dimensions are dynamic.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/GraphOps.h"
#include "dialects/Graph/GraphTypeInference.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"

using namespace mlir;
using namespace exaforge::graph;

namespace {
constexpr int64_t kDynamic = ShapedType::kDynamic;

/// The number of elements of `type`, or kDynamic.
int64_t getStaticElementCount(RankedTensorType type) {
  return type.hasStaticShape() ? type.getNumElements() : kDynamic;
}
} // namespace

LogicalResult NonZeroOp::inferReturnTypes(MLIRContext *context,
                                          std::optional<Location>,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  int64_t rank = tensorTypeOf(adaptor.getInput()).getRank();
  types.push_back(
      RankedTensorType::get({rank, kDynamic}, IntegerType::get(context, 64)));
  return success();
}

LogicalResult CompressOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  RankedTensorType type = tensorTypeOf(adaptor.getInput());
  if (!adaptor.getAxis()) {
    types.push_back(type.clone({kDynamic}));
    return success();
  }
  FailureOr<int64_t> axis =
      normalizeAxis(loc, *adaptor.getAxis(), type.getRank());
  if (failed(axis))
    return failure();
  SmallVector<int64_t> shape(type.getShape());
  shape[*axis] = kDynamic;
  types.push_back(type.clone(shape));
  return success();
}

LogicalResult UniqueOp::inferReturnTypes(MLIRContext *context,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  RankedTensorType type = tensorTypeOf(adaptor.getInput());
  Type i64 = IntegerType::get(context, 64);
  auto vector = [&](int64_t length) {
    return RankedTensorType::get({length}, i64);
  };
  if (!adaptor.getAxis()) {
    types.append({type.clone({kDynamic}), vector(kDynamic),
                  vector(getStaticElementCount(type)), vector(kDynamic)});
    return success();
  }
  FailureOr<int64_t> axis =
      normalizeAxis(loc, *adaptor.getAxis(), type.getRank());
  if (failed(axis))
    return failure();
  SmallVector<int64_t> shape(type.getShape());
  int64_t axisSize = shape[*axis];
  shape[*axis] = kDynamic;
  types.append({type.clone(shape), vector(kDynamic), vector(axisSize),
                vector(kDynamic)});
  return success();
}

LogicalResult NonMaxSuppressionOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  RankedTensorType boxes = tensorTypeOf(adaptor.getBoxes());
  RankedTensorType scores = tensorTypeOf(adaptor.getScores());
  if (boxes.getRank() != 3 ||
      ShapedType::isStatic(boxes.getDimSize(2)) && boxes.getDimSize(2) != 4)
    return emitOptionalError(loc, "'boxes' must be [batches, boxes, 4], got ",
                             boxes);
  if (scores.getRank() != 3)
    return emitOptionalError(
        loc, "'scores' must be [batches, classes, boxes], got ", scores);
  for (auto [boxesDim, scoresDim] : {std::pair<int64_t, int64_t>{0, 0}, {1, 2}})
    if (ShapedType::isStatic(boxes.getDimSize(boxesDim)) &&
        ShapedType::isStatic(scores.getDimSize(scoresDim)) &&
        boxes.getDimSize(boxesDim) != scores.getDimSize(scoresDim))
      return emitOptionalError(loc, "'boxes' ", boxes, " and 'scores' ", scores,
                               " disagree on the number of batches or boxes");
  for (Value scalar : {adaptor.getMaxOutputBoxesPerClass(),
                       adaptor.getIouThreshold(), adaptor.getScoreThreshold()})
    if (scalar && getStaticElementCount(tensorTypeOf(scalar)) > 1)
      return emitOptionalError(loc,
                               "the thresholds and the box limit must "
                               "have one element, got ",
                               scalar.getType());
  types.push_back(
      RankedTensorType::get({kDynamic, 3}, IntegerType::get(context, 64)));
  return success();
}
