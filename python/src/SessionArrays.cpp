//===- SessionArrays.cpp - Arrays in and out of a runtime session ---------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "SessionArrays.h"

#include <nanobind/stl/string.h>

#include <optional>

namespace nb = nanobind;
using namespace exaforge::python;

/// Raises the `exaforge.errors` exception of `status`'s code with its
/// message, and frees `status`.
[[noreturn]] void exaforge::python::raiseStatus(xf_status_t *status) {
  std::string message = xf_status_message(status);
  const char *className = "RunError";
  switch (xf_status_code(status)) {
  case XF_STATUS_INVALID_ARGUMENT:
    className = "InvalidArgumentError";
    break;
  case XF_STATUS_INVALID_ARTIFACT:
    className = "ArtifactError";
    break;
  case XF_STATUS_RUN_FAILED:
  case XF_STATUS_OUT_OF_MEMORY:
  case XF_STATUS_COLLECTIVE_FAILED:
    break;
  }
  xf_status_free(status);
  nb::object type = nb::module_::import_("exaforge.errors").attr(className);
  PyErr_SetString(type.ptr(), message.c_str());
  throw nb::python_error();
}

namespace {
//===----------------------------------------------------------------------===//
// Element types
//===----------------------------------------------------------------------===//

/// The DLPack type of the arrays that hold `dtype` (bfloat16: uint16).
nb::dlpack::dtype getArrayDtype(xf_dtype_t dtype) {
  using Code = nb::dlpack::dtype_code;
  auto make = [](Code code, int bits) {
    return nb::dlpack::dtype{static_cast<uint8_t>(code),
                             static_cast<uint8_t>(bits), 1};
  };
  switch (dtype) {
  case XF_DTYPE_FLOAT32:
    return make(Code::Float, 32);
  case XF_DTYPE_FLOAT64:
    return make(Code::Float, 64);
  case XF_DTYPE_FLOAT16:
    return make(Code::Float, 16);
  case XF_DTYPE_BFLOAT16:
  case XF_DTYPE_UINT16:
    return make(Code::UInt, 16);
  case XF_DTYPE_INT8:
    return make(Code::Int, 8);
  case XF_DTYPE_INT16:
    return make(Code::Int, 16);
  case XF_DTYPE_INT32:
    return make(Code::Int, 32);
  case XF_DTYPE_INT64:
    return make(Code::Int, 64);
  case XF_DTYPE_UINT8:
    return make(Code::UInt, 8);
  case XF_DTYPE_UINT32:
    return make(Code::UInt, 32);
  case XF_DTYPE_UINT64:
    return make(Code::UInt, 64);
  case XF_DTYPE_BOOL:
    return make(Code::Bool, 8);
  }
  return make(Code::UInt, 8);
}

/// The runtime's element type of an array of DLPack type `dtype` given for
/// an input declared `declared`; nullopt when the runtime has none.
std::optional<xf_dtype_t> getRuntimeDtype(nb::dlpack::dtype dtype,
                                          xf_dtype_t declared) {
  using Code = nb::dlpack::dtype_code;
  if (dtype.lanes != 1)
    return std::nullopt;
  switch (static_cast<Code>(dtype.code)) {
  case Code::Float:
    if (dtype.bits == 16)
      return XF_DTYPE_FLOAT16;
    if (dtype.bits == 32)
      return XF_DTYPE_FLOAT32;
    if (dtype.bits == 64)
      return XF_DTYPE_FLOAT64;
    return std::nullopt;
  case Code::Bfloat:
    return dtype.bits == 16 ? std::optional(XF_DTYPE_BFLOAT16) : std::nullopt;
  case Code::Int:
    if (dtype.bits == 8)
      return XF_DTYPE_INT8;
    if (dtype.bits == 16)
      return XF_DTYPE_INT16;
    if (dtype.bits == 32)
      return XF_DTYPE_INT32;
    if (dtype.bits == 64)
      return XF_DTYPE_INT64;
    return std::nullopt;
  case Code::UInt:
    if (dtype.bits == 8)
      return XF_DTYPE_UINT8;
    if (dtype.bits == 16)
      // bfloat16 bit patterns, for a bfloat16 input.
      return declared == XF_DTYPE_BFLOAT16 ? XF_DTYPE_BFLOAT16
                                           : XF_DTYPE_UINT16;
    if (dtype.bits == 32)
      return XF_DTYPE_UINT32;
    if (dtype.bits == 64)
      return XF_DTYPE_UINT64;
    return std::nullopt;
  case Code::Bool:
    return dtype.bits == 8 ? std::optional(XF_DTYPE_BOOL) : std::nullopt;
  default:
    return std::nullopt;
  }
}

//===----------------------------------------------------------------------===//
// Tensor descriptions
//===----------------------------------------------------------------------===//

/// `(name, dtype name, shape)`, each dimension a size, its symbol, or None
/// for a dynamic dimension without one.
nb::tuple describe(const TensorSpec &spec) {
  nb::list shape;
  for (size_t d = 0; d < spec.shape.size(); ++d) {
    if (spec.shape[d] >= 0)
      shape.append(spec.shape[d]);
    else if (!spec.dimNames[d].empty())
      shape.append(spec.dimNames[d]);
    else
      shape.append(nb::none());
  }
  return nb::make_tuple(spec.name, xf_dtype_name(spec.dtype), nb::tuple(shape));
}

//===----------------------------------------------------------------------===//
// Inputs and outputs
//===----------------------------------------------------------------------===//

/// A read-only CPU array of any element type and layout.
using InputArray = nb::ndarray<nb::ro, nb::device::cpu>;

/// Whether `array` is dense and row-major.
bool isRowMajor(const InputArray &array) {
  int64_t expected = 1;
  for (size_t d = array.ndim(); d-- > 0;) {
    if (array.shape(d) != 1 && array.stride(d) != expected)
      return false;
    expected *= static_cast<int64_t>(array.shape(d));
  }
  return true;
}

/// The array of input `spec` given as `value`; `copied` counts the inputs
/// that had to be converted (not C-contiguous, or not an array).
InputArray toInputArray(nb::handle value, const TensorSpec &spec,
                        size_t &copied) {
  InputArray array;
  bool isArray = nb::try_cast(value, array, /*convert=*/false);
  if (isArray && isRowMajor(array))
    return array;
  nb::module_ numpy = nb::module_::import_("numpy");
  nb::object converted;
  if (isArray) {
    converted = numpy.attr("ascontiguousarray")(value);
  } else {
    // A list or a number: an array in the declared element type (bfloat16
    // has no NumPy type; the runtime then names the mismatch).
    nb::object dtype = nb::none();
    if (spec.dtype != XF_DTYPE_BFLOAT16)
      dtype = nb::str(xf_dtype_name(spec.dtype));
    converted = numpy.attr("asarray")(value, dtype);
  }
  if (!nb::try_cast(converted, array, /*convert=*/false))
    throw nb::type_error(("input '" + spec.name + "': cannot read a " +
                          nb::type_name(value.type()).c_str() + " as an array")
                             .c_str());
  ++copied;
  return array;
}

/// The NumPy array over runtime tensor `tensor` (which it frees) of output
/// `spec`.
nb::object toOutputArray(xf_tensor_t *tensor, const TensorSpec &spec) {
  nb::capsule owner(tensor, [](void *pointer) noexcept {
    xf_tensor_free(static_cast<xf_tensor_t *>(pointer));
  });
  int64_t rank = xf_tensor_rank(tensor);
  const int64_t *sizes = xf_tensor_shape(tensor);
  std::vector<size_t> shape(sizes, sizes + rank);
  nb::object array =
      nb::ndarray<nb::numpy>(xf_tensor_data(tensor), shape.size(), shape.data(),
                             owner, /*strides=*/nullptr,
                             getArrayDtype(xf_tensor_dtype(tensor)))
          .cast();
  if (spec.dtype == XF_DTYPE_BFLOAT16) {
    nb::object mlDtypes;
    try {
      mlDtypes = nb::module_::import_("ml_dtypes");
    } catch (nb::python_error &) {
      return array; // No ml_dtypes: uint16 bit patterns.
    }
    return array.attr("view")(mlDtypes.attr("bfloat16"));
  }
  return array;
}

/// `specs` as Python describes them (`describe`).
nb::list describeAll(const std::vector<TensorSpec> &specs) {
  nb::list list;
  for (const TensorSpec &spec : specs)
    list.append(describe(spec));
  return list;
}

/// " (the model's inputs: a, b)".
std::string listInputs(const std::vector<TensorSpec> &inputs) {
  std::string text = " (the model's inputs: ";
  for (size_t i = 0; i < inputs.size(); ++i)
    text += (i ? ", " : "") + inputs[i].name;
  return text + ")";
}

/// Whether one of `inputs` is called `name`.
bool isInputName(const std::vector<TensorSpec> &inputs,
                 const std::string &name) {
  for (const TensorSpec &spec : inputs)
    if (spec.name == name)
      return true;
  return false;
}

/// The value of each input in `values` (a dict by name or a sequence in
/// order).
std::vector<nb::handle> matchInputs(nb::handle values,
                                    const std::vector<TensorSpec> &inputs) {
  std::vector<nb::handle> given(inputs.size());
  if (nb::isinstance<nb::dict>(values)) {
    nb::dict byName = nb::borrow<nb::dict>(values);
    size_t found = 0;
    for (size_t i = 0; i < inputs.size(); ++i) {
      PyObject *value =
          PyDict_GetItemString(byName.ptr(), inputs[i].name.c_str());
      if (!value)
        throw nb::value_error(
            ("missing input '" + inputs[i].name + "'" + listInputs(inputs))
                .c_str());
      given[i] = value;
      ++found;
    }
    if (byName.size() != found)
      for (auto [key, value] : byName) {
        std::string name = nb::str(key).c_str();
        if (!isInputName(inputs, name))
          throw nb::value_error(
              ("unknown input '" + name + "'" + listInputs(inputs)).c_str());
      }
  } else if (nb::isinstance<nb::list>(values) ||
             nb::isinstance<nb::tuple>(values)) {
    nb::sequence sequence = nb::borrow<nb::sequence>(values);
    if (nb::len(sequence) != inputs.size())
      throw nb::value_error(("the model takes " +
                             std::to_string(inputs.size()) + " inputs, got " +
                             std::to_string(nb::len(sequence)) +
                             listInputs(inputs))
                                .c_str());
    for (size_t i = 0; i < inputs.size(); ++i)
      given[i] = sequence[i];
  } else {
    throw nb::type_error("run() takes a dict of arrays by input name or a "
                         "list of arrays in input order");
  }
  return given;
}

/// The description of `info`, copied.
TensorSpec makeSpec(const xf_tensor_info_t &info) {
  TensorSpec spec{info.name, info.dtype, {}, {}};
  for (int64_t d = 0; d < info.rank; ++d) {
    spec.shape.push_back(info.shape[d]);
    spec.dimNames.push_back(info.dim_names ? info.dim_names[d] : "");
  }
  return spec;
}
} // namespace

xf_status_t *SessionSpecs::read(const xf_session_t *session) {
  for (size_t i = 0, e = xf_session_num_inputs(session); i < e; ++i) {
    xf_tensor_info_t info;
    if (xf_status_t *status = xf_session_input_info(session, i, &info))
      return status;
    inputs.push_back(makeSpec(info));
  }
  for (size_t i = 0, e = xf_session_num_outputs(session); i < e; ++i) {
    xf_tensor_info_t info;
    if (xf_status_t *status = xf_session_output_info(session, i, &info))
      return status;
    outputs.push_back(makeSpec(info));
  }
  return nullptr;
}

nb::list SessionSpecs::describeInputs() const { return describeAll(inputs); }

nb::list SessionSpecs::describeOutputs() const { return describeAll(outputs); }

RunInputs exaforge::python::readRunInputs(nb::handle values,
                                          const SessionSpecs &specs) {
  const std::vector<TensorSpec> &inputs = specs.inputs;
  std::vector<nb::handle> given = matchInputs(values, inputs);
  RunInputs run;
  run.arrays.reserve(inputs.size());
  run.buffers.resize(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    run.arrays.push_back(toInputArray(given[i], inputs[i], run.copied));
    const InputArray &array = run.arrays.back();
    std::optional<xf_dtype_t> dtype =
        getRuntimeDtype(array.dtype(), inputs[i].dtype);
    if (!dtype)
      throw nb::type_error(
          ("input '" + inputs[i].name + "': element type " +
           nb::str(nb::getattr(given[i], "dtype", nb::str("unknown"))).c_str() +
           " is not supported; expected " + xf_dtype_name(inputs[i].dtype))
              .c_str());
    run.buffers[i] = {const_cast<void *>(array.data()), array.nbytes(), *dtype,
                      static_cast<int64_t>(array.ndim()), array.shape_ptr()};
  }
  return run;
}

nb::dict
exaforge::python::toOutputDict(const std::vector<xf_tensor_t *> &results,
                               const SessionSpecs &specs) {
  nb::dict named;
  for (size_t i = 0; i < specs.outputs.size(); ++i)
    named[specs.outputs[i].name.c_str()] =
        toOutputArray(results[i], specs.outputs[i]);
  return named;
}
