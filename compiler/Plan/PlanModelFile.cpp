//===- PlanModelFile.cpp - Planning a model file on a machine -------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "compiler/Plan/PlanModelFile.h"

#include "compiler/Import/ONNX/OnnxImporter.h"
#include "dialects/Dist/DistDialect.h"
#include "dialects/Graph/GraphDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace exaforge;
using namespace exaforge::plan;

FailureOr<ModelPlan>
exaforge::plan::planModelFile(MLIRContext &context, llvm::StringRef modelPath,
                              llvm::StringRef machine,
                              const PlannerOptions &options) {
  context
      .loadDialect<graph::GraphDialect, dist::DistDialect, func::FuncDialect>();
  FailureOr<MachineDescription> description =
      loadMachineDescription(machine, context);
  if (failed(description))
    return failure();
  // Planning reads shapes only: weights (external data included) are never
  // loaded.
  OnnxImportOptions importOptions;
  importOptions.shapesOnly = true;
  FailureOr<OwningOpRef<ModuleOp>> module =
      importOnnxModel(context, modelPath, importOptions);
  if (failed(module))
    return failure();
  FailureOr<PlanResult> result = planModel(**module, *description, options);
  if (failed(result))
    return failure();
  return ModelPlan{std::move(*description), std::move(*result)};
}

std::string exaforge::plan::describeNoFit(llvm::StringRef modelPath,
                                          const ModelPlan &plan,
                                          int64_t nodes) {
  const Layout &smallest = plan.result.smallest;
  std::string text;
  llvm::raw_string_ostream os(text);
  os << modelPath << " does not fit on " << nodes << " node"
     << (nodes == 1 ? "" : "s") << " of " << plan.machine.name << " ("
     << plan.result.ranks << " ranks"
     << "): the layout needing the least memory, dp " << smallest.dp << " x tp "
     << smallest.tp << " x pp " << smallest.pp << ", needs "
     << formatBytes(smallest.memoryPerDeviceBytes) << " per device (weights "
     << formatBytes(smallest.weightBytesPerDevice) << ", activations "
     << formatBytes(smallest.activationBytesPerDevice) << ", buffers "
     << formatBytes(smallest.bufferBytesPerDevice) << "), a device has "
     << formatBytes(plan.machine.device.memoryBytes);
  return text;
}
