//===- LinalgToKernelCalls.cpp - linalg ops to runtime kernel calls -------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `convert-linalg-to-kernel-calls`: f32 contractions and 2-D
// convolutions on buffers become calls to the runtime's oneDNN kernels.
// Operands are cast to fully dynamic strided memrefs, so one declaration per
// kernel serves every shape and layout; the kernels read sizes and strides
// from the descriptors. A convolution call also absorbs the zero padding of
// its input and the elementwise epilogue after it (KernelFusion.h).
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/LinalgToKernels/KernelFusion.h"
#include "passes/Conversion/Passes.h"

#include "exaforge/abi/kernels.h"

#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/SymbolTable.h"

namespace exaforge {
#define GEN_PASS_DEF_CONVERTLINALGTOKERNELCALLS
#include "passes/Conversion/Passes.h.inc"
} // namespace exaforge

using namespace mlir;
using exaforge::ConvEpilogue;
using exaforge::ConvEpiloguePrefix;
using exaforge::getRootBuffer;
using exaforge::holdsValueBefore;
using exaforge::isNegativeInfinityConstant;
using exaforge::isZeroConstant;
using exaforge::matchConvEpilogue;
using exaforge::matchPaddedInput;
using exaforge::PaddedInput;

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

/// Returns true when every operand of `op` is an f32 memref.
bool hasF32MemRefOperands(Operation *op) {
  return llvm::all_of(op->getOperandTypes(), [](Type type) {
    auto memref = dyn_cast<MemRefType>(type);
    return memref && memref.getElementType().isF32();
  });
}

/// Whether `buffer` is (a view of) an argument of its function marked
/// `exaforge.constant_buffer`: a model weight.
bool isConstantBuffer(Value buffer) {
  while (Operation *def = buffer.getDefiningOp()) {
    if (auto cast = dyn_cast<memref::CastOp>(def))
      buffer = cast.getSource();
    else if (auto view = dyn_cast<ViewLikeOpInterface>(def))
      buffer = view.getViewSource();
    else
      return false;
  }
  auto arg = cast<BlockArgument>(buffer);
  auto func = dyn_cast<FunctionOpInterface>(arg.getOwner()->getParentOp());
  return func && arg.getOwner()->isEntryBlock() &&
         func.getArgAttr(arg.getArgNumber(), exaforge::kConstantBufferAttrName);
}

/// Rewrites the supported linalg ops of one module into kernel calls.
class KernelCallRewriter {
public:
  explicit KernelCallRewriter(ModuleOp module) : module(module) {}

  /// Replaces `op` (destination-style, one output) by a call of `kernel`
  /// with the call-site number, the flags, the buffers `operands` (the
  /// operands of `op`, or views of them) and then `extraArgs` (i64 values).
  /// `weightsIndex` is the operand that holds the weights.
  void replaceWithCall(linalg::LinalgOp op, StringRef kernel,
                       ArrayRef<Value> operands, unsigned weightsIndex,
                       ArrayRef<int64_t> extraArgs) {
    int64_t flags = XF_KERNEL_ACCUMULATE;
    Operation *zeroWrite = nullptr;
    if (holdsValueBefore(op, op.getDpsInits()[0], isZeroConstant, &zeroWrite)) {
      flags &= ~XF_KERNEL_ACCUMULATE;
      if (zeroWrite)
        zeroWrite->erase();
    }
    if (isConstantBuffer(op->getOperand(weightsIndex)))
      flags |= XF_KERNEL_CONSTANT_WEIGHTS;
    createCall(op, kernel, flags, operands, extraArgs);
    op->erase();
  }

  /// Replaces a 2-D NCHW convolution by a call of the convolution kernel
  /// that also reads the unpadded input when a zero padding precedes it,
  /// and applies the elementwise epilogue after it (bias, residual add,
  /// ReLU) when there is one, writing the epilogue's output directly.
  void replaceConv(linalg::Conv2DNchwFchwOp conv) {
    Value output = conv.getOutputs()[0];
    Operation *zeroWrite = nullptr;
    bool zeroInit = holdsValueBefore(conv, output, isZeroConstant, &zeroWrite);
    Value weights = conv.getInputs()[1];
    FailureOr<ConvEpilogue> epilogue = failure();
    FailureOr<PaddedInput> padding = failure();
    Value destination = output;
    bool takeOverResidual = false;
    if (zeroInit) {
      epilogue = matchConvEpilogue(conv);
      if (succeeded(epilogue)) {
        padding = matchPaddedInput(conv, conv.getInputs()[0], isZeroConstant,
                                   epilogue->generic);
        Value input =
            succeeded(padding) ? padding->source : conv.getInputs()[0];
        FailureOr<std::pair<Value, bool>> chosen =
            chooseEpilogueDestination(*epilogue, {input, weights});
        if (succeeded(chosen))
          std::tie(destination, takeOverResidual) = *chosen;
        else
          epilogue = failure();
      }
    }
    Operation *callPoint = conv;
    FailureOr<ConvEpiloguePrefix> prefix = failure();
    if (succeeded(epilogue)) {
      callPoint = epilogue->generic;
    } else {
      padding =
          matchPaddedInput(conv, conv.getInputs()[0], isZeroConstant, conv);
      if (zeroInit)
        prefix = exaforge::matchConvEpiloguePrefix(conv);
      if (succeeded(prefix)) {
        Value input =
            succeeded(padding) ? padding->source : conv.getInputs()[0];
        FailureOr<std::pair<Value, bool>> chosen =
            choosePrefixDestination(*prefix, conv, {input, weights});
        if (succeeded(chosen))
          std::tie(destination, takeOverResidual) = *chosen;
        else
          prefix = failure();
      }
    }
    // The kernel must not write the buffer it reads.
    if (succeeded(padding) &&
        getRootBuffer(padding->source) == getRootBuffer(destination))
      padding = failure();

    int64_t flags = zeroInit ? 0 : XF_KERNEL_ACCUMULATE;
    if (isConstantBuffer(weights))
      flags |= XF_KERNEL_CONSTANT_WEIGHTS;
    Value bias;
    OpBuilder builder(callPoint);
    Location loc = conv.getLoc();
    if (succeeded(epilogue)) {
      linalg::GenericOp generic = epilogue->generic;
      Value residual = epilogue->residual;
      if (residual) {
        flags |= XF_KERNEL_ACCUMULATE;
        if (takeOverResidual) {
          Value init = generic.getDpsInits()[0];
          init.replaceUsesWithIf(residual, [&](OpOperand &use) {
            Operation *user =
                generic->getBlock()->findAncestorOpInBlock(*use.getOwner());
            return user && generic->isBeforeInBlock(user);
          });
        } else if (residual != destination) {
          memref::CopyOp::create(builder, loc, residual, destination);
        }
      }
      if (epilogue->relu)
        flags |= XF_KERNEL_RELU;
      bias = epilogue->bias;
    } else if (succeeded(prefix)) {
      linalg::GenericOp generic = prefix->generic;
      Value residual = prefix->residual;
      OpOperand *read = prefix->convOperand;
      if (residual) {
        flags |= XF_KERNEL_ACCUMULATE;
        if (takeOverResidual) {
          // The generic reads the result from the residual's buffer, and no
          // longer the convolution's output.
          read = prefix->residualOperand;
          prefix->convOperand->set(residual);
        } else {
          memref::CopyOp::create(builder, loc, residual, destination);
        }
      }
      if (prefix->relu)
        flags |= XF_KERNEL_RELU;
      bias = prefix->bias;
      prefix->result.replaceAllUsesWith(generic.getMatchingBlockArgument(read));
      for (Operation *op : llvm::reverse(prefix->ops))
        op->erase();
    }
    // The kernel overwrites its destination instead, and nothing reads the
    // convolution's output any more when the kernel writes elsewhere.
    if (zeroWrite)
      zeroWrite->erase();
    if (bias) {
      flags |= XF_KERNEL_BIAS;
    } else {
      auto type = MemRefType::get({0}, builder.getF32Type());
      bias = memref::AllocaOp::create(builder, loc, type);
    }

    SmallVector<int64_t> args(conv.getStrides().getValues<int64_t>());
    llvm::append_range(args, conv.getDilations().getValues<int64_t>());
    Value input = conv.getInputs()[0];
    input = appendPaddingArguments(padding, input, args);
    createCall(callPoint, "xf_kernel_conv2d_nchw_f32", flags,
               {input, weights, bias, destination}, args);
    if (succeeded(epilogue))
      epilogue->generic->erase();
    conv->erase();
    erasePaddedCopy(padding);
    // The epilogue wrote elsewhere: the convolution's own output may be
    // left unread, and its zero initialization with it.
    if (destination != output)
      if (auto alloc = output.getDefiningOp<memref::AllocOp>())
        exaforge::eraseIfWriteOnly(alloc);
  }

  /// Replaces a 2-D NCHW max pooling whose output holds -infinity before it
  /// (linalg's initial value for a max) by a call of the pooling kernel,
  /// which also reads the unpadded input when a -infinity padding precedes
  /// it. Other poolings are left to the loop lowering.
  void replaceMaxPool(linalg::PoolingNchwMaxOp pool) {
    Value output = pool.getOutputs()[0];
    Operation *fill = nullptr;
    auto windowType = cast<MemRefType>(pool.getInputs()[1].getType());
    if (!windowType.hasStaticShape() ||
        !holdsValueBefore(pool, output, isNegativeInfinityConstant, &fill))
      return;
    Value input = pool.getInputs()[0];
    FailureOr<PaddedInput> padding =
        matchPaddedInput(pool, input, isNegativeInfinityConstant, pool);
    if (succeeded(padding) &&
        getRootBuffer(padding->source) == getRootBuffer(output))
      padding = failure();
    if (getRootBuffer(succeeded(padding) ? padding->source : input) ==
        getRootBuffer(output))
      return;
    SmallVector<int64_t> args(windowType.getShape());
    llvm::append_range(args, pool.getStrides().getValues<int64_t>());
    llvm::append_range(args, pool.getDilations().getValues<int64_t>());
    input = appendPaddingArguments(padding, input, args);
    createCall(pool, "xf_kernel_max_pool2d_nchw_f32", /*flags=*/0,
               {input, output}, args);
    pool->erase();
    if (fill)
      fill->erase();
    erasePaddedCopy(padding);
  }

private:
  /// Appends the kernel's padding arguments (top, left, bottom, right; all
  /// 0 without `padding`) to `args`; returns the buffer the kernel reads:
  /// the unpadded source, or `input`.
  static Value appendPaddingArguments(const FailureOr<PaddedInput> &padding,
                                      Value input,
                                      SmallVectorImpl<int64_t> &args) {
    if (failed(padding)) {
      llvm::append_range(args, ArrayRef<int64_t>{0, 0, 0, 0});
      return input;
    }
    llvm::append_range(args,
                       ArrayRef<int64_t>{padding->top, padding->left,
                                         padding->bottom, padding->right});
    return padding->source;
  }

  /// Erases the padded copy `padding` matched, now that the kernel reads
  /// its source.
  static void erasePaddedCopy(const FailureOr<PaddedInput> &padding) {
    if (failed(padding))
      return;
    for (Operation *op : padding->fillOps)
      op->erase();
    padding->alloc->erase();
  }

  /// Inserts, before `point`, a call of `kernel` with the next call-site
  /// number, `flags`, the buffers `operands` cast to fully dynamic strided
  /// memrefs and then `extraArgs` (i64 values).
  void createCall(Operation *point, StringRef kernel, int64_t flags,
                  ArrayRef<Value> operands, ArrayRef<int64_t> extraArgs) {
    OpBuilder builder(point);
    Location loc = point->getLoc();
    auto i64 = [&](int64_t value) -> Value {
      return arith::ConstantOp::create(builder, loc,
                                       builder.getI64IntegerAttr(value));
    };
    SmallVector<Value> args = {i64(nextSite++), i64(flags)};
    for (Value operand : operands) {
      auto type = getDynamicStridedType(cast<MemRefType>(operand.getType()));
      args.push_back(memref::CastOp::create(builder, loc, type, operand));
    }
    for (int64_t value : extraArgs)
      args.push_back(i64(value));
    func::FuncOp callee = getOrDeclare(kernel, TypeRange(ValueRange(args)));
    func::CallOp::create(builder, loc, callee, args);
  }

  /// Chooses the buffer a convolution kernel writes when it adds `residual`
  /// (or null) with a sum post-op: the residual's own buffer (second member
  /// true) when `canTakeOver`, which saves copying it; else `fallback`, into
  /// which the residual is then copied. Fails when the chosen buffer would
  /// overlap a buffer in `reads` (or the residual it is copied from).
  static FailureOr<std::pair<Value, bool>>
  chooseDestination(Value fallback, Value residual, bool canTakeOver,
                    ArrayRef<Value> reads) {
    auto overlaps = [&](Value destination, bool takeOver) {
      Value root = getRootBuffer(destination);
      if (residual && !takeOver && residual != destination &&
          getRootBuffer(residual) == root)
        return true;
      return llvm::any_of(reads, [&](Value value) {
        return value && getRootBuffer(value) == root;
      });
    };
    if (residual && canTakeOver && !overlaps(residual, /*takeOver=*/true))
      return std::make_pair(residual, true);
    if (!overlaps(fallback, /*takeOver=*/false))
      return std::make_pair(fallback, false);
    return failure();
  }

  /// Whether `residual` is a fresh allocation of `type` that no op uses
  /// from `point` on except `reader`: a kernel may then accumulate into it.
  static bool isDeadResidualAfter(Value residual, Type type, Operation *point,
                                  Operation *reader) {
    return residual.getDefiningOp<memref::AllocOp>() &&
           residual.getType() == type &&
           llvm::all_of(residual.getUsers(), [&](Operation *user) {
             return user == reader || (user->getBlock() == point->getBlock() &&
                                       user->isBeforeInBlock(point));
           });
  }

  /// Chooses the buffer a convolution with the whole `epilogue` writes (see
  /// chooseDestination): the epilogue's output, or the residual, which then
  /// replaces the epilogue's output in later uses.
  static FailureOr<std::pair<Value, bool>>
  chooseEpilogueDestination(const ConvEpilogue &epilogue,
                            ArrayRef<Value> inputs) {
    linalg::GenericOp generic = epilogue.generic;
    Value init = generic.getDpsInits()[0];
    Value residual = epilogue.residual;
    bool canTakeOver =
        residual && residual != init && init.getDefiningOp<memref::AllocOp>() &&
        isDeadResidualAfter(residual, init.getType(), generic, generic);
    SmallVector<Value> reads(inputs);
    reads.push_back(epilogue.bias);
    return chooseDestination(init, residual, canTakeOver, reads);
  }

  /// Chooses the buffer a convolution with the epilogue `prefix` writes
  /// (see chooseDestination): its own output, or the residual, which the
  /// generic then reads instead.
  static FailureOr<std::pair<Value, bool>>
  choosePrefixDestination(const ConvEpiloguePrefix &prefix,
                          linalg::Conv2DNchwFchwOp conv,
                          ArrayRef<Value> inputs) {
    Value output = conv.getOutputs()[0];
    Value residual = prefix.residual;
    bool canTakeOver =
        residual &&
        isDeadResidualAfter(residual, output.getType(), conv, prefix.generic);
    SmallVector<Value> reads(inputs);
    reads.push_back(prefix.bias);
    return chooseDestination(output, residual, canTakeOver, reads);
  }

  /// Returns the declaration of `kernel`, creating it with C-interface
  /// wrapping on first use.
  func::FuncOp getOrDeclare(StringRef kernel, TypeRange argTypes) {
    if (auto existing = module.lookupSymbol<func::FuncOp>(kernel))
      return existing;
    OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
    auto decl =
        func::FuncOp::create(builder, module.getLoc(), kernel,
                             builder.getFunctionType(argTypes, /*results=*/{}));
    decl.setPrivate();
    decl->setAttr("llvm.emit_c_interface", builder.getUnitAttr());
    return decl;
  }

  ModuleOp module;
  int64_t nextSite = 0;
};

/// Returns the operands of a 2-D `linalg.matmul` as the kernel takes them
/// (A[M,K], B[K,N], C[M,N]): operands its indexing maps read transposed
/// become transposed views. Fails for any other maps.
FailureOr<SmallVector<Value>> getMatmulKernelOperands(linalg::MatmulOp op) {
  SmallVector<Value> operands(op->getOperands());
  if (!op.hasUserDefinedMaps())
    return operands;
  MLIRContext *context = op.getContext();
  AffineExpr m = getAffineDimExpr(0, context);
  AffineExpr n = getAffineDimExpr(1, context);
  AffineExpr k = getAffineDimExpr(2, context);
  auto map = [&](AffineExpr row, AffineExpr column) {
    return AffineMap::get(3, 0, {row, column}, context);
  };
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (maps.size() != 3 || maps[2] != map(m, n))
    return failure();
  bool transposeA = maps[0] == map(k, m), transposeB = maps[1] == map(n, k);
  if ((!transposeA && maps[0] != map(m, k)) ||
      (!transposeB && maps[1] != map(k, n)))
    return failure();
  OpBuilder builder(op);
  auto swap = AffineMapAttr::get(
      AffineMap::getPermutationMap(ArrayRef<unsigned>{1, 0}, context));
  if (transposeA)
    operands[0] =
        memref::TransposeOp::create(builder, op.getLoc(), operands[0], swap);
  if (transposeB)
    operands[1] =
        memref::TransposeOp::create(builder, op.getLoc(), operands[1], swap);
  return operands;
}

struct ConvertLinalgToKernelCallsPass
    : exaforge::impl::ConvertLinalgToKernelCallsBase<
          ConvertLinalgToKernelCallsPass> {
  void runOnOperation() override {
    KernelCallRewriter rewriter(getOperation());
    SmallVector<Operation *> candidates;
    getOperation().walk([&](Operation *op) {
      if (isa<linalg::MatmulOp, linalg::BatchMatmulOp, linalg::Conv2DNchwFchwOp,
              linalg::PoolingNchwMaxOp>(op) &&
          hasF32MemRefOperands(op))
        candidates.push_back(op);
    });
    for (Operation *op : candidates) {
      if (auto matmul = dyn_cast<linalg::MatmulOp>(op)) {
        FailureOr<SmallVector<Value>> operands =
            getMatmulKernelOperands(matmul);
        if (succeeded(operands))
          rewriter.replaceWithCall(matmul, "xf_kernel_matmul_f32", *operands,
                                   /*weightsIndex=*/1, {});
      } else if (auto batch = dyn_cast<linalg::BatchMatmulOp>(op)) {
        if (!batch.hasUserDefinedMaps())
          rewriter.replaceWithCall(batch, "xf_kernel_batch_matmul_f32",
                                   SmallVector<Value>(op->getOperands()),
                                   /*weightsIndex=*/1, {});
      } else if (auto conv = dyn_cast<linalg::Conv2DNchwFchwOp>(op)) {
        rewriter.replaceConv(conv);
      } else if (auto pool = dyn_cast<linalg::PoolingNchwMaxOp>(op)) {
        rewriter.replaceMaxPool(pool);
      }
    }
    // The absorbed paddings and epilogues leave buffers that are only
    // written.
    getOperation().walk([](FunctionOpInterface func) {
      exaforge::eraseWriteOnlyBuffers(func);
    });
    // The marks have served their purpose; the LLVM lowering does not know
    // them.
    getOperation().walk([](FunctionOpInterface func) {
      for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i)
        func.removeArgAttr(i, exaforge::kConstantBufferAttrName);
    });
  }
};
} // namespace
