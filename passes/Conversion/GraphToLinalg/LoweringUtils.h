//===- LoweringUtils.h - Shared graph-to-linalg helpers ---------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Helpers shared by the graph-to-linalg pattern files: ONNX broadcasting
// indexing maps, `tensor.empty` creation with dynamic sizes, elementwise
// `linalg.generic` construction, copies that compute the coordinates they
// read (`createIndexedCopy`), and the signless views of unsigned integer
// tensors that arith ops need, and the failure of a pattern that cannot
// lower its op (`failLowering`). Internal to passes/Conversion/GraphToLinalg;
// keep changes additive, both pattern owners use it.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_PASSES_CONVERSION_GRAPHTOLINALG_LOWERINGUTILS_H
#define EXAFORGE_PASSES_CONVERSION_GRAPHTOLINALG_LOWERINGUTILS_H

#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

namespace exaforge::lowering {

/// Fails the lowering of `op`, which no pattern can lower, for `reason`
/// (e.g. an attribute or a type outside what the lowering supports): emits
/// "'<op>' op cannot be lowered to linalg: <reason>" as an error at the op,
/// so that the user reads why ahead of the dialect conversion's "failed to
/// legalize operation" (a `notifyMatchFailure` reason only reaches a debug
/// log), and reports `reason` to `rewriter` too. Returns failure(). Only the
/// one pattern of an op may use it: the error is final.
mlir::LogicalResult failLowering(mlir::RewriterBase &rewriter,
                                 mlir::Operation *op,
                                 const llvm::Twine &reason);

/// `axis` of `op` (negative values count from the back) as an index into
/// `rank` dimensions, or failLowering's failure naming the accepted range.
mlir::FailureOr<int64_t> normalizeAxisOrFail(mlir::RewriterBase &rewriter,
                                             mlir::Operation *op,
                                             int64_t axis, int64_t rank);

/// Builds the scalar body of an elementwise or reduction `linalg.generic`
/// from its block arguments (inputs first, then outputs) and returns the
/// value to yield.
using ScalarBodyBuilder = llvm::function_ref<mlir::Value(
    mlir::OpBuilder &, mlir::Location, mlir::ValueRange)>;

/// Creates `tensor.empty` of `type`; `dynamicSizes` holds one index value per
/// dynamic dimension of `type`, in order.
mlir::Value createEmptyTensor(mlir::OpBuilder &b, mlir::Location loc,
                              mlir::RankedTensorType type,
                              mlir::ValueRange dynamicSizes);

/// Creates `tensor.empty` of `type` followed by a `linalg.fill` with
/// `fillValue` (a scalar of the element type).
mlir::Value createFilledTensor(mlir::OpBuilder &b, mlir::Location loc,
                               mlir::RankedTensorType type,
                               mlir::ValueRange dynamicSizes,
                               mlir::Value fillValue);

/// Creates `tensor.empty` of `type` whose dimensions have the sizes `sizes`
/// (one per dimension; only the dynamic dimensions' entries are used).
mlir::Value createEmptyWithSizes(mlir::OpBuilder &b, mlir::Location loc,
                                 mlir::RankedTensorType type,
                                 llvm::ArrayRef<mlir::OpFoldResult> sizes);

/// Returns the static sizes of `sizes` (kDynamic where unknown).
llvm::SmallVector<int64_t>
getStaticSizes(llvm::ArrayRef<mlir::OpFoldResult> sizes);

/// Builds the body of a copy that reads one element of a source for each
/// result element: given the result's coordinates (`linalg.index`es), it
/// returns the element to write.
using ElementReader = llvm::function_ref<mlir::Value(
    mlir::OpBuilder &, mlir::Location, llvm::ArrayRef<mlir::Value>)>;

/// Creates a `linalg.generic` without inputs over a new tensor of `type` and
/// `sizes` whose element at each coordinate is `read(coordinates)`.
mlir::Value createIndexedCopy(mlir::OpBuilder &b, mlir::Location loc,
                              mlir::RankedTensorType type,
                              llvm::ArrayRef<mlir::OpFoldResult> sizes,
                              ElementReader read);

/// Returns the map that reads an operand of shape `operandShape` inside a
/// loop nest over `resultShape` under ONNX multidirectional broadcasting:
/// dimensions are right-aligned, and an operand dimension that is statically
/// 1 where the result dimension is not reads index 0. A dynamic operand
/// dimension is read as is, so the operand must have the result's size
/// there: an operand whose dynamic dimension may be 1 at run time while the
/// result's is not goes through createRuntimeBroadcast first.
mlir::AffineMap getBroadcastIndexingMap(llvm::ArrayRef<int64_t> operandShape,
                                        llvm::ArrayRef<int64_t> resultShape,
                                        mlir::MLIRContext *context);

/// Whether dimension `dimA` of the ranked tensor `a` and dimension `dimB` of
/// `b` provably have the same size: both static and equal, or both traced to
/// one dimension of one tensor. A size is traced through a destination-style
/// op's result (the size of its init), a `tensor.empty` (its size operand),
/// `tensor.dim` with a constant index, `tensor.cast`, `tensor.bitcast`
/// and `unrealized_conversion_cast` of a ranked tensor, `tensor.expand_shape`
/// (its output size operand) and `tensor.collapse_shape` (a dimension it
/// does not merge). So `x` and `sigmoid(x)` (an elementwise generic into
/// `tensor.empty(dim(x, 0))`) have the same size along a symbolic batch, and
/// so do `x` and its mean over the spatial dimensions with kept dimensions
/// (a reduction whose result is reshaped). False when unproven.
bool haveEqualSizes(mlir::Value a, int64_t dimA, mlir::Value b, int64_t dimB);

/// Returns `operand` broadcast at run time along its dimensions `dims`, whose
/// sizes are known only at run time: dimension `d` of the result has size
/// `sizes[d]` and reads the operand at index `dim(operand, d) == 1 ? 0 : i`
/// (ONNX broadcasting of a size-1 dimension), the other dimensions keep the
/// operand's size and read index `i`. The caller checks that each of `dims`
/// is 1 or `sizes[d]` at run time. A `linalg.generic` reading through
/// `tensor.extract`, so operands whose broadcast is decided at compile time
/// keep their plain indexing maps.
mlir::Value createRuntimeBroadcast(mlir::OpBuilder &b, mlir::Location loc,
                                   mlir::Value operand,
                                   llvm::ArrayRef<int64_t> dims,
                                   llvm::ArrayRef<mlir::OpFoldResult> sizes);

/// Returns the sizes of the dynamic dimensions of `resultType` as
/// `tensor.dim`s of the first of `operands` (right-aligned) whose dimension
/// is not statically 1, or the constant 1 when every operand has 1 there.
llvm::SmallVector<mlir::Value>
getBroadcastDynamicSizes(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::RankedTensorType resultType,
                         mlir::ValueRange operands);

/// Builds one all-parallel `linalg.generic` producing `resultType` from
/// `inputs`, each read through its broadcast map (see
/// getBroadcastIndexingMap). The body receives the input elements and the
/// (unused) output element. Dynamic result sizes come from the inputs.
mlir::Value createBroadcastElementwise(mlir::OpBuilder &b, mlir::Location loc,
                                       mlir::RankedTensorType resultType,
                                       mlir::ValueRange inputs,
                                       ScalarBodyBuilder bodyBuilder);

/// Returns `type` with an unsigned (or signed) integer element type replaced
/// by the signless integer of the same width; other types are returned as is.
mlir::RankedTensorType getSignlessTensorType(mlir::RankedTensorType type);

/// Returns `value` viewed as a tensor of signless elements (a
/// `tensor.bitcast` when its element type is signed or unsigned), since arith
/// ops only accept signless integers. `make-tensors-signless` removes these
/// bitcasts before bufferization.
mlir::Value castToSignless(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value value);

/// Returns `value` (a tensor of signless elements) as a tensor of `type`:
/// a `tensor.bitcast` when the element types differ in signedness, then a
/// `tensor.cast` when the shapes differ in staticness.
mlir::Value castToType(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::Value value, mlir::RankedTensorType type);

/// Creates a scalar constant `value` of the float or integer type `type`.
mlir::Value createScalarConstant(mlir::OpBuilder &b, mlir::Location loc,
                                 mlir::Type type, double value);

/// Returns `value` extended to f32 when it is a float narrower than 32 bits
/// (f16, bf16, ...), so that transcendental functions and accumulations run
/// in f32; returns it unchanged otherwise.
mlir::Value extendToF32IfNarrow(mlir::OpBuilder &b, mlir::Location loc,
                                mlir::Value value);

/// Returns the float `value` converted to the float type `type` (`extf` or
/// `truncf`, through f32 between two 16-bit types), unchanged when it already
/// has that type.
mlir::Value convertFloat(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Value value, mlir::Type type);

/// Returns the reassociation between a shape and the same shape with the
/// unit dimensions flagged in `inserted` (one flag per dimension of the
/// larger shape) added: each inserted dimension joins the group of the
/// preceding kept dimension, leading ones the first group. Empty when every
/// dimension is inserted (a rank-0 source).
llvm::SmallVector<mlir::ReassociationIndices>
getUnitDimReassociation(llvm::ArrayRef<bool> inserted);

/// Expands `value` with `tensor.expand_shape` by the unit dimensions flagged
/// in `inserted` (see getUnitDimReassociation); dynamic sizes come from
/// `tensor.dim` of `value`.
mlir::Value expandUnitDims(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value value, llvm::ArrayRef<bool> inserted);

/// Drops the unit dimensions flagged in `removed` from `value` with
/// `tensor.collapse_shape`.
mlir::Value collapseUnitDims(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::Value value, llvm::ArrayRef<bool> removed);

/// Drops from a matrix product's `result` ([batch..., M, N], `batchRank`
/// batch dimensions) the row and column dimensions that the ONNX 1-D
/// promotion added: M when the left operand was a vector, N when the right
/// one was. Returns `result` unchanged when neither was.
mlir::Value dropPromotedVectorDims(mlir::OpBuilder &b, mlir::Location loc,
                                   mlir::Value result, int64_t batchRank,
                                   bool lhsVector, bool rhsVector);

/// Returns the index `index` (an integer element of an indices tensor) into
/// a dimension of `size`: negative values count from the back and the result
/// is clamped into the dimension. An index out of range is not reported
/// here: lowerings that must report it check the indices first (see
/// IndexingToLinalg.cpp) and clamp so that the code stays inside its buffers.
mlir::Value wrapAndClampIndex(mlir::OpBuilder &b, mlir::Location loc,
                              mlir::Value index, mlir::Value size);

} // namespace exaforge::lowering

#endif // EXAFORGE_PASSES_CONVERSION_GRAPHTOLINALG_LOWERINGUTILS_H
