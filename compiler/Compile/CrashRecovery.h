//===- CrashRecovery.h - A compiler crash as a value ------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Runs the compiler under LLVM's crash recovery, so that a crash inside it
// (a signal such as SIGSEGV, an LLVM fatal error, a failed assertion) comes
// back to the caller as a description instead of ending the process with
// LLVM's stack dump. `exaforge compile` prints it and exits
// (compiler/Driver/CrashGuard.h); the Python package raises it as
// `exaforge.InternalCompilerError` and the Python process goes on.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_COMPILER_COMPILE_CRASHRECOVERY_H
#define EXAFORGE_COMPILER_COMPILE_CRASHRECOVERY_H

#include "llvm/ADT/STLFunctionalExtras.h"

#include <optional>
#include <string>

namespace exaforge {

/// Runs `body` on this thread under LLVM's crash recovery. Returns nullopt
/// when `body` returns, and what ended it when it crashed: "segmentation
/// fault (SIGSEGV) in pass 'expand-strided-metadata'" (the pass that
/// `getCompilePassInProgress` names, if any). After a crash, what `body`
/// had allocated is leaked and its destructors have not run: objects it
/// shares with the caller must not be trusted. Crashes on other threads are
/// not caught: `body` must run the compiler single-threaded.
std::optional<std::string>
runRecoveringFromCrash(llvm::function_ref<void()> body);

} // namespace exaforge

#endif // EXAFORGE_COMPILER_COMPILE_CRASHRECOVERY_H
