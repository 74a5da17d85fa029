//===- ContractionsToLinalg.cpp - Graph contractions to linalg ------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Lowers MatMul and Gemm. MatMul promotes 1-D operands to matrices with
// `tensor.expand_shape` and drops the added dimension at the end. Matrix by
// matrix is `linalg.matmul`; a batched left operand times a matrix folds
// the batch into the rows of one `linalg.matmul`; equal batch dimensions
// are collapsed into one for `linalg.batch_matmul`; any other batch
// broadcast is a `linalg.generic` contraction with broadcast indexing maps.
// A batch dimension whose broadcast depends on sizes known only at run time
// (a symbol that may be 1) is decided by an `scf.if` per operand: an
// operand of the broadcast size is taken as is, one of size 1 is broadcast
// by a copy first, and sizes that do not broadcast fail a run-time check
// naming the node.
// Gemm is `linalg.matmul`, with transposes in its indexing maps; alpha, beta
// and C are applied by one elementwise generic. Accumulation happens in the
// element type.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/GraphToLinalg/GraphToLinalg.h"
#include "passes/Conversion/GraphToLinalg/LoweringUtils.h"
#include "passes/Conversion/GraphToLinalg/RuntimeParams.h"

#include "dialects/Graph/GraphOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace exaforge;
using namespace exaforge::lowering;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Returns `acc + lhs * rhs` for float or signless integer scalars.
Value buildMultiplyAccumulate(OpBuilder &b, Location loc, Value lhs, Value rhs,
                              Value acc) {
  if (isa<FloatType>(acc.getType()))
    return arith::AddFOp::create(b, loc, acc,
                                 arith::MulFOp::create(b, loc, lhs, rhs));
  return arith::AddIOp::create(b, loc, acc,
                               arith::MulIOp::create(b, loc, lhs, rhs));
}

/// Returns a zero-filled tensor of `type` with `dynamicSizes`.
Value createZeroTensor(OpBuilder &b, Location loc, RankedTensorType type,
                       ValueRange dynamicSizes) {
  Value zero = createScalarConstant(b, loc, type.getElementType(), 0.0);
  return createFilledTensor(b, loc, type, dynamicSizes, zero);
}

/// Builds a contraction `linalg.generic` over the loops `(parallel...,
/// reduction)` into the zero-filled `init`, reading `lhs` and `rhs` through
/// `lhsMap` and `rhsMap`.
Value createContractionGeneric(OpBuilder &b, Location loc, Value lhs, Value rhs,
                               Value init, AffineMap lhsMap, AffineMap rhsMap) {
  auto initType = cast<RankedTensorType>(init.getType());
  int64_t numLoops = lhsMap.getNumDims();
  SmallVector<utils::IteratorType> iterators(numLoops - 1,
                                             utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  // The output is indexed by every loop but the trailing reduction.
  AffineMap outMap = AffineMap::getMultiDimIdentityMap(numLoops, b.getContext())
                         .getMajorSubMap(numLoops - 1);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{initType}, ValueRange{lhs, rhs}, ValueRange{init},
      ArrayRef<AffineMap>{lhsMap, rhsMap, outMap}, iterators,
      [](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        linalg::YieldOp::create(nested, nestedLoc,
                                buildMultiplyAccumulate(nested, nestedLoc,
                                                        args[0], args[1],
                                                        args[2]));
      });
  return generic.getResult(0);
}

//===----------------------------------------------------------------------===//
// MatMul
//===----------------------------------------------------------------------===//

/// Creates `linalg.matmul` of `lhs` and `rhs` into `init`; a transposed
/// operand is read through the indexing maps (no transposed copy is made,
/// and the kernel call reads it as a transposed view).
Value createMatmul(OpBuilder &b, Location loc, Value lhs, Value rhs,
                   Value init, bool transposeLhs, bool transposeRhs) {
  SmallVector<NamedAttribute> attributes;
  if (transposeLhs || transposeRhs) {
    MLIRContext *context = b.getContext();
    AffineExpr m = getAffineDimExpr(0, context);
    AffineExpr n = getAffineDimExpr(1, context);
    AffineExpr k = getAffineDimExpr(2, context);
    auto map = [&](AffineExpr row, AffineExpr column) -> Attribute {
      return AffineMapAttr::get(AffineMap::get(3, 0, {row, column}, context));
    };
    attributes.push_back(b.getNamedAttr(
        "indexing_maps",
        b.getArrayAttr({transposeLhs ? map(k, m) : map(m, k),
                        transposeRhs ? map(n, k) : map(k, n), map(m, n)})));
  }
  return linalg::MatmulOp::create(b, loc, TypeRange{init.getType()},
                                  ValueRange{lhs, rhs}, ValueRange{init},
                                  attributes)
      .getResult(0);
}

/// When the right operand of `op` is a matrix transposed by
/// `graph.transpose {perm = [1, 0]}` (a tied embedding, `x @ W^T`), returns
/// the converted matrix before the transpose, which the product then reads
/// transposed: a constant weight is not copied on every run.
Value getTransposedMatrixSource(graph::MatMulOp op,
                                ConversionPatternRewriter &rewriter) {
  auto transpose = op.getRhs().getDefiningOp<graph::TransposeOp>();
  if (!transpose || transpose.getPerm() != ArrayRef<int64_t>{1, 0})
    return {};
  return rewriter.getRemappedValue(transpose.getInput());
}

/// A batch dimension of a MatMul that broadcasts or not depending on sizes
/// known only at run time: both operands have it, one of them dynamic and
/// the other not statically 1 (a dynamic size may be 1 there, or equal the
/// other's).
struct RuntimeBatchDim {
  /// The dimension in the (promoted) left operand.
  int64_t lhsDim;
  /// The dimension in the (promoted) right operand.
  int64_t rhsDim;
  /// The dimension in the broadcast batch.
  int64_t batchDim;
};

/// Lowers MatMul on float or signless integer operands (see the file
/// comment for the forms). Batch dimensions follow ONNX broadcasting: one
/// that is 1 only at run time broadcasts too (see lowerRuntimeBatches), and
/// sizes that do not broadcast fail a run-time check naming the node.
struct MatMulLowering : OpConversionPattern<graph::MatMulOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::MatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value lhs = adaptor.getLhs(), rhs = adaptor.getRhs();
    Type elementType = cast<RankedTensorType>(lhs.getType()).getElementType();
    if (auto intType = dyn_cast<IntegerType>(elementType);
        intType && !intType.isSignless())
      return lowering::failLowering(
          rewriter, op, "signed or unsigned integer MatMul is not supported");
    bool lhsVector = cast<RankedTensorType>(lhs.getType()).getRank() == 1;
    bool rhsVector = cast<RankedTensorType>(rhs.getType()).getRank() == 1;
    if (lhsVector)
      lhs = expandUnitDims(rewriter, loc, lhs, {true, false});
    if (rhsVector)
      rhs = expandUnitDims(rewriter, loc, rhs, {false, true});
    auto lhsType = cast<RankedTensorType>(lhs.getType());
    auto rhsType = cast<RankedTensorType>(rhs.getType());
    int64_t rhsRank = rhsType.getRank();
    // rhs keeps the logical [K, N] value for shapes; rhsSource is what the
    // product reads ([N, K] when transposedRhs).
    Value rhsSource = rhs;
    bool transposedRhs = false;
    if (Value source = rhsRank == 2 ? getTransposedMatrixSource(op, rewriter)
                                    : Value()) {
      rhsSource = source;
      transposedRhs = true;
    }
    FailureOr<SmallVector<int64_t>> batch =
        graph::broadcastShapes(std::nullopt, lhsType.getShape().drop_back(2),
                               rhsType.getShape().drop_back(2));
    if (failed(batch))
      return lowering::failLowering(rewriter, op,
                                   "batch dimensions do not broadcast");
    int64_t batchRank = batch->size();
    checkContractedSizes(rewriter, op, lhs, rhs, rhsSource, transposedRhs);

    SmallVector<RuntimeBatchDim> runtimeDims =
        findRuntimeBatchDims(lhsType, rhsType, batchRank);
    Value result =
        runtimeDims.empty()
            ? lowerProduct(rewriter, loc, lhs, rhs, rhsSource, transposedRhs,
                           *batch)
            : lowerRuntimeBatches(rewriter, op, lhs, rhs, *batch, runtimeDims);

    // Drop the dimensions added by the 1-D promotion.
    result = dropPromotedVectorDims(rewriter, loc, result, batchRank,
                                    lhsVector, rhsVector);
    rewriter.replaceOp(op, castToType(rewriter, loc, result,
                                      cast<RankedTensorType>(op.getType())));
    return success();
  }

  /// Returns the batch dimensions of the promoted operand types (`batchRank`
  /// of them once broadcast) that broadcast or not depending on run-time
  /// sizes (see RuntimeBatchDim). Every other batch dimension is decided by
  /// the types: statically 1 on one side, missing on one side, or static on
  /// both (checked by type inference).
  static SmallVector<RuntimeBatchDim>
  findRuntimeBatchDims(RankedTensorType lhsType, RankedTensorType rhsType,
                       int64_t batchRank) {
    SmallVector<RuntimeBatchDim> dims;
    int64_t lhsRank = lhsType.getRank(), rhsRank = rhsType.getRank();
    for (int64_t i = 0; i < batchRank; ++i) {
      int64_t lhsDim = i - (batchRank - (lhsRank - 2));
      int64_t rhsDim = i - (batchRank - (rhsRank - 2));
      if (lhsDim < 0 || rhsDim < 0)
        continue;
      int64_t l = lhsType.getDimSize(lhsDim), r = rhsType.getDimSize(rhsDim);
      if (l == 1 || r == 1 ||
          (!ShapedType::isDynamic(l) && !ShapedType::isDynamic(r)))
        continue;
      dims.push_back({lhsDim, rhsDim, i});
    }
    return dims;
  }

  /// Lowers the product of `lhs` and `rhs` (promoted operands; `rhsSource`
  /// is what it reads of `rhs`, see matchAndRewrite) whose batch
  /// dimensions broadcast as their types say, to `batch`: the static result
  /// batch. Returns a tensor of shape [batch..., M, N].
  static Value lowerProduct(OpBuilder &b, Location loc, Value lhs, Value rhs,
                            Value rhsSource, bool transposedRhs,
                            ArrayRef<int64_t> batch) {
    auto lhsType = cast<RankedTensorType>(lhs.getType());
    auto rhsType = cast<RankedTensorType>(rhs.getType());
    int64_t lhsRank = lhsType.getRank(), rhsRank = rhsType.getRank();
    int64_t batchRank = batch.size();
    SmallVector<int64_t> shape(batch);
    shape.push_back(lhsType.getDimSize(lhsRank - 2));
    shape.push_back(rhsType.getDimSize(rhsRank - 1));
    auto resultType = RankedTensorType::get(shape, lhsType.getElementType());
    // Only the matmul and generic forms build the result directly.
    auto getDynamicSizes = [&] {
      SmallVector<Value> dynamicSizes;
      for (int64_t i = 0; i < batchRank; ++i) {
        if (!ShapedType::isDynamic(shape[i]))
          continue;
        int64_t lhsDim = i - (batchRank - (lhsRank - 2));
        if (lhsDim >= 0 && lhsType.getDimSize(lhsDim) != 1)
          dynamicSizes.push_back(tensor::DimOp::create(b, loc, lhs, lhsDim));
        else
          dynamicSizes.push_back(tensor::DimOp::create(
              b, loc, rhs, i - (batchRank - (rhsRank - 2))));
      }
      if (ShapedType::isDynamic(shape[batchRank]))
        dynamicSizes.push_back(tensor::DimOp::create(b, loc, lhs, lhsRank - 2));
      if (ShapedType::isDynamic(shape[batchRank + 1]))
        dynamicSizes.push_back(
            transposedRhs ? tensor::DimOp::create(b, loc, rhsSource, 0)
                          : tensor::DimOp::create(b, loc, rhs, rhsRank - 1));
      return dynamicSizes;
    };

    if (lhsRank == 2 && rhsRank == 2) {
      Value init = createZeroTensor(b, loc, resultType, getDynamicSizes());
      return createMatmul(b, loc, lhs, rhsSource, init,
                          /*transposeLhs=*/false, transposedRhs);
    }
    // Fold the batch of the left operand into its rows.
    if (rhsRank == 2)
      return lowerBatchTimesMatrix(b, loc, lhs, rhsSource, transposedRhs,
                                   resultType);
    if (lhsRank == rhsRank &&
        !hasBroadcastBatchDim(lhsType.getShape().drop_back(2),
                              rhsType.getShape().drop_back(2)))
      return lowerEqualBatches(b, loc, lhs, rhs, resultType);
    MLIRContext *context = b.getContext();
    int64_t numLoops = batchRank + 3;
    auto operandMap = [&](RankedTensorType type, bool isLhs) {
      SmallVector<AffineExpr> exprs;
      AffineMap batchMap =
          getBroadcastIndexingMap(type.getShape().drop_back(2), batch, context);
      for (AffineExpr expr : batchMap.getResults())
        exprs.push_back(expr);
      AffineExpr m = getAffineDimExpr(batchRank, context);
      AffineExpr n = getAffineDimExpr(batchRank + 1, context);
      AffineExpr k = getAffineDimExpr(batchRank + 2, context);
      exprs.push_back(isLhs ? m : k);
      exprs.push_back(isLhs ? k : n);
      return AffineMap::get(numLoops, 0, exprs, context);
    };
    Value init = createZeroTensor(b, loc, resultType, getDynamicSizes());
    return createContractionGeneric(b, loc, lhs, rhs, init,
                                    operandMap(lhsType, true),
                                    operandMap(rhsType, false));
  }

  /// Lowers a product with batch dimensions `runtimeDims` whose broadcast
  /// is decided at run time (ONNX broadcasting, as onnxruntime does):
  /// checks that each pair of sizes is equal or has a 1, and gives each
  /// operand the broadcast sizes (see broadcastOperand: an `scf.if` that
  /// keeps the operand when it has them, the common case, and copies it
  /// broadcast otherwise). The operands then have types whose `runtimeDims`
  /// are those of `batch` (a static size on one side becomes the other's: a
  /// symbolic batch against a static one), and their product has no
  /// broadcast left to decide.
  static Value lowerRuntimeBatches(OpBuilder &b, graph::MatMulOp op, Value lhs,
                                   Value rhs, ArrayRef<int64_t> batch,
                                   ArrayRef<RuntimeBatchDim> runtimeDims) {
    Location loc = op.getLoc();
    auto lhsType = cast<RankedTensorType>(lhs.getType());
    auto rhsType = cast<RankedTensorType>(rhs.getType());
    SmallVector<int64_t> lhsShape(lhsType.getShape());
    SmallVector<int64_t> rhsShape(rhsType.getShape());
    SmallVector<int64_t> lhsDims, rhsDims;
    SmallVector<OpFoldResult> lhsTargets(lhsType.getRank());
    SmallVector<OpFoldResult> rhsTargets(rhsType.getRank());
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    for (const RuntimeBatchDim &dim : runtimeDims) {
      Value l = getValueOrCreateConstantIndexOp(
          b, loc, tensor::getMixedSize(b, loc, lhs, dim.lhsDim));
      Value r = getValueOrCreateConstantIndexOp(
          b, loc, tensor::getMixedSize(b, loc, rhs, dim.rhsDim));
      Value lhsIsOne =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, l, one);
      Value rhsIsOne =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, r, one);
      Value equal =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, l, r);
      createRuntimeCheck(
          b, op,
          arith::OrIOp::create(b, loc, equal,
                               arith::OrIOp::create(b, loc, lhsIsOne, rhsIsOne)),
          "batch dimension " + Twine(dim.lhsDim) + " of A and " +
              Twine(dim.rhsDim) +
              " of B do not broadcast (they differ and neither is 1)");
      // The broadcast size: the static one where a side has it, else the
      // other side's where one side is 1. After a failed check the operand
      // of another size is copied (as zeros, createRuntimeBroadcast reading
      // nothing outside it) to this size, so the product stays inside it.
      int64_t staticSize = batch[dim.batchDim];
      Value size = ShapedType::isDynamic(staticSize)
                       ? arith::SelectOp::create(b, loc, lhsIsOne, r, l)
                                 .getResult()
                       : arith::ConstantIndexOp::create(b, loc, staticSize)
                             .getResult();
      if (lhsType.isDynamicDim(dim.lhsDim)) {
        lhsDims.push_back(dim.lhsDim);
        lhsTargets[dim.lhsDim] = size;
      }
      if (rhsType.isDynamicDim(dim.rhsDim)) {
        rhsDims.push_back(dim.rhsDim);
        rhsTargets[dim.rhsDim] = size;
      }
      lhsShape[dim.lhsDim] = staticSize;
      rhsShape[dim.rhsDim] = staticSize;
    }
    Value left = broadcastOperand(b, loc, lhs, lhsDims, lhsTargets,
                                  lhsType.clone(lhsShape));
    Value right = broadcastOperand(b, loc, rhs, rhsDims, rhsTargets,
                                   rhsType.clone(rhsShape));
    return lowerProduct(b, loc, left, right, right, /*transposedRhs=*/false,
                        batch);
  }

  /// Returns `operand` as a tensor of `type` whose dimensions `dims` have
  /// the sizes `targets[d]` (`index` values; each is the operand's size or,
  /// after a run-time check, a size the operand's 1 broadcasts to): an
  /// `scf.if` on whether the operand already has them, which casts it as
  /// is, else copies it broadcast (createRuntimeBroadcast). Only a cast when
  /// `dims` is empty.
  static Value broadcastOperand(OpBuilder &b, Location loc, Value operand,
                                ArrayRef<int64_t> dims,
                                ArrayRef<OpFoldResult> targets,
                                RankedTensorType type) {
    if (dims.empty())
      return tensor::CastOp::create(b, loc, type, operand);
    Value hasTargets;
    for (int64_t d : dims) {
      Value equal = arith::CmpIOp::create(
          b, loc, arith::CmpIPredicate::eq,
          tensor::DimOp::create(b, loc, operand, d),
          getValueOrCreateConstantIndexOp(b, loc, targets[d]));
      hasTargets =
          hasTargets ? arith::AndIOp::create(b, loc, hasTargets, equal) : equal;
    }
    auto ifOp = scf::IfOp::create(
        b, loc, hasTargets,
        [&](OpBuilder &nested, Location nestedLoc) {
          scf::YieldOp::create(
              nested, nestedLoc,
              tensor::CastOp::create(nested, nestedLoc, type, operand)
                  .getResult());
        },
        [&](OpBuilder &nested, Location nestedLoc) {
          Value copy =
              createRuntimeBroadcast(nested, nestedLoc, operand, dims, targets);
          scf::YieldOp::create(
              nested, nestedLoc,
              tensor::CastOp::create(nested, nestedLoc, type, copy)
                  .getResult());
        });
    return ifOp.getResult(0);
  }

  /// Emits the run-time check that the contracted K of `lhs` and `rhs`
  /// (read from `rhsSource`, `[N, K]` when `transposedRhs`) are equal, where
  /// the types leave them dynamic (static sizes were checked by type
  /// inference). The library kernels reject mismatched sizes after a failed
  /// check; the message names the ONNX dimensions of A and B.
  static void checkContractedSizes(OpBuilder &b, graph::MatMulOp op, Value lhs,
                                   Value rhs, Value rhsSource,
                                   bool transposedRhs) {
    Location loc = op.getLoc();
    int64_t lhsRank = cast<RankedTensorType>(lhs.getType()).getRank();
    int64_t rhsRank = cast<RankedTensorType>(rhs.getType()).getRank();
    int64_t originalLhsRank =
        cast<RankedTensorType>(op.getLhs().getType()).getRank();
    int64_t originalRhsRank =
        cast<RankedTensorType>(op.getRhs().getType()).getRank();
    OpFoldResult lhsK = tensor::getMixedSize(b, loc, lhs, lhsRank - 1);
    OpFoldResult rhsK = transposedRhs
                            ? tensor::getMixedSize(b, loc, rhsSource, 1)
                            : tensor::getMixedSize(b, loc, rhs, rhsRank - 2);
    checkSameSize(b, op, lhsK, rhsK,
                  "dimension " + Twine(originalLhsRank - 1) +
                      " of A and dimension " +
                      Twine(originalRhsRank == 1 ? 0 : originalRhsRank - 2) +
                      " of B (the contracted sizes) differ");
  }

  /// Returns true when a batch dimension of one operand is statically 1
  /// where the other's is not, i.e. when the batches really broadcast.
  static bool hasBroadcastBatchDim(ArrayRef<int64_t> lhs,
                                   ArrayRef<int64_t> rhs) {
    for (auto [l, r] : llvm::zip_equal(lhs, rhs))
      if ((l == 1) != (r == 1))
        return true;
    return false;
  }

  /// Lowers `[B..., M, K] x [K, N]` as one `[B*...*M, K] x [K, N]`
  /// `linalg.matmul` and expands the rows back.
  static Value lowerBatchTimesMatrix(OpBuilder &b, Location loc, Value lhs,
                                     Value rhs, bool transposedRhs,
                                     RankedTensorType resultType) {
    auto lhsType = cast<RankedTensorType>(lhs.getType());
    int64_t rank = lhsType.getRank();
    ReassociationIndices rows;
    for (int64_t i = 0; i < rank - 1; ++i)
      rows.push_back(i);
    SmallVector<ReassociationIndices> reassociation = {rows, {rank - 1}};
    Value collapsed =
        tensor::CollapseShapeOp::create(b, loc, lhs, reassociation);
    auto collapsedType = cast<RankedTensorType>(collapsed.getType());
    auto matmulType = RankedTensorType::get(
        {collapsedType.getDimSize(0), resultType.getShape().back()},
        resultType.getElementType());
    SmallVector<Value> dynamicSizes;
    if (matmulType.isDynamicDim(0))
      dynamicSizes.push_back(tensor::DimOp::create(b, loc, collapsed, 0));
    if (matmulType.isDynamicDim(1))
      dynamicSizes.push_back(
          tensor::DimOp::create(b, loc, rhs, transposedRhs ? 0 : 1));
    Value init = createZeroTensor(b, loc, matmulType, dynamicSizes);
    Value product = createMatmul(b, loc, collapsed, rhs, init,
                                 /*transposeLhs=*/false, transposedRhs);
    SmallVector<OpFoldResult> outputShape = tensor::getMixedSizes(b, loc, lhs);
    outputShape.back() = tensor::getMixedSize(b, loc, product, 1);
    return tensor::ExpandShapeOp::create(b, loc, resultType, product,
                                         reassociation, outputShape);
  }

  /// Lowers `[B..., M, K] x [B..., K, N]` with equal batches as one
  /// `linalg.batch_matmul` over the collapsed batch.
  static Value lowerEqualBatches(OpBuilder &b, Location loc, Value lhs,
                                 Value rhs, RankedTensorType resultType) {
    int64_t rank = resultType.getRank();
    ReassociationIndices batch;
    for (int64_t i = 0; i < rank - 2; ++i)
      batch.push_back(i);
    SmallVector<ReassociationIndices> reassociation = {
        batch, {rank - 2}, {rank - 1}};
    Value lhs3 = lhs, rhs3 = rhs;
    if (rank != 3) {
      lhs3 = tensor::CollapseShapeOp::create(b, loc, lhs, reassociation);
      rhs3 = tensor::CollapseShapeOp::create(b, loc, rhs, reassociation);
    }
    auto lhs3Type = cast<RankedTensorType>(lhs3.getType());
    auto rhs3Type = cast<RankedTensorType>(rhs3.getType());
    auto bmmType =
        RankedTensorType::get({lhs3Type.getDimSize(0), lhs3Type.getDimSize(1),
                               rhs3Type.getDimSize(2)},
                              resultType.getElementType());
    SmallVector<Value> dynamicSizes;
    if (bmmType.isDynamicDim(0))
      dynamicSizes.push_back(tensor::DimOp::create(b, loc, lhs3, 0));
    if (bmmType.isDynamicDim(1))
      dynamicSizes.push_back(tensor::DimOp::create(b, loc, lhs3, 1));
    if (bmmType.isDynamicDim(2))
      dynamicSizes.push_back(tensor::DimOp::create(b, loc, rhs3, 2));
    Value init = createZeroTensor(b, loc, bmmType, dynamicSizes);
    Value product = linalg::BatchMatmulOp::create(
                        b, loc, ValueRange{lhs3, rhs3}, ValueRange{init})
                        .getResult(0);
    if (rank == 3)
      return castToType(b, loc, product, resultType);
    SmallVector<OpFoldResult> outputShape = tensor::getMixedSizes(b, loc, lhs);
    outputShape.back() = tensor::getMixedSize(b, loc, rhs, rank - 1);
    return tensor::ExpandShapeOp::create(b, loc, resultType, product,
                                         reassociation, outputShape);
  }
};

//===----------------------------------------------------------------------===//
// Gemm
//===----------------------------------------------------------------------===//

/// Lowers Gemm on floats: `alpha * op(A) * op(B) + beta * C`, with C
/// broadcast unidirectionally to `M x N`.
struct GemmLowering : OpConversionPattern<graph::GemmOp> {
  using OpConversionPattern::OpConversionPattern;

  /// Returns C ready to be read through its broadcast map inside a loop
  /// nest over `product` (M x N), with the run-time checks that it
  /// broadcasts there: a dynamic dimension of C must be 1 (then read
  /// through createRuntimeBroadcast) or the product's size; a static one
  /// other than 1 must equal a dynamic product size (a C of [P] with P = 1
  /// at run time used to be read as if it had N elements).
  static Value broadcastBiasAtRunTime(OpBuilder &b, Operation *op, Value c,
                                      Value product) {
    Location loc = op->getLoc();
    auto cType = cast<RankedTensorType>(c.getType());
    auto productType = cast<RankedTensorType>(product.getType());
    int64_t offset = productType.getRank() - cType.getRank();
    SmallVector<int64_t> dims;
    SmallVector<OpFoldResult> sizes(cType.getRank());
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    for (int64_t d = 0; d < cType.getRank(); ++d) {
      int64_t resultDim = d + offset;
      std::string message = ("dimension " + Twine(d) +
                             " of C is neither 1 nor dimension " +
                             Twine(resultDim) + " of the product")
                                .str();
      if (!cType.isDynamicDim(d)) {
        if (cType.getDimSize(d) != 1)
          checkSameSize(b, op, tensor::getMixedSize(b, loc, product, resultDim),
                        b.getIndexAttr(cType.getDimSize(d)), message);
        continue;
      }
      if (productType.getDimSize(resultDim) == 1)
        continue;
      Value size = tensor::DimOp::create(b, loc, c, d);
      Value target = tensor::DimOp::create(b, loc, product, resultDim);
      Value isOne = b.createOrFold<arith::CmpIOp>(
          loc, arith::CmpIPredicate::eq, size, one);
      Value isTarget = b.createOrFold<arith::CmpIOp>(
          loc, arith::CmpIPredicate::eq, size, target);
      createRuntimeCheck(b, op, b.createOrFold<arith::OrIOp>(loc, isOne, isTarget),
                         message);
      dims.push_back(d);
      sizes[d] = target;
    }
    if (dims.empty())
      return c;
    return createRuntimeBroadcast(b, loc, c, dims, sizes);
  }

  LogicalResult
  matchAndRewrite(graph::GemmOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value a = adaptor.getA(), b = adaptor.getB(), c = adaptor.getC();
    auto aType = cast<RankedTensorType>(a.getType());
    auto bType = cast<RankedTensorType>(b.getType());
    Type elementType = aType.getElementType();
    if (!isa<FloatType>(elementType))
      return lowering::failLowering(rewriter, op,
                                   "integer Gemm is not supported");
    bool transA = op.getTransA(), transB = op.getTransB();
    int64_t mDim = transA ? 1 : 0, nDim = transB ? 0 : 1;
    // The contracted sizes, when the types leave them dynamic.
    int64_t aK = 1 - mDim, bK = 1 - nDim;
    checkSameSize(rewriter, op, tensor::getMixedSize(rewriter, loc, a, aK),
                  tensor::getMixedSize(rewriter, loc, b, bK),
                  "dimension " + Twine(aK) + " of A and dimension " +
                      Twine(bK) + " of B (the contracted sizes) differ");
    auto resultType = RankedTensorType::get(
        {aType.getDimSize(mDim), bType.getDimSize(nDim)}, elementType);
    SmallVector<Value> dynamicSizes;
    if (resultType.isDynamicDim(0))
      dynamicSizes.push_back(tensor::DimOp::create(rewriter, loc, a, mDim));
    if (resultType.isDynamicDim(1))
      dynamicSizes.push_back(tensor::DimOp::create(rewriter, loc, b, nDim));
    Value init = createZeroTensor(rewriter, loc, resultType, dynamicSizes);

    // Transposed operands are expressed by the indexing maps of
    // linalg.matmul, so the product stays one named contraction (a oneDNN
    // call, reading the operand through a transposed view).
    Value product = createMatmul(rewriter, loc, a, b, init, transA, transB);

    double alpha = op.getAlpha().convertToDouble();
    double beta = op.getBeta().convertToDouble();
    bool useC = c && beta != 0.0;
    if (useC)
      c = broadcastBiasAtRunTime(rewriter, op, c, product);
    if (alpha != 1.0 || useC) {
      SmallVector<Value> inputs = {product};
      if (useC)
        inputs.push_back(c);
      product = createBroadcastElementwise(
          rewriter, loc, resultType, inputs,
          [&](OpBuilder &builder, Location bodyLoc, ValueRange args) -> Value {
            Value value = args[0];
            if (alpha != 1.0)
              value = arith::MulFOp::create(
                  builder, bodyLoc, value,
                  createScalarConstant(builder, bodyLoc, elementType, alpha));
            if (!useC)
              return value;
            Value bias = args[1];
            if (beta != 1.0)
              bias = arith::MulFOp::create(
                  builder, bodyLoc, bias,
                  createScalarConstant(builder, bodyLoc, elementType, beta));
            return arith::AddFOp::create(builder, bodyLoc, value, bias);
          });
    }
    rewriter.replaceOp(op, castToType(rewriter, loc, product,
                                      cast<RankedTensorType>(op.getType())));
    return success();
  }
};

} // namespace

void exaforge::populateGraphContractionsToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<MatMulLowering, GemmLowering>(patterns.getContext());
}
