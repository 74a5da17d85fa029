//===- GraphSignalOps.td - Signal processing ops -----------*- tablegen -*-===//
//
// Part of the Exaforge project.
//
//===----------------------------------------------------------------------===//
//
// The signal processing ops of ONNX opset 17: DFT, STFT, the cosine-sum
// windows (HannWindow, HammingWindow, BlackmanWindow) and MelWeightMatrix.
// Complex tensors are real tensors with a last dimension of 2 (real,
// imaginary), as in ONNX. Included by GraphOps.td; result types are inferred
// in GraphSignalOps.cpp, the lowerings are in
// passes/Conversion/GraphToLinalg/SignalToLinalg.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef EXAFORGE_DIALECTS_GRAPH_GRAPHSIGNALOPS_TD
#define EXAFORGE_DIALECTS_GRAPH_GRAPHSIGNALOPS_TD

def Graph_DFTOp : Graph_Op<"dft", [Pure]> {
  let summary = "ONNX DFT (opset 17): discrete Fourier transform along an axis";
  let description = [{
    `input` is `[batch, ..., n, ..., 1]` (real) or `[..., 2]` (complex);
    `axis` (a signal dimension: neither the first nor the last) is
    transformed. `dft_length` (a scalar, the axis size when absent) pads the
    signal with zeros or truncates it. With `inverse` the inverse transform
    (scaled by `1 / length`) is computed; with `onesided` only the first
    `length / 2 + 1` frequencies are returned. The result is complex.

    ```mlir
    %0 = graph.dft %x {axis = 1 : i64}
        : (tensor<1x10x10x1xf32>) -> tensor<1x10x10x2xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$input,
                   Optional<Graph_IndexTensor>:$dft_length,
                   DefaultValuedAttr<I64Attr, "1">:$axis,
                   DefaultValuedAttr<BoolAttr, "false">:$inverse,
                   DefaultValuedAttr<BoolAttr, "false">:$onesided);
  let results = (outs Graph_FloatTensor:$output);
  let assemblyFormat = [{
    $input (`length` $dft_length^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

def Graph_STFTOp : Graph_Op<"stft", [Pure, AttrSizedOperandSegments]> {
  let summary = "ONNX STFT (opset 17): short-time Fourier transform";
  let description = [{
    `signal` is `[batch, length, 1]` (real) or `[batch, length, 2]`
    (complex). Frames of `frame_length` samples (the length of `window` when
    `frame_length` is absent) start every `frame_step` samples; each is
    multiplied by `window` (ones when absent) and transformed. The result is
    `[batch, frames, bins, 2]` with `frames = (length - frame_length) /
    frame_step + 1` and `bins = frame_length / 2 + 1` with `onesided`,
    `frame_length` otherwise.

    ```mlir
    %0 = graph.stft %x, %step window %w {onesided = true}
        : (tensor<1x128x1xf32>, tensor<i64>, tensor<16xf32>)
        -> tensor<1x?x9x2xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$signal, Graph_IndexTensor:$frame_step,
                   Optional<Graph_FloatTensor>:$window,
                   Optional<Graph_IndexTensor>:$frame_length,
                   DefaultValuedAttr<BoolAttr, "true">:$onesided);
  let results = (outs Graph_FloatTensor:$output);
  let assemblyFormat = [{
    $signal `,` $frame_step (`window` $window^)?
    (`frame_length` $frame_length^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

def Graph_CosineSumWindowOp : Graph_Op<"cosine_sum_window", [Pure]> {
  let summary = "ONNX HannWindow, HammingWindow, BlackmanWindow (opset 17)";
  let description = [{
    The window `w[k] = a0 - a1 cos(2 pi k / N) + a2 cos(4 pi k / N)` for
    `k` in `[0, size)`, with `N = size` when `periodic`, `size - 1`
    otherwise. HannWindow has `a0 = a1 = 0.5`, `a2 = 0`; HammingWindow
    `a0 = 25/46`, `a1 = 21/46`, `a2 = 0`; BlackmanWindow `a0 = 0.42`,
    `a1 = 0.5`, `a2 = 0.08`. `size` is a scalar; the length is dynamic unless
    it is a constant. The result's element type is `element_type`.

    ```mlir
    %0 = graph.cosine_sum_window %n {a0 = 5.0e-01 : f64, a1 = 5.0e-01 : f64,
        a2 = 0.0 : f64, element_type = f32} : (tensor<i32>) -> tensor<?xf32>
    ```
  }];
  let arguments = (ins Graph_IndexTensor:$size, F64Attr:$a0, F64Attr:$a1,
                   F64Attr:$a2, DefaultValuedAttr<BoolAttr, "true">:$periodic,
                   TypeAttrOf<AnyFloat>:$element_type);
  let results = (outs 1DTensorOf<[AnyFloat]>:$output);
  let assemblyFormat = "$size attr-dict `:` functional-type(operands, results)";
}

def Graph_MelWeightMatrixOp : Graph_Op<"mel_weight_matrix", [Pure]> {
  let summary = "ONNX MelWeightMatrix (opset 17): a mel filter bank";
  let description = [{
    The `[dft_length / 2 + 1, num_mel_bins]` matrix that maps the bins of a
    one-sided spectrum onto `num_mel_bins` triangular filters spaced evenly
    on the mel scale (`mel(f) = 2595 log10(1 + f / 700)`) between
    `lower_edge_hertz` and `upper_edge_hertz`, computed as the ONNX
    reference does (the filters' edges rounded down to whole bins of
    `sample_rate / dft_length` hertz). The integer operands are scalars; the
    result's sizes are dynamic unless they are constants. The result's
    element type is `element_type`.

    ```mlir
    %0 = graph.mel_weight_matrix %bins, %n, %rate, %lo, %hi
        {element_type = f32} : (tensor<i32>, tensor<i32>, tensor<i32>,
        tensor<f32>, tensor<f32>) -> tensor<?x?xf32>
    ```
  }];
  let arguments = (ins Graph_IndexTensor:$num_mel_bins,
                   Graph_IndexTensor:$dft_length,
                   Graph_IndexTensor:$sample_rate,
                   Graph_FloatTensor:$lower_edge_hertz,
                   Graph_FloatTensor:$upper_edge_hertz,
                   TypeAttrOf<AnyFloat>:$element_type);
  let results = (outs 2DTensorOf<[AnyFloat]>:$output);
  let assemblyFormat = [{
    $num_mel_bins `,` $dft_length `,` $sample_rate `,` $lower_edge_hertz `,`
    $upper_edge_hertz attr-dict `:` functional-type(operands, results)
  }];
}

#endif // EXAFORGE_DIALECTS_GRAPH_GRAPHSIGNALOPS_TD
