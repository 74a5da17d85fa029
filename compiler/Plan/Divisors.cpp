//===- Divisors.cpp - Divisors of a 64-bit count --------------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "compiler/Plan/Divisors.h"

#include "llvm/ADT/STLExtras.h"

#include <numeric>

using namespace exaforge;

namespace {
/// (a * b) mod m without overflow.
uint64_t mulMod(uint64_t a, uint64_t b, uint64_t m) {
  return static_cast<uint64_t>(static_cast<unsigned __int128>(a) * b % m);
}

/// (base ^ exponent) mod m.
uint64_t powMod(uint64_t base, uint64_t exponent, uint64_t m) {
  uint64_t result = 1 % m;
  base %= m;
  for (; exponent; exponent >>= 1, base = mulMod(base, base, m))
    if (exponent & 1)
      result = mulMod(result, base, m);
  return result;
}

/// Whether `n` is prime: Miller-Rabin with the first twelve primes as bases,
/// which is exact for every 64-bit `n`.
bool isPrime(uint64_t n) {
  static constexpr uint64_t kBases[] = {2,  3,  5,  7,  11, 13,
                                        17, 19, 23, 29, 31, 37};
  if (n < 2)
    return false;
  for (uint64_t p : kBases)
    if (n % p == 0)
      return n == p;
  uint64_t d = n - 1;
  int shifts = 0;
  for (; d % 2 == 0; d /= 2)
    ++shifts;
  for (uint64_t a : kBases) {
    uint64_t x = powMod(a, d, n);
    if (x == 1 || x == n - 1)
      continue;
    bool composite = true;
    for (int i = 1; i < shifts && composite; ++i) {
      x = mulMod(x, x, n);
      composite = x != n - 1;
    }
    if (composite)
      return false;
  }
  return true;
}

/// A non-trivial factor of the odd composite `n` (Pollard's rho, Floyd's
/// cycle finding; retried with another constant when a walk fails).
uint64_t findFactor(uint64_t n) {
  for (uint64_t c = 1;; ++c) {
    auto step = [&](uint64_t x) { return (mulMod(x, x, n) + c) % n; };
    uint64_t slow = 2, fast = 2, factor = 1;
    while (factor == 1) {
      slow = step(slow);
      fast = step(step(fast));
      factor = std::gcd(slow > fast ? slow - fast : fast - slow, n);
    }
    if (factor != n)
      return factor;
  }
}

/// Appends the prime factors of `n` (no factor below 100) to `factors`.
void collectLargeFactors(uint64_t n, llvm::SmallVectorImpl<uint64_t> &factors) {
  if (n == 1)
    return;
  if (isPrime(n)) {
    factors.push_back(n);
    return;
  }
  uint64_t factor = findFactor(n);
  collectLargeFactors(factor, factors);
  collectLargeFactors(n / factor, factors);
}
} // namespace

llvm::SmallVector<uint64_t> plan::getPrimeFactors(uint64_t n) {
  llvm::SmallVector<uint64_t> factors;
  // Small primes by trial division; Pollard's rho for what remains.
  for (uint64_t p = 2; p < 100 && p * p <= n; ++p)
    for (; n % p == 0; n /= p)
      factors.push_back(p);
  if (n < 100 * 100) {
    if (n > 1)
      factors.push_back(n);
  } else {
    collectLargeFactors(n, factors);
  }
  llvm::sort(factors);
  return factors;
}

llvm::SmallVector<int64_t> plan::getDivisors(int64_t n) {
  llvm::SmallVector<int64_t> divisors = {1};
  if (n < 1)
    return {};
  llvm::SmallVector<uint64_t> factors = getPrimeFactors(n);
  // Multiply each run of an equal prime p (p^k) into the divisors so far.
  for (size_t i = 0; i < factors.size();) {
    uint64_t prime = factors[i];
    size_t runEnd = i;
    while (runEnd < factors.size() && factors[runEnd] == prime)
      ++runEnd;
    size_t known = divisors.size();
    int64_t power = 1;
    for (size_t k = i; k < runEnd; ++k) {
      power *= static_cast<int64_t>(prime);
      for (size_t j = 0; j < known; ++j)
        divisors.push_back(divisors[j] * power);
    }
    i = runEnd;
  }
  llvm::sort(divisors);
  return divisors;
}
