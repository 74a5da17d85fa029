//===- FoldBatchNormIntoConv.cpp - BatchNormalization into Conv -----------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `graph-fold-batch-norm-into-conv`: an inference
// BatchNormalization of a Conv's result becomes a per-output-channel scale of
// the Conv's constant weight and a new constant bias, so that the compiled
// model runs one convolution and no normalization loop.
//
//===----------------------------------------------------------------------===//

#include "passes/Graph/Passes.h"

#include "dialects/Graph/GraphOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>
#include <cstring>

namespace exaforge::graph {
#define GEN_PASS_DEF_GRAPHFOLDBATCHNORMINTOCONV
#include "passes/Graph/Passes.h.inc"
} // namespace exaforge::graph

using namespace mlir;
using namespace exaforge::graph;

namespace {
/// Returns the elements of an f32 constant `value` (a dense attribute or a
/// dense resource with data), or failure for anything else.
FailureOr<SmallVector<float>> readF32Constant(Value value) {
  ElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)) || !attr.getElementType().isF32())
    return failure();
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    auto values = dense.getValues<float>();
    return SmallVector<float>(values.begin(), values.end());
  }
  auto resource = dyn_cast<DenseResourceElementsAttr>(attr);
  if (!resource)
    return failure();
  AsmResourceBlob *blob = resource.getRawHandle().getBlob();
  int64_t count = attr.getNumElements();
  if (!blob || blob->getData().size() != count * sizeof(float))
    return failure();
  SmallVector<float> values(count);
  std::memcpy(values.data(), blob->getData().data(), count * sizeof(float));
  return values;
}

/// Returns the resource name of the folded weight: the original name with a
/// `.bn_folded` suffix, or `conv.bn_folded` for a dense weight.
std::string getFoldedWeightName(Value weight) {
  ElementsAttr attr;
  if (matchPattern(weight, m_Constant(&attr)))
    if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr))
      return resource.getRawHandle().getKey().str() + ".bn_folded";
  return "conv.bn_folded";
}

/// Folds `batch_normalization(conv(x, w[, b]), ...)` into `conv(x, w', b')`
/// (see Passes.td).
struct FoldBatchNormIntoConvPattern : OpRewritePattern<BatchNormalizationOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(BatchNormalizationOp bn,
                                PatternRewriter &rewriter) const override {
    auto conv = bn.getInput().getDefiningOp<ConvOp>();
    if (!conv || !conv->hasOneUse())
      return rewriter.notifyMatchFailure(bn, "input is not a single-use Conv");
    auto weightType = dyn_cast<RankedTensorType>(conv.getWeight().getType());
    if (!weightType || !weightType.hasStaticShape() ||
        weightType.getRank() < 3 || !weightType.getElementType().isF32())
      return rewriter.notifyMatchFailure(bn, "weight is not static f32");
    int64_t channels = weightType.getDimSize(0);
    FailureOr<SmallVector<float>> weight = readF32Constant(conv.getWeight());
    FailureOr<SmallVector<float>> scale = readF32Constant(bn.getScale());
    FailureOr<SmallVector<float>> shift = readF32Constant(bn.getBias());
    FailureOr<SmallVector<float>> mean = readF32Constant(bn.getMean());
    FailureOr<SmallVector<float>> variance = readF32Constant(bn.getVariance());
    if (failed(weight) || failed(scale) || failed(shift) || failed(mean) ||
        failed(variance))
      return rewriter.notifyMatchFailure(bn, "operands are not f32 constants");
    SmallVector<float> convBias(channels, 0.0f);
    if (Value bias = conv.getBias()) {
      FailureOr<SmallVector<float>> values = readF32Constant(bias);
      if (failed(values))
        return rewriter.notifyMatchFailure(bn, "Conv bias is not a constant");
      convBias = std::move(*values);
    }
    auto hasChannels = [&](ArrayRef<float> values) {
      return static_cast<int64_t>(values.size()) == channels;
    };
    if (!hasChannels(*scale) || !hasChannels(*shift) || !hasChannels(*mean) ||
        !hasChannels(*variance) || !hasChannels(convBias))
      return rewriter.notifyMatchFailure(bn, "per-channel sizes differ");

    double epsilon = bn.getEpsilon().convertToFloat();
    int64_t perChannel = weightType.getNumElements() / channels;
    SmallVector<float> newBias(channels);
    for (int64_t m = 0; m < channels; ++m) {
      double factor =
          double((*scale)[m]) / std::sqrt(double((*variance)[m]) + epsilon);
      for (int64_t i = m * perChannel, e = i + perChannel; i < e; ++i)
        (*weight)[i] = static_cast<float>(double((*weight)[i]) * factor);
      newBias[m] = static_cast<float>(
          (double(convBias[m]) - double((*mean)[m])) * factor +
          double((*shift)[m]));
    }

    Location loc = conv.getLoc();
    AsmResourceBlob blob = HeapAsmResourceBlob::allocateAndCopyInferAlign(
        ArrayRef<float>(*weight));
    auto weightAttr = DenseResourceElementsAttr::get(
        weightType, getFoldedWeightName(conv.getWeight()), std::move(blob));
    auto biasType = RankedTensorType::get({channels}, rewriter.getF32Type());
    auto biasAttr = DenseElementsAttr::get(biasType, ArrayRef<float>(newBias));
    Value newWeight = ConstantOp::create(rewriter, loc, weightAttr);
    Value newBiasValue = ConstantOp::create(rewriter, loc, biasAttr);
    rewriter.replaceOpWithNewOp<ConvOp>(
        bn, bn.getType(), conv.getInput(), newWeight, newBiasValue,
        conv.getStridesAttr(), conv.getPadsAttr(), conv.getDilationsAttr(),
        conv.getGroupAttr());
    rewriter.eraseOp(conv);
    return success();
  }
};

struct GraphFoldBatchNormIntoConvPass
    : exaforge::graph::impl::GraphFoldBatchNormIntoConvBase<
          GraphFoldBatchNormIntoConvPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldBatchNormIntoConvPattern>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
