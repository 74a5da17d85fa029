//===- Transport.cpp - What the ranks of a job communicate through --------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "Transport.h"

#include "runtime/io/ArtifactRanks.h"

#include "exaforge/abi/Contract.h"

using namespace exaforge;

support::Expected<launcher::Transport>
launcher::chooseTransport(const LaunchOptions &options) {
  support::Expected<std::string> target =
      io::readArtifactTarget(options.artifactPath);
  if (!target)
    return target.getError();
  bool isCuda = *target == abi::kTargetCuda;
  switch (options.transport) {
  case Transport::Auto:
    return isCuda ? Transport::Nccl : Transport::Mpi;
  case Transport::Mpi:
    return Transport::Mpi;
  case Transport::Nccl:
    if (!isCuda)
      return support::makeError(
          "--communicator nccl needs a CUDA artifact (exaforge compile "
          "--target cuda); ",
          options.artifactPath, " was compiled for --target ", *target);
    return Transport::Nccl;
  }
  return Transport::Mpi;
}
