// RUN: exaforge-opt %s --convert-graph-to-linalg -split-input-file -verify-diagnostics

// Tests that Conv with a weight shape known only at run time is refused.
func.func @conv_dynamic_weight(%x: tensor<1x3x8x8xf32>, %w: tensor<?x3x3x3xf32>) -> tensor<1x?x6x6xf32> {
  // expected-error @+2 {{'graph.conv' op cannot be lowered to linalg: the weight shape must be static to lower Conv to linalg}}
  // expected-error @+1 {{failed to legalize operation 'graph.conv'}}
  %0 = graph.conv %x, %w {pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<?x3x3x3xf32>) -> tensor<1x?x6x6xf32>
  return %0 : tensor<1x?x6x6xf32>
}

// -----

// Tests that Conv with dynamic spatial input dimensions is refused.
func.func @conv_dynamic_spatial(%x: tensor<1x3x?x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x?x6xf32> {
  // expected-error @+2 {{'graph.conv' op cannot be lowered to linalg: the spatial input dimensions must be static to lower Conv to linalg}}
  // expected-error @+1 {{failed to legalize operation 'graph.conv'}}
  %0 = graph.conv %x, %w {pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x3x?x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x?x6xf32>
  return %0 : tensor<1x4x?x6xf32>
}

// -----

// Tests that MaxPool with dynamic spatial input dimensions is refused.
func.func @max_pool_dynamic_spatial(%x: tensor<1x3x?x?xf32>) -> tensor<1x3x?x?xf32> {
  // expected-error @+2 {{'graph.max_pool' op cannot be lowered to linalg: the spatial input dimensions must be static to lower MaxPool to linalg}}
  // expected-error @+1 {{failed to legalize operation 'graph.max_pool'}}
  %0 = graph.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x3x?x?xf32>) -> tensor<1x3x?x?xf32>
  return %0 : tensor<1x3x?x?xf32>
}

// -----

// Tests that AveragePool with dynamic spatial input dimensions is refused.
func.func @average_pool_dynamic_spatial(%x: tensor<?x3x?x8xf32>) -> tensor<?x3x?x4xf32> {
  // expected-error @+2 {{'graph.average_pool' op cannot be lowered to linalg: the spatial input dimensions must be static to lower AveragePool to linalg}}
  // expected-error @+1 {{failed to legalize operation 'graph.average_pool'}}
  %0 = graph.average_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>} : (tensor<?x3x?x8xf32>) -> tensor<?x3x?x4xf32>
  return %0 : tensor<?x3x?x4xf32>
}
