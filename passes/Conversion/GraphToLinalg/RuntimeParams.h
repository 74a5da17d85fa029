//===- RuntimeParams.h - Layout parameters read at run time -----*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Helpers for lowering ops whose layout parameters (Slice's starts, ends,
// axes and steps, Squeeze's and Unsqueeze's axes, Split's sizes, the
// reductions' axes, CumSum's axis) are tensors known only at run time:
// reading their entries as `index` values, normalizing and checking axes,
// choosing among values by a run-time position, and emitting the run-time
// checks that report values ONNX rejects (also those of indices that data
// tensors hold, and of sizes the compiler could not prove equal).
//
// A check is a `cf.assert` whose message names the ONNX node and op
// ("node 'Squeeze_0': Squeeze: ..."). Under mlir-runner a failed check
// aborts; the exaforge pipeline turns each check into a call that records
// the message (`convert-asserts-to-runtime-calls`), the run goes on, and the
// runtime fails it with that message. So the code after a check must stay
// inside its buffers whatever the values: the lowerings clamp what they
// compute from the parameters, and fall back to valid values where a check
// failed. Internal to passes/Conversion/GraphToLinalg.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_PASSES_CONVERSION_GRAPHTOLINALG_RUNTIMEPARAMS_H
#define EXAFORGE_PASSES_CONVERSION_GRAPHTOLINALG_RUNTIMEPARAMS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/Twine.h"

namespace exaforge::lowering {

/// Returns the ONNX op type of the graph op `op` ("ReduceSum" for
/// `graph.reduce_sum`; "DFT" for `graph.dft`).
std::string getOnnxOpType(mlir::Operation *op);

/// Emits a run-time check at `op`'s location that `condition` (an `i1`)
/// holds, with the message "node '<name>': <OpType>: <message>" (without the
/// node part when the location names no node). A condition that folds to
/// true emits nothing.
void createRuntimeCheck(mlir::OpBuilder &b, mlir::Operation *op,
                        mlir::Value condition, const llvm::Twine &message);

/// Emits a run-time check of `op` that the sizes `size` and `expected`
/// (`index` values or constants) are equal, with `message`. Emits nothing
/// when both are the same constant or the same value.
void checkSameSize(mlir::OpBuilder &b, mlir::Operation *op,
                   mlir::OpFoldResult size, mlir::OpFoldResult expected,
                   const llvm::Twine &message);

/// Decides whether one element of an indices tensor is valid, given the
/// element and its coordinates; returns an `i1`.
using ElementPredicate =
    llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location,
                                   mlir::Value, llvm::ArrayRef<mlir::Value>)>;

/// Emits a run-time check of `op` that `isValid` holds for every element of
/// `tensor`, with `message`: an `and` reduction of `tensor` by a
/// `linalg.generic`, then one check of its result.
void checkEveryElement(mlir::OpBuilder &b, mlir::Operation *op,
                       mlir::Value tensor, ElementPredicate isValid,
                       const llvm::Twine &message);

/// Returns whether the integer `index` is in `[-size, size)` (the indices
/// ONNX accepts for a dimension of `size`, an `index` value; negative ones
/// count from the back).
mlir::Value isIndexInRange(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value index, mlir::Value size);

/// Returns the indices ONNX accepts for a dimension of `size` as text, for
/// run-time check messages: "[-4, 3]" for a static 4, "[-n, n-1] (n the
/// size of the axis)" for a dynamic one.
std::string formatIndexRange(mlir::OpFoldResult size);

/// Returns entry `index` of the 1-D integer tensor `vector` as an `index`
/// value.
mlir::Value extractIndex(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Value vector, int64_t index);

/// Returns the entries of the 1-D integer tensor `vector` (the lowered value
/// of the op operand `original`), whose length must be static, as `index`
/// values: constants when the operand is a constant, `tensor.extract`s
/// otherwise.
llvm::SmallVector<mlir::Value> readIndexEntries(mlir::OpBuilder &b,
                                                mlir::Location loc,
                                                mlir::Value original,
                                                mlir::Value vector);

/// Returns `candidates[position]` for the run-time `index` value `position`,
/// or `fallback` when it is outside the candidates (a chain of selects).
mlir::Value selectByPosition(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::Value position,
                             llvm::ArrayRef<mlir::Value> candidates,
                             mlir::Value fallback);

/// Axes of a rank-`rank` tensor read at run time (see readRuntimeAxes).
struct RuntimeAxes {
  /// Each entry made non-negative (an entry outside [-rank, rank) stays
  /// outside [0, rank) and so lists no dimension).
  llvm::SmallVector<mlir::Value> axes;
  /// One `i1` per dimension: whether an entry lists it. When the entries
  /// are not valid this falls back to the first `axes.size()` dimensions
  /// (or all of them), so code sized by it stays consistent.
  llvm::SmallVector<mlir::Value> listed;
  /// `i1`: every entry is in [-rank, rank) and no dimension is listed twice.
  mlir::Value valid;
};

/// Normalizes the axis `entries` (`index` values) of a rank-`rank` tensor
/// and emits the checks that each is in range and none repeats, naming the
/// operand `operandName` of `op` in the messages.
RuntimeAxes readRuntimeAxes(mlir::OpBuilder &b, mlir::Operation *op,
                            llvm::ArrayRef<mlir::Value> entries, int64_t rank,
                            llvm::StringRef operandName);

/// Returns `value` as a tensor of `type` (same element type and rank). Where
/// `type` declares a static size that `value` does not have statically,
/// emits a check that the sizes agree (naming the tensor `what`, e.g.
/// "result") and copies `value` into a new tensor of the declared shape, so
/// that after a failed check the code using the declared size stays inside
/// its buffer (no copy is made when the static sizes already agree: a
/// `tensor.cast`).
mlir::Value castToDeclaredShape(mlir::OpBuilder &b, mlir::Operation *op,
                                mlir::Value value, mlir::RankedTensorType type,
                                llvm::StringRef what);

/// Reshapes the row-major `input` to `type` with the sizes `sizes` (one
/// `index` value per dimension, whose product equals the input's element
/// count, or is smaller after a failed check): `tensor.reshape` with the
/// sizes as a shape tensor, a view of `input` after bufferization.
mlir::Value reshapeToSizes(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value input, mlir::RankedTensorType type,
                           llvm::ArrayRef<mlir::OpFoldResult> sizes);

} // namespace exaforge::lowering

#endif // EXAFORGE_PASSES_CONVERSION_GRAPHTOLINALG_RUNTIMEPARAMS_H
