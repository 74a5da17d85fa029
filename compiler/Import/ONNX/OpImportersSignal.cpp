//===- OpImportersSignal.cpp - ONNX signal processing ops -----------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Builders of the ONNX signal processing op types of opset 17: DFT, STFT,
// HannWindow, HammingWindow, BlackmanWindow (one graph op,
// `graph.cosine_sum_window`, with each window's coefficients) and
// MelWeightMatrix (graph ops of GraphSignalOps.td).
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/ONNX/OpImporters.h"

#include "dialects/Graph/GraphOps.h"

using namespace mlir;
using namespace exaforge;
using namespace exaforge::onnx_import;

namespace graph = exaforge::graph;

/// The float element type named by the `output_datatype` attribute (FLOAT
/// when absent), or an error naming the node.
static FailureOr<Type> getOutputDataType(NodeContext &ctx) {
  int64_t onnxType = ctx.getInt("output_datatype", onnx::TensorProto::FLOAT);
  FailureOr<Type> type =
      convertElementType(ctx.getContext(), static_cast<int32_t>(onnxType),
                         "output_datatype", ctx.getLoc());
  if (failed(type))
    return failure();
  if (!isa<FloatType>(*type))
    return ctx.emitError() << "'output_datatype' must be a float type, got "
                           << getOnnxTypeName(static_cast<int32_t>(onnxType));
  return type;
}

/// DFT (17): `axis`, `inverse`, `onesided`; `dft_length` optional.
static LogicalResult importDFT(NodeContext &ctx) {
  if (failed(ctx.checkAttributes(
          {{"axis", kInt}, {"inverse", kInt}, {"onesided", kInt}})) ||
      failed(ctx.checkInputs(1, 2)))
    return failure();
  OpBuilder &b = ctx.getBuilder();
  return ctx.createAndSetResults<graph::DFTOp>(
      ctx.getInput(0), ctx.getInput(1),
      b.getI64IntegerAttr(ctx.getInt("axis", 1)),
      b.getBoolAttr(ctx.getInt("inverse", 0) != 0),
      b.getBoolAttr(ctx.getInt("onesided", 0) != 0));
}

/// STFT (17): `signal`, `frame_step`, optional `window` and `frame_length`.
static LogicalResult importSTFT(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"onesided", kInt}})) ||
      failed(ctx.checkInputs(2, 4)))
    return failure();
  return ctx.createAndSetResults<graph::STFTOp>(
      ctx.getInput(0), ctx.getInput(1), ctx.getInput(2), ctx.getInput(3),
      ctx.getBuilder().getBoolAttr(ctx.getInt("onesided", 1) != 0));
}

/// HannWindow, HammingWindow, BlackmanWindow (17): the cosine-sum window
/// with coefficients `a0`, `a1`, `a2` (as the ONNX function bodies spell
/// them).
template <int64_t Kind>
static LogicalResult importCosineSumWindow(NodeContext &ctx) {
  static constexpr double kCoefficients[3][3] = {
      {0.5, 0.5, 0.0},                 // HannWindow
      {25.0 / 46.0, 21.0 / 46.0, 0.0}, // HammingWindow
      {0.42, 0.5, 0.08}};              // BlackmanWindow
  if (failed(ctx.checkAttributes(
          {{"output_datatype", kInt}, {"periodic", kInt}})) ||
      failed(ctx.checkInputs(1, 1)))
    return failure();
  FailureOr<Type> elementType = getOutputDataType(ctx);
  if (failed(elementType))
    return failure();
  OpBuilder &b = ctx.getBuilder();
  const double *a = kCoefficients[Kind];
  return ctx.createAndSetResults<graph::CosineSumWindowOp>(
      ctx.getInput(0), b.getF64FloatAttr(a[0]), b.getF64FloatAttr(a[1]),
      b.getF64FloatAttr(a[2]), b.getBoolAttr(ctx.getInt("periodic", 1) != 0),
      TypeAttr::get(*elementType));
}

/// MelWeightMatrix (17): five scalar inputs, `output_datatype`.
static LogicalResult importMelWeightMatrix(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"output_datatype", kInt}})) ||
      failed(ctx.checkInputs(5, 5)))
    return failure();
  FailureOr<Type> elementType = getOutputDataType(ctx);
  if (failed(elementType))
    return failure();
  return ctx.createAndSetResults<graph::MelWeightMatrixOp>(
      ctx.getInput(0), ctx.getInput(1), ctx.getInput(2), ctx.getInput(3),
      ctx.getInput(4), TypeAttr::get(*elementType));
}

void onnx_import::registerOpImportersSignal(OpImporterRegistry &registry) {
  registry.add("DFT", 17, importDFT);
  registry.add("STFT", 17, importSTFT);
  registry.add("HannWindow", 17, importCosineSumWindow<0>);
  registry.add("HammingWindow", 17, importCosineSumWindow<1>);
  registry.add("BlackmanWindow", 17, importCosineSumWindow<2>);
  registry.add("MelWeightMatrix", 17, importMelWeightMatrix);
}
