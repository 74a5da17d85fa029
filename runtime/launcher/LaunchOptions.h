//===- LaunchOptions.h - The command line of exaforge-run -------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// `exaforge-run -n N MODEL.xf --input ...` starts the N ranks of a model
// compiled for N ranks (Launcher.h), each of which runs as a worker
// (Worker.h). The command line is parsed in exaforge-run.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_RUNTIME_LAUNCHER_LAUNCHOPTIONS_H
#define EXAFORGE_RUNTIME_LAUNCHER_LAUNCHOPTIONS_H

#include <string>
#include <vector>

namespace exaforge::launcher {

/// How the launcher starts the ranks.
enum class LauncherKind {
  /// srun inside a Slurm allocation, mpirun elsewhere.
  Auto,
  Mpirun,
  Srun,
};

/// A failure a worker simulates, for testing that a job dies cleanly.
enum class InjectedFailure {
  None,
  /// The rank reports an error before its run.
  Error,
  /// The rank dies of SIGSEGV before its run.
  Crash,
  /// The rank never starts its run (the others wait for it).
  Hang,
  /// The rank kills itself with SIGKILL before its run, which it cannot
  /// report (as when the out-of-memory killer ends it).
  Kill,
  /// Every collective and transfer of the rank's run fails (its
  /// communicator reports an error), while the other ranks wait in them.
  Collective,
};

/// What the ranks of a job exchange tensors through.
enum class Transport {
  /// NCCL for a CUDA artifact, MPI for a CPU one.
  Auto,
  Mpi,
  /// NCCL (exaforge/runtime/nccl.h), bootstrapped over MPI; CUDA
  /// artifacts only.
  Nccl,
};

/// The arguments of exaforge-run.
struct LaunchOptions {
  /// The artifact directory.
  std::string artifactPath;
  /// The number of ranks; 0 means the artifact's.
  int ranks = 0;
  /// `NAME=FILE` or `FILE`, as for `exaforge run`.
  std::vector<std::string> inputs;
  /// Where rank 0 writes the outputs as NAME.npy ("" writes nothing).
  std::string outputDir;
  /// OpenMP threads per rank; 0 shares the node's cores among its ranks.
  int threads = 0;
  /// Timed runs after two warm-up runs (0: run once).
  int benchmarkRuns = 0;
  /// When not empty: every rank profiles its runs (the timed ones with
  /// `benchmarkRuns`) and rank 0 writes the trace of all ranks, one process
  /// track per rank, to this file (docs/profiling.md).
  std::string profilePath;
  /// Stops the job after this many seconds (0: no limit).
  int timeoutSeconds = 0;
  /// Prints the launch command instead of running it.
  bool dryRun = false;
  LauncherKind launcher = LauncherKind::Auto;
  /// Extra arguments for mpirun or srun, before the program.
  std::vector<std::string> launcherArgs;
  Transport transport = Transport::Auto;

  /// Set in the processes the launcher starts (hidden options).
  bool isWorker = false;
  /// Where a failing rank writes `rank<R>.txt` with its reason.
  std::string statusDir;
  int injectRank = -1;
  InjectedFailure injectedFailure = InjectedFailure::None;

  /// Runs the MPI ping-pong of LinkBenchmark.h instead of a model (hidden
  /// `--measure-links`, for `exaforge calibrate`); no artifact is needed.
  bool measureLinks = false;
  /// Shorter measurements (hidden `--quick`, for tests).
  bool quickMeasurement = false;
};

} // namespace exaforge::launcher

#endif // EXAFORGE_RUNTIME_LAUNCHER_LAUNCHOPTIONS_H
