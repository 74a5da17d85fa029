//===- TestPasses.h - Test passes of exaforge-opt ---------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Passes that report what an interface or an analysis answers, for lit tests.
// Only exaforge-opt registers them.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_TEST_LIB_PASSES_TESTPASSES_H
#define EXAFORGE_TEST_LIB_PASSES_TESTPASSES_H

namespace exaforge::test {

/// Registers `-test-sharding-rules`: a remark with each op's sharding rule
/// (ShardingRuleOpInterface) for the operand layouts its
/// `test.operand_layouts` attribute gives.
void registerTestShardingRulesPass();

} // namespace exaforge::test

#endif // EXAFORGE_TEST_LIB_PASSES_TESTPASSES_H
