//===- GraphSignalOps.cpp - Signal processing ops -------------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Result type inference of DFT, STFT, the cosine-sum windows and
// MelWeightMatrix (see GraphSignalOps.td). Sizes given by scalar operands
// are static when those are constants, dynamic otherwise.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/GraphOps.h"
#include "dialects/Graph/GraphTypeInference.h"

#include "mlir/IR/Diagnostics.h"

using namespace mlir;
using namespace exaforge::graph;

namespace {
constexpr int64_t kDynamic = ShapedType::kDynamic;

/// The value of the constant integer scalar `value`, or kDynamic (also for
/// an absent value).
int64_t getConstantSize(Value value) {
  if (!value)
    return kDynamic;
  std::optional<double> scalar = getConstantScalar(value);
  return scalar ? static_cast<int64_t>(*scalar) : kDynamic;
}

/// Whether `value` has one element (whatever its static rank).
bool isScalar(Value value) {
  RankedTensorType type = tensorTypeOf(value);
  return llvm::all_of(type.getShape(), [](int64_t dim) { return dim == 1; });
}

/// The number of frequencies a transform of `length` samples returns.
int64_t getFrequencyCount(int64_t length, bool onesided) {
  if (ShapedType::isDynamic(length) || !onesided)
    return length;
  return length / 2 + 1;
}

/// Checks that the last dimension of the signal `type` (of `what`) is 1 or
/// 2 (real or complex) and that it has at least `minRank` dimensions.
LogicalResult checkSignal(std::optional<Location> loc, RankedTensorType type,
                          int64_t minRank, StringRef what) {
  if (type.getRank() < minRank)
    return emitOptionalError(loc, "'", what, "' must have at least ", minRank,
                             " dimensions, got ", type);
  int64_t last = type.getDimSize(type.getRank() - 1);
  if (ShapedType::isStatic(last) && last != 1 && last != 2)
    return emitOptionalError(loc, "the last dimension of '", what,
                             "' must be 1 (real) or 2 (complex), got ", type);
  return success();
}
} // namespace

LogicalResult DFTOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  RankedTensorType type = tensorTypeOf(adaptor.getInput());
  if (failed(checkSignal(loc, type, 3, "input")))
    return failure();
  int64_t rank = type.getRank();
  int64_t axis = adaptor.getAxis();
  if (axis < 0)
    axis += rank;
  if (axis < 1 || axis > rank - 2)
    return emitOptionalError(loc, "'axis' ", adaptor.getAxis(),
                             " must name a signal dimension of ", type,
                             " (neither the first nor the last)");
  if (adaptor.getOnesided() && adaptor.getInverse())
    return emitOptionalError(loc, "'onesided' and 'inverse' cannot both be "
                                  "set");
  int64_t length = adaptor.getDftLength()
                       ? getConstantSize(adaptor.getDftLength())
                       : type.getDimSize(axis);
  SmallVector<int64_t> shape(type.getShape());
  shape[axis] = getFrequencyCount(length, adaptor.getOnesided());
  shape[rank - 1] = 2;
  types.push_back(type.clone(shape));
  return success();
}

LogicalResult STFTOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  RankedTensorType type = tensorTypeOf(adaptor.getSignal());
  if (failed(checkSignal(loc, type, 3, "signal")))
    return failure();
  if (type.getRank() != 3)
    return emitOptionalError(loc,
                             "'signal' must be [batch, length, 1 or 2], "
                             "got ",
                             type);
  if (!adaptor.getWindow() && !adaptor.getFrameLength())
    return emitOptionalError(loc, "either 'window' or 'frame_length' must be "
                                  "given");
  if (adaptor.getWindow() && tensorTypeOf(adaptor.getWindow()).getRank() != 1)
    return emitOptionalError(loc, "'window' must be 1-D");
  int64_t frameLength = adaptor.getFrameLength()
                            ? getConstantSize(adaptor.getFrameLength())
                            : tensorTypeOf(adaptor.getWindow()).getDimSize(0);
  int64_t step = getConstantSize(adaptor.getFrameStep());
  int64_t length = type.getDimSize(1);
  int64_t frames = kDynamic;
  if (ShapedType::isStatic(frameLength) && ShapedType::isStatic(step) &&
      ShapedType::isStatic(length) && step > 0 && length >= frameLength)
    frames = (length - frameLength) / step + 1;
  types.push_back(
      type.clone({type.getDimSize(0), frames,
                  getFrequencyCount(frameLength, adaptor.getOnesided()), 2}));
  return success();
}

LogicalResult
CosineSumWindowOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                    Adaptor adaptor,
                                    SmallVectorImpl<Type> &types) {
  if (!isScalar(adaptor.getSize()))
    return emitOptionalError(loc, "'size' must be a scalar");
  int64_t size = getConstantSize(adaptor.getSize());
  if (ShapedType::isStatic(size) && size < 0)
    return emitOptionalError(loc, "'size' must not be negative, got ", size);
  types.push_back(RankedTensorType::get({size}, adaptor.getElementType()));
  return success();
}

LogicalResult
MelWeightMatrixOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                    Adaptor adaptor,
                                    SmallVectorImpl<Type> &types) {
  for (Value scalar : {adaptor.getNumMelBins(), adaptor.getDftLength(),
                       adaptor.getSampleRate(), adaptor.getLowerEdgeHertz(),
                       adaptor.getUpperEdgeHertz()})
    if (!isScalar(scalar))
      return emitOptionalError(loc, "every operand must be a scalar, got ",
                               scalar.getType());
  int64_t bins = getConstantSize(adaptor.getNumMelBins());
  int64_t length = getConstantSize(adaptor.getDftLength());
  types.push_back(RankedTensorType::get(
      {getFrequencyCount(length, /*onesided=*/true), bins},
      adaptor.getElementType()));
  return success();
}
