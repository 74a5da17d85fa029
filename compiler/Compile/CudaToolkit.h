//===- CudaToolkit.h - Where the CUDA toolkit is ----------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Finds the CUDA toolkit that `exaforge compile --target cuda` assembles
// its kernels with (bin/ptxas) and takes libdevice from (nvvm/libdevice).
// No path of the build machine is built in: the toolkit is looked up when
// the compiler runs, as a login node's module system sets it up.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_COMPILER_COMPILE_CUDATOOLKIT_H
#define EXAFORGE_COMPILER_COMPILE_CUDATOOLKIT_H

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace exaforge {

/// Returns the directory of the CUDA toolkit, the first of these that holds
/// an executable `bin/ptxas`: `given` (`--cuda-toolkit`) when not empty (and
/// then only it), the environment variables `CUDA_PATH` and `CUDA_HOME`,
/// and the directory above the `ptxas` found in `PATH`. Nullopt when none
/// does.
std::optional<std::string> findCudaToolkit(llvm::StringRef given);

} // namespace exaforge

#endif // EXAFORGE_COMPILER_COMPILE_CUDATOOLKIT_H
