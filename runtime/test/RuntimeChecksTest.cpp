//===- RuntimeChecksTest.cpp - Tests of failed run-time checks ------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Checks xf_check_failed / xf_checks_take_failure (checks.h).
//
//===----------------------------------------------------------------------===//

#include "exaforge/runtime/checks.h"

#include <gtest/gtest.h>

#include <thread>

TEST(RuntimeChecks, KeepsTheFirstFailureUntilTaken) {
  EXPECT_EQ(xf_checks_take_failure(), nullptr);
  xf_check_failed("first");
  xf_check_failed("second");
  EXPECT_STREQ(xf_checks_take_failure(), "first");
  EXPECT_EQ(xf_checks_take_failure(), nullptr);
}

TEST(RuntimeChecks, RecordsPerThread) {
  xf_check_failed("main thread");
  std::thread other([] {
    EXPECT_EQ(xf_checks_take_failure(), nullptr);
    xf_check_failed("other thread");
    EXPECT_STREQ(xf_checks_take_failure(), "other thread");
  });
  other.join();
  EXPECT_STREQ(xf_checks_take_failure(), "main thread");
}
