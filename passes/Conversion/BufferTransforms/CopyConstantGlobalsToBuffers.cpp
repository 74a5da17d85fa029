//===- CopyConstantGlobalsToBuffers.cpp - Constants the device can read ---===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `copy-constant-globals-to-buffers` (see Passes.td): a target
// whose kernels cannot read the host code's read-only data reads a copy of
// each constant global in a buffer of the run instead.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/SymbolTable.h"

namespace exaforge {
#define GEN_PASS_DEF_COPYCONSTANTGLOBALSTOBUFFERS
#include "passes/Conversion/Passes.h.inc"
} // namespace exaforge

using namespace mlir;

namespace {
struct CopyConstantGlobalsToBuffersPass
    : exaforge::impl::CopyConstantGlobalsToBuffersBase<
          CopyConstantGlobalsToBuffersPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    SymbolTableCollection symbols;
    SmallVector<memref::GetGlobalOp> reads;
    func.walk([&](memref::GetGlobalOp read) { reads.push_back(read); });
    for (memref::GetGlobalOp read : reads) {
      auto global = symbols.lookupNearestSymbolFrom<memref::GlobalOp>(
          read, read.getNameAttr());
      if (!global || !global.getConstant() || read->use_empty())
        continue;
      OpBuilder builder(read->getContext());
      builder.setInsertionPointAfter(read);
      Location loc = read.getLoc();
      MemRefType type = read.getType();
      auto buffer = memref::AllocOp::create(
          builder, loc, MemRefType::get(type.getShape(), type.getElementType()),
          builder.getI64IntegerAttr(64));
      auto copy =
          memref::CopyOp::create(builder, loc, read.getResult(), buffer);
      read.getResult().replaceAllUsesExcept(buffer, copy);
    }
  }
};
} // namespace
