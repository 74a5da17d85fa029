//===- GraphIndexingOps.td - Indexing and selection ops ----*- tablegen -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Ops that read or write elements at computed positions, select elements,
// or contract along an equation: GatherND, ScatterND, ScatterElements, TopK,
// OneHot, EyeLike, ReverseSequence, Einsum, Det and TfIdfVectorizer.
// Included at the end of GraphOps.td; result types are inferred in
// GraphIndexingOps.cpp and the lowerings are in
// passes/Conversion/GraphToLinalg/IndexingToLinalg.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_DIALECTS_GRAPH_GRAPHINDEXINGOPS_TD
#define EXAFORGE_DIALECTS_GRAPH_GRAPHINDEXINGOPS_TD

include "dialects/Graph/GraphDialect.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

/// The combination of a scatter's update with the element it replaces.
defvar Graph_ScatterReduction = ConfinedAttr<StrAttr, [AttrConstraint<
    CPred<"::llvm::is_contained(::llvm::ArrayRef<::llvm::StringRef>{"
          "\"none\", \"add\", \"mul\", \"max\", \"min\"}, "
          "::llvm::cast<::mlir::StringAttr>($_self).getValue())">,
    "one of none, add, mul, max, min">]>;

def Graph_GatherNDOp : Graph_Op<"gather_nd", [Pure]> {
  let summary = "ONNX GatherND: takes slices of `data` at index tuples";
  let description = [{
    The last dimension of `indices` (static, `r`) holds tuples of indices
    into the dimensions `batch_dims ..< batch_dims + r` of `data`; the
    first `batch_dims` dimensions of both operands are batch dimensions.
    The result has shape `indices.shape[:-1] + data.shape[batch_dims + r:]`.
    Negative indices count from the back; an index outside its dimension
    is a run-time error.

    ```mlir
    %0 = graph.gather_nd %x, %ids {batch_dims = 0 : i64}
        : (tensor<2x2xf32>, tensor<2x2xi64>) -> tensor<2xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$data, TensorOf<[I64]>:$indices,
                   DefaultValuedAttr<I64Attr, "0">:$batch_dims);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat =
      "$data `,` $indices attr-dict `:` functional-type(operands, results)";
}

def Graph_ScatterNDOp : Graph_Op<"scatter_nd", [Pure]> {
  let summary = "ONNX ScatterND: writes slices of `updates` at index tuples";
  let description = [{
    The result is `data` with, for each index tuple of `indices` (its last,
    static dimension), the slice of `data` it names replaced by (or, with
    `reduction`, combined with: `add`, `mul`, `max`, `min`) the matching
    slice of `updates`, in the order of the tuples (so repeated tuples
    accumulate). `updates` has shape
    `indices.shape[:-1] + data.shape[indices.shape[-1]:]`. Negative indices
    count from the back; an index outside its dimension is a run-time error.

    ```mlir
    %0 = graph.scatter_nd %x, %ids, %u {reduction = "add"}
        : (tensor<4x4xf32>, tensor<2x1xi64>, tensor<2x4xf32>) -> tensor<4x4xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$data, TensorOf<[I64]>:$indices,
                   Graph_Tensor:$updates,
                   DefaultValuedStrAttr<Graph_ScatterReduction, "none">:$reduction);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = [{
    $data `,` $indices `,` $updates attr-dict `:` functional-type(operands, results)
  }];
}

def Graph_ScatterElementsOp : Graph_Op<"scatter_elements", [Pure]> {
  let summary = "ONNX ScatterElements: writes `updates` at indices along `axis`";
  let description = [{
    `indices` and `updates` have one shape, of the rank of `data`. The
    result is `data` with, for each position `p` of `updates` in row-major
    order, the element at `p` with its `axis` coordinate replaced by
    `indices[p]` replaced by (or, with `reduction`, combined with)
    `updates[p]`. Negative indices count from the back; an index outside
    the dimension is a run-time error.

    ```mlir
    %0 = graph.scatter_elements %x, %ids, %u {axis = 1 : i64, reduction = "none"}
        : (tensor<1x5xf32>, tensor<1x2xi64>, tensor<1x2xf32>) -> tensor<1x5xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$data, Graph_IndexTensor:$indices,
                   Graph_Tensor:$updates,
                   DefaultValuedAttr<I64Attr, "0">:$axis,
                   DefaultValuedStrAttr<Graph_ScatterReduction, "none">:$reduction);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = [{
    $data `,` $indices `,` $updates attr-dict `:` functional-type(operands, results)
  }];
}

def Graph_TopKOp : Graph_Op<"top_k", [Pure]> {
  let summary = "ONNX TopK: the `k` largest (or smallest) elements along `axis`";
  let description = [{
    `k` is a one-element `i64` vector; the results have the input's shape
    with `k` entries along `axis` (a dynamic size unless `k` is a
    constant). `values` are sorted (largest first, or smallest first when
    `largest` is false); of equal values the one of lower index comes
    first. `indices` are their positions along `axis`. Results are sorted
    whatever `sorted` says (ONNX then leaves the order open).

    ```mlir
    %v, %i = graph.top_k %x, %k {axis = 1 : i64, largest = true, sorted = true}
        : (tensor<3x4xf32>, tensor<1xi64>) -> (tensor<3x3xf32>, tensor<3x3xi64>)
    ```
  }];
  let arguments = (ins RankedTensorOf<[AnyFloat, AnyInteger]>:$input,
                   Graph_I64Vector:$k,
                   DefaultValuedAttr<I64Attr, "-1">:$axis,
                   DefaultValuedAttr<BoolAttr, "true">:$largest,
                   DefaultValuedAttr<BoolAttr, "true">:$sorted);
  let results = (outs Graph_Tensor:$values, TensorOf<[I64]>:$indices);
  let assemblyFormat =
      "$input `,` $k attr-dict `:` functional-type(operands, results)";
}

def Graph_OneHotOp : Graph_Op<"one_hot", [Pure]> {
  let summary = "ONNX OneHot: one-hot vectors of `depth` entries";
  let description = [{
    Inserts a dimension of size `depth` (a scalar or one-element tensor,
    a dynamic size unless constant) at `axis` of the result (negative counts
    from the back of the result). The entry at `d` of that dimension is
    `values[1]` where the index (made non-negative by adding `depth`)
    equals `d`, else `values[0]`; an index outside `[-depth, depth)` gives
    only `values[0]`. Indices of a float type are truncated.

    ```mlir
    %0 = graph.one_hot %ids, %depth, %values {axis = -1 : i64}
        : (tensor<3xi64>, tensor<i64>, tensor<2xf32>) -> tensor<3x10xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$indices, Graph_Tensor:$depth,
                   Graph_Tensor:$values,
                   DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = [{
    $indices `,` $depth `,` $values attr-dict `:` functional-type(operands, results)
  }];
}

def Graph_EyeLikeOp : Graph_Op<"eye_like", [Pure]> {
  let summary = "ONNX EyeLike: ones on a diagonal of a matrix, zeros elsewhere";
  let description = [{
    The result has the shape of the 2-D `input` and the element type
    `dtype`; its element at `(i, j)` is 1 where `j - i == k`, else 0.

    ```mlir
    %0 = graph.eye_like %x {dtype = f32, k = 1 : i64}
        : (tensor<3x4xi32>) -> tensor<3x4xf32>
    ```
  }];
  let arguments = (ins 2DTensorOf<[AnyFloat, AnyInteger]>:$input,
                   TypeAttr:$dtype,
                   DefaultValuedAttr<I64Attr, "0">:$k);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Graph_ReverseSequenceOp : Graph_Op<"reverse_sequence", [Pure]> {
  let summary = "ONNX ReverseSequence: reverses the first entries of each sequence";
  let description = [{
    For each batch entry `b` (along `batch_axis`), the first
    `sequence_lens[b]` entries along `time_axis` are reversed and the
    others kept. `batch_axis` and `time_axis` are 0 and 1 in some order. A
    length outside `[0, time size]` is a run-time error.

    ```mlir
    %0 = graph.reverse_sequence %x, %lens {batch_axis = 1 : i64, time_axis = 0 : i64}
        : (tensor<4x4xf32>, tensor<4xi64>) -> tensor<4x4xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, Graph_I64Vector:$sequence_lens,
                   DefaultValuedAttr<I64Attr, "1">:$batch_axis,
                   DefaultValuedAttr<I64Attr, "0">:$time_axis);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $sequence_lens attr-dict `:` functional-type(operands, results)
  }];
}

def Graph_EinsumOp : Graph_Op<"einsum", [Pure]> {
  let summary = "ONNX Einsum: a sum of products along an index equation";
  let description = [{
    `equation` names each input's dimensions with letters (`...` for the
    leading dimensions not named, broadcast against each other), then
    optionally `->` and the result's. Without `->`, the result has the
    `...` dimensions, then the letters used once in alphabetical order. A
    letter repeated in one term reads its diagonal; letters absent from the
    result are summed over.

    ```mlir
    %0 = graph.einsum %a, %b {equation = "bij,bjk->bik"}
        : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
    ```
  }];
  let arguments = (ins Variadic<RankedTensorOf<[AnyFloat, AnyInteger]>>:$inputs,
                   StrAttr:$equation);
  let results = (outs RankedTensorOf<[AnyFloat, AnyInteger]>:$output);
  let assemblyFormat =
      "$inputs attr-dict `:` functional-type(operands, results)";
}

def Graph_DetOp : Graph_Op<"det", [Pure]> {
  let summary = "ONNX Det: determinants of square matrices";
  let description = [{
    The input's last two dimensions hold square matrices; the result has
    the leading dimensions and holds each matrix's determinant.

    ```mlir
    %0 = graph.det %x : (tensor<3x2x2xf32>) -> tensor<3xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$input);
  let results = (outs Graph_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Graph_TfIdfVectorizerOp : Graph_Op<"tfidf_vectorizer", [Pure]> {
  let summary = "ONNX TfIdfVectorizer: counts of n-grams of integer tokens";
  let description = [{
    Counts, in each row of `input` (a vector, or a matrix of rows), the
    n-grams of `pool` (integer tokens): the n-grams of length 1 come first,
    those of length `k + 1` from `pool[ngram_counts[k]]` on. An n-gram of
    length `n >= 2` in `[min_gram_length, max_gram_length]` is counted at
    every start with every gap of `0 ..< max_skip_count + 1` tokens between
    its tokens, one of length 1 once per position. The count of the n-gram
    `i` of the pool goes to result column `ngram_indexes[i]`; `mode` `TF`
    keeps the counts, `IDF` writes `weights[c]` where a count is not zero,
    `TFIDF` multiplies the counts by `weights` (1 when absent).

    ```mlir
    %0 = graph.tfidf_vectorizer %x {max_gram_length = 2 : i64,
        max_skip_count = 0 : i64, min_gram_length = 2 : i64, mode = "TF",
        ngram_counts = array<i64: 0, 2>, ngram_indexes = array<i64: 0, 1>,
        pool_int64s = array<i64: 5, 6, 7, 8>}
        : (tensor<2x6xi32>) -> tensor<2x2xf32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[I32, I64]>:$input,
                   StrAttr:$mode,
                   I64Attr:$min_gram_length, I64Attr:$max_gram_length,
                   I64Attr:$max_skip_count,
                   DenseI64ArrayAttr:$ngram_counts,
                   DenseI64ArrayAttr:$ngram_indexes,
                   DenseI64ArrayAttr:$pool_int64s,
                   OptionalAttr<DenseF32ArrayAttr>:$weights);
  let results = (outs RankedTensorOf<[F32]>:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

#endif // EXAFORGE_DIALECTS_GRAPH_GRAPHINDEXINGOPS_TD
