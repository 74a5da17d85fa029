//===- EarlyExit.cpp - Leaving compiled code before it returns ------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Each thread keeps a pointer to the jump buffer of its innermost exit
// point; runWithEarlyExit saves the outer one on its stack and restores it
// on both ways out. sigsetjmp is asked not to save the signal mask (second
// argument 0): compiled code does not change it, and saving it would cost a
// system call per exit point, that is per thread of every parallel loop.
//
//===----------------------------------------------------------------------===//

#include "EarlyExit.h"

#include <csetjmp>
#include <cstdio>
#include <cstdlib>

namespace exaforge::runtime {
namespace {
/// The jump buffer of the calling thread's innermost exit point, or null.
thread_local sigjmp_buf *innermostExitPoint = nullptr;
} // namespace

bool runWithEarlyExit(void (*body)(void *), void *data) {
  sigjmp_buf exitPoint;
  // Only read after the jump, never written between sigsetjmp and it: it
  // keeps its value without `volatile`.
  sigjmp_buf *const outer = innermostExitPoint;
  if (sigsetjmp(exitPoint, /*savemask=*/0) != 0) {
    innermostExitPoint = outer;
    return false;
  }
  innermostExitPoint = &exitPoint;
  body(data);
  innermostExitPoint = outer;
  return true;
}

bool canExitEarly() { return innermostExitPoint != nullptr; }

void exitEarly() {
  if (!innermostExitPoint) {
    // A runtime bug: every caller checks canExitEarly first.
    std::fputs("exaforge runtime: exitEarly without an exit point\n", stderr);
    std::abort();
  }
  siglongjmp(*innermostExitPoint, 1);
}

bool callCompiledCode(void (*entry)(void **arguments), void **arguments) {
  struct Call {
    void (*entry)(void **);
    void **arguments;
  } call{entry, arguments};
  return runWithEarlyExit(
      [](void *data) {
        auto *call = static_cast<Call *>(data);
        call->entry(call->arguments);
      },
      &call);
}

} // namespace exaforge::runtime
