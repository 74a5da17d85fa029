//===- TestOpCost.cpp - Reports estimateOpCost as remarks -----------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// `exaforge-opt -test-op-cost` emits one remark per op with a cost, so lit
// tests can check the estimates (test/Passes/Analysis/op-cost.mlir).
//
//===----------------------------------------------------------------------===//

#include "test/lib/Passes/TestPasses.h"

#include "passes/Analysis/OpCost.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

using namespace mlir;

namespace {
/// Reports the cost of every op of every function, dynamic dimensions
/// counted as `dynamic-dim-size`.
struct TestOpCostPass
    : PassWrapper<TestOpCostPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(TestOpCostPass)

  TestOpCostPass() = default;
  TestOpCostPass(const TestOpCostPass &other) : PassWrapper(other) {}

  StringRef getArgument() const final { return "test-op-cost"; }
  StringRef getDescription() const final {
    return "Report the estimated FLOPs and bytes of each op as remarks";
  }

  void runOnOperation() override {
    getOperation().walk([&](Operation *op) {
      if (isa<ModuleOp, func::FuncOp, func::ReturnOp>(op))
        return;
      exaforge::OpCost cost = exaforge::estimateOpCost(op, dynamicDimSize);
      // The estimates of the ops tested are whole numbers.
      op->emitRemark() << "flops = " << static_cast<int64_t>(cost.flops)
                       << ", read = " << static_cast<int64_t>(cost.bytesRead)
                       << " B, written = "
                       << static_cast<int64_t>(cost.bytesWritten) << " B";
    });
  }

  Option<int64_t> dynamicDimSize{
      *this, "dynamic-dim-size",
      llvm::cl::desc("Size counted for each dynamic dimension"),
      llvm::cl::init(1)};
};
} // namespace

void exaforge::test::registerTestOpCostPass() {
  PassRegistration<TestOpCostPass>();
}
