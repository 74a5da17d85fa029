//===- Compile.h - ONNX model to a compiled artifact ------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The compilation behind `exaforge compile`: import, graph optimization,
// lowering to linalg and LLVM, native code generation, and the artifact
// (docs/design/compiled-artifact.md).
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_COMPILER_COMPILE_COMPILE_H
#define EXAFORGE_COMPILER_COMPILE_COMPILE_H

#include "compiler/Import/ONNX/InputShape.h"
#include "exaforge/abi/Contract.h"

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace mlir {
class MLIRContext;
} // namespace mlir

namespace exaforge {

/// What `compileModel` writes.
enum class EmitKind {
  /// The artifact directory (manifest, library, weights).
  Artifact,
  /// The optimized graph dialect IR (text).
  Graph,
  /// The IR after lowering to linalg and fusion (text).
  Linalg,
  /// The IR in the LLVM dialect, before translation to LLVM IR (text).
  LLVMDialect,
  /// Optimized LLVM IR (text).
  LLVMIR,
  /// A native object file.
  Object,
};

/// Options of one compilation.
struct CompileOptions {
  /// The ONNX model (`.onnx` or `.onnxtext`), or a module of the graph and
  /// dist dialects (`.mlir`).
  std::string inputPath;
  /// The artifact directory, or the file written for the other emit kinds
  /// (`-` for standard output where the output is text).
  std::string outputPath;
  /// LLVM optimization level, 0 to 3.
  unsigned optLevel = 3;
  /// What to write.
  EmitKind emit = EmitKind::Artifact;
  /// Version recorded in the manifest.
  std::string compilerVersion = "unknown";
  /// Number of data-parallel ranks the model is compiled for (1: one rank).
  int64_t dataParallelRanks = 1;
  /// Number of tensor-parallel ranks (1: none).
  int64_t tensorParallelRanks = 1;
  /// Number of pipeline stages (1: none). The mesh is `dp x pp x tp`.
  int64_t pipelineStages = 1;
  /// Micro-batches per run of a pipeline; 0: one per stage when the model
  /// has a batch dimension, else 1.
  int64_t microBatches = 0;
  /// Import an ONNX model shapes only (`OnnxImportOptions::shapesOnly`): its
  /// weights are not read, so only `EmitKind::Graph` can be written.
  bool shapesOnly = false;
  /// Shapes given to the ONNX model's inputs before import
  /// (`OnnxImportOptions::inputShapes`, `--input-shape`).
  std::vector<InputShapeOverride> inputShapes;
  /// The largest constant tensor accepted, in bytes
  /// (`OnnxImportOptions::maxConstantBytes`, `--max-constant-bytes`); 0:
  /// half of this machine's memory.
  int64_t maxConstantBytes = 0;
  /// The largest static tensor one rank computes, in bytes
  /// (`CompilePipelineOptions::maxTensorBytes`, `--max-tensor-bytes`); 0:
  /// this machine's memory.
  int64_t maxTensorBytes = 0;
  /// Whether the run-time checks stay (`CompilePipelineOptions::
  /// runtimeChecks`; false: the hidden `--no-runtime-checks`).
  bool runtimeChecks = true;
  /// The target (`--target`): `abi::kTargetCpu` or `abi::kTargetCuda`.
  std::string target = abi::kTargetCpu;
  /// With the CUDA target: the GPU architecture (`--gpu-arch`, one of
  /// passes/Conversion/KernelTarget/GpuArchitectures.h).
  std::string gpuArch;
  /// The precision the model computes in (`--precision`): "f32", or with
  /// the CUDA target "tf32" (recorded in the manifest; the runtime's
  /// cuBLASLt matmuls then use TF32 tensor cores), "bf16" or "f16" (the
  /// matmuls' operands in that type, their weights converted at compile
  /// time, accumulation and every other op in f32).
  std::string precision = "f32";
  /// With the CUDA target: the CUDA toolkit's directory (`--cuda-toolkit`);
  /// empty: the one `findCudaToolkit` finds.
  std::string cudaToolkitPath;
};

/// The argument (e.g. `expand-strided-metadata`) of the pass that
/// `compileModel` is running on this thread, or "" between passes: what a
/// crash report names (see compiler/Driver/CrashGuard.h).
llvm::StringRef getCompilePassInProgress();

/// The C interface (`llvm.emit_c_interface`) of the compiled model function
/// (`artifact::kCompiledModelFunctionName`): results pointer, then one
/// descriptor pointer per argument.
inline constexpr llvm::StringLiteral kModelCInterfaceSymbol =
    abi::kModelCInterfaceSymbol;
/// The entry point the manifest names: `void (void **args)`, calling the C
/// interface with `args[0]`, `args[1]`, ...
inline constexpr llvm::StringLiteral kModelEntrySymbol = abi::kModelEntrySymbol;

/// Compiles the model at `options.inputPath`. Errors are reported through
/// `context`'s diagnostic engine (naming the file and node where they come
/// from the model) and yield failure.
mlir::LogicalResult compileModel(mlir::MLIRContext &context,
                                 const CompileOptions &options);

} // namespace exaforge

#endif // EXAFORGE_COMPILER_COMPILE_COMPILE_H
