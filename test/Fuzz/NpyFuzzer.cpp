//===- NpyFuzzer.cpp - libFuzzer target: the .npy reader ------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Feeds each input, as a `.npy` file, to `readTensorFile`, the reader of
// `exaforge run --input` and `exaforge-run --input`: the magic string, the
// header of versions 1 to 3, the dict literal (descr, fortran_order, shape),
// the byte count of the shape and the copy of the data. A header that claims
// more data than the file holds must be an error before any allocation.
//
//===----------------------------------------------------------------------===//

#include "runtime/io/TensorFiles.h"
#include "test/Fuzz/FuzzScratch.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string path =
      exaforge::fuzz::writeScratchFile("tensor.npy", data, size);
  (void)exaforge::io::readTensorFile(path);
  return 0;
}
