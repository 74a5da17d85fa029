//===- NativeCodegen.h - LLVM dialect to a shared library -------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Turns a module in the LLVM dialect into native code for the host CPU,
// in-process on LLVM's libraries: translation to LLVM IR, LLVM's -O
// pipeline, object emission. Only linking the object into a shared library
// runs an external tool (lld, or the system compiler driver).
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_COMPILER_COMPILE_NATIVECODEGEN_H
#define EXAFORGE_COMPILER_COMPILE_NATIVECODEGEN_H

#include "mlir/Support/LLVM.h"

#include <memory>

namespace llvm {
class LLVMContext;
class Module;
class TargetMachine;
} // namespace llvm

namespace mlir {
class ModuleOp;
} // namespace mlir

namespace exaforge {

/// The host CPU as an LLVM target: triple, CPU name and features (AVX-512
/// where the host has it).
class HostTarget {
public:
  /// Creates the target machine of the host at `optLevel` (0 to 3). With
  /// `portable`, the code runs on any CPU of the host's architecture
  /// (x86-64-v2 on x86-64) instead of this machine's CPU: for the host
  /// code of a CUDA artifact, cross-compiled for GPU nodes whose CPU is not
  /// known here.
  static mlir::FailureOr<HostTarget> create(unsigned optLevel,
                                            bool portable = false);

  /// Translates `module` (LLVM dialect) to LLVM IR for this target.
  mlir::FailureOr<std::unique_ptr<llvm::Module>>
  translate(mlir::ModuleOp module, llvm::LLVMContext &context);

  /// Runs LLVM's default pipeline at the target's optimization level.
  void optimize(llvm::Module &module);

  /// Writes `module` as an object file to `path`.
  mlir::LogicalResult emitObjectFile(llvm::Module &module,
                                     llvm::StringRef path);

  /// The LLVM target machine.
  llvm::TargetMachine &getTargetMachine() { return *machine; }

private:
  HostTarget(std::shared_ptr<llvm::TargetMachine> machine, unsigned optLevel)
      : machine(std::move(machine)), optLevel(optLevel) {}

  std::shared_ptr<llvm::TargetMachine> machine;
  unsigned optLevel;
};

/// Adds `void packedName(void **args)` to `module`, which calls the C
/// interface function `cInterface` (whose arguments are all pointers) with
/// `args[0]`, `args[1]`, ... (the results, the execution context, the
/// arguments): the runtime calls a model of any signature through it
/// (docs/design/compiled-artifact.md).
mlir::LogicalResult addPackedEntryPoint(llvm::Module &module,
                                        llvm::StringRef cInterface,
                                        llvm::StringRef packedName);

/// Links the object file `objectPath` into the shared library `libraryPath`
/// with ld.lld (or `cc -shared` when lld is absent). Symbols bind within the
/// library first (-Bsymbolic), so a model's functions never resolve to
/// same-named symbols of the host process.
mlir::LogicalResult linkSharedLibrary(llvm::StringRef objectPath,
                                      llvm::StringRef libraryPath);

} // namespace exaforge

#endif // EXAFORGE_COMPILER_COMPILE_NATIVECODEGEN_H
