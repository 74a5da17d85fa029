//===- SessionBinding.cpp - exaforge._native.NativeSession ----------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// `NativeSession` is one `xf_session_t` of the runtime's C API
// (exaforge/runtime/api.h) for an artifact compiled for one rank: it
// describes the artifact's inputs and outputs and runs it on arrays
// (SessionArrays.h says how arrays go in and out).
//
// The Python lock is released while the model runs; the runtime lets
// several threads run one session, and several sessions, at once.
//
//===----------------------------------------------------------------------===//

#include "Bindings.h"
#include "SessionArrays.h"

#include "exaforge/runtime/api.h"

#include <nanobind/stl/string.h>

#include <string>
#include <vector>

namespace nb = nanobind;
using namespace exaforge::python;

namespace {
/// An opened artifact.
class NativeSession {
public:
  /// Opens the artifact directory `path` with `threads` kernel threads (0:
  /// all cores).
  NativeSession(const std::string &path, int threads) {
    xf_session_options_t options{};
    options.num_threads = threads;
    if (xf_status_t *status = xf_session_open(path.c_str(), &options, &session))
      raiseStatus(status);
    // A constructor that throws runs no destructor: close the session first.
    if (xf_status_t *status = specs.read(session)) {
      xf_session_close(session);
      raiseStatus(status);
    }
  }
  NativeSession(const NativeSession &) = delete;
  NativeSession &operator=(const NativeSession &) = delete;
  ~NativeSession() { xf_session_close(session); }

  /// The inputs, as `SessionSpecs::describeInputs` gives them.
  nb::list getInputs() const { return specs.describeInputs(); }
  /// The outputs, as `SessionSpecs::describeOutputs` gives them.
  nb::list getOutputs() const { return specs.describeOutputs(); }

  /// Runs the model on `values`: a dict from input names to arrays, or a
  /// sequence of arrays in the order of the inputs. Returns a dict from
  /// output names to arrays.
  nb::dict run(nb::handle values) {
    RunInputs given = readRunInputs(values, specs);
    lastRunCopiedInputs = given.copied;
    std::vector<xf_tensor_t *> results(specs.outputs.size(), nullptr);
    xf_status_t *status;
    {
      nb::gil_scoped_release release;
      status =
          xf_session_run(session, given.buffers.data(), given.buffers.size(),
                         results.data(), results.size());
    }
    if (status)
      raiseStatus(status);
    return toOutputDict(results, specs);
  }

  /// How many inputs of the last run were copied or converted (0 when every
  /// input was taken as it was).
  size_t lastRunCopiedInputs = 0;

private:
  xf_session_t *session = nullptr;
  SessionSpecs specs;
};
} // namespace

void exaforge::python::bindSession(nb::module_ &module) {
  nb::class_<NativeSession>(module, "NativeSession")
      .def(nb::init<const std::string &, int>(), nb::arg("path"),
           nb::arg("threads"))
      .def_prop_ro("inputs", &NativeSession::getInputs)
      .def_prop_ro("outputs", &NativeSession::getOutputs)
      .def_ro("last_run_copied_inputs", &NativeSession::lastRunCopiedInputs)
      .def("run", &NativeSession::run, nb::arg("inputs"));
}
