//===- TestShardingRules.cpp - Reports the ops' sharding rules ------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// `exaforge-opt -test-sharding-rules` asks every graph op of every function
// for its sharding rule and reports the answer as a remark, so lit tests can
// check the rules one op at a time (test/Dialect/Graph/sharding-rules.mlir).
//
// The layouts of an op's operands are given by its `test.operand_layouts`
// attribute, one string per operand: "replicated", "partial" or "split(D)"
// (all replicated when absent). `test.not_column_parallel` forbids a linear
// layer to be column-parallel.
//
//===----------------------------------------------------------------------===//

#include "test/lib/Passes/TestPasses.h"

#include "dialects/Graph/GraphOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

using namespace mlir;
using namespace exaforge::graph;

namespace {

/// Parses "replicated", "partial" or "split(D)".
std::optional<TensorParallelLayout> parseLayout(StringRef text) {
  if (text == "replicated")
    return TensorParallelLayout::replicated();
  if (text == "partial")
    return TensorParallelLayout::partial();
  int64_t dim;
  if (text.consume_front("split(") && text.consume_back(")") &&
      !text.getAsInteger(10, dim))
    return TensorParallelLayout::split(dim);
  return std::nullopt;
}

/// The operand layouts the test attributes give.
struct AnnotatedContext final : ShardingContext {
  DenseMap<Value, TensorParallelLayout> layouts;
  int64_t ranks = 2;

  TensorParallelLayout getLayout(Value value) const override {
    return layouts.lookup(value);
  }
  int64_t getNumRanks() const override { return ranks; }
  bool mayBeColumnParallel(Operation *op) const override {
    return !op->hasAttr("test.not_column_parallel");
  }
};

/// Prints `layouts` as `[a, b]`.
void printLayouts(llvm::raw_ostream &os,
                  ArrayRef<TensorParallelLayout> layouts) {
  os << "[";
  llvm::interleaveComma(layouts, os,
                        [&](const TensorParallelLayout &layout) {
                          layout.print(os);
                        });
  os << "]";
}

/// Reports the sharding rule of every graph op.
struct TestShardingRulesPass
    : PassWrapper<TestShardingRulesPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(TestShardingRulesPass)

  TestShardingRulesPass() = default;
  TestShardingRulesPass(const TestShardingRulesPass &other)
      : PassWrapper(other) {}

  StringRef getArgument() const final { return "test-sharding-rules"; }
  StringRef getDescription() const final {
    return "Report the sharding rule of each graph op as remarks";
  }

  void runOnOperation() override {
    AnnotatedContext context;
    context.ranks = ranks;
    WalkResult result = getOperation().walk([&](Operation *op) {
      if (!isa<GraphDialect>(op->getDialect()) || isa<ConstantOp>(op))
        return WalkResult::advance();
      if (failed(readOperandLayouts(op, context)))
        return WalkResult::interrupt();
      auto rule = dyn_cast<ShardingRuleOpInterface>(op);
      if (!rule) {
        op->emitRemark("no sharding rule");
        return WalkResult::advance();
      }
      std::optional<ShardingDecision> decision = rule.decideSharding(context);
      if (!decision) {
        op->emitRemark("cannot consume these operand layouts");
        return WalkResult::advance();
      }
      InFlightDiagnostic remark = op->emitRemark();
      std::string text;
      llvm::raw_string_ostream os(text);
      printLayouts(os, decision->operands);
      os << " -> ";
      printLayouts(os, decision->results);
      if (decision->columnParallel)
        os << ", column-parallel";
      remark << text;
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }

  /// Records the layouts of `op`'s operands from `test.operand_layouts`.
  LogicalResult readOperandLayouts(Operation *op, AnnotatedContext &context) {
    auto attr = op->getAttrOfType<ArrayAttr>("test.operand_layouts");
    if (!attr)
      return success();
    if (attr.size() != op->getNumOperands())
      return op->emitError("test.operand_layouts needs one layout per operand");
    for (auto [operand, layoutAttr] : llvm::zip(op->getOperands(), attr)) {
      auto text = dyn_cast<StringAttr>(layoutAttr);
      std::optional<TensorParallelLayout> layout =
          text ? parseLayout(text.getValue()) : std::nullopt;
      if (!layout)
        return op->emitError("test.operand_layouts: expected \"replicated\", "
                             "\"partial\" or \"split(D)\", got ")
               << layoutAttr;
      context.layouts[operand] = *layout;
    }
    return success();
  }

  Option<int64_t> ranks{*this, "ranks",
                        llvm::cl::desc("Ranks along the tensor-parallel axis"),
                        llvm::cl::init(2)};
};

} // namespace

void exaforge::test::registerTestShardingRulesPass() {
  PassRegistration<TestShardingRulesPass>();
}
