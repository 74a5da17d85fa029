//===- GraphTrainingOps.cpp - Training-mode ops ---------------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Result type inference of BatchNormalization in training mode, Dropout and
// the optimizers Adagrad, Adam and Momentum (see GraphTrainingOps.td). Every
// result has the type of the operand it updates; the checks are those of
// the ONNX specification: per-channel parameters, one-element scalars,
// update operands of one type.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/GraphOps.h"
#include "dialects/Graph/GraphTypeInference.h"

#include "mlir/IR/Diagnostics.h"

using namespace mlir;
using namespace exaforge::graph;

namespace {

/// Checks that `value` (the operand `what`) holds exactly one element when
/// its shape is static: a scalar, or a tensor whose dimensions are all 1.
LogicalResult checkScalar(std::optional<Location> loc, Value value,
                          StringRef what) {
  RankedTensorType type = tensorTypeOf(value);
  if (llvm::any_of(type.getShape(), [](int64_t dim) {
        return ShapedType::isStatic(dim) && dim != 1;
      }))
    return emitOptionalError(loc, "'", what, "' must be a scalar, got ", type);
  return success();
}

/// Checks that `value` (the operand `what`) has the element type of
/// `reference` (named `referenceName`) and a compatible shape.
LogicalResult checkSameType(std::optional<Location> loc, Value value,
                            StringRef what, Value reference,
                            StringRef referenceName) {
  RankedTensorType type = tensorTypeOf(value);
  RankedTensorType referenceType = tensorTypeOf(reference);
  if (!areCompatibleTensorTypes(referenceType, type))
    return emitOptionalError(loc, "'", what, "' must have the type of '",
                             referenceName, "' (", referenceType, "), got ",
                             type);
  return success();
}

/// Infers the results of an optimizer: the types of `x` and of each of
/// `state` (named `stateNames`), which must match `x`'s; `rate` and `step`
/// must be scalars and `gradient` of `x`'s type.
LogicalResult inferOptimizerResults(std::optional<Location> loc, Value rate,
                                    Value step, Value x, Value gradient,
                                    ArrayRef<Value> state,
                                    ArrayRef<StringRef> stateNames,
                                    SmallVectorImpl<Type> &types) {
  if (failed(checkScalar(loc, rate, "rate")) ||
      failed(checkScalar(loc, step, "step")) ||
      failed(checkSameType(loc, gradient, "gradient", x, "x")))
    return failure();
  types.push_back(x.getType());
  for (auto [value, name] : llvm::zip_equal(state, stateNames)) {
    if (failed(checkSameType(loc, value, name, x, "x")))
      return failure();
    types.push_back(value.getType());
  }
  return success();
}

} // namespace

//===----------------------------------------------------------------------===//
// BatchNormalizationTrainingOp
//===----------------------------------------------------------------------===//

LogicalResult BatchNormalizationTrainingOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  RankedTensorType type = tensorTypeOf(adaptor.getInput());
  if (type.getRank() < 2)
    return emitOptionalError(loc, "input must have rank 2 or more, got ",
                             type.getRank());
  RankedTensorType channelType =
      RankedTensorType::get({type.getDimSize(1)}, type.getElementType());
  std::pair<Value, StringRef> parameters[] = {
      {adaptor.getScale(), "scale"},
      {adaptor.getBias(), "bias"},
      {adaptor.getInputMean(), "input_mean"},
      {adaptor.getInputVar(), "input_var"}};
  for (auto [value, name] : parameters)
    if (!areCompatibleTensorTypes(channelType, value.getType()))
      return emitOptionalError(loc, "'", name,
                               "' must be a vector of the input's channels (",
                               channelType, "), got ", value.getType());
  types.push_back(type);
  types.push_back(adaptor.getInputMean().getType());
  types.push_back(adaptor.getInputVar().getType());
  return success();
}

//===----------------------------------------------------------------------===//
// DropoutOp
//===----------------------------------------------------------------------===//

LogicalResult DropoutOp::inferReturnTypes(MLIRContext *context,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  if (failed(checkScalar(loc, adaptor.getRatio(), "ratio")))
    return failure();
  if (Value training = adaptor.getTrainingMode())
    if (failed(checkScalar(loc, training, "training_mode")))
      return failure();
  RankedTensorType type = tensorTypeOf(adaptor.getInput());
  types.push_back(type);
  types.push_back(type.clone(IntegerType::get(context, 1)));
  return success();
}

//===----------------------------------------------------------------------===//
// Optimizers
//===----------------------------------------------------------------------===//

LogicalResult AdagradOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  return inferOptimizerResults(loc, adaptor.getRate(), adaptor.getStep(),
                               adaptor.getX(), adaptor.getGradient(),
                               {adaptor.getAccumulated()}, {"accumulated"},
                               types);
}

LogicalResult AdamOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  return inferOptimizerResults(
      loc, adaptor.getRate(), adaptor.getStep(), adaptor.getX(),
      adaptor.getGradient(),
      {adaptor.getVelocity(), adaptor.getAccumulated()},
      {"velocity", "accumulated"}, types);
}

LogicalResult MomentumOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  return inferOptimizerResults(loc, adaptor.getRate(), adaptor.getStep(),
                               adaptor.getX(), adaptor.getGradient(),
                               {adaptor.getVelocity()}, {"velocity"}, types);
}
