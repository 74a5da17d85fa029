//===- DiagnosticSite.h - Where a compile diagnostic points -----*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The parts of a diagnostic's location that a user of the compiler reads:
// the model file, a line and column in it, and the ONNX node. The importer
// gives every op the location `NameLoc(node, FileLineColLoc(file, 0, 0))`;
// the command line prints these parts on one line (compiler/Driver) and the
// Python package puts them on `exaforge.CompileError`.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_COMPILER_COMPILE_DIAGNOSTICSITE_H
#define EXAFORGE_COMPILER_COMPILE_DIAGNOSTICSITE_H

#include <string>

namespace mlir {
class Location;
enum class DiagnosticSeverity;
} // namespace mlir

namespace exaforge {

/// The file, position and ONNX node a diagnostic's location names; empty
/// strings and zeros for the parts it does not name.
struct DiagnosticSite {
  /// The model (or MLIR) file.
  std::string file;
  /// The line and column in `file`; 0 for an ONNX model, whose nodes have
  /// no lines.
  unsigned line = 0;
  unsigned column = 0;
  /// The ONNX node's name.
  std::string node;
};

/// Decomposes `loc`: `NameLoc(node, FileLineColLoc)`, a plain
/// `FileLineColLoc`, or anything else (no file, no node).
DiagnosticSite getDiagnosticSite(mlir::Location loc);

/// The word a user reads for `severity`: "error", "warning", "note" or
/// "remark".
const char *getSeverityName(mlir::DiagnosticSeverity severity);

} // namespace exaforge

#endif // EXAFORGE_COMPILER_COMPILE_DIAGNOSTICSITE_H
