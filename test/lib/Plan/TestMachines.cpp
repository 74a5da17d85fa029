//===- TestMachines.cpp - Fixed machine descriptions for tests ------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "test/lib/Plan/TestMachines.h"

using namespace exaforge;
using namespace exaforge::plan;

/// `test-gpu4` (see getTestMachine).
static MachineDescription makeTestGpu4() {
  MachineDescription machine;
  machine.name = "test-gpu4";
  machine.source = "test fixture (round figures, not a real machine)";
  machine.nodes = 64;
  machine.devicesPerNode = 4;
  machine.cpuCoresPerNode = 32;
  machine.device.model = "test GPU";
  machine.device.peakFlopsPerSecond["f32"] = 20e12;
  machine.device.peakFlopsPerSecond["bf16"] = 300e12;
  machine.device.matmulEfficiency = 0.5;
  machine.device.memoryBytes = 64.0 * (1ull << 30);
  machine.device.memoryBandwidth = 1.6e12;
  machine.intraNode = {100e9, 2e-6};
  machine.interNode = {25e9, 5e-6};
  return machine;
}

std::optional<MachineDescription> plan::getTestMachine(llvm::StringRef name) {
  if (name == "test-gpu4")
    return makeTestGpu4();
  // test-gpu4-<N>mib: N MiB per device.
  llvm::StringRef size = name;
  unsigned mebibytes = 0;
  if (size.consume_front("test-gpu4-") && size.consume_back("mib") &&
      !size.getAsInteger(10, mebibytes) && mebibytes > 0) {
    MachineDescription machine = makeTestGpu4();
    machine.name = name.str();
    machine.device.memoryBytes = static_cast<double>(mebibytes) * (1 << 20);
    return machine;
  }
  return std::nullopt;
}
