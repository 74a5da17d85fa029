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
  /// The target compiled for (`abi::kTargetCpu` or `abi::kTargetCuda`).
  llvm::StringRef target = "cpu";
  /// The precision the model computes in ("f32").
  llvm::StringRef precision = "f32";
  /// With the CUDA target: the GPU architecture, and the file names of the
  /// kernels' PTX and cubin ("" when the model has no kernel).
  llvm::StringRef gpuArch = "", ptxFile = "", cubinFile = "";
};

/// Writes `manifest.json` (with the target of `desc`) and `weights.bin`
/// (and, for weights split over
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
