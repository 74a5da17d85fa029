//===- GraphTypeInference.h - Shared graph type inference -------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Free functions that infer the result types of graph ops and verify their
// operands on the way. They report problems with `emitOptionalError`, so the
// same code serves op builders (no location: silent failure) and verifiers
// (with a location: a diagnostic). Ops generated from GraphOps.td call them
// from their `inferReturnTypes`.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_DIALECTS_GRAPH_GRAPHTYPEINFERENCE_H
#define EXAFORGE_DIALECTS_GRAPH_GRAPHTYPEINFERENCE_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/TypeRange.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <string>

namespace exaforge::graph {

/// Largest constant, in elements, that folds create by expanding data (and
/// that the ONNX importer folds ops into).
inline constexpr int64_t kMaxFoldedElements = 1024;

/// Returns the type of `value`, an operand or result of a graph op, whose
/// operands and results are all ranked tensors.
inline mlir::RankedTensorType tensorTypeOf(mlir::Value value) {
  return llvm::cast<mlir::RankedTensorType>(value.getType());
}

/// Formats a shape for diagnostics as `[2, ?, 8]`.
std::string formatShape(llvm::ArrayRef<int64_t> shape);

/// Returns true when every inferred type is a ranked tensor with the same
/// element type and rank as the actual type and no static dimension of one
/// contradicts the other.
bool areCompatibleTensorTypes(mlir::TypeRange inferred, mlir::TypeRange actual);

/// Returns the values of `value` when it is produced by a constant op holding
/// a dense integer tensor, sign-extended to 64 bits.
std::optional<llvm::SmallVector<int64_t>>
getConstantIntValues(mlir::Value value);

/// Returns the value of `value`, as a double, when it is produced by a
/// constant op holding a one-element integer or floating-point tensor.
std::optional<double> getConstantScalar(mlir::Value value);

/// Returns the values of `value`, as doubles, when it is produced by a
/// constant op holding a dense floating-point tensor.
std::optional<llvm::SmallVector<double>>
getConstantFloatValues(mlir::Value value);

/// The bound of every dimension size computed in floating point, 2^62: a
/// 64-bit machine holds no larger dimension, and it is exact in double, so
/// a size below it converts to int64_t without undefined behaviour.
inline constexpr double kFloatDimensionSizeBound = 4611686018427387904.0;

/// Converts `size`, a whole number computed in floating point, to a
/// dimension size. Returns std::nullopt when it is negative, not a number, or
/// not below kFloatDimensionSizeBound, where converting it to an integer
/// would be undefined or meaningless.
std::optional<int64_t> getDimensionSizeFromFloat(double size);

/// The size of a dimension of `inputSize` elements resized by `scale`
/// (ONNX Resize): `floor(inputSize * scale)`, computed in double. Returns
/// std::nullopt when that size is not a number or too large for a tensor
/// dimension (an infinite or huge scale).
std::optional<int64_t> getResizedSize(int64_t inputSize, double scale);

/// Brings `axis` into `[0, rank)` (negative axes count from the back), or
/// fails with a diagnostic naming `what` when it is out of range.
mlir::FailureOr<int64_t> normalizeAxis(std::optional<mlir::Location> loc,
                                       int64_t axis, int64_t rank,
                                       llvm::StringRef what = "axis");

/// The elements of one dimension that a Slice selects: `count` elements from
/// `start` on, `step` apart.
struct SliceBounds {
  int64_t start = 0;
  int64_t count = 0;
};

/// The elements `start:end:step` selects along a dimension of static size
/// `dim`, with ONNX's (numpy's) clamping: negative bounds count from the
/// back; with a positive step both bounds are clamped into [0, dim], with a
/// negative one `start` into [0, dim - 1] and `end` into [-1, dim - 1].
/// `step` must not be 0. The one definition of Slice's static ranges, for
/// type inference and the lowering.
SliceBounds getStaticSliceBounds(int64_t dim, int64_t start, int64_t end,
                                 int64_t step);

/// The dimensions `[first, last)` of a rank-`rank` shape that Shape's
/// `start` and `end` attributes select (`end` absent: up to the rank):
/// negative values count from the back and both are clamped into
/// [0, rank]; `last` is at least `first`. For Shape's type inference, fold
/// and lowering.
std::pair<int64_t, int64_t> getShapeOpRange(int64_t rank, int64_t start,
                                            std::optional<int64_t> end);

/// Computes the ONNX multidirectional broadcast of two shapes; dynamic
/// dimensions stay dynamic unless the other side fixes them.
mlir::FailureOr<llvm::SmallVector<int64_t>>
broadcastShapes(std::optional<mlir::Location> loc, llvm::ArrayRef<int64_t> lhs,
                llvm::ArrayRef<int64_t> rhs);

/// How the element type of a broadcasting binary op's result is chosen.
enum class BinaryResultKind {
  /// Both operands and the result share one element type (Add, Mul, ...).
  SameElementType,
  /// Both operands share one element type; the result is `i1` (Equal).
  Comparison,
  /// The result has the left operand's element type (Pow).
  LhsElementType,
};

/// Infers the result of a broadcasting binary op: the broadcast shape with
/// the element type that `kind` selects.
mlir::LogicalResult
inferBroadcastBinaryResult(std::optional<mlir::Location> loc, mlir::Value lhs,
                           mlir::Value rhs, BinaryResultKind kind,
                           llvm::SmallVectorImpl<mlir::Type> &types);

/// Infers the result of Clip: the input's type. The optional bounds `min`
/// and `max` must have the input's element type and at most one element.
mlir::LogicalResult inferClipResult(std::optional<mlir::Location> loc,
                                    mlir::Value input, mlir::Value min,
                                    mlir::Value max,
                                    llvm::SmallVectorImpl<mlir::Type> &types);

/// Infers the result of a reduction (ReduceSum, ReduceMax, ...) over the
/// optional `axes`.
mlir::LogicalResult inferReduceResult(std::optional<mlir::Location> loc,
                                      mlir::Value data, mlir::Value axes,
                                      bool keepdims, bool noopWithEmptyAxes,
                                      llvm::SmallVectorImpl<mlir::Type> &types);

/// Infers the result of ArgMax/ArgMin along `axis`: the `i64` tensor of the
/// data shape without (or, with `keepdims`, with size 1 in) that dimension.
mlir::LogicalResult
inferArgReduceResult(std::optional<mlir::Location> loc, mlir::Value data,
                     int64_t axis, bool keepdims,
                     llvm::SmallVectorImpl<mlir::Type> &types);

} // namespace exaforge::graph

#endif // EXAFORGE_DIALECTS_GRAPH_GRAPHTYPEINFERENCE_H
