//===- Pipelines.h - Exaforge pass pipelines --------------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The pass pipelines of a compilation, as build functions (used by the
// driver) and as registered pipelines (used by exaforge-opt and lit tests):
//
//   exaforge-graph-optimize   graph-level folding and shape refinement
//   exaforge-graph-to-linalg  weights to arguments, graph to linalg, fusion
//   exaforge-linalg-to-llvm   bufferization, kernel calls, LLVM dialect
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_PASSES_PIPELINES_H
#define EXAFORGE_PASSES_PIPELINES_H

#include "mlir/Support/LLVM.h"

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace exaforge {

/// Folds and canonicalizes the graph and refines dynamic result types.
void buildGraphOptimizationPipeline(mlir::OpPassManager &pm);

/// Outlines the weights of public functions into arguments, lowers graph ops
/// to linalg on tensors and fuses elementwise chains into single loop nests.
void buildGraphToLinalgPipeline(mlir::OpPassManager &pm);

/// Makes integer tensor types signless (see `make-tensors-signless`),
/// bufferizes (function boundaries included, identity layouts), hands f32
/// matmuls and convolutions to the runtime's oneDNN kernels, inserts
/// deallocations, turns run-time checks (`cf.assert`) into reports to the
/// runtime, and lowers loops, memrefs and math to the LLVM dialect. Buffers are
/// allocated through the runtime's generic allocation functions (see
/// docs/design/compiled-artifact.md).
void buildLinalgToLLVMPipeline(mlir::OpPassManager &pm);

/// Partitions @main over `ranks` tensor-parallel ranks (Megatron layout):
/// splits fused projections, decides the shardings and rewrites @main into
/// the per-rank program (passes/Dist/Passes.td).
void buildTensorParallelPipeline(mlir::OpPassManager &pm, int64_t ranks);

/// Registers the pipelines above with the pass registry.
void registerExaforgePipelines();

} // namespace exaforge

#endif // EXAFORGE_PASSES_PIPELINES_H
