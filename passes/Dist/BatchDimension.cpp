//===- BatchDimension.cpp - The batch dimension of a model ----------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#include "passes/Dist/BatchDimension.h"

#include "dialects/Graph/GraphOps.h"

#include "llvm/ADT/TypeSwitch.h"


using namespace mlir;

std::string exaforge::dist::describeMainValue(func::FuncOp main, bool isInput,
                                              unsigned index) {
  auto name = isInput
                  ? main.getArgAttrOfType<StringAttr>(index, "graph.name")
                  : main.getResultAttrOfType<StringAttr>(index, "graph.name");
  std::string text = isInput ? "input " : "output ";
  if (name)
    return text + "'" + name.getValue().str() + "'";
  return text + "#" + std::to_string(index);
}


LogicalResult exaforge::dist::checkBatchDimensions(func::FuncOp main,
                                                   StringRef purpose) {
  std::optional<std::pair<StringRef, std::string>> batchSymbol;
  auto check = [&](Type type, bool isInput, unsigned index) -> LogicalResult {
    std::string what = describeMainValue(main, isInput, index);
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || tensor.getRank() == 0)
      return main.emitError()
             << purpose << " splits dimension 0 of every input and output, but "
             << what << " is a scalar";
    if (!tensor.isDynamicDim(0))
      return main.emitError()
             << purpose << " needs a symbolic batch dimension, but " << what
             << " has a static dimension 0 of size " << tensor.getDimSize(0)
             << " (export the model with a dynamic batch axis)";
    if (!isInput)
      return success();
    auto params = main.getArgAttrOfType<ArrayAttr>(index, "graph.dim_params");
    auto symbol = params ? dyn_cast<StringAttr>(params[0]) : StringAttr();
    if (!symbol || symbol.getValue().empty())
      return success();
    if (!batchSymbol) {
      batchSymbol = {symbol.getValue(), what};
      return success();
    }
    if (batchSymbol->first != symbol.getValue())
      return main.emitError()
             << purpose << " splits dimension 0 of every input, but " << what
             << " has '" << symbol.getValue() << "' there and "
             << batchSymbol->second << " has '" << batchSymbol->first << "'";
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

LogicalResult exaforge::dist::checkNoDataDependentSizes(func::FuncOp main,
                                                        StringRef purpose) {
  namespace graph = exaforge::graph;
  WalkResult result = main.walk([&](Operation *op) {
    if (!isa<graph::NonZeroOp, graph::UniqueOp, graph::NonMaxSuppressionOp,
             graph::CompressOp>(op))
      return WalkResult::advance();
    op->emitError() << purpose << " cannot split the batch of '"
                    << op->getName()
                    << "': its result size depends on the values of every "
                       "sample";
    return WalkResult::interrupt();
  });
  return failure(result.wasInterrupted());
}

LogicalResult exaforge::dist::checkNoWholeBatchOps(func::FuncOp main,
                                                   StringRef purpose) {
  namespace graph = exaforge::graph;
  WalkResult result = main.walk([&](Operation *op) {
    StringRef reason =
        llvm::TypeSwitch<Operation *, StringRef>(op)
            .Case([](graph::BatchNormalizationTrainingOp) {
              return "its statistics are over every sample";
            })
            .Case([](graph::MaxPoolWithIndicesOp) {
              return "its indices count from the start of the whole batch";
            })
            .Case([](graph::DropoutOp) {
              return "its random draws are numbered across the whole batch";
            })
            .Default([](Operation *) { return StringRef(); });
    if (reason.empty())
      return WalkResult::advance();
    op->emitError() << purpose << " cannot split the batch of '"
                    << op->getName() << "': " << reason;
    return WalkResult::interrupt();
  });
  return failure(result.wasInterrupted());
}
