//===- InspectCommand.h - `exaforge inspect` --------------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Prints the plan of a compiled artifact: the mesh, the ops each rank (or
// pipeline stage) runs, every collective and transfer with its bytes and the
// memory of each rank, read from the artifact's graph.mlir (the partitioned per-rank program) and
// manifest.json; optionally writes a Graphviz picture of the partitioned
// graph. The command line is parsed in Driver.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_COMPILER_DRIVER_INSPECTCOMMAND_H
#define EXAFORGE_COMPILER_DRIVER_INSPECTCOMMAND_H

#include <cstdint>
#include <string>

namespace exaforge::driver {

/// The arguments of `exaforge inspect`.
struct InspectCommandOptions {
  /// The artifact directory.
  std::string artifactPath;
  /// Where the Graphviz digraph is written ("" for none, "-" for standard
  /// output).
  std::string dotPath;
  /// The value of a rank's dynamic (batch) dimension used to turn sizes per
  /// unit of batch into bytes (0: print them per unit of batch).
  int64_t batch = 0;
};

/// Runs `exaforge inspect`. Returns the process exit status.
int runInspectCommand(const InspectCommandOptions &options);

} // namespace exaforge::driver

#endif // EXAFORGE_COMPILER_DRIVER_INSPECTCOMMAND_H
