//===- Pipelines.cpp - Exaforge pass pipelines ----------------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Builds the pipelines declared in Pipelines.h. Upstream passes are added by
// their registered names (a textual pipeline), which keeps this file
// independent of each pass's C++ options struct.
//
//===----------------------------------------------------------------------===//

#include "passes/Pipelines.h"

#include "passes/Artifact/Passes.h"
#include "passes/Conversion/Passes.h"
#include "passes/Dist/Passes.h"
#include "passes/Graph/Passes.h"

#include "mlir/InitAllPasses.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/ErrorHandling.h"

#include <mutex>

using namespace mlir;
using namespace exaforge;

/// Appends a textual pipeline of upstream passes to `pm`, registering the
/// upstream passes on first use. The strings are fixed by this file, so a
/// parse failure is a compiler bug.
static void addPipeline(OpPassManager &pm, StringRef pipeline) {
  static std::once_flag registered;
  std::call_once(registered, [] { registerAllPasses(); });
  if (failed(parsePassPipeline(pipeline, pm)))
    llvm::report_fatal_error(llvm::Twine("invalid built-in pipeline: ") +
                             pipeline);
}

void exaforge::buildGraphOptimizationPipeline(OpPassManager &pm) {
  pm.addPass(createCanonicalizerPass());
  pm.addPass(graph::createGraphInferShapes());
  pm.addPass(graph::createGraphFoldBatchNormIntoConv());
  pm.addPass(graph::createGraphFuseQuantizedProducts());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void exaforge::buildTensorParallelPipeline(OpPassManager &pm, int64_t ranks) {
  pm.addPass(dist::createDistSplitFusedProjections());
  pm.addPass(dist::createDistTensorParallelSharding(
      dist::DistTensorParallelShardingOptions{ranks}));
  pm.addPass(dist::createDistTensorParallelPartition());
  pm.addPass(createCSEPass());
}

void exaforge::buildGraphToLinalgPipeline(OpPassManager &pm,
                                          const GraphToLinalgOptions &options) {
  graph::GraphOutlineWeightsOptions outline;
  outline.maxInlineFloatElements = options.maxInlineFloatElements;
  pm.addPass(graph::createGraphOutlineWeights(outline));
  pm.addPass(createConvertGraphControlFlowToScf());
  pm.addPass(createConvertGraphSequencesToTensors());
  pm.addPass(createConvertGraphToLinalg());
  pm.addPass(createConvertDistToRuntimeCalls());
  pm.addPass(createCanonicalizerPass());
  // Before fusion, which merges the operands' conversions into their
  // producers.
  if (!options.matmulElementType.empty())
    pm.addPass(createReduceMatmulPrecision(
        ReduceMatmulPrecisionOptions{options.matmulElementType}));
  pm.addNestedPass<func::FuncOp>(createFuseElementwiseAroundKernels(
      FuseElementwiseAroundKernelsOptions{options.recomputeBroadcastMath}));
  // The second canonicalize folds what CSE made equal: two run-time checks
  // of sizes that canonicalization resolved to separate `tensor.dim`s of
  // one tensor compare a value with itself once CSE merged them, and go.
  addPipeline(pm, "canonicalize,cse,canonicalize");
  pm.addPass(createReassociateFloatReductions());
}

void exaforge::buildLinalgToLLVMPipeline(
    OpPassManager &pm, const KernelTarget &target,
    const KernelTargetOptions &targetOptions) {
  std::string targetName = target.getName().str();
  pm.addPass(createMakeTensorsSignless());
  SelectKernelsOptions select;
  select.target = targetName;
  pm.addPass(createSelectKernels(select));
  // Before the collapse, which keeps the loops' order.
  pm.addNestedPass<func::FuncOp>(createInterchangeChannelsInnermost());
  pm.addNestedPass<func::FuncOp>(createCollapseGenericLoops());
  pm.addNestedPass<func::FuncOp>(createExpandShapesToReshapes());
  // A loop (graph.loop) yields carried values its body computes in new
  // buffers.
  addPipeline(pm, "one-shot-bufferize{bufferize-function-boundaries "
                  "function-boundary-type-conversion=identity-layout-map "
                  "allow-return-allocs-from-loops}");
  if (!target.canReadHostConstants())
    pm.addNestedPass<func::FuncOp>(createCopyConstantGlobalsToBuffers());
  pm.addPass(createUseChannelsLastKernelBuffers());
  pm.addPass(
      createConvertKernelsToCalls(ConvertKernelsToCallsOptions{targetName}));
  addPipeline(pm, "buffer-deallocation-pipeline,"
                  "convert-bufferization-to-memref");
  pm.addNestedPass<func::FuncOp>(createReleaseBuffersAfterLastUse());
  pm.addNestedPass<func::FuncOp>(createConvertStridedCopiesToLinalg());
  addPipeline(pm, "func.func(convert-linalg-to-parallel-loops)");
  // Every kernel call and loop nest is a region of the profiler (named
  // after its ONNX node); the calls get the run's context below.
  pm.addPass(createInsertProfileRegions());
  pm.addPass(createConvertAssertsToRuntimeCalls());
  pm.addPass(createConvertAllocsToRuntimeCalls());
  pm.addPass(createPassExecContext());
  target.buildLoopCodegen(pm, targetOptions);
  addPipeline(pm, "expand-strided-metadata,lower-affine,convert-scf-to-cf");
  pm.addPass(createConvertMathToPolynomials());
  // convert-allocs-to-runtime-calls left no buffer to allocate; were one
  // left, the generic allocation functions, which the runtime does not
  // define, would make model.so fail to load rather than call malloc.
  // f32 -> bf16 truncations become integer rounding: LLVM would otherwise
  // call __truncsfbf2, which libgcc (before GCC 13) does not define, so
  // model.so would not load. The float minimum and maximum stay LLVM
  // intrinsics, whose reductions LLVM vectorizes.
  pm.addNestedPass<func::FuncOp>(createExpandArithForLLVM());
  target.buildHostLowering(pm);
  addPipeline(pm, "convert-math-to-llvm,convert-math-to-libm,"
                  "finalize-memref-to-llvm{use-generic-functions=true},"
                  "convert-to-llvm,reconcile-unrealized-casts");
}

/// The kernel target called `name`; the driver and the pipeline options
/// accept known names only, so an unknown one is a compiler bug.
static const KernelTarget &getTarget(StringRef name) {
  const KernelTarget *target = lookupKernelTarget(name);
  if (!target)
    llvm::report_fatal_error(llvm::Twine("unknown kernel target '") + name +
                             "'");
  return *target;
}

/// The graph-to-linalg stage of `options`' target and precision.
static GraphToLinalgOptions
getGraphToLinalgOptions(const CompilePipelineOptions &options) {
  GraphToLinalgOptions linalg;
  if (options.target == "cuda")
    linalg.maxInlineFloatElements = 0;
  linalg.recomputeBroadcastMath = options.target == "cuda";
  linalg.matmulElementType = options.matmulElementType;
  return linalg;
}

void exaforge::buildCompileStage(OpPassManager &pm, CompileStage stage,
                                 const CompilePipelineOptions &options) {
  switch (stage) {
  case CompileStage::Graph:
    buildGraphOptimizationPipeline(pm);
    pm.addPass(dist::createDistDeclareMesh(dist::DistDeclareMeshOptions{
        options.dataParallel, options.pipelineStages, options.tensorParallel}));
    if (options.dataParallel > 1)
      pm.addPass(dist::createDistDataParallel(
          dist::DistDataParallelOptions{options.dataParallel}));
    if (options.tensorParallel > 1)
      buildTensorParallelPipeline(pm, options.tensorParallel);
    if (options.pipelineStages > 1)
      pm.addPass(
          dist::createDistPipelinePartition(dist::DistPipelinePartitionOptions{
              options.pipelineStages, options.microBatches}));
    pm.addPass(graph::createGraphCheckTensorSizes(
        graph::GraphCheckTensorSizesOptions{options.maxTensorBytes}));
    return;
  case CompileStage::Linalg:
    pm.addPass(artifact::createArtifactRequireWeightValues());
    buildGraphToLinalgPipeline(pm, getGraphToLinalgOptions(options));
    if (!options.runtimeChecks) {
      pm.addPass(createStripRuntimeChecks());
      addPipeline(pm, "canonicalize,cse");
    }
    return;
  case CompileStage::LLVM:
    pm.addPass(artifact::createArtifactRecordManifest());
    pm.addPass(artifact::createArtifactPrepareEntryPoint());
    buildLinalgToLLVMPipeline(pm, getTarget(options.target),
                              options.targetOptions);
    return;
  }
  llvm_unreachable("unknown compile stage");
}

void exaforge::buildCompilePipeline(OpPassManager &pm,
                                    const CompilePipelineOptions &options) {
  for (CompileStage stage :
       {CompileStage::Graph, CompileStage::Linalg, CompileStage::LLVM}) {
    buildCompileStage(pm, stage, options);
    if (stage == options.stopAfter)
      return;
  }
}

namespace {
/// The options of `exaforge-compile-pipeline`, spelled like those of
/// `exaforge compile`.
struct CompilePipelineCLOptions
    : PassPipelineOptions<CompilePipelineCLOptions> {
  Option<int64_t> dp{*this, "dp",
                     llvm::cl::desc("Number of data-parallel replicas"),
                     llvm::cl::init(1)};
  Option<int64_t> tp{*this, "tp",
                     llvm::cl::desc("Number of tensor-parallel ranks"),
                     llvm::cl::init(1)};
  Option<int64_t> pp{*this, "pp", llvm::cl::desc("Number of pipeline stages"),
                     llvm::cl::init(1)};
  Option<int64_t> microbatches{
      *this, "microbatches",
      llvm::cl::desc("Micro-batches per run of a pipeline (0: automatic)"),
      llvm::cl::init(0)};
  Option<int64_t> maxTensorBytes{
      *this, "max-tensor-bytes",
      llvm::cl::desc("The largest static tensor of one rank, in bytes (0: "
                     "this machine's memory)"),
      llvm::cl::init(0)};
  Option<bool> runtimeChecks{
      *this, "runtime-checks",
      llvm::cl::desc("Keep the run-time checks (false: for developers, to "
                     "measure their cost)"),
      llvm::cl::init(true)};
  Option<CompileStage> emit{
      *this, "emit", llvm::cl::desc("The stage to stop after"),
      llvm::cl::init(CompileStage::LLVM),
      llvm::cl::values(
          clEnumValN(CompileStage::Graph, "graph", "the partitioned graph"),
          clEnumValN(CompileStage::Linalg, "linalg", "linalg on tensors"),
          clEnumValN(CompileStage::LLVM, "llvm-dialect", "the LLVM dialect"))};
  Option<std::string> target{
      *this, "target",
      llvm::cl::desc("The kernel target: cpu (default) or cuda"),
      llvm::cl::init("cpu")};
  Option<std::string> gpuArch{
      *this, "gpu-arch",
      llvm::cl::desc("With target=cuda: the GPU architecture (default sm_90)"),
      llvm::cl::init("")};
  Option<std::string> cudaToolkit{
      *this, "cuda-toolkit",
      llvm::cl::desc("With target=cuda: the CUDA toolkit's directory "
                     "(default: ptxas from PATH)"),
      llvm::cl::init("")};
};
} // namespace

void exaforge::registerExaforgePipelines() {
  PassPipelineRegistration<CompilePipelineCLOptions>(
      "exaforge-compile-pipeline",
      "Run what `exaforge compile` runs, up to the stop point `emit`",
      [](OpPassManager &pm, const CompilePipelineCLOptions &cl) {
        CompilePipelineOptions options;
        options.dataParallel = cl.dp;
        options.tensorParallel = cl.tp;
        options.pipelineStages = cl.pp;
        options.microBatches = cl.microbatches;
        options.maxTensorBytes = cl.maxTensorBytes;
        options.runtimeChecks = cl.runtimeChecks;
        options.stopAfter = cl.emit;
        options.target = cl.target;
        options.targetOptions.gpuArch = cl.gpuArch;
        options.targetOptions.cudaToolkitPath = cl.cudaToolkit;
        buildCompilePipeline(pm, options);
      });
  PassPipelineRegistration<>(
      "exaforge-graph-optimize",
      "Fold the graph and refine its dynamic result types",
      buildGraphOptimizationPipeline);
  PassPipelineRegistration<>(
      "exaforge-graph-to-linalg",
      "Outline weights, lower graph ops to linalg and fuse elementwise ops",
      [](OpPassManager &pm) { buildGraphToLinalgPipeline(pm); });
  PassPipelineRegistration<>(
      "exaforge-linalg-to-llvm",
      "Bufferize and lower linalg on tensors to the LLVM dialect (CPU)",
      [](OpPassManager &pm) {
        buildLinalgToLLVMPipeline(pm, getCpuKernelTarget(),
                                  KernelTargetOptions());
      });
}
