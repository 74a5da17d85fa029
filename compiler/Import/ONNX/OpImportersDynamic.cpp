//===- OpImportersDynamic.cpp - ONNX ops with data-dependent shapes -------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Builders of the ONNX op types whose output size depends on the values of
// their inputs: NonZero, Compress, Unique and NonMaxSuppression (graph ops
// of GraphDynamicShapeOps.td).
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/ONNX/OpImporters.h"

#include "dialects/Graph/GraphOps.h"

using namespace mlir;
using namespace exaforge;
using namespace exaforge::onnx_import;

namespace graph = exaforge::graph;

/// Returns the optional INT attribute `name` as an `i64` attribute, or null.
static IntegerAttr getOptionalI64Attr(NodeContext &ctx, StringRef name) {
  std::optional<int64_t> value = ctx.getOptionalInt(name);
  return value ? ctx.getBuilder().getI64IntegerAttr(*value) : IntegerAttr();
}

/// NonZero (9, 13): no attributes.
static LogicalResult importNonZero(NodeContext &ctx) {
  return importUnary<graph::NonZeroOp>(ctx);
}

/// Compress (11): `axis` optional (the input is flattened without it).
static LogicalResult importCompress(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"axis", kInt}})) ||
      failed(ctx.checkInputs(2, 2)))
    return failure();
  return ctx.createAndSetResults<graph::CompressOp>(
      ctx.getInput(0), ctx.getInput(1), getOptionalI64Attr(ctx, "axis"));
}

/// Unique (11): `axis` optional, `sorted` (default 1); four outputs.
static LogicalResult importUnique(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"axis", kInt}, {"sorted", kInt}})) ||
      failed(ctx.checkInputs(1, 1)))
    return failure();
  FailureOr<graph::UniqueOp> op = ctx.createWithNumResults<graph::UniqueOp>(
      4, ctx.getInput(0), getOptionalI64Attr(ctx, "axis"),
      ctx.getBuilder().getBoolAttr(ctx.getInt("sorted", 1) != 0));
  if (failed(op))
    return failure();
  ctx.setResults((*op)->getResults());
  return success();
}

/// NonMaxSuppression (10, 11): three optional scalar inputs and
/// `center_point_box` (0 or 1).
static LogicalResult importNonMaxSuppression(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"center_point_box", kInt}})) ||
      failed(ctx.checkInputs(2, 5)))
    return failure();
  int64_t centerPointBox = ctx.getInt("center_point_box", 0);
  if (centerPointBox != 0 && centerPointBox != 1)
    return ctx.emitError() << "'center_point_box' must be 0 or 1, got "
                           << centerPointBox;
  return ctx.createAndSetResults<graph::NonMaxSuppressionOp>(
      ctx.getInput(0), ctx.getInput(1), ctx.getInput(2), ctx.getInput(3),
      ctx.getInput(4), ctx.getBuilder().getI64IntegerAttr(centerPointBox));
}

void onnx_import::registerOpImportersDynamic(OpImporterRegistry &registry) {
  for (int64_t version : {9, 13})
    registry.add("NonZero", version, importNonZero);
  registry.add("Compress", 11, importCompress);
  registry.add("Unique", 11, importUnique);
  for (int64_t version : {10, 11})
    registry.add("NonMaxSuppression", version, importNonMaxSuppression);
}
