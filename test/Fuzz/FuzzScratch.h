//===- FuzzScratch.h - Files the fuzz targets hand to file readers -*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Several readers the fuzz targets exercise take a path, not bytes (the
// artifact loader opens a directory, the .npy reader a file), exactly as
// `exaforge run` calls them. A fuzz target writes each input into a scratch
// directory of its own, created once per process under $TMPDIR and removed
// at exit, and calls the reader on that file.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_TEST_FUZZ_FUZZSCRATCH_H
#define EXAFORGE_TEST_FUZZ_FUZZSCRATCH_H

#include <cstddef>
#include <cstdint>
#include <string>

namespace exaforge::fuzz {

/// The scratch directory of this process (created on first use; a failure
/// to create it aborts, since the target cannot run without it).
const std::string &getScratchDirectory();

/// Writes `size` bytes at `data` to the file `name` of the scratch
/// directory, replacing it, and returns its path.
std::string writeScratchFile(const std::string &name, const uint8_t *data,
                             size_t size);

} // namespace exaforge::fuzz

#endif // EXAFORGE_TEST_FUZZ_FUZZSCRATCH_H
