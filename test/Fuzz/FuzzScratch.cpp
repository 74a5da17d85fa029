//===- FuzzScratch.cpp - Files the fuzz targets hand to file readers ------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "test/Fuzz/FuzzScratch.h"

#include "runtime/support/Files.h"

#include <cstdio>
#include <cstdlib>

using namespace exaforge;

namespace {
/// Removes the scratch directory when the process exits normally (libFuzzer
/// exits through exit() at the end of a run).
struct ScratchDirectory {
  std::string path;
  ScratchDirectory() {
    support::Expected<std::string> created =
        support::createTemporaryDirectory("exaforge-fuzz");
    if (!created) {
      std::fprintf(stderr, "fuzz target: %s\n", created.getMessage().c_str());
      std::abort();
    }
    path = *created;
  }
  ~ScratchDirectory() { support::removeDirectoryWithFiles(path); }
};
} // namespace

const std::string &fuzz::getScratchDirectory() {
  static ScratchDirectory directory;
  return directory.path;
}

std::string fuzz::writeScratchFile(const std::string &name, const uint8_t *data,
                                   size_t size) {
  std::string path = support::joinPath(getScratchDirectory(), name);
  std::FILE *file = std::fopen(path.c_str(), "wb");
  if (!file || (size && std::fwrite(data, 1, size, file) != size) ||
      std::fclose(file) != 0) {
    std::perror(path.c_str());
    std::abort();
  }
  return path;
}
