//===- DistDialect.h - Exaforge distribution dialect ------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Declares the `dist` dialect class and its attributes. Include DistOps.h for
// the ops.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_DIALECTS_DIST_DISTDIALECT_H
#define EXAFORGE_DIALECTS_DIST_DISTDIALECT_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Dialect.h"

#include "dialects/Dist/DistOpsDialect.h.inc"

namespace exaforge::dist {
/// The argument and result attribute of a function that gives the sharding
/// (`#dist.sharding`) of that input or output of the model.
inline constexpr llvm::StringLiteral kShardingAttrName = "dist.sharding";
/// The result attribute of a function whose value only some ranks compute
/// (the last stage of a pipeline): a dictionary from mesh axis names to the
/// coordinate of the ranks that hold it, e.g. `{pp = 1 : i64}`.
inline constexpr llvm::StringLiteral kProducedOnAttrName = "dist.produced_on";
/// On the `scf.index_switch` over the stages of a pipeline: the number of
/// micro-batches each run is cut into (an i64).
inline constexpr llvm::StringLiteral kMicroBatchesAttrName =
    "dist.microbatches";

/// The coordinates of rank `rank` on a mesh of shape `meshShape`, one per
/// axis. Ranks are numbered row-major, the last axis varying fastest (on a
/// 2x2 dp x tp mesh rank 1 is dp=0 tp=1), as the runtime numbers them.
llvm::SmallVector<int64_t> getMeshCoordinates(llvm::ArrayRef<int64_t> meshShape,
                                              int64_t rank);
} // namespace exaforge::dist

#include "dialects/Dist/DistEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/Dist/DistAttrs.h.inc"

#endif // EXAFORGE_DIALECTS_DIST_DISTDIALECT_H
