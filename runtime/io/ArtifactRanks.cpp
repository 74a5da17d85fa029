//===- ArtifactRanks.cpp - The rank count of an artifact ------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "runtime/io/ArtifactRanks.h"

#include "exaforge/abi/Contract.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

namespace abi = exaforge::abi;

llvm::Expected<int64_t>
exaforge::io::readArtifactWorldSize(llvm::StringRef artifactPath) {
  auto error = [](const llvm::Twine &message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   message.str());
  };
  if (!llvm::sys::fs::is_directory(artifactPath))
    return error(artifactPath + ": " +
                 (llvm::sys::fs::exists(artifactPath)
                      ? "not an artifact directory"
                      : "no such artifact directory"));
  llvm::SmallString<256> manifestPath(artifactPath);
  llvm::sys::path::append(manifestPath, abi::kManifestFileName);
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> text =
      llvm::MemoryBuffer::getFile(manifestPath);
  if (!text)
    return error(manifestPath + ": cannot read: " + text.getError().message());
  llvm::Expected<llvm::json::Value> json =
      llvm::json::parse((*text)->getBuffer());
  if (!json)
    return error(manifestPath +
                 ": invalid JSON: " + llvm::toString(json.takeError()));
  const llvm::json::Object *manifest = json->getAsObject();
  const llvm::json::Object *ranks =
      manifest ? manifest->getObject(abi::kKeyRanks) : nullptr;
  std::optional<int64_t> worldSize =
      ranks ? ranks->getInteger(abi::kKeyWorldSize) : std::optional<int64_t>(1);
  if (!worldSize || *worldSize < 1)
    return error(manifestPath + ": invalid 'ranks.world_size'");
  return *worldSize;
}
