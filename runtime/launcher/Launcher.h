//===- Launcher.h - Starting the ranks of an exaforge-run job ---*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The launcher checks the rank count against the artifact, starts the ranks
// as workers of this same program with `mpirun` (or `srun` inside a Slurm
// allocation), waits for them (stopping them after `--timeout`, or when it is
// itself asked to stop), and turns their failure reports, and the records of
// ranks that died without a word (Worker.h), into one message per failed
// rank, naming it, and a non-zero exit status. What mpirun or srun print of
// their own (their banners about a failed rank) is held in the status
// directory until the job ends and printed after those messages.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_RUNTIME_LAUNCHER_LAUNCHER_H
#define EXAFORGE_RUNTIME_LAUNCHER_LAUNCHER_H

#include "LaunchOptions.h"

namespace exaforge::launcher {

/// Starts the job that `options` describe; `argv0` finds this program.
/// Returns the exit status of exaforge-run.
int launchJob(const LaunchOptions &options, const char *argv0);

} // namespace exaforge::launcher

#endif // EXAFORGE_RUNTIME_LAUNCHER_LAUNCHER_H
