//===- TensorParallel.h - Shared pieces of the tensor-parallel passes -*- C++
//-*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The annotations `dist-tensor-parallel-sharding` writes and
// `dist-tensor-parallel-partition` reads, and the helpers both use to build
// and apply shardings over the "tp" mesh axis.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_PASSES_DIST_TENSORPARALLEL_H
#define EXAFORGE_PASSES_DIST_TENSORPARALLEL_H

#include "dialects/Dist/DistOps.h"

#include "mlir/IR/BuiltinTypes.h"

namespace exaforge::dist {

/// The name of the mesh the distribution passes declare.
inline constexpr llvm::StringLiteral kMeshName = "mesh";
/// The mesh axis of the tensor-parallel ranks.
inline constexpr llvm::StringLiteral kTensorParallelAxis = "tp";
/// On an op of the annotated global program: one `#dist.sharding` per
/// operand, the layout in which the op consumes it.
inline constexpr llvm::StringLiteral kOperandShardingsAttrName =
    "dist.operand_shardings";
/// On an op of the annotated global program: one `#dist.sharding` per
/// result, the layout in which the op produces it.
inline constexpr llvm::StringLiteral kResultShardingsAttrName =
    "dist.result_shardings";

/// The layout of a tensor over the "tp" axis: whole on every rank, split
/// evenly along one dimension, or a partial sum (each rank holds a summand).
struct TensorParallelLayout {
  enum class Kind { Replicated, Split, Partial };
  Kind kind = Kind::Replicated;
  /// The split dimension (Split only).
  int64_t dim = -1;

  /// A tensor whole on every rank.
  static TensorParallelLayout replicated() { return {}; }
  /// A tensor split along `dim`.
  static TensorParallelLayout split(int64_t dim) { return {Kind::Split, dim}; }
  /// A tensor that is the sum of the ranks' tensors.
  static TensorParallelLayout partial() { return {Kind::Partial, -1}; }

  bool isReplicated() const { return kind == Kind::Replicated; }
  bool isSplit() const { return kind == Kind::Split; }
  bool isPartial() const { return kind == Kind::Partial; }
  bool operator==(const TensorParallelLayout &other) const {
    return kind == other.kind && dim == other.dim;
  }
  bool operator!=(const TensorParallelLayout &other) const {
    return !(*this == other);
  }

  /// The `#dist.sharding` on @mesh of a tensor of rank `rank` with this
  /// layout over the "tp" axis.
  ShardingAttr toAttr(mlir::MLIRContext *context, int64_t rank) const;
};

/// The size of every rank's shard of a tensor of type `global` laid out as
/// `sharding` on `mesh`: each static dimension divided by the product of the
/// sizes of the mesh axes splitting it (dynamic ones stay dynamic).
mlir::RankedTensorType getLocalType(mlir::RankedTensorType global,
                                    ShardingAttr sharding, MeshOp mesh);

/// Returns true when `sharding` splits no dimension and is no partial sum.
bool isFullyReplicated(ShardingAttr sharding);

/// Copies the box `[offsets, offsets + sizes)` out of the dense row-major
/// array `data` of shape `shape` whose elements take `elementBytes` bytes.
std::string sliceRowMajor(llvm::ArrayRef<char> data,
                          llvm::ArrayRef<int64_t> shape, int64_t elementBytes,
                          llvm::ArrayRef<int64_t> offsets,
                          llvm::ArrayRef<int64_t> sizes);

/// The part `[offset, offset + size)` along dimension `dim` of the constant
/// `value` (a dense or dense_resource attribute; a new resource is named
/// `name`; an elided value gives an elided part), or failure when its
/// elements are not whole bytes.
mlir::FailureOr<mlir::ElementsAttr> sliceConstant(mlir::ElementsAttr value,
                                                  int64_t dim, int64_t offset,
                                                  int64_t size,
                                                  llvm::StringRef name);

} // namespace exaforge::dist

#endif // EXAFORGE_PASSES_DIST_TENSORPARALLEL_H
