//===- Passes.h - Test passes of the analyses -------------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Passes that report analysis results for lit tests (exaforge-opt only).
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_PASSES_ANALYSIS_PASSES_H
#define EXAFORGE_PASSES_ANALYSIS_PASSES_H

namespace exaforge {

/// Registers `-test-op-cost`: a remark with estimateOpCost's result on
/// every op.
void registerTestOpCostPass();

} // namespace exaforge

#endif // EXAFORGE_PASSES_ANALYSIS_PASSES_H
