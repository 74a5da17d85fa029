//===- MachineYamlFuzzer.cpp - libFuzzer target: machine descriptions -----===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Feeds each input, as the text of a machine description, to
// `parseMachineDescription`, the reader of `exaforge plan --machine FILE`
// and `exaforge calibrate`: LLVM's YAML parser (its nesting is bounded
// before it parses), every field, quantities with units ("19.5 TFLOP/s")
// and the checks of their ranges.
//
//===----------------------------------------------------------------------===//

#include "compiler/Plan/MachineDescription.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include "llvm/ADT/StringRef.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  // Errors are expected; printing them would only slow the fuzzer down.
  mlir::ScopedDiagnosticHandler quiet(
      &context, [](mlir::Diagnostic &) { return mlir::success(); });
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  (void)exaforge::plan::parseMachineDescription(text, "machine.yaml", context);
  return 0;
}
