//===- Mesh.h - The mesh of the distribution passes -------------*- C++ -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The distribution passes share one mesh, `@mesh`, declared once with its
// axes in a fixed order by `dist-declare-mesh`; each pass looks up the axis
// it partitions along instead of adding it.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_PASSES_DIST_MESH_H
#define EXAFORGE_PASSES_DIST_MESH_H

#include "dialects/Dist/DistOps.h"

#include "mlir/IR/BuiltinOps.h"

namespace exaforge::dist {

/// The mesh axis of the data-parallel replicas.
inline constexpr llvm::StringLiteral kDataParallelAxis = "dp";
/// The mesh axis of the pipeline stages.
inline constexpr llvm::StringLiteral kPipelineAxis = "pp";

/// Returns the mesh `@mesh` of `module` after checking that it has an axis
/// `axis` of size `size`. A module without a mesh (a pass run on its own)
/// gets `dist.mesh @mesh axes = [axis] shape = [size]`. Fails with a
/// diagnostic at the mesh when it lacks the axis or the axis has another
/// size, or when the module declares a mesh of another name.
mlir::FailureOr<MeshOp>
getOrDeclareMeshAxis(mlir::ModuleOp module, llvm::StringRef axis, int64_t size);

} // namespace exaforge::dist

#endif // EXAFORGE_PASSES_DIST_MESH_H
