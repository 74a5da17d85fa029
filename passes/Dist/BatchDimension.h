//===- BatchDimension.h - The batch dimension of a model --------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Data parallelism and pipeline micro-batches both cut dimension 0 of every
// input and output of @main: the checks that it is a batch dimension.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_PASSES_DIST_BATCHDIMENSION_H
#define EXAFORGE_PASSES_DIST_BATCHDIMENSION_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace exaforge::dist {

/// Checks that every input and output of `main` has a symbolic
/// dimension 0, with the same ONNX symbol (`graph.dim_params`), or none, in
/// every input.
/// `purpose` begins the errors, e.g. "data parallelism" gives "data
/// parallelism splits dimension 0 of every input and output, but input 'x'
/// is a scalar"; each error names the input or output.
mlir::LogicalResult checkBatchDimensions(mlir::func::FuncOp main,
                                         llvm::StringRef purpose);

/// Checks that `main` holds no op whose result size depends on the data
/// (NonZero, Unique, NonMaxSuppression, Compress): their results gather the
/// samples of the whole batch (coordinates, distinct values, box indices),
/// so computing them on slices of the batch and concatenating the slices
/// would be wrong. `purpose` begins the error, which is at the op.
mlir::LogicalResult checkNoDataDependentSizes(mlir::func::FuncOp main,
                                              llvm::StringRef purpose);

/// Checks that `main` holds no op whose results on a slice of the batch are
/// not the slice of its results on the whole batch: training-mode
/// BatchNormalization (statistics over every sample), MaxPool's Indices
/// (counted from the start of the batch) and Dropout (draws numbered across
/// the batch, so that slices would draw the same masks). `purpose` begins
/// the error, which is at the op.
mlir::LogicalResult checkNoWholeBatchOps(mlir::func::FuncOp main,
                                         llvm::StringRef purpose);

/// How an input or output of `main` is named in diagnostics: "input 'x'",
/// or "output #1" when it has no ONNX name.
std::string describeMainValue(mlir::func::FuncOp main, bool isInput,
                              unsigned index);

} // namespace exaforge::dist

#endif // EXAFORGE_PASSES_DIST_BATCHDIMENSION_H
