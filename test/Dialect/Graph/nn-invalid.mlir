// RUN: exaforge-opt %s -split-input-file -verify-diagnostics

// Tests the verification of graph.resize and graph.conv_transpose. Each
// error of an op's type inference is followed by the generic "failed to
// infer returned types" error.

func.func @resize_scales_and_sizes(%x: tensor<1x1x2x2xf32>, %s: tensor<4xf32>, %z: tensor<4xi64>) -> tensor<?x?x?x?xf32> {
  // expected-error @+2 {{expects exactly one of 'scales' and 'sizes'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = graph.resize %x scales(%s) sizes(%z) : (tensor<1x1x2x2xf32>, tensor<4xf32>, tensor<4xi64>) -> tensor<?x?x?x?xf32>
  return %0 : tensor<?x?x?x?xf32>
}

// -----

func.func @resize_scales_length(%x: tensor<1x1x2x2xf32>, %s: tensor<3xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+2 {{'scales' has 3 entries, expected 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = graph.resize %x scales(%s) : (tensor<1x1x2x2xf32>, tensor<3xf32>) -> tensor<?x?x?x?xf32>
  return %0 : tensor<?x?x?x?xf32>
}

// -----

// An infinite scale (found by the onnx-import fuzzer) has no output size.
func.func @resize_infinite_scale(%x: tensor<1x1x2x2xf32>) -> tensor<?x?x?x?xf32> {
  %s = graph.constant dense<[1.0, 1.0, 0x7F800000, 2.0]> : tensor<4xf32>
  // expected-error @+2 {{'scales' entry 2 (INF) resizes dimension 2 of size 2 beyond any tensor size}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = graph.resize %x scales(%s) : (tensor<1x1x2x2xf32>, tensor<4xf32>) -> tensor<?x?x?x?xf32>
  return %0 : tensor<?x?x?x?xf32>
}

// -----

func.func @resize_negative_scale(%x: tensor<1x1x2x2xf32>) -> tensor<?x?x?x?xf32> {
  %s = graph.constant dense<[1.0, 1.0, -2.0, 2.0]> : tensor<4xf32>
  // expected-error @+2 {{'scales' must be positive, got -2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = graph.resize %x scales(%s) : (tensor<1x1x2x2xf32>, tensor<4xf32>) -> tensor<?x?x?x?xf32>
  return %0 : tensor<?x?x?x?xf32>
}

// -----

func.func @resize_crop_without_roi(%x: tensor<1x1x2x2xf32>, %s: tensor<4xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+2 {{coordinate transformation mode 'tf_crop_and_resize' needs a 'roi'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = graph.resize %x scales(%s) {coordinate_transformation_mode = "tf_crop_and_resize"} : (tensor<1x1x2x2xf32>, tensor<4xf32>) -> tensor<?x?x?x?xf32>
  return %0 : tensor<?x?x?x?xf32>
}

// -----

func.func @resize_unknown_mode(%x: tensor<1x1x2x2xf32>, %s: tensor<4xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+1 {{attribute 'mode' failed to satisfy constraint: string attribute one of nearest, linear, cubic}}
  %0 = graph.resize %x scales(%s) {mode = "area"} : (tensor<1x1x2x2xf32>, tensor<4xf32>) -> tensor<?x?x?x?xf32>
  return %0 : tensor<?x?x?x?xf32>
}

// -----

func.func @conv_transpose_channels(%x: tensor<1x3x3x3xf32>, %w: tensor<2x2x3x3xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+2 {{input has 3 channels but weight has 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = graph.conv_transpose %x, %w {pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>} : (tensor<1x3x3x3xf32>, tensor<2x2x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %0 : tensor<?x?x?x?xf32>
}

// -----

func.func @conv_transpose_output_padding(%x: tensor<1x2x3x3xf32>, %w: tensor<2x2x3x3xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+2 {{'output_padding' has 1 entries, expected 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = graph.conv_transpose %x, %w {pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0>} : (tensor<1x2x3x3xf32>, tensor<2x2x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %0 : tensor<?x?x?x?xf32>
}

// -----

func.func @conv_transpose_empty_output(%x: tensor<1x2x1x1xf32>, %w: tensor<2x2x1x1xf32>) -> tensor<?x?x?x?xf32> {
  // expected-error @+2 {{spatial dimension 0 of the output would have size 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = graph.conv_transpose %x, %w {pads = array<i64: 1, 0, 0, 0>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>} : (tensor<1x2x1x1xf32>, tensor<2x2x1x1xf32>) -> tensor<?x?x?x?xf32>
  return %0 : tensor<?x?x?x?xf32>
}

// -----

func.func @max_unpool_indices_shape(%x: tensor<1x1x2x2xf32>, %i: tensor<1x1x2x3xi64>) -> tensor<?x?x?x?xf32> {
  // expected-error @+2 {{'indices' of type 'tensor<1x1x2x3xi64>' does not have the input's shape}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = graph.max_unpool %x, %i {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x1x2x2xf32>, tensor<1x1x2x3xi64>) -> tensor<?x?x?x?xf32>
  return %0 : tensor<?x?x?x?xf32>
}
