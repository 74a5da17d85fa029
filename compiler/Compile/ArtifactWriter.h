//===- ArtifactWriter.h - Manifest and weight file of an artifact -*- C++
//-*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Writes `manifest.json` and `weights.bin` of a compiled artifact from the
// manifest recorded in the lowered module by `artifact-record-manifest`
// (docs/design/compiled-artifact.md describes both files).
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_COMPILER_COMPILE_ARTIFACTWRITER_H
#define EXAFORGE_COMPILER_COMPILE_ARTIFACTWRITER_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"

namespace mlir {
class ModuleOp;
} // namespace mlir

namespace exaforge {

/// What the manifest records besides the function's signature.
struct ArtifactDescription {
  /// File name of the compiled library inside the artifact.
  llvm::StringRef libraryName;
  /// Symbol of the entry point in the library.
  llvm::StringRef entrySymbol;
  /// Version of the compiler that wrote the artifact.
  llvm::StringRef compilerVersion;
  /// Whether the compiled code checks its inputs at run time (false after
  /// `strip-runtime-checks`).
  bool runtimeChecks = true;
};

/// Writes `manifest.json` and `weights.bin` (and, for weights split over
/// ranks, `weights.rank<N>.bin`) into the directory `dir` (which must exist)
/// from the manifest that `artifact-record-manifest` recorded in `module`
/// (passes/Artifact/Manifest.h). Fails with a diagnostic at the module when
/// it has no manifest, on a weight without data, or on a weight that does
/// not split evenly over the mesh.
mlir::LogicalResult writeManifestAndWeights(mlir::ModuleOp module,
                                            llvm::StringRef dir,
                                            const ArtifactDescription &desc);

} // namespace exaforge

#endif // EXAFORGE_COMPILER_COMPILE_ARTIFACTWRITER_H
