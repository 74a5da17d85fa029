//===- ConvTransposeToLinalg.cpp - Graph ConvTranspose to linalg -----------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Lowers ConvTranspose as a direct convolution over a zero-stuffed input:
// the input is written with `tensor.insert_slice` (strides = the op's
// strides) into a zero tensor, at an offset of `dilation * (kernel - 1)`
// (plus whatever negative begin pads add), and a `linalg.generic` over
// `(n, m, o1..on, c, r1..rn)` convolves it with the flipped kernel:
//
//   out[n, m, o] += stuffed[n, g * C/group + c, o + padBegin + r * d]
//                   * weight[g * C/group + c, m mod (M/group), k - 1 - r]
//
// where `g = m floordiv (M/group)` is the group of output channel `m`. The
// weight is read in its ONNX layout (`C x M/group x k...`), so no
// transposed copy is made. The output starts as the broadcast bias (or
// zero). The batch and channel dimensions may be dynamic; the spatial
// dimensions and the weight shape must be static.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/GraphToLinalg/GraphToLinalg.h"
#include "passes/Conversion/GraphToLinalg/LoweringUtils.h"

#include "dialects/Graph/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

#include <algorithm>

using namespace mlir;
using namespace exaforge;
using namespace exaforge::lowering;

namespace {

/// Lowers graph.conv_transpose (see the file comment).
struct ConvTransposeLowering : OpConversionPattern<graph::ConvTransposeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::ConvTransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    Value input = adaptor.getInput(), weight = adaptor.getWeight();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto weightType = cast<RankedTensorType>(weight.getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    if (!weightType.hasStaticShape())
      return failLowering(rewriter, op,
                          "the weight shape must be static to lower "
                          "ConvTranspose to linalg");
    if (llvm::any_of(inputType.getShape().drop_front(2),
                     ShapedType::isDynamic))
      return failLowering(rewriter, op,
                          "the spatial input dimensions must be static to "
                          "lower ConvTranspose to linalg");
    Type elementType = inputType.getElementType();
    int64_t spatialRank = inputType.getRank() - 2;
    int64_t group = op.getGroup();
    int64_t channels = weightType.getDimSize(0);
    int64_t channelsPerGroup = channels / group;
    int64_t filtersPerGroup = weightType.getDimSize(1);
    ArrayRef<int64_t> strides = op.getStrides(), pads = op.getPads(),
                      dilations = op.getDilations();

    // The channel count the weight implies.
    if (inputType.isDynamicDim(1)) {
      SmallVector<int64_t> shape(inputType.getShape());
      shape[1] = channels;
      inputType = inputType.clone(shape);
      input = tensor::CastOp::create(rewriter, loc, inputType, input);
    }

    // Zero-stuff the input: element j of dimension i lands at
    // `offset + j * stride`.
    SmallVector<int64_t> stuffedShape(inputType.getShape());
    SmallVector<OpFoldResult> offsets(2, rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> insertStrides(2, rewriter.getIndexAttr(1));
    SmallVector<int64_t> readOffsets;
    for (int64_t i = 0; i < spatialRank; ++i) {
      int64_t in = inputType.getDimSize(i + 2);
      int64_t kernel = weightType.getDimSize(i + 2);
      int64_t extraLow = std::max<int64_t>(0, -pads[i]);
      int64_t offset = dilations[i] * (kernel - 1) + extraLow;
      int64_t readOffset = pads[i] + extraLow;
      int64_t needed = (resultType.getDimSize(i + 2) - 1) + readOffset +
                       dilations[i] * (kernel - 1) + 1;
      stuffedShape[i + 2] =
          std::max(needed, offset + (in - 1) * strides[i] + 1);
      offsets.push_back(rewriter.getIndexAttr(offset));
      insertStrides.push_back(rewriter.getIndexAttr(strides[i]));
      readOffsets.push_back(readOffset);
    }
    auto stuffedType = inputType.clone(stuffedShape);
    SmallVector<Value> batchSizes;
    if (inputType.isDynamicDim(0))
      batchSizes.push_back(tensor::DimOp::create(rewriter, loc, input, 0));
    Value zero = createScalarConstant(rewriter, loc, elementType, 0.0);
    Value stuffed =
        createFilledTensor(rewriter, loc, stuffedType, batchSizes, zero);
    stuffed = tensor::InsertSliceOp::create(
        rewriter, loc, input, stuffed, offsets,
        tensor::getMixedSizes(rewriter, loc, input), insertStrides);

    // The output, initialized with the bias or zero.
    auto staticResultType = resultType;
    if (resultType.isDynamicDim(1)) {
      SmallVector<int64_t> shape(resultType.getShape());
      shape[1] = filtersPerGroup * group;
      staticResultType = resultType.clone(shape);
    }
    int64_t resultRank = staticResultType.getRank();
    Value init;
    if (Value bias = adaptor.getBias()) {
      auto biasType = cast<RankedTensorType>(bias.getType());
      if (biasType.isDynamicDim(0))
        bias = tensor::CastOp::create(
            rewriter, loc, biasType.clone({filtersPerGroup * group}), bias);
      Value empty =
          createEmptyTensor(rewriter, loc, staticResultType, batchSizes);
      SmallVector<AffineMap> maps = {
          AffineMap::get(resultRank, 0, getAffineDimExpr(1, context)),
          rewriter.getMultiDimIdentityMap(resultRank)};
      init = linalg::GenericOp::create(
                 rewriter, loc, TypeRange{staticResultType}, ValueRange{bias},
                 ValueRange{empty}, maps,
                 SmallVector<utils::IteratorType>(
                     resultRank, utils::IteratorType::parallel),
                 [](OpBuilder &b, Location bodyLoc, ValueRange args) {
                   linalg::YieldOp::create(b, bodyLoc, args[0]);
                 })
                 .getResult(0);
    } else {
      init = createFilledTensor(rewriter, loc, staticResultType, batchSizes,
                                zero);
    }

    // The convolution with the flipped kernel.
    int64_t numLoops = 3 + 2 * spatialRank;
    auto dim = [&](int64_t i) { return getAffineDimExpr(i, context); };
    AffineExpr inputChannel =
        dim(1).floorDiv(filtersPerGroup) * channelsPerGroup +
        dim(2 + spatialRank);
    SmallVector<AffineExpr> inputExprs = {dim(0), inputChannel};
    SmallVector<AffineExpr> weightExprs = {inputChannel,
                                           dim(1) % filtersPerGroup};
    SmallVector<AffineExpr> outputExprs = {dim(0), dim(1)};
    for (int64_t i = 0; i < spatialRank; ++i) {
      AffineExpr offset = dim(3 + spatialRank + i);
      inputExprs.push_back(dim(2 + i) + readOffsets[i] +
                           offset * dilations[i]);
      weightExprs.push_back(weightType.getDimSize(i + 2) - 1 - offset);
      outputExprs.push_back(dim(2 + i));
    }
    // Only the shape of this operand matters: it bounds the reduction
    // loops (channels per group, kernel offsets).
    SmallVector<int64_t> reductionShape = {channelsPerGroup};
    llvm::append_range(reductionShape, weightType.getShape().drop_front(2));
    Value reductionBounds =
        tensor::EmptyOp::create(rewriter, loc, reductionShape, elementType);
    SmallVector<AffineExpr> boundExprs;
    for (int64_t i = 0; i <= spatialRank; ++i)
      boundExprs.push_back(dim(2 + spatialRank + i));
    SmallVector<AffineMap> maps = {
        AffineMap::get(numLoops, 0, inputExprs, context),
        AffineMap::get(numLoops, 0, weightExprs, context),
        AffineMap::get(numLoops, 0, boundExprs, context),
        AffineMap::get(numLoops, 0, outputExprs, context)};
    SmallVector<utils::IteratorType> iterators(2 + spatialRank,
                                               utils::IteratorType::parallel);
    iterators.append(1 + spatialRank, utils::IteratorType::reduction);
    auto conv = linalg::GenericOp::create(
        rewriter, loc, TypeRange{staticResultType},
        ValueRange{stuffed, weight, reductionBounds}, ValueRange{init}, maps,
        iterators, [](OpBuilder &b, Location bodyLoc, ValueRange args) {
          Value product = arith::MulFOp::create(b, bodyLoc, args[0], args[1]);
          linalg::YieldOp::create(
              b, bodyLoc,
              arith::AddFOp::create(b, bodyLoc, args[3], product).getResult());
        });
    rewriter.replaceOp(
        op, castToType(rewriter, loc, conv.getResult(0), resultType));
    return success();
  }
};

} // namespace

void exaforge::populateGraphConvTransposeToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ConvTransposeLowering>(patterns.getContext());
}
