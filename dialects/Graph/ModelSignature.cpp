//===- ModelSignature.cpp - The model function and its weights ------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/ModelSignature.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"

using namespace mlir;

namespace {
/// Names a weight argument: its resource key, or `const_<N>`.
constexpr llvm::StringLiteral kWeightNameAttrName = "graph.weight_name";
/// Holds a weight argument's global value.
constexpr llvm::StringLiteral kWeightValueAttrName = "graph.weight_value";
} // namespace

func::FuncOp exaforge::graph::lookupModelFunction(ModuleOp module) {
  return module.lookupSymbol<func::FuncOp>(kModelFunctionName);
}

DictionaryAttr exaforge::graph::getWeightArgumentAttrs(MLIRContext *context,
                                                       StringRef name,
                                                       ElementsAttr value) {
  Builder builder(context);
  return builder.getDictionaryAttr(
      {builder.getNamedAttr(kWeightNameAttrName, builder.getStringAttr(name)),
       builder.getNamedAttr(kWeightValueAttrName, value)});
}

bool exaforge::graph::isWeightArgument(func::FuncOp func, unsigned index) {
  return func.getArgAttr(index, kWeightNameAttrName) != nullptr;
}

StringAttr exaforge::graph::getWeightName(func::FuncOp func, unsigned index) {
  return func.getArgAttrOfType<StringAttr>(index, kWeightNameAttrName);
}

ElementsAttr exaforge::graph::getWeightValue(func::FuncOp func,
                                             unsigned index) {
  return func.getArgAttrOfType<ElementsAttr>(index, kWeightValueAttrName);
}
