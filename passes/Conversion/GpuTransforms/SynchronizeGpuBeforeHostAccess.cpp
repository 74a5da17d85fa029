//===- SynchronizeGpuBeforeHostAccess.cpp - Waits where the host reads ----===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `synchronize-gpu-before-host-access` (see Passes.td).
//
// Each block is scanned in order with one fact: whether GPU work may be
// pending (enqueued on the run's stream and not waited for). GPU work is a
// kernel launch, a call the runtime enqueues (a library kernel, a
// collective), a call of a function of the module that does either (to a
// fixed point over the call graph), or a call of an unknown function; a
// host memory access while work is pending gets a wait before it, after
// which nothing is pending. A call of a function of the module that
// enqueues nothing (such as the helper of the ownership-based
// deallocation) is a host access of its memref operands. An op with
// regions and no GPU work inside is one access (one wait before it, none
// inside, so a host loop waits once); one with GPU work inside has its
// blocks scanned on their own, each starting with work pending.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/DenseSet.h"

namespace exaforge {
#define GEN_PASS_DEF_SYNCHRONIZEGPUBEFOREHOSTACCESS
#include "passes/Conversion/Passes.h.inc"
} // namespace exaforge

using namespace mlir;
namespace abi = exaforge::abi;

namespace {

/// What a call does, for the scan.
enum class CallKind {
  /// Touches no tensor memory and enqueues nothing (allocation, checks,
  /// profile regions).
  DataFree,
  /// Enqueues work on the run's stream and reads nothing on the host (the
  /// CUDA library kernels), or waits itself before the host touches memory
  /// (collectives).
  GpuWork,
  /// The wait this pass inserts.
  Wait,
  /// A function of the module that enqueues nothing: touches the memory of
  /// its memref operands on the host.
  HostFunction,
  /// Anything else: may read its memref operands on the host and may
  /// enqueue work.
  Unknown,
};

/// Classifies a call of the runtime or of an external function named
/// `callee`.
CallKind classifyExternalCall(StringRef callee) {
  if (callee == abi::kCudaSynchronizeFunction)
    return CallKind::Wait;
  if (callee == abi::kAllocFunction || callee == abi::kFreeFunction ||
      callee == abi::kCheckFailedFunction ||
      callee == abi::kProfileBeginFunction ||
      callee == abi::kProfileEndFunction ||
      callee == abi::kDistAxisIndexFunction ||
      callee == abi::kExecContextCreateFunction ||
      callee == abi::kExecContextDestroyFunction)
    return CallKind::DataFree;
  if (callee.starts_with(abi::kCudaKernelFunctionPrefix) ||
      callee.starts_with(abi::kDistFunctionPrefix))
    return CallKind::GpuWork;
  return CallKind::Unknown;
}

/// Whether `call` has a memref or pointer operand (memory an unknown callee
/// or a host function may read).
bool hasMemrefOperand(Operation *call) {
  return llvm::any_of(call->getOperandTypes(),
                      llvm::IsaPred<BaseMemRefType, LLVM::LLVMPointerType>);
}

/// Whether `op`, a non-call without regions, may read or write memory on
/// the host: any read or write effect, or effects it does not declare.
bool accessesMemory(Operation *op) {
  auto effects = dyn_cast<MemoryEffectOpInterface>(op);
  if (!effects)
    return true;
  return effects.hasEffect<MemoryEffects::Read>() ||
         effects.hasEffect<MemoryEffects::Write>();
}

/// Classifies the calls of a module: a call of one of its own functions
/// with a body is GPU work when that function may enqueue some (a launch,
/// a call that is GPU work or unknown, to a fixed point), and otherwise a
/// host function, which only touches the memory it is given (DataFree when
/// it is given none).
class CallClassifier {
public:
  explicit CallClassifier(ModuleOp module) {
    for (auto function : module.getOps<func::FuncOp>())
      if (!function.isExternal())
        definitions.push_back(function);
    for (func::FuncOp function : definitions)
      defined.insert(function.getSymName());
    // Every function is host-only until shown to enqueue work.
    bool changed = true;
    while (changed) {
      changed = false;
      for (func::FuncOp function : definitions)
        if (!enqueuing.contains(function.getSymName()) &&
            containsGpuWork(function)) {
          enqueuing.insert(function.getSymName());
          changed = true;
        }
    }
  }

  /// The kind of `call`; an indirect call is Unknown.
  CallKind classify(CallOpInterface call) const {
    auto callee =
        llvm::dyn_cast_if_present<SymbolRefAttr>(call.getCallableForCallee());
    if (!callee)
      return CallKind::Unknown;
    StringRef name = callee.getLeafReference().getValue();
    if (!defined.contains(name))
      return classifyExternalCall(name);
    if (enqueuing.contains(name))
      return CallKind::GpuWork;
    return hasMemrefOperand(call) ? CallKind::HostFunction : CallKind::DataFree;
  }

  /// Whether `op` or an op inside it enqueues GPU work.
  bool containsGpuWork(Operation *op) const {
    WalkResult result = op->walk([&](Operation *nested) {
      if (isa<gpu::LaunchFuncOp>(nested))
        return WalkResult::interrupt();
      if (auto call = dyn_cast<CallOpInterface>(nested)) {
        CallKind kind = classify(call);
        if (kind == CallKind::GpuWork || kind == CallKind::Unknown)
          return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    return result.wasInterrupted();
  }

  /// Whether `op` or an op inside it may touch memory on the host.
  bool containsHostAccess(Operation *op) const {
    WalkResult result = op->walk([&](Operation *nested) {
      if (isa<gpu::LaunchFuncOp>(nested))
        return WalkResult::advance();
      if (auto call = dyn_cast<CallOpInterface>(nested)) {
        CallKind kind = classify(call);
        return (kind == CallKind::Unknown || kind == CallKind::HostFunction) &&
                       hasMemrefOperand(nested)
                   ? WalkResult::interrupt()
                   : WalkResult::advance();
      }
      if (nested->getNumRegions() == 0 && accessesMemory(nested))
        return WalkResult::interrupt();
      return WalkResult::advance();
    });
    return result.wasInterrupted();
  }

  /// The module's functions with a body, in module order.
  ArrayRef<func::FuncOp> getDefinitions() const { return definitions; }

private:
  SmallVector<func::FuncOp> definitions;
  /// The names of the functions with a body, and of those that may enqueue
  /// work.
  llvm::DenseSet<StringRef> defined, enqueuing;
};

/// Inserts the waits of a module's functions.
class WaitInserter {
public:
  WaitInserter(const CallClassifier &calls, func::FuncOp wait)
      : calls(calls), wait(wait) {}

  /// Scans `block`, where GPU work is pending at the start when `pending`.
  void scanBlock(Block &block, bool pending) {
    for (Operation &op : llvm::make_early_inc_range(block))
      pending = scanOp(op, pending);
  }

private:
  /// Scans `op`, reached with work `pending`; returns whether work is
  /// pending after it.
  bool scanOp(Operation &op, bool pending) {
    if (isa<gpu::LaunchFuncOp>(op))
      return true;
    if (auto call = dyn_cast<CallOpInterface>(&op)) {
      switch (calls.classify(call)) {
      case CallKind::DataFree:
        return pending;
      case CallKind::Wait:
        return false;
      case CallKind::GpuWork:
        return true;
      case CallKind::HostFunction:
        if (pending)
          insertWaitBefore(op);
        return false;
      case CallKind::Unknown:
        if (pending && hasMemrefOperand(&op))
          insertWaitBefore(op);
        return true;
      }
    }
    if (op.getNumRegions() == 0) {
      if (!pending || !accessesMemory(&op))
        return pending;
      insertWaitBefore(op);
      return false;
    }
    if (!calls.containsGpuWork(&op)) {
      if (!pending || !calls.containsHostAccess(&op))
        return pending;
      insertWaitBefore(op);
      return false;
    }
    for (Region &region : op.getRegions())
      for (Block &block : region)
        scanBlock(block, /*pending=*/true);
    return true;
  }

  void insertWaitBefore(Operation &op) {
    OpBuilder builder(&op);
    func::CallOp::create(builder, op.getLoc(), wait, ValueRange{});
  }

  const CallClassifier &calls;
  func::FuncOp wait;
};

struct SynchronizeGpuBeforeHostAccess
    : exaforge::impl::SynchronizeGpuBeforeHostAccessBase<
          SynchronizeGpuBeforeHostAccess> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    CallClassifier calls(module);
    auto wait =
        module.lookupSymbol<func::FuncOp>(abi::kCudaSynchronizeFunction);
    if (!wait) {
      auto builder = OpBuilder::atBlockEnd(module.getBody());
      wait = func::FuncOp::create(builder, module.getLoc(),
                                  abi::kCudaSynchronizeFunction,
                                  builder.getFunctionType({}, {}));
      wait.setPrivate();
    }
    WaitInserter inserter(calls, wait);
    // A function is entered with work pending: its caller's, or at the
    // entry point, the copies of the inputs on the run's stream.
    for (func::FuncOp function : calls.getDefinitions())
      for (Block &block : function.getBody())
        inserter.scanBlock(block, /*pending=*/true);
    if (wait.symbolKnownUseEmpty(module))
      wait.erase();
  }
};

} // namespace
