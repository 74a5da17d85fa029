//===- NodeNameStrings.cpp - ONNX node names as strings of model.so -------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements getNodeNameAddress (NodeNameStrings.h).
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/NodeNameStrings.h"

#include "dialects/Graph/NodeLocation.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"

using namespace mlir;

Value exaforge::getNodeNameAddress(Operation *op, RewriterBase &rewriter) {
  Location loc = op->getLoc();
  std::string text = graph::getOnnxNodeName(loc).str();
  text.push_back('\0');
  StringAttr value = rewriter.getStringAttr(text);
  auto module = op->getParentOfType<ModuleOp>();
  LLVM::GlobalOp global;
  for (auto candidate : module.getOps<LLVM::GlobalOp>())
    if (candidate.getSymName().starts_with(kNodeNameGlobal) &&
        candidate.getValueAttr() == value) {
      global = candidate;
      break;
    }
  if (!global) {
    OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
    auto type = LLVM::LLVMArrayType::get(builder.getI8Type(), text.size());
    global =
        LLVM::GlobalOp::create(builder, loc, type, /*isConstant=*/true,
                               LLVM::Linkage::Internal, kNodeNameGlobal, value);
    SymbolTable(module).insert(global); // Renames it when the name is taken.
  }
  return LLVM::AddressOfOp::create(rewriter, loc, global);
}
