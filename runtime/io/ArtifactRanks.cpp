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

namespace {
/// The manifest of the artifact directory `artifactPath`, parsed, and its
/// path (for messages).
struct Manifest {
  std::string path;
  json::Value json;
  const json::Object *getObject() const { return json.getAsObject(); }
};

Expected<Manifest> readManifest(const std::string &artifactPath) {
  if (!isDirectory(artifactPath))
    return makeError(artifactPath, ": ",
                     exists(artifactPath) ? "not an artifact directory"
                                          : "no such artifact directory");
  std::string manifestPath = joinPath(artifactPath, abi::kManifestFileName);
  Expected<json::Value> json = json::parseFile(manifestPath);
  if (!json)
    return json.getError();
  return Manifest{manifestPath, std::move(*json)};
}
} // namespace

Expected<int64_t>
exaforge::io::readArtifactWorldSize(const std::string &artifactPath) {
  Expected<Manifest> manifest = readManifest(artifactPath);
  if (!manifest)
    return manifest.getError();
  const json::Object *object = manifest->getObject();
  const json::Object *ranks =
      object ? object->getObject(abi::kKeyRanks) : nullptr;
  std::optional<int64_t> worldSize =
      ranks ? ranks->getInteger(abi::kKeyWorldSize) : std::optional<int64_t>(1);
  if (!worldSize || *worldSize < 1)
    return makeError(manifest->path, ": invalid '", abi::kKeyRanks, ".",
                     abi::kKeyWorldSize, "'");
  return *worldSize;
}

Expected<std::string>
exaforge::io::readArtifactTarget(const std::string &artifactPath) {
  Expected<Manifest> manifest = readManifest(artifactPath);
  if (!manifest)
    return manifest.getError();
  const json::Object *object = manifest->getObject();
  const json::Object *target =
      object ? object->getObject(abi::kKeyTarget) : nullptr;
  if (!target)
    return std::string(abi::kTargetCpu);
  const std::string *name = target->getString(abi::kKeyName);
  if (!name)
    return makeError(manifest->path, ": '", abi::kKeyTarget, "' needs a '",
                     abi::kKeyName, "'");
  return *name;
}
