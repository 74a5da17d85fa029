//===- TestPasses.h - Passes that exist for lit tests -----------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Passes that report what an analysis or an interface answers, so that lit
// tests can check it. They live in the test library ExaforgeTestPasses, which
// only exaforge-opt links: the compiler and the runtime never contain them.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_TEST_LIB_PASSES_TESTPASSES_H
#define EXAFORGE_TEST_LIB_PASSES_TESTPASSES_H

namespace exaforge::test {

/// Registers `-test-op-cost`: a remark with estimateOpCost's result on
/// every op.
void registerTestOpCostPass();

/// Registers `-test-sharding-rules`: a remark with each op's sharding rule
/// (ShardingRuleOpInterface) for the operand layouts its
/// `test.operand_layouts` attribute gives.
void registerTestShardingRulesPass();

} // namespace exaforge::test

#endif // EXAFORGE_TEST_LIB_PASSES_TESTPASSES_H
