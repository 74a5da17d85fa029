//===- ExecContextTest.cpp - Failures recorded in a run's context ---------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The functions compiled code calls record their failures in the execution
// context they receive (runtime/src/ExecContext.h): the first of each kind
// is kept, and the kinds do not mix. The calling thread's context is only
// what allocations find.
//
//===----------------------------------------------------------------------===//

#include "runtime/src/ExecContext.h"

#include "exaforge/abi/checks.h"
#include "exaforge/abi/collectives.h"

#include <gtest/gtest.h>

using exaforge::runtime::ExecContext;
using exaforge::runtime::getCurrentExecContext;
using exaforge::runtime::ScopedExecContext;

TEST(ExecContext, IsTheCallingThreadsOnlyInsideItsScope) {
  EXPECT_EQ(getCurrentExecContext(), nullptr);
  ExecContext outer(nullptr, nullptr), inner(nullptr, nullptr);
  {
    ScopedExecContext outerScope(outer);
    EXPECT_EQ(getCurrentExecContext(), &outer);
    {
      ScopedExecContext innerScope(inner);
      EXPECT_EQ(getCurrentExecContext(), &inner);
    }
    EXPECT_EQ(getCurrentExecContext(), &outer);
  }
  EXPECT_EQ(getCurrentExecContext(), nullptr);
}

TEST(ExecContext, KeepsTheFirstFailureOfEachKind) {
  ExecContext context(nullptr, nullptr);
  EXPECT_EQ(context.getDistFailure(), nullptr);
  EXPECT_EQ(context.getKernelFailure(), nullptr);
  context.recordKernelFailure("kernel 1");
  context.recordKernelFailure("kernel 2");
  context.recordDistFailure("dist 1");
  context.recordDistFailure("dist 2");
  ASSERT_NE(context.getKernelFailure(), nullptr);
  EXPECT_EQ(*context.getKernelFailure(), "kernel 1");
  ASSERT_NE(context.getDistFailure(), nullptr);
  EXPECT_EQ(*context.getDistFailure(), "dist 1");
  EXPECT_EQ(context.getCheckFailure(), nullptr);
}

TEST(ExecContext, CollectivesWithoutRanksFailTheRun) {
  ExecContext context(nullptr, nullptr);
  EXPECT_EQ(xf_dist_axis_index(&context, 0), 0);
  ASSERT_NE(context.getDistFailure(), nullptr);
  EXPECT_EQ(*context.getDistFailure(),
            "axis_index: the model communicates with other ranks, but the "
            "session has no communicator");
  EXPECT_EQ(context.getCheckFailure(), nullptr);
}

TEST(ExecContext, StandaloneContextsAreSeparate) {
  xf_exec_context *first = xf_exec_context_create();
  xf_exec_context *second = xf_exec_context_create();
  ASSERT_NE(first, nullptr);
  ASSERT_NE(first, second);
  EXPECT_EQ(first->getPool(), nullptr);
  EXPECT_EQ(first->getDist(), nullptr);
  xf_check_failed(first, "first");
  EXPECT_EQ(xf_checks_take_failure(second), nullptr);
  EXPECT_STREQ(xf_checks_take_failure(first), "first");
  xf_exec_context_destroy(first);
  xf_exec_context_destroy(second);
}
