//===- GraphDialect.td - Exaforge graph dialect ------------*- tablegen -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The `graph` dialect holds ONNX-level tensor operations: one op per ONNX
// operator that Exaforge supports, with the semantics of the newest opset in
// the supported range (11 to 21). The importer upgrades older opsets on the
// way in, so passes see a single form of each operator.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_DIALECTS_GRAPH_GRAPHDIALECT_TD
#define EXAFORGE_DIALECTS_GRAPH_GRAPHDIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/BuiltinTypes.td"
include "mlir/Interfaces/InferTypeOpInterface.td"

def Graph_Dialect : Dialect {
  let name = "graph";
  let cppNamespace = "::exaforge::graph";
  let summary = "ONNX-level tensor operations of an imported model";
  let description = [{
    The graph dialect is the first IR of an Exaforge compilation. Each op
    mirrors one ONNX operator of the default domain with the semantics of the
    newest supported opset; operands that are compile-time parameters in one
    opset and run-time inputs in another (Split sizes, Squeeze axes, Slice
    bounds, ...) are always operands here, and the importer materializes
    attribute forms of older opsets as `graph.constant` ops.

    All values are ranked tensors whose dimensions may be dynamic (`?`). Every
    op infers its result type from its operands and attributes, looking
    through `graph.constant` operands; `graph-infer-shapes` refines result
    types once folding has turned run-time shape computations into constants.
  }];
  let hasConstantMaterializer = 1;
  // Graph ops without their own OpCostOpInterface get the default cost
  // (GraphOpCost.cpp).
  let hasOperationInterfaceFallback = 1;
  // Sequences and optionals (GraphSequenceOps.td).
  let useDefaultTypePrinterParser = 1;
  let extraClassDeclaration = [{
    /// Registers the dialect's types (GraphSequenceOps.cpp).
    void registerTypes();
  }];
}

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

/// Any ranked tensor of an ONNX element type.
def Graph_Tensor : RankedTensorOf<[AnyFloat, AnyInteger]>;
/// A ranked tensor of floating-point elements.
def Graph_FloatTensor : RankedTensorOf<[AnyFloat]>;
/// A ranked tensor of booleans (ONNX `bool`).
def Graph_BoolTensor : RankedTensorOf<[I1]>;
/// A ranked tensor of indices (ONNX `int32` or `int64`).
def Graph_IndexTensor : RankedTensorOf<[I32, I64]>;
/// A 1-D tensor of `int64` values such as a shape or a list of axes.
def Graph_I64Vector : 1DTensorOf<[I64]>;
/// A 1-D tensor of `int32` or `int64` values (Slice bounds).
def Graph_IndexVector : 1DTensorOf<[I32, I64]>;

//===----------------------------------------------------------------------===//
// Base op class
//===----------------------------------------------------------------------===//

/// Definition shared by every graph op: an inferred result type is compatible
/// with the declared one when the element types match and every static
/// dimension agrees, so folding may make inference more precise than the IR.
defvar Graph_IsCompatibleReturnTypesDef = [{
  bool $cppClass::isCompatibleReturnTypes(::mlir::TypeRange inferred,
                                          ::mlir::TypeRange actual) {
    return ::exaforge::graph::areCompatibleTensorTypes(inferred, actual);
  }
}];

/// Base class of graph ops. Every op infers its result types; the C++ class
/// defines `inferReturnTypes(context, location, adaptor, types)`.
class Graph_Op<string mnemonic, list<Trait> traits = []>
    : Op<Graph_Dialect, mnemonic,
         !listconcat(traits, [InferTypeOpAdaptorWithIsCompatible])> {
  let extraClassDefinition = Graph_IsCompatibleReturnTypesDef;
}

#endif // EXAFORGE_DIALECTS_GRAPH_GRAPHDIALECT_TD
