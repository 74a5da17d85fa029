//===- SequencesToTensors.cpp - Sequences as tensors ----------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `convert-graph-sequences-to-tensors` (see Passes.td): every
// `!graph.sequence` value becomes three tensors and every `!graph.optional`
// value four, and the sequence and optional ops become tensor code on them.
// A sequence of tensors of element type E is
//
//   data      tensor<?xE>      the elements' values, row-major, one after
//                              the other
//   dims      tensor<?xi64>    the elements' sizes, one after the other
//   elements  tensor<?x2xi64>  per element: its number of values, its rank
//
// and an optional is `present: tensor<i1>` followed by a sequence of its
// value (one element when it holds a tensor and is present, none when
// empty) or by the sequence it holds. The function signatures, `func.return`
// and the scf ops are converted with them; docs/design/control-flow.md
// describes the encoding, which is also the one of the model's inputs and
// outputs.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/Passes.h"

#include "passes/Conversion/GraphToLinalg/RuntimeParams.h"

#include "dialects/Graph/GraphOps.h"
#include "exaforge/abi/Contract.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Patterns.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

namespace exaforge {
#define GEN_PASS_DEF_CONVERTGRAPHSEQUENCESTOTENSORS
#include "passes/Conversion/Passes.h.inc"
} // namespace exaforge

using namespace mlir;
using namespace exaforge;

namespace {

//===----------------------------------------------------------------------===//
// The encoding
//===----------------------------------------------------------------------===//

/// The tensors of one sequence (see the file comment).
struct SequenceParts {
  Value data;
  Value dims;
  Value elements;
};

/// The element type of the values of a sequence or optional type.
Type getValueElementType(Type type) {
  if (auto optional = dyn_cast<graph::OptionalType>(type))
    type = optional.getElementType();
  if (auto sequence = dyn_cast<graph::SequenceType>(type))
    return sequence.getElementType().getElementType();
  return cast<TensorType>(type).getElementType();
}

/// The tensor types of a sequence whose values are of `elementType`.
SmallVector<Type> getSequencePartTypes(Type elementType) {
  MLIRContext *ctx = elementType.getContext();
  IntegerType i64 = IntegerType::get(ctx, 64);
  return {RankedTensorType::get({ShapedType::kDynamic}, elementType),
          RankedTensorType::get({ShapedType::kDynamic}, i64),
          RankedTensorType::get({ShapedType::kDynamic, 2}, i64)};
}

/// Converts sequences and optionals to their tensors; other types stay.
struct SequenceTypeConverter : TypeConverter {
  SequenceTypeConverter() {
    addConversion([](Type type) { return type; });
    addConversion(
        [](graph::SequenceType type,
           SmallVectorImpl<Type> &parts) -> std::optional<LogicalResult> {
          llvm::append_range(parts,
                             getSequencePartTypes(getValueElementType(type)));
          return success();
        });
    addConversion([](graph::OptionalType type, SmallVectorImpl<Type> &parts)
                      -> std::optional<LogicalResult> {
      parts.push_back(
          RankedTensorType::get({}, IntegerType::get(type.getContext(), 1)));
      llvm::append_range(parts,
                         getSequencePartTypes(getValueElementType(type)));
      return success();
    });
  }
};

/// The names of the tensors a value of `type` becomes, as suffixes of its
/// name (abi::kPackedPart*); empty for a tensor.
SmallVector<StringRef> getPartSuffixes(Type type) {
  SmallVector<StringRef> suffixes;
  if (auto optional = dyn_cast<graph::OptionalType>(type))
    suffixes.push_back(isa<graph::SequenceType>(optional.getElementType())
                           ? abi::kPackedPartHasSequence
                           : abi::kPackedPartHasTensor);
  if (graph::isSequenceOrOptional(type))
    suffixes.append(
        {abi::kPackedPartData, abi::kPackedPartDims, abi::kPackedPartElements});
  return suffixes;
}

//===----------------------------------------------------------------------===//
// Building blocks
//===----------------------------------------------------------------------===//

/// Builds the tensor code of one sequence op; checks name `op`'s node.
class SequenceBuilder {
public:
  SequenceBuilder(OpBuilder &b, Operation *op)
      : b(b), op(op), loc(op->getLoc()) {}

  Value index(int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value);
  }
  Value toIndex(Value integer) {
    return arith::IndexCastOp::create(b, loc, b.getIndexType(), integer);
  }
  Value toI64(Value indexValue) {
    return arith::IndexCastOp::create(b, loc, b.getI64Type(), indexValue);
  }

  /// The number of elements of a sequence.
  Value getLength(const SequenceParts &seq) {
    return tensor::DimOp::create(b, loc, seq.elements, 0);
  }

  /// Column `column` of row `row` of the elements table, as an index.
  Value readElement(const SequenceParts &seq, Value row, int64_t column) {
    return toIndex(tensor::ExtractOp::create(b, loc, seq.elements,
                                             ValueRange{row, index(column)}));
  }

  /// The sum of column `column` of the rows before `row`: where element
  /// `row` starts in `data` (column 0) or in `dims` (column 1).
  Value sumBefore(const SequenceParts &seq, Value row, int64_t column) {
    auto loop = scf::ForOp::create(
        b, loc, index(0), row, index(1), ValueRange{index(0)},
        [&](OpBuilder &nested, Location nestedLoc, Value i, ValueRange acc) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPoint(nested.getInsertionBlock(),
                              nested.getInsertionPoint());
          Value sum = arith::AddIOp::create(b, loc, acc[0],
                                            readElement(seq, i, column));
          scf::YieldOp::create(b, loc, sum);
        });
    return loop.getResult(0);
  }

  /// `rows` rows of `source` from row `offset` (a 1-D or an n x 2 tensor).
  Value sliceRows(Value source, Value offset, Value rows) {
    auto type = cast<RankedTensorType>(source.getType());
    SmallVector<OpFoldResult> offsets{offset}, sizes{rows},
        strides{b.getIndexAttr(1)};
    if (type.getRank() == 2) {
      offsets.push_back(b.getIndexAttr(0));
      sizes.push_back(b.getIndexAttr(type.getDimSize(1)));
      strides.push_back(b.getIndexAttr(1));
    }
    return tensor::ExtractSliceOp::create(b, loc, cast<RankedTensorType>(type),
                                          source, offsets, sizes, strides);
  }

  /// Writes `part` into `dest` at row `offset`.
  Value insertRows(Value part, Value dest, Value offset) {
    auto type = cast<RankedTensorType>(dest.getType());
    SmallVector<OpFoldResult> offsets{offset},
        sizes{tensor::getMixedSize(b, loc, part, 0)},
        strides{b.getIndexAttr(1)};
    if (type.getRank() == 2) {
      offsets.push_back(b.getIndexAttr(0));
      sizes.push_back(b.getIndexAttr(type.getDimSize(1)));
      strides.push_back(b.getIndexAttr(1));
    }
    return tensor::InsertSliceOp::create(b, loc, part, dest, offsets, sizes,
                                         strides);
  }

  /// A new tensor of the type of `like` (1-D or n x 2) with `rows` rows.
  Value emptyRows(Value like, Value rows) {
    auto type = cast<RankedTensorType>(like.getType());
    return tensor::EmptyOp::create(b, loc, type.getShape(),
                                   type.getElementType(), ValueRange{rows});
  }

  /// `source` with the rows of `middle` inserted before row `at`.
  Value spliceRows(Value source, Value at, Value middle) {
    Value rows = tensor::DimOp::create(b, loc, source, 0);
    Value added = tensor::DimOp::create(b, loc, middle, 0);
    Value result =
        emptyRows(source, arith::AddIOp::create(b, loc, rows, added));
    result = insertRows(sliceRows(source, index(0), at), result, index(0));
    result = insertRows(middle, result, at);
    Value tail = arith::SubIOp::create(b, loc, rows, at);
    return insertRows(sliceRows(source, at, tail), result,
                      arith::AddIOp::create(b, loc, at, added));
  }

  /// `source` without the `count` rows from row `at`.
  Value removeRows(Value source, Value at, Value count) {
    Value rows = tensor::DimOp::create(b, loc, source, 0);
    Value kept = arith::SubIOp::create(b, loc, rows, count);
    Value result = emptyRows(source, kept);
    result = insertRows(sliceRows(source, index(0), at), result, index(0));
    Value end = arith::AddIOp::create(b, loc, at, count);
    Value tail = arith::SubIOp::create(b, loc, rows, end);
    return insertRows(sliceRows(source, end, tail), result, at);
  }

  /// An empty sequence of values of `elementType`.
  SequenceParts createEmpty(Type elementType) {
    SmallVector<Type> types = getSequencePartTypes(elementType);
    SequenceParts seq;
    Value zero = index(0);
    seq.data = tensor::EmptyOp::create(b, loc, cast<RankedTensorType>(types[0]),
                                       ValueRange{zero});
    seq.dims = tensor::EmptyOp::create(b, loc, cast<RankedTensorType>(types[1]),
                                       ValueRange{zero});
    seq.elements = tensor::EmptyOp::create(
        b, loc, cast<RankedTensorType>(types[2]), ValueRange{zero});
    return seq;
  }

  /// The element position `position` (a one-element integer tensor, or
  /// null for `fallback`) as an index in [0, n) (or [0, n] when `allowEnd`),
  /// negative positions counting from the end; checked at run time.
  Value readPosition(Value position, Value length, bool allowEnd,
                     Value fallback) {
    if (!position)
      return fallback;
    auto type = cast<RankedTensorType>(position.getType());
    SmallVector<Value> zeros(type.getRank(), index(0));
    Value raw = toIndex(tensor::ExtractOp::create(b, loc, position, zeros));
    Value negative =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, raw, index(0));
    Value p = arith::SelectOp::create(
        b, loc, negative, arith::AddIOp::create(b, loc, raw, length), raw);
    Value low =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, p, index(0));
    Value high = arith::CmpIOp::create(b, loc,
                                       allowEnd ? arith::CmpIPredicate::sle
                                                : arith::CmpIPredicate::slt,
                                       p, length);
    lowering::createRuntimeCheck(b, op,
                                 arith::AndIOp::create(b, loc, low, high),
                                 "'position' is outside the sequence");
    return p;
  }

  /// `seq` with `tensor` inserted before element `at`.
  SequenceParts insert(const SequenceParts &seq, Value tensor, Value at) {
    auto type = cast<RankedTensorType>(tensor.getType());
    SmallVector<Value> sizes;
    Value count = index(1);
    for (int64_t i = 0; i < type.getRank(); ++i) {
      sizes.push_back(tensor::DimOp::create(b, loc, tensor, i));
      count = arith::MulIOp::create(b, loc, count, sizes.back());
    }
    Value flat;
    if (type.getRank() == 0) {
      Value scalar = tensor::ExtractOp::create(b, loc, tensor, ValueRange{});
      flat = tensor::FromElementsOp::create(
          b, loc, RankedTensorType::get({1}, type.getElementType()), scalar);
      flat = tensor::CastOp::create(
          b, loc,
          RankedTensorType::get({ShapedType::kDynamic}, type.getElementType()),
          flat);
    } else {
      flat = lowering::reshapeToSizes(
          b, loc, tensor,
          RankedTensorType::get({ShapedType::kDynamic}, type.getElementType()),
          {OpFoldResult(count)});
    }
    Value dims;
    auto i64 = b.getI64Type();
    if (type.getRank() == 0) {
      dims = arith::ConstantOp::create(
          b, loc,
          cast<TypedAttr>(DenseElementsAttr::get(
              RankedTensorType::get({0}, i64), ArrayRef<Attribute>{})));
    } else {
      SmallVector<Value> values;
      for (Value size : sizes)
        values.push_back(toI64(size));
      dims = tensor::FromElementsOp::create(b, loc, values);
    }
    dims = tensor::CastOp::create(
        b, loc, RankedTensorType::get({ShapedType::kDynamic}, i64), dims);
    Value row = tensor::FromElementsOp::create(
        b, loc, RankedTensorType::get({1, 2}, i64),
        ValueRange{toI64(count), toI64(index(type.getRank()))});
    SequenceParts result;
    result.data = spliceRows(seq.data, sumBefore(seq, at, 0), flat);
    result.dims = spliceRows(seq.dims, sumBefore(seq, at, 1), dims);
    result.elements = spliceRows(seq.elements, at, row);
    return result;
  }

  /// Element `at` of `seq` as a tensor of `type`; its rank and the static
  /// sizes of `type` are checked at run time.
  Value extract(const SequenceParts &seq, Value at, RankedTensorType type) {
    Value start = sumBefore(seq, at, 0);
    Value dimsStart = sumBefore(seq, at, 1);
    Value count = readElement(seq, at, 0);
    Value rank = readElement(seq, at, 1);
    lowering::createRuntimeCheck(
        b, op,
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, rank,
                              index(type.getRank())),
        "the element is not of rank " + Twine(type.getRank()));
    Value flat = sliceRows(seq.data, start, count);
    if (type.getRank() == 0) {
      Value scalar =
          tensor::ExtractOp::create(b, loc, flat, ValueRange{index(0)});
      return tensor::FromElementsOp::create(b, loc, type, scalar);
    }
    SmallVector<OpFoldResult> sizes;
    for (int64_t i = 0; i < type.getRank(); ++i)
      sizes.push_back(toIndex(tensor::ExtractOp::create(
          b, loc, seq.dims,
          ValueRange{arith::AddIOp::create(b, loc, dimsStart, index(i))})));
    auto dynamicType = RankedTensorType::get(
        SmallVector<int64_t>(type.getRank(), ShapedType::kDynamic),
        type.getElementType());
    Value result = lowering::reshapeToSizes(b, loc, flat, dynamicType, sizes);
    return lowering::castToDeclaredShape(b, op, result, type, "element");
  }

  /// `seq` without element `at`.
  SequenceParts erase(const SequenceParts &seq, Value at) {
    SequenceParts result;
    result.data =
        removeRows(seq.data, sumBefore(seq, at, 0), readElement(seq, at, 0));
    result.dims =
        removeRows(seq.dims, sumBefore(seq, at, 1), readElement(seq, at, 1));
    result.elements = removeRows(seq.elements, at, index(1));
    return result;
  }

  /// A 0-d tensor of `value`.
  Value makeScalarTensor(Value value) {
    return tensor::FromElementsOp::create(
        b, loc, RankedTensorType::get({}, value.getType()), value);
  }

private:
  OpBuilder &b;
  Operation *op;
  Location loc;
};

/// The parts of a converted sequence value.
SequenceParts getSequence(ValueRange parts) {
  assert(parts.size() == 3 && "a sequence is three tensors");
  return {parts[0], parts[1], parts[2]};
}

/// The values replacing a sequence.
SmallVector<Value> flatten(const SequenceParts &seq) {
  return {seq.data, seq.dims, seq.elements};
}

/// Replaces the one result of `op` by `parts`.
void replaceWithParts(ConversionPatternRewriter &rewriter, Operation *op,
                      SmallVector<Value> parts) {
  SmallVector<SmallVector<Value>> replacements;
  replacements.push_back(std::move(parts));
  rewriter.replaceOpWithMultiple(op, std::move(replacements));
}

//===----------------------------------------------------------------------===//
// Sequence ops
//===----------------------------------------------------------------------===//

struct SequenceEmptyLowering : OpConversionPattern<graph::SequenceEmptyOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::SequenceEmptyOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SequenceBuilder builder(rewriter, op);
    replaceWithParts(
        rewriter, op,
        flatten(builder.createEmpty(getValueElementType(op.getType()))));
    return success();
  }
};

struct SequenceConstructLowering
    : OpConversionPattern<graph::SequenceConstructOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::SequenceConstructOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SequenceBuilder builder(rewriter, op);
    SequenceParts seq = builder.createEmpty(getValueElementType(op.getType()));
    for (auto [i, input] : llvm::enumerate(op.getInputs()))
      seq = builder.insert(seq, input, builder.index(i));
    replaceWithParts(rewriter, op, flatten(seq));
    return success();
  }
};

struct SequenceInsertLowering : OpConversionPattern<graph::SequenceInsertOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::SequenceInsertOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SequenceBuilder builder(rewriter, op);
    SequenceParts seq = getSequence(adaptor.getInputSequence());
    Value length = builder.getLength(seq);
    Value at = builder.readPosition(op.getPosition(), length,
                                    /*allowEnd=*/true, length);
    replaceWithParts(rewriter, op,
                     flatten(builder.insert(seq, op.getTensor(), at)));
    return success();
  }
};

struct SequenceAtLowering : OpConversionPattern<graph::SequenceAtOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::SequenceAtOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SequenceBuilder builder(rewriter, op);
    SequenceParts seq = getSequence(adaptor.getInputSequence());
    Value at = builder.readPosition(op.getPosition(), builder.getLength(seq),
                                    /*allowEnd=*/false, Value());
    rewriter.replaceOp(op, builder.extract(seq, at, op.getType()));
    return success();
  }
};

struct SequenceEraseLowering : OpConversionPattern<graph::SequenceEraseOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::SequenceEraseOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SequenceBuilder builder(rewriter, op);
    SequenceParts seq = getSequence(adaptor.getInputSequence());
    Value length = builder.getLength(seq);
    Value last =
        arith::SubIOp::create(rewriter, op.getLoc(), length, builder.index(1));
    Value at = builder.readPosition(op.getPosition(), length,
                                    /*allowEnd=*/false, last);
    if (!op.getPosition())
      lowering::createRuntimeCheck(
          rewriter, op,
          arith::CmpIOp::create(rewriter, op.getLoc(),
                                arith::CmpIPredicate::sgt, length,
                                builder.index(0)),
          "the sequence is empty");
    replaceWithParts(rewriter, op, flatten(builder.erase(seq, at)));
    return success();
  }
};

struct SequenceLengthLowering : OpConversionPattern<graph::SequenceLengthOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::SequenceLengthOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SequenceBuilder builder(rewriter, op);
    Value length = builder.getLength(getSequence(adaptor.getInputSequence()));
    rewriter.replaceOp(op, builder.makeScalarTensor(builder.toI64(length)));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Optional ops
//===----------------------------------------------------------------------===//

struct OptionalLowering : OpConversionPattern<graph::OptionalOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::OptionalOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SequenceBuilder builder(rewriter, op);
    Location loc = op.getLoc();
    Value input = op.getInput();
    Value present = builder.makeScalarTensor(
        arith::ConstantIntOp::create(rewriter, loc, input ? 1 : 0, 1));
    SequenceParts seq;
    if (input && isa<graph::SequenceType>(input.getType()))
      seq = getSequence(adaptor.getInput());
    else
      seq = builder.createEmpty(getValueElementType(op.getType()));
    if (input && isa<RankedTensorType>(input.getType()))
      seq = builder.insert(seq, input, builder.index(0));
    SmallVector<Value> parts{present};
    llvm::append_range(parts, flatten(seq));
    replaceWithParts(rewriter, op, parts);
    return success();
  }
};

struct OptionalHasElementLowering
    : OpConversionPattern<graph::OptionalHasElementOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::OptionalHasElementOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, adaptor.getInput().front());
    return success();
  }
};

struct OptionalGetElementLowering
    : OpConversionPattern<graph::OptionalGetElementOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::OptionalGetElementOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SequenceBuilder builder(rewriter, op);
    ValueRange parts = adaptor.getInput();
    Value present = tensor::ExtractOp::create(rewriter, op.getLoc(),
                                              parts.front(), ValueRange{});
    lowering::createRuntimeCheck(rewriter, op, present,
                                 "the optional is empty");
    SequenceParts seq = getSequence(parts.drop_front());
    if (auto tensorType = dyn_cast<RankedTensorType>(op.getType())) {
      rewriter.replaceOp(op,
                         builder.extract(seq, builder.index(0), tensorType));
      return success();
    }
    replaceWithParts(rewriter, op, flatten(seq));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Functions
//===----------------------------------------------------------------------===//

/// The attributes of part `suffix` of an argument or result whose
/// attributes are `attrs`: its name gets the suffix; the ONNX symbols of its
/// dimensions, which describe no part, are dropped.
DictionaryAttr getPartAttrs(DictionaryAttr attrs, StringRef suffix,
                            Builder &builder) {
  NamedAttrList list(attrs);
  if (auto name = list.get("graph.name"))
    list.set("graph.name",
             builder.getStringAttr(cast<StringAttr>(name).getValue().str() +
                                   abi::kPackedPartSeparator + suffix.str()));
  list.erase("graph.dim_params");
  return list.getDictionary(builder.getContext());
}

/// Converts a function's signature, naming the parts of each sequence or
/// optional argument and result after it.
struct FuncSignatureLowering : OpConversionPattern<func::FuncOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(func::FuncOp func, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FunctionType type = func.getFunctionType();
    TypeConverter::SignatureConversion conversion(type.getNumInputs());
    SmallVector<Attribute> argAttrs, resultAttrs;
    SmallVector<Type> resultTypes;
    for (auto [i, argType] : llvm::enumerate(type.getInputs())) {
      SmallVector<Type> converted;
      if (failed(getTypeConverter()->convertType(argType, converted)))
        return failure();
      conversion.addInputs(i, converted);
      DictionaryAttr attrs = func.getArgAttrDict(i);
      SmallVector<StringRef> suffixes = getPartSuffixes(argType);
      if (suffixes.empty())
        argAttrs.push_back(attrs ? attrs : rewriter.getDictionaryAttr({}));
      for (StringRef suffix : suffixes)
        argAttrs.push_back(getPartAttrs(attrs, suffix, rewriter));
    }
    for (auto [i, resultType] : llvm::enumerate(type.getResults())) {
      if (failed(getTypeConverter()->convertType(resultType, resultTypes)))
        return failure();
      DictionaryAttr attrs = func.getResultAttrDict(i);
      SmallVector<StringRef> suffixes = getPartSuffixes(resultType);
      if (suffixes.empty())
        resultAttrs.push_back(attrs ? attrs : rewriter.getDictionaryAttr({}));
      for (StringRef suffix : suffixes)
        resultAttrs.push_back(getPartAttrs(attrs, suffix, rewriter));
    }
    if (!func.isExternal() &&
        !rewriter.applySignatureConversion(&func.getBody().front(), conversion,
                                           getTypeConverter()))
      return failure();
    rewriter.modifyOpInPlace(func, [&] {
      func.setFunctionType(rewriter.getFunctionType(
          conversion.getConvertedTypes(), resultTypes));
      func.setAllArgAttrs(argAttrs);
      func.setAllResultAttrs(resultAttrs);
    });
    return success();
  }
};

/// `func.return` of the parts.
struct ReturnLowering : OpConversionPattern<func::ReturnOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(func::ReturnOp op, OneToNOpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SmallVector<Value> operands;
    for (ValueRange parts : adaptor.getOperands())
      llvm::append_range(operands, parts);
    rewriter.replaceOpWithNewOp<func::ReturnOp>(op, operands);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

struct ConvertGraphSequencesToTensorsPass
    : exaforge::impl::ConvertGraphSequencesToTensorsBase<
          ConvertGraphSequencesToTensorsPass> {
  void runOnOperation() override {
    // Most models have no sequence: leave them untouched.
    bool hasSequences = false;
    getOperation()->walk([&](Operation *op) {
      auto isSequence = [](Type type) {
        return graph::isSequenceOrOptional(type);
      };
      if (llvm::any_of(op->getResultTypes(), isSequence) ||
          llvm::any_of(op->getOperandTypes(), isSequence))
        hasSequences = true;
      if (auto func = dyn_cast<func::FuncOp>(op))
        hasSequences |=
            llvm::any_of(func.getFunctionType().getInputs(), isSequence) ||
            llvm::any_of(func.getFunctionType().getResults(), isSequence);
      return hasSequences ? WalkResult::interrupt() : WalkResult::advance();
    });
    if (!hasSequences)
      return;

    // Only the graph, func and scf ops know sequences; any other op that
    // takes or makes one has no lowering.
    WalkResult unknown = getOperation()->walk([&](Operation *op) {
      Dialect *dialect = op->getDialect();
      if (dialect &&
          isa<graph::GraphDialect, func::FuncDialect, scf::SCFDialect>(dialect))
        return WalkResult::advance();
      auto isSequence = [](Type type) {
        return graph::isSequenceOrOptional(type);
      };
      if (llvm::any_of(op->getOperandTypes(), isSequence) ||
          llvm::any_of(op->getResultTypes(), isSequence)) {
        op->emitOpError("cannot take or make a sequence or an optional");
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    if (unknown.wasInterrupted())
      return signalPassFailure();

    MLIRContext *context = &getContext();
    SequenceTypeConverter converter;
    ConversionTarget target(*context);
    target.addIllegalOp<graph::SequenceEmptyOp, graph::SequenceConstructOp,
                        graph::SequenceInsertOp, graph::SequenceAtOp,
                        graph::SequenceEraseOp, graph::SequenceLengthOp,
                        graph::OptionalOp, graph::OptionalHasElementOp,
                        graph::OptionalGetElementOp>();
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp func) {
      return converter.isSignatureLegal(func.getFunctionType());
    });
    target.addDynamicallyLegalOp<func::ReturnOp>(
        [&](func::ReturnOp op) { return converter.isLegal(op); });
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet patterns(context);
    patterns
        .add<SequenceEmptyLowering, SequenceConstructLowering,
             SequenceInsertLowering, SequenceAtLowering, SequenceEraseLowering,
             SequenceLengthLowering, OptionalLowering,
             OptionalHasElementLowering, OptionalGetElementLowering,
             FuncSignatureLowering, ReturnLowering>(converter, context);
    scf::populateSCFStructuralTypeConversionsAndLegality(converter, patterns,
                                                         target);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
