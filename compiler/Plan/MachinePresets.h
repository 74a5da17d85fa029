//===- MachinePresets.h - Machine presets shipped with Exaforge -*- C++ -*-===//
//-*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The presets: the YAML files of compiler/Plan/machines/, embedded in the
// compiler at build time (EmbedMachinePresets.cmake), so that they work
// without an installation directory.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_COMPILER_PLAN_MACHINEPRESETS_H
#define EXAFORGE_COMPILER_PLAN_MACHINEPRESETS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <optional>

namespace exaforge::plan {

/// A machine description shipped with the compiler.
struct MachinePreset {
  /// The preset's name: its file name without `.yaml`.
  llvm::StringRef name;
  /// The YAML text of the file, comments included.
  llvm::StringRef text;
};

/// Every preset, sorted by name.
llvm::ArrayRef<MachinePreset> getMachinePresets();

/// The YAML text of the preset `name`, or nullopt when there is none.
std::optional<llvm::StringRef> findMachinePreset(llvm::StringRef name);

} // namespace exaforge::plan

#endif // EXAFORGE_COMPILER_PLAN_MACHINEPRESETS_H
