//===- GraphDynamicShapeOps.td - Ops with data-dependent shapes -*- tablegen -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Ops whose result size depends on the values of their operands, not only
// on their shapes: NonZero, Compress, Unique and NonMaxSuppression. Their
// data-dependent dimensions are dynamic (`?`) in the result types; the
// lowerings (passes/Conversion/GraphToLinalg/DynamicShapeToLinalg.cpp)
// compute them at run time. Included by GraphOps.td; result types are
// inferred in GraphDynamicShapeOps.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_DIALECTS_GRAPH_GRAPHDYNAMICSHAPEOPS_TD
#define EXAFORGE_DIALECTS_GRAPH_GRAPHDYNAMICSHAPEOPS_TD

def Graph_NonZeroOp : Graph_Op<"non_zero", [Pure]> {
  let summary = "ONNX NonZero: the coordinates of the non-zero elements";
  let description = [{
    Returns a `rank x count` `i64` tensor whose column `j` holds the
    coordinates of the `j`-th non-zero element of `input` in row-major
    order. `count` is known only at run time.

    ```mlir
    %0 = graph.non_zero %x : (tensor<2x2xi1>) -> tensor<2x?xi64>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input);
  let results = (outs RankedTensorOf<[I64]>:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Graph_CompressOp : Graph_Op<"compress", [Pure]> {
  let summary = "ONNX Compress: keeps the slices a boolean condition selects";
  let description = [{
    Keeps the slices of `input` along `axis` (negative counts from the back)
    whose entry in the 1-D `condition` is true; without `axis` the input is
    flattened first. A `condition` shorter than the axis selects none of the
    slices past its end; entries past the axis are ignored. The size of the
    result along the axis is known only at run time.

    ```mlir
    %0 = graph.compress %x, %c {axis = 0 : i64}
        : (tensor<3x2xf32>, tensor<3xi1>) -> tensor<?x2xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, 1DTensorOf<[I1]>:$condition,
                   OptionalAttr<I64Attr>:$axis);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $condition attr-dict `:` functional-type(operands, results)
  }];
}

def Graph_UniqueOp : Graph_Op<"unique", [Pure]> {
  let summary = "ONNX Unique: the distinct elements or slices of a tensor";
  let description = [{
    Without `axis`, finds the distinct elements of the flattened `input`;
    with `axis` (negative counts from the back), the distinct slices along
    it. `output` holds them (sorted in ascending order, slices compared
    lexicographically, when `sorted` is set; otherwise in the order of their
    first occurrence), `indices` the position of each one's first occurrence
    in the input, `inverse_indices` for each input element (or slice) the
    position of its value in `output`, and `counts` how often each occurs.
    The number of distinct values is known only at run time.

    ```mlir
    %y, %i, %inv, %n = graph.unique %x {sorted = true}
        : (tensor<6xf32>) -> (tensor<?xf32>, tensor<?xi64>, tensor<6xi64>,
                              tensor<?xi64>)
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, OptionalAttr<I64Attr>:$axis,
                   DefaultValuedAttr<BoolAttr, "true">:$sorted);
  let results = (outs Graph_Tensor:$output, RankedTensorOf<[I64]>:$indices,
                 RankedTensorOf<[I64]>:$inverse_indices,
                 RankedTensorOf<[I64]>:$counts);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Graph_NonMaxSuppressionOp
    : Graph_Op<"non_max_suppression", [Pure, AttrSizedOperandSegments]> {
  let summary = "ONNX NonMaxSuppression: greedy selection of boxes by score";
  let description = [{
    `boxes` is `batches x boxes x 4` and `scores` `batches x classes x
    boxes`. For each batch and class, boxes are taken in decreasing score
    order (the lower index first among equal scores), skipping those whose
    score is not above `score_threshold` and those whose intersection over
    union with an already selected box is above `iou_threshold`, until
    `max_output_boxes_per_class` are selected (0 or absent: none). Boxes
    are `[y1, x1, y2, x2]` corners (either diagonal) or, with
    `center_point_box`, `[x_center, y_center, width, height]`. The result
    lists the selected `[batch, class, box]` triples, batch by batch and
    class by class, in selection order; their number is known only at run
    time.

    ```mlir
    %0 = graph.non_max_suppression %boxes, %scores max_output %m
        iou_threshold %iou {center_point_box = 0 : i64}
        : (tensor<1x6x4xf32>, tensor<1x1x6xf32>, tensor<1xi64>, tensor<1xf32>)
        -> tensor<?x3xi64>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$boxes, Graph_FloatTensor:$scores,
                   Optional<RankedTensorOf<[I64]>>:$max_output_boxes_per_class,
                   Optional<Graph_FloatTensor>:$iou_threshold,
                   Optional<Graph_FloatTensor>:$score_threshold,
                   DefaultValuedAttr<I64Attr, "0">:$center_point_box);
  let results = (outs RankedTensorOf<[I64]>:$output);
  let assemblyFormat = [{
    $boxes `,` $scores (`max_output` $max_output_boxes_per_class^)?
    (`iou_threshold` $iou_threshold^)? (`score_threshold` $score_threshold^)?
    attr-dict `:` functional-type(operands, results)
  }];
}

#endif // EXAFORGE_DIALECTS_GRAPH_GRAPHDYNAMICSHAPEOPS_TD
