//===- GpuKernelsWriter.h - The GPU kernels of an artifact ------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Writes the generated GPU kernels of a module compiled for the CUDA target
// into the artifact: the PTX and the cubin that `assemble-cuda-binaries`
// left in the `gpu.binary @xf_kernels` (docs/design/cuda-target.md).
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_COMPILER_COMPILE_GPUKERNELSWRITER_H
#define EXAFORGE_COMPILER_COMPILE_GPUKERNELSWRITER_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace mlir {
class ModuleOp;
} // namespace mlir

namespace exaforge {

/// The file name of the kernels' PTX in an artifact.
inline constexpr llvm::StringLiteral kKernelsPtxFileName = "kernels.ptx";

/// The files `writeGpuKernels` wrote, by name inside the artifact (empty
/// when the model has no kernel).
struct GpuKernelFiles {
  /// The PTX (`kKernelsPtxFileName`).
  std::string ptx;
  /// The cubin, `kernels.<arch>.cubin`.
  std::string cubin;
};

/// Writes the PTX and the cubin of `module`'s `gpu.binary` (one at most, as
/// `merge-gpu-modules` made it) into the artifact directory `dir`. A
/// binary without both objects, or a second binary, is reported at it
/// (a compiler bug); a file that cannot be written, at the module.
mlir::FailureOr<GpuKernelFiles> writeGpuKernels(mlir::ModuleOp module,
                                                llvm::StringRef dir);

} // namespace exaforge

#endif // EXAFORGE_COMPILER_COMPILE_GPUKERNELSWRITER_H
