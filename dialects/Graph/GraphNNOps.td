//===- GraphNNOps.td - Resize and transposed convolution ---*- tablegen -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// Neural-network ops of image models beyond Conv and pooling: Resize (and
// the older Upsample, imported as a Resize), ConvTranspose and MaxUnpool.
// Included by GraphOps.td; result type inference lives in GraphNNOps.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_DIALECTS_GRAPH_GRAPHNNOPS_TD
#define EXAFORGE_DIALECTS_GRAPH_GRAPHNNOPS_TD

/// Resize's `mode`.
def Graph_ResizeMode : AttrConstraint<
    CPred<"::llvm::is_contained({\"nearest\", \"linear\", \"cubic\"}, "
          "::llvm::cast<::mlir::StringAttr>($_self).getValue())">,
    "one of nearest, linear, cubic">;

/// Resize's `coordinate_transformation_mode`.
def Graph_ResizeCoordinateMode : AttrConstraint<
    CPred<"::llvm::is_contained({\"half_pixel\", \"half_pixel_symmetric\", "
          "\"pytorch_half_pixel\", \"align_corners\", \"asymmetric\", "
          "\"tf_half_pixel_for_nn\", \"tf_crop_and_resize\"}, "
          "::llvm::cast<::mlir::StringAttr>($_self).getValue())">,
    "a coordinate transformation mode of ONNX Resize">;

/// Resize's `nearest_mode`.
def Graph_ResizeNearestMode : AttrConstraint<
    CPred<"::llvm::is_contained({\"round_prefer_floor\", "
          "\"round_prefer_ceil\", \"floor\", \"ceil\"}, "
          "::llvm::cast<::mlir::StringAttr>($_self).getValue())">,
    "one of round_prefer_floor, round_prefer_ceil, floor, ceil">;

def Graph_ResizeOp : Graph_Op<"resize", [Pure, AttrSizedOperandSegments]> {
  let summary = "ONNX Resize (opset 13 form): nearest, linear or cubic "
                "interpolation of every dimension";
  let description = [{
    Resizes every dimension of `input` by `scales` (f32, one per dimension;
    the output size is `floor(size * scale)`) or to `sizes` (i64, one per
    dimension); exactly one of the two is present. Each output coordinate
    is mapped to an input coordinate by `coordinate_transformation_mode`
    (`roi`, `2 x rank` floats: all starts, then all ends, is read by
    `tf_crop_and_resize` only), then interpolated along each dimension:
    `nearest` rounds by `nearest_mode`, `linear` weighs two neighbours,
    `cubic` four with the coefficient `cubic_coeff_a` (neighbours outside the
    input get weight 0 and the others are renormalized when
    `exclude_outside` is set). Neighbours outside the input read the nearest
    edge element; with `tf_crop_and_resize`, an output whose coordinate
    falls outside the input is `extrapolation_value`. ONNX's `axes`
    (opset 18) and Upsample are expanded to this form by the importer.

    ```mlir
    %0 = graph.resize %x scales(%s) {mode = "linear"}
        : (tensor<1x3x8x8xf32>, tensor<4xf32>) -> tensor<1x3x16x16xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input,
                   Optional<1DTensorOf<[AnyFloat]>>:$roi,
                   Optional<1DTensorOf<[F32]>>:$scales,
                   Optional<Graph_I64Vector>:$sizes,
                   DefaultValuedAttr<ConfinedAttr<StrAttr, [Graph_ResizeMode]>,
                                     "\"nearest\"">:$mode,
                   DefaultValuedAttr<
                       ConfinedAttr<StrAttr, [Graph_ResizeCoordinateMode]>,
                       "\"half_pixel\"">:$coordinate_transformation_mode,
                   DefaultValuedAttr<
                       ConfinedAttr<StrAttr, [Graph_ResizeNearestMode]>,
                       "\"round_prefer_floor\"">:$nearest_mode,
                   DefaultValuedAttr<F32Attr, "-0.75">:$cubic_coeff_a,
                   DefaultValuedAttr<BoolAttr, "false">:$exclude_outside,
                   DefaultValuedAttr<F32Attr, "0.0">:$extrapolation_value);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = [{
    $input (`roi` `(` $roi^ `)`)? (`scales` `(` $scales^ `)`)?
    (`sizes` `(` $sizes^ `)`)? attr-dict `:` functional-type(operands, results)
  }];
}

def Graph_ConvTransposeOp : Graph_Op<"conv_transpose", [Pure]> {
  let summary = "ONNX ConvTranspose: N-d grouped transposed convolution "
                "(NCHW layout)";
  let description = [{
    The gradient of Conv with respect to its input: `input` is
    `N x C x D1 x ... x Dn`, `weight` is `C x M/group x k1 x ... x kn`, the
    optional `bias` has `M` elements. Output size `i` is
    `strides[i] * (Di - 1) + output_padding[i] + (ki - 1) * dilations[i] + 1
    - pads[i] - pads[n + i]`. `pads` lists the begin pads of every spatial
    dimension, then the end pads; a negative pad adds zeros instead of
    cropping (ONNX's `output_shape` can ask for that). The importer resolves
    `auto_pad` and `output_shape` into `pads`.

    ```mlir
    %0 = graph.conv_transpose %x, %w {pads = array<i64: 0, 0, 0, 0>,
                                      strides = array<i64: 2, 2>,
                                      dilations = array<i64: 1, 1>,
                                      output_padding = array<i64: 0, 0>}
        : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>) -> tensor<1x2x7x7xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$input, Graph_FloatTensor:$weight,
                   Optional<Graph_FloatTensor>:$bias,
                   DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                   DenseI64ArrayAttr:$dilations,
                   DenseI64ArrayAttr:$output_padding,
                   DefaultValuedAttr<I64Attr, "1">:$group);
  let results = (outs Graph_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Graph_MaxUnpoolOp : Graph_Op<"max_unpool", [Pure]> {
  let summary = "ONNX MaxUnpool without output_shape: scatters pooled "
                "values back to their positions";
  let description = [{
    The result, `N x C x O1 x ... x On` with
    `Oi = (Di - 1) * strides[i] + kernel_shape[i] - pads[i] - pads[n + i]`,
    is zero except at the positions that `indices` (MaxPool's second output:
    flat indices into the whole result) give for the elements of `input`.
    The importer pads the result at the end of each dimension to ONNX's
    `output_shape`, as ONNX's reference does.

    ```mlir
    %0 = graph.max_unpool %x, %i {kernel_shape = array<i64: 2, 2>,
                                  strides = array<i64: 2, 2>,
                                  pads = array<i64: 0, 0, 0, 0>}
        : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>) -> tensor<1x1x4x4xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, RankedTensorOf<[I64]>:$indices,
                   DenseI64ArrayAttr:$kernel_shape, DenseI64ArrayAttr:$strides,
                   DenseI64ArrayAttr:$pads);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $indices attr-dict `:` functional-type(operands, results)
  }];
}

#endif // EXAFORGE_DIALECTS_GRAPH_GRAPHNNOPS_TD
