//===- OnnxImportFuzzer.cpp - libFuzzer target: the ONNX importer ---------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Feeds each input, as the bytes of a binary ONNX ModelProto file, to the
// importer that `exaforge import` and `exaforge compile` use
// (importOnnxModel): protobuf parsing, the opset upgrade, the import of every
// node and the MLIR verifier of the resulting graph module. An error is the
// expected outcome of most inputs; a crash, an abort, undefined behaviour, a
// hang or an unbounded allocation is a finding.
//
// The largest constant is limited to 64 MiB (OnnxImportOptions::
// maxConstantBytes, `--max-constant-bytes` of the driver), so that a splat of
// 2^40 elements is an error here too and not a memory limit of the fuzzer.
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/ONNX/OnnxImporter.h"
#include "test/Fuzz/FuzzScratch.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string path = exaforge::fuzz::writeScratchFile("model.onnx", data, size);
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  // Errors are expected; printing them would only slow the fuzzer down.
  mlir::ScopedDiagnosticHandler quiet(
      &context, [](mlir::Diagnostic &) { return mlir::success(); });
  exaforge::OnnxImportOptions options;
  options.maxConstantBytes = int64_t(64) << 20;
  (void)exaforge::importOnnxModel(context, path, options);
  return 0;
}
