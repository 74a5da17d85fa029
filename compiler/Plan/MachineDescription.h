//===- MachineDescription.h - A machine the planner targets -----*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The description of a machine that `exaforge plan` and `--auto` plan for:
// its nodes, the accelerators of a node, and the links between them. It is
// read from a file (docs/design/machine-descriptions.md) or from a preset
// shipped with the compiler, and written by `exaforge calibrate`.
//
// Units are SI throughout: bytes, seconds, FLOP/s, bytes/s.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_COMPILER_PLAN_MACHINEDESCRIPTION_H
#define EXAFORGE_COMPILER_PLAN_MACHINEDESCRIPTION_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>

namespace mlir {
class MLIRContext;
} // namespace mlir

namespace exaforge::plan {

/// One accelerator (or, for a CPU-only machine, the share of a node one rank
/// uses).
struct DeviceDescription {
  /// What it is, e.g. "NVIDIA A100 64GB" (informative).
  std::string model;
  /// For an NVIDIA GPU, its architecture as `exaforge compile --gpu-arch`
  /// names it ("sm_80"): what `--auto --target cuda` compiles for. Empty
  /// for other devices.
  std::string cudaArch;
  /// Dense peak arithmetic throughput per element type, keyed by the MLIR
  /// spelling of the type ("f32", "bf16", "f16", "f64", "tf32").
  llvm::StringMap<double> peakFlopsPerSecond;
  /// The fraction of the peak large matrix products reach (0 to 1].
  double matmulEfficiency = 1;
  /// Memory capacity in bytes.
  double memoryBytes = 0;
  /// Memory bandwidth in bytes/s.
  double memoryBandwidth = 0;
};

/// A link between ranks: the alpha-beta model of one transfer,
/// `latency + bytes / bandwidth`.
struct LinkDescription {
  /// Bandwidth in bytes/s, per direction: between two devices for the
  /// intra-node link, injection bandwidth of a whole node for the network.
  double bandwidth = 0;
  /// Latency of one message in seconds.
  double latency = 0;
};

/// A machine: `nodes` identical nodes of `devicesPerNode` devices each.
struct MachineDescription {
  /// The preset name or the name given in the file.
  std::string name;
  /// Where the figures come from (citations, or "measured by exaforge
  /// calibrate on HOST").
  std::string source;
  /// Number of nodes of the machine (the most a plan may use).
  int64_t nodes = 1;
  /// Devices per node (one rank each).
  int64_t devicesPerNode = 1;
  /// CPU cores per node.
  int64_t cpuCoresPerNode = 1;
  /// Each device.
  DeviceDescription device;
  /// Between two devices of one node (e.g. NVLink).
  LinkDescription intraNode;
  /// Between nodes (e.g. InfiniBand).
  LinkDescription interNode;
};

/// The element types a description may give a peak for, in the order the
/// writer prints them: "f32", "tf32", "bf16", "f16", "f64".
llvm::ArrayRef<llvm::StringRef> getMachineElementTypes();

/// Reads the machine description `presetOrPath`: the name of a preset
/// shipped with the compiler (MachinePresets.h) or the path of a YAML file
/// (docs/design/machine-descriptions.md). Checks every field; each problem is
/// emitted on `context` as an error located at the file, line and column,
/// naming the field (e.g. `device.memory_bandwidth`). A path that does not
/// exist and is not a preset name is an error listing the presets.
mlir::FailureOr<MachineDescription>
loadMachineDescription(llvm::StringRef presetOrPath,
                       mlir::MLIRContext &context);

/// Parses and checks the YAML description `text`; `bufferName` is the file
/// name the errors are located in.
mlir::FailureOr<MachineDescription>
parseMachineDescription(llvm::StringRef text, llvm::StringRef bufferName,
                        mlir::MLIRContext &context);

/// Writes `machine` as YAML that parseMachineDescription reads back, with
/// quantities in human units ("64 GB", "19.5 TFLOP/s").
void writeMachineDescription(const MachineDescription &machine,
                             llvm::raw_ostream &os);

} // namespace exaforge::plan

#endif // EXAFORGE_COMPILER_PLAN_MACHINEDESCRIPTION_H
