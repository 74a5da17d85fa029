//===- PlanModelFile.h - Planning a model file on a machine -----*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The library entry point behind `exaforge plan`, `exaforge compile --auto`
// and `exaforge.plan` in Python: loads a machine (preset or description
// file), imports an ONNX model's shapes (never its weights) and plans it
// (Planner.h).
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_COMPILER_PLAN_PLANMODELFILE_H
#define EXAFORGE_COMPILER_PLAN_PLANMODELFILE_H

#include "compiler/Plan/MachineDescription.h"
#include "compiler/Plan/Planner.h"

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace mlir {
class MLIRContext;
} // namespace mlir

namespace exaforge::plan {

/// A machine and the planner's answer for it.
struct ModelPlan {
  MachineDescription machine;
  PlanResult result;
};

/// Plans the ONNX model at `modelPath` (`.onnx` or `.onnxtext`) on `machine`
/// (a preset name or a description file) with `options`. Every problem (an
/// unknown preset, a bad description field, a model that cannot be imported
/// or analysed) is emitted as an error on `context` and fails. A model that
/// fits on no layout is not a failure: `result.layouts` is then empty (see
/// describeNoFit).
mlir::FailureOr<ModelPlan> planModelFile(mlir::MLIRContext &context,
                                         llvm::StringRef modelPath,
                                         llvm::StringRef machine,
                                         const PlannerOptions &options);

/// The sentence saying that the model at `modelPath` fits on no layout of
/// `plan` (whose `result.layouts` is empty), with what the layout needing the
/// least memory needs per device, e.g. "m.onnx does not fit on 2 nodes of
/// lumi-g (16 ranks): the layout needing the least memory, dp 1 x tp 16 x
/// pp 1, needs 70 GiB per device (...), a device has 64 GiB".
std::string describeNoFit(llvm::StringRef modelPath, const ModelPlan &plan,
                          int64_t nodes);

} // namespace exaforge::plan

#endif // EXAFORGE_COMPILER_PLAN_PLANMODELFILE_H
