//===- ArtifactRanks.h - How many ranks run an artifact, on what -*- C++
//-*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Reads how many ranks an artifact was compiled for (`ranks.world_size` of
// its manifest, docs/design/compiled-artifact.md) and the target they run
// on (`target.name`) without opening it, for the tools that launch it
// (`exaforge-run`, `exaforge slurm`).
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_RUNTIME_IO_ARTIFACTRANKS_H
#define EXAFORGE_RUNTIME_IO_ARTIFACTRANKS_H

#include "runtime/support/Error.h"

#include <cstdint>
#include <string>

namespace exaforge::io {

/// The world size of the artifact directory `artifactPath` (1 when the
/// manifest has no `ranks`). Errors name the directory or the manifest.
support::Expected<int64_t>
readArtifactWorldSize(const std::string &artifactPath);

/// The target the artifact directory `artifactPath` was compiled for
/// ("cpu" when the manifest names none, else its `target.name`). Errors
/// name the directory or the manifest.
support::Expected<std::string>
readArtifactTarget(const std::string &artifactPath);

} // namespace exaforge::io

#endif // EXAFORGE_RUNTIME_IO_ARTIFACTRANKS_H
