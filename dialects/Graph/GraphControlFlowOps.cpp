//===- GraphControlFlowOps.cpp - If and Loop with regions -----------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Verifiers and costs of `graph.if` and `graph.loop`
// (GraphControlFlowOps.td) and the type join they share.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/GraphControlFlowOps.h"
#include "dialects/Graph/GraphOps.h"

using namespace mlir;
using namespace exaforge;
using namespace exaforge::graph;

RankedTensorType exaforge::graph::joinTensorTypes(RankedTensorType a,
                                                  RankedTensorType b) {
  if (!a || !b || a.getElementType() != b.getElementType() ||
      a.getRank() != b.getRank())
    return {};
  SmallVector<int64_t> shape;
  for (auto [x, y] : llvm::zip_equal(a.getShape(), b.getShape()))
    shape.push_back(x == y ? x : ShapedType::kDynamic);
  return a.clone(shape);
}

bool exaforge::graph::isRefinementOf(Type actual, Type declared) {
  auto actualType = dyn_cast<RankedTensorType>(actual);
  auto declaredType = dyn_cast<RankedTensorType>(declared);
  if (!actualType || !declaredType)
    return actual == declared;
  if (actualType.getElementType() != declaredType.getElementType() ||
      actualType.getRank() != declaredType.getRank())
    return false;
  for (auto [x, y] :
       llvm::zip_equal(actualType.getShape(), declaredType.getShape()))
    if (!ShapedType::isDynamic(y) && x != y)
      return false;
  return true;
}

/// Whether `type` is a tensor of one element (the form of an ONNX scalar:
/// rank 0, or every dimension 1).
static bool hasOneElement(Type type) {
  auto tensor = cast<RankedTensorType>(type);
  return llvm::all_of(tensor.getShape(), [](int64_t d) { return d == 1; });
}

/// Checks that `yield` yields values that may stand for `expected`, in
/// order; `what` names the values in the diagnostic.
static LogicalResult verifyYield(Operation *op, YieldOp yield,
                                 TypeRange expected, StringRef what) {
  if (yield.getNumOperands() != expected.size())
    return op->emitOpError() << what << " yields " << yield.getNumOperands()
                             << " values, expected " << expected.size();
  for (auto [i, pair] :
       llvm::enumerate(llvm::zip_equal(yield.getOperandTypes(), expected)))
    if (!isRefinementOf(std::get<0>(pair), std::get<1>(pair)))
      return op->emitOpError()
             << what << " yields " << std::get<0>(pair) << " as value #" << i
             << ", which is not a refinement of " << std::get<1>(pair);
  return success();
}

/// The cost of running `block` once: the sum of its graph ops' costs.
static OpCost estimateBlockCost(Block &block, int64_t dynamicDimSize) {
  OpCost cost;
  for (Operation &op : block)
    if (auto costOp = dyn_cast<OpCostOpInterface>(&op))
      cost += costOp.estimateCost(dynamicDimSize);
  return cost;
}

//===----------------------------------------------------------------------===//
// IfOp
//===----------------------------------------------------------------------===//

OpCost IfOp::estimateCost(int64_t dynamicDimSize) {
  // The dearer branch (by operations).
  OpCost thenCost = estimateBlockCost(getThenBranch().front(), dynamicDimSize);
  OpCost elseCost = estimateBlockCost(getElseBranch().front(), dynamicDimSize);
  return thenCost.flops >= elseCost.flops ? thenCost : elseCost;
}

LogicalResult IfOp::verify() {
  if (!hasOneElement(getCondition().getType()))
    return emitOpError("condition of type ")
           << getCondition().getType() << " does not hold one element";
  for (auto [region, what] : {std::pair<Region *, StringRef>(
                                  &getThenBranch(), "then branch"),
                              {&getElseBranch(), "else branch"}}) {
    auto yield = dyn_cast<YieldOp>(region->front().getTerminator());
    if (!yield)
      return emitOpError() << what << " does not end with graph.yield";
    if (failed(verifyYield(*this, yield, getResultTypes(), what)))
      return failure();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// LoopOp
//===----------------------------------------------------------------------===//

OpCost LoopOp::estimateCost(int64_t dynamicDimSize) {
  // The body times the trip count: the constant one when there is one, else
  // counted as a dynamic dimension.
  double trips = dynamicDimSize;
  if (getMaxTripCount())
    if (std::optional<SmallVector<int64_t>> count =
            getConstantIntValues(getMaxTripCount()))
      if (count->size() == 1)
        trips = std::max<int64_t>(0, (*count)[0]);
  OpCost body = estimateBlockCost(getBody().front(), dynamicDimSize);
  OpCost cost;
  cost.flops = body.flops * trips;
  cost.bytesRead = body.bytesRead * trips;
  cost.bytesWritten = body.bytesWritten * trips;
  return cost;
}

LogicalResult LoopOp::verify() {
  if (!getMaxTripCount() && !getCondition())
    return emitOpError("has neither a max_trip_count nor a condition and "
                       "would never end");
  if (getMaxTripCount() && !hasOneElement(getMaxTripCount().getType()))
    return emitOpError("max_trip_count of type ")
           << getMaxTripCount().getType() << " does not hold one element";
  if (getCondition() && !hasOneElement(getCondition().getType()))
    return emitOpError("condition of type ")
           << getCondition().getType() << " does not hold one element";
  unsigned numCarried = getNumCarried();
  if (getNumResults() < numCarried)
    return emitOpError("has ")
           << getNumResults() << " results, fewer than its " << numCarried
           << " loop-carried values";

  Block &body = getBody().front();
  OpBuilder b(getContext());
  auto iterationType = RankedTensorType::get({}, b.getI64Type());
  auto conditionType = RankedTensorType::get({}, b.getI1Type());
  if (body.getNumArguments() != 2 + numCarried)
    return emitOpError("body has ")
           << body.getNumArguments() << " arguments, expected "
           << 2 + numCarried
           << " (iteration, condition and the loop-carried values)";
  if (body.getArgument(0).getType() != iterationType ||
      body.getArgument(1).getType() != conditionType)
    return emitOpError("body arguments #0 and #1 must be of types ")
           << iterationType << " and " << conditionType;
  TypeRange carriedTypes = TypeRange(getResultTypes()).take_front(numCarried);
  for (auto [i, init, arg, result] :
       llvm::enumerate(getInitialValues(), getCarriedArgs(), carriedTypes)) {
    if (arg.getType() != result)
      return emitOpError("body argument #")
             << i + 2 << " of type " << arg.getType()
             << " does not have the type " << result << " of result #" << i;
    if (!isRefinementOf(init.getType(), result))
      return emitOpError("initial value #")
             << i << " of type " << init.getType()
             << " is not a refinement of result type " << result;
  }

  auto yield = dyn_cast<YieldOp>(body.getTerminator());
  if (!yield)
    return emitOpError("body does not end with graph.yield");
  if (yield.getNumOperands() != 1 + getNumResults())
    return emitOpError("body yields ")
           << yield.getNumOperands() << " values, expected "
           << 1 + getNumResults()
           << " (condition, loop-carried values and scan elements)";
  if (!isa<RankedTensorType>(yield.getOperand(0).getType()) ||
      cast<RankedTensorType>(yield.getOperand(0).getType()).getElementType() !=
          b.getI1Type() ||
      !hasOneElement(yield.getOperand(0).getType()))
    return emitOpError("body yields a condition of type ")
           << yield.getOperand(0).getType() << ", expected " << conditionType;
  SmallVector<Type> expected(carriedTypes.begin(), carriedTypes.end());
  for (auto [i, result] :
       llvm::enumerate(TypeRange(getResultTypes()).drop_front(numCarried))) {
    Type element = yield.getOperand(1 + numCarried + i).getType();
    auto resultType = cast<RankedTensorType>(result);
    auto elementType = dyn_cast<RankedTensorType>(element);
    if (!elementType ||
        elementType.getElementType() != resultType.getElementType() ||
        resultType.getRank() != elementType.getRank() + 1)
      return emitOpError("scan output #")
             << i << " of type " << result
             << " is not a stack of the yielded elements of type " << element;
    expected.push_back(resultType.clone(resultType.getShape().drop_front()));
  }
  auto yielded = yield.getOperands().drop_front();
  for (auto [i, pair] :
       llvm::enumerate(llvm::zip_equal(yielded.getTypes(), expected)))
    if (!isRefinementOf(std::get<0>(pair), std::get<1>(pair)))
      return emitOpError("body yields ")
             << std::get<0>(pair) << " as value #" << i + 1
             << ", which is not a refinement of " << std::get<1>(pair);
  return success();
}
