//===- LoweringUtils.cpp - Shared graph-to-linalg helpers -----------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements the lowering failures, broadcasting, tensor creation, indexed
// copy and signless-view helpers of LoweringUtils.h.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/GraphToLinalg/LoweringUtils.h"

#include "dialects/Graph/GraphTypeInference.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

namespace exaforge::lowering {

LogicalResult failLowering(RewriterBase &rewriter, Operation *op,
                           const Twine &reason) {
  (void)rewriter.notifyMatchFailure(op, reason);
  return op->emitOpError("cannot be lowered to linalg: ") << reason;
}

FailureOr<int64_t> normalizeAxisOrFail(RewriterBase &rewriter, Operation *op,
                                       int64_t axis, int64_t rank) {
  // Without a location, graph::normalizeAxis only checks the range.
  FailureOr<int64_t> normalized =
      graph::normalizeAxis(/*loc=*/std::nullopt, axis, rank);
  if (failed(normalized))
    return failLowering(rewriter, op,
                        "axis " + Twine(axis) + " is out of the range [" +
                            Twine(-rank) + ", " + Twine(rank - 1) + "]");
  return normalized;
}

Value createEmptyTensor(OpBuilder &b, Location loc, RankedTensorType type,
                        ValueRange dynamicSizes) {
  return tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType(),
                                 dynamicSizes);
}

Value createFilledTensor(OpBuilder &b, Location loc, RankedTensorType type,
                         ValueRange dynamicSizes, Value fillValue) {
  Value empty = createEmptyTensor(b, loc, type, dynamicSizes);
  return linalg::FillOp::create(b, loc, fillValue, empty).getResult(0);
}

Value createEmptyWithSizes(OpBuilder &b, Location loc, RankedTensorType type,
                           ArrayRef<OpFoldResult> sizes) {
  SmallVector<Value> dynamicSizes;
  for (auto [i, size] : llvm::enumerate(sizes))
    if (type.isDynamicDim(i))
      dynamicSizes.push_back(getValueOrCreateConstantIndexOp(b, loc, size));
  return createEmptyTensor(b, loc, type, dynamicSizes);
}

SmallVector<int64_t> getStaticSizes(ArrayRef<OpFoldResult> sizes) {
  SmallVector<int64_t> shape;
  for (OpFoldResult size : sizes)
    shape.push_back(getConstantIntValue(size).value_or(ShapedType::kDynamic));
  return shape;
}

Value createIndexedCopy(OpBuilder &b, Location loc, RankedTensorType type,
                        ArrayRef<OpFoldResult> sizes, ElementReader read) {
  int64_t rank = type.getRank();
  Value init = createEmptyWithSizes(b, loc, type, sizes);
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank)};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{type}, ValueRange{}, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange) {
        SmallVector<Value> coordinates;
        for (int64_t i = 0; i < rank; ++i)
          coordinates.push_back(linalg::IndexOp::create(nested, nestedLoc, i));
        linalg::YieldOp::create(nested, nestedLoc,
                                read(nested, nestedLoc, coordinates));
      });
  return generic.getResult(0);
}

AffineMap getBroadcastIndexingMap(ArrayRef<int64_t> operandShape,
                                  ArrayRef<int64_t> resultShape,
                                  MLIRContext *context) {
  assert(operandShape.size() <= resultShape.size() &&
         "operand of higher rank than the broadcast result");
  size_t offset = resultShape.size() - operandShape.size();
  SmallVector<AffineExpr> exprs;
  for (auto [i, dim] : llvm::enumerate(operandShape)) {
    if (dim == 1 && resultShape[offset + i] != 1)
      exprs.push_back(getAffineConstantExpr(0, context));
    else
      exprs.push_back(getAffineDimExpr(offset + i, context));
  }
  return AffineMap::get(resultShape.size(), 0, exprs, context);
}

namespace {
/// Where a size comes from: dimension `dim` of the tensor `value`, or the
/// index `value` itself when `dim` is -1; or the constant `size` when
/// `value` is null.
struct SizeSource {
  Value value;
  int64_t dim = -1;
  int64_t size = ShapedType::kDynamic;

  bool operator==(const SizeSource &other) const {
    return value == other.value && dim == other.dim && size == other.size;
  }
};

/// Follows dimension `dim` of the ranked tensor `value` back to the source
/// of its size (see haveEqualSizes for the ops it looks through).
SizeSource traceSize(Value value, int64_t dim) {
  SizeSource source{value, dim};
  // Each step moves to an operand of the defining op, so the walk ends.
  while (true) {
    if (source.dim >= 0) {
      auto type = cast<RankedTensorType>(source.value.getType());
      if (!type.isDynamicDim(source.dim))
        return SizeSource{Value(), -1, type.getDimSize(source.dim)};
    }
    Operation *def = source.value.getDefiningOp();
    if (!def)
      return source;
    if (source.dim < 0) {
      auto dimOp = dyn_cast<tensor::DimOp>(def);
      std::optional<int64_t> index =
          dimOp ? dimOp.getConstantIndex() : std::nullopt;
      if (!index || !isa<RankedTensorType>(dimOp.getSource().getType()))
        return source;
      source = SizeSource{dimOp.getSource(), *index};
      continue;
    }
    if (auto empty = dyn_cast<tensor::EmptyOp>(def)) {
      source = SizeSource{empty.getDynamicSize(source.dim), -1};
      continue;
    }
    // A reshape names each dynamic size of its result (expand_shape), or
    // keeps a dimension that it does not merge (collapse_shape).
    if (auto expand = dyn_cast<tensor::ExpandShapeOp>(def)) {
      OpFoldResult size = expand.getMixedOutputShape()[source.dim];
      auto sizeValue = dyn_cast<Value>(size);
      if (!sizeValue)
        return source;
      source = SizeSource{sizeValue, -1};
      continue;
    }
    if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(def)) {
      ReassociationIndices group =
          collapse.getReassociationIndices()[source.dim];
      if (group.size() != 1)
        return source;
      source = SizeSource{collapse.getSrc(), group.front()};
      continue;
    }
    if (auto dps = dyn_cast<DestinationStyleOpInterface>(def)) {
      auto result = cast<OpResult>(source.value);
      Value init = dps.getTiedOpOperand(result)->get();
      if (init.getType() != result.getType())
        return source;
      source.value = init;
      continue;
    }
    // tensor.cast keeps the run-time shape (it only changes what is
    // static); the other casts are followed only between equal shapes.
    auto type = cast<RankedTensorType>(source.value.getType());
    Value from;
    if (auto cast = dyn_cast<tensor::CastOp>(def))
      from = cast.getSource();
    else if (auto bitcast = dyn_cast<tensor::BitcastOp>(def))
      from = bitcast.getSource();
    else if (auto conversion = dyn_cast<UnrealizedConversionCastOp>(def);
             conversion && conversion->getNumOperands() == 1)
      from = conversion->getOperand(0);
    auto fromType = from ? dyn_cast<RankedTensorType>(from.getType())
                         : RankedTensorType();
    if (!fromType || fromType.getRank() != type.getRank() ||
        (!isa<tensor::CastOp>(def) && fromType.getShape() != type.getShape()))
      return source;
    source.value = from;
  }
}
} // namespace

bool haveEqualSizes(Value a, int64_t dimA, Value b, int64_t dimB) {
  return traceSize(a, dimA) == traceSize(b, dimB);
}

Value createRuntimeBroadcast(OpBuilder &b, Location loc, Value operand,
                             ArrayRef<int64_t> dims,
                             ArrayRef<OpFoldResult> sizes) {
  auto operandType = cast<RankedTensorType>(operand.getType());
  SmallVector<OpFoldResult> resultSizes =
      tensor::getMixedSizes(b, loc, operand);
  SmallVector<int64_t> resultShape(operandType.getShape());
  for (int64_t d : dims) {
    resultSizes[d] = sizes[d];
    resultShape[d] = getConstantIntValue(sizes[d]).value_or(ShapedType::kDynamic);
  }
  auto resultType = operandType.clone(resultShape);
  // Whether each of `dims` has size 1, computed once outside the loop nest.
  // Whether each of `dims` has size 1, and whether all are 1 or their
  // target size (what the caller checks), computed once outside the loops.
  // When that check fails the run goes on to the end of the model
  // (exaforge/abi/checks.h) and must stay inside the operand: the copy then
  // reads nothing and yields zeros (a size of 3 broadcast to 10^6 read far
  // past its buffer, which the sanitized build's end-to-end test caught).
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  SmallVector<Value> isOne;
  Value inBounds;
  for (int64_t d : dims) {
    Value size = tensor::DimOp::create(b, loc, operand, d);
    Value dimIsOne =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, size, one);
    isOne.push_back(dimIsOne);
    Value target = getValueOrCreateConstantIndexOp(b, loc, sizes[d]);
    Value ok = arith::OrIOp::create(
        b, loc, dimIsOne,
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, size, target));
    inBounds = inBounds ? arith::AndIOp::create(b, loc, inBounds, ok) : ok;
  }
  Type elementType = operandType.getElementType();
  auto zeroElement = dyn_cast_if_present<TypedAttr>(b.getZeroAttr(elementType));
  return createIndexedCopy(
      b, loc, resultType, resultSizes,
      [&](OpBuilder &nested, Location nestedLoc,
          ArrayRef<Value> coordinates) -> Value {
        SmallVector<Value> indices(coordinates);
        Value zero = arith::ConstantIndexOp::create(nested, nestedLoc, 0);
        for (auto [d, dimIsOne] : llvm::zip_equal(dims, isOne))
          indices[d] = arith::SelectOp::create(nested, nestedLoc, dimIsOne,
                                               zero, coordinates[d]);
        auto read = [&](OpBuilder &inner, Location innerLoc) {
          return tensor::ExtractOp::create(inner, innerLoc, operand, indices)
              .getResult();
        };
        if (!zeroElement)
          return read(nested, nestedLoc);
        auto guarded = scf::IfOp::create(
            nested, nestedLoc, inBounds,
            [&](OpBuilder &inner, Location innerLoc) {
              scf::YieldOp::create(inner, innerLoc, read(inner, innerLoc));
            },
            [&](OpBuilder &inner, Location innerLoc) {
              scf::YieldOp::create(
                  inner, innerLoc,
                  arith::ConstantOp::create(inner, innerLoc, zeroElement)
                      .getResult());
            });
        return guarded.getResult(0);
      });
}

SmallVector<Value> getBroadcastDynamicSizes(OpBuilder &b, Location loc,
                                            RankedTensorType resultType,
                                            ValueRange operands) {
  SmallVector<Value> sizes;
  int64_t rank = resultType.getRank();
  for (int64_t i = 0; i < rank; ++i) {
    if (!resultType.isDynamicDim(i))
      continue;
    Value size;
    for (Value operand : operands) {
      auto type = cast<RankedTensorType>(operand.getType());
      int64_t dim = i - (rank - type.getRank());
      if (dim < 0 || type.getDimSize(dim) == 1)
        continue;
      size = tensor::DimOp::create(b, loc, operand, dim);
      break;
    }
    if (!size)
      size = arith::ConstantIndexOp::create(b, loc, 1);
    sizes.push_back(size);
  }
  return sizes;
}

Value createBroadcastElementwise(OpBuilder &b, Location loc,
                                 RankedTensorType resultType, ValueRange inputs,
                                 ScalarBodyBuilder bodyBuilder) {
  MLIRContext *context = b.getContext();
  SmallVector<AffineMap> maps;
  for (Value input : inputs)
    maps.push_back(getBroadcastIndexingMap(
        cast<RankedTensorType>(input.getType()).getShape(),
        resultType.getShape(), context));
  maps.push_back(b.getMultiDimIdentityMap(resultType.getRank()));
  Value init = createEmptyTensor(
      b, loc, resultType, getBroadcastDynamicSizes(b, loc, resultType, inputs));
  SmallVector<utils::IteratorType> iterators(resultType.getRank(),
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value result = bodyBuilder(nested, nestedLoc, args);
        linalg::YieldOp::create(nested, nestedLoc, result);
      });
  return generic.getResult(0);
}

RankedTensorType getSignlessTensorType(RankedTensorType type) {
  auto intType = dyn_cast<IntegerType>(type.getElementType());
  if (!intType || intType.isSignless())
    return type;
  return type.clone(IntegerType::get(type.getContext(), intType.getWidth()));
}

Value castToSignless(OpBuilder &b, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  RankedTensorType signless = getSignlessTensorType(type);
  if (signless == type)
    return value;
  return tensor::BitcastOp::create(b, loc, signless, value);
}

Value castToType(OpBuilder &b, Location loc, Value value,
                 RankedTensorType type) {
  auto valueType = cast<RankedTensorType>(value.getType());
  if (valueType.getElementType() != type.getElementType()) {
    valueType = valueType.clone(type.getElementType());
    value = tensor::BitcastOp::create(b, loc, valueType, value);
  }
  if (valueType != type)
    value = tensor::CastOp::create(b, loc, type, value);
  return value;
}

Value createScalarConstant(OpBuilder &b, Location loc, Type type,
                           double value) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(floatType, value));
  return arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(type, static_cast<int64_t>(value)));
}

Value extendToF32IfNarrow(OpBuilder &b, Location loc, Value value) {
  auto floatType = dyn_cast<FloatType>(value.getType());
  if (!floatType || floatType.getWidth() >= 32)
    return value;
  return arith::ExtFOp::create(b, loc, b.getF32Type(), value);
}

Value convertFloat(OpBuilder &b, Location loc, Value value, Type type) {
  auto from = cast<FloatType>(value.getType());
  auto to = cast<FloatType>(type);
  if (from == to)
    return value;
  if (from.getWidth() < to.getWidth())
    return arith::ExtFOp::create(b, loc, to, value);
  if (from.getWidth() > to.getWidth())
    return arith::TruncFOp::create(b, loc, to, value);
  // Same width, different formats (f16 <-> bf16): go through f32.
  Value wide = arith::ExtFOp::create(b, loc, b.getF32Type(), value);
  return arith::TruncFOp::create(b, loc, to, wide);
}

SmallVector<ReassociationIndices>
getUnitDimReassociation(ArrayRef<bool> inserted) {
  SmallVector<ReassociationIndices> groups;
  SmallVector<int64_t> leading;
  for (auto [i, isInserted] : llvm::enumerate(inserted)) {
    if (isInserted) {
      if (groups.empty())
        leading.push_back(i);
      else
        groups.back().push_back(i);
      continue;
    }
    groups.emplace_back(leading.begin(), leading.end());
    groups.back().push_back(i);
    leading.clear();
  }
  return groups;
}

Value expandUnitDims(OpBuilder &b, Location loc, Value value,
                     ArrayRef<bool> inserted) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, value);
  SmallVector<OpFoldResult> outputShape;
  SmallVector<int64_t> shape;
  size_t next = 0;
  for (bool isInserted : inserted) {
    if (isInserted) {
      outputShape.push_back(b.getIndexAttr(1));
      shape.push_back(1);
      continue;
    }
    outputShape.push_back(sizes[next]);
    shape.push_back(type.getDimSize(next));
    ++next;
  }
  assert(next == sizes.size() && "flags do not match the source rank");
  return tensor::ExpandShapeOp::create(b, loc, type.clone(shape), value,
                                       getUnitDimReassociation(inserted),
                                       outputShape);
}

Value collapseUnitDims(OpBuilder &b, Location loc, Value value,
                       ArrayRef<bool> removed) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape;
  for (auto [i, isRemoved] : llvm::enumerate(removed))
    if (!isRemoved)
      shape.push_back(type.getDimSize(i));
  return tensor::CollapseShapeOp::create(b, loc, type.clone(shape), value,
                                         getUnitDimReassociation(removed));
}

Value dropPromotedVectorDims(OpBuilder &b, Location loc, Value result,
                             int64_t batchRank, bool lhsVector,
                             bool rhsVector) {
  if (!lhsVector && !rhsVector)
    return result;
  SmallVector<bool> removed(batchRank + 2, false);
  removed[batchRank] = lhsVector;
  removed[batchRank + 1] = rhsVector;
  return collapseUnitDims(b, loc, result, removed);
}

Value wrapAndClampIndex(OpBuilder &b, Location loc, Value index, Value size) {
  index = arith::IndexCastOp::create(b, loc, b.getIndexType(), index);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value isNegative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, index, zero);
  Value wrapped = arith::AddIOp::create(b, loc, index, size);
  index = arith::SelectOp::create(b, loc, isNegative, wrapped, index);
  Value last = arith::SubIOp::create(b, loc, size, one);
  return arith::MaxSIOp::create(
      b, loc, arith::MinSIOp::create(b, loc, index, last), zero);
}

} // namespace exaforge::lowering
