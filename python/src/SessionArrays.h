//===- SessionArrays.h - Arrays in and out of a runtime session -*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// What both kinds of native sessions share: `NativeSession` (one process,
// SessionBinding.cpp, module exaforge._native) and `NativeMpiSession` (one
// rank of an MPI job, MpiSessionModule.cpp, module exaforge._mpi). They
// describe the inputs and outputs the runtime reports, read the arrays of a
// run from Python, turn the runtime's output tensors into NumPy arrays, and
// raise the runtime's failures as `exaforge.errors` exceptions.
//
// Inputs: any CPU array that nanobind's `ndarray` reads (NumPy, or a DLPack
// producer such as a PyTorch CPU tensor) is passed to the runtime without a
// copy when it is C-contiguous; a strided array is copied into a contiguous
// one (`numpy.ascontiguousarray`), and a value that is not an array (a list,
// a number) becomes one with `numpy.asarray` in the input's element type.
// The element type is never converted: the runtime rejects a wrong one,
// naming the input. A bfloat16 input may also be given as uint16 bit
// patterns (NumPy has no bfloat16), as `exaforge run` accepts them.
//
// Outputs: NumPy arrays over the runtime's tensors (no copy), which free
// them when the last array goes; a bfloat16 output is a `ml_dtypes.bfloat16`
// array when ml_dtypes is installed, else uint16 bit patterns.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_PYTHON_SRC_SESSIONARRAYS_H
#define EXAFORGE_PYTHON_SRC_SESSIONARRAYS_H

#include "exaforge/runtime/api.h"

#include <nanobind/ndarray.h>

#include <string>
#include <vector>

namespace exaforge::python {

/// Raises the `exaforge.errors` exception of `status`'s code with its
/// message, and frees `status`.
[[noreturn]] void raiseStatus(xf_status_t *status);

/// An input or output as the manifest declares it.
struct TensorSpec {
  std::string name;
  xf_dtype_t dtype;
  /// Sizes, -1 where known only at run time.
  std::vector<int64_t> shape;
  /// The symbol of each dimension ("" where it has none).
  std::vector<std::string> dimNames;
};

/// The inputs and outputs of an opened session, as the runtime reports them.
struct SessionSpecs {
  std::vector<TensorSpec> inputs, outputs;

  /// Reads them from `session`; a failure is returned (not raised).
  xf_status_t *read(const xf_session_t *session);

  /// The inputs as Python describes them: `[(name, dtype name, shape)]`,
  /// each dimension a size, its symbol, or None for a dynamic dimension
  /// without one.
  nanobind::list describeInputs() const;
  /// The outputs, as `describeInputs`.
  nanobind::list describeOutputs() const;
};

/// The arrays of one run and the runtime's buffers over them: the arrays
/// must live as long as the buffers are used.
struct RunInputs {
  std::vector<nanobind::ndarray<nanobind::ro, nanobind::device::cpu>> arrays;
  std::vector<xf_buffer_t> buffers;
  /// How many inputs had to be copied or converted.
  size_t copied = 0;
};

/// Reads the inputs of a run of `specs.inputs` from `values`: a dict from
/// input names to arrays, or a sequence of arrays in input order. Raises
/// ValueError for a missing, unknown or extra input and TypeError for a
/// value that is no array or an unsupported element type.
RunInputs readRunInputs(nanobind::handle values, const SessionSpecs &specs);

/// The outputs of a run, `results` in the order of `specs.outputs`, as a
/// dict from output names to NumPy arrays that own the tensors.
nanobind::dict toOutputDict(const std::vector<xf_tensor_t *> &results,
                            const SessionSpecs &specs);

} // namespace exaforge::python

#endif // EXAFORGE_PYTHON_SRC_SESSIONARRAYS_H
