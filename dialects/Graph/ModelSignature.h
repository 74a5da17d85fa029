//===- ModelSignature.h - The model function and its weights ----*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The importer makes one function per model, `@main`. Its arguments are the
// model's inputs, followed, once `graph-outline-weights` has run, by its
// weights: arguments that carry the weight's name and global value. Every
// pass, the planner and the driver find the model function and tell weights
// from inputs through the accessors below, the only code that spells these
// attribute names.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_DIALECTS_GRAPH_MODELSIGNATURE_H
#define EXAFORGE_DIALECTS_GRAPH_MODELSIGNATURE_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/Support/LLVM.h"

namespace mlir {
class ModuleOp;
namespace func {
class FuncOp;
} // namespace func
} // namespace mlir

namespace exaforge::graph {

/// The name of the model function the importer creates.
inline constexpr llvm::StringLiteral kModelFunctionName = "main";

/// Returns the model function of `module`, or null when it has none.
mlir::func::FuncOp lookupModelFunction(mlir::ModuleOp module);

/// Returns the argument attributes of a weight argument named `name` whose
/// global value is `value` (its type is the type of the argument, unless the
/// weight is sharded over ranks).
mlir::DictionaryAttr getWeightArgumentAttrs(mlir::MLIRContext *context,
                                            llvm::StringRef name,
                                            mlir::ElementsAttr value);

/// Whether argument `index` of `func` is a weight rather than an input.
bool isWeightArgument(mlir::func::FuncOp func, unsigned index);

/// The name of weight argument `index` of `func`, or null when the argument
/// is not a weight.
mlir::StringAttr getWeightName(mlir::func::FuncOp func, unsigned index);

/// The global value of weight argument `index` of `func`, or null when the
/// argument is not a weight.
mlir::ElementsAttr getWeightValue(mlir::func::FuncOp func, unsigned index);

} // namespace exaforge::graph

#endif // EXAFORGE_DIALECTS_GRAPH_MODELSIGNATURE_H
