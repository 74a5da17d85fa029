//===- CudaToolkit.cpp - Where the CUDA toolkit is ------------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `findCudaToolkit` (see CudaToolkit.h).
//
//===----------------------------------------------------------------------===//

#include "compiler/Compile/CudaToolkit.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"

using namespace exaforge;

/// Whether `dir` holds an executable bin/ptxas.
static bool hasPtxas(llvm::StringRef dir) {
  llvm::SmallString<256> ptxas(dir);
  llvm::sys::path::append(ptxas, "bin", "ptxas");
  return llvm::sys::fs::can_execute(ptxas);
}

std::optional<std::string> exaforge::findCudaToolkit(llvm::StringRef given) {
  if (!given.empty()) {
    if (hasPtxas(given))
      return given.str();
    return std::nullopt;
  }
  for (const char *variable : {"CUDA_PATH", "CUDA_HOME"})
    if (std::optional<std::string> dir = llvm::sys::Process::GetEnv(variable))
      if (!dir->empty() && hasPtxas(*dir))
        return *dir;
  if (llvm::ErrorOr<std::string> ptxas = llvm::sys::findProgramByName("ptxas")) {
    llvm::SmallString<256> real;
    if (llvm::sys::fs::real_path(*ptxas, real))
      real = *ptxas;
    // <toolkit>/bin/ptxas
    llvm::StringRef dir =
        llvm::sys::path::parent_path(llvm::sys::path::parent_path(real));
    if (hasPtxas(dir))
      return dir.str();
  }
  return std::nullopt;
}
