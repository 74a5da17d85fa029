//===- MachinesCommand.cpp - `exaforge machines` --------------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "compiler/Driver/MachinesCommand.h"
#include "compiler/Driver/Driver.h"
#include "compiler/Plan/MachineDescription.h"
#include "compiler/Plan/MachinePresets.h"
#include "compiler/Plan/Quantity.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

using namespace exaforge;
using namespace exaforge::driver;
using namespace exaforge::plan;

namespace {
/// The f32 peak of one device (every description has one).
double getFloat32Peak(const MachineDescription &machine) {
  return machine.device.peakFlopsPerSecond.lookup("f32");
}

/// Prints the list of presets, one line each.
int listPresets(mlir::MLIRContext &context) {
  llvm::outs() << "Machine presets ('exaforge machines NAME' prints one):\n";
  for (const MachinePreset &preset : getMachinePresets()) {
    mlir::FailureOr<MachineDescription> machine =
        loadMachineDescription(preset.name, context);
    if (mlir::failed(machine))
      return ExitFailure;
    std::string size = std::to_string(machine->nodes) + " x " +
                       std::to_string(machine->devicesPerNode);
    llvm::outs() << "  " << llvm::left_justify(preset.name, 18) << " "
                 << llvm::right_justify(size, 9) << "  "
                 << llvm::left_justify(machine->device.model, 28) << " f32 "
                 << formatQuantity(getFloat32Peak(*machine),
                                   QuantityKind::FlopsPerSecond)
                 << ", "
                 << formatQuantity(machine->device.memoryBytes,
                                   QuantityKind::Bytes)
                 << "\n";
  }
  return ExitSuccess;
}

/// Prints a summary of `machine` as YAML comments, then the description.
void printDescription(const MachineDescription &machine) {
  int64_t devices = machine.nodes * machine.devicesPerNode;
  double peak = getFloat32Peak(machine);
  llvm::outs() << "# " << machine.name << ": " << machine.nodes << " node"
               << (machine.nodes == 1 ? "" : "s") << " x "
               << machine.devicesPerNode << " devices = " << devices
               << " ranks\n"
               << "# f32 per device: "
               << formatQuantity(peak, QuantityKind::FlopsPerSecond)
               << " peak, "
               << formatQuantity(peak * machine.device.matmulEfficiency,
                                 QuantityKind::FlopsPerSecond)
               << " on matrix products; whole machine: "
               << formatQuantity(peak * static_cast<double>(devices),
                                 QuantityKind::FlopsPerSecond)
               << ", "
               << formatQuantity(machine.device.memoryBytes *
                                     static_cast<double>(devices),
                                 QuantityKind::Bytes)
               << "\n";
  writeMachineDescription(machine, llvm::outs());
}
} // namespace

int exaforge::driver::runMachinesCommand(const std::string &machine) {
  mlir::MLIRContext context;
  mlir::ScopedDiagnosticHandler handler(&context, [](mlir::Diagnostic &diag) {
    printDiagnosticLine(diag, llvm::errs());
    return mlir::success();
  });
  if (machine.empty())
    return listPresets(context);
  mlir::FailureOr<MachineDescription> description =
      loadMachineDescription(machine, context);
  if (mlir::failed(description))
    return ExitFailure;
  printDescription(*description);
  return ExitSuccess;
}
