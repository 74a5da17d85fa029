//===- ExecContext.cpp - What compiled code reaches during a run ----------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "ExecContext.h"

using namespace exaforge::runtime;

void ExecContext::recordCheckFailure(const char *message) {
  if (!checkFailure)
    checkFailure = message ? message : "a run-time check failed";
}

void ExecContext::recordDistFailure(const std::string &message) {
  if (hasDistFailure)
    return;
  distFailure = message;
  hasDistFailure = true;
}

void ExecContext::recordKernelFailure(const std::string &message) {
  if (hasKernelFailure)
    return;
  kernelFailure = message;
  hasKernelFailure = true;
}

extern "C" xf_exec_context *xf_exec_context_create(void) {
  return new xf_exec_context(/*pool=*/nullptr, /*dist=*/nullptr);
}

extern "C" void xf_exec_context_destroy(xf_exec_context *context) {
  delete context;
}
