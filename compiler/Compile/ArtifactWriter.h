//===- ArtifactWriter.h - Manifest and weight file of an artifact -*- C++
//-*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Writes `manifest.json` and `weights.bin` of a compiled artifact from the
// entry function after `graph-outline-weights` (docs/design/
// compiled-artifact.md describes both files).
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_COMPILER_COMPILE_ARTIFACTWRITER_H
#define EXAFORGE_COMPILER_COMPILE_ARTIFACTWRITER_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"

namespace mlir::func {
class FuncOp;
} // namespace mlir::func

namespace exaforge {

/// What the manifest records besides the function's signature.
struct ArtifactDescription {
  /// File name of the compiled library inside the artifact.
  llvm::StringRef libraryName;
  /// Symbol of the entry point in the library.
  llvm::StringRef entrySymbol;
  /// Version of the compiler that wrote the artifact.
  llvm::StringRef compilerVersion;
};

/// Writes `manifest.json` and `weights.bin` into the directory `dir`
/// (which must exist) for the entry function `func`, whose weight arguments
/// carry `graph.weight_name`/`graph.weight_value` and whose other arguments
/// and results carry `graph.name`. Fails with a diagnostic at the function
/// on an element type the runtime does not know.
mlir::LogicalResult writeManifestAndWeights(mlir::func::FuncOp func,
                                            llvm::StringRef dir,
                                            const ArtifactDescription &desc);

/// Removes the `graph.*` argument and result attributes of `func`, which
/// only the artifact writer reads and the LLVM translation does not know.
void stripGraphSignatureAttributes(mlir::func::FuncOp func);

} // namespace exaforge

#endif // EXAFORGE_COMPILER_COMPILE_ARTIFACTWRITER_H
