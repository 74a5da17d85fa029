//===- OpImportersGtoP.cpp - ONNX op builders, G to P ---------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Builders of the ONNX op types Gather to Pow.
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

static LogicalResult importLayerNormalization(NodeContext &ctx) {
  if (failed(ctx.checkAttributes(
          {{"axis", kInt}, {"epsilon", kFloat}, {"stash_type", kInt}})) ||
      failed(ctx.checkInputs(2, 3)))
    return failure();
  int64_t stashType = ctx.getInt("stash_type", 1);
  if (stashType != 1)
    return ctx.emitError() << "attribute 'stash_type' = " << stashType
                           << " is not supported (only 1, float32)";
  if (failed(ctx.checkOutputsUnused(
          1, "the 'Mean' and 'InvStdDev' outputs are not supported")))
    return failure();
  OpBuilder &b = ctx.getBuilder();
  return ctx.createAndSetResults<graph::LayerNormalizationOp>(
      ctx.getInput(0), ctx.getInput(1), ctx.getInput(2),
      b.getI64IntegerAttr(ctx.getInt("axis", -1)),
      b.getF32FloatAttr(ctx.getFloat("epsilon", 1e-5f)));
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
  std::optional<SmallVector<int64_t>> kernel = ctx.getInts("kernel_shape");
  if (!kernel)
    return ctx.emitError() << "missing required attribute 'kernel_shape'";
  FailureOr<SpatialAttrs> spatial =
      resolveSpatialAttrs(ctx, ctx.getInput(0), *kernel);
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
  registry.add("Identity", 1, importUnary<graph::IdentityOp>);
  registry.add("LayerNormalization", 17, importLayerNormalization);
  registry.add("MatMul", 1, importBinary<graph::MatMulOp>);
  registry.add("MaxPool", 11, importMaxPool);
  registry.add("Mul", 7, importBinary<graph::MulOp>);
  registry.add("Pow", 7, importBinary<graph::PowOp>);
}
