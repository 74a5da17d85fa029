//===- Passes.td - Graph dialect passes --------------------*- tablegen -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_PASSES_GRAPH_PASSES_TD
#define EXAFORGE_PASSES_GRAPH_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// Shape inference
//===----------------------------------------------------------------------===//

def GraphInferShapes : Pass<"graph-infer-shapes", "mlir::ModuleOp"> {
  let summary = "Refine graph op result types from their inferred types";
  let description = [{
    Re-runs the type inference of every graph op in program order and
    replaces dynamic result dimensions that inference can now determine, for
    instance after canonicalization folded a run-time shape computation into
    a constant. Results used by ops of other dialects are left untouched.
    The result types of a function follow its returned values unless the
    function is called within the module: then returned values keep their
    types, so call sites stay valid.

    Before:
    ```mlir
    %s = graph.constant dense<[4, 2]> : tensor<2xi64>
    %0 = graph.reshape %x, %s : (tensor<8xf32>, tensor<2xi64>) -> tensor<?x?xf32>
    ```
    After:
    ```mlir
    %0 = graph.reshape %x, %s : (tensor<8xf32>, tensor<2xi64>) -> tensor<4x2xf32>
    ```
  }];
  let dependentDialects = ["exaforge::graph::GraphDialect"];
}

//===----------------------------------------------------------------------===//
// Weights
//===----------------------------------------------------------------------===//

def GraphOutlineWeights : Pass<"graph-outline-weights", "mlir::ModuleOp"> {
  let summary = "Turn the weights of public functions into function arguments";
  let description = [{
    Compiled code does not embed weights: the runtime maps them from the
    artifact's weight file and passes them as arguments. This pass replaces
    every `graph.constant` of a public function whose value is a
    `dense_resource` attribute, or has more than `max-inline-elements`
    elements, by a new trailing function argument. The argument carries
    `graph.weight_name` (the resource key, or `const_<N>`) and
    `graph.weight_value` (the attribute itself: no data is copied), from
    which the artifact writer lays out the weight file. Equal constants share
    one argument. Small constants stay in the code.

    Before:
    ```mlir
    func.func @main(%x: tensor<4x8xf32>) -> tensor<4x16xf32> {
      %w = graph.constant dense_resource<fc.weight> : tensor<8x16xf32>
      %0 = graph.mat_mul %x, %w : ...
    ```
    After:
    ```mlir
    func.func @main(%x: tensor<4x8xf32>,
        %w: tensor<8x16xf32> {graph.weight_name = "fc.weight",
                              graph.weight_value = dense_resource<fc.weight> : tensor<8x16xf32>})
        -> tensor<4x16xf32> {
      %0 = graph.mat_mul %x, %w : ...
    ```
  }];
  let options = [
    Option<"maxInlineElements", "max-inline-elements", "int64_t", "64",
           "Dense constants with more elements than this become arguments">,
  ];
  let dependentDialects = ["exaforge::graph::GraphDialect"];
}

#endif // EXAFORGE_PASSES_GRAPH_PASSES_TD
