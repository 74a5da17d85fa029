//===- OpImportersTraining.cpp - ONNX training ops ------------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Builders of the ops of a training step (graph ops of
// GraphTrainingOps.td):
//  - the optimizers of the `ai.onnx.preview.training` domain, opset 1:
//    Adagrad, Adam and Momentum. Their nodes are variadic: a learning rate
//    R and a step count T, then N tensors X, their N gradients G and N of
//    each state tensor (H for Adagrad; V and H for Adam; V for Momentum);
//    the outputs are the N new X, then N of each new state. Each group of
//    one X becomes one graph op;
//  - BatchNormalization in training mode and Dropout with a run-time
//    training mode or ratio, which the default-domain builders of
//    OpImportersAtoF.cpp hand over.
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/ONNX/OpImporters.h"

#include "dialects/Graph/GraphOps.h"

using namespace mlir;
using namespace exaforge;
using namespace exaforge::onnx_import;

namespace graph = exaforge::graph;

//===----------------------------------------------------------------------===//
// Optimizers
//===----------------------------------------------------------------------===//

/// Checks the variadic inputs of an optimizer node with `groups` tensor
/// groups per updated tensor (X, G and the state tensors) and returns the
/// number N of updated tensors; fails with an error naming the node when
/// the inputs do not split into R, T and `groups` x N tensors.
static FailureOr<unsigned> getOptimizedTensorCount(NodeContext &ctx,
                                                   unsigned groups,
                                                   StringRef layout) {
  unsigned numInputs = ctx.getNumInputs();
  if (numInputs < 2 + groups || (numInputs - 2) % groups != 0)
    return ctx.emitError() << "expected the inputs R, T, " << layout
                           << " (2 + " << groups << " x N inputs), got "
                           << numInputs << " inputs";
  if (failed(ctx.checkInputs(numInputs, numInputs)))
    return failure();
  unsigned count = (numInputs - 2) / groups;
  if (ctx.getNumOutputs() > (groups - 1) * count)
    return ctx.emitError() << "expected at most " << (groups - 1) * count
                           << " outputs for " << count
                           << " optimized tensors, got "
                           << ctx.getNumOutputs();
  return count;
}

/// Returns the FLOAT attribute `name` as an f32 attribute, `dflt` when
/// absent.
static FloatAttr getF32(NodeContext &ctx, StringRef name, float dflt) {
  return ctx.getBuilder().getF32FloatAttr(ctx.getFloat(name, dflt));
}

/// Records the results of an optimizer node: `perTensor[i]` holds the
/// results of the op updating tensor `i` (the new X, then the new states);
/// ONNX orders the outputs by kind, then by tensor.
static void setOptimizerResults(NodeContext &ctx,
                                ArrayRef<SmallVector<Value>> perTensor) {
  SmallVector<Value> results;
  for (unsigned kind = 0, e = perTensor.front().size(); kind < e; ++kind)
    for (const SmallVector<Value> &values : perTensor)
      results.push_back(values[kind]);
  ctx.setResults(results);
}

/// Adagrad (training domain, 1): inputs R, T, X..., G..., H...; outputs
/// X_new..., H_new....
static LogicalResult importAdagrad(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"decay_factor", kFloat},
                                  {"epsilon", kFloat},
                                  {"norm_coefficient", kFloat}})))
    return failure();
  FailureOr<unsigned> count = getOptimizedTensorCount(ctx, 3, "X..., G..., H...");
  if (failed(count))
    return failure();
  SmallVector<SmallVector<Value>> perTensor;
  for (unsigned i = 0; i < *count; ++i) {
    FailureOr<graph::AdagradOp> op = ctx.createWithNumResults<graph::AdagradOp>(
        2, ctx.getInput(0), ctx.getInput(1), ctx.getInput(2 + i),
        ctx.getInput(2 + *count + i), ctx.getInput(2 + 2 * *count + i),
        getF32(ctx, "decay_factor", 0.0f), getF32(ctx, "epsilon", 1e-6f),
        getF32(ctx, "norm_coefficient", 0.0f));
    if (failed(op))
      return failure();
    perTensor.push_back(SmallVector<Value>((*op)->getResults()));
  }
  setOptimizerResults(ctx, perTensor);
  return success();
}

/// Adam (training domain, 1): inputs R, T, X..., G..., V..., H...; outputs
/// X_new..., V_new..., H_new....
static LogicalResult importAdam(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"alpha", kFloat},
                                  {"beta", kFloat},
                                  {"epsilon", kFloat},
                                  {"norm_coefficient", kFloat},
                                  {"norm_coefficient_post", kFloat}})))
    return failure();
  FailureOr<unsigned> count =
      getOptimizedTensorCount(ctx, 4, "X..., G..., V..., H...");
  if (failed(count))
    return failure();
  SmallVector<SmallVector<Value>> perTensor;
  for (unsigned i = 0; i < *count; ++i) {
    FailureOr<graph::AdamOp> op = ctx.createWithNumResults<graph::AdamOp>(
        3, ctx.getInput(0), ctx.getInput(1), ctx.getInput(2 + i),
        ctx.getInput(2 + *count + i), ctx.getInput(2 + 2 * *count + i),
        ctx.getInput(2 + 3 * *count + i), getF32(ctx, "alpha", 0.9f),
        getF32(ctx, "beta", 0.999f), getF32(ctx, "epsilon", 1e-6f),
        getF32(ctx, "norm_coefficient", 0.0f),
        getF32(ctx, "norm_coefficient_post", 0.0f));
    if (failed(op))
      return failure();
    perTensor.push_back(SmallVector<Value>((*op)->getResults()));
  }
  setOptimizerResults(ctx, perTensor);
  return success();
}

/// Momentum (training domain, 1): inputs R, T, X..., G..., V...; outputs
/// X_new..., V_new.... Every attribute is required; `mode` is "standard"
/// or "nesterov".
static LogicalResult importMomentum(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"alpha", kFloat},
                                  {"beta", kFloat},
                                  {"mode", kString},
                                  {"norm_coefficient", kFloat}})))
    return failure();
  for (StringRef name : {"alpha", "beta", "mode", "norm_coefficient"})
    if (!ctx.hasAttr(name))
      return ctx.emitError() << "missing required attribute '" << name << "'";
  std::string mode = ctx.getString("mode", "");
  if (mode != "standard" && mode != "nesterov")
    return ctx.emitError() << "attribute 'mode' is '" << mode
                           << "', expected 'standard' or 'nesterov'";
  FailureOr<unsigned> count = getOptimizedTensorCount(ctx, 3, "X..., G..., V...");
  if (failed(count))
    return failure();
  SmallVector<SmallVector<Value>> perTensor;
  for (unsigned i = 0; i < *count; ++i) {
    FailureOr<graph::MomentumOp> op =
        ctx.createWithNumResults<graph::MomentumOp>(
            2, ctx.getInput(0), ctx.getInput(1), ctx.getInput(2 + i),
            ctx.getInput(2 + *count + i), ctx.getInput(2 + 2 * *count + i),
            getF32(ctx, "alpha", 0.0f), getF32(ctx, "beta", 0.0f),
            getF32(ctx, "norm_coefficient", 0.0f),
            ctx.getBuilder().getBoolAttr(mode == "nesterov"));
    if (failed(op))
      return failure();
    perTensor.push_back(SmallVector<Value>((*op)->getResults()));
  }
  setOptimizerResults(ctx, perTensor);
  return success();
}

//===----------------------------------------------------------------------===//
// BatchNormalization, Dropout (default domain)
//===----------------------------------------------------------------------===//

LogicalResult onnx_import::importBatchNormalizationTraining(NodeContext &ctx) {
  // Opsets 9 to 13 also have the outputs saved_mean and saved_var.
  if (failed(ctx.checkOutputsUnused(
          3, "the outputs 'saved_mean' and 'saved_var' are not supported")))
    return failure();
  FailureOr<graph::BatchNormalizationTrainingOp> op =
      ctx.createWithNumResults<graph::BatchNormalizationTrainingOp>(
          3, ctx.getInput(0), ctx.getInput(1), ctx.getInput(2),
          ctx.getInput(3), ctx.getInput(4), getF32(ctx, "epsilon", 1e-5f),
          getF32(ctx, "momentum", 0.9f));
  if (failed(op))
    return failure();
  ctx.setResults((*op)->getResults());
  return success();
}

/// The seed of a Dropout node without a `seed` attribute: a hash (FNV-1a)
/// of its first output's name, so that two such nodes draw different masks
/// and a compile is reproducible.
static int64_t getDefaultSeed(const onnx::NodeProto &node) {
  uint64_t hash = 0xcbf29ce484222325ull;
  for (char c : node.output(0)) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ull;
  }
  return static_cast<int64_t>(hash);
}

LogicalResult onnx_import::importDropoutTraining(NodeContext &ctx) {
  OpBuilder &b = ctx.getBuilder();
  Value input = ctx.getInput(0);
  Value ratio = ctx.getInput(1);
  if (!ratio) {
    // The default ratio, 0.5, in the input's element type.
    Type elementType = cast<RankedTensorType>(input.getType()).getElementType();
    auto type = RankedTensorType::get({}, elementType);
    ratio = graph::ConstantOp::create(
        b, ctx.getLoc(),
        DenseElementsAttr::get(type, b.getFloatAttr(elementType, 0.5)));
  }
  int64_t seed = ctx.hasAttr("seed") ? ctx.getInt("seed", 0)
                                     : getDefaultSeed(ctx.getNode());
  FailureOr<graph::DropoutOp> op = ctx.createWithNumResults<graph::DropoutOp>(
      2, input, ratio, ctx.getInput(2), b.getI64IntegerAttr(seed));
  if (failed(op))
    return failure();
  ctx.setResults((*op)->getResults());
  return success();
}

//===----------------------------------------------------------------------===//
// Registration
//===----------------------------------------------------------------------===//

void onnx_import::registerOpImportersTraining(OpImporterRegistry &registry) {
  registry.add("Adagrad", 1, importAdagrad, kTrainingDomain);
  registry.add("Adam", 1, importAdam, kTrainingDomain);
  registry.add("Momentum", 1, importMomentum, kTrainingDomain);
}
