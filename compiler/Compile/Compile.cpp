//===- Compile.cpp - ONNX model to a compiled artifact --------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `compileModel`: the compile pipeline (passes/Pipelines.h) runs
// on the imported module, up to the stop point of the `--emit` kind; the
// driver then writes what the pipeline left in the IR: the text of a stop
// point, or the artifact's files (graph.mlir, manifest.json, the weight
// files, the GPU kernels of the CUDA target, model.so), and translates the
// LLVM dialect to native code.
//
//===----------------------------------------------------------------------===//

#include "compiler/Compile/Compile.h"

#include "compiler/Compile/ArtifactWriter.h"
#include "compiler/Compile/CudaToolkit.h"
#include "compiler/Compile/GpuKernelsWriter.h"
#include "compiler/Compile/GraphProgramWriter.h"
#include "compiler/Compile/NativeCodegen.h"
#include "compiler/Compile/NodesFileWriter.h"
#include "compiler/Import/ONNX/OnnxImporter.h"
#include "dialects/Dist/DistDialect.h"
#include "dialects/Graph/GraphDialect.h"
#include "dialects/Graph/ModelSignature.h"
#include "passes/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassInstrumentation.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
using namespace exaforge;

namespace {
/// The pass `compileModel` runs on this thread (its argument, a string
/// literal of the pass's definition), for crash reports.
thread_local llvm::StringRef passInProgress;

/// Records the pass in progress in `passInProgress`.
struct RecordPassInProgress : PassInstrumentation {
  void runBeforePass(Pass *pass, Operation *) override {
    passInProgress = pass->getArgument();
  }
  void runAfterPass(Pass *, Operation *) override { passInProgress = ""; }
  void runAfterPassFailed(Pass *, Operation *) override {
    passInProgress = "";
  }
};

/// Runs the pipeline that `build` adds on `module`.
LogicalResult runPipeline(ModuleOp module,
                          llvm::function_ref<void(OpPassManager &)> build) {
  PassManager pm(module->getContext());
  pm.addInstrumentation(std::make_unique<RecordPassInProgress>());
  build(pm);
  return pm.run(module);
}

/// Writes `print`'s output to `path` (`-` for standard output).
LogicalResult writeTextOutput(StringRef path,
                              llvm::function_ref<void(raw_ostream &)> print) {
  std::string error;
  std::unique_ptr<llvm::ToolOutputFile> file = openOutputFile(path, &error);
  if (!file) {
    llvm::errs() << "error: " << error << "\n";
    return failure();
  }
  print(file->os());
  file->keep();
  return success();
}

/// Reads the model: an ONNX file through the importer (with the input
/// shapes and data-parallel ranks of `options`), or a module of the graph
/// and dist dialects (`.mlir`, as `exaforge import` writes it or as a test
/// writes it by hand, e.g. a partitioned per-rank program). The op type of
/// each ONNX node goes to `nodeOpTypes`.
FailureOr<OwningOpRef<ModuleOp>>
loadModel(MLIRContext &context, const CompileOptions &options,
          std::map<std::string, std::string> &nodeOpTypes) {
  StringRef path = options.inputPath;
  if (!path.ends_with(".mlir")) {
    OnnxImportOptions importOptions;
    importOptions.nodeOpTypes = &nodeOpTypes;
    importOptions.shapesOnly = options.shapesOnly;
    importOptions.inputShapes = options.inputShapes;
    importOptions.dataParallelRanks = options.dataParallelRanks;
    importOptions.maxConstantBytes = options.maxConstantBytes;
    return importOnnxModel(context, path, importOptions);
  }
  if (!options.inputShapes.empty())
    return emitError(FileLineColLoc::get(&context, path, 0, 0))
           << "--input-shape applies to ONNX models, not to MLIR modules";
  context
      .loadDialect<graph::GraphDialect, dist::DistDialect, func::FuncDialect>();
  OwningOpRef<ModuleOp> module =
      parseSourceFile<ModuleOp>(path, ParserConfig(&context));
  if (!module)
    return failure();
  return module;
}

/// The compile pipeline `options` ask for, stopping after `stopAfter`.
CompilePipelineOptions getPipelineOptions(const CompileOptions &options,
                                          CompileStage stopAfter) {
  CompilePipelineOptions pipeline;
  pipeline.dataParallel = options.dataParallelRanks;
  pipeline.tensorParallel = options.tensorParallelRanks;
  pipeline.pipelineStages = options.pipelineStages;
  pipeline.microBatches = options.microBatches;
  pipeline.maxTensorBytes = options.maxTensorBytes;
  pipeline.runtimeChecks = options.runtimeChecks;
  pipeline.target = options.target;
  pipeline.targetOptions.gpuArch = options.gpuArch;
  pipeline.targetOptions.cudaToolkitPath = options.cudaToolkitPath;
  if (options.precision == "bf16" || options.precision == "f16")
    pipeline.matmulElementType = options.precision;
  pipeline.stopAfter = stopAfter;
  return pipeline;
}
} // namespace

StringRef exaforge::getCompilePassInProgress() { return passInProgress; }

LogicalResult exaforge::compileModel(MLIRContext &context,
                                     const CompileOptions &givenOptions) {
  CompileOptions options = givenOptions;
  // The CUDA target's code generation (the LLVM stage) needs the toolkit's
  // ptxas and libdevice.
  if (options.target == abi::kTargetCuda && options.emit != EmitKind::Graph &&
      options.emit != EmitKind::Linalg) {
    std::optional<std::string> toolkit =
        findCudaToolkit(options.cudaToolkitPath);
    if (!toolkit && options.cudaToolkitPath.empty())
      return emitError(UnknownLoc::get(&context))
             << "--target cuda needs the CUDA toolkit's ptxas: none found "
                "(set CUDA_PATH, put ptxas on PATH or give --cuda-toolkit)";
    if (!toolkit)
      return emitError(UnknownLoc::get(&context))
             << "--cuda-toolkit '" << options.cudaToolkitPath
             << "' has no executable bin/ptxas";
    options.cudaToolkitPath = *toolkit;
  }

  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  // The CUDA target's gpu-module-to-binary translates the device code to
  // LLVM IR within the pipeline.
  registerAllToLLVMIRTranslations(registry);
  context.appendDialectRegistry(registry);
  // Errors name the model's file and node; a dump of the IR would only be
  // noise to the user.
  context.printOpOnDiagnostic(false);

  std::map<std::string, std::string> nodeOpTypes;
  FailureOr<OwningOpRef<ModuleOp>> imported =
      loadModel(context, options, nodeOpTypes);
  if (failed(imported))
    return failure();
  ModuleOp module = imported->get();
  if (!graph::lookupModelFunction(module))
    return module.emitError("the imported module has no @")
           << graph::kModelFunctionName << " function";

  // The textual stop points of the pipeline: what `exaforge-opt
  // --exaforge-compile-pipeline` prints for the same options.
  std::optional<CompileStage> textStage;
  if (options.emit == EmitKind::Graph)
    textStage = CompileStage::Graph;
  else if (options.emit == EmitKind::Linalg)
    textStage = CompileStage::Linalg;
  else if (options.emit == EmitKind::LLVMDialect)
    textStage = CompileStage::LLVM;
  if (textStage) {
    if (failed(runPipeline(module, [&](OpPassManager &pm) {
          buildCompilePipeline(pm, getPipelineOptions(options, *textStage));
        })))
      return failure();
    // Printed as exaforge-opt prints it, so that the two can be compared.
    return writeTextOutput(options.outputPath, [&](raw_ostream &os) {
      module.print(os);
      os << "\n";
    });
  }

  // The artifact keeps the partitioned program (for `exaforge inspect`):
  // the pipeline runs in two parts, the graph stage and the rest.
  CompilePipelineOptions pipeline =
      getPipelineOptions(options, CompileStage::LLVM);
  std::string graphProgram;
  if (options.emit == EmitKind::Artifact) {
    if (failed(runPipeline(module, [&](OpPassManager &pm) {
          buildCompileStage(pm, CompileStage::Graph, pipeline);
        })))
      return failure();
    llvm::raw_string_ostream os(graphProgram);
    printGraphProgram(module, os);
    if (failed(runPipeline(module, [&](OpPassManager &pm) {
          buildCompileStage(pm, CompileStage::Linalg, pipeline);
          buildCompileStage(pm, CompileStage::LLVM, pipeline);
        })))
      return failure();
  } else if (failed(runPipeline(module, [&](OpPassManager &pm) {
               buildCompilePipeline(pm, pipeline);
             }))) {
    return failure();
  }

  std::string artifactDir = options.outputPath;
  if (options.emit == EmitKind::Artifact) {
    if (std::error_code ec = llvm::sys::fs::create_directories(artifactDir))
      return emitError(UnknownLoc::get(&context))
             << "cannot create the artifact directory '" << artifactDir
             << "': " << ec.message();
    llvm::SmallString<256> graphPath(artifactDir);
    llvm::sys::path::append(graphPath, kGraphProgramFileName);
    FailureOr<GpuKernelFiles> kernels = writeGpuKernels(module, artifactDir);
    if (failed(kernels))
      return failure();
    ArtifactDescription desc{abi::kLibraryFileName, kModelEntrySymbol,
                             options.compilerVersion, options.runtimeChecks};
    desc.target = options.target;
    desc.precision = options.precision;
    if (options.target == abi::kTargetCuda)
      desc.gpuArch = options.gpuArch;
    desc.ptxFile = kernels->ptx;
    desc.cubinFile = kernels->cubin;
    if (failed(writeTextOutput(graphPath,
                               [&](raw_ostream &os) { os << graphProgram; })) ||
        failed(writeManifestAndWeights(module, artifactDir, desc)) ||
        failed(writeNodesFile(module, artifactDir, nodeOpTypes)))
      return failure();
  }

  FailureOr<HostTarget> target = HostTarget::create(
      options.optLevel, /*portable=*/options.target == abi::kTargetCuda);
  if (failed(target))
    return failure();
  llvm::LLVMContext llvmContext;
  FailureOr<std::unique_ptr<llvm::Module>> llvmModule =
      target->translate(module, llvmContext);
  if (failed(llvmModule) ||
      failed(addPackedEntryPoint(**llvmModule, kModelCInterfaceSymbol,
                                 kModelEntrySymbol)))
    return failure();
  target->optimize(**llvmModule);
  if (options.emit == EmitKind::LLVMIR)
    return writeTextOutput(options.outputPath, [&](raw_ostream &os) {
      (*llvmModule)->print(os, nullptr);
    });
  if (options.emit == EmitKind::Object)
    return target->emitObjectFile(**llvmModule, options.outputPath);

  llvm::SmallString<256> objectPath(artifactDir), libraryPath(artifactDir);
  llvm::sys::path::append(objectPath, "model.o");
  llvm::sys::path::append(libraryPath, abi::kLibraryFileName);
  if (failed(target->emitObjectFile(**llvmModule, objectPath)) ||
      failed(linkSharedLibrary(objectPath, libraryPath)))
    return failure();
  llvm::sys::fs::remove(objectPath);
  return success();
}
