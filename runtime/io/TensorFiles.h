//===- TensorFiles.h - Tensors in .npy and ONNX .pb files -------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The file formats `exaforge run` reads and writes: numpy's .npy (format
// 1.0-3.0, little-endian, C order) and ONNX TensorProto (.pb, the format of
// the ONNX backend test data).
//
// numpy has no bfloat16 type. A bfloat16 tensor is written to .npy as a
// uint16 ('<u2') array of its bit patterns, the upper 16 bits of the
// float32 values, the convention of the ONNX 1.12 backend test data; in
// numpy, `(a.astype(np.uint32) << 16).view(np.float32)` recovers the values
// and `a.view(ml_dtypes.bfloat16)` the bfloat16 array. Reading a uint16
// array gives a uint16 tensor; `exaforge run` reinterprets it (see
// HostTensor::reinterpretAs) for an input the model declares bfloat16.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_RUNTIME_IO_TENSORFILES_H
#define EXAFORGE_RUNTIME_IO_TENSORFILES_H

#include "exaforge/runtime/api.h"

#include "runtime/support/Error.h"

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

namespace exaforge::io {

/// A dense row-major tensor in 64-byte aligned memory.
class HostTensor {
public:
  /// Allocates a zero-filled tensor.
  HostTensor(xf_dtype_t dtype, std::vector<int64_t> shape);

  xf_dtype_t getDType() const { return dtype; }
  const std::vector<int64_t> &getShape() const { return shape; }
  uint64_t getNumElements() const;
  size_t getNumBytes() const { return nbytes; }
  void *getData() { return data.get(); }
  const void *getData() const { return data.get(); }
  /// The tensor as an input of xf_session_run (valid while this lives).
  xf_buffer_t asBuffer() const;
  /// Reinterprets the elements' bits as `newType`, whose elements must have
  /// the same size (e.g. uint16 bit patterns as bfloat16).
  void reinterpretAs(xf_dtype_t newType);

private:
  struct Free {
    void operator()(void *ptr) const { std::free(ptr); }
  };
  xf_dtype_t dtype;
  std::vector<int64_t> shape;
  size_t nbytes;
  std::unique_ptr<void, Free> data;
};

/// Reads a tensor from `path`: ONNX TensorProto when it ends in `.pb`,
/// else .npy. Errors name the file. `name`, when given, receives the
/// TensorProto's name ("" for .npy).
support::Expected<HostTensor> readTensorFile(const std::string &path,
                                             std::string *name = nullptr);

/// Reads a tensor from the serialized ONNX TensorProto `bytes` (found in
/// `path`, which errors name).
support::Expected<HostTensor> parseTensorProto(const std::string &path,
                                               const std::string &bytes);

/// Writes a dense row-major tensor to `path` as .npy (format 1.0); bfloat16
/// as uint16 bit patterns.
support::Error writeNpyFile(const std::string &path, xf_dtype_t dtype,
                            const std::vector<int64_t> &shape, const void *data,
                            size_t nbytes);

} // namespace exaforge::io

#endif // EXAFORGE_RUNTIME_IO_TENSORFILES_H
