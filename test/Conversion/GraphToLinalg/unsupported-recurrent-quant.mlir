// RUN: exaforge-opt %s --convert-graph-to-linalg -split-input-file -verify-diagnostics

// Tests the lowering errors of the recurrent and quantization ops.

// Recurrent ops are lowered for f32 and f64 only.
func.func @rnn_f16(%x: tensor<1x2x4xf16>, %w: tensor<1x3x4xf16>, %r: tensor<1x3x3xf16>) -> tensor<1x2x3xf16> {
  // expected-error @+2 {{'graph.rnn' op cannot be lowered to linalg: recurrent ops are lowered for f32 and f64 only}}
  // expected-error @+1 {{failed to legalize operation 'graph.rnn'}}
  %y, %yh = graph.rnn %x, %w, %r {hidden_size = 3 : i64, activations = ["Tanh"], activation_alpha = array<f32: 0.0>, activation_beta = array<f32: 0.0>} : (tensor<1x2x4xf16>, tensor<1x3x4xf16>, tensor<1x3x3xf16>) -> (tensor<1x1x2x3xf16>, tensor<1x2x3xf16>)
  return %yh : tensor<1x2x3xf16>
}

// -----

// ConvInteger needs static spatial dimensions.
func.func @conv_integer_dynamic(%x: tensor<1x1x?x?xui8>, %w: tensor<1x1x2x2xui8>) -> tensor<1x1x?x?xi32> {
  // expected-error @+2 {{'graph.conv_integer' op cannot be lowered to linalg: the weight and the spatial dimensions must be static to lower ConvInteger to linalg}}
  // expected-error @+1 {{failed to legalize operation 'graph.conv_integer'}}
  %0 = graph.conv_integer %x, %w {pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x1x?x?xui8>, tensor<1x1x2x2xui8>) -> tensor<1x1x?x?xi32>
  return %0 : tensor<1x1x?x?xi32>
}
