//===- PlanCommand.cpp - `exaforge plan` and `compile --auto` -------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Imports the model, resolves the machine, runs the planner and prints its
// answer as a table or as JSON. A model that fits on no layout is an error
// that says how much memory the smallest layout needs per device.
//
//===----------------------------------------------------------------------===//

#include "compiler/Driver/PlanCommand.h"
#include "compiler/Driver/Driver.h"

#include "compiler/Plan/PlanModelFile.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace exaforge;
using namespace exaforge::driver;
using namespace exaforge::plan;

namespace {

/// Imports the model and plans it; prints errors (prefixed with `command`),
/// including the one for a model that fits nowhere.
std::optional<ModelPlan> planForCommand(llvm::StringRef command,
                                        llvm::StringRef modelPath,
                                        llvm::StringRef machineName,
                                        const PlannerOptions &options) {
  MLIRContext context;
  ScopedDiagnosticHandler handler(&context, [](Diagnostic &diag) {
    printDiagnosticLine(diag, llvm::errs());
    return success();
  });
  FailureOr<ModelPlan> plan =
      planModelFile(context, modelPath, machineName, options);
  if (failed(plan))
    return std::nullopt;
  if (plan->result.layouts.empty()) {
    llvm::errs() << "exaforge " << command << ": error: "
                 << describeNoFit(modelPath, *plan, options.nodes) << "\n";
    return std::nullopt;
  }
  return std::move(*plan);
}

/// The JSON object of one layout.
llvm::json::Object layoutToJson(const Layout &layout, int64_t rank) {
  llvm::json::Array stages;
  for (size_t start : layout.stageStarts)
    stages.push_back(static_cast<int64_t>(start));
  return llvm::json::Object{
      {"rank", rank},
      {"dp", layout.dp},
      {"tp", layout.tp},
      {"pp", layout.pp},
      {"microbatches", layout.microBatches},
      {"microbatch_size", layout.microBatchSize},
      {"stage_first_ops", std::move(stages)},
      {"predicted_step_seconds", layout.stepSeconds},
      {"compute_seconds", layout.computeSeconds},
      {"collective_seconds", layout.collectiveSeconds},
      {"send_recv_seconds", layout.sendRecvSeconds},
      {"bubble_seconds", layout.bubbleSeconds},
      {"memory_per_device_bytes", layout.memoryPerDeviceBytes},
      {"weight_bytes_per_device", layout.weightBytesPerDevice},
      {"activation_bytes_per_device", layout.activationBytesPerDevice},
      {"buffer_bytes_per_device", layout.bufferBytesPerDevice},
      {"comm_bytes_per_step", layout.commBytesPerStep()},
      {"tp_comm_bytes_per_step", layout.tpCommBytesPerStep},
      {"pp_comm_bytes_per_step", layout.ppCommBytesPerStep},
      {"tp_collectives_per_step", layout.tpCollectivesPerStep},
      {"tp_all_reduces_per_step", layout.tpAllReducesPerStep},
      {"tp_nodes_spanned", layout.tpGroup.nodes},
      {"why_not_best", layout.whyNotBest},
  };
}

/// Prints the answer as JSON.
void printJson(const PlanCommandOptions &options, const ModelPlan &answer,
               llvm::raw_ostream &os) {
  const PlanResult &result = answer.result;
  llvm::json::Array layouts;
  for (auto [index, layout] : llvm::enumerate(result.layouts)) {
    if (static_cast<int64_t>(index) >= options.top)
      break;
    layouts.push_back(layoutToJson(layout, static_cast<int64_t>(index) + 1));
  }
  llvm::json::Array notes;
  for (const std::string &note : result.notes)
    notes.push_back(note);
  llvm::json::Object document{
      {"model", options.modelPath},
      {"machine", answer.machine.name},
      {"nodes", options.nodes},
      {"devices_per_node", answer.machine.devicesPerNode},
      {"ranks", result.ranks},
      {"batch", result.batch},
      {"symbolic_batch", result.symbolicBatch},
      {"device_memory_bytes", answer.machine.device.memoryBytes},
      {"layouts_that_fit", static_cast<int64_t>(result.layouts.size())},
      {"layouts", std::move(layouts)},
      {"notes", std::move(notes)},
  };
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(document))) << "\n";
}

/// Prints the answer as a table.
void printTable(const PlanCommandOptions &options, const ModelPlan &answer,
                llvm::raw_ostream &os) {
  const PlanResult &result = answer.result;
  const MachineDescription &machine = answer.machine;
  os << "plan for " << llvm::sys::path::filename(options.modelPath) << " on "
     << machine.name << ": " << options.nodes << " node"
     << (options.nodes == 1 ? "" : "s") << " x " << machine.devicesPerNode
     << " devices = " << result.ranks << " ranks, batch " << result.batch
     << (result.symbolicBatch ? "" : " (static)") << ", "
     << formatBytes(machine.device.memoryBytes) << " per device\n";
  int64_t shown = std::min<int64_t>(
      options.top, static_cast<int64_t>(result.layouts.size()));
  if (result.layouts.size() == 1)
    os << "1 layout fits:\n";
  else
    os << result.layouts.size() << " layouts fit; the best " << shown << ":\n";
  os << llvm::format("%3s %4s %4s %4s %4s %12s %14s %12s  %s\n", "#", "dp",
                     "tp", "pp", "mb", "step", "memory/device", "comm/step",
                     "versus the best");
  for (int64_t i = 0; i < shown; ++i) {
    const Layout &layout = result.layouts[i];
    os << llvm::format(
        "%3lld %4lld %4lld %4lld %4lld %12s %14s %12s  %s\n",
        static_cast<long long>(i + 1), static_cast<long long>(layout.dp),
        static_cast<long long>(layout.tp), static_cast<long long>(layout.pp),
        static_cast<long long>(layout.microBatches),
        formatSeconds(layout.stepSeconds).c_str(),
        formatBytes(layout.memoryPerDeviceBytes).c_str(),
        formatBytes(layout.commBytesPerStep()).c_str(),
        i == 0 ? "best" : layout.whyNotBest.c_str());
  }
  for (const std::string &note : result.notes)
    os << "note: " << note << "\n";
}

} // namespace

int exaforge::driver::runPlanCommand(const PlanCommandOptions &options) {
  if (options.nodes < 1 || options.batch < 0 || options.top < 1 ||
      options.microBatches < 0) {
    llvm::errs() << "exaforge plan: error: --nodes and --top must be "
                    "positive, --batch and --microbatches positive when "
                    "given\n";
    return ExitUsage;
  }
  PlannerOptions plannerOptions;
  plannerOptions.nodes = options.nodes;
  plannerOptions.batch = options.batch;
  plannerOptions.microBatches = options.microBatches;
  plannerOptions.reportOpsWithoutShardingRule = true;
  std::optional<ModelPlan> answer = planForCommand(
      "plan", options.modelPath, options.machine, plannerOptions);
  if (!answer)
    return ExitFailure;
  if (options.json)
    printJson(options, *answer, llvm::outs());
  else
    printTable(options, *answer, llvm::outs());
  return ExitSuccess;
}

std::optional<AutoLayout> exaforge::driver::chooseAutoLayout(
    llvm::StringRef command, llvm::StringRef modelPath, llvm::StringRef machine,
    int64_t nodes, int64_t batch) {
  PlannerOptions options;
  options.nodes = nodes;
  options.batch = batch;
  std::optional<ModelPlan> answer =
      planForCommand(command, modelPath, machine, options);
  if (!answer)
    return std::nullopt;
  const Layout &best = answer->result.layouts.front();
  llvm::errs() << "exaforge " << command << ": --auto chose dp " << best.dp
               << " x tp " << best.tp << " x pp " << best.pp << " ("
               << best.microBatches << " micro-batch"
               << (best.microBatches == 1 ? "" : "es") << ") on " << nodes
               << " node" << (nodes == 1 ? "" : "s") << " of "
               << answer->machine.name << ": predicted "
               << formatSeconds(best.stepSeconds) << " per step, "
               << formatBytes(best.memoryPerDeviceBytes) << " per device\n";
  return AutoLayout{best, answer->machine.device.model,
                    answer->machine.device.cudaArch};
}
