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
} // namespace exaforge::dist

#include "dialects/Dist/DistEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/Dist/DistAttrs.h.inc"

#endif // EXAFORGE_DIALECTS_DIST_DISTDIALECT_H
