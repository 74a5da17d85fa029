//===- CrashGuard.cpp - Compiler crashes as one clean error ---------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `runWithCrashGuard` with llvm::CrashRecoveryContext: while it
// runs, the signals of a crash jump back to it instead of reaching the
// handlers that print LLVM's stack dump, and an LLVM fatal error's exit
// does the same.
//
//===----------------------------------------------------------------------===//

#include "compiler/Driver/CrashGuard.h"

#include "compiler/Compile/Compile.h"

#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <csignal>
#include <string>

using namespace exaforge;

namespace {
/// What a CrashRecoveryContext's return code says happened: on POSIX, a
/// signal is reported as 128 + its number, an exit (an LLVM fatal error)
/// as its exit status.
std::string describeCrash(int retCode) {
  if (retCode > 128) {
    switch (retCode - 128) {
    case SIGSEGV:
      return "segmentation fault (SIGSEGV)";
    case SIGABRT:
      return "aborted (SIGABRT), e.g. a failed assertion";
    case SIGBUS:
      return "bus error (SIGBUS)";
    case SIGFPE:
      return "arithmetic exception (SIGFPE)";
    case SIGILL:
      return "illegal instruction (SIGILL)";
    case SIGTRAP:
      return "trap (SIGTRAP)";
    default:
      return "signal " + std::to_string(retCode - 128);
    }
  }
  return "fatal error (exit status " + std::to_string(retCode) + ")";
}
} // namespace

int driver::runWithCrashGuard(llvm::StringRef modelPath, llvm::StringRef action,
                              llvm::function_ref<int()> body) {
  llvm::CrashRecoveryContext::Enable();
  llvm::CrashRecoveryContext recovery;
  int status = 0;
  if (recovery.RunSafely([&] { status = body(); }))
    return status;

  llvm::errs() << modelPath << ": error: internal compiler error while "
               << action << " the model: " << describeCrash(recovery.RetCode);
  llvm::StringRef pass = getCompilePassInProgress();
  if (!pass.empty())
    llvm::errs() << " in pass '" << pass << "'";
  llvm::errs() << "; please report it with the model\n";
  llvm::errs().flush();
  llvm::outs().flush();
  llvm::sys::Process::Exit(ExitInternalError, /*NoCleanup=*/true);
}
