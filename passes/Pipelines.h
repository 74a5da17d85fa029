//===- Pipelines.h - Exaforge pass pipelines --------------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The pass pipelines of a compilation, as build functions (used by the
// driver) and as registered pipelines (used by exaforge-opt and lit tests):
//
//   exaforge-compile-pipeline everything `exaforge compile` runs, from the
//                             imported module to the LLVM dialect, in three
//                             stages ending at the `--emit` stop points:
//     graph    graph optimization, mesh, data/tensor/pipeline parallelism
//     linalg   weights to arguments, graph to linalg, fusion
//     llvm     manifest, entry point, bufferization, kernel calls, the
//              kernel target's loop code (CPU threads or CUDA kernels),
//              LLVM
//   exaforge-graph-optimize   graph-level folding and shape refinement
//   exaforge-graph-to-linalg  weights to arguments, graph to linalg, fusion
//   exaforge-linalg-to-llvm   bufferization, kernel calls, LLVM dialect
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_PASSES_PIPELINES_H
#define EXAFORGE_PASSES_PIPELINES_H

#include "passes/Conversion/KernelTarget/KernelTarget.h"

#include "mlir/Support/LLVM.h"

#include <string>

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace exaforge {

/// The stages of a compilation, in order. Each ends at a stop point of
/// `exaforge compile --emit`.
enum class CompileStage {
  /// The optimized graph, partitioned over the mesh (`--emit=graph`).
  Graph,
  /// Linalg on tensors, elementwise ops fused (`--emit=linalg`).
  Linalg,
  /// The LLVM dialect: the entry point of the compiled library, with the
  /// manifest recorded in the `artifact.manifest` module attribute.
  LLVM,
};

/// What the compile pipeline does: the parallelism the model is compiled for
/// and where it stops.
struct CompilePipelineOptions {
  /// Data-parallel replicas (the "dp" mesh axis); 1: none.
  int64_t dataParallel = 1;
  /// Tensor-parallel ranks (the "tp" mesh axis); 1: none.
  int64_t tensorParallel = 1;
  /// Pipeline stages (the "pp" mesh axis); 1: none.
  int64_t pipelineStages = 1;
  /// Micro-batches per run of a pipeline; 0: one per stage when the model
  /// has a batch dimension, else 1.
  int64_t microBatches = 0;
  /// The largest static tensor one rank's program may compute, in bytes
  /// (`graph-check-tensor-sizes`); 0: this machine's physical memory.
  int64_t maxTensorBytes = 0;
  /// Whether the lowerings' run-time checks stay (false, for developers:
  /// `strip-runtime-checks` erases them, to measure their cost).
  bool runtimeChecks = true;
  /// The kernel target (passes/Conversion/KernelTarget/KernelTarget.h):
  /// its library kernels and its code generator for the loop nests.
  std::string target = "cpu";
  /// What the target's code generator is told (GPU architecture, CUDA
  /// toolkit).
  KernelTargetOptions targetOptions;
  /// The element type the f32 matmuls read their operands in ("bf16",
  /// "f16"), accumulating in f32; "" keeps them f32 (`--precision`).
  std::string matmulElementType;
  /// The last stage run.
  CompileStage stopAfter = CompileStage::LLVM;
};

/// Adds everything `exaforge compile` runs on the imported module, from the
/// graph to `options.stopAfter`: the stages of `buildCompileStage` in order.
void buildCompilePipeline(mlir::OpPassManager &pm,
                          const CompilePipelineOptions &options);

/// Adds the passes of one stage of the compile pipeline (`options.stopAfter`
/// is ignored). The graph stage declares the mesh `dp x pp x tp`
/// (`dist-declare-mesh`) before the data, tensor and pipeline parallelism
/// passes partition along its axes.
void buildCompileStage(mlir::OpPassManager &pm, CompileStage stage,
                       const CompilePipelineOptions &options);

/// Folds and canonicalizes the graph and refines dynamic result types.
void buildGraphOptimizationPipeline(mlir::OpPassManager &pm);

/// What the graph-to-linalg stage does differently per target.
struct GraphToLinalgOptions {
  /// Dense floating-point constants with more elements than this become
  /// weights; the rest stay in the code (`graph-outline-weights`; integer
  /// constants stay up to 64 elements, as shape data whose values the
  /// lowerings need). The CUDA target outlines them all: the constants in
  /// the code are host memory, which the GPU's kernels and libraries cannot
  /// read, while weights are uploaded to it.
  int64_t maxInlineFloatElements = 64;
  /// With "bf16" or "f16", the f32 matmuls read their operands in that type
  /// (`reduce-matmul-precision`); "" keeps them f32.
  std::string matmulElementType;
  /// Whether elementwise fusion may fuse a producer that computes math
  /// functions or divisions into a consumer that broadcasts its result
  /// (`fuse-elementwise-around-kernels`): the consumer then computes the
  /// value again for every read (a sigmoid per pixel), which costs the CPU
  /// more than a loop of its own. The CUDA target keeps the fusion, which
  /// saves a kernel launch; which costs more there is not measured yet.
  bool recomputeBroadcastMath = true;
};

/// Outlines the weights of public functions into arguments, lowers graph ops
/// to linalg on tensors and fuses elementwise chains into single loop nests.
void buildGraphToLinalgPipeline(mlir::OpPassManager &pm,
                                const GraphToLinalgOptions &options = {});

/// Makes integer tensor types signless (see `make-tensors-signless`),
/// bufferizes (function boundaries included, identity layouts), hands the
/// matmuls and convolutions that `target` accepts to its library (the CPU
/// target: f32 ones to the runtime's oneDNN kernels), inserts
/// deallocations, turns run-time checks (`cf.assert`) into reports to the
/// runtime, lets `target` generate the code of the loop nests (the CPU
/// target: on the runtime's threads; CUDA: GPU kernels), and lowers the
/// host code to the LLVM dialect. Buffers are allocated through the
/// runtime's generic allocation functions (see
/// docs/design/compiled-artifact.md).
void buildLinalgToLLVMPipeline(mlir::OpPassManager &pm,
                               const KernelTarget &target,
                               const KernelTargetOptions &targetOptions);

/// Partitions @main over `ranks` tensor-parallel ranks (Megatron layout):
/// splits fused projections, decides the shardings and rewrites @main into
/// the per-rank program (passes/Dist/Passes.td).
void buildTensorParallelPipeline(mlir::OpPassManager &pm, int64_t ranks);

/// Registers the pipelines above with the pass registry.
void registerExaforgePipelines();

} // namespace exaforge

#endif // EXAFORGE_PASSES_PIPELINES_H
