//===- DeclareMesh.cpp - The mesh of a distributed compile ----------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `dist-declare-mesh` (see Passes.td) and the look-up of Mesh.h.
//
//===----------------------------------------------------------------------===//

#include "passes/Dist/Mesh.h"
#include "passes/Dist/Passes.h"
#include "passes/Dist/TensorParallel.h"

#include "mlir/IR/Builders.h"

namespace exaforge::dist {
#define GEN_PASS_DEF_DISTDECLAREMESH
#include "passes/Dist/Passes.h.inc"
} // namespace exaforge::dist

using namespace mlir;
using namespace exaforge::dist;

FailureOr<MeshOp> exaforge::dist::getOrDeclareMeshAxis(ModuleOp module,
                                                       StringRef axis,
                                                       int64_t size) {
  auto mesh = module.lookupSymbol<MeshOp>(kMeshName);
  if (!mesh) {
    auto meshes = module.getOps<MeshOp>();
    if (!meshes.empty())
      return (*meshes.begin())
                 .emitError("the distribution passes use the mesh @")
             << kMeshName << ", not @" << (*meshes.begin()).getSymName();
    OpBuilder builder = OpBuilder::atBlockBegin(module.getBody());
    return MeshOp::create(builder, module.getLoc(), kMeshName,
                          builder.getStrArrayAttr({axis}),
                          builder.getDenseI64ArrayAttr({size}));
  }
  std::optional<unsigned> index = mesh.getAxisIndex(axis);
  if (!index)
    return mesh.emitError("the mesh has no \"")
           << axis << "\" axis (dist-declare-mesh declares the axes of every "
           << "parallelism the module is compiled for)";
  if (mesh.getShape()[*index] != size)
    return mesh.emitError("the \"")
           << axis << "\" axis of the mesh has size " << mesh.getShape()[*index]
           << ", but the pass partitions over " << size;
  return mesh;
}

namespace {

struct DistDeclareMeshPass
    : exaforge::dist::impl::DistDeclareMeshBase<DistDeclareMeshPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    // The order of the axes, slowest-varying first, is part of the artifact
    // format: ranks of one tensor-parallel group are neighbours.
    std::pair<StringRef, int64_t> axes[] = {{kDataParallelAxis, dp},
                                            {kPipelineAxis, pp},
                                            {kTensorParallelAxis, tp}};
    SmallVector<StringRef> names;
    SmallVector<int64_t> shape;
    for (auto [name, size] : axes) {
      if (size < 1) {
        module.emitError("the mesh axis \"")
            << name << "\" needs at least one rank, got " << size;
        return signalPassFailure();
      }
      if (size > 1) {
        names.push_back(name);
        shape.push_back(size);
      }
    }
    if (names.empty())
      return;
    if (!module.getOps<MeshOp>().empty()) {
      (*module.getOps<MeshOp>().begin())
          .emitError("the module already declares a mesh");
      return signalPassFailure();
    }
    OpBuilder builder = OpBuilder::atBlockBegin(module.getBody());
    MeshOp::create(builder, module.getLoc(), kMeshName,
                   builder.getStrArrayAttr(names),
                   builder.getDenseI64ArrayAttr(shape));
  }
};

} // namespace
