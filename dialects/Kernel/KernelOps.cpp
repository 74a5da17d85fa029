//===- KernelOps.cpp - Kernel dialect operations --------------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Verifiers, memory effects and bufferization of the kernel ops. All three
// ops share the bufferization: inputs are read, the destination is written
// (and read when the op accumulates into it), and the result on tensors is
// the destination, updated in place.
//
//===----------------------------------------------------------------------===//

#include "dialects/Kernel/KernelOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace mlir::bufferization;
using namespace exaforge::kernel;

namespace {

//===----------------------------------------------------------------------===//
// Verification helpers
//===----------------------------------------------------------------------===//

/// Returns the shape of the shaped `value`.
ArrayRef<int64_t> shapeOf(Value value) {
  return cast<ShapedType>(value.getType()).getShape();
}

/// Checks that the operands of `op` are all tensors (and its result the
/// destination's type) or all buffers (and there is no result).
LogicalResult verifyTensorsOrBuffers(Operation *op, Value init,
                                     TypedValue<RankedTensorType> result) {
  bool onTensors = isa<RankedTensorType>(init.getType());
  for (Value operand : op->getOperands())
    if (isa<RankedTensorType>(operand.getType()) != onTensors)
      return op->emitOpError("expects all operands to be tensors or all to "
                             "be buffers");
  if (onTensors && (!result || result.getType() != init.getType()))
    return op->emitOpError("expects a result of the destination's type ")
           << init.getType();
  if (!onTensors && result)
    return op->emitOpError("on buffers has no result");
  return success();
}

/// Checks that `array`, the attribute `name` of `op`, has `size` entries
/// that are all at least `minimum`.
LogicalResult verifyWindowArray(Operation *op, StringRef name,
                                ArrayRef<int64_t> array, size_t size,
                                int64_t minimum) {
  if (array.size() != size)
    return op->emitOpError("expects ")
           << size << " values in '" << name << "', got " << array.size();
  for (int64_t value : array)
    if (value < minimum)
      return op->emitOpError("expects every value in '")
             << name << "' to be at least " << minimum << ", got " << value;
  return success();
}

/// Checks that the static sizes `a` and `b` (of `what`) agree.
LogicalResult verifySameSize(Operation *op, int64_t a, int64_t b,
                             StringRef what) {
  if (!ShapedType::isDynamic(a) && !ShapedType::isDynamic(b) && a != b)
    return op->emitOpError("expects ")
           << what << " to match, got " << a << " and " << b;
  return success();
}

/// Checks that a window of `kernel` elements, dilated by `dilation` and
/// moved by `stride`, produces `output` positions from an input of `input`
/// elements padded by `padBefore` and `padAfter` (when both are static):
/// the last window must lie in the padded input.
LogicalResult verifyWindowFits(Operation *op, int64_t input, int64_t output,
                               int64_t kernel, int64_t stride, int64_t dilation,
                               int64_t padBefore, int64_t padAfter,
                               StringRef dimension) {
  if (ShapedType::isDynamic(input) || ShapedType::isDynamic(output) ||
      ShapedType::isDynamic(kernel))
    return success();
  int64_t padded = input + padBefore + padAfter;
  int64_t span = dilation * (kernel - 1) + 1;
  int64_t fits = padded < span ? 0 : (padded - span) / stride + 1;
  if (output < 1 || output > fits)
    return op->emitOpError("has ")
           << output << " output " << dimension
           << " positions, but windows fit the padded input (" << padded
           << ") only " << fits << " times";
  return success();
}

/// Verifies the 2-D window attributes shared by convolution and pooling.
LogicalResult verifyWindowAttributes(Operation *op, ArrayRef<int64_t> strides,
                                     ArrayRef<int64_t> dilations,
                                     ArrayRef<int64_t> padding) {
  if (failed(verifyWindowArray(op, "strides", strides, 2, 1)) ||
      failed(verifyWindowArray(op, "dilations", dilations, 2, 1)) ||
      failed(verifyWindowArray(op, "padding", padding, 4, 0)))
    return failure();
  return success();
}

/// Verifies that the window of `kernel` = [KH, KW] elements over `input`
/// (NCHW) produces the spatial sizes of `output` (NCHW).
LogicalResult verifySpatialSizes(Operation *op, ArrayRef<int64_t> input,
                                 ArrayRef<int64_t> output,
                                 ArrayRef<int64_t> kernel,
                                 ArrayRef<int64_t> strides,
                                 ArrayRef<int64_t> dilations,
                                 ArrayRef<int64_t> padding) {
  if (failed(verifyWindowFits(op, input[2], output[2], kernel[0], strides[0],
                              dilations[0], padding[0], padding[2], "row")) ||
      failed(verifyWindowFits(op, input[3], output[3], kernel[1], strides[1],
                              dilations[1], padding[1], padding[3], "column")))
    return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// Shared interface implementations
//===----------------------------------------------------------------------===//

/// Adds the effects of a kernel op on buffers: it reads its inputs, writes
/// its destination and reads it when `readsInit`. On tensors it has none.
void getKernelEffects(
    Operation *op, OpOperand &init, bool readsInit,
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  for (OpOperand &operand : op->getOpOperands()) {
    if (!isa<MemRefType>(operand.get().getType()))
      continue;
    if (&operand != &init || readsInit)
      effects.emplace_back(MemoryEffects::Read::get(), &operand,
                           SideEffects::DefaultResource::get());
    if (&operand == &init)
      effects.emplace_back(MemoryEffects::Write::get(), &operand,
                           SideEffects::DefaultResource::get());
  }
}

/// Bufferizes a kernel op: the same op on the buffers of its operands, the
/// destination's buffer replacing its result.
LogicalResult bufferizeKernelOp(Operation *op, Value init,
                                RewriterBase &rewriter,
                                const BufferizationOptions &options,
                                BufferizationState &state) {
  SmallVector<Value> buffers;
  Value initBuffer;
  for (Value operand : op->getOperands()) {
    FailureOr<Value> buffer = getBuffer(rewriter, operand, options, state);
    if (failed(buffer))
      return failure();
    buffers.push_back(*buffer);
    if (operand == init)
      initBuffer = *buffer;
  }
  rewriter.setInsertionPoint(op);
  Operation *bufferized = Operation::create(
      op->getLoc(), op->getName(), /*resultTypes=*/{}, buffers,
      op->getDiscardableAttrDictionary(), op->getPropertiesStorage(),
      /*successors=*/{}, /*numRegions=*/0);
  rewriter.insert(bufferized);
  replaceOpWithBufferizedValues(rewriter, op, initBuffer);
  return success();
}

} // namespace

// The interface methods are the same for every kernel op; each op forwards
// to the helpers above.
#define EXAFORGE_KERNEL_OP_INTERFACES(OpTy)                                    \
  void OpTy::getEffects(                                                       \
      SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>      \
          &effects) {                                                          \
    getKernelEffects(*this, getInitMutable(), readsDestination(), effects);    \
  }                                                                            \
  bool OpTy::bufferizesToMemoryRead(OpOperand &operand,                        \
                                    const AnalysisState &) {                   \
    return !isDpsInit(&operand) || readsDestination();                         \
  }                                                                            \
  bool OpTy::bufferizesToMemoryWrite(OpOperand &operand,                       \
                                     const AnalysisState &) {                  \
    return isDpsInit(&operand);                                                \
  }                                                                            \
  AliasingValueList OpTy::getAliasingValues(OpOperand &operand,                \
                                            const AnalysisState &) {           \
    if (!isDpsInit(&operand))                                                  \
      return {};                                                               \
    return {{getTiedOpResult(&operand), BufferRelation::Equivalent}};          \
  }                                                                            \
  LogicalResult OpTy::bufferize(RewriterBase &rewriter,                        \
                                const BufferizationOptions &options,           \
                                BufferizationState &state) {                   \
    return bufferizeKernelOp(*this, getInit(), rewriter, options, state);      \
  }

EXAFORGE_KERNEL_OP_INTERFACES(MatmulOp)
EXAFORGE_KERNEL_OP_INTERFACES(Conv2DOp)
EXAFORGE_KERNEL_OP_INTERFACES(MaxPool2DOp)
#undef EXAFORGE_KERNEL_OP_INTERFACES

//===----------------------------------------------------------------------===//
// MatmulOp
//===----------------------------------------------------------------------===//

bool MatmulOp::readsDestination() { return getAccumulate(); }

LogicalResult MatmulOp::verify() {
  if (failed(verifyTensorsOrBuffers(*this, getInit(), getResult())))
    return failure();
  ArrayRef<int64_t> lhs = shapeOf(getLhs()), rhs = shapeOf(getRhs()),
                    init = shapeOf(getInit());
  size_t rank = init.size();
  if (rank != 2 && rank != 3)
    return emitOpError("expects rank 2 or 3 (batched), got ") << rank;
  if (lhs.size() != rank || rhs.size() != rank)
    return emitOpError("expects operands of the destination's rank ") << rank;
  if (rank == 3 && (getTransposeLhs() || getTransposeRhs()))
    return emitOpError("transposes operands of rank 2 only");
  size_t row = rank - 2, column = rank - 1;
  int64_t m = getTransposeLhs() ? lhs[column] : lhs[row];
  int64_t lhsK = getTransposeLhs() ? lhs[row] : lhs[column];
  int64_t rhsK = getTransposeRhs() ? rhs[column] : rhs[row];
  int64_t n = getTransposeRhs() ? rhs[row] : rhs[column];
  if (failed(verifySameSize(*this, lhsK, rhsK,
                            "the reduced sizes of lhs and rhs")) ||
      failed(verifySameSize(*this, m, init[row],
                            "the rows of lhs and the destination")) ||
      failed(verifySameSize(*this, n, init[column],
                            "the columns of rhs and the destination")))
    return failure();
  if (rank == 3 &&
      (failed(verifySameSize(*this, lhs[0], init[0], "the batch sizes")) ||
       failed(verifySameSize(*this, rhs[0], init[0], "the batch sizes"))))
    return failure();
  if (Value bias = getBias()) {
    ArrayRef<int64_t> biasShape = shapeOf(bias);
    if (biasShape.size() != 1)
      return emitOpError("expects a 1-D bias, got rank ") << biasShape.size();
    if (failed(verifySameSize(*this, biasShape[0], init[column],
                              "the bias size and the destination's columns")))
      return failure();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Conv2DOp
//===----------------------------------------------------------------------===//

bool Conv2DOp::readsDestination() { return getAccumulate(); }

LogicalResult Conv2DOp::verify() {
  if (failed(verifyTensorsOrBuffers(*this, getInit(), getResult())) ||
      failed(verifyWindowAttributes(*this, getStrides(), getDilations(),
                                    getPadding())))
    return failure();
  ArrayRef<int64_t> input = shapeOf(getInput()), filter = shapeOf(getFilter()),
                    init = shapeOf(getInit());
  if (input.size() != 4 || filter.size() != 4 || init.size() != 4)
    return emitOpError("expects 4-D input, filter and destination");
  if (int(getRelu()) + int(getSwish()) + int(getHardSwish()) > 1)
    return emitOpError("expects at most one of 'relu', 'swish' and "
                       "'hard_swish'");
  int64_t groups = getGroups();
  if (groups < 1)
    return emitOpError("expects at least 1 group, got ") << groups;
  // The filter has F = init[1] rows, F / groups per group, and C / groups
  // input channels per group.
  if (!ShapedType::isDynamic(filter[0]) && filter[0] % groups != 0)
    return emitOpError("expects the output channels (")
           << filter[0] << ") to be divisible by the " << groups << " groups";
  if (!ShapedType::isDynamic(input[1]) && input[1] % groups != 0)
    return emitOpError("expects the input channels (")
           << input[1] << ") to be divisible by the " << groups << " groups";
  int64_t groupChannels = ShapedType::isDynamic(input[1]) ? ShapedType::kDynamic
                                                          : input[1] / groups;
  if (failed(verifySameSize(*this, groupChannels, filter[1],
                            "the input channels per group of input and "
                            "filter")) ||
      failed(verifySameSize(*this, input[0], init[0], "the batch sizes")) ||
      failed(verifySameSize(*this, filter[0], init[1],
                            "the output channels of filter and destination")))
    return failure();
  if (Value bias = getBias()) {
    ArrayRef<int64_t> biasShape = shapeOf(bias);
    if (biasShape.size() != 1)
      return emitOpError("expects a 1-D bias, got rank ") << biasShape.size();
    if (failed(verifySameSize(*this, biasShape[0], init[1],
                              "the bias size and the output channels")))
      return failure();
  }
  return verifySpatialSizes(*this, input, init, filter.drop_front(2),
                            getStrides(), getDilations(), getPadding());
}

//===----------------------------------------------------------------------===//
// MaxPool2DOp
//===----------------------------------------------------------------------===//

bool MaxPool2DOp::readsDestination() { return false; }

LogicalResult MaxPool2DOp::verify() {
  if (failed(verifyTensorsOrBuffers(*this, getInit(), getResult())) ||
      failed(verifyWindowArray(*this, "window", getWindow(), 2, 1)) ||
      failed(verifyWindowAttributes(*this, getStrides(), getDilations(),
                                    getPadding())))
    return failure();
  ArrayRef<int64_t> input = shapeOf(getInput()), init = shapeOf(getInit());
  if (input.size() != 4 || init.size() != 4)
    return emitOpError("expects 4-D input and destination");
  if (failed(verifySameSize(*this, input[0], init[0], "the batch sizes")) ||
      failed(verifySameSize(*this, input[1], init[1], "the channels")))
    return failure();
  return verifySpatialSizes(*this, input, init, getWindow(), getStrides(),
                            getDilations(), getPadding());
}

#define GET_OP_CLASSES
#include "dialects/Kernel/KernelOps.cpp.inc"

bool exaforge::kernel::isChannelsLastActivation(OpOperand &use) {
  Operation *owner = use.getOwner();
  if (auto conv = dyn_cast<Conv2DOp>(owner))
    return conv.getChannelsLast() &&
           (&use == &conv.getInputMutable() || &use == &conv.getInitMutable());
  if (auto pool = dyn_cast<MaxPool2DOp>(owner))
    return pool.getChannelsLast() &&
           (&use == &pool.getInputMutable() || &use == &pool.getInitMutable());
  return false;
}
