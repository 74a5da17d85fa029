//===- GraphSequenceOps.td - Sequences and optionals -------*- tablegen -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// ONNX's non-tensor values: `!graph.sequence<tensor<...>>` (ONNX
// `seq(tensor)`) and `!graph.optional<...>` (ONNX `optional(tensor)` and
// `optional(seq(tensor))`), and the ops that make and read them. Included at
// the end of GraphOps.td; the verifiers are in GraphSequenceOps.cpp. The
// design, and the tensors a sequence becomes when it is lowered
// (`convert-graph-sequences-to-tensors`), are in
// docs/design/control-flow.md#sequences-and-optionals.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_DIALECTS_GRAPH_GRAPHSEQUENCEOPS_TD
#define EXAFORGE_DIALECTS_GRAPH_GRAPHSEQUENCEOPS_TD

include "dialects/Graph/GraphDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

def Graph_SequenceType : TypeDef<Graph_Dialect, "Sequence"> {
  let mnemonic = "sequence";
  let summary = "an ONNX sequence of tensors";
  let description = [{
    An ordered list of tensors of one element type (ONNX `seq(tensor)`),
    whose length is known only at run time. `elementType` is a tensor type
    every element has: ranked when the model declares the elements' rank,
    else unranked (`tensor<*xf32>`); elements of an unranked sequence may
    have different ranks.

    ```mlir
    !graph.sequence<tensor<?xf32>>
    !graph.sequence<tensor<*xi64>>
    ```
  }];
  let parameters = (ins "::mlir::TensorType":$elementType);
  let assemblyFormat = "`<` $elementType `>`";
  let genVerifyDecl = 1;
}

def Graph_OptionalType : TypeDef<Graph_Dialect, "Optional"> {
  let mnemonic = "optional";
  let summary = "an ONNX optional: a tensor or a sequence, or nothing";
  let description = [{
    A value that may hold one element of `elementType` (a tensor type or a
    `!graph.sequence`), or none (ONNX `optional(...)`).

    ```mlir
    !graph.optional<tensor<4xf32>>
    !graph.optional<!graph.sequence<tensor<5xf32>>>
    ```
  }];
  let parameters = (ins "::mlir::Type":$elementType);
  let assemblyFormat = "`<` $elementType `>`";
  let genVerifyDecl = 1;
}

/// A sequence of tensors.
def Graph_Sequence : Type<CPred<"::llvm::isa<::exaforge::graph::SequenceType>($_self)">,
    "sequence of tensors", "::exaforge::graph::SequenceType">;
/// An optional tensor or sequence.
def Graph_Optional : Type<CPred<"::llvm::isa<::exaforge::graph::OptionalType>($_self)">,
    "optional tensor or sequence", "::exaforge::graph::OptionalType">;

//===----------------------------------------------------------------------===//
// Sequence ops
//===----------------------------------------------------------------------===//

class Graph_SequenceOp<string mnemonic, list<Trait> traits = []>
    : Op<Graph_Dialect, mnemonic, !listconcat(traits, [Pure])>;

def Graph_SequenceEmptyOp : Graph_SequenceOp<"sequence_empty"> {
  let summary = "ONNX SequenceEmpty (opset 11-21): a sequence of no tensors";
  let description = [{
    ```mlir
    %s = graph.sequence_empty : !graph.sequence<tensor<*xf32>>
    ```
  }];
  let results = (outs Graph_Sequence:$result);
  let assemblyFormat = "attr-dict `:` type($result)";
}

def Graph_SequenceConstructOp : Graph_SequenceOp<"sequence_construct"> {
  let summary = "ONNX SequenceConstruct (opset 11-21): a sequence of the operands";
  let description = [{
    The sequence of the operands, in order; at least one. Each operand has
    the element type of the sequence's elements and, when the elements'
    type is ranked, their rank.

    ```mlir
    %s = graph.sequence_construct %a, %b : tensor<2xf32>, tensor<3xf32>
        -> !graph.sequence<tensor<?xf32>>
    ```
  }];
  let arguments = (ins Variadic<Graph_Tensor>:$inputs);
  let results = (outs Graph_Sequence:$result);
  let assemblyFormat = [{
    $inputs attr-dict `:` type($inputs) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Graph_SequenceInsertOp : Graph_SequenceOp<"sequence_insert"> {
  let summary = "ONNX SequenceInsert (opset 11-21): a sequence with one more tensor";
  let description = [{
    The sequence `input_sequence` with `tensor` inserted before the element
    at `position` (an `int32` or `int64` scalar or one-element tensor,
    negative counting from the end; at the end when absent). A position
    outside `[-n, n]` fails the run.

    ```mlir
    %t = graph.sequence_insert %s, %x : !graph.sequence<tensor<*xi64>>,
        tensor<3xi64> -> !graph.sequence<tensor<*xi64>>
    ```
  }];
  let arguments = (ins Graph_Sequence:$input_sequence, Graph_Tensor:$tensor,
                   Optional<Graph_IndexTensor>:$position);
  let results = (outs Graph_Sequence:$result);
  let assemblyFormat = [{
    $input_sequence `,` $tensor (`,` $position^)? attr-dict `:`
    type($input_sequence) `,` type($tensor) (`,` type($position)^)?
    `->` type($result)
  }];
  let hasVerifier = 1;
}

def Graph_SequenceAtOp : Graph_SequenceOp<"sequence_at"> {
  let summary = "ONNX SequenceAt (opset 11-21): one tensor of a sequence";
  let description = [{
    The element at `position` (negative counting from the end). The result
    is ranked: an element of another rank, or a position outside
    `[-n, n)`, fails the run.

    ```mlir
    %x = graph.sequence_at %s, %i : !graph.sequence<tensor<?xf32>>,
        tensor<i64> -> tensor<?xf32>
    ```
  }];
  let arguments = (ins Graph_Sequence:$input_sequence,
                   Graph_IndexTensor:$position);
  let results = (outs Graph_Tensor:$result);
  let assemblyFormat = [{
    $input_sequence `,` $position attr-dict `:` type($input_sequence) `,`
    type($position) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Graph_SequenceEraseOp : Graph_SequenceOp<"sequence_erase"> {
  let summary = "ONNX SequenceErase (opset 11-21): a sequence with one tensor less";
  let description = [{
    The sequence without the element at `position` (negative counting from
    the end; the last element when absent). A position outside `[-n, n)`
    fails the run.

    ```mlir
    %t = graph.sequence_erase %s : !graph.sequence<tensor<?xf32>>
        -> !graph.sequence<tensor<?xf32>>
    ```
  }];
  let arguments = (ins Graph_Sequence:$input_sequence,
                   Optional<Graph_IndexTensor>:$position);
  let results = (outs Graph_Sequence:$result);
  let assemblyFormat = [{
    $input_sequence (`,` $position^)? attr-dict `:` type($input_sequence)
    (`,` type($position)^)? `->` type($result)
  }];
  let hasVerifier = 1;
}

def Graph_SequenceLengthOp : Graph_SequenceOp<"sequence_length"> {
  let summary = "ONNX SequenceLength (opset 11-21): the number of tensors";
  let description = [{
    ```mlir
    %n = graph.sequence_length %s : !graph.sequence<tensor<?xf32>>
        -> tensor<i64>
    ```
  }];
  let arguments = (ins Graph_Sequence:$input_sequence);
  let results = (outs 0DTensorOf<[I64]>:$length);
  let assemblyFormat = [{
    $input_sequence attr-dict `:` type($input_sequence) `->` type($length)
  }];
}

//===----------------------------------------------------------------------===//
// Optional ops
//===----------------------------------------------------------------------===//

def Graph_OptionalOp : Graph_SequenceOp<"optional"> {
  let summary = "ONNX Optional (opset 15-21): an optional holding a value, or none";
  let description = [{
    An optional holding `input` (a tensor or a sequence of the result's
    element type), or an empty one when there is no operand.

    ```mlir
    %o = graph.optional %x : tensor<4xf32> -> !graph.optional<tensor<4xf32>>
    %none = graph.optional : !graph.optional<tensor<4xf32>>
    ```
  }];
  let arguments = (ins Optional<AnyTypeOf<[Graph_Tensor, Graph_Sequence]>>:$input);
  let results = (outs Graph_Optional:$result);
  let assemblyFormat = [{
    ($input^ `:` type($input) `->`)? attr-dict type($result)
  }];
  let hasVerifier = 1;
}

def Graph_OptionalHasElementOp : Graph_SequenceOp<"optional_has_element"> {
  let summary = "ONNX OptionalHasElement (opset 15-21): whether an optional holds a value";
  let description = [{
    ```mlir
    %b = graph.optional_has_element %o : !graph.optional<tensor<4xf32>>
        -> tensor<i1>
    ```
  }];
  let arguments = (ins Graph_Optional:$input);
  let results = (outs 0DTensorOf<[I1]>:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

def Graph_OptionalGetElementOp : Graph_SequenceOp<"optional_get_element"> {
  let summary = "ONNX OptionalGetElement (opset 15-21): the value an optional holds";
  let description = [{
    The tensor or sequence `input` holds; an empty optional fails the run.
    A tensor result is ranked: a held tensor of another rank fails the run.

    ```mlir
    %x = graph.optional_get_element %o : !graph.optional<tensor<4xf32>>
        -> tensor<4xf32>
    ```
  }];
  let arguments = (ins Graph_Optional:$input);
  let results = (outs AnyTypeOf<[Graph_Tensor, Graph_Sequence]>:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

#endif // EXAFORGE_DIALECTS_GRAPH_GRAPHSEQUENCEOPS_TD
