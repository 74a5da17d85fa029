//===- ModelFiles.cpp - A model's inputs and outputs as files -------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "runtime/io/ModelFiles.h"

#include "runtime/support/Files.h"

#include "exaforge/abi/Contract.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>
#include <sstream>

using namespace exaforge;
using namespace exaforge::io;

namespace {
using exaforge::support::Expected;
using exaforge::support::makeError;

/// `value` printed with the printf conversion `format`.
std::string formatNumber(const char *format, double value) {
  char text[64];
  std::snprintf(text, sizeof(text), format, value);
  return text;
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
      exponent == 0 ? std::ldexp(static_cast<float>(mantissa), -24)
      : exponent == 31
          ? (mantissa ? NAN : INFINITY)
          : std::ldexp(static_cast<float>(mantissa | 0x400), exponent - 25);
  return (bits & 0x8000) ? -magnitude : magnitude;
}

/// Formats element `i` of `data` (of `dtype`) for the summary.
std::string formatElement(const void *data, xf_dtype_t dtype, size_t i) {
  auto at = [&](auto *typed) { return typed[i]; };
  std::ostringstream os;
  switch (dtype) {
  case XF_DTYPE_FLOAT32:
    os << formatNumber("%.6g", at(static_cast<const float *>(data)));
    break;
  case XF_DTYPE_FLOAT64:
    os << formatNumber("%.6g", at(static_cast<const double *>(data)));
    break;
  case XF_DTYPE_FLOAT16:
  case XF_DTYPE_BFLOAT16:
    os << formatNumber("%.4g",
                       halfToFloat(at(static_cast<const uint16_t *>(data)),
                                   dtype == XF_DTYPE_BFLOAT16));
    break;
  case XF_DTYPE_INT8:
    os << int(at(static_cast<const int8_t *>(data)));
    break;
  case XF_DTYPE_INT16:
    os << at(static_cast<const int16_t *>(data));
    break;
  case XF_DTYPE_INT32:
    os << at(static_cast<const int32_t *>(data));
    break;
  case XF_DTYPE_INT64:
    os << at(static_cast<const int64_t *>(data));
    break;
  case XF_DTYPE_UINT8:
    os << unsigned(at(static_cast<const uint8_t *>(data)));
    break;
  case XF_DTYPE_UINT16:
    os << at(static_cast<const uint16_t *>(data));
    break;
  case XF_DTYPE_UINT32:
    os << at(static_cast<const uint32_t *>(data));
    break;
  case XF_DTYPE_UINT64:
    os << at(static_cast<const uint64_t *>(data));
    break;
  case XF_DTYPE_BOOL:
    os << (at(static_cast<const uint8_t *>(data)) ? "true" : "false");
    break;
  }
  return os.str();
}
} // namespace

std::string exaforge::io::formatShape(const std::vector<int64_t> &shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

std::string exaforge::io::formatDeclaredShape(const xf_tensor_info_t &info) {
  std::string text = "[";
  for (int64_t i = 0; i < info.rank; ++i) {
    text += i ? ", " : "";
    text += info.shape[i] >= 0   ? std::to_string(info.shape[i])
            : *info.dim_names[i] ? std::string(info.dim_names[i])
                                 : std::string("?");
  }
  return text + "]";
}

std::vector<ModelValue>
exaforge::io::groupModelValues(const std::vector<xf_tensor_info_t> &declared) {
  std::vector<ModelValue> values;
  for (size_t i = 0; i < declared.size(); ++i) {
    std::optional<PackedPart> part = getPackedPart(declared[i].name);
    if (!part) {
      values.push_back(ModelValue{declared[i].name, std::nullopt, {i}});
      continue;
    }
    if (!values.empty() && values.back().kind &&
        values.back().name == part->value) {
      values.back().parts.push_back(i);
      continue;
    }
    PackedKind kind = part->part == abi::kPackedPartHasTensor
                          ? PackedKind::OptionalTensor
                      : part->part == abi::kPackedPartHasSequence
                          ? PackedKind::OptionalSequence
                          : PackedKind::Sequence;
    values.push_back(ModelValue{part->value, kind, {i}});
  }
  return values;
}

Expected<std::vector<HostTensor>>
exaforge::io::readModelInputs(const std::vector<xf_tensor_info_t> &declared,
                              const std::vector<std::string> &arguments) {
  std::vector<ModelValue> values = groupModelValues(declared);
  std::vector<std::optional<std::string>> bound(values.size());
  std::vector<std::string> unnamed;
  for (const std::string &argument : arguments) {
    size_t equals = argument.find('=');
    std::string name = argument.substr(0, equals);
    std::string file =
        equals == std::string::npos ? "" : argument.substr(equals + 1);
    auto it = std::find_if(values.begin(), values.end(),
                           [&](const ModelValue &v) { return name == v.name; });
    if (file.empty() || it == values.end()) {
      if (!file.empty() && !exaforge::support::exists(argument))
        return makeError("the model has no input named '", name, "'");
      unnamed.push_back(argument);
      continue;
    }
    size_t index = it - values.begin();
    if (bound[index])
      return makeError("input '", name, "' is given twice");
    bound[index] = file;
  }
  size_t next = 0;
  for (const std::string &file : unnamed) {
    while (next < bound.size() && bound[next])
      ++next;
    if (next == bound.size())
      return makeError("too many inputs: the model takes ", values.size());
    bound[next] = file;
  }
  std::vector<std::optional<HostTensor>> tensors(declared.size());
  for (size_t v = 0; v < values.size(); ++v) {
    const ModelValue &value = values[v];
    if (!bound[v]) {
      if (value.kind)
        return makeError("missing input '", value.name,
                         "' (a sequence or optional); give it with --input ",
                         value.name, "=FILE.pb");
      const xf_tensor_info_t &info = declared[value.parts.front()];
      return makeError("missing input '", info.name, "' (",
                       xf_dtype_name(info.dtype), " ",
                       formatDeclaredShape(info), "); give it with --input ",
                       info.name, "=FILE.npy");
    }
    if (!value.kind) {
      Expected<HostTensor> tensor = readTensorFile(*bound[v]);
      if (!tensor)
        return tensor.getError();
      tensors[value.parts.front()].emplace(std::move(*tensor));
      continue;
    }
    Expected<HostSequence> sequence = readSequenceFile(*bound[v], *value.kind);
    if (!sequence)
      return sequence.getError();
    // The data part comes after an optional's flag.
    size_t dataPart = value.parts[*value.kind == PackedKind::Sequence ? 0 : 1];
    Expected<std::vector<HostTensor>> parts = packSequence(
        *sequence, *value.kind, declared[dataPart].dtype, value.name);
    if (!parts)
      return parts.getError();
    if (parts->size() != value.parts.size())
      return makeError("input '", value.name, "' has ", value.parts.size(),
                       " packed tensors, expected ", parts->size());
    for (size_t p = 0; p < parts->size(); ++p)
      tensors[value.parts[p]].emplace(std::move((*parts)[p]));
  }
  std::vector<HostTensor> inputs;
  for (size_t i = 0; i < declared.size(); ++i) {
    // numpy has no bfloat16 (nor had ONNX 1.12's test data): a bfloat16
    // input may be given as uint16 bit patterns.
    if (declared[i].dtype == XF_DTYPE_BFLOAT16 &&
        tensors[i]->getDType() == XF_DTYPE_UINT16)
      tensors[i]->reinterpretAs(XF_DTYPE_BFLOAT16);
    inputs.push_back(std::move(*tensors[i]));
  }
  return inputs;
}

std::string exaforge::io::getOutputFileName(const std::string &name) {
  std::string file = name.empty() ? "output" : name;
  for (char &c : file)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' &&
        c != '-')
      c = '_';
  return file + ".npy";
}

void exaforge::io::printOutputSummary(const xf_tensor_info_t &info,
                                      xf_dtype_t dtype,
                                      const std::vector<int64_t> &shape,
                                      const void *data, size_t nbytes,
                                      const std::string &writtenTo) {
  std::ostringstream os;
  os << "output '" << info.name << "': " << xf_dtype_name(dtype) << " "
     << formatShape(shape) << "\n";
  size_t elements = nbytes / std::max<size_t>(xf_dtype_size(dtype), 1);
  constexpr size_t kShown = 8;
  os << "  values:";
  for (size_t i = 0; i < std::min(elements, kShown); ++i)
    os << " " << formatElement(data, dtype, i);
  if (elements > kShown)
    os << " ... (" << elements << " values)";
  os << "\n";
  if (!writtenTo.empty())
    os << "  written to " << writtenTo << "\n";
  // Flushed at once, so that it keeps its place among the caller's output.
  std::fputs(os.str().c_str(), stdout);
  std::fflush(stdout);
}
