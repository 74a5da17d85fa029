//===- OpImportersSequence.cpp - Sequence and optional builders -----------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The ONNX types `seq(tensor)` and `optional(...)` as graph types, and the
// builders of the sequence ops (SequenceEmpty, SequenceConstruct,
// SequenceInsert, SequenceAt, SequenceErase, SequenceLength) and of the
// optional ops (Optional, OptionalHasElement, OptionalGetElement). The
// design is in docs/design/control-flow.md#sequences-and-optionals.
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/ONNX/OpImporters.h"

#include "dialects/Graph/GraphOps.h"

using namespace mlir;
using namespace exaforge;
using namespace exaforge::onnx_import;

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

/// The type of a tensor of a sequence: its rank when the model declares a
/// shape of at least one dimension, every dimension dynamic (the run time
/// does not check a sequence's elements against declared sizes, so none is
/// trusted); unranked without a shape. A declared shape of no dimensions is
/// taken as unknown too: ONNX's own test models declare `shape {}` for
/// sequences of 1-D tensors.
static TensorType
getSequenceElementType(Type elementType,
                       const onnx::TypeProto::Tensor &tensor) {
  if (!tensor.has_shape() || tensor.shape().dim_size() == 0)
    return UnrankedTensorType::get(elementType);
  SmallVector<int64_t> shape(tensor.shape().dim_size(), ShapedType::kDynamic);
  return RankedTensorType::get(shape, elementType);
}

/// Converts a tensor type; `inSequence` when it is the type of a
/// sequence's elements.
static FailureOr<Type> convertTensorType(MLIRContext *ctx,
                                         const onnx::TypeProto::Tensor &tensor,
                                         StringRef name, Location loc,
                                         bool inSequence) {
  FailureOr<Type> elementType =
      convertElementType(ctx, tensor.elem_type(), name, loc);
  if (failed(elementType))
    return failure();
  if (inSequence)
    return Type(getSequenceElementType(*elementType, tensor));
  if (!tensor.has_shape())
    return emitError(loc) << "value '" << name << "' has no shape";
  SmallVector<int64_t> shape;
  for (const onnx::TensorShapeProto::Dimension &dim : tensor.shape().dim())
    shape.push_back(dim.has_dim_value() && dim.dim_value() >= 0
                        ? dim.dim_value()
                        : ShapedType::kDynamic);
  return Type(RankedTensorType::get(shape, *elementType));
}

/// Converts a sequence type (a sequence of tensors; sequences of sequences
/// or maps are refused).
static FailureOr<Type> convertSequenceType(MLIRContext *ctx,
                                           const onnx::TypeProto &type,
                                           StringRef name, Location loc) {
  const onnx::TypeProto &element = type.sequence_type().elem_type();
  if (!element.has_tensor_type())
    return emitError(loc) << "value '" << name
                          << "': only sequences of tensors are supported";
  FailureOr<Type> elementType =
      convertTensorType(ctx, element.tensor_type(), name, loc,
                        /*inSequence=*/true);
  if (failed(elementType))
    return failure();
  return Type(graph::SequenceType::get(ctx, cast<TensorType>(*elementType)));
}

FailureOr<Type>
onnx_import::convertSequenceOrOptionalType(MLIRContext *ctx,
                                           const onnx::TypeProto &type,
                                           StringRef name, Location loc) {
  if (type.has_sequence_type())
    return convertSequenceType(ctx, type, name, loc);
  if (!type.has_optional_type())
    return emitError(loc) << "value '" << name
                          << "' is neither a tensor, a sequence nor an "
                             "optional";
  const onnx::TypeProto &element = type.optional_type().elem_type();
  FailureOr<Type> held;
  if (element.has_tensor_type())
    held = convertTensorType(ctx, element.tensor_type(), name, loc,
                             /*inSequence=*/false);
  else if (element.has_sequence_type())
    held = convertSequenceType(ctx, element, name, loc);
  else
    return emitError(loc) << "value '" << name
                          << "': only optional tensors and sequences are "
                             "supported";
  if (failed(held))
    return failure();
  return Type(graph::OptionalType::get(ctx, *held));
}

LogicalResult onnx_import::checkTensorInputs(NodeContext &ctx) {
  // If and Loop carry tensors only (docs/design/control-flow.md).
  static constexpr StringLiteral kTakesSequences[] = {
      "Identity",   "Optional",      "OptionalGetElement", "OptionalHasElement",
      "SequenceAt", "SequenceErase", "SequenceInsert",     "SequenceLength"};
  if (llvm::is_contained(kTakesSequences, ctx.getOpType()))
    return success();
  for (unsigned i = 0, e = ctx.getNumInputs(); i < e; ++i)
    if (Value input = ctx.getInput(i);
        input && graph::isSequenceOrOptional(input.getType()))
      return ctx.emitError()
             << "input #" << i << " is "
             << (isa<graph::SequenceType>(input.getType()) ? "a sequence"
                                                           : "an optional")
             << ", the op takes tensors";
  return success();
}

//===----------------------------------------------------------------------===//
// Sequence ops
//===----------------------------------------------------------------------===//

/// Returns input `i` as a sequence, or reports that it is not one.
static FailureOr<TypedValue<graph::SequenceType>>
getSequenceInput(NodeContext &ctx, unsigned i) {
  auto sequence = dyn_cast<TypedValue<graph::SequenceType>>(ctx.getInput(i));
  if (!sequence)
    return ctx.emitError() << "input #" << i << " must be a sequence";
  return sequence;
}

/// Returns input `i` as a tensor, or reports that it is not one.
static FailureOr<TypedValue<RankedTensorType>> getTensorInput(NodeContext &ctx,
                                                              unsigned i) {
  auto tensor = dyn_cast<TypedValue<RankedTensorType>>(ctx.getInput(i));
  if (!tensor)
    return ctx.emitError() << "input #" << i << " must be a tensor";
  return tensor;
}

/// SequenceEmpty (opset 11): `dtype`, float by default.
static LogicalResult importSequenceEmpty(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({{"dtype", kInt}})) ||
      failed(ctx.checkInputs(0, 0)))
    return failure();
  FailureOr<Type> elementType = convertElementType(
      ctx.getContext(), ctx.getInt("dtype", onnx::TensorProto::FLOAT),
      ctx.getNode().output(0), ctx.getLoc());
  if (failed(elementType))
    return failure();
  auto type = graph::SequenceType::get(ctx.getContext(),
                                       UnrankedTensorType::get(*elementType));
  ctx.setResults(
      graph::SequenceEmptyOp::create(ctx.getBuilder(), ctx.getLoc(), type)
          ->getResults());
  return success();
}

/// SequenceConstruct (opset 11): elements of one element type; ranked
/// (with dynamic dimensions) when every input has the same rank.
static LogicalResult importSequenceConstruct(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({})) ||
      failed(ctx.checkInputs(1, ctx.getNumInputs())))
    return failure();
  SmallVector<Value> inputs;
  for (unsigned i = 0, e = ctx.getNumInputs(); i < e; ++i) {
    FailureOr<TypedValue<RankedTensorType>> input = getTensorInput(ctx, i);
    if (failed(input))
      return failure();
    inputs.push_back(*input);
  }
  auto first = cast<RankedTensorType>(inputs.front().getType());
  bool sameRank = true;
  for (Value input : inputs) {
    auto type = cast<RankedTensorType>(input.getType());
    if (type.getElementType() != first.getElementType())
      return ctx.emitError()
             << "inputs of different element types (" << first.getElementType()
             << ", " << type.getElementType() << ")";
    sameRank &= type.getRank() == first.getRank();
  }
  TensorType elementType =
      sameRank
          ? TensorType(RankedTensorType::get(
                SmallVector<int64_t>(first.getRank(), ShapedType::kDynamic),
                first.getElementType()))
          : TensorType(UnrankedTensorType::get(first.getElementType()));
  auto type = graph::SequenceType::get(ctx.getContext(), elementType);
  ctx.setResults(graph::SequenceConstructOp::create(ctx.getBuilder(),
                                                    ctx.getLoc(), type, inputs)
                     ->getResults());
  return success();
}

/// Checks that an optional position input `i` is a scalar or one-element
/// integer tensor.
static LogicalResult checkPosition(NodeContext &ctx, unsigned i) {
  Value position = ctx.getInput(i);
  if (!position)
    return success();
  auto type = dyn_cast<RankedTensorType>(position.getType());
  if (!type || !type.getElementType().isInteger() ||
      type.getNumElements() != 1 || type.getRank() > 1)
    return ctx.emitError() << "'position' must be a scalar or a one-element "
                              "tensor of int32 or int64, got "
                           << position.getType();
  return success();
}

/// SequenceInsert (opset 11).
static LogicalResult importSequenceInsert(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({})) || failed(ctx.checkInputs(2, 3)))
    return failure();
  FailureOr<TypedValue<graph::SequenceType>> sequence =
      getSequenceInput(ctx, 0);
  if (failed(sequence))
    return failure();
  FailureOr<TypedValue<RankedTensorType>> tensor = getTensorInput(ctx, 1);
  if (failed(tensor) || failed(checkPosition(ctx, 2)))
    return failure();
  if (!graph::isSequenceElement(tensor->getType(),
                                sequence->getType().getElementType()))
    return ctx.emitError() << "the inserted " << tensor->getType()
                           << " is not an element of " << sequence->getType();
  ctx.setResults(graph::SequenceInsertOp::create(ctx.getBuilder(), ctx.getLoc(),
                                                 sequence->getType(), *sequence,
                                                 *tensor, ctx.getInput(2))
                     ->getResults());
  return success();
}

/// SequenceAt (opset 11): the sequence's elements must have a known rank.
static LogicalResult importSequenceAt(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({})) || failed(ctx.checkInputs(2, 2)))
    return failure();
  FailureOr<TypedValue<graph::SequenceType>> sequence =
      getSequenceInput(ctx, 0);
  if (failed(sequence) || failed(checkPosition(ctx, 1)))
    return failure();
  auto element =
      dyn_cast<RankedTensorType>(sequence->getType().getElementType());
  if (!element)
    return ctx.emitError() << "the rank of the elements of "
                           << sequence->getType()
                           << " is unknown; declare it in the model";
  ctx.setResults(graph::SequenceAtOp::create(ctx.getBuilder(), ctx.getLoc(),
                                             element, *sequence,
                                             ctx.getInput(1))
                     ->getResults());
  return success();
}

/// SequenceErase (opset 11).
static LogicalResult importSequenceErase(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({})) || failed(ctx.checkInputs(1, 2)))
    return failure();
  FailureOr<TypedValue<graph::SequenceType>> sequence =
      getSequenceInput(ctx, 0);
  if (failed(sequence) || failed(checkPosition(ctx, 1)))
    return failure();
  ctx.setResults(graph::SequenceEraseOp::create(ctx.getBuilder(), ctx.getLoc(),
                                                sequence->getType(), *sequence,
                                                ctx.getInput(1))
                     ->getResults());
  return success();
}

/// SequenceLength (opset 11).
static LogicalResult importSequenceLength(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({})) || failed(ctx.checkInputs(1, 1)))
    return failure();
  FailureOr<TypedValue<graph::SequenceType>> sequence =
      getSequenceInput(ctx, 0);
  if (failed(sequence))
    return failure();
  auto type = RankedTensorType::get({}, ctx.getBuilder().getI64Type());
  ctx.setResults(graph::SequenceLengthOp::create(ctx.getBuilder(), ctx.getLoc(),
                                                 type, *sequence)
                     ->getResults());
  return success();
}

//===----------------------------------------------------------------------===//
// Optional ops
//===----------------------------------------------------------------------===//

/// Optional (opset 15): of the input, or empty of the `type` attribute.
static LogicalResult importOptional(NodeContext &ctx) {
  if (failed(
          ctx.checkAttributes({{"type", onnx::AttributeProto::TYPE_PROTO}})) ||
      failed(ctx.checkInputs(0, 1)))
    return failure();
  Value input = ctx.getInput(0);
  Type held;
  if (input) {
    if (!isa<RankedTensorType, graph::SequenceType>(input.getType()))
      return ctx.emitError() << "input must be a tensor or a sequence";
    held = input.getType();
  } else {
    const onnx::AttributeProto *type = ctx.getAttr("type");
    if (!type)
      return ctx.emitError() << "an Optional without input needs 'type'";
    // A tensor type is converted as what an optional of it holds.
    onnx::TypeProto optionalType;
    *optionalType.mutable_optional_type()->mutable_elem_type() = type->tp();
    FailureOr<Type> converted = convertSequenceOrOptionalType(
        ctx.getContext(),
        type->tp().has_tensor_type() ? optionalType : type->tp(),
        ctx.getNode().output(0), ctx.getLoc());
    if (succeeded(converted))
      if (auto optional = dyn_cast<graph::OptionalType>(*converted))
        converted = optional.getElementType();
    if (failed(converted))
      return failure();
    held = *converted;
    if (!isa<RankedTensorType, graph::SequenceType>(held))
      return ctx.emitError() << "'type' must be a tensor or a sequence type";
  }
  auto type = graph::OptionalType::get(ctx.getContext(), held);
  ctx.setResults(
      graph::OptionalOp::create(ctx.getBuilder(), ctx.getLoc(), type, input)
          ->getResults());
  return success();
}

/// OptionalHasElement (opset 15; from 18 also a tensor or sequence, which
/// has an element, or no input, which has none).
static LogicalResult importOptionalHasElement(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({})) ||
      failed(ctx.checkInputs(ctx.getOpset() >= 18 ? 0 : 1, 1)))
    return failure();
  Value input = ctx.getInput(0);
  OpBuilder &builder = ctx.getBuilder();
  auto type = RankedTensorType::get({}, builder.getI1Type());
  if (!input || !isa<graph::OptionalType>(input.getType())) {
    if (input && ctx.getOpset() < 18)
      return ctx.emitError() << "input must be an optional";
    ctx.setResults(
        graph::ConstantOp::create(
            builder, ctx.getLoc(),
            DenseElementsAttr::get(type, builder.getBoolAttr(bool(input))))
            ->getResults());
    return success();
  }
  ctx.setResults(
      graph::OptionalHasElementOp::create(builder, ctx.getLoc(), type, input)
          ->getResults());
  return success();
}

/// OptionalGetElement (opset 15; from 18 a tensor or sequence is returned
/// as it is).
static LogicalResult importOptionalGetElement(NodeContext &ctx) {
  if (failed(ctx.checkAttributes({})) || failed(ctx.checkInputs(1, 1)))
    return failure();
  Value input = ctx.getInput(0);
  auto optional = dyn_cast<graph::OptionalType>(input.getType());
  if (!optional) {
    if (ctx.getOpset() < 18)
      return ctx.emitError() << "input must be an optional";
    ctx.setResults(input);
    return success();
  }
  ctx.setResults(
      graph::OptionalGetElementOp::create(ctx.getBuilder(), ctx.getLoc(),
                                          optional.getElementType(), input)
          ->getResults());
  return success();
}

void onnx_import::registerOpImportersSequence(OpImporterRegistry &registry) {
  registry.add("Optional", 15, importOptional);
  registry.add("OptionalGetElement", 15, importOptionalGetElement);
  registry.add("OptionalGetElement", 18, importOptionalGetElement);
  registry.add("OptionalHasElement", 15, importOptionalHasElement);
  registry.add("OptionalHasElement", 18, importOptionalHasElement);
  registry.add("SequenceAt", 11, importSequenceAt);
  registry.add("SequenceConstruct", 11, importSequenceConstruct);
  registry.add("SequenceEmpty", 11, importSequenceEmpty);
  registry.add("SequenceErase", 11, importSequenceErase);
  registry.add("SequenceInsert", 11, importSequenceInsert);
  registry.add("SequenceLength", 11, importSequenceLength);
}
