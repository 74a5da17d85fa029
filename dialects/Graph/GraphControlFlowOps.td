//===- GraphControlFlowOps.td - If and Loop with regions ---*- tablegen -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The graph ops that hold subgraphs: `graph.if` (ONNX If) and `graph.loop`
// (ONNX Loop, and Scan, which the importer builds as a loop), each with
// regions ended by `graph.yield`. Included at the end of GraphOps.td; the
// verifiers are in GraphControlFlowOps.cpp. The design is in
// docs/design/control-flow.md.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_DIALECTS_GRAPH_GRAPHCONTROLFLOWOPS_TD
#define EXAFORGE_DIALECTS_GRAPH_GRAPHCONTROLFLOWOPS_TD

include "dialects/Graph/GraphDialect.td"
include "dialects/Graph/OpCostOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// Unlike the ops of `Graph_Op`, these infer no result type from their
// operands: a result is the join of what the regions yield (dimensions on
// which they disagree are dynamic), which the importer computes once it has
// imported the subgraphs, and the verifiers check.

def Graph_IfOp : Op<Graph_Dialect, "if", [RecursiveMemoryEffects,
    NoRegionArguments, DeclareOpInterfaceMethods<Graph_OpCostOpInterface>]> {
  let summary = "ONNX If (opset 11-21): runs one of two subgraphs";
  let description = [{
    Runs `then_branch` when `condition` (a tensor holding one boolean) is
    true, else `else_branch`; the results are what the branch that ran
    yields. Each branch is one block without arguments, ended by a
    `graph.yield` of as many values as the op has results. A result's type
    has the element type and rank of both yields, and the static dimensions
    on which they agree (the importer joins them; a yield may be more static
    than the result).

    The branches may use every value defined above the op (ONNX outer-scope
    values).

    ```mlir
    %0 = graph.if %cond : tensor<i1> -> (tensor<?xf32>) {
      graph.yield %a : tensor<5xf32>
    } else {
      graph.yield %b : tensor<3xf32>
    }
    ```
  }];
  let arguments = (ins Graph_BoolTensor:$condition);
  let results = (outs Variadic<Graph_Tensor>:$outputs);
  let regions = (region SizedRegion<1>:$then_branch,
                 SizedRegion<1>:$else_branch);
  let assemblyFormat = [{
    $condition `:` type($condition) `->` `(` type($outputs) `)`
    $then_branch `else` $else_branch attr-dict
  }];
  let hasVerifier = 1;
}

def Graph_LoopOp : Op<Graph_Dialect, "loop", [RecursiveMemoryEffects,
    AttrSizedOperandSegments,
    DeclareOpInterfaceMethods<Graph_OpCostOpInterface>]> {
  let summary = "ONNX Loop (opset 11-21): a subgraph run while a condition holds";
  let description = [{
    Runs `body` for iteration 0, 1, ... as long as the iteration is below
    `max_trip_count` (when present) and the condition holds (when
    `condition` is present; the body yields the condition of the next
    iteration). Without either operand the loop would never end; the
    verifier refuses it.

    The body is one block with the arguments `(iteration: tensor<i64>,
    condition: tensor<i1>, carried...)`: the iteration number, the current
    condition (true when the op has no `condition`) and one value per
    loop-carried value, which starts as `initial_values` and is then what the
    previous iteration yielded. It ends by a `graph.yield` of `(condition,
    carried..., scan elements...)`. The results are the carried values after
    the last iteration, then one scan output per scan element: the elements
    of every iteration stacked along a new leading dimension.

    A carried block argument has the type of its result: the join of the
    initial value's and the yielded value's types. A scan output has a
    leading dimension of the trip count (static only when `max_trip_count`
    is a constant and there is no `condition`) and the element's shape.

    The body may use every value defined above the op. ONNX Scan is
    imported as a loop whose trip count is the scanned dimension and whose
    body first takes the iteration's slice of each scanned input.

    ```mlir
    %y, %ys = graph.loop max_trip_count %n : tensor<i64>
        condition %c : tensor<i1> iter_args(%y0 : tensor<1xf32>)
        -> (tensor<1xf32>, tensor<?x1xf32>) {
    ^bb0(%i: tensor<i64>, %cond: tensor<i1>, %y_in: tensor<1xf32>):
      %next = graph.add %y_in, %y_in
          : (tensor<1xf32>, tensor<1xf32>) -> tensor<1xf32>
      graph.yield %cond, %next, %next
          : tensor<i1>, tensor<1xf32>, tensor<1xf32>
    }
    ```
  }];
  let arguments = (ins Optional<RankedTensorOf<[I64]>>:$max_trip_count,
                   Optional<Graph_BoolTensor>:$condition,
                   Variadic<Graph_Tensor>:$initial_values);
  let results = (outs Variadic<Graph_Tensor>:$outputs);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    (`max_trip_count` $max_trip_count^ `:` type($max_trip_count))?
    (`condition` $condition^ `:` type($condition))?
    (`iter_args` `(` $initial_values^ `:` type($initial_values) `)`)?
    `->` `(` type($outputs) `)` $body attr-dict
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Number of loop-carried values.
    unsigned getNumCarried() { return getInitialValues().size(); }
    /// Number of scan outputs (results after the carried values).
    unsigned getNumScanOutputs() {
      return getNumResults() - getNumCarried();
    }
    /// The block argument holding the iteration number.
    ::mlir::BlockArgument getIterationArg() {
      return getBody().getArgument(0);
    }
    /// The block argument holding the current condition.
    ::mlir::BlockArgument getConditionArg() {
      return getBody().getArgument(1);
    }
    /// The block arguments of the loop-carried values.
    ::mlir::Block::BlockArgListType getCarriedArgs() {
      return getBody().getArguments().drop_front(2);
    }
  }];
}

def Graph_YieldOp : Op<Graph_Dialect, "yield", [Pure, Terminator,
    ParentOneOf<["IfOp", "LoopOp"]>]> {
  let summary = "ends a region of graph.if or graph.loop";
  let description = [{
    Yields the values a branch of `graph.if` produces, or those an iteration
    of `graph.loop` passes on: the next condition, the carried values and
    the scan elements. The parent op's verifier checks them.

    ```mlir
    graph.yield %a, %b : tensor<5xf32>, tensor<i64>
    ```
  }];
  let arguments = (ins Variadic<AnyType>:$operands);
  let assemblyFormat = "($operands^ `:` type($operands))? attr-dict";
}

#endif // EXAFORGE_DIALECTS_GRAPH_GRAPHCONTROLFLOWOPS_TD
