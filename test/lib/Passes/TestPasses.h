//===- TestPasses.h - Passes that exist for lit tests -----------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Passes that report analysis results so that lit tests can check them.
// They live in the test library ExaforgeTestPasses, which only exaforge-opt
// links: the compiler and the runtime never contain them.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_TEST_LIB_PASSES_TESTPASSES_H
#define EXAFORGE_TEST_LIB_PASSES_TESTPASSES_H

namespace exaforge {

/// Registers `-test-op-cost`: a remark with estimateOpCost's result on
/// every op.
void registerTestOpCostPass();

} // namespace exaforge

#endif // EXAFORGE_TEST_LIB_PASSES_TESTPASSES_H
