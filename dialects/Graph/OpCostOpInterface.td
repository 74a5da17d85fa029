//===- OpCostOpInterface.td - The work and traffic of an op -*- tablegen -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The cost interface of the graph ops: how many operations an op performs and
// how many bytes it moves. The planner turns these into seconds for a
// described machine; the pipeline pass balances stages with them.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_DIALECTS_GRAPH_OPCOSTOPINTERFACE_TD
#define EXAFORGE_DIALECTS_GRAPH_OPCOSTOPINTERFACE_TD

include "mlir/IR/OpBase.td"

def Graph_OpCostOpInterface : OpInterface<"OpCostOpInterface"> {
  let cppNamespace = "::exaforge::graph";
  let description = [{
    An op that knows its own cost: the floating-point (or integer)
    operations it performs, a multiply-add counting as 2, and the bytes it
    reads and writes, each dynamic dimension counted as `dynamicDimSize`.

    Every graph op has a cost: an op that does not declare this interface
    gets the graph dialect's fallback, one operation per result element plus
    the bytes of its operands and results. Ops whose work is not one
    operation per element (matrix products, convolutions, pooling,
    reductions, normalizations) and ops that cost nothing (constants and
    reinterpretations of a buffer) declare the interface in GraphOps.td and
    implement `estimateCost` in GraphOpCost.cpp, using the helpers of
    OpCost.h.
  }];
  let methods = [
    InterfaceMethod<[{
        Returns the work and traffic of this op on one rank, each dynamic
        dimension of its types counted as `dynamicDimSize`.
      }],
      "::exaforge::OpCost", "estimateCost",
      (ins "int64_t":$dynamicDimSize)>,
  ];
}

#endif // EXAFORGE_DIALECTS_GRAPH_OPCOSTOPINTERFACE_TD
