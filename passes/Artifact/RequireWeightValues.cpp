//===- RequireWeightValues.cpp - Every weight has its values --------------===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Implements `artifact-require-weight-values` (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "passes/Artifact/Passes.h"

#include "dialects/Graph/ElidedElements.h"

#include "mlir/IR/DialectResourceBlobManager.h"

namespace exaforge::artifact {
#define GEN_PASS_DEF_ARTIFACTREQUIREWEIGHTVALUES
#include "passes/Artifact/Passes.h.inc"
} // namespace exaforge::artifact

using namespace mlir;

namespace {

struct ArtifactRequireWeightValuesPass
    : exaforge::artifact::impl::ArtifactRequireWeightValuesBase<
          ArtifactRequireWeightValuesPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (DenseResourceElementsAttr elided =
            exaforge::graph::findElidedElements(module)) {
      module.emitError() << "weight '" << elided.getRawHandle().getKey()
                         << "' has no values (the model was imported shapes "
                            "only); only --emit=graph can be written without "
                            "them";
      signalPassFailure();
    }
    markAllAnalysesPreserved();
  }
};

} // namespace
