//===- SplitFusedProjections.cpp - One projection per Split output --------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `dist-split-fused-projections` (see Passes.td): a Split along
// the last axis of `MatMul(x, W) [+ b]` with constant W and b becomes one
// MatMul (and Add) per output, with the matching columns of W and b.
//
//===----------------------------------------------------------------------===//

#include "passes/Dist/Passes.h"
#include "passes/Dist/TensorParallel.h"

#include "dialects/Graph/GraphOps.h"
#include "dialects/Graph/GraphTypeInference.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

namespace exaforge::dist {
#define GEN_PASS_DEF_DISTSPLITFUSEDPROJECTIONS
#include "passes/Dist/Passes.h.inc"
} // namespace exaforge::dist

using namespace mlir;
using namespace exaforge;
using namespace exaforge::dist;

namespace {

/// The name of part `index` of the constant `value`: its resource key or
/// `fused_const`, with `.part<index>` appended.
std::string getPartName(ElementsAttr value, unsigned index) {
  std::string base = "fused_const";
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value))
    base = resource.getRawHandle().getKey().str();
  return base + ".part" + std::to_string(index);
}

/// The sizes of the pieces of `split` along its last axis of size `total`,
/// or nullopt when they are not known at compile time.
std::optional<SmallVector<int64_t>> getSplitSizes(graph::SplitOp split,
                                                  int64_t total) {
  SmallVector<int64_t> sizes;
  if (Value sizesValue = split.getSplit()) {
    DenseIntElementsAttr attr;
    if (!matchPattern(sizesValue, m_Constant(&attr)))
      return std::nullopt;
    for (const APInt &size : attr.getValues<APInt>())
      sizes.push_back(size.getSExtValue());
  } else {
    int64_t count = split.getNumOutputs();
    int64_t piece = llvm::divideCeil(total, count);
    for (int64_t i = 0; i < count; ++i)
      sizes.push_back(std::max<int64_t>(0, std::min(piece, total - i * piece)));
  }
  if (sizes.size() != split.getNumResults() || llvm::sum_of(sizes) != total)
    return std::nullopt;
  return sizes;
}

struct DistSplitFusedProjectionsPass
    : exaforge::dist::impl::DistSplitFusedProjectionsBase<
          DistSplitFusedProjectionsPass> {
  using DistSplitFusedProjectionsBase::DistSplitFusedProjectionsBase;

  void runOnOperation() override {
    SmallVector<graph::SplitOp> splits;
    getOperation().walk([&](graph::SplitOp split) { splits.push_back(split); });
    for (graph::SplitOp split : splits)
      if (failed(rewrite(split)))
        return signalPassFailure();
  }

  /// Rewrites `split` when it cuts the columns of a constant projection;
  /// leaves it alone otherwise.
  LogicalResult rewrite(graph::SplitOp split) {
    auto inputType = dyn_cast<RankedTensorType>(split.getInput().getType());
    if (!inputType || inputType.getRank() < 1)
      return success();
    int64_t rank = inputType.getRank();
    FailureOr<int64_t> axis = graph::normalizeAxis(
        std::nullopt, static_cast<int64_t>(split.getAxis()), rank);
    if (failed(axis) || *axis != rank - 1 || inputType.isDynamicDim(*axis))
      return success();
    // Match `Split(Add(MatMul(x, W), b))` or `Split(MatMul(x, W))`.
    Value projected = split.getInput();
    ElementsAttr bias;
    auto add = projected.getDefiningOp<graph::AddOp>();
    if (add && add->hasOneUse()) {
      for (auto [matmulSide, biasSide] :
           {std::pair(add.getLhs(), add.getRhs()),
            std::pair(add.getRhs(), add.getLhs())}) {
        ElementsAttr value;
        auto biasType = dyn_cast<RankedTensorType>(biasSide.getType());
        if (matmulSide.getDefiningOp<graph::MatMulOp>() &&
            matchPattern(biasSide, m_Constant(&value)) && biasType &&
            biasType.getRank() == 1 &&
            biasType.getDimSize(0) == inputType.getDimSize(*axis)) {
          bias = value;
          projected = matmulSide;
          break;
        }
      }
      if (!bias)
        return success();
    }
    auto matmul = projected.getDefiningOp<graph::MatMulOp>();
    ElementsAttr weight;
    if (!matmul || !matmul->hasOneUse() ||
        !matchPattern(matmul.getRhs(), m_Constant(&weight)))
      return success();
    auto weightType = cast<RankedTensorType>(weight.getType());
    if (weightType.getRank() != 2)
      return success();
    std::optional<SmallVector<int64_t>> sizes =
        getSplitSizes(split, inputType.getDimSize(*axis));
    if (!sizes)
      return success();

    OpBuilder builder(split);
    int64_t offset = 0;
    for (auto [index, size] : llvm::enumerate(*sizes)) {
      FailureOr<ElementsAttr> weightPart =
          sliceConstant(weight, 1, offset, size, getPartName(weight, index));
      FailureOr<ElementsAttr> biasPart =
          bias ? sliceConstant(bias, 0, offset, size, getPartName(bias, index))
               : FailureOr<ElementsAttr>(ElementsAttr());
      if (failed(weightPart) || failed(biasPart))
        return split.emitError("cannot slice the constant projection feeding "
                               "this split");
      offset += size;
      Value result = split.getResult(index);
      auto resultType = cast<RankedTensorType>(result.getType());
      Location loc = result.getLoc();
      Value w = graph::ConstantOp::create(builder, matmul.getLoc(),
                                          weightPart->getType(), *weightPart);
      Value part = graph::MatMulOp::create(builder, matmul.getLoc(), resultType,
                                           matmul.getLhs(), w);
      if (bias) {
        Value b = graph::ConstantOp::create(builder, add.getLoc(),
                                            biasPart->getType(), *biasPart);
        part = graph::AddOp::create(builder, loc, resultType, part, b);
      }
      result.replaceAllUsesWith(part);
    }
    Operation *weightOp = matmul.getRhs().getDefiningOp();
    Operation *biasOp = nullptr;
    split.erase();
    if (add) {
      biasOp = (add.getLhs() == projected ? add.getRhs() : add.getLhs())
                   .getDefiningOp();
      add.erase();
    }
    matmul.erase();
    for (Operation *constant : {weightOp, biasOp})
      if (constant && constant->use_empty())
        constant->erase();
    return success();
  }
};

} // namespace
