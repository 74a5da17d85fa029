//===- ShapeVector.cpp - Partially known shape vectors --------------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements getShapeVectorEntries (ShapeVector.h): a walk up the producers
// of a small integer tensor that keeps, per element, a value or the tensor
// dimension it equals. Each producer kind has one rule below; an unknown
// producer makes every element unknown. The walk is bounded in depth and
// remembers the vectors it traced, so shared producers (the same Shape read
// by several Gathers) are traced once.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/ShapeVector.h"

#include "dialects/Graph/GraphOps.h"

#include "llvm/ADT/DenseMap.h"

using namespace mlir;

namespace exaforge::graph {
namespace {

/// Entries of one traced vector.
using Entries = SmallVector<ShapeEntry>;

/// Deepest chain of producers the walk follows.
constexpr unsigned kMaxTraceDepth = 32;

/// Returns the number of elements of `value` when it is an integer tensor
/// of static shape with at most kMaxShapeVectorLength elements.
std::optional<int64_t> getTracedLength(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || !type.hasStaticShape() ||
      !isa<IntegerType>(type.getElementType()) ||
      type.getNumElements() > kMaxShapeVectorLength)
    return std::nullopt;
  return type.getNumElements();
}

/// Returns the entry of a constant element of `value`'s element type.
ShapeEntry constantEntry(const APInt &element, Type elementType) {
  bool isUnsigned = elementType.isUnsignedInteger() || elementType.isInteger(1);
  return ShapeEntry::constant(isUnsigned
                                  ? static_cast<int64_t>(element.getZExtValue())
                                  : element.getSExtValue());
}

/// Picks, for element `i` of a broadcast of `length` elements, the entry of
/// `operand`, which has `length` elements or one.
const ShapeEntry &broadcastEntry(const Entries &operand, int64_t i) {
  return operand.size() == 1 ? operand.front() : operand[i];
}

/// Whether every operand of the elementwise `op` has one element or the
/// result's shape, so that its rule may read them through broadcastEntry
/// (other broadcasts do not line up element by element in row-major order).
bool broadcastsElementwise(Operation *op) {
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  for (Value operand : op->getOperands()) {
    auto type = cast<RankedTensorType>(operand.getType());
    if (!type.hasStaticShape())
      return false;
    if (type.getNumElements() != 1 && type.getShape() != resultType.getShape())
      return false;
  }
  return true;
}

/// The walk of one query; caches the vectors it traced.
class ShapeVectorTracer {
public:
  /// Traces `value`; nullopt when it is not a small static integer tensor.
  std::optional<Entries> trace(Value value) {
    std::optional<int64_t> length = getTracedLength(value);
    if (!length)
      return std::nullopt;
    auto cached = cache.find(value);
    if (cached != cache.end())
      return cached->second;
    Entries entries(*length, ShapeEntry::unknown());
    if (Operation *producer = value.getDefiningOp();
        producer && depth < kMaxTraceDepth) {
      ++depth;
      if (std::optional<Entries> traced =
              traceProducer(producer, cast<OpResult>(value), *length))
        entries = std::move(*traced);
      --depth;
    }
    cache[value] = entries;
    return entries;
  }

private:
  /// Applies the rule of `producer`'s kind; nullopt when there is none (or
  /// it does not apply).
  std::optional<Entries> traceProducer(Operation *producer, OpResult result,
                                       int64_t length);

  /// Traces `value` and checks it has `length` elements.
  std::optional<Entries> traceSameLength(Value value, int64_t length) {
    std::optional<Entries> entries = trace(value);
    if (!entries || static_cast<int64_t>(entries->size()) != length)
      return std::nullopt;
    return entries;
  }

  std::optional<Entries> traceShape(ShapeOp op);
  std::optional<Entries> traceSlice(SliceOp op, int64_t length);
  std::optional<Entries> traceGather(GatherOp op, int64_t length);
  std::optional<Entries> traceConcat(ConcatOp op, int64_t length);
  std::optional<Entries> traceCast(CastOp op, int64_t length);
  std::optional<Entries> traceEqual(EqualOp op, int64_t length);
  std::optional<Entries> traceWhere(WhereOp op, int64_t length);

  llvm::DenseMap<Value, Entries> cache;
  unsigned depth = 0;
};

std::optional<Entries> ShapeVectorTracer::traceProducer(Operation *producer,
                                                        OpResult result,
                                                        int64_t length) {
  if (auto constant = dyn_cast<ConstantOp>(producer)) {
    auto dense = dyn_cast<DenseIntElementsAttr>(constant.getValue());
    if (!dense)
      return std::nullopt;
    Entries entries;
    for (const APInt &element : dense.getValues<APInt>())
      entries.push_back(constantEntry(element, dense.getElementType()));
    return entries;
  }
  if (auto shape = dyn_cast<ShapeOp>(producer))
    return traceShape(shape);
  if (auto size = dyn_cast<SizeOp>(producer)) {
    RankedTensorType type = tensorTypeOf(size.getInput());
    if (!type.hasStaticShape())
      return std::nullopt;
    return Entries{ShapeEntry::constant(type.getNumElements())};
  }
  if (auto slice = dyn_cast<SliceOp>(producer))
    return traceSlice(slice, length);
  if (auto gather = dyn_cast<GatherOp>(producer))
    return traceGather(gather, length);
  if (auto concat = dyn_cast<ConcatOp>(producer))
    return traceConcat(concat, length);
  if (auto cast = dyn_cast<CastOp>(producer))
    return traceCast(cast, length);
  if (auto equal = dyn_cast<EqualOp>(producer))
    return traceEqual(equal, length);
  if (auto where = dyn_cast<WhereOp>(producer))
    return traceWhere(where, length);
  // Ops that keep the elements in row-major order.
  if (isa<ReshapeOp, SqueezeOp, UnsqueezeOp, FlattenOp, IdentityOp>(producer))
    return traceSameLength(producer->getOperand(0), length);
  if (auto expand = dyn_cast<ExpandOp>(producer)) {
    // A one-element input repeats; an input of the result's shape stays.
    std::optional<Entries> input = trace(expand.getInput());
    if (input && input->size() == 1)
      return Entries(length, input->front());
    if (input && tensorTypeOf(expand.getInput()) == expand.getType())
      return input;
    return std::nullopt;
  }
  return std::nullopt;
}

std::optional<Entries> ShapeVectorTracer::traceShape(ShapeOp op) {
  Value input = op.getInput();
  ArrayRef<int64_t> shape = tensorTypeOf(input).getShape();
  auto [first, last] = getShapeOpRange(shape.size(), op.getStart(), op.getEnd());
  Entries entries;
  for (int64_t d = first; d < last; ++d)
    entries.push_back(ShapedType::isDynamic(shape[d])
                          ? ShapeEntry::dimOf(input, d)
                          : ShapeEntry::constant(shape[d]));
  return entries;
}

std::optional<Entries> ShapeVectorTracer::traceSlice(SliceOp op,
                                                     int64_t length) {
  std::optional<Entries> data = trace(op.getData());
  if (!data || tensorTypeOf(op.getData()).getRank() != 1)
    return std::nullopt;
  std::optional<SmallVector<int64_t>> starts =
      getConstantIntValues(op.getStarts());
  std::optional<SmallVector<int64_t>> ends = getConstantIntValues(op.getEnds());
  std::optional<SmallVector<int64_t>> steps =
      op.getSteps() ? getConstantIntValues(op.getSteps())
                    : SmallVector<int64_t>{1};
  std::optional<SmallVector<int64_t>> axes =
      op.getAxes() ? getConstantIntValues(op.getAxes())
                   : SmallVector<int64_t>{0};
  if (!starts || !ends || !steps || !axes || starts->size() != 1 ||
      ends->size() != 1 || steps->size() != 1 || axes->size() != 1 ||
      ((*axes)[0] != 0 && (*axes)[0] != -1) || (*steps)[0] == 0)
    return std::nullopt;
  SliceBounds bounds = getStaticSliceBounds(data->size(), (*starts)[0],
                                            (*ends)[0], (*steps)[0]);
  if (bounds.count != length)
    return std::nullopt;
  Entries entries;
  for (int64_t i = 0; i < bounds.count; ++i)
    entries.push_back((*data)[bounds.start + i * (*steps)[0]]);
  return entries;
}

std::optional<Entries> ShapeVectorTracer::traceGather(GatherOp op,
                                                      int64_t length) {
  std::optional<Entries> data = trace(op.getData());
  std::optional<SmallVector<int64_t>> indices =
      getConstantIntValues(op.getIndices());
  if (!data || !indices || tensorTypeOf(op.getData()).getRank() != 1 ||
      static_cast<int64_t>(indices->size()) != length)
    return std::nullopt;
  int64_t size = data->size();
  Entries entries;
  for (int64_t index : *indices) {
    if (index < 0)
      index += size;
    if (index < 0 || index >= size)
      return std::nullopt;
    entries.push_back((*data)[index]);
  }
  return entries;
}

std::optional<Entries> ShapeVectorTracer::traceConcat(ConcatOp op,
                                                      int64_t length) {
  if (op.getType().getRank() != 1)
    return std::nullopt;
  Entries entries;
  for (Value input : op.getInputs()) {
    std::optional<Entries> part = trace(input);
    if (!part)
      return std::nullopt;
    llvm::append_range(entries, *part);
  }
  if (static_cast<int64_t>(entries.size()) != length)
    return std::nullopt;
  return entries;
}

std::optional<Entries> ShapeVectorTracer::traceCast(CastOp op, int64_t length) {
  std::optional<Entries> input = traceSameLength(op.getInput(), length);
  if (!input)
    return std::nullopt;
  auto to = cast<IntegerType>(op.getType().getElementType());
  unsigned width = to.getWidth();
  for (ShapeEntry &entry : *input) {
    if (std::optional<int64_t> value = entry.getConstant()) {
      // The value as the narrower type holds it.
      APInt bits(64, *value, /*isSigned=*/true);
      bits = bits.trunc(width);
      entry = width == 1 ? ShapeEntry::constant(!bits.isZero())
              : to.isUnsigned()
                  ? ShapeEntry::constant(bits.getZExtValue())
                  : ShapeEntry::constant(bits.getSExtValue());
    } else if (entry.isDimOf() && width < 32) {
      // Dimensions are assumed to fit in 32 bits, not in fewer.
      entry = ShapeEntry::unknown();
    }
  }
  return input;
}

std::optional<Entries> ShapeVectorTracer::traceEqual(EqualOp op,
                                                     int64_t length) {
  std::optional<Entries> lhs = trace(op.getLhs());
  std::optional<Entries> rhs = trace(op.getRhs());
  if (!lhs || !rhs || !broadcastsElementwise(op))
    return std::nullopt;
  Entries entries;
  for (int64_t i = 0; i < length; ++i) {
    const ShapeEntry &l = broadcastEntry(*lhs, i);
    const ShapeEntry &r = broadcastEntry(*rhs, i);
    if (l.getConstant() && r.getConstant())
      entries.push_back(ShapeEntry::constant(*l.getConstant() == *r.getConstant()));
    else if (l.isDimOf() && l == r)
      entries.push_back(ShapeEntry::constant(1));
    else if ((l.isDimOf() && r.getConstant() && *r.getConstant() < 0) ||
             (r.isDimOf() && l.getConstant() && *l.getConstant() < 0))
      // A dimension is never negative (exporters test shapes against -1).
      entries.push_back(ShapeEntry::constant(0));
    else
      entries.push_back(ShapeEntry::unknown());
  }
  return entries;
}

std::optional<Entries> ShapeVectorTracer::traceWhere(WhereOp op,
                                                     int64_t length) {
  std::optional<Entries> condition = trace(op.getCondition());
  std::optional<Entries> lhs = trace(op.getLhs());
  std::optional<Entries> rhs = trace(op.getRhs());
  if (!condition || !lhs || !rhs || !broadcastsElementwise(op))
    return std::nullopt;
  Entries entries;
  for (int64_t i = 0; i < length; ++i) {
    std::optional<int64_t> selector = broadcastEntry(*condition, i).getConstant();
    if (!selector)
      entries.push_back(ShapeEntry::unknown());
    else
      entries.push_back(*selector ? broadcastEntry(*lhs, i)
                                  : broadcastEntry(*rhs, i));
  }
  return entries;
}

} // namespace

std::optional<SmallVector<ShapeEntry>> getShapeVectorEntries(Value value) {
  if (!value)
    return std::nullopt;
  return ShapeVectorTracer().trace(value);
}

std::optional<SmallVector<int64_t>> getShapeVectorSizes(Value value) {
  if (!value || tensorTypeOf(value).getRank() != 1)
    return std::nullopt;
  std::optional<SmallVector<ShapeEntry>> entries = getShapeVectorEntries(value);
  if (!entries)
    return std::nullopt;
  SmallVector<int64_t> sizes;
  for (const ShapeEntry &entry : *entries)
    sizes.push_back(entry.getSize());
  return sizes;
}

DenseElementsAttr foldKnownShapeVector(Value result) {
  std::optional<SmallVector<ShapeEntry>> entries = getShapeVectorEntries(result);
  if (!entries)
    return {};
  auto type = cast<RankedTensorType>(result.getType());
  unsigned width = type.getElementType().getIntOrFloatBitWidth();
  SmallVector<APInt> values;
  for (const ShapeEntry &entry : *entries) {
    std::optional<int64_t> value = entry.getConstant();
    if (!value)
      return {};
    values.push_back(APInt(64, *value, /*isSigned=*/true).trunc(width));
  }
  return DenseElementsAttr::get(type, values);
}

} // namespace exaforge::graph
