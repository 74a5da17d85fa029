//===- KernelCalls.cpp - Calls of a runtime's kernel functions ------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/KernelTarget/KernelCalls.h"

#include "passes/Conversion/NodeNameStrings.h"

#include "dialects/Kernel/KernelOps.h"

#include "exaforge/abi/kernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"

using namespace mlir;

namespace exaforge {

namespace {
/// Returns the fully dynamic strided memref type of `type`'s rank and
/// element type.
MemRefType getDynamicStridedType(MemRefType type) {
  int64_t rank = type.getRank();
  SmallVector<int64_t> dynamic(rank, ShapedType::kDynamic);
  auto layout =
      StridedLayoutAttr::get(type.getContext(), ShapedType::kDynamic, dynamic);
  return MemRefType::get(dynamic, type.getElementType(), layout);
}

/// Returns the declaration of the runtime kernel `name` in the module of
/// `op`, creating it with C-interface wrapping on first use.
func::FuncOp getOrDeclareKernel(Operation *op, StringRef name,
                                TypeRange argTypes) {
  auto module = op->getParentOfType<ModuleOp>();
  if (auto existing = module.lookupSymbol<func::FuncOp>(name))
    return existing;
  OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
  auto decl =
      func::FuncOp::create(builder, module.getLoc(), name,
                           builder.getFunctionType(argTypes, /*results=*/{}));
  decl.setPrivate();
  decl->setAttr("llvm.emit_c_interface", builder.getUnitAttr());
  return decl;
}

/// Returns `bias` and adds XF_KERNEL_BIAS to `flags` when there is one;
/// else returns an empty f32 buffer (the kernels' bias argument is always
/// passed, and ignored without the flag).
Value getBiasArgument(Operation *op, RewriterBase &rewriter, Value bias,
                      int64_t &flags) {
  if (bias) {
    flags |= XF_KERNEL_BIAS;
    return bias;
  }
  auto type = MemRefType::get({0}, rewriter.getF32Type());
  return memref::AllocaOp::create(rewriter, op->getLoc(), type);
}

/// Returns a view of the 2-D `buffer` with its dimensions swapped.
Value transposeView(RewriterBase &rewriter, Location loc, Value buffer) {
  auto swap = AffineMapAttr::get(AffineMap::getPermutationMap(
      ArrayRef<unsigned>{1, 0}, rewriter.getContext()));
  return memref::TransposeOp::create(rewriter, loc, buffer, swap);
}
} // namespace

void createKernelCall(Operation *op, RewriterBase &rewriter, StringRef name,
                      int64_t site, int64_t flags, ArrayRef<Value> buffers,
                      ArrayRef<int64_t> extraArgs) {
  Location loc = op->getLoc();
  auto i64 = [&](int64_t value) -> Value {
    return arith::ConstantOp::create(rewriter, loc,
                                     rewriter.getI64IntegerAttr(value));
  };
  SmallVector<Value> args = {i64(site), getNodeNameAddress(op, rewriter),
                             i64(flags)};
  for (Value buffer : buffers) {
    auto type = getDynamicStridedType(cast<MemRefType>(buffer.getType()));
    args.push_back(memref::CastOp::create(rewriter, loc, type, buffer));
  }
  for (int64_t value : extraArgs)
    args.push_back(i64(value));
  func::FuncOp callee =
      getOrDeclareKernel(op, name, ValueRange(args).getTypes());
  func::CallOp::create(rewriter, loc, callee, args);
}

bool hasF32Operands(Operation *op) {
  return llvm::all_of(op->getOperandTypes(), [](Type type) {
    return cast<ShapedType>(type).getElementType().isF32();
  });
}

void lowerMatmulToCall(kernel::MatmulOp op, int64_t site,
                       RewriterBase &rewriter, StringRef matmulName,
                       StringRef batchMatmulName) {
  Value lhs = op.getLhs(), rhs = op.getRhs();
  if (op.getTransposeLhs())
    lhs = transposeView(rewriter, op.getLoc(), lhs);
  if (op.getTransposeRhs())
    rhs = transposeView(rewriter, op.getLoc(), rhs);
  int64_t flags = 0;
  Value bias = getBiasArgument(op, rewriter, op.getBias(), flags);
  if (op.getAccumulate())
    flags |= XF_KERNEL_ACCUMULATE;
  if (op.getRelu())
    flags |= XF_KERNEL_RELU;
  if (op.getConstantWeights())
    flags |= XF_KERNEL_CONSTANT_WEIGHTS;
  bool batched = cast<MemRefType>(op.getInit().getType()).getRank() == 3;
  createKernelCall(op, rewriter, batched ? batchMatmulName : matmulName, site,
                   flags, {lhs, rhs, bias, op.getInit()}, {});
}

void lowerConv2DToCall(kernel::Conv2DOp op, int64_t site,
                       RewriterBase &rewriter, StringRef name) {
  int64_t flags = 0;
  Value bias = getBiasArgument(op, rewriter, op.getBias(), flags);
  if (op.getAccumulate())
    flags |= XF_KERNEL_ACCUMULATE;
  if (op.getRelu())
    flags |= XF_KERNEL_RELU;
  if (op.getSwish())
    flags |= XF_KERNEL_SWISH;
  if (op.getHardSwish())
    flags |= XF_KERNEL_HARD_SWISH;
  if (op.getConstantWeights())
    flags |= XF_KERNEL_CONSTANT_WEIGHTS;
  SmallVector<int64_t> args(op.getStrides());
  llvm::append_range(args, op.getDilations());
  llvm::append_range(args, op.getPadding());
  args.push_back(op.getGroups());
  createKernelCall(op, rewriter, name, site, flags,
                   {op.getInput(), op.getFilter(), bias, op.getInit()}, args);
}

} // namespace exaforge
