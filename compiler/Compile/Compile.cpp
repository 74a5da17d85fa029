//===- Compile.cpp - ONNX model to a compiled artifact --------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `compileModel`: the phases run in order and each `--emit` kind
// stops after the phase that produces it.
//
//===----------------------------------------------------------------------===//

#include "compiler/Compile/Compile.h"

#include "compiler/Compile/ArtifactWriter.h"
#include "compiler/Compile/GraphProgramWriter.h"
#include "compiler/Compile/NativeCodegen.h"
#include "compiler/Import/ONNX/OnnxImporter.h"
#include "dialects/Dist/DistOps.h"
#include "dialects/Graph/ElidedElements.h"
#include "dialects/Graph/GraphDialect.h"
#include "passes/Conversion/Passes.h"
#include "passes/Dist/Passes.h"
#include "passes/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
using namespace exaforge;

namespace {
/// Runs the pipeline that `build` adds on `module`.
LogicalResult runPipeline(ModuleOp module,
                          llvm::function_ref<void(OpPassManager &)> build) {
  PassManager pm(module->getContext());
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

/// Reads the model: an ONNX file through the importer, or a module of the
/// graph and dist dialects (`.mlir`, as `exaforge import` writes it or as a
/// test writes it by hand, e.g. a partitioned per-rank program).
FailureOr<OwningOpRef<ModuleOp>> loadModel(MLIRContext &context, StringRef path,
                                           bool shapesOnly) {
  if (!path.ends_with(".mlir")) {
    OnnxImportOptions importOptions;
    importOptions.shapesOnly = shapesOnly;
    return importOnnxModel(context, path, importOptions);
  }
  context
      .loadDialect<graph::GraphDialect, dist::DistDialect, func::FuncDialect>();
  OwningOpRef<ModuleOp> module =
      parseSourceFile<ModuleOp>(path, ParserConfig(&context));
  if (!module)
    return failure();
  return module;
}

/// Prepares the entry function for lowering to a C entry point: the model
/// function gets a name no host program uses and a C interface wrapper, and
/// loses the graph and dist annotations the LLVM translation does not know.
void prepareEntryPoint(ModuleOp module, func::FuncOp entry) {
  for (unsigned i = 0, e = entry.getNumArguments(); i < e; ++i)
    if (entry.getArgAttr(i, "graph.weight_name"))
      entry.setArgAttr(i, kConstantBufferAttrName,
                       UnitAttr::get(module.getContext()));
  stripGraphSignatureAttributes(entry);
  // The manifest has recorded the mesh and the shardings; the code of one
  // rank does not need them.
  for (dist::MeshOp mesh : llvm::to_vector(module.getOps<dist::MeshOp>()))
    mesh.erase();
  auto sharding = StringAttr::get(module.getContext(), dist::kShardingAttrName);
  for (unsigned i = 0, e = entry.getNumArguments(); i < e; ++i)
    entry.removeArgAttr(i, sharding);
  auto producedOn =
      StringAttr::get(module.getContext(), dist::kProducedOnAttrName);
  for (unsigned i = 0, e = entry.getNumResults(); i < e; ++i) {
    entry.removeResultAttr(i, sharding);
    entry.removeResultAttr(i, producedOn);
  }
  for (NamedAttribute attr : llvm::to_vector(module->getAttrs()))
    if (attr.getName().getValue().starts_with("graph."))
      module->removeAttr(attr.getName());
  // Inputs and weights belong to the caller (weights are mapped read-only):
  // bufferization copies instead of writing into them.
  for (unsigned i = 0, e = entry.getNumArguments(); i < e; ++i)
    entry.setArgAttr(i, "bufferization.writable",
                     BoolAttr::get(module.getContext(), false));
  entry.setSymName(kModelFunctionName);
  entry->setAttr("llvm.emit_c_interface", UnitAttr::get(module.getContext()));
}
} // namespace

LogicalResult exaforge::compileModel(MLIRContext &context,
                                     const CompileOptions &options) {
  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  context.appendDialectRegistry(registry);
  // Errors name the model's file and node; a dump of the IR would only be
  // noise to the user.
  context.printOpOnDiagnostic(false);

  FailureOr<OwningOpRef<ModuleOp>> imported =
      loadModel(context, options.inputPath, options.shapesOnly);
  if (failed(imported))
    return failure();
  ModuleOp module = imported->get();
  auto entry = module.lookupSymbol<func::FuncOp>("main");
  if (!entry)
    return module.emitError("the imported module has no @main function");

  if (failed(runPipeline(module, buildGraphOptimizationPipeline)))
    return failure();
  if (options.dataParallelRanks > 1 &&
      failed(runPipeline(module, [&](OpPassManager &pm) {
        pm.addPass(dist::createDistDataParallel(
            dist::DistDataParallelOptions{options.dataParallelRanks}));
      })))
    return failure();
  if (options.tensorParallelRanks > 1 &&
      failed(runPipeline(module, [&](OpPassManager &pm) {
        buildTensorParallelPipeline(pm, options.tensorParallelRanks);
      })))
    return failure();
  if (options.pipelineStages > 1 &&
      failed(runPipeline(module, [&](OpPassManager &pm) {
        pm.addPass(dist::createDistPipelinePartition(
            dist::DistPipelinePartitionOptions{options.pipelineStages,
                                               options.microBatches}));
      })))
    return failure();
  if (options.emit == EmitKind::Graph)
    return writeTextOutput(options.outputPath,
                           [&](raw_ostream &os) { module.print(os); });
  // Code generation needs every weight's values.
  if (DenseResourceElementsAttr elided = graph::findElidedElements(module))
    return module.emitError()
           << "weight '" << elided.getRawHandle().getKey()
           << "' has no values (the model was imported shapes only); only "
              "--emit=graph can be written without them";

  std::string artifactDir = options.outputPath;
  if (options.emit == EmitKind::Artifact) {
    if (std::error_code ec = llvm::sys::fs::create_directories(artifactDir))
      return emitError(UnknownLoc::get(&context))
             << "cannot create the artifact directory '" << artifactDir
             << "': " << ec.message();
    // The partitioned per-rank program, for `exaforge inspect`.
    if (failed(writeGraphProgram(module, artifactDir)))
      return failure();
  }

  if (failed(runPipeline(module, buildGraphToLinalgPipeline)))
    return failure();
  if (options.emit == EmitKind::Linalg)
    return writeTextOutput(options.outputPath,
                           [&](raw_ostream &os) { module.print(os); });

  if (options.emit == EmitKind::Artifact) {
    ArtifactDescription desc{"model.so", kModelEntrySymbol,
                             options.compilerVersion};
    if (failed(writeManifestAndWeights(entry, artifactDir, desc)))
      return failure();
  }
  prepareEntryPoint(module, entry);
  if (failed(runPipeline(module, buildLinalgToLLVMPipeline)))
    return failure();

  FailureOr<HostTarget> target = HostTarget::create(options.optLevel);
  if (failed(target))
    return failure();
  llvm::LLVMContext llvmContext;
  FailureOr<std::unique_ptr<llvm::Module>> llvmModule =
      target->translate(module, llvmContext);
  if (failed(llvmModule) ||
      failed(addPackedEntryPoint(**llvmModule, kModelCInterfaceSymbol,
                                 kModelEntrySymbol)))
    return failure();
  markRuntimeAllocatorsNoAlias(**llvmModule);
  target->optimize(**llvmModule);
  if (options.emit == EmitKind::LLVMIR)
    return writeTextOutput(options.outputPath, [&](raw_ostream &os) {
      (*llvmModule)->print(os, nullptr);
    });
  if (options.emit == EmitKind::Object)
    return target->emitObjectFile(**llvmModule, options.outputPath);

  llvm::SmallString<256> objectPath(artifactDir), libraryPath(artifactDir);
  llvm::sys::path::append(objectPath, "model.o");
  llvm::sys::path::append(libraryPath, "model.so");
  if (failed(target->emitObjectFile(**llvmModule, objectPath)) ||
      failed(linkSharedLibrary(objectPath, libraryPath)))
    return failure();
  llvm::sys::fs::remove(objectPath);
  return success();
}
