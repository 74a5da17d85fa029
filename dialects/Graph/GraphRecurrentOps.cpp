//===- GraphRecurrentOps.cpp - LSTM, GRU and RNN --------------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Type inference and cost of the recurrent ops (GraphRecurrentOps.td), and
// the table of the activation functions they allow.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/GraphOps.h"
#include "dialects/Graph/GraphTypeInference.h"

#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace exaforge;
using namespace exaforge::graph;

//===----------------------------------------------------------------------===//
// Activation functions
//===----------------------------------------------------------------------===//

namespace {
/// One activation function of ONNX's recurrent ops, with its parameters.
struct ActivationInfo {
  StringLiteral name;
  bool usesAlpha, usesBeta;
  float alpha, beta;
};

/// The activation functions of the ONNX RNN, GRU and LSTM specifications,
/// with the defaults of the corresponding ONNX operators.
constexpr ActivationInfo kActivations[] = {
    {"Relu", false, false, 0.0f, 0.0f},
    {"Tanh", false, false, 0.0f, 0.0f},
    {"Sigmoid", false, false, 0.0f, 0.0f},
    {"Affine", true, true, 1.0f, 0.0f},
    {"LeakyRelu", true, false, 0.01f, 0.0f},
    {"ThresholdedRelu", true, false, 1.0f, 0.0f},
    {"ScaledTanh", true, true, 1.0f, 1.0f},
    {"HardSigmoid", true, true, 0.2f, 0.5f},
    {"Elu", true, false, 1.0f, 0.0f},
    {"Softsign", false, false, 0.0f, 0.0f},
    {"Softplus", false, false, 0.0f, 0.0f},
};

const ActivationInfo *lookupActivation(StringRef name) {
  for (const ActivationInfo &info : kActivations)
    if (info.name == name)
      return &info;
  return nullptr;
}

/// Checks that the static dimensions of `value` (of rank `expected.size()`)
/// match `expected` where both are static.
LogicalResult verifyShape(std::optional<Location> loc, Value value,
                          StringRef name, ArrayRef<int64_t> expected) {
  RankedTensorType type = tensorTypeOf(value);
  auto mismatch = [&] {
    return emitOptionalError(loc, "'", name, "' has shape ",
                             formatShape(type.getShape()), ", expected ",
                             formatShape(expected));
  };
  if (type.getRank() != static_cast<int64_t>(expected.size()))
    return mismatch();
  for (auto [actual, want] : llvm::zip_equal(type.getShape(), expected))
    if (!ShapedType::isDynamic(actual) && !ShapedType::isDynamic(want) &&
        actual != want)
      return mismatch();
  return success();
}
} // namespace

bool graph::isRecurrentActivation(StringRef name) {
  return lookupActivation(name) != nullptr;
}

bool graph::recurrentActivationUsesAlpha(StringRef name) {
  const ActivationInfo *info = lookupActivation(name);
  return info && info->usesAlpha;
}

bool graph::recurrentActivationUsesBeta(StringRef name) {
  const ActivationInfo *info = lookupActivation(name);
  return info && info->usesBeta;
}

float graph::getRecurrentActivationDefaultAlpha(StringRef name) {
  const ActivationInfo *info = lookupActivation(name);
  return info ? info->alpha : 0.0f;
}

float graph::getRecurrentActivationDefaultBeta(StringRef name) {
  const ActivationInfo *info = lookupActivation(name);
  return info ? info->beta : 0.0f;
}

//===----------------------------------------------------------------------===//
// Type inference
//===----------------------------------------------------------------------===//

LogicalResult graph::inferRecurrentResults(
    std::optional<Location> loc, const RecurrentOperands &operands,
    int64_t numGates, int64_t numActivations, int64_t hiddenSize,
    StringRef direction, ArrayAttr activations, ArrayRef<float> alpha,
    ArrayRef<float> beta, unsigned numResults, SmallVectorImpl<Type> &types) {
  if (direction != "forward" && direction != "reverse" &&
      direction != "bidirectional")
    return emitOptionalError(loc, "'direction' must be forward, reverse or "
                                  "bidirectional, got '",
                             direction, "'");
  int64_t directions = direction == "bidirectional" ? 2 : 1;
  if (static_cast<int64_t>(activations.size()) != numActivations * directions)
    return emitOptionalError(loc, "expected ", numActivations * directions,
                             " activations, got ", activations.size());
  for (Attribute attr : activations)
    if (!isRecurrentActivation(cast<StringAttr>(attr).getValue()))
      return emitOptionalError(loc, "unsupported activation function '",
                               cast<StringAttr>(attr).getValue(), "'");
  if (alpha.size() != activations.size() || beta.size() != activations.size())
    return emitOptionalError(
        loc, "'activation_alpha' and 'activation_beta' must have one entry "
             "per activation");

  RankedTensorType xType = tensorTypeOf(operands.x);
  if (xType.getRank() != 3)
    return emitOptionalError(loc, "'X' must have rank 3 ([seq, batch, "
                                  "input]), got rank ",
                             xType.getRank());
  Type elementType = xType.getElementType();
  int64_t seq = xType.getDimSize(0), batch = xType.getDimSize(1);
  int64_t input = xType.getDimSize(2);
  int64_t gates = numGates * hiddenSize;
  if (failed(verifyShape(loc, operands.w, "W", {directions, gates, input})) ||
      failed(verifyShape(loc, operands.r, "R",
                         {directions, gates, hiddenSize})))
    return failure();
  if (operands.b &&
      failed(verifyShape(loc, operands.b, "B", {directions, 2 * gates})))
    return failure();
  if (operands.sequenceLens &&
      failed(verifyShape(loc, operands.sequenceLens, "sequence_lens", {batch})))
    return failure();
  SmallVector<int64_t> stateShape = {directions, batch, hiddenSize};
  if (operands.initialH &&
      failed(verifyShape(loc, operands.initialH, "initial_h", stateShape)))
    return failure();
  if (operands.initialC &&
      failed(verifyShape(loc, operands.initialC, "initial_c", stateShape)))
    return failure();
  if (operands.p &&
      failed(verifyShape(loc, operands.p, "P", {directions, 3 * hiddenSize})))
    return failure();
  for (Value value : {operands.w, operands.r, operands.b, operands.initialH,
                      operands.initialC, operands.p})
    if (value && tensorTypeOf(value).getElementType() != elementType)
      return emitOptionalError(loc, "every float operand must have the "
                                    "element type of 'X', ",
                               elementType);

  types.push_back(
      RankedTensorType::get({seq, directions, batch, hiddenSize}, elementType));
  for (unsigned i = 1; i < numResults; ++i)
    types.push_back(RankedTensorType::get(stateShape, elementType));
  return success();
}

//===----------------------------------------------------------------------===//
// Cost
//===----------------------------------------------------------------------===//

/// The multiply-adds of the input and recurrent products of every step and
/// direction (`4 * gates * (input + hidden)` flops per sequence element and
/// batch entry), plus a few operations per gate element.
static OpCost estimateRecurrentCost(Operation *op, Value x, Value w,
                                    int64_t dynamicDimSize) {
  OpCost cost = estimateTraffic(op, dynamicDimSize);
  double seq = estimateDimSize(x, 0, dynamicDimSize);
  double batch = estimateDimSize(x, 1, dynamicDimSize);
  double input = estimateDimSize(x, 2, dynamicDimSize);
  double directions = estimateDimSize(w, 0, dynamicDimSize);
  double gates = estimateDimSize(w, 1, dynamicDimSize);
  double hidden = estimateDimSize(op->getResult(1), 2, dynamicDimSize);
  cost.flops = seq * batch * directions * gates *
               (2 * (input + hidden) + kNormalizationFlopsPerElement);
  return cost;
}

OpCost LSTMOp::estimateCost(int64_t dynamicDimSize) {
  return estimateRecurrentCost(*this, getX(), getW(), dynamicDimSize);
}

OpCost GRUOp::estimateCost(int64_t dynamicDimSize) {
  return estimateRecurrentCost(*this, getX(), getW(), dynamicDimSize);
}

OpCost RNNOp::estimateCost(int64_t dynamicDimSize) {
  return estimateRecurrentCost(*this, getX(), getW(), dynamicDimSize);
}
