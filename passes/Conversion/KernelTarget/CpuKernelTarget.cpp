//===- CpuKernelTarget.cpp - Kernel ops as calls of oneDNN kernels --------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The CPU kernel target: f32 kernel ops become calls of the runtime's oneDNN
// kernels (runtime/include/exaforge/abi/kernels.h). Buffers are cast to
// fully dynamic strided memrefs, so one declaration per kernel serves every
// shape and layout; the kernels read sizes and strides from the
// descriptors. Each call passes its call-site number, under which the
// runtime caches the oneDNN primitive, the name of the ONNX node it
// computes (a constant global string, which a failure's message names) and
// the XF_KERNEL_* flags that the kernel op's attributes imply. The loop
// nests run on the runtime's threads (`run-parallel-loops-on-threads`,
// then `version-sine-cosine-loops`).
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/KernelTarget/KernelTarget.h"
#include "passes/Conversion/NodeNameStrings.h"

#include "passes/Conversion/Passes.h"

#include "dialects/Kernel/KernelOps.h"

#include "exaforge/abi/kernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace exaforge;

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

/// Inserts, at `rewriter`'s insertion point, a call of the runtime kernel
/// `name` with `site`, the node name of `op`, `flags`, the buffers `buffers`
/// cast to fully dynamic strided memrefs and then `extraArgs` (i64 values).
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

/// Returns a view of the 2-D `buffer` with its dimensions swapped.
Value transposeView(RewriterBase &rewriter, Location loc, Value buffer) {
  auto swap = AffineMapAttr::get(AffineMap::getPermutationMap(
      ArrayRef<unsigned>{1, 0}, rewriter.getContext()));
  return memref::TransposeOp::create(rewriter, loc, buffer, swap);
}

/// Whether every operand of `op` has f32 elements.
bool hasF32Operands(Operation *op) {
  return llvm::all_of(op->getOperandTypes(), [](Type type) {
    return cast<ShapedType>(type).getElementType().isF32();
  });
}

/// The runtime's oneDNN kernels.
class CpuKernelTarget final : public KernelTarget {
public:
  StringRef getName() const override { return "cpu"; }

  /// The runtime has f32 kernels only; the kernel ops' verifiers already
  /// restrict ranks and attributes to what the kernels take.
  bool selectKernel(Operation *op) const override {
    return isa<kernel::MatmulOp, kernel::Conv2DOp, kernel::MaxPool2DOp>(op) &&
           hasF32Operands(op);
  }

  /// oneDNN's convolutions and poolings run fastest on NHWC activations
  /// (its descriptors take the buffers' strides, so either order works).
  bool prefersChannelsLast(Operation *op) const override {
    return isa<kernel::Conv2DOp, kernel::MaxPool2DOp>(op);
  }

  LogicalResult lowerToCall(Operation *op, int64_t site,
                            RewriterBase &rewriter) const override {
    rewriter.setInsertionPoint(op);
    LogicalResult result =
        TypeSwitch<Operation *, LogicalResult>(op)
            .Case([&](kernel::MatmulOp matmul) {
              lowerMatmul(matmul, site, rewriter);
              return success();
            })
            .Case([&](kernel::Conv2DOp conv) {
              lowerConv(conv, site, rewriter);
              return success();
            })
            .Case([&](kernel::MaxPool2DOp pool) {
              lowerMaxPool(pool, site, rewriter);
              return success();
            })
            .Default([](Operation *other) {
              return other->emitOpError("has no oneDNN kernel");
            });
    if (succeeded(result))
      rewriter.eraseOp(op);
    return result;
  }

  /// The loop nests run on the runtime's threads.
  void buildLoopCodegen(OpPassManager &pm,
                        const KernelTargetOptions &) const override {
    pm.addPass(createRunParallelLoopsOnThreads());
    // Chunks of loops whose sine and cosine arguments are all small take
    // the polynomial alone (vectorized) instead of a branch to libm per
    // element.
    pm.addPass(createVersionSineCosineLoops());
  }

private:
  /// xf_kernel_matmul_f32 (rank 2) or xf_kernel_batch_matmul_f32 (rank 3);
  /// transposed operands become transposed views.
  static void lowerMatmul(kernel::MatmulOp op, int64_t site,
                          RewriterBase &rewriter) {
    Value lhs = op.getLhs(), rhs = op.getRhs();
    if (op.getTransposeLhs())
      lhs = transposeView(rewriter, op.getLoc(), lhs);
    if (op.getTransposeRhs())
      rhs = transposeView(rewriter, op.getLoc(), rhs);
    int64_t flags = 0;
    if (op.getAccumulate())
      flags |= XF_KERNEL_ACCUMULATE;
    if (op.getConstantWeights())
      flags |= XF_KERNEL_CONSTANT_WEIGHTS;
    bool batched = cast<MemRefType>(op.getInit().getType()).getRank() == 3;
    createKernelCall(op, rewriter,
                     batched ? "xf_kernel_batch_matmul_f32"
                             : "xf_kernel_matmul_f32",
                     site, flags, {lhs, rhs, op.getInit()}, {});
  }

  /// xf_kernel_conv2d_nchw_f32; without a bias, an empty bias buffer. The
  /// number of groups is the last argument.
  static void lowerConv(kernel::Conv2DOp op, int64_t site,
                        RewriterBase &rewriter) {
    int64_t flags = 0;
    Value bias = op.getBias();
    if (bias) {
      flags |= XF_KERNEL_BIAS;
    } else {
      auto type = MemRefType::get({0}, rewriter.getF32Type());
      bias = memref::AllocaOp::create(rewriter, op.getLoc(), type);
    }
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
    createKernelCall(op, rewriter, "xf_kernel_conv2d_nchw_f32", site, flags,
                     {op.getInput(), op.getFilter(), bias, op.getInit()}, args);
  }

  /// xf_kernel_max_pool2d_nchw_f32.
  static void lowerMaxPool(kernel::MaxPool2DOp op, int64_t site,
                           RewriterBase &rewriter) {
    SmallVector<int64_t> args(op.getWindow());
    llvm::append_range(args, op.getStrides());
    llvm::append_range(args, op.getDilations());
    llvm::append_range(args, op.getPadding());
    createKernelCall(op, rewriter, "xf_kernel_max_pool2d_nchw_f32", site,
                     /*flags=*/0, {op.getInput(), op.getInit()}, args);
  }
};

} // namespace

const KernelTarget &exaforge::getCpuKernelTarget() {
  static const CpuKernelTarget target;
  return target;
}
