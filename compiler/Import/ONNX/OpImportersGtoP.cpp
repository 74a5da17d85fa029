//===- OpImportersGtoP.cpp - ONNX op builders, G to P ---------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Builders of the ONNX op types Gather to PRelu.
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

/// GatherElements (11, 13).
static LogicalResult importGatherElements(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"axis", kInt}})) ||
      failed(ctx.checkInputs(2, 2)))
    return failure();
  return ctx.createAndSetResults<graph::GatherElementsOp>(
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

/// MaxPool (11, 12): `graph.max_pool`, or `graph.max_pool_with_indices`
/// when the second output, Indices, is used.
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
  // `storage_order` only decides how the Indices output counts.
  int64_t storageOrder = ctx.getInt("storage_order", 0);
  if (storageOrder != 0 && storageOrder != 1)
    return ctx.emitError() << "attribute 'storage_order' is " << storageOrder
                           << ", expected 0 (row-major) or 1 (column-major)";
  FailureOr<SpatialAttrs> spatial = resolvePoolingAttrs(ctx);
  if (failed(spatial))
    return failure();
  OpBuilder &b = ctx.getBuilder();
  if (ctx.isOutputUsed(1)) {
    FailureOr<graph::MaxPoolWithIndicesOp> op =
        ctx.createWithNumResults<graph::MaxPoolWithIndicesOp>(
            2, ctx.getInput(0), b.getDenseI64ArrayAttr(spatial->kernel),
            b.getDenseI64ArrayAttr(spatial->strides),
            b.getDenseI64ArrayAttr(spatial->pads),
            b.getBoolAttr(ctx.getInt("ceil_mode", 0) != 0),
            b.getDenseI64ArrayAttr(spatial->dilations),
            b.getBoolAttr(storageOrder == 1));
    if (failed(op))
      return failure();
    ctx.setResults((*op)->getResults());
    return success();
  }
  return ctx.createAndSetResults<graph::MaxPoolOp>(
      ctx.getInput(0), b.getDenseI64ArrayAttr(spatial->kernel),
      b.getDenseI64ArrayAttr(spatial->strides),
      b.getDenseI64ArrayAttr(spatial->pads),
      b.getBoolAttr(ctx.getInt("ceil_mode", 0) != 0),
      b.getDenseI64ArrayAttr(spatial->dilations));
}

//===----------------------------------------------------------------------===//
// Pad
//===----------------------------------------------------------------------===//

/// Pad (11, 13, 18): `pads`, the optional `constant_value` and (from opset
/// 18) the optional `axes` are inputs.
static LogicalResult importPad(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"mode", kString}})) ||
      failed(ctx.checkInputs(2, ctx.getOpset() >= 18 ? 4 : 3)))
    return failure();
  std::string mode = ctx.getString("mode", "constant");
  if (mode != "constant" && mode != "reflect" && mode != "edge")
    return ctx.emitError() << "attribute 'mode' has unsupported value '"
                           << mode << "'";
  return ctx.createAndSetResults<graph::PadOp>(
      ctx.getInput(0), ctx.getInput(1), ctx.getInput(2), ctx.getInput(3),
      ctx.getBuilder().getStringAttr(mode));
}

//===----------------------------------------------------------------------===//
// IsInf
//===----------------------------------------------------------------------===//

static LogicalResult importIsInf(NodeContext &ctx) {
  if (failed(ctx.checkAttributes(
          {{"detect_negative", kInt}, {"detect_positive", kInt}})) ||
      failed(ctx.checkInputs(1, 1)))
    return failure();
  OpBuilder &b = ctx.getBuilder();
  return ctx.createAndSetResults<graph::IsInfOp>(
      ctx.getInput(0), b.getBoolAttr(ctx.getInt("detect_positive", 1) != 0),
      b.getBoolAttr(ctx.getInt("detect_negative", 1) != 0));
}

//===----------------------------------------------------------------------===//
// Mean, Mod
//===----------------------------------------------------------------------===//

/// Mean is the chained sum of the float inputs divided by their count.
static LogicalResult importMean(NodeContext &ctx) {
  FailureOr<Value> sum = buildVariadicChain<graph::AddOp>(ctx);
  if (failed(sum))
    return failure();
  auto sumType = cast<RankedTensorType>(sum->getType());
  Type elementType = sumType.getElementType();
  if (!isa<FloatType>(elementType))
    return ctx.emitError() << "expected float inputs, got " << elementType;
  auto countType = RankedTensorType::get({}, elementType);
  Value count = graph::ConstantOp::create(
      ctx.getBuilder(), ctx.getLoc(),
      DenseElementsAttr::get(
          countType, Attribute(FloatAttr::get(elementType,
                                              ctx.getNumInputs()))));
  return ctx.createAndSetResults<graph::DivOp>(*sum, count);
}

static LogicalResult importMod(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"fmod", kInt}})) ||
      failed(ctx.checkInputs(2, 2)))
    return failure();
  return ctx.createAndSetResults<graph::ModOp>(
      ctx.getInput(0), ctx.getInput(1),
      ctx.getBuilder().getBoolAttr(ctx.getInt("fmod", 0) != 0));
}

//===----------------------------------------------------------------------===//
// Registration
//===----------------------------------------------------------------------===//

/// Identity: a tensor through `graph.identity`; a sequence or an optional
/// is the same value.
static LogicalResult importIdentity(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({})) || failed(ctx.checkInputs(1, 1)))
    return failure();
  if (graph::isSequenceOrOptional(ctx.getInput(0).getType())) {
    ctx.setResults(ctx.getInput(0));
    return success();
  }
  return ctx.createAndSetResults<graph::IdentityOp>(ctx.getInput(0));
}

void onnx_import::registerOpImportersGtoP(OpImporterRegistry &registry) {
  // Versions that only add element types share one builder.
  for (int64_t version : {6, 13}) {
    registry.add("Log", version, importUnary<graph::LogOp>);
    registry.add("Neg", version, importUnary<graph::NegOp>);
  }
  registry.add("Gather", 11, importGather);
  registry.add("GatherElements", 11, importGatherElements);
  registry.add("GatherElements", 13, importGatherElements);
  registry.add("Gelu", 20, importGelu);
  registry.add("Gemm", 11, importGemm);
  registry.add("GlobalAveragePool", 1, importUnary<graph::GlobalAveragePoolOp>);
  registry.add("GlobalMaxPool", 1, importUnary<graph::GlobalMaxPoolOp>);
  for (int64_t version : {7, 9, 13}) {
    registry.add("Greater", version, importBinary<graph::GreaterOp>);
    registry.add("Less", version, importBinary<graph::LessOp>);
  }
  for (int64_t version : {12, 16}) {
    registry.add("GreaterOrEqual", version,
                 importBinary<graph::GreaterOrEqualOp>);
    registry.add("LessOrEqual", version, importBinary<graph::LessOrEqualOp>);
  }
  registry.add("HardSigmoid", 6, [](NodeContext &ctx) {
    return importUnaryWithFloats<graph::HardSigmoidOp>(ctx, "alpha", "beta");
  });
  registry.add("HardSwish", 14, importUnary<graph::HardSwishOp>);
  registry.add("Hardmax", 1, importCoercedToMatrix<graph::HardmaxOp>);
  registry.add("Hardmax", 13, importAlongAxis<graph::HardmaxOp>);
  registry.add("Identity", 1, importIdentity);
  registry.add("IsInf", 10, importIsInf);
  for (int64_t version : {9, 13})
    registry.add("IsNaN", version, importUnary<graph::IsNaNOp>);
  registry.add("LayerNormalization", 17, importLayerNormalization);
  for (int64_t version : {6, 16})
    registry.add("LeakyRelu", version, [](NodeContext &ctx) {
      return importUnaryWithFloats<graph::LeakyReluOp>(ctx, "alpha");
    });
  registry.add("LogSoftmax", 1, importCoercedToMatrix<graph::LogSoftmaxOp>);
  registry.add("LogSoftmax", 13, importAlongAxis<graph::LogSoftmaxOp>);
  registry.add("MatMul", 1, importBinary<graph::MatMulOp>);
  for (int64_t version : {8, 12, 13}) {
    registry.add("Max", version, importVariadic<graph::MaxOp>);
    registry.add("Min", version, importVariadic<graph::MinOp>);
  }
  registry.add("MaxPool", 11, importMaxPool);
  for (int64_t version : {8, 13})
    registry.add("Mean", version, importMean);
  for (int64_t version : {10, 13})
    registry.add("Mod", version, importMod);
  registry.add("Mul", 7, importBinary<graph::MulOp>);
  registry.add("Pad", 11, importPad);
  registry.add("Pad", 13, importPad);
  registry.add("Pad", 18, importPad);
  registry.add("Not", 1, importUnary<graph::NotOp>);
  registry.add("Or", 7, importBinary<graph::OrOp>);
  registry.add("NegativeLogLikelihoodLoss", 12,
               importNegativeLogLikelihoodLoss);
  registry.add("Pow", 7, importBinary<graph::PowOp>);
  for (int64_t version : {7, 9, 16})
    registry.add("PRelu", version, importBinary<graph::PReluOp>);
}
