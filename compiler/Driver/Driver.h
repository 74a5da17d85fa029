//===- Driver.h - The exaforge command-line driver --------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Subcommand dispatch of the `exaforge` tool and the one-line diagnostic
// printer it installs.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_COMPILER_DRIVER_DRIVER_H
#define EXAFORGE_COMPILER_DRIVER_DRIVER_H

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace mlir {
class Diagnostic;
} // namespace mlir

namespace exaforge::driver {

/// Exit codes of the `exaforge` tool.
enum ExitCode : int {
  /// The command succeeded.
  ExitSuccess = 0,
  /// The command ran and failed (e.g. the model could not be imported).
  ExitFailure = 1,
  /// The command line was invalid (e.g. an unknown subcommand or option).
  ExitUsage = 2,
};

/// Runs `exaforge` with the given command line and returns the exit code.
/// Never throws.
int runExaforge(int argc, char **argv);

/// Prints `diag` and each of its notes as one line each:
/// `<file>: <severity>: node '<node>': <message>` for a location
/// `NameLoc(node, FileLineColLoc(file))`, `<file>: <severity>: <message>`
/// for a plain `FileLineColLoc` (with `:line:col` when the line is not 0),
/// and `<severity>: <message>` otherwise.
void printDiagnosticLine(mlir::Diagnostic &diag, llvm::raw_ostream &os);

} // namespace exaforge::driver

#endif // EXAFORGE_COMPILER_DRIVER_DRIVER_H
