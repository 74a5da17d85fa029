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
#include "dialects/Graph/ShardingRuleOpInterface.h"

#include "mlir/IR/BuiltinTypes.h"

namespace mlir::func {
class FuncOp;
} // namespace mlir::func

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

/// The layout of a tensor over the "tp" axis (shared with the ops' sharding
/// rules).
using TensorParallelLayout = graph::TensorParallelLayout;

/// The `#dist.sharding` on @mesh of a tensor of rank `rank` laid out as
/// `layout` over the "tp" axis. A partial layout must be a sum (the only
/// reduction `#dist.sharding` records).
ShardingAttr toShardingAttr(const TensorParallelLayout &layout,
                            mlir::MLIRContext *context, int64_t rank);

/// Emits a remark "op X has no sharding rule; replicated" on each graph op
/// of `function` (constants aside) that does not implement
/// ShardingRuleOpInterface, and returns how many there are.
int64_t reportOpsWithoutShardingRule(mlir::func::FuncOp function);

/// The size of every rank's shard of a tensor of type `global` laid out as
/// `sharding` on `mesh`: each static dimension divided by the product of the
/// sizes of the mesh axes splitting it (dynamic ones stay dynamic).
mlir::RankedTensorType getLocalType(mlir::RankedTensorType global,
                                    ShardingAttr sharding, MeshOp mesh);

/// The same, on a mesh given by its axis names `meshAxes` and their sizes
/// `meshShape` (e.g. as a recorded manifest holds it).
mlir::RankedTensorType getLocalType(mlir::RankedTensorType global,
                                    ShardingAttr sharding,
                                    llvm::ArrayRef<llvm::StringRef> meshAxes,
                                    llvm::ArrayRef<int64_t> meshShape);

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
