// RUN: exaforge-opt %s | exaforge-opt | FileCheck %s

// Tests that the training-mode ops and MaxPool with indices round-trip and
// infer their result types.

// CHECK-LABEL: func.func @batch_normalization_training
// CHECK: graph.batch_normalization_training %arg0, %arg1, %arg2, %arg3, %arg4 {epsilon = 0.00999999977 : f32, momentum = 8.000000e-01 : f32}
func.func @batch_normalization_training(%x: tensor<?x3x4xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> (tensor<?x3x4xf32>, tensor<3xf32>, tensor<3xf32>) {
  %y, %rm, %rv = graph.batch_normalization_training %x, %s, %b, %m, %v {epsilon = 0.01 : f32, momentum = 0.8 : f32} : (tensor<?x3x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<?x3x4xf32>, tensor<3xf32>, tensor<3xf32>)
  return %y, %rm, %rv : tensor<?x3x4xf32>, tensor<3xf32>, tensor<3xf32>
}

// CHECK-LABEL: func.func @dropout
// CHECK: graph.dropout %arg0, %arg1 training %arg2 {seed = 7 : i64} : (tensor<3x4xf32>, tensor<f32>, tensor<i1>) -> (tensor<3x4xf32>, tensor<3x4xi1>)
func.func @dropout(%x: tensor<3x4xf32>, %r: tensor<f32>, %t: tensor<i1>) -> (tensor<3x4xf32>, tensor<3x4xi1>) {
  %y, %mask = graph.dropout %x, %r training %t {seed = 7 : i64} : (tensor<3x4xf32>, tensor<f32>, tensor<i1>) -> (tensor<3x4xf32>, tensor<3x4xi1>)
  return %y, %mask : tensor<3x4xf32>, tensor<3x4xi1>
}

// CHECK-LABEL: func.func @optimizers
// CHECK: graph.adagrad %arg0, %arg1, %arg2, %arg3, %arg4 {epsilon = 9.99999974E-6 : f32}
// CHECK: graph.adam %arg0, %arg1, %arg2, %arg3, %arg4, %arg4 {alpha = 0.949999988 : f32}
// CHECK: graph.momentum %arg0, %arg1, %arg2, %arg3, %arg4 {alpha = 0.949999988 : f32, beta = 1.000000e-01 : f32, nesterov = true, norm_coefficient = 0.00999999977 : f32}
func.func @optimizers(%r: tensor<f32>, %t: tensor<i64>, %x: tensor<4xf32>, %g: tensor<4xf32>, %h: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %x1, %h1 = graph.adagrad %r, %t, %x, %g, %h {epsilon = 1.0e-05 : f32} : (tensor<f32>, tensor<i64>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  %x2, %v2, %h2 = graph.adam %r, %t, %x, %g, %h, %h {alpha = 0.95 : f32} : (tensor<f32>, tensor<i64>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
  %x3, %v3 = graph.momentum %r, %t, %x, %g, %h {alpha = 0.95 : f32, beta = 0.1 : f32, norm_coefficient = 0.01 : f32, nesterov = true} : (tensor<f32>, tensor<i64>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  return %x1, %x2, %x3 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// CHECK-LABEL: func.func @max_pool_with_indices
// CHECK: graph.max_pool_with_indices %arg0 {column_major_indices = true, {{.*}}} : (tensor<1x1x5x5xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>)
func.func @max_pool_with_indices(%x: tensor<1x1x5x5xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>) {
  %y, %i = graph.max_pool_with_indices %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, column_major_indices = true} : (tensor<1x1x5x5xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>)
  return %y, %i : tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>
}
