//===- DivisorsTest.cpp - Divisors of a 64-bit count ----------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "compiler/Plan/Divisors.h"

#include <gtest/gtest.h>

#include <chrono>

using namespace exaforge::plan;

namespace {

/// Divisors by trial division, the reference for small counts.
llvm::SmallVector<int64_t> naiveDivisors(int64_t n) {
  llvm::SmallVector<int64_t> divisors;
  for (int64_t d = 1; d <= n; ++d)
    if (n % d == 0)
      divisors.push_back(d);
  return divisors;
}

TEST(Divisors, MatchTrialDivisionUpTo5000) {
  for (int64_t n = 1; n <= 5000; ++n)
    EXPECT_EQ(getDivisors(n), naiveDivisors(n)) << "n = " << n;
}

TEST(Divisors, LargeCountsAreFactoredQuickly) {
  auto start = std::chrono::steady_clock::now();
  // 10^18 = 2^18 x 5^18: 19 x 19 divisors.
  EXPECT_EQ(getDivisors(1000000000000000000).size(), 361u);
  // The largest prime below 2^63 has two divisors.
  EXPECT_EQ(getDivisors(9223372036854775783),
            (llvm::SmallVector<int64_t>{1, 9223372036854775783}));
  // A product of two primes near 2^31 (no small factor).
  EXPECT_EQ(getPrimeFactors(uint64_t(2147483647) * 2147483629),
            (llvm::SmallVector<uint64_t>{2147483629, 2147483647}));
  // A square of a prime above 2^31.
  EXPECT_EQ(getPrimeFactors(uint64_t(3037000493) * 3037000493),
            (llvm::SmallVector<uint64_t>{3037000493, 3037000493}));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

} // namespace
