// RUN: exaforge-opt %s | exaforge-opt | FileCheck %s

// Round-trips the recurrent and quantization ops through their custom
// forms, optional operands included.

// CHECK-LABEL: func.func @lstm
// CHECK: graph.lstm %{{.*}}, %{{.*}}, %{{.*}} bias %{{.*}} initial_h %{{.*}} initial_c %{{.*}} peepholes %{{.*}} {
// CHECK-SAME: input_forget = true
func.func @lstm(%x: tensor<?x2x4xf32>, %w: tensor<1x12x4xf32>, %r: tensor<1x12x3xf32>, %b: tensor<1x24xf32>, %h: tensor<1x2x3xf32>, %p: tensor<1x9xf32>) -> tensor<1x2x3xf32> {
  %y, %yh, %yc = graph.lstm %x, %w, %r bias %b initial_h %h initial_c %h peepholes %p {hidden_size = 3 : i64, activations = ["Sigmoid", "Tanh", "Tanh"], activation_alpha = array<f32: 0.0, 0.0, 0.0>, activation_beta = array<f32: 0.0, 0.0, 0.0>, input_forget = true} : (tensor<?x2x4xf32>, tensor<1x12x4xf32>, tensor<1x12x3xf32>, tensor<1x24xf32>, tensor<1x2x3xf32>, tensor<1x2x3xf32>, tensor<1x9xf32>) -> (tensor<?x1x2x3xf32>, tensor<1x2x3xf32>, tensor<1x2x3xf32>)
  return %yh : tensor<1x2x3xf32>
}

// CHECK-LABEL: func.func @gru_rnn
// CHECK: graph.gru %{{.*}} sequence_lens %{{.*}} {{{.*}}direction = "bidirectional"
// CHECK: graph.rnn
func.func @gru_rnn(%x: tensor<3x2x4xf32>, %w: tensor<2x6x4xf32>, %r: tensor<2x6x2xf32>, %lens: tensor<2xi64>, %rw: tensor<1x2x4xf32>, %rr: tensor<1x2x2xf32>) -> (tensor<2x2x2xf32>, tensor<3x1x2x2xf32>) {
  %y, %yh = graph.gru %x, %w, %r sequence_lens %lens {hidden_size = 2 : i64, direction = "bidirectional", activations = ["Sigmoid", "Tanh", "Sigmoid", "Tanh"], activation_alpha = array<f32: 0.0, 0.0, 0.0, 0.0>, activation_beta = array<f32: 0.0, 0.0, 0.0, 0.0>} : (tensor<3x2x4xf32>, tensor<2x6x4xf32>, tensor<2x6x2xf32>, tensor<2xi64>) -> (tensor<3x2x2x2xf32>, tensor<2x2x2xf32>)
  %ry, %rh = graph.rnn %x, %rw, %rr {hidden_size = 2 : i64, activations = ["Relu"], activation_alpha = array<f32: 0.0>, activation_beta = array<f32: 0.0>} : (tensor<3x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x2xf32>) -> (tensor<3x1x2x2xf32>, tensor<1x2x2xf32>)
  return %yh, %ry : tensor<2x2x2xf32>, tensor<3x1x2x2xf32>
}

// CHECK-LABEL: func.func @quant
// CHECK: graph.quantize_linear %{{.*}}, %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<3x4xf32>, tensor<3xf32>, tensor<3xi8>) -> tensor<3x4xi8>
// CHECK: graph.dequantize_linear %{{.*}}, %{{.*}} : (tensor<3x4xui8>, tensor<f32>) -> tensor<3x4xf32>
// CHECK: graph.mat_mul_integer %{{.*}}, %{{.*}} b_zero_point %{{.*}} : (tensor<2x3x4xui8>, tensor<4x5xi8>, tensor<5xi8>) -> tensor<2x3x5xi32>
// CHECK: graph.conv_integer %{{.*}}, %{{.*}} {dilations
func.func @quant(%x: tensor<3x4xf32>, %s: tensor<3xf32>, %z: tensor<3xi8>, %u: tensor<3x4xui8>, %s0: tensor<f32>, %a: tensor<2x3x4xui8>, %b: tensor<4x5xi8>, %zb: tensor<5xi8>, %cx: tensor<1x2x5x5xi8>, %cw: tensor<4x1x3x3xi8>) -> (tensor<3x4xi8>, tensor<3x4xf32>, tensor<2x3x5xi32>, tensor<1x4x3x3xi32>) {
  %0 = graph.quantize_linear %x, %s, %z {axis = 0 : i64} : (tensor<3x4xf32>, tensor<3xf32>, tensor<3xi8>) -> tensor<3x4xi8>
  %1 = graph.dequantize_linear %u, %s0 : (tensor<3x4xui8>, tensor<f32>) -> tensor<3x4xf32>
  %2 = graph.mat_mul_integer %a, %b b_zero_point %zb : (tensor<2x3x4xui8>, tensor<4x5xi8>, tensor<5xi8>) -> tensor<2x3x5xi32>
  %3 = graph.conv_integer %cx, %cw {pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, group = 2 : i64} : (tensor<1x2x5x5xi8>, tensor<4x1x3x3xi8>) -> tensor<1x4x3x3xi32>
  return %0, %1, %2, %3 : tensor<3x4xi8>, tensor<3x4xf32>, tensor<2x3x5xi32>, tensor<1x4x3x3xi32>
}
