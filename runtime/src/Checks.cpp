//===- Checks.cpp - Run-time checks of compiled models --------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements checks.h: a failed check is recorded in the run's execution
// context (ExecContext.h), and the session fails the run when it ends.
//
//===----------------------------------------------------------------------===//

#include "exaforge/abi/checks.h"
#include "ExecContext.h"

using namespace exaforge::runtime;

extern "C" void xf_check_failed(xf_exec_context *context, const char *message) {
  context->recordCheckFailure(message);
}

extern "C" const char *xf_checks_take_failure(xf_exec_context *context) {
  return context->takeCheckFailure();
}
