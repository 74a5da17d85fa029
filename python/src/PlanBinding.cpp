//===- PlanBinding.cpp - exaforge._native.plan_model ----------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// `plan_model` runs `exaforge::plan::planModelFile` (compiler/Plan), the
// function `exaforge plan` calls, in this process without the Python lock,
// and returns the machine and the planner's layouts as plain dicts, or the
// diagnostics of a failure. The Python side (exaforge/plan.py) turns them
// into dataclasses and failures into `exaforge.PlanError`.
//
//===----------------------------------------------------------------------===//

#include "Bindings.h"
#include "CollectedDiagnostics.h"

#include "compiler/Compile/CrashRecovery.h"
#include "compiler/Plan/PlanModelFile.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <nanobind/stl/string.h>

#include <optional>
#include <string>
#include <vector>

namespace nb = nanobind;
using namespace exaforge;
using namespace exaforge::python;
using namespace exaforge::plan;

namespace {
/// The dict of one layout: the fields `exaforge plan --json` prints.
nb::dict layoutToDict(const Layout &layout) {
  nb::dict entry;
  entry["dp"] = layout.dp;
  entry["tp"] = layout.tp;
  entry["pp"] = layout.pp;
  entry["microbatches"] = layout.microBatches;
  entry["microbatch_size"] = layout.microBatchSize;
  nb::list stages;
  for (size_t start : layout.stageStarts)
    stages.append(static_cast<int64_t>(start));
  entry["stage_first_ops"] = stages;
  entry["predicted_step_seconds"] = layout.stepSeconds;
  entry["compute_seconds"] = layout.computeSeconds;
  entry["collective_seconds"] = layout.collectiveSeconds;
  entry["send_recv_seconds"] = layout.sendRecvSeconds;
  entry["bubble_seconds"] = layout.bubbleSeconds;
  entry["memory_per_device_bytes"] = layout.memoryPerDeviceBytes;
  entry["weight_bytes_per_device"] = layout.weightBytesPerDevice;
  entry["activation_bytes_per_device"] = layout.activationBytesPerDevice;
  entry["buffer_bytes_per_device"] = layout.bufferBytesPerDevice;
  entry["comm_bytes_per_step"] = layout.commBytesPerStep();
  entry["tp_comm_bytes_per_step"] = layout.tpCommBytesPerStep;
  entry["pp_comm_bytes_per_step"] = layout.ppCommBytesPerStep;
  entry["tp_collectives_per_step"] = layout.tpCollectivesPerStep;
  entry["tp_all_reduces_per_step"] = layout.tpAllReducesPerStep;
  entry["tp_nodes_spanned"] = layout.tpGroup.nodes;
  entry["why_not_best"] = layout.whyNotBest;
  return entry;
}

/// Plans the model at `modelPath` on `machine` (preset or file) for `nodes`
/// nodes. Options that are wrong before planning starts raise ValueError.
/// Returns `(plan, diagnostics)`: `plan` is None on failure, with the errors
/// and notes as `[dict(severity, file, line, column, node, message)]`;
/// otherwise a dict of the machine, the ranks, the batch and every layout that
/// fits, best first (or the no-fit message when none does).
nb::tuple planModelFileBinding(const std::string &modelPath,
                               const std::string &machine, int64_t nodes,
                               int64_t batch, int64_t microBatches) {
  if (nodes < 1)
    throw nb::value_error(
        ("nodes must be positive, got " + std::to_string(nodes)).c_str());
  if (batch < 0)
    throw nb::value_error(
        ("batch must be positive, got " + std::to_string(batch)).c_str());
  if (microBatches < 0)
    throw nb::value_error(
        ("microbatches must be positive, got " + std::to_string(microBatches))
            .c_str());
  PlannerOptions options;
  options.nodes = nodes;
  options.batch = batch;
  options.microBatches = microBatches;

  std::vector<CollectedDiagnostic> diagnostics;
  std::optional<ModelPlan> plan;
  {
    // Planning prices every layout on the per-rank program: other Python
    // threads run meanwhile.
    nb::gil_scoped_release release;
    // Planning runs the compiler's passes: a crash comes back here.
    std::optional<std::string> crash = runRecoveringFromCrash([&] {
      mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
      mlir::ScopedDiagnosticHandler handler(
          &context, [&](mlir::Diagnostic &diag) {
            // Remarks (such as ops replicated by tensor parallelism) are not
            // asked for; warnings do not fail the plan.
            if (diag.getSeverity() != mlir::DiagnosticSeverity::Error)
              return mlir::success();
            collectDiagnostic(diag, diagnostics);
            return mlir::success();
          });
      mlir::FailureOr<ModelPlan> result =
          planModelFile(context, modelPath, machine, options);
      if (mlir::succeeded(result))
        plan = std::move(*result);
    });
    if (crash) {
      plan.reset();
      diagnostics.push_back(
          describeInternalError(modelPath, "planning", *crash));
    }
  }
  nb::list diagnosticList = toPythonList(diagnostics);
  if (!plan)
    return nb::make_tuple(nb::none(), diagnosticList);

  nb::dict answer;
  answer["machine"] = plan->machine.name;
  answer["devices_per_node"] = plan->machine.devicesPerNode;
  answer["device_memory_bytes"] = plan->machine.device.memoryBytes;
  answer["ranks"] = plan->result.ranks;
  answer["batch"] = plan->result.batch;
  answer["symbolic_batch"] = plan->result.symbolicBatch;
  nb::list layouts;
  for (const Layout &layout : plan->result.layouts)
    layouts.append(layoutToDict(layout));
  answer["layouts"] = layouts;
  nb::list notes;
  for (const std::string &note : plan->result.notes)
    notes.append(note);
  answer["notes"] = notes;
  answer["no_fit"] = plan->result.layouts.empty()
                         ? describeNoFit(modelPath, *plan, nodes)
                         : std::string();
  return nb::make_tuple(answer, diagnosticList);
}
} // namespace

void exaforge::python::bindPlan(nb::module_ &module) {
  module.def("plan_model", &planModelFileBinding, nb::arg("model_path"),
             nb::arg("machine"), nb::arg("nodes"), nb::arg("batch"),
             nb::arg("microbatches"),
             "Plans an ONNX model file on a machine (preset or file); "
             "returns (plan or None, diagnostics).");
}
