//===- OpImportersSampling.cpp - ONNX GridSample and RoiAlign -------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Builders of the ONNX op types that sample an image at fractional
// coordinates: GridSample and RoiAlign (graph ops of GraphSamplingOps.td).
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/ONNX/OpImporters.h"

#include "dialects/Graph/GraphOps.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace exaforge;
using namespace exaforge::onnx_import;

namespace graph = exaforge::graph;

/// Fails with an error naming the node when the STRING attribute `name`
/// (whose value is `value`) is not one of `accepted`.
static LogicalResult checkChoice(NodeContext &ctx, StringRef name,
                                 StringRef value,
                                 ArrayRef<StringRef> accepted) {
  if (llvm::is_contained(accepted, value))
    return success();
  InFlightDiagnostic diag = ctx.emitError();
  diag << "unsupported " << name << " '" << value << "' (expected one of";
  llvm::interleave(
      accepted, [&](StringRef choice) { diag << " " << choice; },
      [&] { diag << ","; });
  return diag << ")";
}

/// GridSample (16): 4-D input; `mode` bilinear, nearest or bicubic.
static LogicalResult importGridSample(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"align_corners", kInt},
                                  {"mode", kString},
                                  {"padding_mode", kString}})) ||
      failed(ctx.checkInputs(2, 2)))
    return failure();
  std::string mode = ctx.getString("mode", "bilinear");
  std::string paddingMode = ctx.getString("padding_mode", "zeros");
  if (failed(
          checkChoice(ctx, "mode", mode, {"bilinear", "nearest", "bicubic"})) ||
      failed(checkChoice(ctx, "padding_mode", paddingMode,
                         {"zeros", "border", "reflection"})))
    return failure();
  OpBuilder &b = ctx.getBuilder();
  return ctx.createAndSetResults<graph::GridSampleOp>(
      ctx.getInput(0), ctx.getInput(1),
      b.getBoolAttr(ctx.getInt("align_corners", 0) != 0), b.getStringAttr(mode),
      b.getStringAttr(paddingMode));
}

/// RoiAlign (10, 16): opset 16 added `coordinate_transformation_mode`
/// (default half_pixel); before it the regions were not shifted
/// (output_half_pixel).
static LogicalResult importRoiAlign(NodeContext &ctx) {
  SmallVector<KnownAttr> known = {{"mode", kString},
                                  {"output_height", kInt},
                                  {"output_width", kInt},
                                  {"sampling_ratio", kInt},
                                  {"spatial_scale", kFloat}};
  if (ctx.getOpset() >= 16)
    known.push_back({"coordinate_transformation_mode", kString});
  if (failed(ctx.checkAttributes(known)) || failed(ctx.checkInputs(3, 3)))
    return failure();
  std::string coordinateMode =
      ctx.getString("coordinate_transformation_mode",
                    ctx.getOpset() >= 16 ? "half_pixel" : "output_half_pixel");
  std::string mode = ctx.getString("mode", "avg");
  if (failed(checkChoice(ctx, "coordinate_transformation_mode", coordinateMode,
                         {"half_pixel", "output_half_pixel"})) ||
      failed(checkChoice(ctx, "mode", mode, {"avg", "max"})))
    return failure();
  int64_t height = ctx.getInt("output_height", 1);
  int64_t width = ctx.getInt("output_width", 1);
  int64_t samplingRatio = ctx.getInt("sampling_ratio", 0);
  if (height < 1 || width < 1 || samplingRatio < 0)
    return ctx.emitError() << "'output_height' and 'output_width' must be "
                              "positive and 'sampling_ratio' not negative";
  OpBuilder &b = ctx.getBuilder();
  return ctx.createAndSetResults<graph::RoiAlignOp>(
      ctx.getInput(0), ctx.getInput(1), ctx.getInput(2),
      b.getStringAttr(coordinateMode), b.getStringAttr(mode),
      b.getI64IntegerAttr(height), b.getI64IntegerAttr(width),
      b.getI64IntegerAttr(samplingRatio),
      b.getF32FloatAttr(ctx.getFloat("spatial_scale", 1.0f)));
}

void onnx_import::registerOpImportersSampling(OpImporterRegistry &registry) {
  registry.add("GridSample", 16, importGridSample);
  for (int64_t version : {10, 16})
    registry.add("RoiAlign", version, importRoiAlign);
}
