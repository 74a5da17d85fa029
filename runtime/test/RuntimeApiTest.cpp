//===- RuntimeApiTest.cpp - Tests of the runtime C API --------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Runs the artifact compiled from affine.onnxtext (y = relu(x w),
// z = softmax(x w) with a 9x8 weight) through the C API and its C++ wrapper,
// compares with a reference computed here, and checks the error paths:
// bad artifact path, corrupt manifest, unknown format, truncated weights,
// missing library, wrong inputs and outputs; and that a session loads the
// weight shards of its rank.
//
//===----------------------------------------------------------------------===//

#include "exaforge/runtime/Runtime.hpp"
#include "exaforge/runtime/api.h"
#include "exaforge/runtime/communicator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using exaforge::rt::Session;
using exaforge::rt::Status;
using exaforge::rt::Tensor;

namespace {
constexpr int64_t kIn = 9, kOut = 8;
/// Tolerance of float32 results against the double-precision reference.
constexpr double kTolerance = 1e-5;

/// The weight of affine.onnxtext.
float weight(int64_t i, int64_t j) {
  return static_cast<float>(((i * kOut + j) % 7) * 0.25 - 0.75);
}

/// A batch of inputs with distinct values.
std::vector<float> makeInput(int64_t batch, float seed) {
  std::vector<float> x(batch * kIn);
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = std::sin(seed + 0.37f * static_cast<float>(i));
  return x;
}

/// relu(x w) and softmax(x w) in double precision.
void reference(const std::vector<float> &x, int64_t batch,
               std::vector<double> &y, std::vector<double> &z) {
  y.assign(batch * kOut, 0);
  z.assign(batch * kOut, 0);
  for (int64_t b = 0; b < batch; ++b) {
    std::vector<double> p(kOut, 0);
    for (int64_t j = 0; j < kOut; ++j)
      for (int64_t i = 0; i < kIn; ++i)
        p[j] += double(x[b * kIn + i]) * weight(i, j);
    double top = *std::max_element(p.begin(), p.end()), sum = 0;
    for (int64_t j = 0; j < kOut; ++j)
      sum += std::exp(p[j] - top);
    for (int64_t j = 0; j < kOut; ++j) {
      y[b * kOut + j] = std::max(p[j], 0.0);
      z[b * kOut + j] = std::exp(p[j] - top) / sum;
    }
  }
}

/// Describes `x` as the model's input.
xf_buffer_t asBuffer(std::vector<float> &x, std::vector<int64_t> &shape) {
  return xf_buffer_t{x.data(), x.size() * sizeof(float), XF_DTYPE_FLOAT32,
                     static_cast<int64_t>(shape.size()), shape.data()};
}

/// Checks the two outputs of a run on `x`.
void expectMatchesReference(const std::vector<float> &x, int64_t batch,
                            const std::vector<Tensor> &outputs) {
  std::vector<double> y, z;
  reference(x, batch, y, z);
  ASSERT_EQ(outputs.size(), 2u);
  for (int k = 0; k < 2; ++k) {
    const std::vector<double> &expected = k == 0 ? y : z;
    ASSERT_EQ(outputs[k].dtype(), XF_DTYPE_FLOAT32);
    ASSERT_EQ(outputs[k].shape(), (std::vector<int64_t>{batch, kOut}));
    const float *got = outputs[k].dataAs<float>();
    for (size_t i = 0; i < expected.size(); ++i)
      ASSERT_NEAR(got[i], expected[i], kTolerance) << "output " << k << " @" << i;
  }
}

/// A copy of the test artifact that a test may damage.
fs::path copyArtifact(const std::string &name) {
  fs::path copy = fs::temp_directory_path() /
                  ("exaforge-runtime-test-" + name + "-" +
                   std::to_string(::getpid()));
  fs::remove_all(copy);
  fs::copy(EXAFORGE_TEST_ARTIFACT, copy, fs::copy_options::recursive);
  return copy;
}

/// Opens `path` and expects failure with `code` and a message containing
/// `part`.
void expectOpenFails(const std::string &path, xf_status_code_t code,
                     const std::string &part) {
  xf_session_t *session = nullptr;
  xf_status_t *status = xf_session_open(path.c_str(), nullptr, &session);
  ASSERT_NE(status, nullptr) << "opening " << path << " succeeded";
  EXPECT_EQ(xf_status_code(status), code);
  EXPECT_NE(std::string(xf_status_message(status)).find(part),
            std::string::npos)
      << xf_status_message(status);
  EXPECT_EQ(session, nullptr);
  xf_status_free(status);
}

class RuntimeApiTest : public ::testing::Test {
protected:
  void SetUp() override {
    Status status = session.open(EXAFORGE_TEST_ARTIFACT, /*numThreads=*/2);
    ASSERT_TRUE(status.ok()) << status.message();
  }
  Session session;
};
} // namespace

TEST_F(RuntimeApiTest, DescribesInputsAndOutputs) {
  std::vector<xf_tensor_info_t> inputs = session.inputs();
  ASSERT_EQ(inputs.size(), 1u);
  EXPECT_STREQ(inputs[0].name, "x");
  EXPECT_EQ(inputs[0].dtype, XF_DTYPE_FLOAT32);
  ASSERT_EQ(inputs[0].rank, 2);
  EXPECT_EQ(inputs[0].shape[0], -1);
  EXPECT_EQ(inputs[0].shape[1], kIn);
  EXPECT_STREQ(inputs[0].dim_names[0], "N");
  std::vector<xf_tensor_info_t> outputs = session.outputs();
  ASSERT_EQ(outputs.size(), 2u);
  EXPECT_STREQ(outputs[0].name, "y");
  EXPECT_STREQ(outputs[1].name, "z");
  xf_tensor_info_t info;
  xf_status_t *status = xf_session_output_info(session.get(), 2, &info);
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(xf_status_code(status), XF_STATUS_INVALID_ARGUMENT);
  xf_status_free(status);
}

TEST_F(RuntimeApiTest, RunsRepeatedlyWithDifferentBatchSizes) {
  for (int64_t batch : {1, 5, 3, 5}) {
    std::vector<float> x = makeInput(batch, static_cast<float>(batch));
    std::vector<int64_t> shape{batch, kIn};
    std::vector<Tensor> outputs;
    Status status = session.run({asBuffer(x, shape)}, outputs);
    ASSERT_TRUE(status.ok()) << status.message();
    expectMatchesReference(x, batch, outputs);
  }
  xf_memory_stats_t stats = session.memoryStats();
  EXPECT_GE(stats.last_run_allocated_bytes, 2u * 5 * kOut * sizeof(float));
  EXPECT_LE(stats.last_run_peak_live_bytes, stats.last_run_allocated_bytes);
}

TEST_F(RuntimeApiTest, RunsIntoCallerBuffers) {
  int64_t batch = 4;
  std::vector<float> x = makeInput(batch, 0.5f);
  std::vector<int64_t> inShape{batch, kIn}, outShape{batch, kOut};
  std::vector<float> y(batch * kOut), z(batch * kOut);
  xf_buffer_t input = asBuffer(x, inShape);
  xf_buffer_t outputs[2] = {asBuffer(y, outShape), asBuffer(z, outShape)};
  xf_status_t *status =
      xf_session_run_into(session.get(), &input, 1, outputs, 2);
  ASSERT_EQ(status, nullptr) << xf_status_message(status);
  std::vector<double> yRef, zRef;
  reference(x, batch, yRef, zRef);
  for (size_t i = 0; i < y.size(); ++i) {
    EXPECT_NEAR(y[i], yRef[i], kTolerance);
    EXPECT_NEAR(z[i], zRef[i], kTolerance);
  }

  // A caller buffer of the wrong shape is refused, naming the output.
  std::vector<int64_t> wrongShape{batch, kOut - 1};
  std::vector<float> small(batch * (kOut - 1));
  outputs[1] = asBuffer(small, wrongShape);
  status = xf_session_run_into(session.get(), &input, 1, outputs, 2);
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(xf_status_code(status), XF_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(std::string(xf_status_message(status)).find("output 'z'"),
            std::string::npos)
      << xf_status_message(status);
  xf_status_free(status);
}

TEST_F(RuntimeApiTest, OneSessionRunsInParallelThreads) {
  std::vector<std::thread> threads;
  std::vector<std::string> failures(4);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int run = 0; run < 25; ++run) {
        int64_t batch = 1 + (t + run) % 6;
        std::vector<float> x = makeInput(batch, float(t * 100 + run));
        std::vector<int64_t> shape{batch, kIn};
        std::vector<Tensor> outputs;
        Status status = session.run({asBuffer(x, shape)}, outputs);
        std::vector<double> y, z;
        reference(x, batch, y, z);
        if (!status.ok()) {
          failures[t] = status.message();
          return;
        }
        for (size_t i = 0; i < y.size(); ++i)
          if (std::abs(outputs[1].dataAs<float>()[i] - z[i]) > kTolerance ||
              std::abs(outputs[0].dataAs<float>()[i] - y[i]) > kTolerance) {
            failures[t] = "wrong result in run " + std::to_string(run);
            return;
          }
      }
    });
  for (std::thread &thread : threads)
    thread.join();
  for (const std::string &failure : failures)
    EXPECT_EQ(failure, "");
}

TEST(RuntimeApi, TwoSessionsRunInParallel) {
  Session first, second;
  ASSERT_TRUE(first.open(EXAFORGE_TEST_ARTIFACT).ok());
  ASSERT_TRUE(second.open(EXAFORGE_TEST_ARTIFACT, 1).ok());
  bool ok[2] = {false, false};
  auto work = [&](Session &session, int index) {
    for (int run = 0; run < 25; ++run) {
      std::vector<float> x = makeInput(3, float(index * 7 + run));
      std::vector<int64_t> shape{3, kIn};
      std::vector<Tensor> outputs;
      if (!session.run({asBuffer(x, shape)}, outputs).ok())
        return;
      std::vector<double> y, z;
      reference(x, 3, y, z);
      for (size_t i = 0; i < y.size(); ++i)
        if (std::abs(outputs[0].dataAs<float>()[i] - y[i]) > kTolerance)
          return;
    }
    ok[index] = true;
  };
  std::thread a(work, std::ref(first), 0), b(work, std::ref(second), 1);
  a.join();
  b.join();
  EXPECT_TRUE(ok[0]);
  EXPECT_TRUE(ok[1]);
}

TEST_F(RuntimeApiTest, TensorsOutliveTheirSession) {
  std::vector<float> x = makeInput(2, 1.0f);
  std::vector<int64_t> shape{2, kIn};
  std::vector<Tensor> outputs;
  ASSERT_TRUE(session.run({asBuffer(x, shape)}, outputs).ok());
  session = Session();
  expectMatchesReference(x, 2, outputs);
}

TEST_F(RuntimeApiTest, RejectsWrongInputs) {
  auto expectRunFails = [&](std::vector<xf_buffer_t> inputs,
                            const std::string &part) {
    std::vector<Tensor> outputs;
    Status status = session.run(inputs, outputs);
    ASSERT_FALSE(status.ok()) << "expected: " << part;
    EXPECT_EQ(status.code(), XF_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(status.message().find(part), std::string::npos)
        << status.message();
  };
  std::vector<float> x = makeInput(2, 0.0f);
  std::vector<int64_t> good{2, kIn}, wrongSize{2, kIn + 1}, wrongRank{2 * kIn};
  expectRunFails({}, "takes 1 inputs, 0 given");
  xf_buffer_t wrongType = asBuffer(x, good);
  wrongType.dtype = XF_DTYPE_INT32;
  expectRunFails({wrongType}, "input 'x' must be float32, got int32");
  expectRunFails({asBuffer(x, wrongSize)},
                 "input 'x' must have shape [N, 9], got [2, 10]");
  expectRunFails({asBuffer(x, wrongRank)}, "got rank 1");
  xf_buffer_t shortBuffer = asBuffer(x, good);
  shortBuffer.nbytes -= 4;
  expectRunFails({shortBuffer}, "needs 72 bytes, the buffer has 68");
  // A batch whose byte count wraps around 64 bits (2^62 x 9 floats) is
  // refused before the byte count is compared or anything is allocated.
  std::vector<int64_t> huge{int64_t(1) << 62, kIn};
  expectRunFails({asBuffer(x, huge)},
                 "has more bytes than a 64-bit size can count");
}

TEST(RuntimeApi, RejectsBadArtifacts) {
  expectOpenFails("/nonexistent/model.xf", XF_STATUS_INVALID_ARTIFACT,
                  "/nonexistent/model.xf: no such artifact directory");

  fs::path corrupt = copyArtifact("corrupt");
  std::ofstream(corrupt / "manifest.json") << "{\"format_version\": 1,";
  expectOpenFails(corrupt.string(), XF_STATUS_INVALID_ARTIFACT,
                  "manifest.json: invalid JSON");

  fs::path future = copyArtifact("future");
  std::ofstream(future / "manifest.json")
      << "{\"format_version\": 99, \"library\": \"model.so\"}";
  expectOpenFails(future.string(), XF_STATUS_INVALID_ARTIFACT,
                  "format version 99 is not supported");

  // Format 4 allocated through MLIR's functions, not with the context.
  fs::path old = copyArtifact("old");
  std::ofstream(old / "manifest.json")
      << "{\"format_version\": 4, \"library\": \"model.so\"}";
  expectOpenFails(old.string(), XF_STATUS_INVALID_ARTIFACT,
                  "format version 4 is not supported");

  fs::path truncated = copyArtifact("truncated");
  fs::resize_file(truncated / "weights.bin", 16);
  expectOpenFails(truncated.string(), XF_STATUS_INVALID_ARTIFACT,
                  "lies beyond the end of the file");

  fs::path noLibrary = copyArtifact("nolib");
  fs::remove(noLibrary / "model.so");
  expectOpenFails(noLibrary.string(), XF_STATUS_INVALID_ARTIFACT,
                  "model.so: no such file");

  fs::path garbageLibrary = copyArtifact("badlib");
  std::ofstream(garbageLibrary / "model.so") << "not an ELF file";
  expectOpenFails(garbageLibrary.string(), XF_STATUS_INVALID_ARTIFACT,
                  "model.so: cannot load");

  for (const fs::path &dir :
       {corrupt, future, truncated, noLibrary, garbageLibrary})
    fs::remove_all(dir);

  xf_session_options_t options{};
  options.num_threads = -1;
  xf_session_t *session = nullptr;
  xf_status_t *status =
      xf_session_open(EXAFORGE_TEST_ARTIFACT, &options, &session);
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(xf_status_code(status), XF_STATUS_INVALID_ARGUMENT);
  xf_status_free(status);
  status = xf_session_open(nullptr, nullptr, &session);
  ASSERT_NE(status, nullptr);
  xf_status_free(status);
}

namespace {
/// Reads the whole file `path`.
std::string readFile(const fs::path &path) {
  std::ifstream file(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(file), {});
}

/// Replaces the first `from` in `text` by `to`; fails the test when absent.
void replaceOnce(std::string &text, const std::string &from,
                 const std::string &to) {
  size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << "no '" << from << "' in the manifest";
  text.replace(at, from.size(), to);
}

/// A communicator of `size` ranks for models without collectives: its
/// functions fail if called.
xf_communicator_t makeUnusedCommunicator(int32_t rank, int32_t size) {
  xf_communicator_t communicator{};
  communicator.rank = rank;
  communicator.size = size;
  communicator.create_group = [](void *, const int32_t *, int32_t,
                                 void **) { return -1; };
  communicator.free_group = [](void *, void *) {};
  communicator.all_reduce = [](void *, void *, void *, size_t, xf_dtype_t,
                               xf_reduction_t) { return -1; };
  communicator.all_gather = [](void *, void *, const void *, size_t,
                               void *) { return -1; };
  communicator.reduce_scatter = [](void *, void *, const void *, void *,
                                   size_t, xf_dtype_t,
                                   xf_reduction_t) { return -1; };
  communicator.all_to_all = [](void *, void *, const void *, size_t,
                               void *) { return -1; };
  communicator.broadcast = [](void *, void *, void *, size_t, int32_t) {
    return -1;
  };
  communicator.send = [](void *, const void *, size_t, int32_t) {
    return -1;
  };
  communicator.recv = [](void *, void *, size_t, int32_t) { return -1; };
  communicator.error_message = [](void *) { return "not used by this test"; };
  return communicator;
}

/// Opens `path` as rank `rank` of 2 and runs it on a batch of 2.
std::vector<Tensor> runAsRank(const std::string &path, int32_t rank,
                              std::vector<float> &x) {
  xf_communicator_t communicator = makeUnusedCommunicator(rank, 2);
  xf_session_options_t options{1, rank, &communicator};
  xf_session_t *session = nullptr;
  xf_status_t *status = xf_session_open(path.c_str(), &options, &session);
  EXPECT_EQ(status, nullptr) << xf_status_message(status);
  if (status) {
    xf_status_free(status);
    return {};
  }
  std::vector<int64_t> shape{2, kIn};
  xf_buffer_t input = asBuffer(x, shape);
  xf_tensor_t *raw[2] = {nullptr, nullptr};
  status = xf_session_run(session, &input, 1, raw, 2);
  EXPECT_EQ(status, nullptr) << xf_status_message(status);
  xf_status_free(status);
  std::vector<Tensor> outputs;
  for (xf_tensor_t *tensor : raw)
    outputs.emplace_back(tensor);
  xf_session_close(session);
  return outputs;
}
} // namespace

TEST(RuntimeApi, LoadsTheWeightShardsOfItsRank) {
  // A 2-rank artifact whose weight is stored per rank: rank 0's file holds
  // zeros, rank 1's the real weight.
  fs::path ranked = copyArtifact("ranks");
  std::string weights = readFile(ranked / "weights.bin");
  std::ofstream(ranked / "weights.rank0.bin", std::ios::binary)
      << std::string(weights.size(), '\0');
  std::ofstream(ranked / "weights.rank1.bin", std::ios::binary) << weights;
  std::ofstream(ranked / "weights.bin", std::ios::binary) << "";
  std::string manifest = readFile(ranked / "manifest.json");
  replaceOnce(manifest, "\"world_size\": 1",
              "\"mesh\": {\"axes\": [\"tp\"], \"shape\": [2]}, "
              "\"world_size\": 2");
  replaceOnce(manifest, "\"name\": \"w\",",
              "\"name\": \"w\", \"per_rank\": true,");
  replaceOnce(manifest, "\"ranks\":",
              "\"rank_weights_files\": [\"weights.rank0.bin\", "
              "\"weights.rank1.bin\"], \"ranks\":");
  std::ofstream(ranked / "manifest.json") << manifest;

  std::vector<float> x = makeInput(2, 0.5f);
  std::vector<Tensor> outputs = runAsRank(ranked.string(), 1, x);
  ASSERT_EQ(outputs.size(), 2u);
  expectMatchesReference(x, 2, outputs);

  outputs = runAsRank(ranked.string(), 0, x);
  ASSERT_EQ(outputs.size(), 2u);
  for (int64_t i = 0; i < 2 * kOut; ++i)
    ASSERT_EQ(outputs[0].dataAs<float>()[i], 0.0f) << "y @" << i;

  xf_session_options_t options{1, 2, nullptr};
  xf_session_t *session = nullptr;
  xf_status_t *status =
      xf_session_open(ranked.string().c_str(), &options, &session);
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(xf_status_code(status), XF_STATUS_INVALID_ARTIFACT);
  EXPECT_NE(std::string(xf_status_message(status))
                .find("rank 2 is out of range: the artifact was compiled "
                      "for 2 rank(s)"),
            std::string::npos)
      << xf_status_message(status);
  xf_status_free(status);

  options.rank = -1;
  status = xf_session_open(ranked.string().c_str(), &options, &session);
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(xf_status_code(status), XF_STATUS_INVALID_ARGUMENT);
  xf_status_free(status);

  // A per-rank weight beyond the end of its rank's file is refused.
  fs::resize_file(ranked / "weights.rank1.bin", 16);
  options.rank = 1;
  status = xf_session_open(ranked.string().c_str(), &options, &session);
  ASSERT_NE(status, nullptr);
  EXPECT_NE(std::string(xf_status_message(status))
                .find("weights.rank1.bin: weight 'w' lies beyond the end"),
            std::string::npos)
      << xf_status_message(status);
  xf_status_free(status);
  fs::remove_all(ranked);
}

TEST(RuntimeApi, ReadsWhichRanksProduceAnOutput) {
  // A 2-stage pipeline artifact: output y comes from the ranks at "pp" = 1.
  fs::path staged = copyArtifact("stages");
  std::string manifest = readFile(staged / "manifest.json");
  replaceOnce(manifest, "\"world_size\": 1",
              "\"mesh\": {\"axes\": [\"pp\"], \"shape\": [2]}, "
              "\"world_size\": 2");
  std::string produced = manifest;
  replaceOnce(produced, "\"name\": \"y\",",
              "\"name\": \"y\", \"produced_on\": {\"pp\": 1},");
  std::ofstream(staged / "manifest.json") << produced;

  xf_communicator_t communicator = makeUnusedCommunicator(0, 2);
  xf_session_options_t options{1, 0, &communicator};
  xf_session_t *session = nullptr;
  xf_status_t *status =
      xf_session_open(staged.string().c_str(), &options, &session);
  ASSERT_EQ(status, nullptr) << xf_status_message(status);
  xf_tensor_info_t info{};
  ASSERT_EQ(xf_session_output_info(session, 0, &info), nullptr);
  ASSERT_NE(info.produced_on, nullptr);
  EXPECT_EQ(info.produced_on[0], 1);
  ASSERT_EQ(xf_session_output_info(session, 1, &info), nullptr);
  EXPECT_EQ(info.produced_on, nullptr) << "z is held by every rank";
  xf_session_close(session);

  // A coordinate outside the axis, or an axis the mesh lacks, is refused.
  for (const char *bad : {"{\"pp\": 2}", "{\"tp\": 0}", "{\"pp\": \"last\"}"}) {
    std::string invalid = manifest;
    replaceOnce(invalid, "\"name\": \"y\",",
                std::string("\"name\": \"y\", \"produced_on\": ") + bad + ",");
    std::ofstream(staged / "manifest.json") << invalid;
    status = xf_session_open(staged.string().c_str(), &options, &session);
    ASSERT_NE(status, nullptr) << bad;
    EXPECT_EQ(xf_status_code(status), XF_STATUS_INVALID_ARTIFACT) << bad;
    EXPECT_NE(std::string(xf_status_message(status))
                  .find("'produced_on' of 'y' needs a coordinate of each "
                        "listed mesh axis"),
              std::string::npos)
        << xf_status_message(status);
    xf_status_free(status);
  }
  fs::remove_all(staged);
}
