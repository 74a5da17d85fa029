//===- GraphToLinalgPass.cpp - The convert-graph-to-linalg pass -----------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Runs the graph-to-linalg patterns as a partial conversion in which every
// graph op is illegal, so an op without a pattern fails the pass with a
// diagnostic at the op (and so at the user's ONNX node).
//
//===----------------------------------------------------------------------===//

#include "passes/Conversion/GraphToLinalg/GraphToLinalg.h"
#include "passes/Conversion/Passes.h"

#include "dialects/Graph/GraphDialect.h"
#include "dialects/Graph/GraphOps.h"

#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Transforms/DialectConversion.h"

namespace exaforge {
#define GEN_PASS_DEF_CONVERTGRAPHTOLINALG
#include "passes/Conversion/Passes.h.inc"
} // namespace exaforge

using namespace mlir;

void exaforge::populateGraphToLinalgPatterns(RewritePatternSet &patterns) {
  populateGraphElementwiseToLinalgPatterns(patterns);
  populateGraphReductionsToLinalgPatterns(patterns);
  populateGraphContractionsToLinalgPatterns(patterns);
  populateGraphConvPoolToLinalgPatterns(patterns);
  populateGraphDataMovementToLinalgPatterns(patterns);
  populateGraphDynamicShapeToLinalgPatterns(patterns);
  populateGraphSamplingToLinalgPatterns(patterns);
  populateGraphSignalToLinalgPatterns(patterns);
  populateGraphRecurrentToLinalgPatterns(patterns);
  populateGraphQuantToLinalgPatterns(patterns);
  populateGraphResizeToLinalgPatterns(patterns);
  populateGraphConvTransposeToLinalgPatterns(patterns);
  populateGraphMaxUnpoolToLinalgPatterns(patterns);
  populateGraphIndexingToLinalgPatterns(patterns);
  populateGraphTrainingToLinalgPatterns(patterns);
}

namespace {
struct ConvertGraphToLinalgPass
    : exaforge::impl::ConvertGraphToLinalgBase<ConvertGraphToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    ConversionTarget target(*context);
    target.addIllegalDialect<exaforge::graph::GraphDialect>();
    // Weights stay symbols until `artifact-prepare-entry-point` makes them
    // arguments of the entry point.
    target
        .addLegalOp<exaforge::graph::WeightOp, exaforge::graph::WeightRefOp>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet patterns(context);
    exaforge::populateGraphToLinalgPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
