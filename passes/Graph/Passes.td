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

#endif // EXAFORGE_PASSES_GRAPH_PASSES_TD
