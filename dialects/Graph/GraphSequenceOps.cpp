//===- GraphSequenceOps.cpp - Sequences and optionals ---------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The types `!graph.sequence` and `!graph.optional` and the verifiers of the
// sequence and optional ops (GraphSequenceOps.td).
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/GraphDialect.h"
#include "dialects/Graph/GraphOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace exaforge;
using namespace exaforge::graph;

#define GET_TYPEDEF_CLASSES
#include "dialects/Graph/GraphOpsTypes.cpp.inc"

void GraphDialect::registerTypes() {
  addTypes<
#define GET_TYPEDEF_LIST
#include "dialects/Graph/GraphOpsTypes.cpp.inc"
      >();
}

bool exaforge::graph::isSequenceElement(Type type, TensorType element) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || tensor.getElementType() != element.getElementType())
    return false;
  return !element.hasRank() || element.getRank() == tensor.getRank();
}

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

LogicalResult SequenceType::verify(function_ref<InFlightDiagnostic()> emitError,
                                   TensorType elementType) {
  Type element = elementType.getElementType();
  if (!element.isIntOrFloat())
    return emitError() << "sequence elements must be tensors of numbers, got "
                       << elementType;
  return success();
}

LogicalResult OptionalType::verify(function_ref<InFlightDiagnostic()> emitError,
                                   Type elementType) {
  if (!isa<RankedTensorType, SequenceType>(elementType))
    return emitError() << "an optional holds a ranked tensor or a sequence, "
                          "got "
                       << elementType;
  return success();
}

//===----------------------------------------------------------------------===//
// Sequence ops
//===----------------------------------------------------------------------===//

/// Checks that `type` (operand or result `what` of `op`) may be an element
/// of `sequence`.
static LogicalResult verifyElement(Operation *op, Type type,
                                   SequenceType sequence, StringRef what) {
  if (isSequenceElement(type, sequence.getElementType()))
    return success();
  return op->emitOpError() << what << " of type " << type
                           << " is not an element of " << sequence;
}

LogicalResult SequenceConstructOp::verify() {
  if (getInputs().empty())
    return emitOpError("needs at least one tensor");
  for (Value input : getInputs())
    if (failed(verifyElement(*this, input.getType(), getResult().getType(),
                             "operand")))
      return failure();
  return success();
}

LogicalResult SequenceInsertOp::verify() {
  if (getInputSequence().getType() != getResult().getType())
    return emitOpError("result type ")
           << getResult().getType() << " differs from the sequence's type "
           << getInputSequence().getType();
  return verifyElement(*this, getTensor().getType(), getResult().getType(),
                       "inserted tensor");
}

LogicalResult SequenceAtOp::verify() {
  return verifyElement(*this, getResult().getType(),
                       getInputSequence().getType(), "result");
}

LogicalResult SequenceEraseOp::verify() {
  if (getInputSequence().getType() != getResult().getType())
    return emitOpError("result type ")
           << getResult().getType() << " differs from the sequence's type "
           << getInputSequence().getType();
  return success();
}

//===----------------------------------------------------------------------===//
// Optional ops
//===----------------------------------------------------------------------===//

/// Whether a value of type `actual` may be held by, or taken from, an
/// optional of `held`: the same sequence type, or a tensor of the same
/// element type and rank.
static bool isHeldType(Type actual, Type held) {
  if (auto heldTensor = dyn_cast<RankedTensorType>(held))
    return isSequenceElement(actual, heldTensor);
  return actual == held;
}

LogicalResult OptionalOp::verify() {
  Type held = getResult().getType().getElementType();
  if (getInput() && !isHeldType(getInput().getType(), held))
    return emitOpError("operand of type ")
           << getInput().getType() << " does not fit " << getResult().getType();
  return success();
}

LogicalResult OptionalGetElementOp::verify() {
  Type held = getInput().getType().getElementType();
  if (!isHeldType(getResult().getType(), held))
    return emitOpError("result of type ")
           << getResult().getType() << " is not what " << getInput().getType()
           << " holds";
  return success();
}
