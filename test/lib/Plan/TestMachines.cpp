//===- TestMachines.cpp - Fixed machine descriptions for tests ------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "test/lib/Plan/TestMachines.h"

#include "compiler/Plan/MachinePresets.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/Twine.h"

using namespace exaforge;
using namespace exaforge::plan;

namespace {
/// Generated from test/Driver/Inputs/machines/*.yaml, sorted by file name.
const MachinePreset kTestMachines[] = {
#include "test/lib/Plan/TestMachines.inc"
};
} // namespace

std::optional<MachineDescription> plan::getTestMachine(llvm::StringRef name) {
  for (const MachinePreset &machine : kTestMachines) {
    if (machine.name != name)
      continue;
    // The description holds no MLIR objects; the context only carries the
    // diagnostics of the parse.
    mlir::MLIRContext context;
    mlir::FailureOr<MachineDescription> description = parseMachineDescription(
        machine.text, (name + ".yaml").str(), context);
    if (mlir::failed(description))
      return std::nullopt;
    return *description;
  }
  return std::nullopt;
}
