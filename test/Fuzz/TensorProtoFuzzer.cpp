//===- TensorProtoFuzzer.cpp - libFuzzer target: ONNX .pb tensor files ----===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Feeds each input to the readers of ONNX protobuf value files that `exaforge
// run --input` and `exaforge-run --input` use: as a TensorProto `.pb` file
// (readTensorFile), and as a SequenceProto and an OptionalProto file
// (readSequenceFile, for inputs that are sequences or optionals). Dims,
// data types, raw_data against typed data fields, nested sequences and
// optionals are checked; a shape whose byte count wraps or exceeds the data
// must be an error before any allocation.
//
//===----------------------------------------------------------------------===//

#include "runtime/io/SequenceFiles.h"
#include "runtime/io/TensorFiles.h"
#include "test/Fuzz/FuzzScratch.h"

#include <cstddef>
#include <cstdint>

using namespace exaforge;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string path = fuzz::writeScratchFile("value.pb", data, size);
  std::string name;
  (void)io::readTensorFile(path, &name);
  (void)io::readSequenceFile(path, io::PackedKind::Sequence);
  (void)io::readSequenceFile(path, io::PackedKind::OptionalTensor);
  (void)io::readSequenceFile(path, io::PackedKind::OptionalSequence);
  return 0;
}
