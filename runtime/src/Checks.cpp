//===- Checks.cpp - Run-time checks of compiled models --------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements checks.h: the first failed check of a thread, kept until the
// runtime takes it after the run.
//
//===----------------------------------------------------------------------===//

#include "exaforge/abi/checks.h"

namespace {
/// The message of the first failed check on this thread since the last
/// xf_checks_take_failure (a constant string of the compiled code).
thread_local const char *pendingFailure = nullptr;
} // namespace

extern "C" void xf_check_failed(const char *message) {
  if (!pendingFailure)
    pendingFailure = message ? message : "a run-time check failed";
}

extern "C" const char *xf_checks_take_failure(void) {
  const char *failure = pendingFailure;
  pendingFailure = nullptr;
  return failure;
}
