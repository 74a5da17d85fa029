//===- SlurmCommand.h - `exaforge slurm` ------------------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Writes a ready `sbatch` script that runs a multi-rank artifact with
// `exaforge-run` on K nodes of R tasks each. The command line is parsed in
// Driver.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_COMPILER_DRIVER_SLURMCOMMAND_H
#define EXAFORGE_COMPILER_DRIVER_SLURMCOMMAND_H

#include <string>
#include <vector>

namespace exaforge::driver {

/// The arguments of `exaforge slurm`.
struct SlurmCommandOptions {
  /// The artifact directory.
  std::string artifactPath;
  /// Where the script is written ("-" or "" for standard output).
  std::string outputPath;
  int nodes = 0;
  int tasksPerNode = 0;
  /// GPUs per node (0: none requested).
  int gpusPerNode = 0;
  /// CPU cores per task (0: Slurm's default); also the OpenMP threads.
  int cpusPerTask = 0;
  /// Wall-clock limit, Slurm's format ("HH:MM:SS", "D-HH:MM:SS", "MM").
  std::string time = "00:30:00";
  std::string account;
  std::string partition;
  std::string jobName;
  /// The inputs and output directory handed to exaforge-run.
  std::vector<std::string> inputs;
  std::string outputDir;
  /// srun's MPI plugin for the ranks unless the job's environment sets
  /// SLURM_MPI_TYPE (Open MPI 4.1 started by srun needs PMIx; Slurm's own
  /// default, "none", leaves it unable to start).
  std::string mpi = "pmix";
  /// Timed runs after two warm-up runs (exaforge-run --benchmark; 0: one run).
  int benchmarkRuns = 0;
};

/// Runs `exaforge slurm`; `exaforgeRun` is the path of the exaforge-run the
/// script calls. Returns the process exit status.
int runSlurmCommand(const SlurmCommandOptions &options,
                    const std::string &exaforgeRun);

} // namespace exaforge::driver

#endif // EXAFORGE_COMPILER_DRIVER_SLURMCOMMAND_H
