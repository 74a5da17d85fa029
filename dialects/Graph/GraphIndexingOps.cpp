//===- GraphIndexingOps.cpp - Indexing, scatter and selection ops --------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Result type inference of the ops of GraphIndexingOps.td: GatherND,
// ScatterND, ScatterElements, TopK, OneHot, EyeLike, ReverseSequence,
// Einsum, Det and TfIdfVectorizer.
//
//===----------------------------------------------------------------------===//

#include "dialects/Graph/EinsumEquation.h"
#include "dialects/Graph/GraphOps.h"
#include "dialects/Graph/GraphTypeInference.h"

#include "mlir/IR/Diagnostics.h"

#include <cmath>

using namespace mlir;
using namespace exaforge::graph;

namespace {
constexpr int64_t kDynamic = ShapedType::kDynamic;

/// Returns the size two operands must share: the static one of `a` and
/// `b`, dynamic when neither is static.
int64_t mergeDim(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) ? b : a;
}

/// Checks that `updates` has the shape `expected` (dynamic sizes of either
/// match anything), naming the op's operands in the diagnostic.
LogicalResult checkUpdatesShape(std::optional<Location> loc,
                                RankedTensorType updates,
                                ArrayRef<int64_t> expected) {
  bool matches = updates.getRank() == static_cast<int64_t>(expected.size());
  for (int64_t i = 0; matches && i < updates.getRank(); ++i)
    matches = ShapedType::isDynamic(expected[i]) || updates.isDynamicDim(i) ||
              expected[i] == updates.getDimSize(i);
  if (!matches)
    return emitOptionalError(loc, "'updates' must have shape ",
                             formatShape(expected), ", got ",
                             formatShape(updates.getShape()));
  return success();
}
} // namespace

LogicalResult GatherNDOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  RankedTensorType dataType = tensorTypeOf(adaptor.getData());
  RankedTensorType indicesType = tensorTypeOf(adaptor.getIndices());
  int64_t dataRank = dataType.getRank();
  int64_t indicesRank = indicesType.getRank();
  int64_t batchDims = adaptor.getBatchDims();
  if (indicesRank < 1 || dataRank < 1)
    return emitOptionalError(loc, "'data' and 'indices' must have rank 1 "
                                  "or more");
  int64_t tupleSize = indicesType.getDimSize(indicesRank - 1);
  if (ShapedType::isDynamic(tupleSize))
    return emitOptionalError(loc, "the last dimension of 'indices' must be "
                                  "static");
  if (batchDims < 0 || batchDims >= std::min(dataRank, indicesRank))
    return emitOptionalError(loc, "'batch_dims' is ", batchDims,
                             ", must be in [0, ",
                             std::min(dataRank, indicesRank) - 1, "]");
  if (batchDims + tupleSize > dataRank)
    return emitOptionalError(loc, "index tuples of ", tupleSize,
                             " entries after ", batchDims,
                             " batch dimensions exceed the rank ", dataRank,
                             " of 'data'");
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < batchDims; ++i)
    shape.push_back(mergeDim(indicesType.getDimSize(i), dataType.getDimSize(i)));
  for (int64_t i = batchDims; i < indicesRank - 1; ++i)
    shape.push_back(indicesType.getDimSize(i));
  llvm::append_range(shape,
                     dataType.getShape().drop_front(batchDims + tupleSize));
  types.push_back(dataType.clone(shape));
  return success();
}

LogicalResult ScatterNDOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  RankedTensorType dataType = tensorTypeOf(adaptor.getData());
  RankedTensorType indicesType = tensorTypeOf(adaptor.getIndices());
  RankedTensorType updatesType = tensorTypeOf(adaptor.getUpdates());
  int64_t indicesRank = indicesType.getRank();
  if (indicesRank < 1 || dataType.getRank() < 1)
    return emitOptionalError(loc, "'data' and 'indices' must have rank 1 "
                                  "or more");
  int64_t tupleSize = indicesType.getDimSize(indicesRank - 1);
  if (ShapedType::isDynamic(tupleSize))
    return emitOptionalError(loc, "the last dimension of 'indices' must be "
                                  "static");
  if (tupleSize > dataType.getRank())
    return emitOptionalError(loc, "index tuples of ", tupleSize,
                             " entries exceed the rank ", dataType.getRank(),
                             " of 'data'");
  if (updatesType.getElementType() != dataType.getElementType())
    return emitOptionalError(loc, "'updates' must have the element type of "
                                  "'data'");
  SmallVector<int64_t> expected(indicesType.getShape().drop_back());
  llvm::append_range(expected, dataType.getShape().drop_front(tupleSize));
  if (failed(checkUpdatesShape(loc, updatesType, expected)))
    return failure();
  types.push_back(dataType);
  return success();
}

LogicalResult ScatterElementsOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  RankedTensorType dataType = tensorTypeOf(adaptor.getData());
  RankedTensorType indicesType = tensorTypeOf(adaptor.getIndices());
  RankedTensorType updatesType = tensorTypeOf(adaptor.getUpdates());
  if (dataType.getRank() == 0)
    return emitOptionalError(loc, "'data' must have rank 1 or more");
  if (indicesType.getRank() != dataType.getRank())
    return emitOptionalError(loc, "'indices' must have the rank of 'data' (",
                             dataType.getRank(), "), got ",
                             indicesType.getRank());
  if (updatesType.getElementType() != dataType.getElementType())
    return emitOptionalError(loc, "'updates' must have the element type of "
                                  "'data'");
  if (failed(checkUpdatesShape(loc, updatesType, indicesType.getShape())) ||
      failed(normalizeAxis(loc, adaptor.getAxis(), dataType.getRank())))
    return failure();
  types.push_back(dataType);
  return success();
}

LogicalResult TopKOp::inferReturnTypes(MLIRContext *context,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  RankedTensorType type = tensorTypeOf(adaptor.getInput());
  if (type.getRank() == 0)
    return emitOptionalError(loc, "'input' must have rank 1 or more");
  FailureOr<int64_t> axis =
      normalizeAxis(loc, adaptor.getAxis(), type.getRank());
  if (failed(axis))
    return failure();
  RankedTensorType kType = tensorTypeOf(adaptor.getK());
  if (kType.getRank() != 1)
    return emitOptionalError(loc, "'k' must be a 1-D tensor, got rank ",
                             kType.getRank());
  int64_t kLength = kType.getDimSize(0);
  if (!ShapedType::isDynamic(kLength) && kLength != 1)
    return emitOptionalError(loc, "'k' must have one element, got ", kLength);
  SmallVector<int64_t> shape(type.getShape());
  shape[*axis] = kDynamic;
  if (std::optional<SmallVector<int64_t>> k =
          getConstantIntValues(adaptor.getK())) {
    int64_t size = type.getDimSize(*axis);
    if ((*k)[0] < 0 || (!ShapedType::isDynamic(size) && (*k)[0] > size))
      return emitOptionalError(loc, "'k' is ", (*k)[0],
                               ", must be in [0, ", formatShape({size}),
                               "] (the size of the axis)");
    shape[*axis] = (*k)[0];
  }
  types.push_back(type.clone(shape));
  types.push_back(type.clone(shape, IntegerType::get(context, 64)));
  return success();
}

LogicalResult OneHotOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  RankedTensorType indicesType = tensorTypeOf(adaptor.getIndices());
  RankedTensorType depthType = tensorTypeOf(adaptor.getDepth());
  RankedTensorType valuesType = tensorTypeOf(adaptor.getValues());
  if (depthType.hasStaticShape() && depthType.getNumElements() != 1)
    return emitOptionalError(loc, "'depth' must have one element");
  if (valuesType.getRank() != 1 ||
      (!valuesType.isDynamicDim(0) && valuesType.getDimSize(0) != 2))
    return emitOptionalError(loc, "'values' must be a vector of two "
                                  "elements (off, on), got ",
                             valuesType);
  int64_t rank = indicesType.getRank() + 1;
  FailureOr<int64_t> axis = normalizeAxis(loc, adaptor.getAxis(), rank);
  if (failed(axis))
    return failure();
  int64_t depth = kDynamic;
  if (std::optional<double> value = getConstantScalar(adaptor.getDepth())) {
    std::optional<int64_t> size = getDimensionSizeFromFloat(std::trunc(*value));
    if (!size || *size < 1)
      return emitOptionalError(loc, "'depth' is ", *value,
                               ", must be a number from 1 to 2^62");
    depth = *size;
  }
  SmallVector<int64_t> shape(indicesType.getShape());
  shape.insert(shape.begin() + *axis, depth);
  types.push_back(valuesType.clone(shape));
  return success();
}

LogicalResult EyeLikeOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location>,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  types.push_back(tensorTypeOf(adaptor.getInput()).clone(adaptor.getDtype()));
  return success();
}

LogicalResult ReverseSequenceOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  RankedTensorType type = tensorTypeOf(adaptor.getInput());
  int64_t batchAxis = adaptor.getBatchAxis();
  int64_t timeAxis = adaptor.getTimeAxis();
  if (type.getRank() < 2)
    return emitOptionalError(loc, "'input' must have rank 2 or more, got ",
                             type);
  if (!((batchAxis == 0 && timeAxis == 1) || (batchAxis == 1 && timeAxis == 0)))
    return emitOptionalError(loc, "'batch_axis' and 'time_axis' must be 0 "
                                  "and 1 in some order, got ",
                             batchAxis, " and ", timeAxis);
  RankedTensorType lengthsType = tensorTypeOf(adaptor.getSequenceLens());
  if (lengthsType.getRank() != 1)
    return emitOptionalError(
        loc, "'sequence_lens' must be a 1-D tensor, got rank ",
        lengthsType.getRank());
  int64_t lengths = lengthsType.getDimSize(0);
  int64_t batch = type.getDimSize(batchAxis);
  if (!ShapedType::isDynamic(lengths) && !ShapedType::isDynamic(batch) &&
      lengths != batch)
    return emitOptionalError(loc, "'sequence_lens' has ", lengths,
                             " entries, the batch size is ", batch);
  types.push_back(type);
  return success();
}

LogicalResult EinsumOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  if (adaptor.getInputs().empty())
    return emitOptionalError(loc, "needs at least one input");
  SmallVector<int64_t> ranks;
  Type elementType = tensorTypeOf(adaptor.getInputs()[0]).getElementType();
  for (Value input : adaptor.getInputs()) {
    ranks.push_back(tensorTypeOf(input).getRank());
    if (tensorTypeOf(input).getElementType() != elementType)
      return emitOptionalError(loc, "inputs must share one element type");
  }
  std::string error;
  FailureOr<EinsumEquation> equation =
      parseEinsumEquation(adaptor.getEquation(), ranks, error);
  if (failed(equation))
    return emitOptionalError(loc, "equation '", adaptor.getEquation(),
                             "': ", error);
  // A loop's size: a static size other than 1 (a broadcast `...` size) of
  // any dimension it indexes, else 1 when one is, else dynamic.
  SmallVector<int64_t> loopSizes(equation->numLoops, kDynamic);
  for (auto [input, loops] : llvm::zip(adaptor.getInputs(), equation->inputs))
    for (auto [dim, loop] : llvm::enumerate(loops)) {
      int64_t size = tensorTypeOf(input).getDimSize(dim);
      if (ShapedType::isDynamic(size))
        continue;
      int64_t &known = loopSizes[loop];
      if (!ShapedType::isDynamic(known) && known != 1 && size != 1 &&
          known != size)
        return emitOptionalError(loc, "equation '", adaptor.getEquation(),
                                 "': sizes ", known, " and ", size,
                                 " of one index disagree");
      if (ShapedType::isDynamic(known) || known == 1)
        known = size;
    }
  SmallVector<int64_t> shape;
  for (int64_t loop : equation->output)
    shape.push_back(loopSizes[loop]);
  types.push_back(RankedTensorType::get(shape, elementType));
  return success();
}

LogicalResult DetOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  RankedTensorType type = tensorTypeOf(adaptor.getInput());
  int64_t rank = type.getRank();
  if (rank < 2)
    return emitOptionalError(loc, "'input' must have rank 2 or more, got ",
                             type);
  int64_t rows = type.getDimSize(rank - 2);
  int64_t columns = type.getDimSize(rank - 1);
  if (!ShapedType::isDynamic(rows) && !ShapedType::isDynamic(columns) &&
      rows != columns)
    return emitOptionalError(loc, "'input' must hold square matrices, got ",
                             formatShape(type.getShape()));
  types.push_back(type.clone(type.getShape().drop_back(2)));
  return success();
}

LogicalResult TfIdfVectorizerOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  RankedTensorType type = tensorTypeOf(adaptor.getInput());
  if (type.getRank() != 1 && type.getRank() != 2)
    return emitOptionalError(loc, "'input' must have rank 1 or 2, got ", type);
  StringRef mode = adaptor.getMode();
  if (mode != "TF" && mode != "IDF" && mode != "TFIDF")
    return emitOptionalError(loc, "'mode' must be TF, IDF or TFIDF, got '",
                             mode, "'");
  int64_t minLength = adaptor.getMinGramLength();
  int64_t maxLength = adaptor.getMaxGramLength();
  if (minLength < 1 || maxLength < minLength || adaptor.getMaxSkipCount() < 0)
    return emitOptionalError(loc, "n-gram lengths [", minLength, ", ",
                             maxLength, "] or skip count ",
                             adaptor.getMaxSkipCount(), " are invalid");
  ArrayRef<int64_t> counts = adaptor.getNgramCounts();
  ArrayRef<int64_t> indexes = adaptor.getNgramIndexes();
  int64_t poolSize = adaptor.getPoolInt64s().size();
  // The pool holds counts.size() groups, group k of n-grams of length k + 1.
  int64_t ngrams = 0;
  for (auto [k, start] : llvm::enumerate(counts)) {
    int64_t end = k + 1 < counts.size() ? counts[k + 1] : poolSize;
    if (start < 0 || end < start || (end - start) % (k + 1) != 0)
      return emitOptionalError(loc, "'ngram_counts' does not split the pool "
                                    "of ", poolSize,
                               " tokens into n-grams");
    ngrams += (end - start) / static_cast<int64_t>(k + 1);
  }
  if (static_cast<int64_t>(indexes.size()) != ngrams)
    return emitOptionalError(loc, "'ngram_indexes' has ", indexes.size(),
                             " entries for ", ngrams, " n-grams");
  int64_t columns = 0;
  for (int64_t index : indexes) {
    if (index < 0)
      return emitOptionalError(loc, "'ngram_indexes' has a negative entry");
    columns = std::max(columns, index + 1);
  }
  if (std::optional<ArrayRef<float>> weights = adaptor.getWeights())
    if (static_cast<int64_t>(weights->size()) < columns)
      return emitOptionalError(loc, "'weights' has ", weights->size(),
                               " entries for ", columns, " columns");
  SmallVector<int64_t> shape;
  if (type.getRank() == 2)
    shape.push_back(type.getDimSize(0));
  shape.push_back(columns);
  types.push_back(RankedTensorType::get(shape, Float32Type::get(context)));
  return success();
}
