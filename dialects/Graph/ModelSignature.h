//===- ModelSignature.h - The model function and its weights ----*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The importer makes one function per model, `@main`, whose arguments are
// the model's inputs. Its weights, once `graph-outline-weights` has run, are
// `graph.weight` symbols of the module that `@main` reads through
// `graph.weight_ref` ops; `artifact-prepare-entry-point` turns them into
// trailing arguments of the compiled entry point, in the order of the
// module. Every pass, the planner and the driver find the model function and
// declare weights through the functions below, and list the weights with
// `module.getOps<graph::WeightOp>()`.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_DIALECTS_GRAPH_MODELSIGNATURE_H
#define EXAFORGE_DIALECTS_GRAPH_MODELSIGNATURE_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/Support/LLVM.h"

namespace mlir {
class Location;
class ModuleOp;
class RankedTensorType;
namespace func {
class FuncOp;
} // namespace func
} // namespace mlir

namespace exaforge::graph {
class WeightOp;

/// The name of the model function the importer creates.
inline constexpr llvm::StringLiteral kModelFunctionName = "main";

/// Returns the model function of `module`, or null when it has none.
mlir::func::FuncOp lookupModelFunction(mlir::ModuleOp module);

/// Declares a weight of type `type` whose global value is `value` at the end
/// of `module` (so weights keep the order in which they are declared). It is
/// named `name`, or `name.<N>` with the first free N when a symbol of the
/// module has that name already.
WeightOp declareWeight(mlir::ModuleOp module, llvm::StringRef name,
                       mlir::RankedTensorType type, mlir::ElementsAttr value,
                       mlir::Location loc);

} // namespace exaforge::graph

#endif // EXAFORGE_DIALECTS_GRAPH_MODELSIGNATURE_H
