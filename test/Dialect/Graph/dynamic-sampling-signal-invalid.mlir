// RUN: exaforge-opt %s -split-input-file -verify-diagnostics

// Type inference errors of the ops with data-dependent sizes, the sampling
// ops and the signal ops. Each is followed by the generic "failed to infer
// returned types" error.

// Tests that NonMaxSuppression's boxes must be [batches, boxes, 4].
func.func @nms_boxes(%b: tensor<1x6x5xf32>, %s: tensor<1x1x6xf32>) {
  // expected-error @+2 {{'boxes' must be [batches, boxes, 4], got 'tensor<1x6x5xf32>'}}
  // expected-error @+1 {{'graph.non_max_suppression' op failed to infer returned types}}
  %0 = graph.non_max_suppression %b, %s : (tensor<1x6x5xf32>, tensor<1x1x6xf32>) -> tensor<?x3xi64>
  return
}

// -----

// Tests that boxes and scores must agree on the number of boxes.
func.func @nms_box_count(%b: tensor<1x6x4xf32>, %s: tensor<1x1x5xf32>) {
  // expected-error @+2 {{disagree on the number of batches or boxes}}
  // expected-error @+1 {{'graph.non_max_suppression' op failed to infer returned types}}
  %0 = graph.non_max_suppression %b, %s : (tensor<1x6x4xf32>, tensor<1x1x5xf32>) -> tensor<?x3xi64>
  return
}

// -----

// Tests that Compress's axis must be in range.
func.func @compress_axis(%x: tensor<2x3xf32>, %c: tensor<3xi1>) {
  // expected-error @+2 {{'axis' value is 2, accepted range is [-2, 1]}}
  // expected-error @+1 {{'graph.compress' op failed to infer returned types}}
  %0 = graph.compress %x, %c {axis = 2 : i64} : (tensor<2x3xf32>, tensor<3xi1>) -> tensor<2x?xf32>
  return
}

// -----

// Tests that GridSample's grid must end in a dimension of 2.
func.func @grid_sample_grid(%x: tensor<1x1x4x4xf32>, %g: tensor<1x2x2x3xf32>) {
  // expected-error @+2 {{'grid' must be N x H_out x W_out x 2, got 'tensor<1x2x2x3xf32>'}}
  // expected-error @+1 {{'graph.grid_sample' op failed to infer returned types}}
  %0 = graph.grid_sample %x, %g : (tensor<1x1x4x4xf32>, tensor<1x2x2x3xf32>) -> tensor<1x1x2x2xf32>
  return
}

// -----

// Tests that an unknown GridSample mode is rejected.
func.func @grid_sample_mode(%x: tensor<1x1x4x4xf32>, %g: tensor<1x2x2x2xf32>) {
  // expected-error @+1 {{attribute 'mode' failed to satisfy constraint: string attribute one of bilinear, nearest, bicubic}}
  %0 = graph.grid_sample %x, %g {mode = "linear"} : (tensor<1x1x4x4xf32>, tensor<1x2x2x2xf32>) -> tensor<1x1x2x2xf32>
  return
}

// -----

// Tests that RoiAlign's regions must be R x 4.
func.func @roi_align_rois(%x: tensor<1x1x4x4xf32>, %r: tensor<2x5xf32>, %i: tensor<2xi64>) {
  // expected-error @+2 {{'rois' must be R x 4, got 'tensor<2x5xf32>'}}
  // expected-error @+1 {{'graph.roi_align' op failed to infer returned types}}
  %0 = graph.roi_align %x, %r, %i : (tensor<1x1x4x4xf32>, tensor<2x5xf32>, tensor<2xi64>) -> tensor<2x1x1x1xf32>
  return
}

// -----

// Tests that a DFT input must end in a real or complex dimension.
func.func @dft_last(%x: tensor<1x10x3xf32>) {
  // expected-error @+2 {{the last dimension of 'input' must be 1 (real) or 2 (complex), got 'tensor<1x10x3xf32>'}}
  // expected-error @+1 {{'graph.dft' op failed to infer returned types}}
  %0 = graph.dft %x : (tensor<1x10x3xf32>) -> tensor<1x10x2xf32>
  return
}

// -----

// Tests that an inverse one-sided DFT is rejected.
func.func @dft_onesided_inverse(%x: tensor<1x10x2xf32>) {
  // expected-error @+2 {{'onesided' and 'inverse' cannot both be set}}
  // expected-error @+1 {{'graph.dft' op failed to infer returned types}}
  %0 = graph.dft %x {inverse = true, onesided = true} : (tensor<1x10x2xf32>) -> tensor<1x6x2xf32>
  return
}

// -----

// Tests that STFT needs a window or a frame length.
func.func @stft_no_frame(%x: tensor<1x64x1xf32>, %step: tensor<i64>) {
  // expected-error @+2 {{either 'window' or 'frame_length' must be given}}
  // expected-error @+1 {{'graph.stft' op failed to infer returned types}}
  %0 = graph.stft %x, %step : (tensor<1x64x1xf32>, tensor<i64>) -> tensor<1x?x?x2xf32>
  return
}

// -----

// Tests that a window's size must be a scalar.
func.func @window_size(%n: tensor<2xi64>) {
  // expected-error @+2 {{'size' must be a scalar}}
  // expected-error @+1 {{'graph.cosine_sum_window' op failed to infer returned types}}
  %0 = graph.cosine_sum_window %n {a0 = 0.5, a1 = 0.5, a2 = 0.0, element_type = f32} : (tensor<2xi64>) -> tensor<?xf32>
  return
}
