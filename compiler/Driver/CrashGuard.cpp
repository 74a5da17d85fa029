//===- CrashGuard.cpp - Compiler crashes as one clean error ---------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `runWithCrashGuard` on `runRecoveringFromCrash`
// (compiler/Compile/CrashRecovery.h): the crash's description becomes one
// error line, and the process exits at once.
//
//===----------------------------------------------------------------------===//

#include "compiler/Driver/CrashGuard.h"

#include "compiler/Compile/CrashRecovery.h"

#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

using namespace exaforge;

int driver::runWithCrashGuard(llvm::StringRef modelPath, llvm::StringRef action,
                              llvm::function_ref<int()> body) {
  int status = 0;
  std::optional<std::string> crash =
      runRecoveringFromCrash([&] { status = body(); });
  if (!crash)
    return status;

  llvm::errs() << modelPath << ": error: internal compiler error while "
               << action << " the model: " << *crash
               << "; please report it with the model\n";
  llvm::errs().flush();
  llvm::outs().flush();
  llvm::sys::Process::Exit(ExitInternalError, /*NoCleanup=*/true);
}
