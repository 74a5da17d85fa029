//===- ShardingRuleOpInterface.h - How an op may be split -------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Declares the vocabulary of the tensor-parallel sharding rules (the layout
// of a tensor over the "tp" axis, the decision of one op, the state a rule
// reads), the interface through which an op states its rule
// (ShardingRuleOpInterface, generated from ShardingRuleOpInterface.td) and
// the helpers the rules share.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_DIALECTS_GRAPH_SHARDINGRULEOPINTERFACE_H
#define EXAFORGE_DIALECTS_GRAPH_SHARDINGRULEOPINTERFACE_H

#include "mlir/IR/OpDefinition.h"

// The upstream shard dialect's reduction kinds, without its ops.
#include "mlir/Dialect/Shard/IR/ShardEnums.h.inc"

#include <optional>

namespace exaforge::graph {

/// The layout of a tensor over the tensor-parallel ("tp") axis: whole on
/// every rank, split evenly along one dimension, or partial (each rank holds
/// one operand of a reduction still to be done by an all-reduce).
struct TensorParallelLayout {
  enum class Kind { Replicated, Split, Partial };
  Kind kind = Kind::Replicated;
  /// The split dimension (Split only).
  int64_t dim = -1;
  /// The all-reduce that completes a partial tensor (Partial only).
  mlir::shard::ReductionKind reduction = mlir::shard::ReductionKind::Sum;

  /// A tensor whole on every rank.
  static TensorParallelLayout replicated() { return {}; }
  /// A tensor split along `dim`.
  static TensorParallelLayout split(int64_t dim) { return {Kind::Split, dim}; }
  /// A tensor that is the `reduction` (a sum unless told) of the ranks'
  /// tensors.
  static TensorParallelLayout
  partial(mlir::shard::ReductionKind reduction =
              mlir::shard::ReductionKind::Sum) {
    return {Kind::Partial, -1, reduction};
  }

  bool isReplicated() const { return kind == Kind::Replicated; }
  bool isSplit() const { return kind == Kind::Split; }
  bool isPartial() const { return kind == Kind::Partial; }
  bool operator==(const TensorParallelLayout &other) const {
    return kind == other.kind && dim == other.dim &&
           (kind != Kind::Partial || reduction == other.reduction);
  }
  bool operator!=(const TensorParallelLayout &other) const {
    return !(*this == other);
  }

  /// Prints `replicated`, `split(D)` or `partial(KIND)`.
  void print(llvm::raw_ostream &os) const;
};

/// What an op does with the layouts of its operands: the layout in which it
/// consumes each operand and produces each result, and whether it is a
/// column-parallel linear layer (the origin of the split values it feeds).
struct ShardingDecision {
  llvm::SmallVector<TensorParallelLayout> operands;
  llvm::SmallVector<TensorParallelLayout> results;
  bool columnParallel = false;

  /// The decision of `op` keeping every operand and result whole.
  static ShardingDecision replicated(mlir::Operation *op);
};

/// What a sharding rule may ask of the propagation that calls it.
class ShardingContext {
public:
  virtual ~ShardingContext();

  /// The layout of `value` so far (a constant is replicated: the compiler
  /// slices it for each rank on demand).
  virtual TensorParallelLayout getLayout(mlir::Value value) const = 0;
  /// The number of ranks along the "tp" axis.
  virtual int64_t getNumRanks() const = 0;
  /// Returns true when the linear layer `op` may be column-parallel (false
  /// once its split has had to be gathered again).
  virtual bool mayBeColumnParallel(mlir::Operation *op) const = 0;

  /// Returns true when `value` is a `graph.constant`.
  static bool isConstant(mlir::Value value);
  /// Returns true when constant `value` can be split evenly along `dim`.
  bool canSplitConstant(mlir::Value value, int64_t dim) const;
  /// The layout operand `operand` takes to match a result of rank
  /// `resultRank` split along `resultDim` (by numpy broadcasting), or nullopt
  /// when it cannot: a constant is sliced, a split value must already be
  /// split there, a dimension of size 1 or a missing one stays replicated.
  std::optional<TensorParallelLayout>
  alignOperand(mlir::Value operand, int64_t resultDim,
               int64_t resultRank) const;
};

/// The rule of elementwise ops with numpy broadcasting: the results are
/// split like the split operands (constants are sliced to match). When
/// `keepsPartialSums` (Add, Sub), operands that are all partial sums give a
/// partial sum (a constant operand is then added on one rank only).
std::optional<ShardingDecision>
decideElementwiseSharding(mlir::Operation *op, const ShardingContext &context,
                          bool keepsPartialSums = false);

/// The rule of ops that move the split dimension of operand 0: `mapDim`
/// gives the result dimension of a split of operand 0 along a dimension
/// (nullopt: the op cannot keep it split). The other operands are
/// replicated; a partial operand is summed first.
std::optional<ShardingDecision> decideSplitOfFirstOperand(
    mlir::Operation *op, const ShardingContext &context,
    llvm::function_ref<std::optional<int64_t>(int64_t)> mapDim);

/// Where the row-major order of a reshape from `in` to `out` carries a split
/// of input dimension `dim` over `ranks` ranks: the output dimension whose
/// blocks of `out[e] / ranks` hold exactly the blocks of `in[dim] / ranks`,
/// or nullopt. Leading dimensions the two shapes share (the batch, possibly
/// dynamic) are skipped; the rest must be static.
std::optional<int64_t> mapSplitThroughReshape(llvm::ArrayRef<int64_t> in,
                                              llvm::ArrayRef<int64_t> out,
                                              int64_t dim, int64_t ranks);

} // namespace exaforge::graph

#include "dialects/Graph/ShardingRuleOpInterface.h.inc"

#endif // EXAFORGE_DIALECTS_GRAPH_SHARDINGRULEOPINTERFACE_H
