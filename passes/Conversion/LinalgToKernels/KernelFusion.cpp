//===- KernelFusion.cpp - What a kernel call absorbs ---------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements the analyses of KernelFusion.h on bufferized IR: they only look
// at one block, in program order, and give up on any op whose effects on
// the buffers involved they cannot tell.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/LinalgToKernels/KernelFusion.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;

namespace exaforge {

Value getRootBuffer(Value value) {
  while (Operation *def = value.getDefiningOp()) {
    if (auto cast = dyn_cast<memref::CastOp>(def))
      value = cast.getSource();
    else if (auto view = dyn_cast<ViewLikeOpInterface>(def))
      value = view.getViewSource();
    else
      break;
  }
  return value;
}

bool mayAccessMemory(Operation *op) {
  auto effects = dyn_cast<MemoryEffectOpInterface>(op);
  if (!effects)
    return !op->hasTrait<OpTrait::HasRecursiveMemoryEffects>() ||
           op->getNumRegions() != 0;
  return effects.hasEffect<MemoryEffects::Read>() ||
         effects.hasEffect<MemoryEffects::Write>();
}

bool mayWriteBuffer(Operation *op, Value root) {
  if (!mayAccessMemory(op) || isa<memref::AllocOp, memref::AllocaOp>(op))
    return false;
  if (auto copy = dyn_cast<memref::CopyOp>(op))
    return getRootBuffer(copy.getTarget()) == root;
  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
      linalgOp && linalgOp.hasPureBufferSemantics())
    return llvm::any_of(linalgOp.getDpsInits(), [&](Value init) {
      return getRootBuffer(init) == root;
    });
  if (auto call = dyn_cast<func::CallOp>(op);
      call && call.getCallee().starts_with("xf_kernel_")) {
    for (Value operand : llvm::reverse(call.getOperands()))
      if (isa<MemRefType>(operand.getType()))
        return getRootBuffer(operand) == root;
    return false;
  }
  if (auto effects = dyn_cast<MemoryEffectOpInterface>(op))
    return effects.hasEffect<MemoryEffects::Write>();
  return true;
}

bool isZeroConstant(Value value) {
  return matchPattern(value, m_AnyZeroFloat());
}

bool isNegativeInfinityConstant(Value value) {
  APFloat constant(0.0f);
  return matchPattern(value, m_ConstantFloat(&constant)) &&
         constant.isInfinity() && constant.isNegative();
}

/// Whether `op` sets every element of exactly `buffer` to a value accepted
/// by `isValue`: a `linalg.fill`, or a `linalg.map` without inputs.
static bool isFillOf(Operation *op, Value buffer, FillValuePredicate isValue) {
  if (auto fill = dyn_cast<linalg::FillOp>(op))
    return fill.getOutputs().front() == buffer &&
           isValue(fill.getInputs().front());
  if (auto map = dyn_cast<linalg::MapOp>(op)) {
    if (!map.getInputs().empty() || map.getInit() != buffer)
      return false;
    Operation *yield = map.getMapper().front().getTerminator();
    return yield->getNumOperands() == 1 && isValue(yield->getOperand(0));
  }
  return false;
}

/// Whether `op` accesses memory and has an operand that is a view of
/// `root`.
static bool usesBuffer(Operation *op, Value root) {
  return mayAccessMemory(op) &&
         llvm::any_of(op->getOperands(), [&](Value operand) {
           return isa<MemRefType>(operand.getType()) &&
                  getRootBuffer(operand) == root;
         });
}

bool holdsValueBefore(Operation *op, Value buffer, FillValuePredicate isValue,
                      Operation **removableFill) {
  Value root = getRootBuffer(buffer);
  bool touched = false;
  for (Operation *prev = op->getPrevNode(); prev; prev = prev->getPrevNode()) {
    if (isFillOf(prev, buffer, isValue)) {
      if (removableFill && !touched)
        *removableFill = prev;
      return true;
    }
    if (auto copy = dyn_cast<memref::CopyOp>(prev);
        copy && copy.getTarget() == buffer) {
      if (!holdsValueBefore(copy, copy.getSource(), isValue, nullptr))
        return false;
      if (removableFill && !touched)
        *removableFill = copy;
      return true;
    }
    if (mayWriteBuffer(prev, root))
      return false;
    touched |= usesBuffer(prev, root);
  }
  return false;
}

/// Whether two sizes are provably equal: the same value, or `memref.dim`s of
/// the same buffer and constant index.
static bool isSameSize(Value a, Value b) {
  if (a == b)
    return true;
  auto dimA = a.getDefiningOp<memref::DimOp>();
  auto dimB = b.getDefiningOp<memref::DimOp>();
  if (!dimA || !dimB || dimA.getSource() != dimB.getSource())
    return false;
  std::optional<int64_t> indexA = dimA.getConstantIndex();
  std::optional<int64_t> indexB = dimB.getConstantIndex();
  return indexA && indexB && *indexA == *indexB;
}

/// Whether dimension `dim` of `subview` covers all of its source `alloc`'s
/// dimension from offset zero.
static bool coversDim(memref::SubViewOp subview, memref::AllocOp alloc,
                      unsigned dim) {
  if (subview.getStaticOffsets()[dim] != 0)
    return false;
  OpFoldResult size = subview.getMixedSizes()[dim];
  MemRefType type = alloc.getType();
  if (!type.isDynamicDim(dim))
    return getConstantIntValue(size) == type.getDimSize(dim);
  auto value = dyn_cast<Value>(size);
  return value &&
         isSameSize(value,
                    alloc.getDynamicSizes()[type.getDynamicDimIndex(dim)]);
}

FailureOr<PaddedInput> matchPaddedInput(Operation *op, Value padded,
                                        FillValuePredicate isValue,
                                        Operation *until) {
  auto alloc = padded.getDefiningOp<memref::AllocOp>();
  if (!alloc || alloc->getBlock() != op->getBlock())
    return failure();
  MemRefType type = alloc.getType();
  if (type.getRank() != 4 || type.isDynamicDim(2) || type.isDynamicDim(3))
    return failure();
  Operation *fill = nullptr;
  memref::SubViewOp subview;
  for (Operation *user : padded.getUsers()) {
    if (user == op)
      continue;
    if (!fill && isFillOf(user, padded, isValue)) {
      fill = user;
      continue;
    }
    auto view = dyn_cast<memref::SubViewOp>(user);
    if (subview || !view)
      return failure();
    subview = view;
  }
  if (!fill || !subview || !subview->hasOneUse())
    return failure();
  auto copy = dyn_cast<memref::CopyOp>(*subview->getUsers().begin());
  if (!copy || copy.getTarget() != subview.getResult() ||
      copy->getBlock() != op->getBlock() ||
      fill->getBlock() != op->getBlock() || !fill->isBeforeInBlock(copy) ||
      !copy->isBeforeInBlock(op))
    return failure();
  // The interior: whole batch and channels, unit strides, static offsets
  // and sizes of the spatial dimensions.
  ArrayRef<int64_t> offsets = subview.getStaticOffsets();
  ArrayRef<int64_t> sizes = subview.getStaticSizes();
  if (!llvm::all_of(subview.getStaticStrides(),
                    [](int64_t stride) { return stride == 1; }) ||
      !coversDim(subview, alloc, 0) || !coversDim(subview, alloc, 1) ||
      llvm::any_of(
          ArrayRef<int64_t>{offsets[2], offsets[3], sizes[2], sizes[3]},
          ShapedType::isDynamic))
    return failure();
  // Nothing may change the source before the kernel reads it.
  Value source = copy.getSource();
  Value sourceRoot = getRootBuffer(source);
  for (Operation *next = copy->getNextNode(); next != until;
       next = next->getNextNode())
    if (!next || mayWriteBuffer(next, sourceRoot))
      return failure();
  PaddedInput result;
  result.source = source;
  result.top = offsets[2];
  result.left = offsets[3];
  result.bottom = type.getDimSize(2) - offsets[2] - sizes[2];
  result.right = type.getDimSize(3) - offsets[3] - sizes[3];
  result.alloc = alloc;
  result.fillOps = {copy, subview, fill};
  return result;
}

/// Whether the values `buffer` holds right after `op` are never read: every
/// user of `buffer` is in `op`'s block, and the first one after `op`, if
/// any, overwrites all of it (a fill, an input-less map or a copy into it).
static bool isOverwrittenBeforeRead(Value buffer, Operation *op) {
  Operation *first = nullptr;
  for (Operation *user : buffer.getUsers()) {
    if (user->getBlock() != op->getBlock())
      return false;
    if (user != op && op->isBeforeInBlock(user) &&
        (!first || user->isBeforeInBlock(first)))
      first = user;
  }
  if (!first)
    return true;
  auto any = [](Value) { return true; };
  if (auto copy = dyn_cast<memref::CopyOp>(first))
    return copy.getTarget() == buffer;
  return isFillOf(first, buffer, any);
}

/// Matches the body of `generic` as out = relu?(conv + bias? + residual?),
/// where `conv` is the block argument of its input `convInput`.
static FailureOr<ConvEpilogue> matchEpilogueBody(linalg::GenericOp generic,
                                                 unsigned convInput) {
  Block &body = generic.getRegion().front();
  MLIRContext *context = generic.getContext();
  AffineMap channelMap = AffineMap::get(4, 0, getAffineDimExpr(1, context));
  ConvEpilogue epilogue;
  epilogue.generic = generic;
  Value value = body.getArgument(convInput);
  // The terms must come in the order bias, residual, ReLU.
  enum { kBias, kResidual, kRelu, kDone } stage = kBias;
  for (Operation &op : body.without_terminator()) {
    if (op.getNumOperands() != 2 || op.getNumResults() != 1)
      return failure();
    Value lhs = op.getOperand(0), rhs = op.getOperand(1);
    if ((lhs == value) == (rhs == value))
      return failure();
    Value other = lhs == value ? rhs : lhs;
    if (isa<arith::MaximumFOp>(op)) {
      if (stage == kDone || !matchPattern(other, m_AnyZeroFloat()))
        return failure();
      epilogue.relu = true;
      stage = kDone;
    } else if (isa<arith::AddFOp>(op)) {
      auto arg = dyn_cast<BlockArgument>(other);
      if (!arg || arg.getOwner() != &body)
        return failure();
      OpOperand *operand = generic.getMatchingOpOperand(arg);
      AffineMap map = generic.getMatchingIndexingMap(operand);
      if (stage == kBias && generic.isDpsInput(operand) && map == channelMap) {
        epilogue.bias = operand->get();
        stage = kResidual;
      } else if (stage <= kResidual && map.isIdentity()) {
        epilogue.residual = operand->get();
        stage = kRelu;
      } else {
        return failure();
      }
    } else {
      return failure();
    }
    value = op.getResult(0);
  }
  Operation *yield = body.getTerminator();
  if (yield->getNumOperands() != 1 || yield->getOperand(0) != value)
    return failure();
  return epilogue;
}

FailureOr<ConvEpilogue> matchConvEpilogue(linalg::Conv2DNchwFchwOp conv) {
  Value output = conv.getOutputs()[0];
  if (!output.getDefiningOp<memref::AllocOp>())
    return failure();
  Operation *next = conv->getNextNode();
  while (next && !mayAccessMemory(next))
    next = next->getNextNode();
  auto generic = dyn_cast_or_null<linalg::GenericOp>(next);
  if (!generic || !generic.hasPureBufferSemantics() ||
      generic.getNumDpsInits() != 1 ||
      generic.getNumParallelLoops() != generic.getNumLoops() ||
      !generic.getMatchingIndexingMap(generic.getDpsInitOperand(0))
           .isIdentity())
    return failure();
  std::optional<unsigned> convInput;
  for (OpOperand *input : generic.getDpsInputOperands()) {
    if (input->get() != output)
      continue;
    if (convInput || !generic.getMatchingIndexingMap(input).isIdentity())
      return failure();
    convInput = input->getOperandNumber();
  }
  if (!convInput)
    return failure();
  // Unless the generic writes in place, nothing may read the convolution's
  // output after the generic (before overwriting it): the kernel will no
  // longer write it.
  if (generic.getDpsInits()[0] != output &&
      !isOverwrittenBeforeRead(output, generic))
    return failure();
  FailureOr<ConvEpilogue> epilogue = matchEpilogueBody(generic, *convInput);
  if (failed(epilogue) || epilogue->residual == output)
    return failure();
  return epilogue;
}

/// Returns the only user of `value`, or null.
static Operation *getSingleUser(Value value) {
  return value.hasOneUse() ? *value.getUsers().begin() : nullptr;
}

FailureOr<ConvEpiloguePrefix>
matchConvEpiloguePrefix(linalg::Conv2DNchwFchwOp conv) {
  Value output = conv.getOutputs()[0];
  if (!output.getDefiningOp<memref::AllocOp>())
    return failure();
  // The first user after the convolution: a generic in the same block,
  // which writes the output in place or after which nothing reads it before
  // overwriting it.
  linalg::GenericOp generic;
  for (Operation *user : output.getUsers()) {
    if (user->getBlock() != conv->getBlock())
      return failure();
    if (user == conv || user->isBeforeInBlock(conv))
      continue;
    auto candidate = dyn_cast<linalg::GenericOp>(user);
    if (candidate && (!generic || candidate->isBeforeInBlock(generic)))
      generic = candidate;
  }
  if (!generic || !generic.hasPureBufferSemantics() ||
      (generic.getDpsInits()[0] != output &&
       !isOverwrittenBeforeRead(output, generic)))
    return failure();
  for (Operation *user : output.getUsers())
    if (user != generic && conv->isBeforeInBlock(user) &&
        user->isBeforeInBlock(generic))
      return failure();
  ConvEpiloguePrefix prefix;
  prefix.generic = generic;
  for (OpOperand &operand : generic->getOpOperands()) {
    if (operand.get() != output)
      continue;
    // Read as an input only (an init the body ignores is fine).
    if (generic.isDpsInit(&operand)) {
      if (generic.payloadUsesValueFromOperand(&operand))
        return failure();
      continue;
    }
    if (prefix.convOperand ||
        !generic.getMatchingIndexingMap(&operand).isIdentity())
      return failure();
    prefix.convOperand = &operand;
  }
  if (!prefix.convOperand)
    return failure();

  // Follow the convolution's element through single-use steps.
  Block &body = generic.getRegion().front();
  AffineMap channelMap =
      AffineMap::get(4, 0, getAffineDimExpr(1, generic.getContext()));
  enum { kBias, kResidual, kRelu, kDone } stage = kBias;
  Value value = generic.getMatchingBlockArgument(prefix.convOperand);
  while (stage != kDone) {
    Operation *op = getSingleUser(value);
    if (!op || op->getBlock() != &body || op->getNumOperands() != 2 ||
        op->getNumResults() != 1)
      break;
    Value lhs = op->getOperand(0), rhs = op->getOperand(1);
    if ((lhs == value) == (rhs == value))
      break;
    Value other = lhs == value ? rhs : lhs;
    if (isa<arith::MaximumFOp>(op)) {
      if (!isZeroConstant(other))
        break;
      prefix.relu = true;
      stage = kDone;
    } else if (isa<arith::AddFOp>(op)) {
      auto arg = dyn_cast<BlockArgument>(other);
      if (!arg || arg.getOwner() != &body)
        break;
      OpOperand *operand = generic.getMatchingOpOperand(arg);
      AffineMap map = generic.getMatchingIndexingMap(operand);
      if (stage == kBias && generic.isDpsInput(operand) && map == channelMap) {
        prefix.bias = operand->get();
        stage = kResidual;
      } else if (stage <= kResidual && generic.isDpsInput(operand) &&
                 map.isIdentity() && operand->get() != output) {
        prefix.residual = operand->get();
        prefix.residualOperand = operand;
        stage = kRelu;
      } else {
        break;
      }
    } else {
      break;
    }
    prefix.ops.push_back(op);
    value = op->getResult(0);
  }
  if (prefix.ops.empty())
    return failure();
  prefix.result = value;
  // The kernel applies the terms at the convolution: nothing in between
  // may change the buffers they read.
  for (Operation *op = conv->getNextNode(); op != generic;
       op = op->getNextNode())
    for (Value read : {prefix.bias, prefix.residual})
      if (read && mayWriteBuffer(op, getRootBuffer(read)))
        return failure();
  return prefix;
}

/// Collects into `writes` the ops that only write `alloc`'s buffer (and the
/// subviews they write through), and the `memref.dim`s of its dynamic
/// sizes; fails when another op uses it.
static LogicalResult collectWrites(memref::AllocOp alloc,
                                   llvm::SetVector<Operation *> &writes) {
  for (Operation *user : alloc->getUsers()) {
    Value buffer = alloc.getResult();
    if (auto fill = dyn_cast<linalg::FillOp>(user);
        fill && fill.getOutputs().front() == buffer) {
      writes.insert(user);
    } else if (auto map = dyn_cast<linalg::MapOp>(user);
               map && map.getInputs().empty() && map.getInit() == buffer) {
      writes.insert(user);
    } else if (auto copy = dyn_cast<memref::CopyOp>(user);
               copy && copy.getTarget() == buffer) {
      writes.insert(user);
    } else if (auto dim = dyn_cast<memref::DimOp>(user);
               dim && dim.getConstantIndex() &&
               alloc.getType().isDynamicDim(*dim.getConstantIndex())) {
      // Replaced by the allocation's size when the buffer goes.
      writes.insert(user);
    } else if (auto subview = dyn_cast<memref::SubViewOp>(user)) {
      for (Operation *viewUser : subview->getUsers()) {
        auto copy = dyn_cast<memref::CopyOp>(viewUser);
        if (!copy || copy.getTarget() != subview.getResult())
          return failure();
        writes.insert(copy);
      }
      writes.insert(subview);
    } else {
      return failure();
    }
  }
  return success();
}

bool eraseIfWriteOnly(memref::AllocOp alloc) {
  llvm::SetVector<Operation *> writes;
  if (failed(collectWrites(alloc, writes)))
    return false;
  // Copies go before the subviews they write through.
  SmallVector<Operation *> subviews;
  for (Operation *op : writes) {
    if (auto dim = dyn_cast<memref::DimOp>(op)) {
      MemRefType type = alloc.getType();
      dim.replaceAllUsesWith(alloc.getDynamicSizes()[type.getDynamicDimIndex(
          *dim.getConstantIndex())]);
    }
    if (isa<memref::SubViewOp>(op))
      subviews.push_back(op);
    else
      op->erase();
  }
  for (Operation *op : subviews)
    op->erase();
  alloc->erase();
  return true;
}

void eraseWriteOnlyBuffers(Operation *func) {
  bool changed = true;
  while (changed) {
    changed = false;
    SmallVector<memref::AllocOp> allocs;
    func->walk([&](memref::AllocOp alloc) { allocs.push_back(alloc); });
    for (memref::AllocOp alloc : allocs)
      changed |= eraseIfWriteOnly(alloc);
  }
}

} // namespace exaforge
