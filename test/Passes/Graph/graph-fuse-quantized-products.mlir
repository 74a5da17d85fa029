// RUN: exaforge-opt %s --graph-fuse-quantized-products -split-input-file | FileCheck %s

// Tests a MatMul of per-tensor dequantized operands: the integer product of
// the quantized operands, converted to f32 and scaled by sa * sb.
// CHECK-LABEL: func.func @matmul
// CHECK-SAME: %[[QA:[^:]*]]: tensor<4x8xui8>, %[[SA:[^:]*]]: tensor<f32>, %[[ZA:[^:]*]]: tensor<ui8>, %[[QB:[^:]*]]: tensor<8x2xi8>, %[[SB:[^:]*]]: tensor<f32>, %[[ZB:[^:]*]]: tensor<i8>
// CHECK: %[[P:.*]] = graph.mat_mul_integer %[[QA]], %[[QB]] a_zero_point %[[ZA]] b_zero_point %[[ZB]] : (tensor<4x8xui8>, tensor<8x2xi8>, tensor<ui8>, tensor<i8>) -> tensor<4x2xi32>
// CHECK: %[[S:.*]] = graph.mul %[[SA]], %[[SB]]
// CHECK: %[[F:.*]] = graph.cast %[[P]] {to = f32}
// CHECK: %[[R:.*]] = graph.mul %[[F]], %[[S]] : (tensor<4x2xf32>, tensor<f32>) -> tensor<4x2xf32>
// CHECK: return %[[R]]
func.func @matmul(%qa: tensor<4x8xui8>, %sa: tensor<f32>, %za: tensor<ui8>, %qb: tensor<8x2xi8>, %sb: tensor<f32>, %zb: tensor<i8>) -> tensor<4x2xf32> {
  %a = graph.dequantize_linear %qa, %sa, %za : (tensor<4x8xui8>, tensor<f32>, tensor<ui8>) -> tensor<4x8xf32>
  %b = graph.dequantize_linear %qb, %sb, %zb : (tensor<8x2xi8>, tensor<f32>, tensor<i8>) -> tensor<8x2xf32>
  %0 = graph.mat_mul %a, %b : (tensor<4x8xf32>, tensor<8x2xf32>) -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

// Tests a Conv with a weight quantized per output channel and a bias: the
// scales and the bias are reshaped to [M, 1, 1] to run along the channels.
// CHECK-LABEL: func.func @conv_per_channel
// CHECK: %[[P:.*]] = graph.conv_integer %{{.*}}, %{{.*}} x_zero_point %{{.*}} w_zero_point %{{.*}} {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x3x8x8xui8>, tensor<4x3x3x3xi8>, tensor<ui8>, tensor<4xi8>) -> tensor<1x4x8x8xi32>
// CHECK: %[[WS:.*]] = graph.unsqueeze %{{.*}} : (tensor<4xf32>, tensor<2xi64>) -> tensor<4x1x1xf32>
// CHECK: %[[S:.*]] = graph.mul %{{.*}}, %[[WS]] : (tensor<f32>, tensor<4x1x1xf32>) -> tensor<4x1x1xf32>
// CHECK: %[[B:.*]] = graph.unsqueeze %{{.*}} : (tensor<4xf32>, tensor<2xi64>) -> tensor<4x1x1xf32>
// CHECK: %[[F:.*]] = graph.cast %[[P]] {to = f32}
// CHECK: %[[M:.*]] = graph.mul %[[F]], %[[S]]
// CHECK: %[[R:.*]] = graph.add %[[M]], %[[B]] : (tensor<1x4x8x8xf32>, tensor<4x1x1xf32>) -> tensor<1x4x8x8xf32>
// CHECK: return %[[R]]
func.func @conv_per_channel(%qx: tensor<1x3x8x8xui8>, %sx: tensor<f32>, %zx: tensor<ui8>, %qw: tensor<4x3x3x3xi8>, %sw: tensor<4xf32>, %zw: tensor<4xi8>, %bias: tensor<4xf32>) -> tensor<1x4x8x8xf32> {
  %x = graph.dequantize_linear %qx, %sx, %zx : (tensor<1x3x8x8xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x3x8x8xf32>
  %w = graph.dequantize_linear %qw, %sw, %zw {axis = 0 : i64} : (tensor<4x3x3x3xi8>, tensor<4xf32>, tensor<4xi8>) -> tensor<4x3x3x3xf32>
  %0 = graph.conv %x, %w, %bias {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  return %0 : tensor<1x4x8x8xf32>
}

// -----

// Tests that a left operand quantized per axis is left alone.
// CHECK-LABEL: func.func @matmul_lhs_per_axis
// CHECK-NOT: graph.mat_mul_integer
// CHECK: graph.mat_mul
func.func @matmul_lhs_per_axis(%qa: tensor<4x8xui8>, %sa: tensor<4xf32>, %b: tensor<8x2xf32>, %qb: tensor<8x2xi8>, %sb: tensor<f32>) -> tensor<4x2xf32> {
  %a = graph.dequantize_linear %qa, %sa {axis = 0 : i64} : (tensor<4x8xui8>, tensor<4xf32>) -> tensor<4x8xf32>
  %bq = graph.dequantize_linear %qb, %sb : (tensor<8x2xi8>, tensor<f32>) -> tensor<8x2xf32>
  %0 = graph.mat_mul %a, %bq : (tensor<4x8xf32>, tensor<8x2xf32>) -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}
