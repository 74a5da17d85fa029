//===- ShardingRuleOpInterface.td - How an op may be split -*- tablegen -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The tensor-parallel sharding interface of the graph ops: given the layouts
// of its operands over the "tp" axis, which layouts an op consumes them in
// and produces its results in, and which all-reduce completes a result that
// is left partial (a split contraction).
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_DIALECTS_GRAPH_SHARDINGRULEOPINTERFACE_TD
#define EXAFORGE_DIALECTS_GRAPH_SHARDINGRULEOPINTERFACE_TD

include "mlir/IR/OpBase.td"

def Graph_ShardingRuleOpInterface : OpInterface<"ShardingRuleOpInterface"> {
  let cppNamespace = "::exaforge::graph";
  let description = [{
    An op that can run tensor-parallel: `dist-tensor-parallel-sharding`
    propagates layouts (replicated, split along one dimension, or partial)
    forward through the program and asks each op, given the layouts of its
    operands so far, which layout it consumes each operand in and produces
    each result in. A rule answers that an operand or result may be split
    along a dimension by giving `split(dim)`, and that a split reduction
    leaves a result for an all-reduce by giving `partial(kind)` (MatMul
    split along its contraction dimension: `partial(sum)`).

    An op without this interface is replicated, and `exaforge plan` and
    `exaforge inspect` report it ("op X has no sharding rule; replicated").

    The default implementation is the rule of elementwise ops with numpy
    broadcasting (decideElementwiseSharding), so an elementwise op declares
    its rule with one trait, `Graph_ElementwiseShardingRule`. Other ops list
    `Graph_ShardingRule` (which declares `decideSharding`) among their traits
    and implement it in GraphShardingRules.cpp.
  }];
  let methods = [
    InterfaceMethod<[{
        Returns the layouts in which this op consumes its operands and
        produces its results given the layouts of its operands in `context`,
        or nullopt when it cannot consume them as they are (the propagation
        then gathers its split operands and replicates the op).
      }],
      "std::optional<::exaforge::graph::ShardingDecision>", "decideSharding",
      (ins "const ::exaforge::graph::ShardingContext &":$context),
      /*methodBody=*/"",
      /*defaultImplementation=*/[{
        return ::exaforge::graph::decideElementwiseSharding($_op, context);
      }]>,
  ];
}

/// The sharding rule of an elementwise op with numpy broadcasting: results
/// split like the split operands, constants sliced to match.
defvar Graph_ElementwiseShardingRule = Graph_ShardingRuleOpInterface;

#endif // EXAFORGE_DIALECTS_GRAPH_SHARDINGRULEOPINTERFACE_TD
