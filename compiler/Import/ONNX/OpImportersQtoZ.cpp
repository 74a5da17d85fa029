//===- OpImportersQtoZ.cpp - ONNX op builders, Q to Z ---------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Builders of the ONNX op types Reciprocal to Xor, including the opset
// Builders of the ONNX op types ReduceL1 to Where, including the opset
// upgrades where an attribute became an input (Split, Squeeze, Unsqueeze,
// the reductions), the pre-13 Softmax/LogSoftmax/Hardmax semantics and
// SoftmaxCrossEntropyLoss (LogSoftmax then NegativeLogLikelihoodLoss).
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
// Reductions
//===----------------------------------------------------------------------===//

/// Imports a reduction whose axes are the `axes` attribute (ReduceSum before
/// opset 13, the other reductions before opset 18).
template <typename OpTy>
static LogicalResult importReduceWithAxesAttr(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"axes", kInts}, {"keepdims", kInt}})) ||
      failed(ctx.checkInputs(1, 1)))
    return failure();
  Value axes;
  if (std::optional<SmallVector<int64_t>> attr = ctx.getInts("axes"))
    axes = ctx.createI64Constant(*attr);
  OpBuilder &b = ctx.getBuilder();
  return ctx.createAndSetResults<OpTy>(
      ctx.getInput(0), axes, b.getBoolAttr(ctx.getInt("keepdims", 1) != 0),
      b.getBoolAttr(false));
}

/// Imports a reduction whose axes are an optional input.
template <typename OpTy>
static LogicalResult importReduceWithAxesInput(NodeContext &ctx) {
  if (failed(ctx.checkAttributes(
          {{"keepdims", kInt}, {"noop_with_empty_axes", kInt}})) ||
      failed(ctx.checkInputs(1, 2)))
    return failure();
  OpBuilder &b = ctx.getBuilder();
  return ctx.createAndSetResults<OpTy>(
      ctx.getInput(0), ctx.getInput(1),
      b.getBoolAttr(ctx.getInt("keepdims", 1) != 0),
      b.getBoolAttr(ctx.getInt("noop_with_empty_axes", 0) != 0));
}

//===----------------------------------------------------------------------===//
// Range
//===----------------------------------------------------------------------===//

/// Range (11): `start`, `limit` and `delta` are scalar inputs.
static LogicalResult importRange(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({})) || failed(ctx.checkInputs(3, 3)))
    return failure();
  return ctx.createAndSetResults<graph::RangeOp>(
      ctx.getInput(0), ctx.getInput(1), ctx.getInput(2));
}

//===----------------------------------------------------------------------===//
// Reshape, Shape
//===----------------------------------------------------------------------===//

static LogicalResult importReshape(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"allowzero", kInt}})) ||
      failed(ctx.checkInputs(2, 2)))
    return failure();
  return ctx.createAndSetResults<graph::ReshapeOp>(
      ctx.getInput(0), ctx.getInput(1),
      ctx.getBuilder().getBoolAttr(ctx.getInt("allowzero", 0) != 0));
}

static LogicalResult importShape(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"start", kInt}, {"end", kInt}})) ||
      failed(ctx.checkInputs(1, 1)))
    return failure();
  OpBuilder &b = ctx.getBuilder();
  std::optional<int64_t> end = ctx.getOptionalInt("end");
  return ctx.createAndSetResults<graph::ShapeOp>(
      ctx.getInput(0), b.getI64IntegerAttr(ctx.getInt("start", 0)),
      end ? b.getI64IntegerAttr(*end) : IntegerAttr());
}

//===----------------------------------------------------------------------===//
// Slice
//===----------------------------------------------------------------------===//

static LogicalResult importSlice(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({})) || failed(ctx.checkInputs(3, 5)))
    return failure();
  return ctx.createAndSetResults<graph::SliceOp>(
      ctx.getInput(0), ctx.getInput(1), ctx.getInput(2), ctx.getInput(3),
      ctx.getInput(4));
}

//===----------------------------------------------------------------------===//
// Softmax
//===----------------------------------------------------------------------===//

LogicalResult onnx_import::importCoercedToMatrix(NodeContext &ctx,
                                                LastAxisBuilder build) {
  if (failed(ctx.checkAttributes({{"axis", kInt}})) ||
      failed(ctx.checkInputs(1, 1)))
    return failure();
  Value input = ctx.getInput(0);
  int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
  int64_t axis = ctx.getInt("axis", 1);
  if (axis < -rank || axis >= std::max<int64_t>(rank, 1))
    return ctx.emitError() << "attribute 'axis' = " << axis
                           << " is out of range for an input of rank " << rank;
  if (axis < 0)
    axis += rank;
  OpBuilder &b = ctx.getBuilder();
  if (axis == rank - 1) {
    FailureOr<Value> result = build(input);
    if (failed(result))
      return failure();
    ctx.setResults(*result);
    return success();
  }
  auto flat = ctx.create<graph::FlattenOp>(input, b.getI64IntegerAttr(axis));
  if (failed(flat))
    return failure();
  FailureOr<Value> normalized = build(flat->getResult());
  if (failed(normalized))
    return failure();
  // A static shape is a constant; a dynamic one is read with graph.shape.
  auto inputType = cast<RankedTensorType>(input.getType());
  Value shape;
  if (inputType.hasStaticShape()) {
    shape = ctx.createI64Constant(inputType.getShape());
  } else {
    auto shapeOp = ctx.create<graph::ShapeOp>(input, b.getI64IntegerAttr(0),
                                              IntegerAttr());
    if (failed(shapeOp))
      return failure();
    shape = shapeOp->getResult();
  }
  auto reshape =
      ctx.create<graph::ReshapeOp>(*normalized, shape, b.getBoolAttr(false));
  if (failed(reshape))
    return failure();
  ctx.setResults((*reshape)->getResults());
  return success();
}

//===----------------------------------------------------------------------===//
// SoftmaxCrossEntropyLoss
//===----------------------------------------------------------------------===//

/// Imports SoftmaxCrossEntropyLoss as LogSoftmax over the class dimension
/// (1) followed by NegativeLogLikelihoodLoss; the optional second output is
/// the LogSoftmax.
static LogicalResult importSoftmaxCrossEntropyLoss(NodeContext &ctx) {
  if (failed(ctx.checkAttributes(
          {{"reduction", kString}, {"ignore_index", kInt}})) ||
      failed(ctx.checkInputs(2, 3)))
    return failure();
  OpBuilder &b = ctx.getBuilder();
  Value scores = ctx.getInput(0);
  if (cast<RankedTensorType>(scores.getType()).getRank() < 2)
    return ctx.emitError() << "'scores' must have rank 2 or more";
  auto logProb =
      ctx.create<graph::LogSoftmaxOp>(scores, b.getI64IntegerAttr(1));
  if (failed(logProb))
    return failure();
  std::optional<int64_t> ignoreIndex = ctx.getOptionalInt("ignore_index");
  auto loss = ctx.create<graph::NegativeLogLikelihoodLossOp>(
      logProb->getResult(), ctx.getInput(1), ctx.getInput(2),
      b.getStringAttr(ctx.getString("reduction", "mean")),
      ignoreIndex ? b.getI64IntegerAttr(*ignoreIndex) : IntegerAttr());
  if (failed(loss))
    return failure();
  ctx.setResults({loss->getResult(), logProb->getResult()});
  return success();
}

//===----------------------------------------------------------------------===//
// SpaceToDepth
//===----------------------------------------------------------------------===//

static LogicalResult importSpaceToDepth(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"blocksize", kInt}})) ||
      failed(ctx.checkInputs(1, 1)))
    return failure();
  std::optional<int64_t> blocksize = ctx.getOptionalInt("blocksize");
  if (!blocksize || *blocksize <= 0)
    return ctx.emitError() << "needs a positive 'blocksize' attribute";
  return ctx.createAndSetResults<graph::SpaceToDepthOp>(
      ctx.getInput(0), ctx.getBuilder().getI64IntegerAttr(*blocksize));
}

//===----------------------------------------------------------------------===//
// Split
//===----------------------------------------------------------------------===//

/// Creates the graph.split of a node with `split` sizes (may be null).
static LogicalResult buildSplit(NodeContext &ctx, Value split) {
  unsigned numOutputs = ctx.getNumOutputs();
  if (numOutputs == 0)
    return ctx.emitError() << "expected at least 1 output";
  OpBuilder &b = ctx.getBuilder();
  auto op = ctx.createWithNumResults<graph::SplitOp>(
      numOutputs, ctx.getInput(0), split,
      b.getI64IntegerAttr(ctx.getInt("axis", 0)),
      b.getI64IntegerAttr(numOutputs));
  if (failed(op))
    return failure();
  ctx.setResults((*op)->getResults());
  return success();
}

/// Opset 11 and 12: sizes are the optional `split` attribute.
static LogicalResult importSplitV11(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"axis", kInt}, {"split", kInts}})) ||
      failed(ctx.checkInputs(1, 1)))
    return failure();
  Value split;
  if (std::optional<SmallVector<int64_t>> sizes = ctx.getInts("split"))
    split = ctx.createI64Constant(*sizes);
  return buildSplit(ctx, split);
}

/// Opset 13 to 17: sizes are the optional second input.
static LogicalResult importSplitV13(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"axis", kInt}})) ||
      failed(ctx.checkInputs(1, 2)))
    return failure();
  return buildSplit(ctx, ctx.getInput(1));
}

/// Opset 18: either the sizes input or the `num_outputs` attribute.
static LogicalResult importSplitV18(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"axis", kInt}, {"num_outputs", kInt}})) ||
      failed(ctx.checkInputs(1, 2)))
    return failure();
  std::optional<int64_t> numOutputs = ctx.getOptionalInt("num_outputs");
  if (numOutputs.has_value() == static_cast<bool>(ctx.getInput(1)))
    return ctx.emitError() << "expected exactly one of the 'split' input "
                              "and the 'num_outputs' attribute";
  if (numOutputs && *numOutputs != ctx.getNumOutputs())
    return ctx.emitError() << "attribute 'num_outputs' = " << *numOutputs
                           << " does not match the " << ctx.getNumOutputs()
                           << " outputs of the node";
  return buildSplit(ctx, ctx.getInput(1));
}

//===----------------------------------------------------------------------===//
// Squeeze, Unsqueeze
//===----------------------------------------------------------------------===//

/// Opset 11 and 12: the optional `axes` attribute.
static LogicalResult importSqueezeV11(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"axes", kInts}})) ||
      failed(ctx.checkInputs(1, 1)))
    return failure();
  Value axes;
  if (std::optional<SmallVector<int64_t>> attr = ctx.getInts("axes"))
    axes = ctx.createI64Constant(*attr);
  return ctx.createAndSetResults<graph::SqueezeOp>(ctx.getInput(0), axes);
}

static LogicalResult importSqueeze(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({})) || failed(ctx.checkInputs(1, 2)))
    return failure();
  return ctx.createAndSetResults<graph::SqueezeOp>(ctx.getInput(0),
                                                   ctx.getInput(1));
}

/// Opset 11 and 12: the required `axes` attribute.
static LogicalResult importUnsqueezeV11(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"axes", kInts}})) ||
      failed(ctx.checkInputs(1, 1)))
    return failure();
  std::optional<SmallVector<int64_t>> axes = ctx.getInts("axes");
  if (!axes)
    return ctx.emitError() << "missing required attribute 'axes'";
  return ctx.createAndSetResults<graph::UnsqueezeOp>(
      ctx.getInput(0), ctx.createI64Constant(*axes));
}

//===----------------------------------------------------------------------===//
// Transpose, Where
//===----------------------------------------------------------------------===//

static LogicalResult importTranspose(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"perm", kInts}})) ||
      failed(ctx.checkInputs(1, 1)))
    return failure();
  SmallVector<int64_t> perm;
  if (std::optional<SmallVector<int64_t>> attr = ctx.getInts("perm")) {
    perm = *attr;
  } else {
    int64_t rank = cast<RankedTensorType>(ctx.getInput(0).getType()).getRank();
    for (int64_t i = rank - 1; i >= 0; --i)
      perm.push_back(i);
  }
  return ctx.createAndSetResults<graph::TransposeOp>(
      ctx.getInput(0), ctx.getBuilder().getDenseI64ArrayAttr(perm));
}

static LogicalResult importWhere(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({})) || failed(ctx.checkInputs(3, 3)))
    return failure();
  return ctx.createAndSetResults<graph::WhereOp>(
      ctx.getInput(0), ctx.getInput(1), ctx.getInput(2));
}

//===----------------------------------------------------------------------===//
// Tile
//===----------------------------------------------------------------------===//

/// Tile (6, 13): `repeats` is an input, possibly read at run time.
static LogicalResult importTile(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({})) || failed(ctx.checkInputs(2, 2)))
    return failure();
  return ctx.createAndSetResults<graph::TileOp>(ctx.getInput(0),
                                                ctx.getInput(1));
}

//===----------------------------------------------------------------------===//
// Trilu
//===----------------------------------------------------------------------===//

/// Trilu: `k` (optional second input) is read at run time.
static LogicalResult importTrilu(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"upper", kInt}})) ||
      failed(ctx.checkInputs(1, 2)))
    return failure();
  return ctx.createAndSetResults<graph::TriluOp>(
      ctx.getInput(0), ctx.getInput(1),
      ctx.getBuilder().getBoolAttr(ctx.getInt("upper", 1) != 0));
}

//===----------------------------------------------------------------------===//
// Registration
//===----------------------------------------------------------------------===//

void onnx_import::registerOpImportersQtoZ(OpImporterRegistry &registry) {
  registry.add("Range", 11, importRange);
  for (int64_t version : {6, 13})
    registry.add("Reciprocal", version, importUnary<graph::ReciprocalOp>);
  registry.add("ReduceL1", 1, importReduceWithAxesAttr<graph::ReduceL1Op>);
  registry.add("ReduceL1", 18, importReduceWithAxesInput<graph::ReduceL1Op>);
  registry.add("ReduceL2", 1, importReduceWithAxesAttr<graph::ReduceL2Op>);
  registry.add("ReduceL2", 18, importReduceWithAxesInput<graph::ReduceL2Op>);
  registry.add("ReduceLogSum", 1,
               importReduceWithAxesAttr<graph::ReduceLogSumOp>);
  registry.add("ReduceLogSum", 18,
               importReduceWithAxesInput<graph::ReduceLogSumOp>);
  registry.add("ReduceLogSumExp", 1,
               importReduceWithAxesAttr<graph::ReduceLogSumExpOp>);
  registry.add("ReduceLogSumExp", 18,
               importReduceWithAxesInput<graph::ReduceLogSumExpOp>);
  registry.add("ReduceMax", 1, importReduceWithAxesAttr<graph::ReduceMaxOp>);
  registry.add("ReduceMax", 18, importReduceWithAxesInput<graph::ReduceMaxOp>);
  registry.add("ReduceMean", 1, importReduceWithAxesAttr<graph::ReduceMeanOp>);
  registry.add("ReduceMean", 18,
               importReduceWithAxesInput<graph::ReduceMeanOp>);
  registry.add("ReduceMin", 1, importReduceWithAxesAttr<graph::ReduceMinOp>);
  registry.add("ReduceMin", 18, importReduceWithAxesInput<graph::ReduceMinOp>);
  registry.add("ReduceProd", 1, importReduceWithAxesAttr<graph::ReduceProdOp>);
  registry.add("ReduceProd", 18,
               importReduceWithAxesInput<graph::ReduceProdOp>);
  registry.add("ReduceSum", 1, importReduceWithAxesAttr<graph::ReduceSumOp>);
  registry.add("ReduceSum", 13, importReduceWithAxesInput<graph::ReduceSumOp>);
  registry.add("ReduceSumSquare", 1,
               importReduceWithAxesAttr<graph::ReduceSumSquareOp>);
  registry.add("ReduceSumSquare", 18,
               importReduceWithAxesInput<graph::ReduceSumSquareOp>);
  registry.add("Relu", 6, importUnary<graph::ReluOp>);
  registry.add("Reshape", 5, importReshape);
  registry.add("Round", 11, importUnary<graph::RoundOp>);
  registry.add("Selu", 6, [](NodeContext &ctx) {
    return importUnaryWithFloats<graph::SeluOp>(ctx, "alpha", "gamma");
  });
  registry.add("Shape", 1, importShape);
  registry.add("Shrink", 9, [](NodeContext &ctx) {
    return importUnaryWithFloats<graph::ShrinkOp>(ctx, "bias", "lambd");
  });
  registry.add("Sigmoid", 6, importUnary<graph::SigmoidOp>);
  registry.add("Size", 1, importUnary<graph::SizeOp>);
  registry.add("Size", 13, importUnary<graph::SizeOp>);
  for (int64_t version : {9, 13})
    registry.add("Sign", version, importUnary<graph::SignOp>);
  registry.add("Sin", 7, importUnary<graph::SinOp>);
  registry.add("Sinh", 9, importUnary<graph::SinhOp>);
  registry.add("Slice", 11, importSlice);
  registry.add("Softplus", 1, importUnary<graph::SoftplusOp>);
  registry.add("Softsign", 1, importUnary<graph::SoftsignOp>);
  registry.add("SpaceToDepth", 1, importSpaceToDepth);
  registry.add("SpaceToDepth", 13, importSpaceToDepth);
  registry.add("Softmax", 1, importCoercedToMatrix<graph::SoftmaxOp>);
  registry.add("Softmax", 13, importAlongAxis<graph::SoftmaxOp>);
  registry.add("SoftmaxCrossEntropyLoss", 12, importSoftmaxCrossEntropyLoss);
  registry.add("Split", 11, importSplitV11);
  registry.add("Split", 13, importSplitV13);
  registry.add("Split", 18, importSplitV18);
  registry.add("Sqrt", 6, importUnary<graph::SqrtOp>);
  registry.add("Squeeze", 11, importSqueezeV11);
  registry.add("Squeeze", 13, importSqueeze);
  registry.add("Sub", 7, importBinary<graph::SubOp>);
  for (int64_t version : {8, 13})
    registry.add("Sum", version, importVariadic<graph::AddOp>);
  registry.add("Tan", 7, importUnary<graph::TanOp>);
  registry.add("Tanh", 6, importUnary<graph::TanhOp>);
  registry.add("Tile", 6, importTile);
  registry.add("Tile", 13, importTile);
  registry.add("ThresholdedRelu", 10, [](NodeContext &ctx) {
    return importUnaryWithFloats<graph::ThresholdedReluOp>(ctx, "alpha");
  });
  registry.add("Transpose", 1, importTranspose);
  registry.add("Trilu", 14, importTrilu);
  registry.add("Unsqueeze", 11, importUnsqueezeV11);
  registry.add("Unsqueeze", 13, importBinary<graph::UnsqueezeOp>);
  registry.add("Where", 9, importWhere);
  registry.add("Xor", 7, importBinary<graph::XorOp>);
}
