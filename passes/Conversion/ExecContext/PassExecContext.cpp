//===- PassExecContext.cpp - The execution context in runtime calls -------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `pass-exec-context` (see Passes.td).
//
// The pass works on the module's call graph of func.func ops:
//  1. the runtime declarations (`xf_*`, but for those called without a
//     context, see Contract.h) take an `!llvm.ptr` first argument;
//  2. a function with a body needs the context when it is the entry, or
//     calls a runtime function or a function that needs it (to a fixed
//     point), unless it creates its own (calls xf_exec_context_create);
//  3. each function that needs it receives it as its first argument, and
//     every call of a runtime function or of such a function passes, first,
//     the caller's context (a context the function created must exist: a
//     call before its creation or after its destruction is an error).
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/Passes.h"

#include "exaforge/abi/Contract.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/DenseSet.h"

namespace exaforge {
#define GEN_PASS_DEF_PASSEXECCONTEXT
#include "passes/Conversion/Passes.h.inc"
} // namespace exaforge

using namespace mlir;

namespace {

/// Whether compiled code calls the runtime function `name` without a
/// context (exaforge/abi/Contract.h).
bool isCalledWithoutContext(StringRef name) {
  return name == exaforge::abi::kParallelForFunction ||
         name == exaforge::abi::kCudaSynchronizeFunction ||
         name == exaforge::abi::kCudaCopyFunction ||
         name == exaforge::abi::kExecContextCreateFunction ||
         name == exaforge::abi::kExecContextDestroyFunction;
}

/// Whether `function` is a runtime function that takes the context.
bool isRuntimeFunctionTakingContext(func::FuncOp function) {
  StringRef name = function.getSymName();
  return function.isExternal() &&
         name.starts_with(exaforge::abi::kRuntimeSymbolPrefix) &&
         !isCalledWithoutContext(name);
}

/// The context a function creates itself: the result of its first call of
/// xf_exec_context_create, or null.
Value findCreatedContext(func::FuncOp function) {
  Value created;
  function.walk([&](func::CallOp call) {
    if (call.getCallee() != exaforge::abi::kExecContextCreateFunction ||
        call.getNumResults() != 1)
      return WalkResult::advance();
    created = call.getResult(0);
    return WalkResult::interrupt();
  });
  return created;
}

/// The functions of a module, as the pass sees them.
struct ModuleFunctions {
  /// The runtime functions that take the context, in module order.
  SmallVector<func::FuncOp> runtimeFunctions;
  /// The functions with a body, in module order.
  SmallVector<func::FuncOp> definitions;
  /// The context each function that creates its own created.
  llvm::DenseMap<func::FuncOp, Value> createdContexts;
  /// The names of the functions whose calls pass the context first: the
  /// runtime functions and the functions receiving it.
  llvm::DenseSet<StringRef> takesContext;
  /// The functions that receive the context as their first argument.
  llvm::DenseSet<func::FuncOp> receivesContext;
};

/// Sorts the functions of `module` (step 1 of the file comment).
ModuleFunctions collectFunctions(ModuleOp module) {
  ModuleFunctions functions;
  for (auto function : module.getOps<func::FuncOp>()) {
    if (isRuntimeFunctionTakingContext(function)) {
      functions.runtimeFunctions.push_back(function);
      functions.takesContext.insert(function.getSymName());
    } else if (!function.isExternal()) {
      functions.definitions.push_back(function);
      if (Value created = findCreatedContext(function))
        functions.createdContexts[function] = created;
    }
  }
  return functions;
}

/// Adds to `functions.receivesContext` the functions that need the context
/// besides `entry` (step 2 of the file comment), to a fixed point.
void findFunctionsReceivingContext(ModuleFunctions &functions) {
  auto callsFunctionTakingContext = [&](func::FuncOp function) {
    return function
        .walk([&](func::CallOp call) {
          return functions.takesContext.contains(call.getCallee())
                     ? WalkResult::interrupt()
                     : WalkResult::advance();
        })
        .wasInterrupted();
  };
  bool changed = true;
  while (changed) {
    changed = false;
    for (func::FuncOp function : functions.definitions) {
      if (functions.receivesContext.contains(function) ||
          functions.createdContexts.contains(function) ||
          !callsFunctionTakingContext(function))
        continue;
      functions.receivesContext.insert(function);
      functions.takesContext.insert(function.getSymName());
      changed = true;
    }
  }
}

/// Fails, with a diagnostic, when a function receiving the context is
/// referenced other than by a call.
LogicalResult checkOnlyCalled(ModuleOp module,
                              const ModuleFunctions &functions) {
  for (func::FuncOp function : functions.definitions) {
    if (!functions.receivesContext.contains(function))
      continue;
    std::optional<SymbolTable::UseRange> uses =
        SymbolTable::getSymbolUses(function, module);
    if (!uses)
      continue;
    for (const SymbolTable::SymbolUse &use : *uses)
      if (!isa<func::CallOp>(use.getUser()))
        return use.getUser()->emitError()
               << "'" << function.getSymName()
               << "' receives the execution context and may only be called";
  }
  return success();
}

/// The call that destroys `context`, a context its function created, or
/// null.
Operation *findDestruction(Value context) {
  for (Operation *user : context.getUsers())
    if (auto call = dyn_cast<func::CallOp>(user);
        call &&
        call.getCallee() == exaforge::abi::kExecContextDestroyFunction)
      return call;
  return nullptr;
}

/// Passes `context` first in every call of `function` that takes it.
LogicalResult passContextInCalls(func::FuncOp function, Value context,
                                 const ModuleFunctions &functions) {
  Operation *creation = context.getDefiningOp();
  Operation *destruction = creation ? findDestruction(context) : nullptr;
  WalkResult result = function.walk([&](func::CallOp call) {
    StringRef callee = call.getCallee();
    if (!functions.takesContext.contains(callee))
      return WalkResult::advance();
    if (creation && creation->getBlock() == call->getBlock() &&
        !creation->isBeforeInBlock(call)) {
      call.emitError() << "'" << callee
                       << "' is called before the execution context is "
                          "created";
      return WalkResult::interrupt();
    }
    if (destruction && destruction->getBlock() == call->getBlock() &&
        destruction->isBeforeInBlock(call)) {
      call.emitError() << "'" << callee
                       << "' is called after the execution context is "
                          "destroyed";
      return WalkResult::interrupt();
    }
    SmallVector<Value> operands{context};
    llvm::append_range(operands, call.getOperands());
    call->setOperands(operands);
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

struct PassExecContextPass
    : exaforge::impl::PassExecContextBase<PassExecContextPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    ModuleFunctions functions = collectFunctions(module);
    if (auto entryFunction = SymbolTable(module).lookup<func::FuncOp>(entry)) {
      if (entryFunction.isExternal()) {
        entryFunction.emitError("the entry function has no body");
        return signalPassFailure();
      }
      functions.receivesContext.insert(entryFunction);
      functions.takesContext.insert(entryFunction.getSymName());
    }
    findFunctionsReceivingContext(functions);
    if (failed(checkOnlyCalled(module, functions)))
      return signalPassFailure();

    // Step 3: the signatures, then the calls.
    Type pointer = LLVM::LLVMPointerType::get(&getContext());
    for (func::FuncOp function : functions.runtimeFunctions)
      if (failed(function.insertArgument(0, pointer, /*argAttrs=*/{},
                                         function.getLoc())))
        return signalPassFailure();
    for (func::FuncOp function : functions.definitions) {
      Value context = functions.createdContexts.lookup(function);
      if (functions.receivesContext.contains(function)) {
        if (failed(function.insertArgument(0, pointer, /*argAttrs=*/{},
                                           function.getLoc())))
          return signalPassFailure();
        context = function.getArgument(0);
      }
      if (context && failed(passContextInCalls(function, context, functions)))
        return signalPassFailure();
    }
  }
};

} // namespace
