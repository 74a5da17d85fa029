//===- HostBenchmarks.h - Throughput measurements of this host --*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The measurements of `exaforge calibrate` that run in the driver itself:
// float32 matrix products through oneDNN (dnnl_sgemm, the library the
// runtime's kernels use) and a multi-threaded STREAM-like triad. The MPI
// links are measured by exaforge-run (runtime/launcher/LinkBenchmark.h).
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_COMPILER_DRIVER_HOSTBENCHMARKS_H
#define EXAFORGE_COMPILER_DRIVER_HOSTBENCHMARKS_H

#include "mlir/Support/LLVM.h"

#include <cstdint>
#include <string>

namespace exaforge::driver {

/// A throughput and how it was measured (for the description's `source`).
struct Measurement {
  /// FLOP/s or bytes/s.
  double perSecond = 0;
  /// E.g. "dnnl_sgemm 2048^3 on 2 threads, best of 12".
  std::string method;
};

/// The float32 matrix-product throughput of `threads` OpenMP threads, in
/// FLOP/s: the best of repeated square `size`^3 products over `seconds` of
/// wall time. Sets the OpenMP thread count of the calling thread. Fails with
/// `error` when oneDNN does.
mlir::FailureOr<Measurement> measureGemmThroughput(int64_t size, int threads,
                                                   double seconds,
                                                   std::string &error);

/// The memory bandwidth of the host, in bytes/s: the best of repeated triads
/// `a[i] = b[i] + s * c[i]` over 3 arrays of `elements` doubles, split among
/// `threads` threads, for `seconds` of wall time; 24 bytes per element are
/// counted, as STREAM does.
Measurement measureTriadBandwidth(int64_t elements, int threads,
                                  double seconds);

} // namespace exaforge::driver

#endif // EXAFORGE_COMPILER_DRIVER_HOSTBENCHMARKS_H
