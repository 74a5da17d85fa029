// RUN: exaforge-opt %s --graph-fold-batch-norm-into-conv -split-input-file | FileCheck %s

// Tests that a BatchNormalization of a bias-free Conv becomes one Conv with
// scaled weights and a new bias: factor = scale / sqrt(var + epsilon) =
// [0.5, 2], w' = w * factor = [1, 8], b' = -mean * factor + bias = [0, -7].
// CHECK-LABEL: func @no_bias
// CHECK-DAG: %[[W:.*]] = graph.constant dense_resource<conv.bn_folded> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.*]] = graph.constant dense<[0.000000e+00, -7.000000e+00]> : tensor<2xf32>
// CHECK: %[[C:.*]] = graph.conv %{{.*}}, %[[W]], %[[B]] {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
// CHECK-NOT: graph.batch_normalization
// CHECK: return %[[C]]
// CHECK: conv.bn_folded: "0x040000000000803F00000041"
func.func @no_bias(%x: tensor<1x1x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = graph.constant dense<[[[[2.0]]], [[[4.0]]]]> : tensor<2x1x1x1xf32>
  %s = graph.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %b = graph.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %m = graph.constant dense<[1.0, 3.0]> : tensor<2xf32>
  %v = graph.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %0 = graph.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>
  %1 = graph.batch_normalization %0, %s, %b, %m, %v {epsilon = 1.0 : f32} : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %1 : tensor<1x2x2x2xf32>
}

// -----

// Tests that a Conv bias is folded too, b' = (b - mean) * factor + bias =
// [0.5, -5], and that a dense-resource weight gives the folded weight its
// name with a `.bn_folded` suffix (w' = [1, 8]).
// CHECK-LABEL: func @with_bias
// CHECK-DAG: %[[W:.*]] = graph.constant dense_resource<w.bn_folded> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.*]] = graph.constant dense<[5.000000e-01, -5.000000e+00]> : tensor<2xf32>
// CHECK: graph.conv %{{.*}}, %[[W]], %[[B]]
// CHECK-NOT: graph.batch_normalization
// CHECK: w.bn_folded: "0x040000000000803F00000041"
func.func @with_bias(%x: tensor<1x1x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = graph.constant dense_resource<w> : tensor<2x1x1x1xf32>
  %cb = graph.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %s = graph.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %b = graph.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %m = graph.constant dense<[1.0, 3.0]> : tensor<2xf32>
  %v = graph.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %0 = graph.conv %x, %w, %cb {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  %1 = graph.batch_normalization %0, %s, %b, %m, %v {epsilon = 1.0 : f32} : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %1 : tensor<1x2x2x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      w: "0x040000000000004000008040"
    }
  }
#-}

// -----

// Tests that nothing is folded when the Conv result has another user, or
// when a BatchNormalization operand is not a constant.
// CHECK-LABEL: func @not_folded
// CHECK: graph.conv
// CHECK: graph.batch_normalization
// CHECK: graph.conv
// CHECK: graph.batch_normalization
func.func @not_folded(%x: tensor<1x1x2x2xf32>, %var: tensor<2xf32>) -> (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) {
  %w = graph.constant dense<[[[[2.0]]], [[[4.0]]]]> : tensor<2x1x1x1xf32>
  %s = graph.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %b = graph.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %m = graph.constant dense<[1.0, 3.0]> : tensor<2xf32>
  %v = graph.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %0 = graph.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>
  %1 = graph.batch_normalization %0, %s, %b, %m, %v : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  %2 = graph.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>
  %3 = graph.batch_normalization %2, %s, %b, %m, %var : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %0, %1, %3 : tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>
}
