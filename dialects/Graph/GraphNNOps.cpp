//===- GraphNNOps.cpp - Resize and transposed convolution -----------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Result type inference (and so verification) of the ops of GraphNNOps.td:
// Resize, ConvTranspose and MaxUnpool.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/GraphOps.h"
#include "dialects/Graph/GraphTypeInference.h"
#include "dialects/Graph/ShapeVector.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/TypeUtilities.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace exaforge::graph;

namespace {

/// Checks that the `vector` operand, named `what`, is 1-D and has
/// `expected` entries when its length is static. Type inference runs before
/// the operand types are verified, so the rank is checked here too.
LogicalResult verifyVectorLength(std::optional<Location> loc, Value vector,
                                 StringRef what, int64_t expected) {
  RankedTensorType type = tensorTypeOf(vector);
  if (type.getRank() != 1)
    return emitOptionalError(loc, "'", what, "' must be a 1-D tensor, got rank ",
                             type.getRank());
  int64_t length = type.getDimSize(0);
  if (!ShapedType::isDynamic(length) && length != expected)
    return emitOptionalError(loc, "'", what, "' has ", length,
                             " entries, expected ", expected);
  return success();
}

/// Checks that the window attribute `name` has `expected` entries, each at
/// least `minimum`.
LogicalResult verifyWindowEntries(std::optional<Location> loc, StringRef name,
                                  ArrayRef<int64_t> values, size_t expected,
                                  int64_t minimum) {
  if (values.size() != expected)
    return emitOptionalError(loc, "'", name, "' has ", values.size(),
                             " entries, expected ", expected);
  for (int64_t value : values)
    if (value < minimum)
      return emitOptionalError(loc, "'", name, "' entries must be at least ",
                               minimum, ", got ", value);
  return success();
}

} // namespace

std::optional<int64_t> exaforge::graph::getResizedSize(int64_t inputSize,
                                                      double scale) {
  return getDimensionSizeFromFloat(
      std::floor(static_cast<double>(inputSize) * scale));
}

//===----------------------------------------------------------------------===//
// Resize
//===----------------------------------------------------------------------===//

LogicalResult ResizeOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  RankedTensorType inputType = tensorTypeOf(adaptor.getInput());
  int64_t rank = inputType.getRank();
  Value scales = adaptor.getScales(), sizes = adaptor.getSizes();
  if (static_cast<bool>(scales) == static_cast<bool>(sizes))
    return emitOptionalError(loc,
                             "expects exactly one of 'scales' and 'sizes'");
  if (adaptor.getMode() != "nearest" &&
      !isa<FloatType>(inputType.getElementType()))
    return emitOptionalError(loc, "mode '", adaptor.getMode(),
                             "' needs a float input, got ",
                             inputType.getElementType());
  if (adaptor.getCoordinateTransformationMode() == "tf_crop_and_resize") {
    if (!adaptor.getRoi())
      return emitOptionalError(loc, "coordinate transformation mode "
                                    "'tf_crop_and_resize' needs a 'roi'");
    if (failed(verifyVectorLength(loc, adaptor.getRoi(), "roi", 2 * rank)))
      return failure();
  }
  SmallVector<int64_t> shape(rank, ShapedType::kDynamic);
  if (scales) {
    if (failed(verifyVectorLength(loc, scales, "scales", rank)))
      return failure();
    if (std::optional<SmallVector<double>> values =
            getConstantFloatValues(scales)) {
      for (auto [i, scale] : llvm::enumerate(*values)) {
        if (!(scale > 0.0))
          return emitOptionalError(loc, "'scales' must be positive, got ",
                                   scale);
        if (inputType.isDynamicDim(i))
          continue;
        std::optional<int64_t> size =
            getResizedSize(inputType.getDimSize(i), scale);
        if (!size)
          return emitOptionalError(loc, "'scales' entry ", i, " (", scale,
                                   ") resizes dimension ", i, " of size ",
                                   inputType.getDimSize(i),
                                   " beyond any tensor size");
        shape[i] = *size;
      }
    }
  } else {
    if (failed(verifyVectorLength(loc, sizes, "sizes", rank)))
      return failure();
    // Sizes are often computed from the input's shape: the entries known
    // at compile time give static dimensions.
    if (std::optional<SmallVector<int64_t>> values =
            getShapeVectorSizes(sizes)) {
      for (auto [i, size] : llvm::enumerate(*values)) {
        if (ShapedType::isDynamic(size))
          continue;
        if (size < 0)
          return emitOptionalError(loc, "'sizes' must not be negative, got ",
                                   size);
        shape[i] = size;
      }
    }
  }
  types.push_back(inputType.clone(shape));
  return success();
}

//===----------------------------------------------------------------------===//
// ConvTranspose
//===----------------------------------------------------------------------===//

LogicalResult ConvTransposeOp::inferReturnTypes(MLIRContext *,
                                                std::optional<Location> loc,
                                                Adaptor adaptor,
                                                SmallVectorImpl<Type> &types) {
  RankedTensorType inputType = tensorTypeOf(adaptor.getInput());
  RankedTensorType weightType = tensorTypeOf(adaptor.getWeight());
  if (inputType.getRank() < 3)
    return emitOptionalError(loc,
                             "input must have rank 3 or more (N x C x "
                             "spatial dims), got rank ",
                             inputType.getRank());
  if (weightType.getRank() != inputType.getRank())
    return emitOptionalError(loc, "weight has rank ", weightType.getRank(),
                             " but input has rank ", inputType.getRank());
  if (inputType.getElementType() != weightType.getElementType())
    return emitOptionalError(loc, "input and weight element types differ: ",
                             inputType.getElementType(), " vs ",
                             weightType.getElementType());
  size_t spatialRank = inputType.getRank() - 2;
  ArrayRef<int64_t> strides = adaptor.getStrides();
  ArrayRef<int64_t> pads = adaptor.getPads();
  ArrayRef<int64_t> dilations = adaptor.getDilations();
  ArrayRef<int64_t> outputPadding = adaptor.getOutputPadding();
  if (failed(verifyWindowEntries(loc, "strides", strides, spatialRank, 1)) ||
      failed(verifyWindowEntries(loc, "pads", pads, 2 * spatialRank,
                                 std::numeric_limits<int64_t>::min())) ||
      failed(
          verifyWindowEntries(loc, "dilations", dilations, spatialRank, 1)) ||
      failed(verifyWindowEntries(loc, "output_padding", outputPadding,
                                 spatialRank, 0)))
    return failure();
  int64_t group = adaptor.getGroup();
  if (group < 1)
    return emitOptionalError(loc, "'group' must be positive, got ", group);
  int64_t channels = inputType.getDimSize(1);
  int64_t weightChannels = weightType.getDimSize(0);
  if (!ShapedType::isDynamic(channels) &&
      !ShapedType::isDynamic(weightChannels) && channels != weightChannels)
    return emitOptionalError(loc, "input has ", channels,
                             " channels but weight has ", weightChannels);
  if (!ShapedType::isDynamic(weightChannels) && weightChannels % group != 0)
    return emitOptionalError(loc, "the ", weightChannels,
                             " input channels do not divide into ", group,
                             " groups");
  int64_t filters = ShapedType::isDynamic(weightType.getDimSize(1))
                        ? ShapedType::kDynamic
                        : weightType.getDimSize(1) * group;
  if (Value bias = adaptor.getBias()) {
    RankedTensorType biasType = tensorTypeOf(bias);
    if (biasType.getElementType() != inputType.getElementType() ||
        biasType.getRank() != 1 ||
        (!ShapedType::isDynamic(filters) &&
         !ShapedType::isDynamic(biasType.getDimSize(0)) &&
         biasType.getDimSize(0) != filters))
      return emitOptionalError(loc, "'bias' must be a vector of ", filters,
                               " elements of the input's element type, got ",
                               biasType);
  }
  SmallVector<int64_t> shape = {inputType.getDimSize(0), filters};
  for (size_t i = 0; i < spatialRank; ++i) {
    int64_t input = inputType.getDimSize(i + 2);
    int64_t kernel = weightType.getDimSize(i + 2);
    if (ShapedType::isDynamic(input) || ShapedType::isDynamic(kernel)) {
      shape.push_back(ShapedType::kDynamic);
      continue;
    }
    int64_t size = strides[i] * (input - 1) + outputPadding[i] +
                   (kernel - 1) * dilations[i] + 1 - pads[i] -
                   pads[i + spatialRank];
    if (size < 1)
      return emitOptionalError(loc, "spatial dimension ", i,
                               " of the output would have size ", size);
    shape.push_back(size);
  }
  types.push_back(RankedTensorType::get(shape, inputType.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// MaxUnpool
//===----------------------------------------------------------------------===//

LogicalResult MaxUnpoolOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  RankedTensorType inputType = tensorTypeOf(adaptor.getInput());
  RankedTensorType indicesType = tensorTypeOf(adaptor.getIndices());
  if (inputType.getRank() < 3)
    return emitOptionalError(loc,
                             "input must have rank 3 or more (N x C x "
                             "spatial dims), got rank ",
                             inputType.getRank());
  if (failed(verifyCompatibleShape(inputType.getShape(),
                                   indicesType.getShape())))
    return emitOptionalError(loc, "'indices' of type ", indicesType,
                             " does not have the input's shape");
  size_t spatialRank = inputType.getRank() - 2;
  ArrayRef<int64_t> kernel = adaptor.getKernelShape();
  ArrayRef<int64_t> strides = adaptor.getStrides();
  ArrayRef<int64_t> pads = adaptor.getPads();
  if (failed(verifyWindowEntries(loc, "kernel_shape", kernel, spatialRank,
                                 1)) ||
      failed(verifyWindowEntries(loc, "strides", strides, spatialRank, 1)) ||
      failed(verifyWindowEntries(loc, "pads", pads, 2 * spatialRank, 0)))
    return failure();
  SmallVector<int64_t> shape(inputType.getShape().take_front(2));
  for (size_t i = 0; i < spatialRank; ++i) {
    int64_t input = inputType.getDimSize(i + 2);
    if (ShapedType::isDynamic(input)) {
      shape.push_back(ShapedType::kDynamic);
      continue;
    }
    int64_t size = (input - 1) * strides[i] + kernel[i] - pads[i] -
                   pads[i + spatialRank];
    if (size < 1)
      return emitOptionalError(loc, "spatial dimension ", i,
                               " of the output would have size ", size);
    shape.push_back(size);
  }
  types.push_back(inputType.clone(shape));
  return success();
}
