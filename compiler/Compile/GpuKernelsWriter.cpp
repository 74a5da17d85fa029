//===- GpuKernelsWriter.cpp - The GPU kernels of an artifact --------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `writeGpuKernels` (see GpuKernelsWriter.h).
//
//===----------------------------------------------------------------------===//

#include "compiler/Compile/GpuKernelsWriter.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace exaforge;

/// Writes `bytes` to the file `name` of `dir`; reports at `module` on
/// failure.
static LogicalResult writeFile(ModuleOp module, StringRef dir, StringRef name,
                               StringRef bytes) {
  llvm::SmallString<256> path(dir);
  llvm::sys::path::append(path, name);
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return module.emitError("cannot write '")
           << path << "': " << ec.message();
  os << bytes;
  return success();
}

FailureOr<GpuKernelFiles> exaforge::writeGpuKernels(ModuleOp module,
                                                    StringRef dir) {
  GpuKernelFiles files;
  auto binaries = module.getOps<gpu::BinaryOp>();
  if (binaries.empty())
    return files;
  if (std::next(binaries.begin()) != binaries.end())
    return (*std::next(binaries.begin())).emitError(
        "a second gpu.binary: the kernels were not merged");
  gpu::BinaryOp binary = *binaries.begin();
  std::optional<gpu::ObjectAttr> ptx, cubin;
  for (auto object : binary.getObjectsAttr().getAsRange<gpu::ObjectAttr>()) {
    if (object.getFormat() == gpu::CompilationTarget::Assembly)
      ptx = object;
    else if (object.getFormat() == gpu::CompilationTarget::Binary)
      cubin = object;
  }
  auto target =
      cubin ? dyn_cast<NVVM::NVVMTargetAttr>(cubin->getTarget()) : nullptr;
  if (!ptx || !target)
    return binary.emitError("needs the PTX and the cubin of an NVVM target "
                            "(assemble-cuda-binaries)");
  files.ptx = kKernelsPtxFileName.str();
  files.cubin = ("kernels." + target.getChip() + ".cubin").str();
  if (failed(writeFile(module, dir, files.ptx, ptx->getObject().getValue())) ||
      failed(writeFile(module, dir, files.cubin,
                       cubin->getObject().getValue())))
    return failure();
  return files;
}
