//===- Passes.td - Distribution passes ---------------------*- tablegen -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Passes that spread a model over ranks (the dist dialect).
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_PASSES_DIST_PASSES_TD
#define EXAFORGE_PASSES_DIST_PASSES_TD

include "mlir/Pass/PassBase.td"

def DistDataParallel : Pass<"dist-data-parallel", "mlir::ModuleOp"> {
  let summary = "Split the batch dimension of @main over a data-parallel mesh";
  let description = [{
    Declares `dist.mesh @mesh axes = ["dp"] shape = [ranks]` and marks every
    argument and result of `@main` with the sharding
    `#dist.sharding<@mesh, [["dp"], [], ...]>`: dimension 0, the batch, is
    split evenly over the ranks, the weights are replicated. Every rank then
    runs the unchanged program on its slice of the batch, and no
    communication is needed in between (inference): the runtime scatters the
    inputs and gathers the outputs along dimension 0.

    The batch must be a symbolic dimension (the same ONNX symbol, or none,
    in every input and output), so the one compiled program runs on any
    slice; a scalar input or output, a static batch size, or a dimension 0
    with a different symbol is an error that names the input or output.
    The pass assumes that the samples of a batch are independent (no op
    reduces or reorders across dimension 0), as in the models it is meant
    for; checking that needs the sharding propagation of the tensor-parallel
    passes.

    With `ranks=1` the pass does nothing.
  }];
  let options = [
    Option<"ranks", "ranks", "int64_t", /*default=*/"1",
           "Number of data-parallel ranks">,
  ];
  let dependentDialects = ["exaforge::dist::DistDialect"];
}

#endif // EXAFORGE_PASSES_DIST_PASSES_TD
