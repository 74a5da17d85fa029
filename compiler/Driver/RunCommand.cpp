//===- RunCommand.cpp - `exaforge run` ------------------------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "compiler/Driver/RunCommand.h"
#include "compiler/Driver/Driver.h"

#include "runtime/io/ModelFiles.h"
#include "runtime/io/TraceFile.h"

#include "exaforge/runtime/Runtime.hpp"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <map>
#include <optional>

using namespace exaforge;
using namespace exaforge::driver;

namespace {
/// Rebuilds the sequence or optional output `value` from its packed
/// tensors among `outputs`, prints it and, with an output directory, writes
/// it there as an ONNX SequenceProto or OptionalProto (`<name>.pb`).
support::Error writeSequenceOutput(const io::ModelValue &value,
                                   const std::vector<rt::Tensor> &outputs,
                                   const std::string &outputDir) {
  std::vector<io::PackedTensorView> parts;
  for (size_t i : value.parts)
    parts.push_back(io::PackedTensorView{outputs[i].dtype(),
                                         outputs[i].shape(),
                                         outputs[i].data()});
  support::Expected<io::HostSequence> sequence =
      io::unpackSequence(*value.kind, parts);
  if (!sequence)
    return support::makeError("output '", value.name,
                              "': ", sequence.getMessage());
  llvm::outs() << "output '" << value.name << "': ";
  if (*value.kind != io::PackedKind::Sequence && !sequence->present)
    llvm::outs() << "empty optional\n";
  else
    llvm::outs() << "sequence of " << sequence->elements.size()
                 << " tensors\n";
  if (outputDir.empty())
    return support::Error::success();
  std::string fileName = io::getOutputFileName(value.name);
  llvm::SmallString<256> path(outputDir);
  llvm::sys::path::append(path,
                          fileName.substr(0, fileName.size() - 4) + ".pb");
  if (support::Error error =
          io::writeSequenceFile(path.str().str(), value.name, *sequence))
    return error;
  llvm::outs() << "  written to " << path << "\n";
  llvm::outs().flush();
  return support::Error::success();
}

/// The number of ops `exaforge run --profile` lists.
constexpr size_t kTopOpsCount = 10;

/// Reports an error of `exaforge run` and returns the failure status.
int fail(const llvm::Twine &message) {
  llvm::errs() << "exaforge run: error: " << message << "\n";
  return ExitFailure;
}

/// Stops profiling `session` and writes its trace (events from
/// `profileOrigin` on) to `path`; prints the top ops when `printTopOps`.
support::Error writeProfile(rt::Session &session, const std::string &path,
                            int64_t profileOrigin, bool printTopOps) {
  xf_session_set_profiling(session.get(), 0);
  char *events = xf_session_profile_trace_events(session.get(), /*pid=*/0,
                                                 "exaforge run", profileOrigin);
  std::string eventText = events ? events : "";
  xf_string_free(events);
  if (support::Error error = io::writeTraceFile(path, {eventText}))
    return error;
  if (printTopOps) {
    char *table = xf_session_profile_top_ops(session.get(), kTopOpsCount);
    llvm::outs() << (table ? table : "");
    xf_string_free(table);
  }
  llvm::outs() << "trace written to " << path
               << " (open it in https://ui.perfetto.dev)\n";
  return support::Error::success();
}
} // namespace

int exaforge::driver::runRunCommand(const RunCommandOptions &options) {
  if (options.threads < 0)
    return fail("--threads must be 0 (all cores) or positive");
  rt::Session session;
  if (rt::Status status = session.open(options.artifactPath, options.threads);
      !status.ok())
    return fail(status.message());
  std::vector<xf_tensor_info_t> declaredInputs = session.inputs();
  std::vector<xf_tensor_info_t> declaredOutputs = session.outputs();
  support::Expected<std::vector<io::HostTensor>> inputs =
      io::readModelInputs(declaredInputs, options.inputs);
  if (!inputs)
    return fail(inputs.getMessage());
  std::vector<xf_buffer_t> buffers;
  for (const io::HostTensor &input : *inputs)
    buffers.push_back(input.asBuffer());

  bool profiling = !options.profilePath.empty();
  int64_t profileOrigin = xf_profile_clock_ns();
  if (profiling)
    xf_session_set_profiling(session.get(), 1);

  // A failed run is reported after its trace is written: the trace shows
  // where it stopped.
  auto failRun = [&](const rt::Status &status) {
    if (profiling)
      if (support::Error error =
              writeProfile(session, options.profilePath, profileOrigin,
                           /*printTopOps=*/false))
        fail(error.getMessage());
    return fail(options.artifactPath + ": " + status.message());
  };

  std::vector<rt::Tensor> outputs;
  if (rt::Status status = session.run(buffers, outputs); !status.ok())
    return failRun(status);

  if (!options.outputDir.empty()) {
    if (std::error_code ec =
            llvm::sys::fs::create_directories(options.outputDir))
      return fail("cannot create '" + options.outputDir +
                  "': " + ec.message());
  }
  for (const io::ModelValue &value : io::groupModelValues(declaredOutputs)) {
    if (value.kind) {
      if (support::Error error =
              writeSequenceOutput(value, outputs, options.outputDir))
        return fail(error.getMessage());
      continue;
    }
    size_t i = value.parts.front();
    std::string writtenTo;
    if (!options.outputDir.empty()) {
      llvm::SmallString<256> path(options.outputDir);
      llvm::sys::path::append(path,
                              io::getOutputFileName(declaredOutputs[i].name));
      if (support::Error error = io::writeNpyFile(
              path.str().str(), outputs[i].dtype(), outputs[i].shape(),
              outputs[i].data(), outputs[i].nbytes()))
        return fail(error.getMessage());
      writtenTo = path.str().str();
    }
    io::printOutputSummary(declaredOutputs[i], outputs[i].dtype(),
                           outputs[i].shape(), outputs[i].data(),
                           outputs[i].nbytes(), writtenTo);
  }

  if (options.benchmarkRuns > 0) {
    // Warm-up runs fill the kernel caches and the buffer pool.
    std::vector<double> milliseconds;
    for (int i = 0; i < options.benchmarkRuns + 2; ++i) {
      // The profile holds the timed runs only.
      if (profiling && i == 2) {
        xf_session_set_profiling(session.get(), 1);
        profileOrigin = xf_profile_clock_ns();
      }
      auto start = std::chrono::steady_clock::now();
      rt::Status status = session.run(buffers, outputs);
      auto stop = std::chrono::steady_clock::now();
      if (!status.ok())
        return failRun(status);
      if (i >= 2)
        milliseconds.push_back(
            std::chrono::duration<double, std::milli>(stop - start).count());
    }
    std::sort(milliseconds.begin(), milliseconds.end());
    double median = milliseconds[milliseconds.size() / 2];
    xf_memory_stats_t stats = session.memoryStats();
    llvm::outs() << llvm::format(
        "benchmark: %d runs, median %.3f ms, min %.3f ms\n",
        options.benchmarkRuns, median, milliseconds.front());
    llvm::outs() << llvm::format(
        "memory: peak live %.2f MiB, allocated per run %.2f MiB, "
        "reserved %.2f MiB\n",
        stats.last_run_peak_live_bytes / 1048576.0,
        stats.last_run_allocated_bytes / 1048576.0,
        stats.reserved_bytes / 1048576.0);
  }

  if (profiling)
    if (support::Error error =
            writeProfile(session, options.profilePath, profileOrigin,
                         /*printTopOps=*/true))
      return fail(error.getMessage());
  return ExitSuccess;
}
