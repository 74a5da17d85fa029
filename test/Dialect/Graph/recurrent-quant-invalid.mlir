// RUN: exaforge-opt %s -split-input-file -verify-diagnostics

// Verifier errors of the recurrent and quantization ops. Each error of an
// op's type inference is followed by the generic "failed to infer returned
// types" error.

// Tests that W must have `gates * hidden_size` rows.
func.func @lstm_w_shape(%x: tensor<1x2x4xf32>, %w: tensor<1x8x4xf32>, %r: tensor<1x12x3xf32>) {
  // expected-error @+2 {{'W' has shape [1, 8, 4], expected [1, 12, 4]}}
  // expected-error @+1 {{'graph.lstm' op failed to infer returned types}}
  %y, %yh, %yc = graph.lstm %x, %w, %r {hidden_size = 3 : i64, activations = ["Sigmoid", "Tanh", "Tanh"], activation_alpha = array<f32: 0.0, 0.0, 0.0>, activation_beta = array<f32: 0.0, 0.0, 0.0>} : (tensor<1x2x4xf32>, tensor<1x8x4xf32>, tensor<1x12x3xf32>) -> (tensor<1x1x2x3xf32>, tensor<1x2x3xf32>, tensor<1x2x3xf32>)
  return
}

// -----

// Tests that every activation has an alpha and a beta.
func.func @rnn_alpha(%x: tensor<1x2x4xf32>, %w: tensor<1x3x4xf32>, %r: tensor<1x3x3xf32>) {
  // expected-error @+2 {{'activation_alpha' and 'activation_beta' must have one entry per activation}}
  // expected-error @+1 {{'graph.rnn' op failed to infer returned types}}
  %y, %yh = graph.rnn %x, %w, %r {hidden_size = 3 : i64, activations = ["Tanh"], activation_alpha = array<f32>, activation_beta = array<f32: 0.0>} : (tensor<1x2x4xf32>, tensor<1x3x4xf32>, tensor<1x3x3xf32>) -> (tensor<1x1x2x3xf32>, tensor<1x2x3xf32>)
  return
}

// -----

// Tests that an unknown activation function is rejected.
func.func @gru_activation(%x: tensor<1x2x4xf32>, %w: tensor<1x9x4xf32>, %r: tensor<1x9x3xf32>) {
  // expected-error @+2 {{unsupported activation function 'Gelu'}}
  // expected-error @+1 {{'graph.gru' op failed to infer returned types}}
  %y, %yh = graph.gru %x, %w, %r {hidden_size = 3 : i64, activations = ["Sigmoid", "Gelu"], activation_alpha = array<f32: 0.0, 0.0>, activation_beta = array<f32: 0.0, 0.0>} : (tensor<1x2x4xf32>, tensor<1x9x4xf32>, tensor<1x9x3xf32>) -> (tensor<1x1x2x3xf32>, tensor<1x2x3xf32>)
  return
}

// -----

// Tests that a per-axis scale must match the dimension of its axis.
func.func @quantize_axis(%x: tensor<3x4xf32>, %s: tensor<3xf32>) {
  // expected-error @+2 {{'scale' has 3 elements but dimension 1 of the input has 4}}
  // expected-error @+1 {{'graph.quantize_linear' op failed to infer returned types}}
  %0 = graph.quantize_linear %x, %s : (tensor<3x4xf32>, tensor<3xf32>) -> tensor<3x4xui8>
  return
}

// -----

// Tests that a zero point of another element type than the input is
// rejected.
func.func @dequantize_zero_type(%x: tensor<4xi8>, %s: tensor<f32>, %z: tensor<ui8>) {
  // expected-error @+2 {{'zero_point' must have the element type of the input}}
  // expected-error @+1 {{'graph.dequantize_linear' op failed to infer returned types}}
  %0 = graph.dequantize_linear %x, %s, %z : (tensor<4xi8>, tensor<f32>, tensor<ui8>) -> tensor<4xf32>
  return
}

// -----

// Tests that a per-row zero point of MatMulInteger has M elements.
func.func @matmul_integer_zero(%a: tensor<4x3xui8>, %b: tensor<3x2xui8>, %z: tensor<3xui8>) {
  // expected-error @+2 {{'a_zero_point' must be a scalar or a vector of 4 elements, got shape [3]}}
  // expected-error @+1 {{'graph.mat_mul_integer' op failed to infer returned types}}
  %0 = graph.mat_mul_integer %a, %b a_zero_point %z : (tensor<4x3xui8>, tensor<3x2xui8>, tensor<3xui8>) -> tensor<4x2xi32>
  return
}

// -----

// Tests that the input zero point of ConvInteger is a scalar.
func.func @conv_integer_zero(%x: tensor<1x2x5x5xui8>, %w: tensor<4x2x3x3xui8>, %z: tensor<2xui8>) {
  // expected-error @+2 {{'x_zero_point' must be a scalar}}
  // expected-error @+1 {{'graph.conv_integer' op failed to infer returned types}}
  %0 = graph.conv_integer %x, %w x_zero_point %z {pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x2x5x5xui8>, tensor<4x2x3x3xui8>, tensor<2xui8>) -> tensor<1x4x3x3xi32>
  return
}
