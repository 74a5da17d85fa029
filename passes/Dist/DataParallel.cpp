//===- DataParallel.cpp - Split the batch over data-parallel ranks --------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `dist-data-parallel` (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "passes/Dist/Passes.h"

#include "passes/Dist/BatchDimension.h"

#include "dialects/Dist/DistOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

namespace exaforge::dist {
#define GEN_PASS_DEF_DISTDATAPARALLEL
#include "passes/Dist/Passes.h.inc"
} // namespace exaforge::dist

using namespace mlir;
using namespace exaforge::dist;

namespace {

/// The name of the mesh the pass declares, and of its only axis.
constexpr llvm::StringLiteral kMeshName = "mesh";
constexpr llvm::StringLiteral kDataParallelAxis = "dp";

struct DistDataParallelPass
    : exaforge::dist::impl::DistDataParallelBase<DistDataParallelPass> {
  using DistDataParallelBase::DistDataParallelBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (ranks < 1) {
      module.emitError("data parallelism needs at least one rank, got ")
          << ranks.getValue();
      return signalPassFailure();
    }
    if (ranks == 1)
      return;
    auto main = module.lookupSymbol<func::FuncOp>("main");
    if (!main) {
      module.emitError("data parallelism needs a @main function");
      return signalPassFailure();
    }
    if (!module.getOps<MeshOp>().empty()) {
      module.emitError("the module is already partitioned (it has a "
                       "'dist.mesh')");
      return signalPassFailure();
    }
    if (failed(checkBatchDimensions(main, "data parallelism")))
      return signalPassFailure();

    MLIRContext *context = &getContext();
    OpBuilder builder = OpBuilder::atBlockBegin(module.getBody());
    MeshOp::create(builder, module.getLoc(), kMeshName,
                   builder.getStrArrayAttr({kDataParallelAxis}),
                   builder.getDenseI64ArrayAttr({ranks.getValue()}));
    auto meshRef = FlatSymbolRefAttr::get(context, kMeshName);
    auto shardingOf = [&](Type type) {
      SmallVector<Attribute> dims(cast<RankedTensorType>(type).getRank(),
                                  builder.getArrayAttr({}));
      dims[0] = builder.getStrArrayAttr({kDataParallelAxis});
      return ShardingAttr::get(context, meshRef, builder.getArrayAttr(dims),
                               builder.getArrayAttr({}));
    };
    for (auto [index, type] : llvm::enumerate(main.getArgumentTypes()))
      main.setArgAttr(index, kShardingAttrName, shardingOf(type));
    for (auto [index, type] : llvm::enumerate(main.getResultTypes()))
      main.setResultAttr(index, kShardingAttrName, shardingOf(type));
  }
};

} // namespace
