//===- AssembleCudaBinaries.cpp - PTX to cubin with ptxas -----------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `assemble-cuda-binaries` (see Passes.td): the PTX that LLVM's
// NVPTX back end generated for a gpu.binary is assembled with the CUDA
// toolkit's ptxas for the target's chip; the binary then holds the cubin
// (first, loaded by the host code) and the PTX.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/Passes.h"

#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

namespace exaforge {
#define GEN_PASS_DEF_ASSEMBLECUDABINARIES
#include "passes/Conversion/Passes.h.inc"
} // namespace exaforge

using namespace mlir;

namespace {

/// A temporary file, removed when it goes out of scope.
struct TemporaryFile {
  llvm::SmallString<128> path;
  ~TemporaryFile() {
    if (!path.empty())
      llvm::sys::fs::remove(path);
  }
};

/// Creates a temporary file with `suffix` in `file`; on failure reports
/// at `op`.
LogicalResult createTemporary(Operation *op, StringRef suffix,
                              TemporaryFile &file) {
  if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
          "exaforge-kernels", suffix, file.path))
    return op->emitError("cannot create a temporary file: ") << ec.message();
  return success();
}

/// Assembles `ptx` for `chip` with the ptxas executable `ptxas`; returns the
/// cubin, or reports at `op` (with ptxas's messages) and fails.
FailureOr<std::string> runPtxas(Operation *op, StringRef ptxas, StringRef chip,
                                StringRef ptx) {
  std::string program = ptxas.str();
  if (!llvm::sys::path::has_parent_path(ptxas)) {
    llvm::ErrorOr<std::string> found = llvm::sys::findProgramByName(ptxas);
    if (!found)
      return op->emitError("cannot find '")
             << ptxas
             << "' in PATH: assembling CUDA kernels needs the CUDA toolkit's "
                "ptxas";
    program = *found;
  } else if (!llvm::sys::fs::can_execute(ptxas)) {
    return op->emitError("'") << ptxas << "' is not an executable ptxas";
  }

  TemporaryFile input, output, messages;
  if (failed(createTemporary(op, "ptx", input)) ||
      failed(createTemporary(op, "cubin", output)) ||
      failed(createTemporary(op, "log", messages)))
    return failure();
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(input.path, ec);
    if (ec)
      return op->emitError("cannot write '")
             << input.path << "': " << ec.message();
    os << ptx;
  }
  std::string arch = ("-arch=" + chip).str();
  StringRef args[] = {program, arch, "-O3", input.path, "-o", output.path};
  std::optional<StringRef> redirects[] = {std::nullopt, messages.path.str(),
                                          messages.path.str()};
  std::string error;
  int status = llvm::sys::ExecuteAndWait(program, args, /*Env=*/std::nullopt,
                                         redirects, /*SecondsToWait=*/0,
                                         /*MemoryLimit=*/0, &error);
  if (status != 0) {
    std::string log;
    if (auto text = llvm::MemoryBuffer::getFile(messages.path))
      log = (*text)->getBuffer().trim().str();
    return op->emitError("ptxas failed for ")
           << chip << " (" << (error.empty() ? "exit status " + std::to_string(status) : error)
           << ")" << (log.empty() ? "" : ":\n") << log;
  }
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> cubin =
      llvm::MemoryBuffer::getFile(output.path, /*IsText=*/false);
  if (!cubin)
    return op->emitError("cannot read the cubin ptxas wrote: ")
           << cubin.getError().message();
  return (*cubin)->getBuffer().str();
}

struct AssembleCudaBinaries
    : exaforge::impl::AssembleCudaBinariesBase<AssembleCudaBinaries> {
  using Base::Base;

  void runOnOperation() override {
    for (auto binary : getOperation().getOps<gpu::BinaryOp>()) {
      SmallVector<Attribute> objects;
      for (auto object : binary.getObjectsAttr().getAsRange<gpu::ObjectAttr>()) {
        auto target = dyn_cast<NVVM::NVVMTargetAttr>(object.getTarget());
        if (!target || object.getFormat() != gpu::CompilationTarget::Assembly) {
          objects.push_back(object);
          continue;
        }
        FailureOr<std::string> cubin = runPtxas(
            binary, ptxas, target.getChip(), object.getObject().getValue());
        if (failed(cubin))
          return signalPassFailure();
        objects.push_back(gpu::ObjectAttr::get(
            target, gpu::CompilationTarget::Binary,
            StringAttr::get(&getContext(), *cubin), object.getProperties(),
            object.getKernels()));
        objects.push_back(object);
      }
      binary.setObjectsAttr(ArrayAttr::get(&getContext(), objects));
    }
  }
};

} // namespace
