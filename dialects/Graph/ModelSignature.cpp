//===- ModelSignature.cpp - The model function and its weights ------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/ModelSignature.h"

#include "dialects/Graph/GraphOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"

using namespace mlir;
using namespace exaforge::graph;

func::FuncOp exaforge::graph::lookupModelFunction(ModuleOp module) {
  return module.lookupSymbol<func::FuncOp>(kModelFunctionName);
}

WeightOp exaforge::graph::declareWeight(ModuleOp module, StringRef name,
                                        RankedTensorType type,
                                        ElementsAttr value, Location loc) {
  std::string unique = name.str();
  for (unsigned suffix = 1; module.lookupSymbol(unique); ++suffix)
    unique = (name + "." + llvm::Twine(suffix)).str();
  auto builder = OpBuilder::atBlockEnd(module.getBody());
  return WeightOp::create(builder, loc, unique, type, value);
}
