//===- TensorFiles.cpp - Tensors in .npy and ONNX .pb files ---------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// .npy: a magic string, a version, a header length and a Python dict literal
// {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), } padded with
// spaces, then the raw data
// (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html).
//
//===----------------------------------------------------------------------===//

#include "TensorFiles.h"

#include "runtime/support/Files.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>

using namespace exaforge::io;
using exaforge::support::concat;
using exaforge::support::Error;
using exaforge::support::Expected;
using std::string_view;

namespace {
template <typename... Parts>
Error fileError(const std::string &path, const Parts &...parts) {
  return exaforge::support::makeError(path, ": ", parts...);
}

/// `text` without leading white space.
string_view trimFront(string_view text) {
  size_t first = text.find_first_not_of(" \t\n\r");
  return first == string_view::npos ? string_view() : text.substr(first);
}

/// `text` without leading and trailing white space.
string_view trim(string_view text) {
  text = trimFront(text);
  size_t last = text.find_last_not_of(" \t\n\r");
  return last == string_view::npos ? string_view() : text.substr(0, last + 1);
}

bool startsWith(string_view text, string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

/// numpy's type string of each element type (little-endian).
struct NpyType {
  xf_dtype_t dtype;
  const char *descr;
};
constexpr NpyType kNpyTypes[] = {
    {XF_DTYPE_FLOAT32, "<f4"}, {XF_DTYPE_FLOAT64, "<f8"},
    {XF_DTYPE_FLOAT16, "<f2"}, {XF_DTYPE_INT8, "|i1"},
    {XF_DTYPE_INT16, "<i2"},   {XF_DTYPE_INT32, "<i4"},
    {XF_DTYPE_INT64, "<i8"},   {XF_DTYPE_UINT8, "|u1"},
    {XF_DTYPE_UINT16, "<u2"},  {XF_DTYPE_UINT32, "<u4"},
    {XF_DTYPE_UINT64, "<u8"},  {XF_DTYPE_BOOL, "|b1"},
};

/// Returns the value text after `'key':` in a .npy header dict.
std::optional<string_view> getHeaderField(string_view header,
                                          const std::string &key) {
  size_t at = header.find("'" + key + "'");
  if (at == string_view::npos)
    return std::nullopt;
  string_view rest = trimFront(header.substr(at + key.size() + 2));
  if (!startsWith(rest, ":"))
    return std::nullopt;
  return trimFront(rest.substr(1));
}

/// The byte count of a `dtype` tensor of `shape`, or nullopt when it does
/// not fit in 63 bits. Checked before anything is allocated for the tensor,
/// so that a header claiming 10^14 rows or (2^62, 784) elements is refused
/// rather than allocated or wrapped around.
std::optional<uint64_t> getCheckedNumBytes(xf_dtype_t dtype,
                                           const std::vector<int64_t> &shape) {
  uint64_t bytes = xf_dtype_size(dtype);
  for (int64_t size : shape) {
    if (size < 0)
      return std::nullopt;
    if (size != 0 && bytes > static_cast<uint64_t>(INT64_MAX) / size)
      return std::nullopt;
    bytes *= size;
  }
  return bytes;
}

/// Formats `shape` as `(2, 3)` for diagnostics.
std::string formatShapeText(const std::vector<int64_t> &shape) {
  std::string text = "(";
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + ")";
}

Expected<HostTensor> readNpy(const std::string &path, string_view contents) {
  static constexpr string_view kMagic("\x93NUMPY", 6);
  if (!startsWith(contents, kMagic) || contents.size() < 10)
    return fileError(path, "not a .npy file (bad magic string)");
  unsigned major = static_cast<unsigned char>(contents[6]);
  size_t headerLength, headerStart;
  if (major == 1) {
    headerLength = static_cast<unsigned char>(contents[8]) |
                   static_cast<unsigned char>(contents[9]) << 8;
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (contents.size() < 12)
      return fileError(path, "truncated .npy header");
    headerLength = 0;
    for (int i = 3; i >= 0; --i)
      headerLength = headerLength << 8 |
                     static_cast<unsigned char>(contents[8 + i]);
    headerStart = 12;
  } else {
    return fileError(path, "unsupported .npy version ", major);
  }
  if (headerStart + headerLength > contents.size())
    return fileError(path, "truncated .npy header");
  string_view header = contents.substr(headerStart, headerLength);

  std::optional<string_view> descr = getHeaderField(header, "descr");
  std::optional<string_view> order = getHeaderField(header, "fortran_order");
  std::optional<string_view> shapeText = getHeaderField(header, "shape");
  if (!descr || !order || !shapeText)
    return fileError(path, "malformed .npy header '", trim(header), "'");
  string_view typeString = descr->substr(std::min<size_t>(1, descr->size()));
  typeString = typeString.substr(0, typeString.find_first_of("'\""));
  std::optional<xf_dtype_t> dtype;
  for (const NpyType &type : kNpyTypes)
    if (typeString == type.descr ||
        (typeString.size() == 3 && typeString[0] == '=' &&
         typeString.substr(1) == string_view(type.descr).substr(1)))
      dtype = type.dtype;
  if (!dtype)
    return fileError(path, "unsupported .npy element type '", typeString,
                     "' (big-endian and structured types are not "
                     "supported)");
  if (startsWith(*order, "True"))
    return fileError(path, "Fortran-ordered .npy arrays are not supported; "
                           "save a C-ordered array");
  if (!startsWith(*shapeText, "("))
    return fileError(path, "malformed shape in the .npy header");
  std::vector<int64_t> shape;
  string_view dims = shapeText->substr(1);
  dims = dims.substr(0, dims.find(')'));
  while (!dims.empty()) {
    size_t comma = dims.find(',');
    string_view dim = trim(dims.substr(0, comma));
    dims = comma == string_view::npos ? string_view() : dims.substr(comma + 1);
    if (dim.empty())
      continue;
    int64_t size;
    auto [end, error] =
        std::from_chars(dim.data(), dim.data() + dim.size(), size);
    if (error != std::errc() || end != dim.data() + dim.size() || size < 0)
      return fileError(path, "malformed shape in the .npy header");
    shape.push_back(size);
  }
  string_view data = contents.substr(headerStart + headerLength);
  std::optional<uint64_t> numBytes = getCheckedNumBytes(*dtype, shape);
  if (!numBytes)
    return fileError(path, "the .npy header's shape ", formatShapeText(shape),
                     " has more bytes than fit in 64 bits");
  if (data.size() != *numBytes)
    return fileError(path, "holds ", data.size(),
                     " data bytes, its header says ", *numBytes);
  HostTensor tensor(*dtype, std::move(shape));
  if (!data.empty())
    std::memcpy(tensor.getData(), data.data(), data.size());
  return tensor;
}

/// The element type of an ONNX TensorProto data type.
std::optional<xf_dtype_t> getDTypeOfOnnx(int onnxType) {
  switch (onnxType) {
  case onnx::TensorProto::FLOAT: return XF_DTYPE_FLOAT32;
  case onnx::TensorProto::DOUBLE: return XF_DTYPE_FLOAT64;
  case onnx::TensorProto::FLOAT16: return XF_DTYPE_FLOAT16;
  case onnx::TensorProto::BFLOAT16: return XF_DTYPE_BFLOAT16;
  case onnx::TensorProto::INT8: return XF_DTYPE_INT8;
  case onnx::TensorProto::INT16: return XF_DTYPE_INT16;
  case onnx::TensorProto::INT32: return XF_DTYPE_INT32;
  case onnx::TensorProto::INT64: return XF_DTYPE_INT64;
  case onnx::TensorProto::UINT8: return XF_DTYPE_UINT8;
  case onnx::TensorProto::UINT16: return XF_DTYPE_UINT16;
  case onnx::TensorProto::UINT32: return XF_DTYPE_UINT32;
  case onnx::TensorProto::UINT64: return XF_DTYPE_UINT64;
  case onnx::TensorProto::BOOL: return XF_DTYPE_BOOL;
  default: return std::nullopt;
  }
}

/// Stores `values` (a repeated field of the proto) narrowed to `T` into
/// `tensor`.
template <typename T, typename Field>
void storeNarrowed(const Field &values, HostTensor &tensor) {
  auto *out = static_cast<T *>(tensor.getData());
  for (int i = 0; i < values.size(); ++i)
    out[i] = static_cast<T>(values.Get(i));
}

Expected<HostTensor> readTensorProto(const std::string &path,
                                     string_view contents, std::string *name) {
  onnx::TensorProto proto;
  if (!proto.ParseFromArray(contents.data(), static_cast<int>(contents.size())))
    return fileError(path, "not a valid ONNX TensorProto");
  std::optional<xf_dtype_t> dtype = getDTypeOfOnnx(proto.data_type());
  if (!dtype)
    return fileError(path, "unsupported TensorProto data type ",
                     proto.data_type());
  if (proto.data_location() == onnx::TensorProto::EXTERNAL)
    return fileError(path, "TensorProtos with external data are not "
                           "supported here");
  std::vector<int64_t> shape(proto.dims().begin(), proto.dims().end());
  for (int64_t size : shape)
    if (size < 0)
      return fileError(path, "negative dimension in the TensorProto");
  std::optional<uint64_t> numBytes = getCheckedNumBytes(*dtype, shape);
  if (!numBytes)
    return fileError(path, "the TensorProto's shape ", formatShapeText(shape),
                     " has more bytes than fit in 64 bits");
  uint64_t numElements = *numBytes / xf_dtype_size(*dtype);
  if (name)
    *name = proto.name();
  if (proto.has_raw_data()) {
    if (proto.raw_data().size() != *numBytes)
      return fileError(path, "raw_data holds ", proto.raw_data().size(),
                       " bytes, the shape needs ", *numBytes);
    HostTensor tensor(*dtype, shape);
    if (tensor.getNumBytes())
      std::memcpy(tensor.getData(), proto.raw_data().data(),
                  tensor.getNumBytes());
    return tensor;
  }
  auto count = [&]() -> int64_t {
    switch (*dtype) {
    case XF_DTYPE_FLOAT32: return proto.float_data_size();
    case XF_DTYPE_FLOAT64: return proto.double_data_size();
    case XF_DTYPE_INT64: return proto.int64_data_size();
    case XF_DTYPE_UINT32:
    case XF_DTYPE_UINT64: return proto.uint64_data_size();
    default: return proto.int32_data_size();
    }
  }();
  if (static_cast<uint64_t>(count) != numElements)
    return fileError(path, "holds ", count, " values, the shape needs ",
                     numElements);
  HostTensor tensor(*dtype, shape);
  switch (*dtype) {
  case XF_DTYPE_FLOAT32: storeNarrowed<float>(proto.float_data(), tensor); break;
  case XF_DTYPE_FLOAT64: storeNarrowed<double>(proto.double_data(), tensor); break;
  case XF_DTYPE_INT64: storeNarrowed<int64_t>(proto.int64_data(), tensor); break;
  case XF_DTYPE_UINT32: storeNarrowed<uint32_t>(proto.uint64_data(), tensor); break;
  case XF_DTYPE_UINT64: storeNarrowed<uint64_t>(proto.uint64_data(), tensor); break;
  case XF_DTYPE_INT32: storeNarrowed<int32_t>(proto.int32_data(), tensor); break;
  case XF_DTYPE_INT16: storeNarrowed<int16_t>(proto.int32_data(), tensor); break;
  case XF_DTYPE_INT8: storeNarrowed<int8_t>(proto.int32_data(), tensor); break;
  case XF_DTYPE_UINT16:
  case XF_DTYPE_FLOAT16:
  case XF_DTYPE_BFLOAT16:
    // Half-precision values are stored as their bit patterns.
    storeNarrowed<uint16_t>(proto.int32_data(), tensor);
    break;
  case XF_DTYPE_UINT8:
  case XF_DTYPE_BOOL: storeNarrowed<uint8_t>(proto.int32_data(), tensor); break;
  }
  return tensor;
}
} // namespace

HostTensor::HostTensor(xf_dtype_t dtype, std::vector<int64_t> shape)
    : dtype(dtype), shape(std::move(shape)) {
  nbytes = getNumElements() * xf_dtype_size(dtype);
  size_t capacity = std::max<size_t>((nbytes + 63) / 64 * 64, 64);
  data.reset(std::aligned_alloc(64, capacity));
  std::memset(data.get(), 0, capacity);
}

uint64_t HostTensor::getNumElements() const {
  uint64_t elements = 1;
  for (int64_t size : shape)
    elements *= size;
  return elements;
}

void HostTensor::reinterpretAs(xf_dtype_t newType) {
  assert(xf_dtype_size(newType) == xf_dtype_size(dtype) &&
         "reinterpreting elements of another size");
  dtype = newType;
}

xf_buffer_t HostTensor::asBuffer() const {
  return xf_buffer_t{data.get(), nbytes, dtype,
                     static_cast<int64_t>(shape.size()), shape.data()};
}

Expected<HostTensor> exaforge::io::readTensorFile(const std::string &path,
                                                  std::string *name) {
  Expected<std::string> contents = exaforge::support::readFile(path);
  if (!contents)
    return contents.getError();
  if (path.size() >= 3 && path.compare(path.size() - 3, 3, ".pb") == 0)
    return readTensorProto(path, *contents, name);
  if (name)
    name->clear();
  return readNpy(path, *contents);
}

Expected<HostTensor> exaforge::io::parseTensorProto(const std::string &path,
                                                   const std::string &bytes) {
  return readTensorProto(path, bytes, nullptr);
}

Error exaforge::io::writeNpyFile(const std::string &path, xf_dtype_t dtype,
                                 const std::vector<int64_t> &shape,
                                 const void *data, size_t nbytes) {
  // numpy has no bfloat16: write the bit patterns (see TensorFiles.h).
  xf_dtype_t fileType = dtype == XF_DTYPE_BFLOAT16 ? XF_DTYPE_UINT16 : dtype;
  const char *descr = nullptr;
  for (const NpyType &type : kNpyTypes)
    if (type.dtype == fileType)
      descr = type.descr;
  if (!descr)
    return fileError(path, "numpy has no element type ", xf_dtype_name(dtype));
  std::string header = "{'descr': '" + std::string(descr) +
                       "', 'fortran_order': False, 'shape': (";
  for (size_t i = 0; i < shape.size(); ++i)
    header += (i ? ", " : "") + std::to_string(shape[i]);
  // A one-element Python tuple needs its trailing comma: (3,).
  header += shape.size() == 1 ? ",)" : ")";
  header += ", }";
  // Pad so that the data starts at a multiple of 64 bytes.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';

  std::ofstream os(path, std::ios::binary | std::ios::trunc);
  if (!os)
    return fileError(path, "cannot write: ", std::strerror(errno));
  os.write("\x93NUMPY\x01\x00", 8);
  os << static_cast<char>(header.size() & 0xff)
     << static_cast<char>(header.size() >> 8);
  os << header;
  os.write(static_cast<const char *>(data),
           static_cast<std::streamsize>(nbytes));
  os.close();
  if (!os)
    return fileError(path, "write failed: ", std::strerror(errno));
  return Error::success();
}
