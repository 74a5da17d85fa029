//===- CalibrateCommand.h - `exaforge calibrate` ----------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// `exaforge calibrate [-o FILE] [--ranks N] [--quick]` measures this machine
// (float32 matrix products, memory bandwidth, MPI latency and bandwidth
// between two local ranks) and writes a one-node machine description of it
// with one rank per core (or N ranks), which `exaforge machines FILE` and
// the planner (`--machine FILE`) read. The machine a user runs on is not a
// preset: this command writes its description into the user's own file.
// The command line is parsed in Driver.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_COMPILER_DRIVER_CALIBRATECOMMAND_H
#define EXAFORGE_COMPILER_DRIVER_CALIBRATECOMMAND_H

#include <string>

namespace exaforge::driver {

/// The arguments of `exaforge calibrate`.
struct CalibrateCommandOptions {
  /// Where the description is written ("-" or "" for standard output).
  std::string outputPath;
  /// The machine's name in the description.
  std::string name = "local";
  /// Ranks on this node (0: one per core); the figures per device are the
  /// node's divided among them.
  int ranks = 0;
  /// Short measurements (about 2 s instead of about 15 s), for tests.
  bool quick = false;
};

/// Runs `exaforge calibrate`; `exaforgeRun` is the exaforge-run that
/// measures the MPI links. Returns the process exit status.
int runCalibrateCommand(const CalibrateCommandOptions &options,
                        const std::string &exaforgeRun);

} // namespace exaforge::driver

#endif // EXAFORGE_COMPILER_DRIVER_CALIBRATECOMMAND_H
