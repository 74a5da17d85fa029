//===- CrashRecovery.cpp - A compiler crash as a value --------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `runRecoveringFromCrash` with llvm::CrashRecoveryContext: while
// it runs, the signals of a crash jump back to it instead of reaching the
// handlers that print LLVM's stack dump, and an LLVM fatal error's exit does
// the same. A crash on a thread outside any recovery context restores the
// handlers that were there before (the Python interpreter's, for example)
// and is raised again.
//
//===----------------------------------------------------------------------===//

#include "compiler/Compile/CrashRecovery.h"

#include "compiler/Compile/Compile.h"

#include "llvm/Support/CrashRecoveryContext.h"

#include <csignal>

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

std::optional<std::string>
exaforge::runRecoveringFromCrash(llvm::function_ref<void()> body) {
  llvm::CrashRecoveryContext::Enable();
  llvm::CrashRecoveryContext recovery;
  if (recovery.RunSafely(body))
    return std::nullopt;
  std::string description = describeCrash(recovery.RetCode);
  llvm::StringRef pass = getCompilePassInProgress();
  if (!pass.empty())
    description += " in pass '" + pass.str() + "'";
  return description;
}
