//===- Divisors.h - Divisors of a 64-bit count ------------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The planner tries every way of dividing ranks and batches: the divisors of
// a count. Counts come from the command line (`--batch 10^18`), so the time
// must not grow with the count: the divisors are built from the prime
// factors, found by trial division of the small ones and Pollard's rho for
// the rest (microseconds for any 64-bit count).
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_COMPILER_PLAN_DIVISORS_H
#define EXAFORGE_COMPILER_PLAN_DIVISORS_H

#include "llvm/ADT/SmallVector.h"

#include <cstdint>

namespace exaforge::plan {

/// The prime factors of `n` (>= 1), with multiplicity, in increasing order.
llvm::SmallVector<uint64_t> getPrimeFactors(uint64_t n);

/// The divisors of `n` (>= 1) in increasing order.
llvm::SmallVector<int64_t> getDivisors(int64_t n);

} // namespace exaforge::plan

#endif // EXAFORGE_COMPILER_PLAN_DIVISORS_H
