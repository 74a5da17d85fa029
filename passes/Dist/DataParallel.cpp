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
#include "passes/Dist/Mesh.h"
#include "passes/Dist/TensorParallel.h"

#include "dialects/Dist/DistOps.h"
#include "dialects/Graph/GraphTypes.h"
#include "dialects/Graph/ModelSignature.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

namespace exaforge::dist {
#define GEN_PASS_DEF_DISTDATAPARALLEL
#include "passes/Dist/Passes.h.inc"
} // namespace exaforge::dist

using namespace mlir;
using namespace exaforge::dist;

namespace {

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
    func::FuncOp main = exaforge::graph::lookupModelFunction(module);
    if (!main) {
      module.emitError("data parallelism needs a @main function");
      return signalPassFailure();
    }
    for (unsigned i = 0, e = main.getNumArguments(); i < e; ++i) {
      if (main.getArgAttr(i, kShardingAttrName)) {
        main.emitError("the module is already partitioned (@main's "
                       "arguments have shardings)");
        return signalPassFailure();
      }
    }
    // A sequence's tensors have no batch dimension to split.
    for (auto [what, types] :
         {std::pair<StringRef, TypeRange>{"input", main.getArgumentTypes()},
          {"output", main.getResultTypes()}})
      for (auto [index, type] : llvm::enumerate(types))
        if (exaforge::graph::isSequenceOrOptional(type)) {
          main.emitError("data parallelism does not split sequences or "
                         "optionals: ")
              << what << " #" << index << " is of type " << type;
          return signalPassFailure();
        }
    if (failed(checkBatchDimensions(main, "data parallelism")) ||
        failed(checkNoDataDependentSizes(main, "data parallelism")) ||
        failed(checkNoWholeBatchOps(main, "data parallelism")) ||
        failed(getOrDeclareMeshAxis(module, kDataParallelAxis, ranks)))
      return signalPassFailure();

    MLIRContext *context = &getContext();
    Builder builder(context);
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
