//===- AllocsToRuntimeCalls.cpp - Buffers from the runtime's pool ---------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `convert-allocs-to-runtime-calls` (see Passes.td): each
// `memref.alloc` becomes a call of the runtime's `xf_alloc(bytes, alignment,
// node)` (node: the ONNX node name of the alloc's location, a constant
// string that an out-of-memory message names) and a memref descriptor built
// around the pointer it returns, each
// `memref.dealloc` a call of `xf_free` with the buffer's allocated pointer
// (exaforge/abi/allocation.h). The descriptors are LLVM structs, cast back to
// memrefs with `builtin.unrealized_conversion_cast` ops that
// `reconcile-unrealized-casts` removes once everything is in the LLVM
// dialect. `pass-exec-context`, run after this pass, adds the context
// argument to the calls like to every other runtime call.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/NodeNameStrings.h"
#include "passes/Conversion/Passes.h"

#include "exaforge/abi/Contract.h"

#include "mlir/Conversion/LLVMCommon/MemRefBuilder.h"
#include "mlir/Conversion/LLVMCommon/Pattern.h"
#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/DialectConversion.h"

namespace exaforge {
#define GEN_PASS_DEF_CONVERTALLOCSTORUNTIMECALLS
#include "passes/Conversion/Passes.h.inc"
} // namespace exaforge

using namespace mlir;

namespace {

/// `memref.alloc` -> `xf_alloc(bytes, alignment, node name)` and a
/// descriptor whose allocated and aligned pointers are both the result (the
/// runtime aligns every buffer to the alignment asked, and to at least 64
/// bytes).
struct AllocToRuntimeCall : ConvertOpToLLVMPattern<memref::AllocOp> {
  AllocToRuntimeCall(const LLVMTypeConverter &converter, func::FuncOp alloc)
      : ConvertOpToLLVMPattern(converter), alloc(alloc) {}

  LogicalResult
  matchAndRewrite(memref::AllocOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    MemRefType type = op.getType();
    if (!isConvertibleAndHasIdentityMaps(type))
      return rewriter.notifyMatchFailure(op, "a buffer with a layout");
    Location loc = op.getLoc();
    SmallVector<Value, 4> sizes, strides;
    Value bytes;
    getMemRefDescriptorSizes(loc, type, adaptor.getDynamicSizes(), rewriter,
                             sizes, strides, bytes);
    Value alignment = LLVM::ConstantOp::create(
        rewriter, loc, getIndexType(),
        static_cast<int64_t>(op.getAlignment().value_or(0)));
    Value node = exaforge::getNodeNameAddress(op, rewriter);
    Value pointer = func::CallOp::create(rewriter, loc, alloc,
                                         ValueRange{bytes, alignment, node})
                        .getResult(0);
    Value descriptor = createMemRefDescriptor(loc, type, pointer, pointer,
                                              sizes, strides, rewriter);
    rewriter.replaceOp(op, descriptor);
    return success();
  }

  func::FuncOp alloc;
};

/// `memref.dealloc` -> `xf_free(allocated pointer)`.
struct DeallocToRuntimeCall : ConvertOpToLLVMPattern<memref::DeallocOp> {
  DeallocToRuntimeCall(const LLVMTypeConverter &converter, func::FuncOp free)
      : ConvertOpToLLVMPattern(converter), free(free) {}

  LogicalResult
  matchAndRewrite(memref::DeallocOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isa<MemRefType>(op.getMemref().getType()))
      return rewriter.notifyMatchFailure(op, "an unranked buffer");
    Location loc = op.getLoc();
    Value pointer =
        MemRefDescriptor(adaptor.getMemref()).allocatedPtr(rewriter, loc);
    func::CallOp::create(rewriter, loc, free, ValueRange{pointer});
    rewriter.eraseOp(op);
    return success();
  }

  func::FuncOp free;
};

/// Returns the declaration of the runtime function `name` of `type`,
/// declaring it at the end of `module` when it is missing, or fails with a
/// diagnostic when `name` is taken by something else.
FailureOr<func::FuncOp> getOrDeclare(ModuleOp module, SymbolTable &symbols,
                                     StringRef name, FunctionType type) {
  if (Operation *existing = symbols.lookup(name)) {
    auto function = dyn_cast<func::FuncOp>(existing);
    if (!function || function.getFunctionType() != type)
      return existing->emitError()
             << "'" << name << "' must be the runtime function of type "
             << type;
    return function;
  }
  OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
  auto declaration = func::FuncOp::create(builder, module.getLoc(), name, type);
  declaration.setPrivate();
  symbols.insert(declaration);
  return declaration;
}

/// Fails, naming the op, when a buffer cannot go through the runtime: every
/// heap buffer must, or the compiled code would need another allocator.
LogicalResult checkConvertible(ModuleOp module) {
  WalkResult result = module.walk([](Operation *op) {
    if (auto alloc = dyn_cast<memref::AllocOp>(op);
        alloc && !alloc.getType().getLayout().isIdentity()) {
      alloc.emitOpError("allocates a buffer with a layout; only buffers "
                        "with the identity layout come from the runtime");
      return WalkResult::interrupt();
    }
    if (auto dealloc = dyn_cast<memref::DeallocOp>(op);
        dealloc && !isa<MemRefType>(dealloc.getMemref().getType())) {
      dealloc.emitOpError("frees an unranked buffer; only ranked buffers "
                          "go back to the runtime");
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

struct ConvertAllocsToRuntimeCallsPass
    : exaforge::impl::ConvertAllocsToRuntimeCallsBase<
          ConvertAllocsToRuntimeCallsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    bool hasAllocs = false, hasDeallocs = false;
    module.walk([&](Operation *op) {
      hasAllocs |= isa<memref::AllocOp>(op);
      hasDeallocs |= isa<memref::DeallocOp>(op);
    });
    if (!hasAllocs && !hasDeallocs)
      return;
    if (failed(checkConvertible(module)))
      return signalPassFailure();

    MLIRContext *context = &getContext();
    LLVMTypeConverter typeConverter(context);
    Type size = IntegerType::get(context, typeConverter.getIndexTypeBitwidth());
    Type pointer = LLVM::LLVMPointerType::get(context);
    SymbolTable symbols(module);
    RewritePatternSet patterns(context);
    if (hasAllocs) {
      FailureOr<func::FuncOp> alloc = getOrDeclare(
          module, symbols, exaforge::abi::kAllocFunction,
          FunctionType::get(context, {size, size, pointer}, {pointer}));
      if (failed(alloc))
        return signalPassFailure();
      // Fresh memory, as malloc's: LLVM then knows that two buffers never
      // overlap (a reduction's accumulator stays in a register, loops
      // vectorize without run-time overlap checks).
      alloc->setResultAttr(0, LLVM::LLVMDialect::getNoAliasAttrName(),
                           UnitAttr::get(context));
      patterns.add<AllocToRuntimeCall>(typeConverter, *alloc);
    }
    if (hasDeallocs) {
      FailureOr<func::FuncOp> free =
          getOrDeclare(module, symbols, exaforge::abi::kFreeFunction,
                       FunctionType::get(context, {pointer}, {}));
      if (failed(free))
        return signalPassFailure();
      patterns.add<DeallocToRuntimeCall>(typeConverter, *free);
    }

    ConversionTarget target(*context);
    target.addIllegalOp<memref::AllocOp, memref::DeallocOp>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    if (failed(applyPartialConversion(module, target, std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
