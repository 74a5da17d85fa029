//===- CollectedDiagnostics.cpp - Diagnostics handed to Python ------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "CollectedDiagnostics.h"

#include "mlir/IR/Diagnostics.h"

#include <nanobind/stl/string.h>

namespace nb = nanobind;
using namespace exaforge;
using namespace exaforge::python;

void exaforge::python::collectDiagnostic(
    mlir::Diagnostic &diag, std::vector<CollectedDiagnostic> &out) {
  out.push_back({getSeverityName(diag.getSeverity()),
                 getDiagnosticSite(diag.getLocation()), diag.str()});
  for (mlir::Diagnostic &note : diag.getNotes())
    out.push_back({getSeverityName(note.getSeverity()),
                   getDiagnosticSite(note.getLocation()), note.str()});
}

nb::list exaforge::python::toPythonList(
    const std::vector<CollectedDiagnostic> &diagnostics) {
  nb::list list;
  for (const CollectedDiagnostic &diag : diagnostics) {
    nb::dict entry;
    entry["severity"] = diag.severity;
    entry["file"] = diag.site.file;
    entry["line"] = diag.site.line;
    entry["column"] = diag.site.column;
    entry["node"] = diag.site.node;
    entry["message"] = diag.message;
    list.append(entry);
  }
  return list;
}

CollectedDiagnostic
exaforge::python::describeInternalError(const std::string &modelPath,
                                        const std::string &action,
                                        const std::string &crash) {
  CollectedDiagnostic error;
  error.severity = "error";
  error.site.file = modelPath;
  error.message = "internal compiler error while " + action +
                  " the model: " + crash + "; please report it with the model";
  return error;
}
