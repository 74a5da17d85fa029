//===- MachinesCommand.h - `exaforge machines` ------------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// `exaforge machines` lists the machine presets; `exaforge machines
// NAME|FILE` checks a preset or a description file and prints it as the
// planner reads it (docs/design/machine-descriptions.md). The command line
// is parsed in Driver.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_COMPILER_DRIVER_MACHINESCOMMAND_H
#define EXAFORGE_COMPILER_DRIVER_MACHINESCOMMAND_H

#include <string>

namespace exaforge::driver {

/// Runs `exaforge machines [machine]`: lists the presets when `machine` is
/// empty, else prints the checked description of the preset or file
/// `machine`. Returns the process exit status.
int runMachinesCommand(const std::string &machine);

} // namespace exaforge::driver

#endif // EXAFORGE_COMPILER_DRIVER_MACHINESCOMMAND_H
