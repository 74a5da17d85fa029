//===- GraphWeightOps.td - Model weights as symbols --------*- tablegen -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The weights of a model, held outside the compiled code: a module-level
// `graph.weight` symbol per weight, read by `graph.weight_ref` ops. Included
// at the end of GraphOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_DIALECTS_GRAPH_GRAPHWEIGHTOPS_TD
#define EXAFORGE_DIALECTS_GRAPH_GRAPHWEIGHTOPS_TD

include "dialects/Graph/GraphDialect.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// Unlike the ops of the ONNX graph (`Graph_Op`), these infer no result type:
// a weight has none, and a read takes the type of the weight it names.

def Graph_WeightOp : Op<Graph_Dialect, "weight", [Symbol]> {
  let summary = "a model weight the runtime passes to the compiled code";
  let description = [{
    Declares a weight of the model: a tensor of type `type` that compiled
    code reads but does not hold. `value` is the weight's global value (a
    `dense_resource` for an ONNX initializer); the artifact writer stores it
    in the weights file. A weight sharded over ranks has the type of one
    rank's shard and records its layout in a `dist.sharding` attribute; its
    `value` stays global, and the writer slices it for each rank. So `value`
    has the element type and rank of `type`, and its shape only when the
    weight is not sharded.

    `graph-outline-weights` and `dist-tensor-parallel-partition` create
    weights; `artifact-prepare-entry-point` turns each into a trailing
    argument of the entry point, in the order of the weights in the module.

    ```mlir
    graph.weight @fc.weight : tensor<8x16xf32> = dense_resource<fc.weight> : tensor<8x16xf32>
    graph.weight @h.0.mlp.weight : tensor<8x8xf32> = dense_resource<h.0.mlp.weight> : tensor<8x16xf32>
        {dist.sharding = #dist.sharding<@mesh, [[], ["tp"]]>}
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                       TypeAttrOf<AnyRankedTensor>:$type,
                       ElementsAttr:$value);
  let assemblyFormat = "$sym_name `:` $type `=` $value attr-dict";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The type of the tensor this weight holds on one rank.
    ::mlir::RankedTensorType getTensorType() {
      return ::llvm::cast<::mlir::RankedTensorType>(getType());
    }
  }];
}

def Graph_WeightRefOp : Op<Graph_Dialect, "weight_ref", [
    Pure, DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "reads a model weight";
  let description = [{
    Produces the tensor of the `graph.weight` named `weight`; the result has
    the weight's type.

    ```mlir
    %w = graph.weight_ref @fc.weight : tensor<8x16xf32>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$weight);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$weight attr-dict `:` type($output)";
}

#endif // EXAFORGE_DIALECTS_GRAPH_GRAPHWEIGHTOPS_TD
