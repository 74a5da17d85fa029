//===- ModelFiles.h - A model's inputs and outputs as files -----*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// What `exaforge run` and `exaforge-run` share: the `--input` arguments
// (`NAME=FILE` binds the input NAME, a bare `FILE` the next input in
// manifest order not bound by name), the output file names, and the
// summary printed for each output.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_RUNTIME_IO_MODELFILES_H
#define EXAFORGE_RUNTIME_IO_MODELFILES_H

#include "runtime/io/SequenceFiles.h"
#include "runtime/io/TensorFiles.h"

#include <optional>

#include <string>
#include <vector>

namespace exaforge::io {

/// One input or output of a model as its user sees it: a tensor, or a
/// sequence or optional that the artifact passes as several tensors.
struct ModelValue {
  /// The ONNX name.
  std::string name;
  /// Set for a sequence or optional.
  std::optional<PackedKind> kind;
  /// The positions of its tensors among the declared ones.
  std::vector<size_t> parts;
};

/// Groups declared tensors into the model's values: a tensor alone, the
/// packed tensors of a sequence or optional (`x#data`, ...) together.
std::vector<ModelValue>
groupModelValues(const std::vector<xf_tensor_info_t> &declared);

/// Reads the files of `arguments` and returns one tensor per declared
/// input, in the order of `declared`. `NAME=FILE` and a bare `FILE` bind
/// the model's values (groupModelValues): a sequence or optional is read
/// from a SequenceProto or OptionalProto file, or a directory of tensor
/// files, and packed. Errors name the input or the file: an unknown name,
/// an input given twice, too many files, a missing input.
support::Expected<std::vector<HostTensor>>
readModelInputs(const std::vector<xf_tensor_info_t> &declared,
                const std::vector<std::string> &arguments);

/// Renders a declared shape, naming its symbolic dimensions: "[N, 784]".
std::string formatDeclaredShape(const xf_tensor_info_t &info);

/// Renders a shape: "[2, 3]".
std::string formatShape(const std::vector<int64_t> &shape);

/// The file an output named `name` is written to: the name with every
/// character outside [A-Za-z0-9._-] replaced by '_', plus ".npy".
std::string getOutputFileName(const std::string &name);

/// Prints one output to stdout: its name, type, shape, its first values,
/// and the file it was written to (unless `writtenTo` is empty).
void printOutputSummary(const xf_tensor_info_t &info, xf_dtype_t dtype,
                        const std::vector<int64_t> &shape, const void *data,
                        size_t nbytes, const std::string &writtenTo);

} // namespace exaforge::io

#endif // EXAFORGE_RUNTIME_IO_MODELFILES_H
