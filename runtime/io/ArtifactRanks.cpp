//===- ArtifactRanks.cpp - The rank count of an artifact ------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "runtime/io/ArtifactRanks.h"

#include "exaforge/abi/Contract.h"
#include "runtime/support/Files.h"
#include "runtime/support/Json.h"

using namespace exaforge::support;
namespace abi = exaforge::abi;

Expected<int64_t>
exaforge::io::readArtifactWorldSize(const std::string &artifactPath) {
  if (!isDirectory(artifactPath))
    return makeError(artifactPath, ": ",
                     exists(artifactPath) ? "not an artifact directory"
                                          : "no such artifact directory");
  std::string manifestPath = joinPath(artifactPath, abi::kManifestFileName);
  Expected<json::Value> json = json::parseFile(manifestPath);
  if (!json)
    return json.getError();
  const json::Object *manifest = json->getAsObject();
  const json::Object *ranks =
      manifest ? manifest->getObject(abi::kKeyRanks) : nullptr;
  std::optional<int64_t> worldSize =
      ranks ? ranks->getInteger(abi::kKeyWorldSize) : std::optional<int64_t>(1);
  if (!worldSize || *worldSize < 1)
    return makeError(manifestPath, ": invalid '", abi::kKeyRanks, ".",
                     abi::kKeyWorldSize, "'");
  return *worldSize;
}
