//===- RunCommand.h - `exaforge run` ----------------------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Runs a compiled artifact on tensors read from files, writes its outputs as
// .npy and prints a summary. The command line is parsed in Driver.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_COMPILER_DRIVER_RUNCOMMAND_H
#define EXAFORGE_COMPILER_DRIVER_RUNCOMMAND_H

#include <string>
#include <vector>

namespace exaforge::driver {

/// The arguments of `exaforge run`.
struct RunCommandOptions {
  /// The artifact directory.
  std::string artifactPath;
  /// `NAME=FILE` binds input NAME; a bare `FILE` binds the next input (in
  /// manifest order) that is not bound by name.
  std::vector<std::string> inputs;
  /// Where the outputs are written as NAME.npy ("" writes nothing).
  std::string outputDir;
  /// OpenMP threads of the kernels; 0 means all cores.
  int threads = 0;
  /// When positive: run this many timed iterations after warming up, and
  /// print the median latency.
  int benchmarkRuns = 0;
  /// When not empty: profile the runs (with `benchmarkRuns`, the timed
  /// ones only), write their trace-event timeline to this file and print
  /// the ops that took the most time (docs/profiling.md).
  std::string profilePath;
};

/// Runs `exaforge run`; returns the process exit status.
int runRunCommand(const RunCommandOptions &options);

} // namespace exaforge::driver

#endif // EXAFORGE_COMPILER_DRIVER_RUNCOMMAND_H
