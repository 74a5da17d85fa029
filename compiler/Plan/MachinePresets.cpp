//===- MachinePresets.cpp - Machine descriptions shipped with Exaforge ----===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "compiler/Plan/MachinePresets.h"

using namespace exaforge::plan;

namespace {
/// Generated from compiler/Plan/machines/*.yaml, sorted by file name.
const MachinePreset kPresets[] = {
#include "compiler/Plan/MachinePresets.inc"
};
} // namespace

llvm::ArrayRef<MachinePreset> exaforge::plan::getMachinePresets() {
  return kPresets;
}

std::optional<llvm::StringRef>
exaforge::plan::findMachinePreset(llvm::StringRef name) {
  for (const MachinePreset &preset : kPresets)
    if (preset.name == name)
      return preset.text;
  return std::nullopt;
}
