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

/// How an input or output of @main is named in diagnostics.
std::string describe(func::FuncOp main, bool isInput, unsigned index) {
  auto name = isInput
                  ? main.getArgAttrOfType<StringAttr>(index, "graph.name")
                  : main.getResultAttrOfType<StringAttr>(index, "graph.name");
  std::string text = isInput ? "input " : "output ";
  if (name)
    return text + "'" + name.getValue().str() + "'";
  return text + "#" + std::to_string(index);
}

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
    if (failed(checkBatchDimensions(main)))
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

  /// Checks that every input and output of `main` has a symbolic dimension
  /// 0, the same ONNX symbol (or none) in every input.
  LogicalResult checkBatchDimensions(func::FuncOp main) {
    std::optional<std::pair<StringRef, std::string>> batchSymbol;
    auto check = [&](Type type, bool isInput, unsigned index) -> LogicalResult {
      auto tensor = dyn_cast<RankedTensorType>(type);
      if (!tensor || tensor.getRank() == 0)
        return main.emitError("data parallelism splits dimension 0 of every "
                              "input and output, but ")
               << describe(main, isInput, index) << " is a scalar";
      if (!tensor.isDynamicDim(0))
        return main.emitError("data parallelism needs a symbolic batch "
                              "dimension, but ")
               << describe(main, isInput, index)
               << " has a static dimension 0 of size " << tensor.getDimSize(0)
               << " (export the model with a dynamic batch axis)";
      if (!isInput)
        return success();
      auto params = main.getArgAttrOfType<ArrayAttr>(index, "graph.dim_params");
      auto symbol = params ? dyn_cast<StringAttr>(params[0]) : StringAttr();
      if (!symbol || symbol.getValue().empty())
        return success();
      if (!batchSymbol) {
        batchSymbol = {symbol.getValue(), describe(main, isInput, index)};
        return success();
      }
      if (batchSymbol->first != symbol.getValue())
        return main.emitError("data parallelism splits dimension 0 of every "
                              "input, but ")
               << describe(main, isInput, index) << " has '"
               << symbol.getValue() << "' there and " << batchSymbol->second
               << " has '" << batchSymbol->first << "'";
      return success();
    };
    for (auto [index, type] : llvm::enumerate(main.getArgumentTypes()))
      if (failed(check(type, /*isInput=*/true, index)))
        return failure();
    for (auto [index, type] : llvm::enumerate(main.getResultTypes()))
      if (failed(check(type, /*isInput=*/false, index)))
        return failure();
    return success();
  }
};

} // namespace
