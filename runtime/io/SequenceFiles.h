//===- SequenceFiles.h - Sequences and optionals as files -------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// A model's sequence and optional inputs and outputs, which the artifact
// passes as several tensors each (`x#data`, `x#dims`, `x#elements`, and
// `x#has_tensor` or `x#has_sequence` for an optional; Contract.h): reading
// them from ONNX SequenceProto and OptionalProto files (.pb) or from a
// directory of .npy files, packing them into those tensors, and unpacking
// and writing outputs as .pb files.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_RUNTIME_IO_SEQUENCEFILES_H
#define EXAFORGE_RUNTIME_IO_SEQUENCEFILES_H

#include "runtime/io/TensorFiles.h"

#include <optional>
#include <string>
#include <vector>

namespace exaforge::io {

/// What kind of value a group of packed tensors is.
enum class PackedKind { Sequence, OptionalTensor, OptionalSequence };

/// A model input or output named `<value>#<part>` (Contract.h).
struct PackedPart {
  std::string value;
  std::string part;
};

/// The value and part of a packed input's or output's name, or nothing
/// for a tensor's name.
std::optional<PackedPart> getPackedPart(const std::string &name);

/// A sequence, or an optional, of tensors on the host.
struct HostSequence {
  PackedKind kind = PackedKind::Sequence;
  /// Whether an optional holds a value (always true for a sequence).
  bool present = true;
  /// The tensors: an optional tensor has one when present.
  std::vector<HostTensor> elements;
};

/// Reads a value of `kind` from `path`: an ONNX SequenceProto (a
/// sequence) or OptionalProto (an optional) file, or a directory of .npy
/// or .pb tensor files (a sequence, in file name order).
support::Expected<HostSequence> readSequenceFile(const std::string &path,
                                                 PackedKind kind);

/// The packed tensors of `value` in the order of the parts (the
/// has_tensor/has_sequence flag of an optional, then data, dims,
/// elements), with values of `dtype`. Fails when an element has another
/// element type, or the file's kind is not `kind`.
support::Expected<std::vector<HostTensor>>
packSequence(const HostSequence &value, PackedKind kind, xf_dtype_t dtype,
             const std::string &name);

/// One packed tensor of an output.
struct PackedTensorView {
  xf_dtype_t dtype;
  std::vector<int64_t> shape;
  const void *data;
};

/// Rebuilds a sequence or optional from its packed tensors (in part
/// order); fails on inconsistent parts.
support::Expected<HostSequence>
unpackSequence(PackedKind kind, const std::vector<PackedTensorView> &parts);

/// Writes `value` to `path` as an ONNX SequenceProto, or OptionalProto,
/// named `name`.
support::Error writeSequenceFile(const std::string &path,
                                 const std::string &name,
                                 const HostSequence &value);

} // namespace exaforge::io

#endif // EXAFORGE_RUNTIME_IO_SEQUENCEFILES_H
