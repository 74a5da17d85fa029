//===- CrashGuard.h - Compiler crashes as one clean error -------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The last-resort guard of `exaforge import` and `exaforge compile`: a crash
// inside them (a signal such as SIGSEGV, an LLVM fatal error, a failed
// assertion) becomes one diagnostic line naming the model, instead of
// LLVM's stack dump and "PLEASE submit a bug report" banner.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_COMPILER_DRIVER_CRASHGUARD_H
#define EXAFORGE_COMPILER_DRIVER_CRASHGUARD_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"

namespace exaforge::driver {

/// Exit code of a command that crashed inside the guard (EX_SOFTWARE).
inline constexpr int ExitInternalError = 70;

/// Runs `body` (on this thread) under LLVM's crash recovery and returns its
/// exit code. When it crashes, prints
///   `<model>: error: internal compiler error while <action> the model:
///    <what> [in pass '<pass>']; please report it with the model`
/// (the pass that `exaforge::getCompilePassInProgress` names, if any) and
/// exits the process at once with `ExitInternalError`: after a crash the
/// process state cannot be trusted, so nothing else runs. Crashes on other
/// threads are not caught: callers run the compiler single-threaded.
int runWithCrashGuard(llvm::StringRef modelPath, llvm::StringRef action,
                      llvm::function_ref<int()> body);

} // namespace exaforge::driver

#endif // EXAFORGE_COMPILER_DRIVER_CRASHGUARD_H
