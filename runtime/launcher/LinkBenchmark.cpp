//===- LinkBenchmark.cpp - MPI ping-pong between two ranks ----------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "LinkBenchmark.h"

#include "exaforge/runtime/mpi.h"

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace exaforge::launcher;

namespace {
/// The fastest of `trials` timings of `roundTrips` ping-pongs of `bytes`
/// between ranks 0 and 1, as seconds per one-way message. Every rank of the
/// world calls it; ranks other than 0 and 1 only take part in the barriers.
double measureOneWay(int rank, std::vector<char> &buffer, int bytes,
                     int roundTrips, int trials) {
  double best = 0;
  for (int trial = 0; trial < trials; ++trial) {
    MPI_Barrier(MPI_COMM_WORLD);
    double start = MPI_Wtime();
    for (int i = 0; i < roundTrips && rank < 2; ++i) {
      if (rank == 0) {
        MPI_Send(buffer.data(), bytes, MPI_BYTE, 1, 0, MPI_COMM_WORLD);
        MPI_Recv(buffer.data(), bytes, MPI_BYTE, 1, 0, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
      } else {
        MPI_Recv(buffer.data(), bytes, MPI_BYTE, 0, 0, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
        MPI_Send(buffer.data(), bytes, MPI_BYTE, 0, 0, MPI_COMM_WORLD);
      }
    }
    double oneWay = (MPI_Wtime() - start) / (2.0 * roundTrips);
    best = trial == 0 ? oneWay : std::min(best, oneWay);
  }
  return best;
}
} // namespace

int exaforge::launcher::runLinkBenchmark(const LaunchOptions &options) {
  MPI_Init(nullptr, nullptr);
  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  if (size < 2) {
    if (rank == 0)
      std::fprintf(stderr,
                   "exaforge-run: error: --measure-links needs at "
                   "least 2 ranks, got %d\n",
                   size);
    MPI_Finalize();
    return 1;
  }
  // The large message is well past the eager limit of shared memory and
  // InfiniBand transports, so that it measures the bandwidth.
  const int largeBytes = options.quickMeasurement ? 1 << 20 : 4 << 20;
  const int smallRoundTrips = options.quickMeasurement ? 200 : 5000;
  const int largeRoundTrips = options.quickMeasurement ? 10 : 100;
  const int trials = options.quickMeasurement ? 2 : 5;
  std::vector<char> buffer(largeBytes, 1);

  // Warm up the connection and the buffers, then measure.
  measureOneWay(rank, buffer, largeBytes, 2, 1);
  double latency = measureOneWay(rank, buffer, 8, smallRoundTrips, trials);
  double large =
      measureOneWay(rank, buffer, largeBytes, largeRoundTrips, trials);
  if (rank == 0) {
    std::printf("latency: %.6e s\n", latency);
    std::printf("bandwidth: %.6e B/s\n", largeBytes / large);
    std::printf("message: %d B\n", largeBytes);
    std::fflush(stdout);
  }
  MPI_Finalize();
  return 0;
}
