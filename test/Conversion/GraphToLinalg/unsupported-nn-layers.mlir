// RUN: exaforge-opt %s --convert-graph-to-linalg -split-input-file -verify-diagnostics

// Tests that ConvTranspose with dynamic spatial input dimensions is refused.
func.func @conv_transpose_dynamic_spatial(%x: tensor<1x1x?x3xf32>, %w: tensor<1x2x3x3xf32>) -> tensor<1x2x?x5xf32> {
  // expected-error @+2 {{'graph.conv_transpose' op cannot be lowered to linalg: the spatial input dimensions must be static to lower ConvTranspose to linalg}}
  // expected-error @+1 {{failed to legalize operation 'graph.conv_transpose'}}
  %0 = graph.conv_transpose %x, %w {pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>} : (tensor<1x1x?x3xf32>, tensor<1x2x3x3xf32>) -> tensor<1x2x?x5xf32>
  return %0 : tensor<1x2x?x5xf32>
}

// -----

// Tests that resizing an empty dimension to a non-empty one is refused.
func.func @resize_empty_dimension(%x: tensor<1x0xf32>) -> tensor<1x4xf32> {
  %z = graph.constant dense<[1, 4]> : tensor<2xi64>
  // expected-error @+2 {{'graph.resize' op cannot be lowered to linalg: dimension 1 is empty and cannot be resized}}
  // expected-error @+1 {{failed to legalize operation 'graph.resize'}}
  %0 = graph.resize %x sizes(%z) : (tensor<1x0xf32>, tensor<2xi64>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}

// -----

// Tests that MaxUnpool with dynamic spatial dimensions is refused.
func.func @max_unpool_dynamic_spatial(%x: tensor<1x1x?x2xf32>, %i: tensor<1x1x?x2xi64>) -> tensor<1x1x?x4xf32> {
  // expected-error @+2 {{'graph.max_unpool' op cannot be lowered to linalg: the spatial dimensions must be static to lower MaxUnpool}}
  // expected-error @+1 {{failed to legalize operation 'graph.max_unpool'}}
  %0 = graph.max_unpool %x, %i {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x1x?x2xf32>, tensor<1x1x?x2xi64>) -> tensor<1x1x?x4xf32>
  return %0 : tensor<1x1x?x4xf32>
}
