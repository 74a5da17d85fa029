//===- TargetOptions.h - Checking what a compile targets --------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The target options of a compile (`exaforge compile --target --gpu-arch
// --precision --cuda-toolkit`, and the same keywords of the Python API's
// `exaforge.compile`) are checked in one place, so both front ends accept
// and refuse the same combinations with the same messages.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_COMPILER_COMPILE_TARGETOPTIONS_H
#define EXAFORGE_COMPILER_COMPILE_TARGETOPTIONS_H

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace exaforge {

struct CompileOptions;

/// Checks a compile's `target` ("cpu" or "cuda"), `gpuArch` (one of
/// GpuArchitectures.h, or "" for the default, CUDA only), `precision`
/// ("f32", or "tf32" with CUDA) and `cudaToolkit` (a directory, or "";
/// CUDA only), and records them in `options`, the GPU architecture
/// defaulting to `kDefaultGpuArchitecture`. Returns the error, which names
/// the options as the command line spells them (`--gpu-arch`), or nullopt.
std::optional<std::string> setTargetOptions(llvm::StringRef target,
                                            llvm::StringRef gpuArch,
                                            llvm::StringRef precision,
                                            llvm::StringRef cudaToolkit,
                                            CompileOptions &options);

} // namespace exaforge

#endif // EXAFORGE_COMPILER_COMPILE_TARGETOPTIONS_H
