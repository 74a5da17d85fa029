//===- OpImportersRecurrent.cpp - ONNX LSTM, GRU and RNN ------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Builders of the recurrent ONNX ops (opset 7 and 14 forms). The graph ops
// have one layout, ONNX's layout 0 (`X` is `[seq, batch, input]`): a
// layout-1 node is imported with transposes of `X`, of the initial states
// and of the outputs. Activation functions get their alpha and beta
// resolved here (ONNX's defaults where the node gives none), so the graph
// op carries one alpha and one beta per activation.
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/ONNX/OpImporters.h"

#include "dialects/Graph/GraphOps.h"

#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;
using namespace exaforge;
using namespace exaforge::onnx_import;

namespace graph = exaforge::graph;

namespace {

/// What distinguishes LSTM, GRU and RNN in their import.
struct RecurrentKind {
  /// Number of node inputs (LSTM: 8, with initial_c and P).
  unsigned maxInputs;
  /// The default activation functions of one direction.
  ArrayRef<StringRef> defaultActivations;
  /// The op's own INT attribute (input_forget, linear_before_reset), if any.
  StringRef extraIntAttr;
};

/// The activations of a node with their alpha and beta, one entry per
/// activation of every direction.
struct Activations {
  SmallVector<Attribute> names;
  SmallVector<float> alpha, beta;
};

/// Resolves the node's `activations` (the defaults of every direction when
/// absent) and hands out `activation_alpha` and `activation_beta` in order
/// to the activations that take them, as onnxruntime does; the others get
/// ONNX's defaults. Fails on unknown functions and unused values.
FailureOr<Activations> resolveActivations(NodeContext &ctx,
                                          const RecurrentKind &kind,
                                          int64_t directions) {
  SmallVector<std::string> names;
  if (const onnx::AttributeProto *attr = ctx.getAttr("activations")) {
    for (const std::string &name : attr->strings())
      names.push_back(name);
  } else {
    for (int64_t d = 0; d < directions; ++d)
      for (StringRef name : kind.defaultActivations)
        names.push_back(name.str());
  }
  int64_t expected =
      directions * static_cast<int64_t>(kind.defaultActivations.size());
  if (static_cast<int64_t>(names.size()) != expected)
    return ctx.emitError() << "attribute 'activations' has " << names.size()
                           << " entries, expected " << expected;
  auto floats = [&](StringRef name) {
    SmallVector<float> values;
    if (const onnx::AttributeProto *attr = ctx.getAttr(name))
      values.assign(attr->floats().begin(), attr->floats().end());
    return values;
  };
  SmallVector<float> alphas = floats("activation_alpha");
  SmallVector<float> betas = floats("activation_beta");
  size_t nextAlpha = 0, nextBeta = 0;
  Activations result;
  Builder b(ctx.getContext());
  for (const std::string &name : names) {
    if (!graph::isRecurrentActivation(name))
      return ctx.emitError() << "activation function '" << name
                             << "' is not supported";
    result.names.push_back(b.getStringAttr(name));
    float alpha = graph::getRecurrentActivationDefaultAlpha(name);
    float beta = graph::getRecurrentActivationDefaultBeta(name);
    if (graph::recurrentActivationUsesAlpha(name) && nextAlpha < alphas.size())
      alpha = alphas[nextAlpha++];
    if (graph::recurrentActivationUsesBeta(name) && nextBeta < betas.size())
      beta = betas[nextBeta++];
    result.alpha.push_back(alpha);
    result.beta.push_back(beta);
  }
  if (nextAlpha != alphas.size() || nextBeta != betas.size())
    return ctx.emitError()
           << "'activation_alpha' or 'activation_beta' has more values than "
              "the activation functions take";
  return result;
}

/// Transposes `value` by `perm` with a graph.transpose; null stays null.
FailureOr<Value> transposeIfPresent(NodeContext &ctx, Value value,
                                    ArrayRef<int64_t> perm) {
  if (!value)
    return Value();
  FailureOr<graph::TransposeOp> op = ctx.create<graph::TransposeOp>(
      value, ctx.getBuilder().getDenseI64ArrayAttr(perm));
  if (failed(op))
    return failure();
  return op->getResult();
}

/// A recurrent node's operands and attributes, resolved for its graph op.
struct RecurrentImport {
  /// The node's inputs in layout 0 (null where absent).
  SmallVector<Value> inputs;
  IntegerAttr hiddenSize;
  StringAttr direction;
  ArrayAttr activations;
  DenseF32ArrayAttr alpha, beta;
  /// Null without a `clip` attribute.
  FloatAttr clip;
  /// The node's `layout` (0 or 1).
  int64_t layout = 0;
};

/// Checks the attributes and inputs of a recurrent node (`kind`) and
/// resolves them for its graph op; layout-1 inputs are transposed.
FailureOr<RecurrentImport> prepareRecurrent(NodeContext &ctx,
                                            const RecurrentKind &kind) {
  SmallVector<KnownAttr> known = {{"activation_alpha", kFloats},
                                  {"activation_beta", kFloats},
                                  {"activations", onnx::AttributeProto::STRINGS},
                                  {"clip", kFloat},
                                  {"direction", kString},
                                  {"hidden_size", kInt},
                                  {"layout", kInt}};
  if (!kind.extraIntAttr.empty())
    known.push_back({kind.extraIntAttr, kInt});
  if (failed(ctx.checkAttributes(known)) ||
      failed(ctx.checkInputs(3, kind.maxInputs)))
    return failure();
  if (ctx.getOpset() < 14 && ctx.hasAttr("layout"))
    return ctx.emitError() << "attribute 'layout' exists from opset 14 on";
  OpBuilder &b = ctx.getBuilder();
  RecurrentImport result;
  std::string direction = ctx.getString("direction", "forward");
  if (direction != "forward" && direction != "reverse" &&
      direction != "bidirectional")
    return ctx.emitError() << "attribute 'direction' has unsupported value '"
                           << direction << "'";
  result.direction = b.getStringAttr(direction);
  int64_t directions = direction == "bidirectional" ? 2 : 1;
  result.layout = ctx.getInt("layout", 0);
  if (result.layout != 0 && result.layout != 1)
    return ctx.emitError() << "attribute 'layout' must be 0 or 1, got "
                           << result.layout;
  std::optional<int64_t> hiddenSize = ctx.getOptionalInt("hidden_size");
  if (!hiddenSize) {
    auto rType = cast<RankedTensorType>(ctx.getInput(2).getType());
    if (rType.getRank() != 3 || rType.isDynamicDim(2))
      return ctx.emitError() << "attribute 'hidden_size' is missing and 'R' "
                                "has no static hidden size";
    hiddenSize = rType.getDimSize(2);
  }
  if (*hiddenSize <= 0)
    return ctx.emitError() << "attribute 'hidden_size' must be positive, got "
                           << *hiddenSize;
  result.hiddenSize = b.getI64IntegerAttr(*hiddenSize);
  FailureOr<Activations> activations =
      resolveActivations(ctx, kind, directions);
  if (failed(activations))
    return failure();
  result.activations = b.getArrayAttr(activations->names);
  result.alpha = b.getDenseF32ArrayAttr(activations->alpha);
  result.beta = b.getDenseF32ArrayAttr(activations->beta);
  if (ctx.hasAttr("clip")) {
    float value = ctx.getFloat("clip", 0.0f);
    if (!(value > 0.0f))
      return ctx.emitError() << "attribute 'clip' must be positive, got "
                             << value;
    result.clip = b.getF32FloatAttr(value);
  }

  for (unsigned i = 0; i < kind.maxInputs; ++i)
    result.inputs.push_back(ctx.getInput(i));
  // Layout 1 is batch-major: X is [batch, seq, input] and the initial
  // states (inputs 5 and 6) are [batch, directions, hidden].
  if (result.layout == 1) {
    for (unsigned i : {0u, 5u, 6u}) {
      if (i >= result.inputs.size())
        continue;
      FailureOr<Value> transposed =
          transposeIfPresent(ctx, result.inputs[i], {1, 0, 2});
      if (failed(transposed))
        return failure();
      result.inputs[i] = *transposed;
    }
  }
  return result;
}

/// Binds the node's outputs to the results of its graph op `op`, transposed
/// back to batch-major for layout 1.
LogicalResult setRecurrentResults(NodeContext &ctx, Operation *op,
                                  int64_t layout) {
  SmallVector<Value> results(op->getResults());
  if (layout == 1) {
    for (auto [i, result] : llvm::enumerate(results)) {
      // Y [seq, dirs, batch, hidden] -> [batch, seq, dirs, hidden]; the
      // states [dirs, batch, hidden] -> [batch, dirs, hidden].
      SmallVector<int64_t> perm =
          i == 0 ? SmallVector<int64_t>{2, 0, 1, 3} : SmallVector<int64_t>{1, 0, 2};
      FailureOr<Value> transposed = transposeIfPresent(ctx, result, perm);
      if (failed(transposed))
        return failure();
      result = *transposed;
    }
  }
  ctx.setResults(results);
  return success();
}

constexpr StringRef kLstmActivations[] = {"Sigmoid", "Tanh", "Tanh"};
constexpr StringRef kGruActivations[] = {"Sigmoid", "Tanh"};
constexpr StringRef kRnnActivations[] = {"Tanh"};

/// LSTM (7, 14).
LogicalResult importLSTM(NodeContext &ctx) {
  FailureOr<RecurrentImport> in =
      prepareRecurrent(ctx, {8, kLstmActivations, "input_forget"});
  if (failed(in))
    return failure();
  ArrayRef<Value> x = in->inputs;
  FailureOr<graph::LSTMOp> op = ctx.createWithNumResults<graph::LSTMOp>(
      3, x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7], in->hiddenSize,
      in->direction, in->activations, in->alpha, in->beta, in->clip,
      ctx.getBuilder().getBoolAttr(ctx.getInt("input_forget", 0) != 0));
  if (failed(op))
    return failure();
  return setRecurrentResults(ctx, *op, in->layout);
}

/// GRU (7, 14).
LogicalResult importGRU(NodeContext &ctx) {
  FailureOr<RecurrentImport> in =
      prepareRecurrent(ctx, {6, kGruActivations, "linear_before_reset"});
  if (failed(in))
    return failure();
  ArrayRef<Value> x = in->inputs;
  FailureOr<graph::GRUOp> op = ctx.createWithNumResults<graph::GRUOp>(
      2, x[0], x[1], x[2], x[3], x[4], x[5], in->hiddenSize, in->direction,
      in->activations, in->alpha, in->beta, in->clip,
      ctx.getBuilder().getBoolAttr(ctx.getInt("linear_before_reset", 0) != 0));
  if (failed(op))
    return failure();
  return setRecurrentResults(ctx, *op, in->layout);
}

/// RNN (7, 14).
LogicalResult importRNN(NodeContext &ctx) {
  FailureOr<RecurrentImport> in = prepareRecurrent(ctx, {6, kRnnActivations, ""});
  if (failed(in))
    return failure();
  ArrayRef<Value> x = in->inputs;
  FailureOr<graph::RNNOp> op = ctx.createWithNumResults<graph::RNNOp>(
      2, x[0], x[1], x[2], x[3], x[4], x[5], in->hiddenSize, in->direction,
      in->activations, in->alpha, in->beta, in->clip);
  if (failed(op))
    return failure();
  return setRecurrentResults(ctx, *op, in->layout);
}

} // namespace

void onnx_import::registerOpImportersRecurrent(OpImporterRegistry &registry) {
  // Opset 14 only adds `layout` (prepareRecurrent refuses it before).
  registry.add("LSTM", 7, importLSTM);
  registry.add("GRU", 7, importGRU);
  registry.add("RNN", 7, importRNN);
}
