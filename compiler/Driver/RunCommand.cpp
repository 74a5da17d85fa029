//===- RunCommand.cpp - `exaforge run` ------------------------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "compiler/Driver/RunCommand.h"
#include "compiler/Driver/Driver.h"

#include "runtime/io/TensorFiles.h"

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
/// Reports an error of `exaforge run` and returns the failure status.
int fail(const llvm::Twine &message) {
  llvm::errs() << "exaforge run: error: " << message << "\n";
  return ExitFailure;
}

/// Converts IEEE half or bfloat16 bits to float.
float halfToFloat(uint16_t bits, bool isBFloat) {
  if (isBFloat) {
    uint32_t word = static_cast<uint32_t>(bits) << 16;
    float value;
    std::memcpy(&value, &word, 4);
    return value;
  }
  int exponent = (bits >> 10) & 0x1f, mantissa = bits & 0x3ff;
  float magnitude =
      exponent == 0    ? std::ldexp(static_cast<float>(mantissa), -24)
      : exponent == 31 ? (mantissa ? NAN : INFINITY)
                       : std::ldexp(static_cast<float>(mantissa | 0x400),
                                    exponent - 25);
  return (bits & 0x8000) ? -magnitude : magnitude;
}

/// Formats element `i` of `data` (of `dtype`) for the summary.
std::string formatElement(const void *data, xf_dtype_t dtype, size_t i) {
  auto at = [&](auto *typed) { return typed[i]; };
  std::string text;
  llvm::raw_string_ostream os(text);
  switch (dtype) {
  case XF_DTYPE_FLOAT32: os << llvm::format("%.6g", at(static_cast<const float *>(data))); break;
  case XF_DTYPE_FLOAT64: os << llvm::format("%.6g", at(static_cast<const double *>(data))); break;
  case XF_DTYPE_FLOAT16:
  case XF_DTYPE_BFLOAT16:
    os << llvm::format("%.4g", halfToFloat(at(static_cast<const uint16_t *>(data)),
                                           dtype == XF_DTYPE_BFLOAT16));
    break;
  case XF_DTYPE_INT8: os << int(at(static_cast<const int8_t *>(data))); break;
  case XF_DTYPE_INT16: os << at(static_cast<const int16_t *>(data)); break;
  case XF_DTYPE_INT32: os << at(static_cast<const int32_t *>(data)); break;
  case XF_DTYPE_INT64: os << at(static_cast<const int64_t *>(data)); break;
  case XF_DTYPE_UINT8: os << unsigned(at(static_cast<const uint8_t *>(data))); break;
  case XF_DTYPE_UINT16: os << at(static_cast<const uint16_t *>(data)); break;
  case XF_DTYPE_UINT32: os << at(static_cast<const uint32_t *>(data)); break;
  case XF_DTYPE_UINT64: os << at(static_cast<const uint64_t *>(data)); break;
  case XF_DTYPE_BOOL: os << (at(static_cast<const uint8_t *>(data)) ? "true" : "false"); break;
  }
  return text;
}

std::string formatShape(const std::vector<int64_t> &shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

/// Renders a declared shape, naming its symbolic dimensions: "[N, 784]".
std::string formatDeclaredShape(const xf_tensor_info_t &info) {
  std::string text = "[";
  for (int64_t i = 0; i < info.rank; ++i) {
    text += i ? ", " : "";
    text += info.shape[i] >= 0     ? std::to_string(info.shape[i])
            : *info.dim_names[i] ? std::string(info.dim_names[i])
                                 : std::string("?");
  }
  return text + "]";
}

/// Reads the input files and orders them as the model's inputs.
std::optional<std::vector<io::HostTensor>>
readInputs(const std::vector<xf_tensor_info_t> &declared,
           const std::vector<std::string> &arguments) {
  std::vector<std::optional<io::HostTensor>> bound(declared.size());
  std::vector<std::string> unnamed;
  for (const std::string &argument : arguments) {
    llvm::StringRef name, file;
    std::tie(name, file) = llvm::StringRef(argument).split('=');
    auto it = llvm::find_if(declared, [&](const xf_tensor_info_t &info) {
      return name == info.name;
    });
    if (file.empty() || it == declared.end()) {
      if (!file.empty() && argument.find('=') != std::string::npos &&
          !llvm::sys::fs::exists(argument)) {
        fail("the model has no input named '" + name + "'");
        return std::nullopt;
      }
      unnamed.push_back(argument);
      continue;
    }
    size_t index = it - declared.begin();
    if (bound[index]) {
      fail("input '" + name + "' is given twice");
      return std::nullopt;
    }
    llvm::Expected<io::HostTensor> tensor = io::readTensorFile(file);
    if (!tensor) {
      fail(llvm::toString(tensor.takeError()));
      return std::nullopt;
    }
    bound[index].emplace(std::move(*tensor));
  }
  size_t next = 0;
  for (const std::string &file : unnamed) {
    while (next < bound.size() && bound[next])
      ++next;
    if (next == bound.size()) {
      fail("too many inputs: the model takes " +
           llvm::Twine(declared.size()));
      return std::nullopt;
    }
    llvm::Expected<io::HostTensor> tensor = io::readTensorFile(file);
    if (!tensor) {
      fail(llvm::toString(tensor.takeError()));
      return std::nullopt;
    }
    bound[next].emplace(std::move(*tensor));
  }
  std::vector<io::HostTensor> inputs;
  for (size_t i = 0; i < declared.size(); ++i) {
    // numpy has no bfloat16 (nor had ONNX 1.12's test data): a bfloat16
    // input may be given as uint16 bit patterns.
    if (bound[i] && declared[i].dtype == XF_DTYPE_BFLOAT16 &&
        bound[i]->getDType() == XF_DTYPE_UINT16)
      bound[i]->reinterpretAs(XF_DTYPE_BFLOAT16);
    if (!bound[i]) {
      const xf_tensor_info_t &info = declared[i];
      fail(llvm::Twine("missing input '") + info.name + "' (" +
           xf_dtype_name(info.dtype) + " " +
           formatDeclaredShape(info) +
           "); give it with --input " + info.name + "=FILE.npy");
      return std::nullopt;
    }
    inputs.push_back(std::move(*bound[i]));
  }
  return inputs;
}

/// Prints one output: name, type, shape and its first values.
void printOutputSummary(const xf_tensor_info_t &info, const rt::Tensor &tensor,
                        const std::string &writtenTo) {
  llvm::outs() << "output '" << info.name << "': "
               << xf_dtype_name(tensor.dtype()) << " "
               << formatShape(tensor.shape()) << "\n";
  size_t elements = tensor.nbytes() / std::max<size_t>(
                                          xf_dtype_size(tensor.dtype()), 1);
  constexpr size_t kShown = 8;
  llvm::outs() << "  values:";
  for (size_t i = 0; i < std::min(elements, kShown); ++i)
    llvm::outs() << " " << formatElement(tensor.data(), tensor.dtype(), i);
  if (elements > kShown)
    llvm::outs() << " ... (" << elements << " values)";
  llvm::outs() << "\n";
  if (!writtenTo.empty())
    llvm::outs() << "  written to " << writtenTo << "\n";
}
} // namespace

std::string exaforge::driver::getOutputFileName(const std::string &name) {
  std::string file = name.empty() ? "output" : name;
  for (char &c : file)
    if (!llvm::isAlnum(c) && c != '.' && c != '_' && c != '-')
      c = '_';
  return file + ".npy";
}

int exaforge::driver::runRunCommand(const RunCommandOptions &options) {
  if (options.threads < 0)
    return fail("--threads must be 0 (all cores) or positive");
  rt::Session session;
  if (rt::Status status = session.open(options.artifactPath, options.threads);
      !status.ok())
    return fail(status.message());
  std::vector<xf_tensor_info_t> declaredInputs = session.inputs();
  std::vector<xf_tensor_info_t> declaredOutputs = session.outputs();
  std::optional<std::vector<io::HostTensor>> inputs =
      readInputs(declaredInputs, options.inputs);
  if (!inputs)
    return ExitFailure;
  std::vector<xf_buffer_t> buffers;
  for (const io::HostTensor &input : *inputs)
    buffers.push_back(input.asBuffer());

  std::vector<rt::Tensor> outputs;
  if (rt::Status status = session.run(buffers, outputs); !status.ok())
    return fail(options.artifactPath + ": " + status.message());

  if (!options.outputDir.empty()) {
    if (std::error_code ec =
            llvm::sys::fs::create_directories(options.outputDir))
      return fail("cannot create '" + options.outputDir +
                  "': " + ec.message());
  }
  for (size_t i = 0; i < outputs.size(); ++i) {
    std::string writtenTo;
    if (!options.outputDir.empty()) {
      llvm::SmallString<256> path(options.outputDir);
      llvm::sys::path::append(path, getOutputFileName(declaredOutputs[i].name));
      if (llvm::Error error = io::writeNpyFile(
              path, outputs[i].dtype(), outputs[i].shape(), outputs[i].data(),
              outputs[i].nbytes()))
        return fail(llvm::toString(std::move(error)));
      writtenTo = path.str().str();
    }
    printOutputSummary(declaredOutputs[i], outputs[i], writtenTo);
  }

  if (options.benchmarkRuns > 0) {
    // Warm-up runs fill the kernel caches and the buffer pool.
    std::vector<double> milliseconds;
    for (int i = 0; i < options.benchmarkRuns + 2; ++i) {
      auto start = std::chrono::steady_clock::now();
      rt::Status status = session.run(buffers, outputs);
      auto stop = std::chrono::steady_clock::now();
      if (!status.ok())
        return fail(options.artifactPath + ": " + status.message());
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
  return ExitSuccess;
}
