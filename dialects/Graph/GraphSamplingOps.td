//===- GraphSamplingOps.td - Ops sampling an image at coordinates -*- tablegen -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Ops that read an `N x C x H x W` image at computed, fractional
// coordinates and interpolate: GridSample and RoiAlign. Included by
// GraphOps.td; result types are inferred in GraphSamplingOps.cpp, the
// lowerings are in passes/Conversion/GraphToLinalg/SamplingToLinalg.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_DIALECTS_GRAPH_GRAPHSAMPLINGOPS_TD
#define EXAFORGE_DIALECTS_GRAPH_GRAPHSAMPLINGOPS_TD

def Graph_GridSampleMode : AttrConstraint<
    CPred<"::llvm::is_contained(::llvm::ArrayRef<::llvm::StringRef>{"
          "\"bilinear\", \"nearest\", \"bicubic\"}, "
          "::llvm::cast<::mlir::StringAttr>($_self).getValue())">,
    "one of bilinear, nearest, bicubic">;
def Graph_GridSamplePaddingMode : AttrConstraint<
    CPred<"::llvm::is_contained(::llvm::ArrayRef<::llvm::StringRef>{"
          "\"zeros\", \"border\", \"reflection\"}, "
          "::llvm::cast<::mlir::StringAttr>($_self).getValue())">,
    "one of zeros, border, reflection">;

def Graph_GridSampleOp : Graph_Op<"grid_sample", [Pure]> {
  let summary = "ONNX GridSample (opset 16): samples an image at a grid";
  let description = [{
    `input` is `N x C x H x W` and `grid` `N x H_out x W_out x 2`: the last
    dimension holds `(x, y)` in `[-1, 1]` (-1 the left/top edge, 1 the
    right/bottom one: the centers of the corner pixels with
    `align_corners`, their outer edges without). The result is `N x C x
    H_out x W_out`, each element interpolated (`mode` `bilinear`, `nearest`
    with ties to even, or `bicubic` with a = -0.75) from the pixels around
    its grid point. Pixels outside the image read as zeros
    (`padding_mode` `zeros`), as the nearest edge pixel (`border`), or as
    their mirror image (`reflection`, coordinates first reflected into the
    image).

    ```mlir
    %0 = graph.grid_sample %x, %grid {mode = "bilinear"}
        : (tensor<1x1x4x4xf32>, tensor<1x6x6x2xf32>) -> tensor<1x1x6x6xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$input, Graph_FloatTensor:$grid,
                   DefaultValuedAttr<BoolAttr, "false">:$align_corners,
                   DefaultValuedStrAttr<ConfinedAttr<StrAttr, [Graph_GridSampleMode]>,
                                        "bilinear">:$mode,
                   DefaultValuedStrAttr<
                       ConfinedAttr<StrAttr, [Graph_GridSamplePaddingMode]>,
                       "zeros">:$padding_mode);
  let results = (outs Graph_FloatTensor:$output);
  let assemblyFormat =
      "$input `,` $grid attr-dict `:` functional-type(operands, results)";
}

def Graph_RoiAlignMode : AttrConstraint<
    CPred<"::llvm::is_contained(::llvm::ArrayRef<::llvm::StringRef>{"
          "\"avg\", \"max\"}, "
          "::llvm::cast<::mlir::StringAttr>($_self).getValue())">,
    "one of avg, max">;

def Graph_RoiAlignCoordinateMode : AttrConstraint<
    CPred<"::llvm::is_contained(::llvm::ArrayRef<::llvm::StringRef>{"
          "\"half_pixel\", \"output_half_pixel\"}, "
          "::llvm::cast<::mlir::StringAttr>($_self).getValue())">,
    "one of half_pixel, output_half_pixel">;

def Graph_RoiAlignOp : Graph_Op<"roi_align", [Pure]> {
  let summary = "ONNX RoiAlign (opset 16): pools regions of an image";
  let description = [{
    `input` is `N x C x H x W`, `rois` `R x 4` (`[x1, y1, x2, y2]` in input
    coordinates before `spatial_scale`) and `batch_indices` (`R`) the image
    of each region. Each region is divided into `output_height x
    output_width` bins; each bin averages (`mode` `avg`) or takes the
    largest of (`max`) `sampling_ratio x sampling_ratio` bilinearly
    interpolated samples (when `sampling_ratio` is 0, `ceil(bin size)`
    samples per axis). With `half_pixel` the region's corners are shifted by
    half a pixel (`output_half_pixel`: not shifted, and each region at least
    one pixel wide). The result is `R x C x output_height x output_width`.

    ```mlir
    %0 = graph.roi_align %x, %rois, %ids {output_height = 5 : i64,
        output_width = 5 : i64, sampling_ratio = 2 : i64}
        : (tensor<1x1x10x10xf32>, tensor<3x4xf32>, tensor<3xi64>)
        -> tensor<3x1x5x5xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$input, Graph_FloatTensor:$rois,
                   Graph_IndexTensor:$batch_indices,
                   DefaultValuedStrAttr<
                       ConfinedAttr<StrAttr, [Graph_RoiAlignCoordinateMode]>,
                       "half_pixel">:
                       $coordinate_transformation_mode,
                   DefaultValuedStrAttr<ConfinedAttr<StrAttr, [Graph_RoiAlignMode]>,
                                        "avg">:$mode,
                   DefaultValuedAttr<ConfinedAttr<I64Attr, [IntPositive]>,
                                     "1">:$output_height,
                   DefaultValuedAttr<ConfinedAttr<I64Attr, [IntPositive]>,
                                     "1">:$output_width,
                   DefaultValuedAttr<ConfinedAttr<I64Attr, [IntNonNegative]>,
                                     "0">:$sampling_ratio,
                   DefaultValuedAttr<F32Attr, "1.0">:$spatial_scale);
  let results = (outs Graph_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $rois `,` $batch_indices attr-dict `:`
    functional-type(operands, results)
  }];
}

#endif // EXAFORGE_DIALECTS_GRAPH_GRAPHSAMPLINGOPS_TD
