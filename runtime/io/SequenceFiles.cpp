//===- SequenceFiles.cpp - Sequences and optionals as files ---------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "runtime/io/SequenceFiles.h"

#include "exaforge/abi/Contract.h"
#include "runtime/support/Files.h"

#include <onnx/onnx-data_pb.h>
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>

using namespace exaforge;
using namespace exaforge::io;
using exaforge::support::Error;
using exaforge::support::Expected;
using exaforge::support::makeError;

namespace {

/// The ONNX TensorProto data type of `dtype`.
int getOnnxDataType(xf_dtype_t dtype) {
  switch (dtype) {
  case XF_DTYPE_FLOAT32:
    return onnx::TensorProto::FLOAT;
  case XF_DTYPE_FLOAT64:
    return onnx::TensorProto::DOUBLE;
  case XF_DTYPE_FLOAT16:
    return onnx::TensorProto::FLOAT16;
  case XF_DTYPE_BFLOAT16:
    return onnx::TensorProto::BFLOAT16;
  case XF_DTYPE_INT8:
    return onnx::TensorProto::INT8;
  case XF_DTYPE_INT16:
    return onnx::TensorProto::INT16;
  case XF_DTYPE_INT32:
    return onnx::TensorProto::INT32;
  case XF_DTYPE_INT64:
    return onnx::TensorProto::INT64;
  case XF_DTYPE_UINT8:
    return onnx::TensorProto::UINT8;
  case XF_DTYPE_UINT16:
    return onnx::TensorProto::UINT16;
  case XF_DTYPE_UINT32:
    return onnx::TensorProto::UINT32;
  case XF_DTYPE_UINT64:
    return onnx::TensorProto::UINT64;
  case XF_DTYPE_BOOL:
    return onnx::TensorProto::BOOL;
  }
  return onnx::TensorProto::UNDEFINED;
}

/// Reads the tensors of a SequenceProto into `elements`.
Error readSequenceProto(const std::string &path,
                        const onnx::SequenceProto &proto,
                        std::vector<HostTensor> &elements) {
  if (proto.elem_type() != onnx::SequenceProto::TENSOR &&
      proto.elem_type() != onnx::SequenceProto::UNDEFINED)
    return makeError(path, ": only sequences of tensors are supported");
  for (const onnx::TensorProto &tensor : proto.tensor_values()) {
    Expected<HostTensor> element =
        parseTensorProto(path, tensor.SerializeAsString());
    if (!element)
      return element.getError();
    elements.push_back(std::move(*element));
  }
  return Error::success();
}

/// Reads a directory of tensor files, in file name order.
Expected<HostSequence> readSequenceDirectory(const std::string &path) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto &entry : std::filesystem::directory_iterator(path, ec))
    if (entry.is_regular_file())
      files.push_back(entry.path().string());
  if (ec)
    return makeError(path, ": ", ec.message());
  std::sort(files.begin(), files.end());
  HostSequence value;
  for (const std::string &file : files) {
    Expected<HostTensor> tensor = readTensorFile(file);
    if (!tensor)
      return tensor.getError();
    value.elements.push_back(std::move(*tensor));
  }
  return value;
}

/// The packed tensor of `values` (int64) with `shape`.
HostTensor makeInt64Tensor(const std::vector<int64_t> &values,
                           std::vector<int64_t> shape) {
  HostTensor tensor(XF_DTYPE_INT64, std::move(shape));
  if (!values.empty())
    std::memcpy(tensor.getData(), values.data(),
                values.size() * sizeof(int64_t));
  return tensor;
}

/// The kind of the value a file holds, as the error messages name it.
const char *describeKind(PackedKind kind) {
  switch (kind) {
  case PackedKind::Sequence:
    return "a sequence";
  case PackedKind::OptionalTensor:
    return "an optional tensor";
  case PackedKind::OptionalSequence:
    return "an optional sequence";
  }
  return "";
}

} // namespace

std::optional<PackedPart> exaforge::io::getPackedPart(const std::string &name) {
  size_t separator = name.rfind(abi::kPackedPartSeparator);
  if (separator == std::string::npos)
    return std::nullopt;
  std::string part = name.substr(separator + 1);
  for (const char *known :
       {abi::kPackedPartHasTensor, abi::kPackedPartHasSequence,
        abi::kPackedPartData, abi::kPackedPartDims, abi::kPackedPartElements})
    if (part == known)
      return PackedPart{name.substr(0, separator), part};
  return std::nullopt;
}

Expected<HostSequence> exaforge::io::readSequenceFile(const std::string &path,
                                                      PackedKind kind) {
  if (std::filesystem::is_directory(path)) {
    Expected<HostSequence> value = readSequenceDirectory(path);
    if (value && kind == PackedKind::OptionalSequence)
      value->kind = kind;
    return value;
  }
  Expected<std::string> contents = support::readFile(path);
  if (!contents)
    return contents.getError();
  // The two protos share their field numbers, so the expected kind decides
  // how the bytes are read.
  HostSequence value;
  value.kind = kind;
  if (kind == PackedKind::Sequence) {
    onnx::SequenceProto sequence;
    if (!sequence.ParseFromString(*contents))
      return makeError(path, ": not an ONNX SequenceProto");
    if (Error error = readSequenceProto(path, sequence, value.elements))
      return error;
    return value;
  }
  onnx::OptionalProto optional;
  if (!optional.ParseFromString(*contents))
    return makeError(path, ": not an ONNX OptionalProto");
  if (optional.has_tensor_value()) {
    if (kind != PackedKind::OptionalTensor)
      return makeError(path, ": the optional holds a tensor, the model "
                             "expects a sequence");
    Expected<HostTensor> tensor =
        parseTensorProto(path, optional.tensor_value().SerializeAsString());
    if (!tensor)
      return tensor.getError();
    value.elements.push_back(std::move(*tensor));
    return value;
  }
  if (optional.has_sequence_value()) {
    if (kind != PackedKind::OptionalSequence)
      return makeError(path, ": the optional holds a sequence, the model "
                             "expects a tensor");
    if (Error error =
            readSequenceProto(path, optional.sequence_value(), value.elements))
      return error;
    return value;
  }
  if (optional.elem_type() != onnx::OptionalProto::UNDEFINED &&
      optional.elem_type() != onnx::OptionalProto::TENSOR &&
      optional.elem_type() != onnx::OptionalProto::SEQUENCE)
    return makeError(path, ": only optional tensors and sequences are "
                           "supported");
  value.present = false;
  return value;
}

Expected<std::vector<HostTensor>>
exaforge::io::packSequence(const HostSequence &value, PackedKind kind,
                           xf_dtype_t dtype, const std::string &name) {
  if (value.kind != kind)
    return makeError("input '", name, "' is ", describeKind(kind),
                     ", the file holds ", describeKind(value.kind));
  size_t count = 0;
  std::vector<int64_t> dims, elements;
  for (const HostTensor &element : value.elements) {
    if (element.getDType() != dtype)
      return makeError("input '", name, "' holds ", xf_dtype_name(dtype),
                       " tensors, the file has a ",
                       xf_dtype_name(element.getDType()), " tensor");
    count += element.getNumElements();
    dims.insert(dims.end(), element.getShape().begin(),
                element.getShape().end());
    elements.push_back(static_cast<int64_t>(element.getNumElements()));
    elements.push_back(static_cast<int64_t>(element.getShape().size()));
  }
  std::vector<HostTensor> parts;
  if (kind != PackedKind::Sequence) {
    HostTensor present(XF_DTYPE_BOOL, {});
    *static_cast<uint8_t *>(present.getData()) = value.present;
    parts.push_back(std::move(present));
  }
  HostTensor data(dtype, {static_cast<int64_t>(count)});
  auto *out = static_cast<char *>(data.getData());
  for (const HostTensor &element : value.elements) {
    if (element.getNumBytes())
      std::memcpy(out, element.getData(), element.getNumBytes());
    out += element.getNumBytes();
  }
  parts.push_back(std::move(data));
  int64_t numDims = static_cast<int64_t>(dims.size());
  parts.push_back(makeInt64Tensor(dims, {numDims}));
  int64_t numElements = static_cast<int64_t>(value.elements.size());
  parts.push_back(makeInt64Tensor(elements, {numElements, 2}));
  return parts;
}

Expected<HostSequence>
exaforge::io::unpackSequence(PackedKind kind,
                             const std::vector<PackedTensorView> &parts) {
  size_t first = kind == PackedKind::Sequence ? 0 : 1;
  if (parts.size() != first + 3)
    return makeError("a packed sequence has ", first + 3, " tensors, got ",
                     parts.size());
  HostSequence value;
  value.kind = kind;
  if (first)
    value.present = *static_cast<const uint8_t *>(parts[0].data) != 0;
  const PackedTensorView &data = parts[first];
  const auto *dims = static_cast<const int64_t *>(parts[first + 1].data);
  const auto *elements = static_cast<const int64_t *>(parts[first + 2].data);
  int64_t count =
      parts[first + 2].shape.empty() ? 0 : parts[first + 2].shape[0];
  int64_t numDims =
      parts[first + 1].shape.empty() ? 0 : parts[first + 1].shape[0];
  int64_t numData = data.shape.empty() ? 0 : data.shape[0];
  size_t elementSize = xf_dtype_size(data.dtype);
  int64_t dataOffset = 0, dimsOffset = 0;
  for (int64_t i = 0; i < count; ++i) {
    int64_t values = elements[2 * i], rank = elements[2 * i + 1];
    if (values < 0 || rank < 0 || dataOffset + values > numData ||
        dimsOffset + rank > numDims)
      return makeError("inconsistent packed sequence at element ", i);
    std::vector<int64_t> shape(dims + dimsOffset, dims + dimsOffset + rank);
    HostTensor tensor(data.dtype, shape);
    if (static_cast<int64_t>(tensor.getNumElements()) != values)
      return makeError("inconsistent packed sequence at element ", i);
    if (tensor.getNumBytes())
      std::memcpy(tensor.getData(),
                  static_cast<const char *>(data.data) +
                      dataOffset * elementSize,
                  tensor.getNumBytes());
    value.elements.push_back(std::move(tensor));
    dataOffset += values;
    dimsOffset += rank;
  }
  return value;
}

Error exaforge::io::writeSequenceFile(const std::string &path,
                                      const std::string &name,
                                      const HostSequence &value) {
  auto toProto = [](const HostTensor &tensor, onnx::TensorProto &proto) {
    proto.set_data_type(getOnnxDataType(tensor.getDType()));
    for (int64_t size : tensor.getShape())
      proto.add_dims(size);
    proto.set_raw_data(tensor.getData(), tensor.getNumBytes());
  };
  auto toSequence = [&](onnx::SequenceProto &proto) {
    proto.set_elem_type(onnx::SequenceProto::TENSOR);
    for (const HostTensor &element : value.elements)
      toProto(element, *proto.add_tensor_values());
  };
  std::string bytes;
  if (value.kind == PackedKind::Sequence) {
    onnx::SequenceProto proto;
    proto.set_name(name);
    toSequence(proto);
    bytes = proto.SerializeAsString();
  } else {
    onnx::OptionalProto proto;
    proto.set_name(name);
    if (value.kind == PackedKind::OptionalTensor) {
      proto.set_elem_type(onnx::OptionalProto::TENSOR);
      if (value.present && !value.elements.empty())
        toProto(value.elements.front(), *proto.mutable_tensor_value());
    } else {
      proto.set_elem_type(onnx::OptionalProto::SEQUENCE);
      if (value.present) {
        proto.mutable_sequence_value()->set_name(name);
        toSequence(*proto.mutable_sequence_value());
      }
    }
    bytes = proto.SerializeAsString();
  }
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out)
    return makeError("cannot write '", path, "'");
  return Error::success();
}
