// RUN: exaforge-opt %s -split-input-file -verify-diagnostics

// Tests the verification of the training-mode ops. Each error of an op's
// type inference is followed by the generic "failed to infer returned
// types" error.

func.func @batch_normalization_channels(%x: tensor<2x3x4xf32>, %s: tensor<4xf32>, %b: tensor<3xf32>) -> tensor<2x3x4xf32> {
  // expected-error @+2 {{'scale' must be a vector of the input's channels ('tensor<3xf32>'), got 'tensor<4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %rm, %rv = graph.batch_normalization_training %x, %s, %b, %b, %b : (tensor<2x3x4xf32>, tensor<4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>)
  return %y : tensor<2x3x4xf32>
}

// -----

func.func @dropout_ratio_not_scalar(%x: tensor<3x4xf32>, %r: tensor<2xf32>) -> tensor<3x4xf32> {
  // expected-error @+2 {{'ratio' must be a scalar, got 'tensor<2xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %y, %mask = graph.dropout %x, %r {seed = 0 : i64} : (tensor<3x4xf32>, tensor<2xf32>) -> (tensor<3x4xf32>, tensor<3x4xi1>)
  return %y : tensor<3x4xf32>
}

// -----

func.func @adam_state_shape(%r: tensor<f32>, %t: tensor<i64>, %x: tensor<4xf32>, %v: tensor<5xf32>) -> tensor<4xf32> {
  // expected-error @+2 {{'velocity' must have the type of 'x' ('tensor<4xf32>'), got 'tensor<5xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %x1, %v1, %h1 = graph.adam %r, %t, %x, %x, %v, %x : (tensor<f32>, tensor<i64>, tensor<4xf32>, tensor<4xf32>, tensor<5xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<5xf32>, tensor<4xf32>)
  return %x1 : tensor<4xf32>
}

// -----

func.func @momentum_step_not_scalar(%r: tensor<f32>, %t: tensor<2xi64>, %x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+2 {{'step' must be a scalar, got 'tensor<2xi64>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %x1, %v1 = graph.momentum %r, %t, %x, %x, %x {alpha = 0.9 : f32, beta = 1.0 : f32, norm_coefficient = 0.0 : f32} : (tensor<f32>, tensor<2xi64>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  return %x1 : tensor<4xf32>
}
