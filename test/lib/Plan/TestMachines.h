//===- TestMachines.h - Fixed machine descriptions for tests ----*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Machine descriptions with fixed, round figures, named `test-*`, so that
// the planner's tests do not change when the figures of a real preset are
// revised. They are not models of real machines. They are the YAML files of
// test/Driver/Inputs/machines: the lit tests pass them with `--machine
// FILE`, and the test library ExaforgeTestPlan embeds them for the unit
// tests. The compiler does not know them.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_TEST_LIB_PLAN_TESTMACHINES_H
#define EXAFORGE_TEST_LIB_PLAN_TESTMACHINES_H

#include "compiler/Plan/MachineDescription.h"

#include "llvm/ADT/StringRef.h"

#include <optional>

namespace exaforge::plan {

/// The machine of test/Driver/Inputs/machines/`name`.yaml, if there is one
/// and it parses (errors go to stderr), e.g.:
/// - `test-gpu4`: 64 nodes of 4 GPUs (64 GiB, 1.6 TB/s, 20 TFLOP/s f32 and
///   300 TFLOP/s bf16 at efficiency 0.5), 100 GB/s and 2 us between the GPUs
///   of a node, 25 GB/s and 5 us per node between nodes.
/// - `test-gpu4-6mib`, `test-gpu4-2048mib`, `test-gpu4-4096mib`: the same
///   with less memory per GPU, for models small enough for a test yet too
///   large for one device.
std::optional<MachineDescription> getTestMachine(llvm::StringRef name);

} // namespace exaforge::plan

#endif // EXAFORGE_TEST_LIB_PLAN_TESTMACHINES_H
