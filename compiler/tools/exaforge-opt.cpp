//===- exaforge-opt.cpp - Exaforge optimizer driver -----------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// MlirOptMain with every Exaforge dialect and pass, plus every upstream
// dialect, extension and pass (they all live in libMLIR.so), so that lit
// tests can run whole lowering pipelines, and the test passes of test/lib
// (only this tool links them). The driver of lit tests.
//
//===----------------------------------------------------------------------===//

#include "dialects/Dist/DistDialect.h"
#include "dialects/Graph/GraphDialect.h"
#include "dialects/Kernel/KernelDialect.h"
#include "passes/Artifact/Passes.h"
#include "passes/Conversion/Passes.h"
#include "passes/Dist/Passes.h"
#include "passes/Graph/Passes.h"
#include "passes/Pipelines.h"
#include "test/lib/Passes/TestPasses.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  // gpu-module-to-binary translates the device code to LLVM IR.
  mlir::registerAllToLLVMIRTranslations(registry);
  registry.insert<exaforge::dist::DistDialect, exaforge::graph::GraphDialect,
                  exaforge::kernel::KernelDialect>();
  mlir::registerAllPasses();
  exaforge::artifact::registerArtifactPasses();
  exaforge::dist::registerDistPasses();
  exaforge::graph::registerGraphPasses();
  exaforge::registerConversionPasses();
  exaforge::registerExaforgePipelines();
  exaforge::test::registerTestOpCostPass();
  exaforge::test::registerTestShardingRulesPass();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "Exaforge optimizer driver\n", registry));
}
