//===- LinkBenchmark.h - MPI ping-pong between two ranks --------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The hidden mode `exaforge-run --measure-links [-n N] [--quick]` that
// `exaforge calibrate` uses: the launcher starts N ranks (default 2) as it
// starts a model's, and ranks 0 and 1 play MPI ping-pong. Rank 0 prints
//
//   latency: <seconds> s          (half the round trip of an 8-byte message)
//   bandwidth: <bytes/s> B/s      (a large message over half its round trip)
//   message: <bytes> B            (the size of the large message)
//
// on standard output. The other ranks only wait.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_RUNTIME_LAUNCHER_LINKBENCHMARK_H
#define EXAFORGE_RUNTIME_LAUNCHER_LINKBENCHMARK_H

#include "LaunchOptions.h"

namespace exaforge::launcher {

/// Runs this process as one rank of the ping-pong; returns its exit status.
int runLinkBenchmark(const LaunchOptions &options);

} // namespace exaforge::launcher

#endif // EXAFORGE_RUNTIME_LAUNCHER_LINKBENCHMARK_H
