//===- RuntimeParams.cpp - Layout parameters read at run time -------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements the helpers declared in RuntimeParams.h.
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/GraphToLinalg/RuntimeParams.h"

#include "passes/Conversion/GraphToLinalg/LoweringUtils.h"

#include "dialects/Graph/GraphTypeInference.h"
#include "dialects/Graph/NodeLocation.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace exaforge;

std::string lowering::getOnnxOpType(Operation *op) {
  // Acronyms, which CamelCase would spell "Dft".
  StringRef mnemonic = op->getName().stripDialect();
  if (mnemonic == "dft" || mnemonic == "stft")
    return mnemonic.upper();
  std::string type;
  bool upper = true;
  for (char c : op->getName().stripDialect()) {
    if (c == '_') {
      upper = true;
      continue;
    }
    type += upper ? llvm::toUpper(c) : c;
    upper = false;
  }
  // ONNX spells the N-dimensional ops GatherND and ScatterND.
  if (StringRef(type).ends_with("Nd"))
    type.back() = 'D';
  return type;
}

void lowering::createRuntimeCheck(OpBuilder &b, Operation *op, Value condition,
                                  const Twine &message) {
  if (matchPattern(condition, m_One()))
    return;
  std::string text;
  if (StringRef node = graph::getOnnxNodeName(op->getLoc()); !node.empty())
    text = ("node '" + node + "': ").str();
  text += getOnnxOpType(op) + ": " + message.str();
  cf::AssertOp::create(b, op->getLoc(), condition, text);
}

void lowering::checkSameSize(OpBuilder &b, Operation *op, OpFoldResult size,
                             OpFoldResult expected, const Twine &message) {
  if (isEqualConstantIntOrValue(size, expected))
    return;
  Location loc = op->getLoc();
  Value equal = b.createOrFold<arith::CmpIOp>(
      loc, arith::CmpIPredicate::eq,
      getValueOrCreateConstantIndexOp(b, loc, size),
      getValueOrCreateConstantIndexOp(b, loc, expected));
  createRuntimeCheck(b, op, equal, message);
}

void lowering::checkEveryElement(OpBuilder &b, Operation *op, Value tensor,
                                 ElementPredicate isValid,
                                 const Twine &message) {
  Location loc = op->getLoc();
  auto type = cast<RankedTensorType>(tensor.getType());
  int64_t rank = type.getRank();
  auto flagType = RankedTensorType::get({}, b.getI1Type());
  Value init = createFilledTensor(b, loc, flagType, {},
                                  arith::ConstantIntOp::create(b, loc, 1, 1));
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank),
                                 AffineMap::get(rank, 0, {}, b.getContext())};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::reduction);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{flagType}, ValueRange{tensor}, ValueRange{init}, maps,
      iterators, [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        SmallVector<Value> coordinates;
        for (int64_t i = 0; i < rank; ++i)
          coordinates.push_back(linalg::IndexOp::create(nested, nestedLoc, i));
        Value valid = isValid(nested, nestedLoc, args[0], coordinates);
        linalg::YieldOp::create(
            nested, nestedLoc,
            arith::AndIOp::create(nested, nestedLoc, args[1], valid)
                .getResult());
      });
  Value all =
      tensor::ExtractOp::create(b, loc, generic.getResult(0), ValueRange{});
  createRuntimeCheck(b, op, all, message);
}

Value lowering::isIndexInRange(OpBuilder &b, Location loc, Value index,
                               Value size) {
  using P = arith::CmpIPredicate;
  index = arith::IndexCastOp::create(b, loc, b.getIndexType(), index);
  Value negativeSize = arith::SubIOp::create(
      b, loc, arith::ConstantIndexOp::create(b, loc, 0), size);
  return arith::AndIOp::create(
      b, loc, arith::CmpIOp::create(b, loc, P::sge, index, negativeSize),
      arith::CmpIOp::create(b, loc, P::slt, index, size));
}

std::string lowering::formatIndexRange(OpFoldResult size) {
  std::optional<int64_t> staticSize = getConstantIntValue(size);
  if (!staticSize)
    return "[-n, n-1] (n the size of the axis)";
  return "[" + std::to_string(-*staticSize) + ", " +
         std::to_string(*staticSize - 1) + "]";
}

Value lowering::extractIndex(OpBuilder &b, Location loc, Value vector,
                             int64_t index) {
  Value position = arith::ConstantIndexOp::create(b, loc, index);
  Value element = tensor::ExtractOp::create(b, loc, vector, position);
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), element);
}

SmallVector<Value> lowering::readIndexEntries(OpBuilder &b, Location loc,
                                              Value original, Value vector) {
  SmallVector<Value> entries;
  std::optional<SmallVector<int64_t>> values =
      graph::getConstantIntValues(original);
  if (!values)
    values = graph::getConstantIntValues(vector);
  if (values) {
    for (int64_t value : *values)
      entries.push_back(arith::ConstantIndexOp::create(b, loc, value));
    return entries;
  }
  int64_t length = cast<RankedTensorType>(vector.getType()).getDimSize(0);
  for (int64_t i = 0; i < length; ++i)
    entries.push_back(extractIndex(b, loc, vector, i));
  return entries;
}

Value lowering::selectByPosition(OpBuilder &b, Location loc, Value position,
                                 ArrayRef<Value> candidates, Value fallback) {
  Value result = fallback;
  for (auto [i, candidate] : llvm::enumerate(candidates)) {
    Value index = arith::ConstantIndexOp::create(b, loc, i);
    Value matches = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                          position, index);
    result = arith::SelectOp::create(b, loc, matches, candidate, result);
  }
  return result;
}

lowering::RuntimeAxes lowering::readRuntimeAxes(OpBuilder &b, Operation *op,
                                                ArrayRef<Value> entries,
                                                int64_t rank,
                                                StringRef operandName) {
  Location loc = op->getLoc();
  using P = arith::CmpIPredicate;
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value rankValue = arith::ConstantIndexOp::create(b, loc, rank);
  Value trueValue = arith::ConstantIntOp::create(b, loc, 1, 1);
  RuntimeAxes result;
  Value inRange = trueValue;
  for (Value entry : entries) {
    Value isNegative = arith::CmpIOp::create(b, loc, P::slt, entry, zero);
    Value axis = arith::SelectOp::create(
        b, loc, isNegative, arith::AddIOp::create(b, loc, entry, rankValue),
        entry);
    Value valid = arith::AndIOp::create(
        b, loc, arith::CmpIOp::create(b, loc, P::sge, axis, zero),
        arith::CmpIOp::create(b, loc, P::slt, axis, rankValue));
    inRange = arith::AndIOp::create(b, loc, inRange, valid);
    result.axes.push_back(axis);
  }
  createRuntimeCheck(b, op, inRange,
                     "an '" + operandName + "' entry is outside [" +
                         Twine(-rank) + ", " + Twine(rank - 1) + "]");

  SmallVector<Value> listed;
  for (int64_t d = 0; d < rank; ++d) {
    Value dimension = arith::ConstantIndexOp::create(b, loc, d);
    Value isListed = arith::ConstantIntOp::create(b, loc, 0, 1);
    for (Value axis : result.axes)
      isListed = arith::OrIOp::create(
          b, loc, isListed,
          arith::CmpIOp::create(b, loc, P::eq, axis, dimension));
    listed.push_back(isListed);
  }

  // With every entry in range, no repeat means exactly one dimension listed
  // per entry (which a single entry always satisfies).
  result.valid = inRange;
  if (entries.size() > 1) {
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    Value count = zero;
    for (Value isListed : listed)
      count = arith::AddIOp::create(
          b, loc, count, arith::SelectOp::create(b, loc, isListed, one, zero));
    Value noRepeat = arith::CmpIOp::create(
        b, loc, P::eq, count,
        arith::ConstantIndexOp::create(b, loc, entries.size()));
    Value outOfRange = arith::XOrIOp::create(b, loc, inRange, trueValue);
    createRuntimeCheck(b, op,
                       arith::OrIOp::create(b, loc, noRepeat, outOfRange),
                       "'" + operandName + "' lists a dimension twice");
    result.valid = arith::AndIOp::create(b, loc, inRange, noRepeat);
  }
  for (int64_t d = 0; d < rank; ++d) {
    Value fallback = arith::ConstantIntOp::create(
        b, loc, d < static_cast<int64_t>(entries.size()) ? 1 : 0, 1);
    result.listed.push_back(
        arith::SelectOp::create(b, loc, result.valid, listed[d], fallback));
  }
  return result;
}

Value lowering::castToDeclaredShape(OpBuilder &b, Operation *op, Value value,
                                    RankedTensorType type, StringRef what) {
  Location loc = op->getLoc();
  auto valueType = cast<RankedTensorType>(value.getType());
  bool needsCopy = false;
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, value);
  SmallVector<OpFoldResult> copied(sizes);
  for (int64_t i = 0; i < type.getRank(); ++i) {
    if (type.isDynamicDim(i) || valueType.getDimSize(i) == type.getDimSize(i))
      continue;
    int64_t declared = type.getDimSize(i);
    Value size = getValueOrCreateConstantIndexOp(b, loc, sizes[i]);
    Value declaredSize = arith::ConstantIndexOp::create(b, loc, declared);
    createRuntimeCheck(b, op,
                       arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                             size, declaredSize),
                       what + " dimension " + Twine(i) +
                           " differs from its declared size " +
                           Twine(declared));
    copied[i] = arith::MinSIOp::create(b, loc, size, declaredSize).getResult();
    needsCopy = true;
  }
  if (!needsCopy)
    return value.getType() == type
               ? value
               : tensor::CastOp::create(b, loc, type, value).getResult();
  SmallVector<OpFoldResult> resultSizes(sizes);
  for (int64_t i = 0; i < type.getRank(); ++i)
    if (!type.isDynamicDim(i))
      resultSizes[i] = b.getIndexAttr(type.getDimSize(i));
  Value init = createEmptyWithSizes(b, loc, type, resultSizes);
  // Nothing to copy from an empty tensor (whose slices the verifier
  // rejects).
  if (llvm::any_of(copied, isZeroInteger))
    return init;

  // Copy what both shapes hold into a tensor of the declared shape: after a
  // failed check the code that reads it by its type stays inside it.
  SmallVector<OpFoldResult> zeros(type.getRank(), b.getIndexAttr(0));
  SmallVector<OpFoldResult> ones(type.getRank(), b.getIndexAttr(1));
  Value part =
      tensor::ExtractSliceOp::create(b, loc, value, zeros, copied, ones);
  return tensor::InsertSliceOp::create(b, loc, part, init, zeros, copied, ones);
}

Value lowering::reshapeToSizes(OpBuilder &b, Location loc, Value input,
                               RankedTensorType type,
                               ArrayRef<OpFoldResult> sizes) {
  SmallVector<Value> shape;
  for (OpFoldResult size : sizes)
    shape.push_back(getValueOrCreateConstantIndexOp(b, loc, size));
  Value shapeTensor = tensor::FromElementsOp::create(b, loc, shape);
  return tensor::ReshapeOp::create(b, loc, type, input, shapeTensor);
}
