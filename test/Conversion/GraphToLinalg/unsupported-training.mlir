// RUN: exaforge-opt %s --convert-graph-to-linalg -split-input-file -verify-diagnostics

// Tests that MaxPool with indices over dynamic spatial dimensions is refused
// (the flat indices need the image size).
func.func @max_pool_with_indices_dynamic_spatial(%x: tensor<1x1x?x4xf32>) -> tensor<1x1x?x2xi64> {
  // expected-error @+2 {{'graph.max_pool_with_indices' op cannot be lowered to linalg: the spatial input dimensions must be static to lower MaxPool with indices to linalg}}
  // expected-error @+1 {{failed to legalize operation 'graph.max_pool_with_indices'}}
  %y, %i = graph.max_pool_with_indices %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x1x?x4xf32>) -> (tensor<1x1x?x2xf32>, tensor<1x1x?x2xi64>)
  return %i : tensor<1x1x?x2xi64>
}
