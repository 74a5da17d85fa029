//===- PlanCommand.h - `exaforge plan` and `compile --auto` -----*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// `exaforge plan MODEL --machine PRESET|FILE --nodes K [--batch B] [--json]
// [--top N]` prints the best layouts of a model on a described machine
// (compiler/Plan/Planner.h); `exaforge compile --auto` compiles with the
// best one.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_COMPILER_DRIVER_PLANCOMMAND_H
#define EXAFORGE_COMPILER_DRIVER_PLANCOMMAND_H

#include "compiler/Plan/Planner.h"

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>

namespace exaforge::driver {

/// The arguments of `exaforge plan`.
struct PlanCommandOptions {
  /// The ONNX model (`.onnx` or `.onnxtext`).
  std::string modelPath;
  /// A preset name or a machine description file.
  std::string machine;
  /// Nodes to plan for.
  int64_t nodes = 0;
  /// The global batch (0: one sample per rank).
  int64_t batch = 0;
  /// Micro-batches of the pipeline layouts (0: the best count of each).
  int64_t microBatches = 0;
  /// Print JSON instead of the table.
  bool json = false;
  /// How many layouts to print.
  int64_t top = 5;
};

/// Runs `exaforge plan`. Returns the process exit status.
int runPlanCommand(const PlanCommandOptions &options);

/// What `exaforge compile --auto` compiles for: the planner's best layout
/// and the machine's device.
struct AutoLayout {
  plan::Layout layout;
  /// The device's model ("NVIDIA A100 64GB") and, for an NVIDIA GPU, its
  /// architecture ("sm_80"; empty otherwise).
  std::string deviceModel, cudaArch;
};

/// The layout `exaforge compile --auto` compiles with: the planner's best
/// for the model at `modelPath` on `machine` (preset or file) with `nodes`
/// nodes and a global batch of `batch` (0: one sample per rank). Prints a
/// line saying what it chose to `llvm::errs()`, or the error (prefixed with
/// `command`) and returns nullopt.
std::optional<AutoLayout> chooseAutoLayout(llvm::StringRef command,
                                           llvm::StringRef modelPath,
                                           llvm::StringRef machine,
                                           int64_t nodes, int64_t batch);

} // namespace exaforge::driver

#endif // EXAFORGE_COMPILER_DRIVER_PLANCOMMAND_H
