//===- CollectedDiagnostics.h - Diagnostics handed to Python ----*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The compiler and the planner report diagnostics while the Python lock is
// released; the bindings keep them as CollectedDiagnostic values and hand
// them to Python as dicts once the lock is taken again (exaforge/errors.py
// turns them into `exaforge.Diagnostic`).
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_PYTHON_SRC_COLLECTEDDIAGNOSTICS_H
#define EXAFORGE_PYTHON_SRC_COLLECTEDDIAGNOSTICS_H

#include "compiler/Compile/DiagnosticSite.h"

#include <nanobind/nanobind.h>

#include <string>
#include <vector>

namespace mlir {
class Diagnostic;
} // namespace mlir

namespace exaforge::python {

/// One diagnostic, decomposed into the parts a Python user reads.
struct CollectedDiagnostic {
  /// "error", "warning", "note" or "remark".
  std::string severity;
  /// The model file and ONNX node the diagnostic names.
  DiagnosticSite site;
  /// The message, without the location.
  std::string message;
};

/// Appends `diag` and then each of its notes to `out`.
void collectDiagnostic(mlir::Diagnostic &diag,
                       std::vector<CollectedDiagnostic> &out);

/// The error that stands for a crash of the compiler (`crash`, as
/// `runRecoveringFromCrash` describes it) while `action` ("compiling",
/// "planning") the model at `modelPath`.
CollectedDiagnostic describeInternalError(const std::string &modelPath,
                                          const std::string &action,
                                          const std::string &crash);

/// `diagnostics` as a list of dicts with the keys severity, file, line,
/// column, node and message. Needs the Python lock.
nanobind::list
toPythonList(const std::vector<CollectedDiagnostic> &diagnostics);

} // namespace exaforge::python

#endif // EXAFORGE_PYTHON_SRC_COLLECTEDDIAGNOSTICS_H
