//===- RuntimeChecksTest.cpp - Tests of failed run-time checks ------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Checks that xf_check_failed (checks.h) records the first failure in the
// execution context it receives, and that a
// session fails a run whose compiled code reported a failed check: the
// artifact compiled from params.onnxtext squeezes `x` (1x3x1x2) at the
// `axes` input and splits `s` (2x5) along axis 1 into the `split` input's
// sizes.
//
//===----------------------------------------------------------------------===//

#include "exaforge/abi/checks.h"
#include "exaforge/runtime/Runtime.hpp"
#include "exaforge/runtime/api.h"
#include "runtime/src/ExecContext.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

using exaforge::rt::Session;
using exaforge::rt::Status;
using exaforge::rt::Tensor;
using exaforge::runtime::ExecContext;

TEST(RuntimeChecks, KeepsTheFirstFailureOfTheRun) {
  ExecContext context(nullptr, nullptr);
  EXPECT_EQ(context.getCheckFailure(), nullptr);
  xf_check_failed(&context, "first");
  xf_check_failed(&context, "second");
  EXPECT_STREQ(context.getCheckFailure(), "first");
  EXPECT_STREQ(xf_checks_take_failure(&context), "first");
  EXPECT_EQ(xf_checks_take_failure(&context), nullptr);
}

TEST(RuntimeChecks, RecordsInTheContextPassedWhateverTheThread) {
  ExecContext mainRun(nullptr, nullptr), otherRun(nullptr, nullptr);
  std::thread other(
      [&] { xf_check_failed(&mainRun, "from the other thread"); });
  other.join();
  EXPECT_EQ(otherRun.getCheckFailure(), nullptr);
  EXPECT_STREQ(mainRun.getCheckFailure(), "from the other thread");
}

namespace {
/// The inputs of params.onnxtext, with the given axes and split sizes.
struct ParamsInputs {
  std::vector<float> x = std::vector<float>(6, 1.0f);
  std::vector<int64_t> xShape{1, 3, 1, 2};
  std::vector<int64_t> axes;
  std::vector<int64_t> axesShape{1};
  std::vector<float> s = std::vector<float>(10, 2.0f);
  std::vector<int64_t> sShape{2, 5};
  std::vector<int64_t> split;
  std::vector<int64_t> splitShape{2};

  ParamsInputs(int64_t axis, int64_t first, int64_t second)
      : axes{axis}, split{first, second} {}

  std::vector<xf_buffer_t> buffers() {
    return {
        {x.data(), x.size() * 4, XF_DTYPE_FLOAT32, 4, xShape.data()},
        {axes.data(), 8, XF_DTYPE_INT64, 1, axesShape.data()},
        {s.data(), s.size() * 4, XF_DTYPE_FLOAT32, 2, sShape.data()},
        {split.data(), 16, XF_DTYPE_INT64, 1, splitShape.data()},
    };
  }
};
} // namespace

TEST(RuntimeChecks, FailsTheRunOfAFailedCheck) {
  Session session;
  Status opened = session.open(EXAFORGE_TEST_CHECKS_ARTIFACT, 1);
  ASSERT_TRUE(opened.ok()) << opened.message();

  // Axis 1 has size 3; [2, 2] does not cover the 5 columns. The first
  // check in the model's order is reported.
  ParamsInputs bad(/*axis=*/1, 2, 2);
  std::vector<Tensor> outputs;
  Status status = session.run(bad.buffers(), outputs);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), XF_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(status.message(), "node 'Squeeze_0': Squeeze: a dimension listed "
                              "in 'axes' does not have size 1");
  EXPECT_TRUE(outputs.empty());

  ParamsInputs badSplit(/*axis=*/-2, 2, 2);
  status = session.run(badSplit.buffers(), outputs);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.message(), "node 'Split_1': Split: the 'split' entries do "
                              "not add up to the size of axis 1");

  // The same session runs valid values afterwards.
  ParamsInputs good(/*axis=*/-2, 1, 4);
  status = session.run(good.buffers(), outputs);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(outputs.size(), 3u);
  EXPECT_EQ(outputs[0].shape(), (std::vector<int64_t>{1, 3, 2}));
  EXPECT_EQ(outputs[1].shape(), (std::vector<int64_t>{2, 1}));
  EXPECT_EQ(outputs[2].shape(), (std::vector<int64_t>{2, 4}));
  EXPECT_EQ(outputs[2].dataAs<float>()[7], 2.0f);
}
