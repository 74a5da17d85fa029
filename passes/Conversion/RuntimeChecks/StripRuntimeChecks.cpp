//===- StripRuntimeChecks.cpp - Erase the run-time checks -----------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `strip-runtime-checks` (see Passes.td): every `cf.assert` is
// erased, for developers who measure what the run-time checks cost.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/Passes.h"

#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"

namespace exaforge {
#define GEN_PASS_DEF_STRIPRUNTIMECHECKS
#include "passes/Conversion/Passes.h.inc"
} // namespace exaforge

using namespace mlir;

namespace {
struct StripRuntimeChecksPass
    : exaforge::impl::StripRuntimeChecksBase<StripRuntimeChecksPass> {
  void runOnOperation() override {
    getOperation().walk([](cf::AssertOp op) { op.erase(); });
  }
};
} // namespace
