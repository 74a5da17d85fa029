//===- CompileBinding.cpp - exaforge._native.compile_model ----------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// `compile_model` runs `exaforge::compileModel` (compiler/Compile) in this
// process, as `exaforge compile` does, without the Python lock, and returns
// whether it succeeded with the diagnostics it reported, each decomposed
// into its file, position and ONNX node (`getDiagnosticSite`). The Python
// side (exaforge/compiler.py) turns failures into `exaforge.CompileError`.
//
//===----------------------------------------------------------------------===//

#include "Bindings.h"
#include "CollectedDiagnostics.h"

#include "compiler/Compile/Compile.h"
#include "compiler/Compile/CrashRecovery.h"
#include "compiler/Compile/Parallelism.h"
#include "compiler/Compile/TargetOptions.h"
#include "compiler/Import/ONNX/InputShape.h"
#include "compiler/Import/ONNX/OnnxImporter.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <optional>
#include <string>
#include <vector>

namespace nb = nanobind;
using namespace exaforge;
using namespace exaforge::python;

#ifndef EXAFORGE_VERSION
#define EXAFORGE_VERSION "unknown"
#endif

namespace {
/// Compiles the model at `inputPath` into the artifact directory
/// `outputPath`. Arguments that are wrong before any compiling starts (the
/// ranks, an input shape's text, the optimization level) raise ValueError;
/// the compile's own diagnostics are returned as
/// `(succeeded, [dict(severity, file, line, column, node, message)],
/// crashed)`; `crashed` says that the compiler crashed, which the last
/// diagnostic describes.
nb::tuple compileModelFile(const std::string &inputPath,
                           const std::string &outputPath, int64_t ranks,
                           int64_t dataParallel, int64_t tensorParallel,
                           int64_t pipelineParallel, int64_t microBatches,
                           const std::vector<std::string> &inputShapes,
                           unsigned optLevel, int64_t maxConstantBytes,
                           int64_t maxTensorBytes, bool runtimeChecks,
                           const std::string &target,
                           const std::string &gpuArch,
                           const std::string &precision,
                           const std::string &cudaToolkit) {
  CompileOptions options;
  if (std::optional<std::string> targetError = setTargetOptions(
          target, gpuArch, precision, cudaToolkit, options))
    throw nb::value_error(targetError->c_str());
  std::string error;
  std::optional<int64_t> dataParallelRanks = resolveDataParallelRanks(
      ranks, dataParallel, tensorParallel, pipelineParallel, "", error);
  if (!dataParallelRanks)
    throw nb::value_error(error.c_str());
  if (microBatches < 0)
    throw nb::value_error("microbatches must be positive");
  if (optLevel > 3)
    throw nb::value_error(
        ("opt_level " + std::to_string(optLevel) + " is out of range (0 to 3)")
            .c_str());
  if (maxConstantBytes < 0 || maxTensorBytes < 0)
    throw nb::value_error(
        "max_constant_bytes and max_tensor_bytes must be positive");
  for (const std::string &text : inputShapes) {
    std::optional<InputShapeOverride> shape = parseInputShape(text, error);
    if (!shape)
      throw nb::value_error(("input shape '" + text + "': " + error).c_str());
    options.inputShapes.push_back(std::move(*shape));
  }
  options.inputPath = inputPath;
  options.outputPath = outputPath;
  options.emit = EmitKind::Artifact;
  options.optLevel = optLevel;
  options.compilerVersion = EXAFORGE_VERSION;
  options.dataParallelRanks = *dataParallelRanks;
  options.tensorParallelRanks = tensorParallel;
  options.pipelineStages = pipelineParallel;
  options.microBatches = microBatches;
  options.maxConstantBytes = maxConstantBytes;
  options.maxTensorBytes = maxTensorBytes;
  options.runtimeChecks = runtimeChecks;

  std::vector<CollectedDiagnostic> diagnostics;
  bool succeeded = false;
  std::optional<std::string> crash;
  {
    // A compile takes from milliseconds to minutes and touches no Python
    // object: other Python threads run meanwhile.
    nb::gil_scoped_release release;
    // A crash inside the compiler comes back here instead of ending the
    // Python process; what the compile held is then leaked.
    crash = runRecoveringFromCrash([&] {
      mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
      mlir::ScopedDiagnosticHandler handler(
          &context, [&](mlir::Diagnostic &diag) {
            collectDiagnostic(diag, diagnostics);
            return mlir::success();
          });
      succeeded = mlir::succeeded(compileModel(context, options));
    });
  }
  if (crash)
    diagnostics.push_back(
        describeInternalError(inputPath, "compiling", *crash));
  return nb::make_tuple(succeeded && !crash, toPythonList(diagnostics),
                        crash.has_value());
}
} // namespace

void exaforge::python::bindCompile(nb::module_ &module) {
  module.def("compile_model", &compileModelFile, nb::arg("input_path"),
             nb::arg("output_path"), nb::arg("ranks"), nb::arg("dp"),
             nb::arg("tp"), nb::arg("pp"), nb::arg("microbatches"),
             nb::arg("input_shapes"), nb::arg("opt_level"),
             nb::arg("max_constant_bytes"), nb::arg("max_tensor_bytes"),
             nb::arg("runtime_checks"), nb::arg("target"),
             nb::arg("gpu_arch"), nb::arg("precision"),
             nb::arg("cuda_toolkit"),
             "Compiles an ONNX model file into an artifact directory; "
             "returns (succeeded, diagnostics, crashed).");
  module.attr("version") = EXAFORGE_VERSION;
  // The opsets of the default domain the importer reads.
  module.attr("min_supported_opset") = kMinSupportedOpset;
  module.attr("max_supported_opset") = kMaxSupportedOpset;
}
