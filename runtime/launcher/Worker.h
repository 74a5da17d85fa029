//===- Worker.h - One rank of an exaforge-run job ---------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// A worker is one MPI process of the job: it opens the artifact on every
// rank, reads the inputs on rank 0, runs the model with the others
// (xf_mpi_session_run), and on rank 0 writes the outputs and prints their
// summary, as `exaforge run` does. The compiled code's collectives go over
// MPI, or over NCCL for a CUDA artifact (Transport.h).
//
// Failures: an error that all ranks agree on (a bad input file, which rank 0
// alone reads, or a bad weight file of one rank; a failed run) ends every
// rank with exit status 1 (0 under the launcher, which reads the report
// instead, so that mpirun adds no page of its own); an error of one rank
// alone outside an agreement (a crash) aborts the whole job (MPI_Abort, or
// the MPI launcher's reaction to the crash), so no rank is left waiting.
// Either way the reason, naming the rank, is written to
// `statusDir/rank<R>.txt` for the launcher (or to stderr when there is no
// status directory).
//
// While it runs, each rank also keeps `statusDir/rank<R>.running` ("HOST
// PID", HOST being the Slurm node name under srun), which it removes when it
// ends in any way it sees: normally, after an agreed failure, on its own
// error or crash, or when mpirun or srun stop it (SIGTERM, SIGINT, SIGHUP).
// A record left behind after a failed job names a rank that died without a
// word (SIGKILL, a failed node), and the launcher reports it.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_RUNTIME_LAUNCHER_WORKER_H
#define EXAFORGE_RUNTIME_LAUNCHER_WORKER_H

#include "LaunchOptions.h"

namespace exaforge::launcher {

/// Runs this process as one rank of the job; returns its exit status.
int runWorker(const LaunchOptions &options);

} // namespace exaforge::launcher

#endif // EXAFORGE_RUNTIME_LAUNCHER_WORKER_H
