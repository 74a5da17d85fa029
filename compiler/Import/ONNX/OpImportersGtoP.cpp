//===- OpImportersGtoP.cpp - ONNX op builders, G to P ---------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Builders of the ONNX op types Gather to Pow (Hardmax, LogSoftmax and
// NegativeLogLikelihoodLoss included).
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/ONNX/OpImporters.h"

#include "dialects/Graph/GraphOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace exaforge;
using namespace exaforge::onnx_import;

namespace graph = exaforge::graph;

//===----------------------------------------------------------------------===//
// NegativeLogLikelihoodLoss
//===----------------------------------------------------------------------===//

static LogicalResult importNegativeLogLikelihoodLoss(NodeContext &ctx) {
  if (failed(ctx.checkAttributes(
          {{"reduction", kString}, {"ignore_index", kInt}})) ||
      failed(ctx.checkInputs(2, 3)))
    return failure();
  OpBuilder &b = ctx.getBuilder();
  std::optional<int64_t> ignoreIndex = ctx.getOptionalInt("ignore_index");
  return ctx.createAndSetResults<graph::NegativeLogLikelihoodLossOp>(
      ctx.getInput(0), ctx.getInput(1), ctx.getInput(2),
      b.getStringAttr(ctx.getString("reduction", "mean")),
      ignoreIndex ? b.getI64IntegerAttr(*ignoreIndex) : IntegerAttr());
}

//===----------------------------------------------------------------------===//
// Gather
//===----------------------------------------------------------------------===//

static LogicalResult importGather(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"axis", kInt}})) ||
      failed(ctx.checkInputs(2, 2)))
    return failure();
  return ctx.createAndSetResults<graph::GatherOp>(
      ctx.getInput(0), ctx.getInput(1),
      ctx.getBuilder().getI64IntegerAttr(ctx.getInt("axis", 0)));
}

//===----------------------------------------------------------------------===//
// Gelu
//===----------------------------------------------------------------------===//

static LogicalResult importGelu(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"approximate", kString}})) ||
      failed(ctx.checkInputs(1, 1)))
    return failure();
  std::string approximate = ctx.getString("approximate", "none");
  if (approximate != "none" && approximate != "tanh")
    return ctx.emitError() << "attribute 'approximate' has unsupported value '"
                           << approximate << "'";
  return ctx.createAndSetResults<graph::GeluOp>(
      ctx.getInput(0), ctx.getBuilder().getStringAttr(approximate));
}

//===----------------------------------------------------------------------===//
// Gemm
//===----------------------------------------------------------------------===//

static LogicalResult importGemm(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"alpha", kFloat},
                                  {"beta", kFloat},
                                  {"transA", kInt},
                                  {"transB", kInt}})) ||
      failed(ctx.checkInputs(2, 3)))
    return failure();
  OpBuilder &b = ctx.getBuilder();
  return ctx.createAndSetResults<graph::GemmOp>(
      ctx.getInput(0), ctx.getInput(1), ctx.getInput(2),
      b.getF32FloatAttr(ctx.getFloat("alpha", 1.0f)),
      b.getF32FloatAttr(ctx.getFloat("beta", 1.0f)),
      b.getBoolAttr(ctx.getInt("transA", 0) != 0),
      b.getBoolAttr(ctx.getInt("transB", 0) != 0));
}

//===----------------------------------------------------------------------===//
// LayerNormalization
//===----------------------------------------------------------------------===//

/// Imports a LayerNormalization whose `Mean` or `InvStdDev` output is used.
/// The statistics are spelled out with graph ops over the axes
/// `[axis, rank)`, in f32 as `stash_type = 1` asks:
///   mean = ReduceMean(x), d = x - mean,
///   invStdDev = 1 / Sqrt(ReduceMean(d * d) + epsilon),
///   y = d * invStdDev * scale (+ bias).
static LogicalResult importLayerNormalizationWithStatistics(NodeContext &ctx,
                                                            int64_t axis,
                                                            float epsilon) {
  Value x = ctx.getInput(0);
  auto type = cast<RankedTensorType>(x.getType());
  if (!type.getElementType().isF32())
    return ctx.emitError() << "the 'Mean' and 'InvStdDev' outputs are only "
                              "supported for float32 inputs";
  int64_t rank = type.getRank();
  if (axis < -rank || axis >= rank)
    return ctx.emitError() << "'axis' value is " << axis
                           << ", accepted range is [" << -rank << ", "
                           << rank - 1 << "]";
  if (axis < 0)
    axis += rank;
  OpBuilder &b = ctx.getBuilder();
  auto scalarType = RankedTensorType::get({}, b.getF32Type());
  auto scalar = [&](float value) {
    return ctx.create<graph::ConstantOp>(
        DenseElementsAttr::get(scalarType, value));
  };
  auto reduceMean = [&](Value value, Value axes) {
    return ctx.create<graph::ReduceMeanOp>(value, axes, b.getBoolAttr(true),
                                           b.getBoolAttr(false));
  };
  Value axes =
      ctx.createI64Constant(llvm::to_vector(llvm::seq<int64_t>(axis, rank)));
  FailureOr<graph::ReduceMeanOp> mean = reduceMean(x, axes);
  if (failed(mean))
    return failure();
  FailureOr<graph::SubOp> centered = ctx.create<graph::SubOp>(x, *mean);
  if (failed(centered))
    return failure();
  FailureOr<graph::MulOp> squared =
      ctx.create<graph::MulOp>(*centered, *centered);
  if (failed(squared))
    return failure();
  FailureOr<graph::ReduceMeanOp> variance = reduceMean(*squared, axes);
  FailureOr<graph::ConstantOp> eps = scalar(epsilon);
  FailureOr<graph::ConstantOp> one = scalar(1.0f);
  if (failed(variance) || failed(eps) || failed(one))
    return failure();
  FailureOr<graph::AddOp> shifted = ctx.create<graph::AddOp>(*variance, *eps);
  if (failed(shifted))
    return failure();
  FailureOr<graph::SqrtOp> stdDev = ctx.create<graph::SqrtOp>(*shifted);
  if (failed(stdDev))
    return failure();
  FailureOr<graph::DivOp> invStdDev = ctx.create<graph::DivOp>(*one, *stdDev);
  if (failed(invStdDev))
    return failure();
  FailureOr<graph::MulOp> normalized =
      ctx.create<graph::MulOp>(*centered, *invStdDev);
  if (failed(normalized))
    return failure();
  FailureOr<graph::MulOp> scaled =
      ctx.create<graph::MulOp>(*normalized, ctx.getInput(1));
  if (failed(scaled))
    return failure();
  Value y = *scaled;
  if (Value bias = ctx.getInput(2)) {
    FailureOr<graph::AddOp> biased = ctx.create<graph::AddOp>(y, bias);
    if (failed(biased))
      return failure();
    y = *biased;
  }
  ctx.setResults({y, *mean, *invStdDev});
  return success();
}

static LogicalResult importLayerNormalization(NodeContext &ctx) {
  if (failed(ctx.checkAttributes(
          {{"axis", kInt}, {"epsilon", kFloat}, {"stash_type", kInt}})) ||
      failed(ctx.checkInputs(2, 3)))
    return failure();
  int64_t stashType = ctx.getInt("stash_type", 1);
  if (stashType != 1)
    return ctx.emitError() << "attribute 'stash_type' = " << stashType
                           << " is not supported (only 1, float32)";
  int64_t axis = ctx.getInt("axis", -1);
  float epsilon = ctx.getFloat("epsilon", 1e-5f);
  if (ctx.isOutputUsed(1) || ctx.isOutputUsed(2))
    return importLayerNormalizationWithStatistics(ctx, axis, epsilon);
  OpBuilder &b = ctx.getBuilder();
  return ctx.createAndSetResults<graph::LayerNormalizationOp>(
      ctx.getInput(0), ctx.getInput(1), ctx.getInput(2),
      b.getI64IntegerAttr(axis), b.getF32FloatAttr(epsilon));
}

//===----------------------------------------------------------------------===//
// MaxPool
//===----------------------------------------------------------------------===//

static LogicalResult importMaxPool(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"auto_pad", kString},
                                  {"ceil_mode", kInt},
                                  {"dilations", kInts},
                                  {"kernel_shape", kInts},
                                  {"pads", kInts},
                                  {"storage_order", kInt},
                                  {"strides", kInts}})) ||
      failed(ctx.checkInputs(1, 1)))
    return failure();
  if (ctx.getInt("storage_order", 0) != 0)
    return ctx.emitError() << "attribute 'storage_order' = 1 is not supported";
  if (failed(ctx.checkOutputsUnused(1, "the 'Indices' output is not "
                                       "supported")))
    return failure();
  FailureOr<SpatialAttrs> spatial = resolvePoolingAttrs(ctx);
  if (failed(spatial))
    return failure();
  OpBuilder &b = ctx.getBuilder();
  return ctx.createAndSetResults<graph::MaxPoolOp>(
      ctx.getInput(0), b.getDenseI64ArrayAttr(spatial->kernel),
      b.getDenseI64ArrayAttr(spatial->strides),
      b.getDenseI64ArrayAttr(spatial->pads),
      b.getBoolAttr(ctx.getInt("ceil_mode", 0) != 0),
      b.getDenseI64ArrayAttr(spatial->dilations));
}

//===----------------------------------------------------------------------===//
// Registration
//===----------------------------------------------------------------------===//

void onnx_import::registerOpImportersGtoP(OpImporterRegistry &registry) {
  registry.add("Gather", 11, importGather);
  registry.add("Gelu", 20, importGelu);
  registry.add("Gemm", 11, importGemm);
  registry.add("GlobalAveragePool", 1, importUnary<graph::GlobalAveragePoolOp>);
  registry.add("Hardmax", 1, importCoercedToMatrix<graph::HardmaxOp>);
  registry.add("Hardmax", 13, importAlongAxis<graph::HardmaxOp>);
  registry.add("Identity", 1, importUnary<graph::IdentityOp>);
  registry.add("LayerNormalization", 17, importLayerNormalization);
  registry.add("LogSoftmax", 1, importCoercedToMatrix<graph::LogSoftmaxOp>);
  registry.add("LogSoftmax", 13, importAlongAxis<graph::LogSoftmaxOp>);
  registry.add("MatMul", 1, importBinary<graph::MatMulOp>);
  registry.add("MaxPool", 11, importMaxPool);
  registry.add("Mul", 7, importBinary<graph::MulOp>);
  registry.add("NegativeLogLikelihoodLoss", 12,
               importNegativeLogLikelihoodLoss);
  registry.add("Pow", 7, importBinary<graph::PowOp>);
}
