//===- GraphProgramWriter.h - graph.mlir of an artifact ---------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Prints the per-rank program after partitioning (graph and dist dialects,
// what `--emit=graph` prints) as the artifact holds it in `graph.mlir`, for
// `exaforge inspect`. The runtime ignores the file.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_COMPILER_COMPILE_GRAPHPROGRAMWRITER_H
#define EXAFORGE_COMPILER_COMPILE_GRAPHPROGRAMWRITER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

namespace exaforge {

/// The name of the partitioned program in an artifact directory.
inline constexpr const char *kGraphProgramFileName = "graph.mlir";

/// Prints `module` as an artifact's graph.mlir holds it: elements attributes
/// of more than 16 elements (weights, large constants) are printed as
/// `dense_resource<__elided__>`, so the file stays small and holds no weight
/// blobs; types and shapes are kept.
void printGraphProgram(mlir::ModuleOp module, llvm::raw_ostream &os);

} // namespace exaforge

#endif // EXAFORGE_COMPILER_COMPILE_GRAPHPROGRAMWRITER_H
