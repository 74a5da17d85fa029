//===- AssertsToRuntimeCalls.cpp - cf.assert to runtime error reports -----===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `convert-asserts-to-runtime-calls` (see Passes.td): each
// `cf.assert` becomes an `scf.if` on the negated condition that calls the
// runtime's `xf_check_failed` with the message, a constant global string.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/Passes.h"

#include "exaforge/abi/Contract.h"

#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/SymbolTable.h"

namespace exaforge {
#define GEN_PASS_DEF_CONVERTASSERTSTORUNTIMECALLS
#include "passes/Conversion/Passes.h.inc"
} // namespace exaforge

using namespace mlir;

namespace {

/// The runtime function that records a failed check
/// (exaforge/abi/checks.h).
constexpr llvm::StringLiteral kCheckFailedName =
    exaforge::abi::kCheckFailedFunction;

/// The name of the global strings holding the messages (numbered by the
/// symbol table when there are several).
constexpr llvm::StringLiteral kMessageName = "xf_check_message";

/// Rewrites the asserts of one module; see the file comment.
class AssertRewriter {
public:
  explicit AssertRewriter(ModuleOp module) : module(module), symbols(module) {}

  /// Replaces `assertOp` by a call of xf_check_failed when its condition is
  /// false.
  void rewrite(cf::AssertOp assertOp);

private:
  /// Declares xf_check_failed in the module (once).
  func::FuncOp getOrDeclareCheckFailed();

  /// Returns the global string holding `message` (one per distinct
  /// message), creating it on first use.
  LLVM::GlobalOp getOrCreateMessage(Location loc, StringRef message);

  ModuleOp module;
  SymbolTable symbols;
  llvm::StringMap<LLVM::GlobalOp> messages;
};

func::FuncOp AssertRewriter::getOrDeclareCheckFailed() {
  if (auto existing = symbols.lookup<func::FuncOp>(kCheckFailedName))
    return existing;
  OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
  auto type = builder.getFunctionType(
      {LLVM::LLVMPointerType::get(module.getContext())}, {});
  auto declaration =
      func::FuncOp::create(builder, module.getLoc(), kCheckFailedName, type);
  declaration.setPrivate();
  symbols.insert(declaration);
  return declaration;
}

LLVM::GlobalOp AssertRewriter::getOrCreateMessage(Location loc,
                                                  StringRef message) {
  auto [it, inserted] = messages.try_emplace(message);
  if (!inserted)
    return it->second;
  OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
  std::string text = message.str();
  text.push_back('\0');
  auto type = LLVM::LLVMArrayType::get(builder.getI8Type(), text.size());
  auto global = LLVM::GlobalOp::create(builder, loc, type, /*isConstant=*/true,
                                       LLVM::Linkage::Internal, kMessageName,
                                       builder.getStringAttr(text));
  symbols.insert(global); // Renames it when the name is taken.
  it->second = global;
  return global;
}

void AssertRewriter::rewrite(cf::AssertOp assertOp) {
  Location loc = assertOp.getLoc();
  func::FuncOp checkFailed = getOrDeclareCheckFailed();
  LLVM::GlobalOp message = getOrCreateMessage(loc, assertOp.getMsg());
  OpBuilder builder(assertOp);
  Value failed =
      arith::XOrIOp::create(builder, loc, assertOp.getArg(),
                            arith::ConstantIntOp::create(builder, loc, 1, 1));
  auto ifOp = scf::IfOp::create(builder, loc, failed, /*withElseRegion=*/false);
  builder.setInsertionPointToStart(ifOp.thenBlock());
  Value address = LLVM::AddressOfOp::create(builder, loc, message);
  func::CallOp::create(builder, loc, checkFailed, ValueRange{address});
  assertOp.erase();
}

struct ConvertAssertsToRuntimeCallsPass
    : exaforge::impl::ConvertAssertsToRuntimeCallsBase<
          ConvertAssertsToRuntimeCallsPass> {
  void runOnOperation() override {
    SmallVector<cf::AssertOp> asserts;
    getOperation().walk([&](cf::AssertOp op) { asserts.push_back(op); });
    if (asserts.empty())
      return;
    AssertRewriter rewriter(getOperation());
    for (cf::AssertOp op : asserts)
      rewriter.rewrite(op);
  }
};

} // namespace
