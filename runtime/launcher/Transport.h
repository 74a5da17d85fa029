//===- Transport.h - What the ranks of a job communicate through -*- C++
//-*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The ranks of a CPU artifact exchange tensors over MPI; those of a CUDA
// artifact over NCCL (exaforge/runtime/nccl.h), unless `--communicator mpi`
// keeps them on MPI (whose buffers are then the GPU's managed memory, which
// the host reaches too). The launcher checks the choice before it starts
// the ranks; each worker makes it again when it creates its communicator.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_RUNTIME_LAUNCHER_TRANSPORT_H
#define EXAFORGE_RUNTIME_LAUNCHER_TRANSPORT_H

#include "LaunchOptions.h"

#include "runtime/support/Error.h"

namespace exaforge::launcher {

/// The transport of the job `options` describes: `options.transport`, or
/// for Auto the one of the artifact's target. Never Auto. Fails when the
/// manifest cannot be read or NCCL is asked for a CPU artifact.
support::Expected<Transport> chooseTransport(const LaunchOptions &options);

} // namespace exaforge::launcher

#endif // EXAFORGE_RUNTIME_LAUNCHER_TRANSPORT_H
