//===- ExecContext.cpp - What compiled code reaches during a run ----------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "ExecContext.h"
#include "Status.h"

#include <cstdio>

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

void ExecContext::recordOutOfMemory(uint64_t bytes, uint64_t heldBytes,
                                    const char *node) {
  std::lock_guard<std::mutex> lock(outOfMemoryMutex);
  if (hasOutOfMemory)
    return;
  char sizes[128];
  std::snprintf(sizes, sizeof(sizes),
                " bytes (%.1f GiB) while holding %.1f MiB",
                static_cast<double>(bytes) / (1ull << 30),
                static_cast<double>(heldBytes) / (1ull << 20));
  outOfMemory = exaforge::runtime::formatNodePrefix(node);
  outOfMemory += "out of memory: the compiled model could not allocate a "
                 "buffer of " +
                 std::to_string(bytes) + sizes +
                 " in others; the run was stopped there";
  hasOutOfMemory = true;
}

extern "C" xf_exec_context *xf_exec_context_create(void) {
  return new xf_exec_context(/*pool=*/nullptr, /*dist=*/nullptr);
}

extern "C" void xf_exec_context_destroy(xf_exec_context *context) {
  delete context;
}
