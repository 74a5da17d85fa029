//===- exaforge-opt.cpp - Exaforge optimizer driver -----------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// MlirOptMain with every Exaforge dialect and pass, plus the upstream
// dialects and passes that Exaforge pipelines use. The driver of lit tests.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/GraphDialect.h"
#include "passes/Graph/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  registry.insert<exaforge::graph::GraphDialect, mlir::func::FuncDialect>();
  mlir::registerTransformsPasses();
  exaforge::graph::registerGraphPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "Exaforge optimizer driver\n", registry));
}
